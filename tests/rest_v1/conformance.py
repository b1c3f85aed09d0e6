"""The `/rest/v1` conformance table: each row a request as supabase-js / postgrest-js (or
supabase-py) sends it, the caller, and what PostgREST answers. Run by `test_conformance.py`
against the world of `conformance_world()` there.

Fields: `name`; `method`; `path` (with its query string, as the client encodes it);
`headers` (request headers); `body` (JSON, for writes); `caller` (owner, editor, viewer,
outsider, admin, anon, service, none = no token, bad = a forged token, expired = an expired
user token); `status`; `expect_headers` (a subset of the answer's headers); `expect_body`
(the whole JSON body) or `expect_subset` (keys the JSON object must have with these values).
`{name}` in a path, body or expectation is replaced by the id of that row of the world.

The world: the cast's campaign "Resort 27" (owner, editor, viewer) with four samples, and
the outsider's campaign with one:

| key | name | status | priority | is_hero | eta |
|---|---|---|---|---|---|
| dress | Silk dress | arrived | 1 | true | 2027-03-01T00:00:00+00:00 |
| coat | Wool coat | delayed | 2 | false | 2027-03-03T00:00:00+00:00 |
| bag | Bag, large (red) | requested | 3 | false | null |
| shoe | shoe | on_set | 5 | false | 2027-03-02T00:00:00+00:00 |
| secret | Secret | arrived | 3 | false | null (outsider's campaign) |
"""

# ruff: noqa: E501  (a table of requests: one case a line reads best)
from __future__ import annotations

S = "/rest/v1/samples"
NAMES = "select=name&order=priority"
OBJECT = "application/vnd.pgrst.object+json"
REPR = "return=representation"


def _names(*names: str) -> list[dict[str, str]]:
    return [{"name": name} for name in names]


def _error(code: str) -> dict[str, str]:
    return {"code": code}


