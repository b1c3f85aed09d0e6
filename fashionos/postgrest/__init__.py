"""The PostgREST-compatible engine behind `/rest/v1/<table>` (DESIGN.md section 6a): what
supabase-js' `supabase.from()` and supabase-py's `table()` send, over every table of the
registry (`fashionos/tables/`), with the registry's permissions and write services.

- `grammar`: the query-string grammar (select, filters, logic groups, order), pure;
- `negotiation`: the Prefer, Range, Accept and schema headers, pure;
- `query`: a request read against a table (columns checked, filters as lookup expressions);
- `lookups`: the SQL of `like`, `ilike` and `is.true|false`;
- `reads`: the page, its embeds and its count in a bounded number of statements;
- `render`: orjson out, errors in PostgREST's shape (`errors`);
- `views` and `urls`: the HTTP side, authenticated as `/api/v1`.

`docs/rest-v1.md` lists what is served and what answers a PGRST error instead.
"""