CASES: list[dict] = [
    # --- select forms ---------------------------------------------------------------------
    {
        "name": "select columns",
        "path": f"{S}?select=id,name&id=eq.{{shoe}}",
        "expect_body": [{"id": "{shoe}", "name": "shoe"}],
    },
    {
        "name": "select star",
        "path": f"{S}?select=*&id=eq.{{bag}}",
        "expect_subset": {
            "0": {
                "name": "Bag, large (red)",
                "campaign_id": "{campaign}",
                "eta": None,
                "is_hero": False,
            }
        },
    },
    {
        "name": "select alias",
        "path": f"{S}?select=title:name,rank:priority&id=eq.{{dress}}",
        "expect_body": [{"title": "Silk dress", "rank": 1}],
    },
    {
        "name": "select whitespace removed by postgrest-js",
        "path": f"{S}?select=name,status&id=eq.{{coat}}",
        "expect_body": [{"name": "Wool coat", "status": "delayed"}],
    },
    {
        "name": "select quoted column",
        "path": f'{S}?select="name"&id=eq.{{coat}}',
        "expect_body": [{"name": "Wool coat"}],
    },
    {
        "name": "embed to-one is an object",
        "path": f"{S}?select=name,campaigns(name)&id=eq.{{dress}}",
        "expect_body": [{"name": "Silk dress", "campaigns": {"name": "Resort 27"}}],
    },
    {
        "name": "embed to-one star",
        "path": f"{S}?select=name,campaigns(*)&id=eq.{{dress}}",
        "expect_subset": {"0": {"campaigns": {"id": "{campaign}", "name": "Resort 27"}}},
    },
    {
        "name": "embed with alias",
        "path": f"{S}?select=name,c:campaigns(name)&id=eq.{{dress}}",
        "expect_body": [{"name": "Silk dress", "c": {"name": "Resort 27"}}],
    },
    {
        "name": "embed with a foreign key hint",
        "path": f"{S}?select=name,campaigns!campaign_id(name)&id=eq.{{dress}}",
        "expect_body": [{"name": "Silk dress", "campaigns": {"name": "Resort 27"}}],
    },
    {
        "name": "spread a to-one embed",
        "path": f"{S}?select=name,...campaigns(campaign:name,location)&id=eq.{{dress}}",
        "expect_body": [{"name": "Silk dress", "campaign": "Resort 27", "location": "Studio 4"}],
    },
    {
        "name": "spread a to-many embed",
        "path": "/rest/v1/campaigns?select=name,...samples(name)",
        "status": 400,
        "expect_subset": {
            "code": "PGRST119",
            "message": "A spread operation on 'samples' is not possible",
        },
    },
    {
        "name": "embed to-many is a list",
        "path": "/rest/v1/campaigns?select=name,samples(name)&samples.order=priority",
        "caller": "viewer",
        "expect_body": [
            {
                "name": "Resort 27",
                "samples": _names("Silk dress", "Wool coat", "Bag, large (red)", "shoe"),
            }
        ],
    },
    {
        "name": "embed to-many filtered",
        "path": "/rest/v1/campaigns?select=name,samples(name)&samples.status=eq.arrived",
        "expect_body": [{"name": "Resort 27", "samples": _names("Silk dress")}],
    },
    {
        "name": "embed to-many or-filtered",
        "path": "/rest/v1/campaigns?select=name,samples(name)&samples.or=(priority.eq.1,priority.eq.5)&samples.order=priority.desc",
        "expect_body": [{"name": "Resort 27", "samples": _names("shoe", "Silk dress")}],
    },
    {
        "name": "embed inner filters parents",
        "path": "/rest/v1/campaigns?select=name,samples!inner(name)&samples.name=eq.Nothing",
        "expect_body": [],
    },
    {
        "name": "embed with no columns only filters",
        "path": "/rest/v1/campaigns?select=name,samples!inner()&samples.status=eq.on_set",
        "expect_body": [{"name": "Resort 27"}],
    },
    {
        "name": "embed empty list",
        "path": "/rest/v1/campaigns?select=name,tasks(id)",
        "expect_body": [{"name": "Resort 27", "tasks": []}],
    },
    {
        "name": "embed scoped by permissions",
        "path": "/rest/v1/campaigns?select=name,samples(name)",
        "caller": "outsider",
        "expect_body": [{"name": "Outsider's campaign", "samples": _names("Secret")}],
    },
    {
        "name": "members embed campaigns",
        "path": "/rest/v1/campaign_members?select=role,campaigns(name)&user_id=eq.{viewer}",
        "expect_body": [{"role": "viewer", "campaigns": {"name": "Resort 27"}}],
    },
    # --- filters --------------------------------------------------------------------------
    {"name": "eq", "path": f"{S}?{NAMES}&status=eq.arrived", "expect_body": _names("Silk dress")},
    {
        "name": "neq",
        "path": f"{S}?{NAMES}&status=neq.arrived",
        "expect_body": _names("Wool coat", "Bag, large (red)", "shoe"),
    },
    {
        "name": "gt",
        "path": f"{S}?{NAMES}&priority=gt.2",
        "expect_body": _names("Bag, large (red)", "shoe"),
    },
    {
        "name": "gte",
        "path": f"{S}?{NAMES}&priority=gte.3",
        "expect_body": _names("Bag, large (red)", "shoe"),
    },
    {"name": "lt", "path": f"{S}?{NAMES}&priority=lt.2", "expect_body": _names("Silk dress")},
    {
        "name": "lte",
        "path": f"{S}?{NAMES}&priority=lte.2",
        "expect_body": _names("Silk dress", "Wool coat"),
    },
    {
        "name": "like with *",
        "path": f"{S}?{NAMES}&name=like.*oo*",
        "expect_body": _names("Wool coat"),
    },
    {
        "name": "like is case-sensitive",
        "path": f"{S}?{NAMES}&name=like.s*",
        "expect_body": _names("shoe"),
    },
    {
        "name": "like with %25",
        "path": f"{S}?{NAMES}&name=like.%25dress",
        "expect_body": _names("Silk dress"),
    },
    {
        "name": "ilike",
        "path": f"{S}?{NAMES}&name=ilike.S*",
        "expect_body": _names("Silk dress", "shoe"),
    },
    {
        "name": "eq on a boolean",
        "path": f"{S}?{NAMES}&is_hero=eq.true",
        "expect_body": _names("Silk dress"),
    },
    {
        "name": "eq on a boolean as supabase-py spells it",
        "path": f"{S}?{NAMES}&is_hero=eq.True",
        "expect_body": _names("Silk dress"),
    },
    {
        "name": "is null",
        "path": f"{S}?{NAMES}&eta=is.null",
        "expect_body": _names("Bag, large (red)"),
    },
    {
        "name": "is true",
        "path": f"{S}?{NAMES}&is_hero=is.true",
        "expect_body": _names("Silk dress"),
    },
    {
        "name": "is false",
        "path": f"{S}?{NAMES}&is_hero=is.false",
        "expect_body": _names("Wool coat", "Bag, large (red)", "shoe"),
    },
    {
        "name": "in",
        "path": f"{S}?{NAMES}&status=in.(arrived,on_set)",
        "expect_body": _names("Silk dress", "shoe"),
    },
    {
        "name": "in with quoted values",
        "path": f'{S}?{NAMES}&name=in.("Bag, large (red)","Wool coat")',
        "expect_body": _names("Wool coat", "Bag, large (red)"),
    },
    {"name": "in empty", "path": f"{S}?{NAMES}&status=in.()", "expect_body": []},
    {
        "name": "not.eq",
        "path": f"{S}?{NAMES}&status=not.eq.arrived",
        "expect_body": _names("Wool coat", "Bag, large (red)", "shoe"),
    },
    {
        "name": "not.in",
        "path": f"{S}?{NAMES}&status=not.in.(arrived,on_set)",
        "expect_body": _names("Wool coat", "Bag, large (red)"),
    },
    {
        "name": "not.is null",
        "path": f"{S}?{NAMES}&eta=not.is.null",
        "expect_body": _names("Silk dress", "Wool coat", "shoe"),
    },
    {
        "name": "not.like",
        "path": f"{S}?{NAMES}&name=not.like.*o*",
        "expect_body": _names("Silk dress", "Bag, large (red)"),
    },
    {
        "name": "not.ilike",
        "path": f"{S}?{NAMES}&name=not.ilike.s*",
        "expect_body": _names("Wool coat", "Bag, large (red)"),
    },
    {
        "name": "not.gt",
        "path": f"{S}?{NAMES}&priority=not.gt.2",
        "expect_body": _names("Silk dress", "Wool coat"),
    },
    {
        "name": "not.gte",
        "path": f"{S}?{NAMES}&priority=not.gte.2",
        "expect_body": _names("Silk dress"),
    },
    {"name": "not.lt", "path": f"{S}?{NAMES}&priority=not.lt.5", "expect_body": _names("shoe")},
    {"name": "not.lte", "path": f"{S}?{NAMES}&priority=not.lte.3", "expect_body": _names("shoe")},
    {
        "name": "not.neq",
        "path": f"{S}?{NAMES}&status=not.neq.delayed",
        "expect_body": _names("Wool coat"),
    },
    {
        "name": "not.is true",
        "path": f"{S}?{NAMES}&is_hero=not.is.true",
        "expect_body": _names("Wool coat", "Bag, large (red)", "shoe"),
    },
    {
        "name": "neq leaves out nulls",
        "path": f"{S}?{NAMES}&eta=neq.2027-03-01T00:00:00Z",
        "expect_body": _names("Wool coat", "shoe"),
    },
    {
        "name": "timestamp comparison",
        "path": f"{S}?{NAMES}&eta=gte.2027-03-02",
        "expect_body": _names("Wool coat", "shoe"),
    },
    {
        "name": "uuid eq",
        "path": f"{S}?select=name&campaign_id=eq.{{other_campaign}}",
        "caller": "admin",
        "expect_body": _names("Secret"),
    },
    {
        "name": "several filters are and-ed",
        "path": f"{S}?{NAMES}&status=neq.arrived&priority=lte.3",
        "expect_body": _names("Wool coat", "Bag, large (red)"),
    },
    {
        "name": "or",
        "path": f"{S}?{NAMES}&or=(status.eq.arrived,priority.gte.5)",
        "expect_body": _names("Silk dress", "shoe"),
    },
    {
        "name": "and",
        "path": f"{S}?{NAMES}&and=(priority.gte.2,priority.lte.3)",
        "expect_body": _names("Wool coat", "Bag, large (red)"),
    },
    {
        "name": "not.or",
        "path": f"{S}?{NAMES}&not.or=(status.eq.arrived,priority.gte.5)",
        "expect_body": _names("Wool coat", "Bag, large (red)"),
    },
    {
        "name": "not.and",
        "path": f"{S}?{NAMES}&not.and=(priority.gte.2,priority.lte.3)",
        "expect_body": _names("Silk dress", "shoe"),
    },
    {
        "name": "or with nested and",
        "path": f"{S}?{NAMES}&or=(is_hero.is.true,and(priority.gte.3,status.neq.on_set))",
        "expect_body": _names("Silk dress", "Bag, large (red)"),
    },
    {
        "name": "or with quoted value",
        "path": f'{S}?{NAMES}&or=(name.eq."Bag, large (red)",name.eq.shoe)',
        "expect_body": _names("Bag, large (red)", "shoe"),
    },
    {
        "name": "or with in and not",
        "path": f"{S}?{NAMES}&or=(status.in.(delayed,requested),name.not.like.*o*)",
        "expect_body": _names("Silk dress", "Wool coat", "Bag, large (red)"),
    },
    {
        "name": "or with ilike and is",
        "path": f"{S}?{NAMES}&or=(name.ilike.*COAT*,eta.is.null)",
        "expect_body": _names("Wool coat", "Bag, large (red)"),
    },
    # --- order ----------------------------------------------------------------------------
    {
        "name": "order asc (nulls last)",
        "path": f"{S}?select=name&order=eta",
        "expect_body": _names("Silk dress", "shoe", "Wool coat", "Bag, large (red)"),
    },
    {
        "name": "order desc (nulls first)",
        "path": f"{S}?select=name&order=eta.desc",
        "expect_body": _names("Bag, large (red)", "Wool coat", "shoe", "Silk dress"),
    },
    {
        "name": "order asc nullsfirst",
        "path": f"{S}?select=name&order=eta.asc.nullsfirst",
        "expect_body": _names("Bag, large (red)", "Silk dress", "shoe", "Wool coat"),
    },
    {
        "name": "order desc nullslast",
        "path": f"{S}?select=name&order=eta.desc.nullslast",
        "expect_body": _names("Wool coat", "shoe", "Silk dress", "Bag, large (red)"),
    },
    {
        "name": "order several columns",
        "path": f"{S}?select=name&order=is_hero.desc,priority.desc",
        "expect_body": _names("Silk dress", "shoe", "Bag, large (red)", "Wool coat"),
    },
    # --- pages and counts -----------------------------------------------------------------
    {
        "name": "limit",
        "path": f"{S}?{NAMES}&limit=2",
        "expect_body": _names("Silk dress", "Wool coat"),
    },
    {
        "name": "limit and offset (range())",
        "path": f"{S}?{NAMES}&offset=1&limit=2",
        "expect_body": _names("Wool coat", "Bag, large (red)"),
        "expect_headers": {"Content-Range": "1-2/*"},
    },
    {"name": "limit zero", "path": f"{S}?{NAMES}&limit=0", "expect_body": []},
    {
        "name": "Range header",
        "path": f"{S}?{NAMES}",
        "headers": {"Range": "0-1", "Range-Unit": "items"},
        "expect_body": _names("Silk dress", "Wool coat"),
        "expect_headers": {"Content-Range": "0-1/*"},
    },
    {
        "name": "open Range header",
        "path": f"{S}?{NAMES}",
        "headers": {"Range": "2-"},
        "expect_body": _names("Bag, large (red)", "shoe"),
    },
    {
        "name": "malformed Range is ignored",
        "path": f"{S}?{NAMES}",
        "headers": {"Range": "rows=1-2"},
        "expect_body": _names("Silk dress", "Wool coat", "Bag, large (red)", "shoe"),
    },
    {
        "name": "count exact",
        "path": f"{S}?select=id",
        "headers": {"Prefer": "count=exact"},
        "expect_headers": {"Content-Range": "0-3/4"},
    },
    {
        "name": "count planned",
        "path": f"{S}?select=id",
        "headers": {"Prefer": "count=planned"},
        "expect_headers": {"Content-Range": "0-3/4", "Preference-Applied": "count=planned"},
    },
    {
        "name": "count estimated",
        "path": f"{S}?select=id",
        "headers": {"Prefer": "count=estimated"},
        "expect_headers": {"Content-Range": "0-3/4"},
    },
    {
        "name": "count with a page is 206",
        "path": f"{S}?select=id&limit=2",
        "headers": {"Prefer": "count=exact"},
        "status": 206,
        "expect_headers": {"Content-Range": "0-1/4"},
    },
    {
        "name": "count with Range is 206",
        "path": f"{S}?select=id",
        "headers": {"Prefer": "count=exact", "Range": "1-2"},
        "status": 206,
        "expect_headers": {"Content-Range": "1-2/4"},
    },
    {
        "name": "count of nothing",
        "path": "/rest/v1/tasks",
        "headers": {"Prefer": "count=exact"},
        "expect_body": [],
        "expect_headers": {"Content-Range": "*/0"},
    },
    {
        "name": "HEAD with count",
        "method": "head",
        "path": S,
        "headers": {"Prefer": "count=exact"},
        "expect_headers": {"Content-Range": "0-3/4"},
    },
    {
        "name": "offset past the end",
        "path": f"{S}?offset=9",
        "headers": {"Prefer": "count=exact"},
        "status": 416,
        "expect_subset": _error("PGRST103"),
        "expect_headers": {"Content-Range": "*/4"},
    },
    {
        "name": "inverted Range",
        "path": S,
        "headers": {"Range": "3-1"},
        "status": 416,
        "expect_subset": _error("PGRST103"),
    },
    # --- one object -----------------------------------------------------------------------
    {
        "name": "single",
        "path": f"{S}?select=name&id=eq.{{shoe}}",
        "headers": {"Accept": OBJECT},
        "expect_body": {"name": "shoe"},
        "expect_headers": {"Content-Type": f"{OBJECT}; charset=utf-8"},
    },
    {
        "name": "single with stripped nulls",
        "path": f"{S}?select=name,eta&id=eq.{{bag}}",
        "headers": {"Accept": f"{OBJECT};nulls=stripped"},
        "expect_body": {"name": "Bag, large (red)"},
    },
    {
        "name": "single of many",
        "path": S,
        "headers": {"Accept": OBJECT},
        "status": 406,
        "expect_subset": {"code": "PGRST116", "details": "The result contains 4 rows"},
    },
    {
        "name": "single of none",
        "path": f"{S}?id=eq.{{secret}}",
        "headers": {"Accept": OBJECT},
        "status": 406,
        "expect_subset": {"code": "PGRST116", "details": "The result contains 0 rows"},
    },
    {
        "name": "array with stripped nulls",
        "path": f"{S}?select=name,eta&id=eq.{{bag}}",
        "headers": {"Accept": "application/vnd.pgrst.array+json;nulls=stripped"},
        "expect_body": [{"name": "Bag, large (red)"}],
    },
    # --- callers --------------------------------------------------------------------------
    {
        "name": "outsider sees nothing",
        "path": f"{S}?id=eq.{{dress}}",
        "caller": "outsider",
        "expect_body": [],
    },
    {"name": "anon key sees nothing", "path": S, "caller": "anon", "expect_body": []},
    {"name": "no token sees nothing", "path": S, "caller": "none", "expect_body": []},
    {
        "name": "service key sees every row",
        "path": f"{S}?select=id",
        "caller": "service",
        "headers": {"Prefer": "count=exact"},
        "expect_headers": {"Content-Range": "0-4/5"},
    },
    {
        "name": "admin sees every row",
        "path": f"{S}?select=id",
        "caller": "admin",
        "headers": {"Prefer": "count=exact"},
        "expect_headers": {"Content-Range": "0-4/5"},
    },
    {
        "name": "forged token",
        "path": S,
        "caller": "bad",
        "status": 401,
        "expect_subset": _error("PGRST301"),
    },
    {
        "name": "expired token",
        "path": S,
        "caller": "expired",
        "status": 401,
        "expect_body": {
            "code": "PGRST303",
            "details": None,
            "hint": None,
            "message": "JWT expired",
        },
    },
    {
        "name": "Accept-Profile public",
        "path": f"{S}?select=id&limit=1",
        "headers": {"Accept-Profile": "public"},
    },
    # --- writes ---------------------------------------------------------------------------
    {
        "name": "insert minimal",
        "method": "post",
        "path": S,
        "caller": "editor",
        "body": {"campaign_id": "{campaign}", "name": "Cap"},
        "headers": {"Prefer": "return=minimal"},
        "status": 201,
        "expect_headers": {"Content-Range": "*/*"},
    },
    {
        "name": "insert default is minimal",
        "method": "post",
        "path": S,
        "caller": "editor",
        "body": {"campaign_id": "{campaign}", "name": "Cap"},
        "status": 201,
    },
    {
        "name": "insert representation (insert().select())",
        "method": "post",
        "path": f"{S}?select=name,status",
        "caller": "editor",
        "body": {"campaign_id": "{campaign}", "name": "Cap"},
        "headers": {"Prefer": REPR},
        "status": 201,
        "expect_body": [{"name": "Cap", "status": "requested"}],
    },
    {
        "name": "insert headers-only",
        "method": "post",
        "path": S,
        "caller": "owner",
        "body": {"campaign_id": "{campaign}", "name": "Cap"},
        "headers": {"Prefer": "return=headers-only"},
        "status": 201,
    },
    {
        "name": "insert array with columns",
        "method": "post",
        "path": f'{S}?columns="campaign_id","name"&select=name',
        "caller": "owner",
        "body": [
            {"campaign_id": "{campaign}", "name": "A"},
            {"campaign_id": "{campaign}", "name": "B"},
        ],
        "headers": {"Prefer": f"{REPR},count=exact"},
        "status": 201,
        "expect_body": _names("A", "B"),
        "expect_headers": {"Content-Range": "*/2"},
    },
    {
        "name": "insert single with .single()",
        "method": "post",
        "path": f"{S}?select=name",
        "caller": "owner",
        "body": {"campaign_id": "{campaign}", "name": "Solo"},
        "headers": {"Prefer": REPR, "Accept": OBJECT},
        "status": 201,
        "expect_body": {"name": "Solo"},
    },
    {
        "name": "insert missing=default",
        "method": "post",
        "path": f"{S}?select=name,priority",
        "caller": "owner",
        "body": [{"campaign_id": "{campaign}", "name": "D"}],
        "headers": {"Prefer": f"{REPR},missing=default"},
        "status": 201,
        "expect_body": [{"name": "D", "priority": 3}],
        "expect_headers": {"Preference-Applied": "missing=default, return=representation"},
    },
    {
        "name": "insert refused by the permissions",
        "method": "post",
        "path": S,
        "caller": "viewer",
        "body": {"campaign_id": "{campaign}", "name": "No"},
        "status": 403,
        "expect_body": {
            "code": "42501",
            "details": None,
            "hint": None,
            "message": 'new row violates row-level security policy for table "samples"',
        },
    },
    {
        "name": "insert into another's campaign",
        "method": "post",
        "path": S,
        "caller": "owner",
        "body": {"campaign_id": "{other_campaign}", "name": "No"},
        "status": 403,
        "expect_subset": _error("42501"),
    },
    {
        "name": "insert as anon",
        "method": "post",
        "path": S,
        "caller": "anon",
        "body": {"campaign_id": "{campaign}", "name": "No"},
        "status": 403,
        "expect_subset": _error("42501"),
    },
    {
        "name": "insert a duplicate",
        "method": "post",
        "path": "/rest/v1/campaign_members",
        "caller": "owner",
        "body": {"campaign_id": "{campaign}", "user_id": "{viewer}", "role": "editor"},
        "status": 409,
        "expect_subset": {
            "code": "23505",
            "message": 'duplicate key value violates unique constraint "campaign_members_unique"',
        },
    },
    {
        "name": "insert an invalid value",
        "method": "post",
        "path": S,
        "caller": "owner",
        "body": {"campaign_id": "{campaign}", "name": "X", "status": "lost"},
        "status": 400,
        "expect_subset": _error("23514"),
    },
    {
        "name": "insert an unknown column",
        "method": "post",
        "path": S,
        "caller": "owner",
        "body": {"campaign_id": "{campaign}", "name": "X", "colour": "red"},
        "status": 400,
        "expect_subset": {
            "code": "PGRST204",
            "message": "Could not find the 'colour' column of 'samples' in the schema cache",
        },
    },
    {
        "name": "insert a server-set column",
        "method": "post",
        "path": S,
        "caller": "owner",
        "body": {"campaign_id": "{campaign}", "name": "X", "id": "{dress}"},
        "status": 403,
        "expect_subset": _error("42501"),
    },
    {
        "name": "insert a non-object",
        "method": "post",
        "path": S,
        "caller": "owner",
        "body": "text",
        "status": 400,
        "expect_subset": _error("PGRST102"),
    },
    {
        "name": "insert into a read-only table",
        "method": "post",
        "path": "/rest/v1/assistant_conversations",
        "caller": "owner",
        "body": {"message": "hi"},
        "status": 403,
        "expect_subset": {
            "code": "42501",
            "message": "permission denied for table assistant_conversations",
        },
    },
    {
        "name": "upsert merge-duplicates",
        "method": "post",
        "path": f"{S}?select=name",
        "caller": "editor",
        "body": {"id": "{coat}", "campaign_id": "{campaign}", "name": "Cashmere coat"},
        "headers": {"Prefer": f"resolution=merge-duplicates,{REPR}"},
        "status": 200,
        "expect_body": _names("Cashmere coat"),
    },
    {
        "name": "upsert ignore-duplicates",
        "method": "post",
        "path": f"{S}?select=name",
        "caller": "editor",
        "body": {"id": "{coat}", "campaign_id": "{campaign}", "name": "Cashmere coat"},
        "headers": {"Prefer": f"resolution=ignore-duplicates,{REPR}"},
        "status": 201,
        "expect_body": [],
    },
    {
        "name": "upsert on_conflict",
        "method": "post",
        "path": "/rest/v1/campaign_members?on_conflict=campaign_id,user_id&select=role",
        "caller": "owner",
        "body": {"campaign_id": "{campaign}", "user_id": "{viewer}", "role": "editor"},
        "headers": {"Prefer": f"resolution=merge-duplicates,{REPR}"},
        "status": 200,
        "expect_body": [{"role": "editor"}],
    },
    {
        "name": "upsert on a non-unique column",
        "method": "post",
        "path": f"{S}?on_conflict=name",
        "caller": "owner",
        "body": {"campaign_id": "{campaign}", "name": "shoe"},
        "headers": {"Prefer": "resolution=merge-duplicates"},
        "status": 400,
        "expect_subset": _error("42P10"),
    },
    {
        "name": "update (update().eq().select())",
        "method": "patch",
        "path": f"{S}?id=eq.{{coat}}&select=name,status",
        "caller": "editor",
        "body": {"status": "arrived"},
        "headers": {"Prefer": REPR},
        "expect_body": [{"name": "Wool coat", "status": "arrived"}],
    },
    {
        "name": "update minimal",
        "method": "patch",
        "path": f"{S}?id=eq.{{coat}}",
        "caller": "editor",
        "body": {"notes": "late"},
        "status": 204,
    },
    {
        "name": "update with count",
        "method": "patch",
        "path": f"{S}?status=in.(delayed,requested)",
        "caller": "owner",
        "body": {"notes": "chase"},
        "headers": {"Prefer": "count=exact"},
        "status": 204,
        "expect_headers": {"Content-Range": "0-1/2"},
    },
    {
        "name": "update refused by the permissions",
        "method": "patch",
        "path": f"{S}?id=eq.{{coat}}",
        "caller": "viewer",
        "body": {"notes": "x"},
        "status": 403,
        "expect_subset": _error("42501"),
    },
    {
        "name": "update of rows not visible matches nothing",
        "method": "patch",
        "path": f"{S}?id=eq.{{coat}}",
        "caller": "outsider",
        "body": {"notes": "x"},
        "headers": {"Prefer": REPR},
        "expect_body": [],
    },
    {
        "name": "update without a filter",
        "method": "patch",
        "path": S,
        "caller": "owner",
        "body": {"notes": "x"},
        "status": 400,
        "expect_subset": {"code": "21000", "message": "UPDATE requires a WHERE clause"},
    },
    {
        "name": "update without a filter by the service key",
        "method": "patch",
        "path": S,
        "caller": "service",
        "body": {"notes": "all"},
        "status": 204,
    },
    {
        "name": "update an invalid value",
        "method": "patch",
        "path": f"{S}?id=eq.{{coat}}",
        "caller": "owner",
        "body": {"priority": 9},
        "status": 400,
        "expect_subset": _error("23514"),
    },
    {
        "name": "update the last owner away",
        "method": "patch",
        "path": "/rest/v1/campaign_members?user_id=eq.{owner}",
        "caller": "owner",
        "body": {"role": "viewer"},
        "status": 400,
        "expect_subset": _error("23514"),
    },
    {
        "name": "delete",
        "method": "delete",
        "path": f"{S}?id=eq.{{bag}}",
        "caller": "editor",
        "status": 204,
    },
    {
        "name": "delete with representation",
        "method": "delete",
        "path": f"{S}?id=eq.{{bag}}&select=name",
        "caller": "editor",
        "headers": {"Prefer": REPR},
        "expect_body": _names("Bag, large (red)"),
    },
    {
        "name": "delete refused by the permissions",
        "method": "delete",
        "path": f"{S}?id=eq.{{bag}}",
        "caller": "viewer",
        "status": 403,
        "expect_subset": _error("42501"),
    },
    {
        "name": "delete without a filter",
        "method": "delete",
        "path": S,
        "caller": "editor",
        "status": 400,
        "expect_subset": {"code": "21000", "message": "DELETE requires a WHERE clause"},
    },
    # --- errors ---------------------------------------------------------------------------
    {
        "name": "unknown table",
        "path": "/rest/v1/sample",
        "status": 404,
        "expect_body": {
            "code": "PGRST205",
            "details": None,
            "hint": "Perhaps you meant the table 'public.samples'",
            "message": "Could not find the table 'public.sample' in the schema cache",
        },
    },
    {
        "name": "unknown column in select",
        "path": f"{S}?select=colour",
        "status": 400,
        "expect_subset": {"code": "42703", "message": "column samples.colour does not exist"},
    },
    {
        "name": "unknown column in a filter",
        "path": f"{S}?colour=eq.red",
        "status": 400,
        "expect_subset": _error("42703"),
    },
    {
        "name": "unknown column in order",
        "path": f"{S}?order=colour",
        "status": 400,
        "expect_subset": _error("42703"),
    },
    {
        "name": "unknown operator",
        "path": f"{S}?status=equals.x",
        "status": 400,
        "expect_subset": _error("PGRST100"),
    },
    {
        "name": "filter without a value",
        "path": f"{S}?status=eq",
        "status": 400,
        "expect_subset": _error("PGRST100"),
    },
    {
        "name": "unbalanced logic tree",
        "path": f"{S}?or=(status.eq.x",
        "status": 400,
        "expect_subset": _error("PGRST100"),
    },
    {
        "name": "bad order",
        "path": f"{S}?order=name.up",
        "status": 400,
        "expect_subset": _error("PGRST100"),
    },
    {
        "name": "bad limit",
        "path": f"{S}?limit=-1",
        "status": 400,
        "expect_subset": _error("PGRST100"),
    },
    {
        "name": "value of the wrong type",
        "path": f"{S}?priority=eq.high",
        "status": 400,
        "expect_subset": {
            "code": "22P02",
            "message": 'invalid input syntax for type smallint: "high"',
        },
    },
    {
        "name": "value out of the column's range",
        "path": f"{S}?priority=gt.99999999999999999999",
        "status": 400,
        "expect_subset": {
            "code": "22003",
            "message": 'value "99999999999999999999" is out of range for type smallint',
        },
    },
    {
        "name": "negative value compared",
        "path": f"{S}?{NAMES}&priority=gt.-1&priority=lt.2",
        "expect_body": _names("Silk dress"),
    },
    {
        "name": "NUL in a value",
        "path": f"{S}?name=eq.a%00b",
        "status": 400,
        "expect_subset": _error("22021"),
    },
    {
        "name": "offset past any table",
        "path": f"{S}?offset=99999999999999999999",
        "status": 416,
        "expect_subset": _error("PGRST103"),
    },
    {
        "name": "embed with no relationship",
        "path": f"{S}?select=name,tasks(id)",
        "status": 400,
        "expect_subset": {
            "code": "PGRST200",
            "message": "Could not find a relationship between 'samples' and 'tasks' in the schema cache",
        },
    },
    {
        "name": "filter on a table not embedded",
        "path": f"{S}?campaigns.name=eq.x",
        "status": 400,
        "expect_subset": _error("PGRST108"),
    },
    {
        "name": "cast",
        "path": f"{S}?select=priority::text",
        "status": 400,
        "expect_subset": _error("PGRST127"),
    },
    {
        "name": "JSON path",
        "path": f"{S}?select=notes->>a",
        "status": 400,
        "expect_subset": _error("PGRST127"),
    },
    {
        "name": "full-text search",
        "path": f"{S}?name=fts.silk",
        "status": 400,
        "expect_subset": _error("PGRST127"),
    },
    {
        "name": "array operator",
        "path": "/rest/v1/assets?target_channels=cs.{story}",
        "status": 400,
        "expect_subset": _error("PGRST127"),
    },
    {
        "name": "aggregate",
        "path": f"{S}?select=count()",
        "status": 400,
        "expect_subset": _error("PGRST123"),
    },
    {
        "name": "rpc",
        "method": "post",
        "path": "/rest/v1/rpc/readiness",
        "body": {},
        "status": 404,
        "expect_subset": _error("PGRST202"),
    },
    {"name": "root", "path": "/rest/v1/", "status": 404, "expect_subset": _error("PGRST126")},
    {
        "name": "another schema",
        "path": S,
        "headers": {"Accept-Profile": "auth"},
        "status": 406,
        "expect_subset": {"code": "PGRST106", "message": "Invalid schema: auth"},
    },
    {
        "name": "CSV",
        "path": S,
        "headers": {"Accept": "text/csv"},
        "status": 406,
        "expect_subset": _error("PGRST107"),
    },
    {
        "name": "PUT",
        "method": "put",
        "path": f"{S}?id=eq.{{coat}}",
        "body": {"name": "x"},
        "status": 405,
        "expect_subset": _error("PGRST117"),
    },
]
