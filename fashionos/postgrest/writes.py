"""`/rest/v1` writes: POST (one row or an array, upserts), PATCH and DELETE with filters, all
through the table's registered services and under the registry's permissions, so validation,
the one-owner and no-cycle rules, the revision bump, the insight cache invalidation and the
realtime announcement happen exactly as for `/api/v1`.

Each request is one transaction: every row is written or none (a refused or invalid row rolls
back the rows before it, and nothing is announced). Who may write:

- insert: `insertable(actor, row)` for every row (403 `42501` "new row violates row-level
  security policy" otherwise); a table with no `create` service takes no inserts;
- update and delete: the rows the filters match among those the caller sees; if any of them
  is not in `editable_by` (`deletable_by`), 403 `42501` and nothing changes; rows the caller
  cannot see are simply not matched. Without a filter only the service key may update or
  delete (PostgREST's safe-update setting: 400 `21000` "UPDATE requires a WHERE clause");
- `Prefer: return=representation` reads the written rows back through `visible_to`, as
  PostgreSQL's RETURNING passes the SELECT policy: a row the caller could write but not read
  back is a 403 and rolls back.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from rest_framework.exceptions import ParseError

from fashionos.api.parsers import BoundedJSONParser
from fashionos.errors import Conflict, DomainError, NotAllowed, NotFound, TooLarge
from fashionos.postgrest.errors import (
    MSG_BODY_TOO_LARGE,
    MSG_CHECK,
    MSG_COLUMN_NOT_FOUND,
    MSG_INVALID_BODY,
    MSG_RLS,
    MSG_TOO_MANY_BODY_ROWS,
    MSG_UNIQUE,
    MSG_UNIQUE_DETAILS,
    MSG_WHERE_REQUIRED,
    MSG_WHERE_REQUIRED_HINT,
    PostgrestError,
    body_too_large,
    undefined_column,
)
from fashionos.postgrest.negotiation import Preferences, accept_parse, preferences_parse
from fashionos.postgrest.query import ReadPlan, plan_read
from fashionos.postgrest.reads import matching, page_read
from fashionos.postgrest.responses import content_range, rows_response
from fashionos.principals import Actor, is_service
from fashionos.tables import ColumnNotWritable, Table

MSG_PERMISSION_TABLE = "permission denied for table {table}"
MSG_SERVER_SET = 'column "{column}" of table "{table}" is set by the server'
MSG_NO_UNIQUE = "there is no unique or exclusion constraint matching the ON CONFLICT specification"


# --- Errors from the services, in PostgREST's shape -------------------------------------------


def _rls(table: Table) -> PostgrestError:
    return PostgrestError(403, "42501", MSG_RLS.format(table=table.name))


def _not_permitted(table: Table) -> PostgrestError:
    return PostgrestError(403, "42501", MSG_PERMISSION_TABLE.format(table=table.name))


def _details(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(str(m) for e in errors for m in e.messages)}"
            for field, errors in error.error_dict.items()
        )
    return " ".join(error.messages)


def service_error(table: Table, exc: Exception) -> PostgrestError:
    """A refusal from a registered service as PostgreSQL (through PostgREST) would word it."""
    if isinstance(exc, ColumnNotWritable):
        message = MSG_SERVER_SET.format(column=exc.column, table=table.name)
        return PostgrestError(403, "42501", message)
    if isinstance(exc, ValidationError):
        unknown = getattr(exc, "code", None) == "unknown_column" or (
            hasattr(exc, "error_dict")
            and any(e.code == "unknown_column" for es in exc.error_dict.values() for e in es)
        )
        if unknown:
            column = next(iter(exc.error_dict))
            message = MSG_COLUMN_NOT_FOUND.format(column=column, table=table.name)
            return PostgrestError(400, "PGRST204", message)
        return PostgrestError(
            400, "23514", MSG_CHECK.format(table=table.name), details=_details(exc)
        )
    if isinstance(exc, NotAllowed):
        return PostgrestError(403, "42501", exc.message)
    if isinstance(exc, Conflict):
        return PostgrestError(409, "23505", exc.message, details=exc.code)
    if isinstance(exc, NotFound):
        return PostgrestError(409, "23503", exc.message, details=exc.code)
    if isinstance(exc, TooLarge):
        return PostgrestError(413, "PGRST102", exc.message)
    if isinstance(exc, DomainError):  # InvalidInput and any other rule a service raises
        return PostgrestError(400, "P0001", exc.message, details=exc.code)
    if isinstance(exc, IntegrityError):
        text = str(exc).lower()
        if "unique" in text or "duplicate" in text:
            return PostgrestError(409, "23505", MSG_UNIQUE.format(constraint=table.name))
        if "foreign key" in text:
            return PostgrestError(409, "23503", str(exc).splitlines()[0])
        if "null" in text:
            return PostgrestError(400, "23502", str(exc).splitlines()[0])
        return PostgrestError(400, "23514", MSG_CHECK.format(table=table.name))
    raise exc


_SERVICE_ERRORS = (ValidationError, DomainError, IntegrityError)


# --- The body ----------------------------------------------------------------------------------


def body_rows(request: HttpRequest, *, many: bool) -> list[dict[str, Any]]:
    """The JSON body as a list of objects (an object or, when `many`, an array of objects);
    413 PGRST102 over REST_MAX_BODY_BYTES or REST_MAX_BODY_ROWS, 400 PGRST102 otherwise."""
    limit = settings.REST_MAX_BODY_BYTES
    declared = request.META.get("CONTENT_LENGTH")
    if declared and declared.isdigit() and int(declared) > limit:
        raise body_too_large(MSG_BODY_TOO_LARGE.format(limit=limit))
    raw = request.body
    if len(raw) > limit:
        raise body_too_large(MSG_BODY_TOO_LARGE.format(limit=limit))
    try:
        # The API's own JSON rules: no NaN or Infinity, no number too big for a float, no
        # nesting deep enough to exhaust the parser, no NUL or lone surrogate in a string.
        value = BoundedJSONParser().parse(io.BytesIO(raw))
    except (ParseError, TooLarge) as exc:
        details = str(getattr(exc, "detail", None) or exc)
        raise PostgrestError(400, "PGRST102", MSG_INVALID_BODY, details=details) from None
    rows = value if isinstance(value, list) and many else [value]
    if not all(isinstance(row, dict) for row in rows):
        raise PostgrestError(400, "PGRST102", MSG_INVALID_BODY)
    if len(rows) > settings.REST_MAX_BODY_ROWS:
        limit_rows = settings.REST_MAX_BODY_ROWS
        raise body_too_large(MSG_TOO_MANY_BODY_ROWS.format(count=len(rows), limit=limit_rows))
    return rows


# --- Answers -----------------------------------------------------------------------------------


def _written_response(
    request: HttpRequest,
    plan: ReadPlan,
    actor: Actor,
    prefer: Preferences,
    ids: list[Any],
    *,
    status: int,
) -> HttpResponse:
    """The answer to a write: the rows read back (return=representation), or none (204 for
    PATCH and DELETE, the insert's 201 kept)."""
    table = plan.table
    total = len(ids) if prefer.count else None
    if prefer.returning == "representation":
        representation = accept_parse(request.headers.get("Accept"))
        page = page_read(_returning(plan), actor, first=0, size=len(ids), count=False, ids=ids)
        if len(page.rows) != len(ids):
            raise _rls(table)
        response = rows_response(page, representation, status=status)
    else:
        response = HttpResponse(status=204 if status == 200 else status)
        if prefer.returning == "headers-only" and len(ids) == 1:
            response["Location"] = f"/{table.name}?{table.primary_key}=eq.{ids[0]}"
    if request.method == "POST":
        response["Content-Range"] = f"*/{'*' if total is None else total}"
    else:
        response["Content-Range"] = content_range(0, len(ids), total)
    applied = prefer.applied()
    if applied:
        response["Preference-Applied"] = applied
    return response


def _returning(plan: ReadPlan) -> ReadPlan:
    """The plan that reads written rows back: the select and its embeds, not the filters
    that chose the rows (an update may have moved them out of those)."""
    embeds = [dataclasses.replace(embed, inner=False) for embed in plan.embeds]
    return dataclasses.replace(plan, conditions=[], embeds=embeds)


def _prefer(request: HttpRequest) -> Preferences:
    return preferences_parse(request.headers.get("Prefer", ""))


# --- POST --------------------------------------------------------------------------------------


def insert_response(
    request: HttpRequest, table: Table, actor: Actor, params: list[tuple[str, str]]
) -> HttpResponse:
    """POST: insert one row or an array (all or nothing), or upsert with
    `Prefer: resolution=…` on the primary key or `on_conflict` columns."""
    plan = plan_read(table, params)
    prefer = _prefer(request)
    rows = body_rows(request, many=True)
    if plan.columns is not None:
        rows = [{k: v for k, v in row.items() if k in plan.columns} for row in rows]
    for row in rows:
        for name in row:
            if name not in table.column_names:
                message = MSG_COLUMN_NOT_FOUND.format(column=name, table=table.name)
                raise PostgrestError(400, "PGRST204", message)
    conflict = _conflict_columns(table, plan) if prefer.resolution else None
    try:
        with transaction.atomic():
            if conflict is None:
                _unique_check(table, rows)
            ids, inserted = _rows_write(table, actor, rows, prefer, conflict)
            merged_only = prefer.resolution == "merge-duplicates" and not inserted
            status = 200 if merged_only else 201
            return _written_response(request, plan, actor, prefer, ids, status=status)
    except _SERVICE_ERRORS as exc:
        raise service_error(table, exc) from None


def _conflict_columns(table: Table, plan: ReadPlan) -> tuple[str, ...]:
    columns = plan.on_conflict or (table.primary_key,)
    for name in columns:
        if name not in table.column_names:
            raise undefined_column(table.name, name)
    if frozenset(columns) not in _unique_sets(table):
        raise PostgrestError(400, "42P10", MSG_NO_UNIQUE)
    return columns


def _unique_sets(table: Table) -> set[frozenset[str]]:
    """The column sets a conflict can be detected on: the primary key, unique columns and
    unconditional unique constraints."""
    return {frozenset(columns) for columns, _ in _unique_constraints(table)}


def _unique_check(table: Table, rows: list[dict[str, Any]]) -> None:
    """409 23505 when a row repeats the values of a stored row on a unique set of writable
    columns (the constraint PostgreSQL would report), one statement per constraint."""
    meta = table.model._meta
    for columns, name in _unique_constraints(table):
        if not all(table.column(column).writable for column in columns):
            continue  # a client may not send them: the service refuses the row first
        q = Q()
        for row in rows:
            if all(row.get(column) is not None for column in columns):
                q |= Q(**{table.column(column).attname: row[column] for column in columns})
        if not q:
            continue
        try:
            clash = (
                meta.default_manager.filter(q)
                .values_list(*(table.column(column).attname for column in columns))
                .first()
            )
        except (ValidationError, ValueError, TypeError):
            continue  # not values of the columns' types: the service refuses them
        if clash is not None:
            raise PostgrestError(
                409,
                "23505",
                MSG_UNIQUE.format(constraint=name),
                details=MSG_UNIQUE_DETAILS.format(
                    columns=", ".join(columns), values=", ".join(str(v) for v in clash)
                ),
            )


def _unique_constraints(table: Table) -> list[tuple[tuple[str, ...], str]]:
    """(columns, constraint name) of every unique column set, the primary key first."""
    meta = table.model._meta
    found = [((meta.pk.column,), f"{table.name}_pkey")]
    for model_field in meta.concrete_fields:
        if model_field.unique and not model_field.primary_key:
            found.append(((model_field.column,), f"{table.name}_{model_field.column}_key"))
    for constraint in meta.constraints:
        unique = isinstance(constraint, models.UniqueConstraint)
        if unique and constraint.condition is None and constraint.fields:
            columns = tuple(meta.get_field(f).column for f in constraint.fields)
            found.append((columns, constraint.name))
    return found


def _rows_write(
    table: Table,
    actor: Actor,
    rows: list[dict[str, Any]],
    prefer: Preferences,
    conflict: tuple[str, ...] | None,
) -> tuple[list[Any], int]:
    """Insert (or upsert) every row; the written rows' ids and how many were inserted. An
    array goes to the table's `create_many` when it has one (a bounded number of
    statements), else row by row; either way inside the request's transaction."""
    if conflict is None and table.create_many is not None and len(rows) > 1:
        _insertable_check(table, actor, rows)
        return [row.pk for row in table.create_many(actor=actor, rows=rows)], len(rows)
    existing = _existing(table, rows, conflict) if conflict else {}
    ids: list[Any] = []
    inserted = 0
    for row in rows:
        found = existing.get(_key(row, conflict)) if conflict else None
        if found is None:
            _insertable_check(table, actor, [row])
            ids.append(table.create(actor=actor, data=row).pk)
            inserted += 1
        elif prefer.resolution == "merge-duplicates":
            data = {k: v for k, v in row.items() if k not in conflict}
            ids.append(_update_one(table, actor, found, data).pk)
    return ids, inserted


def _insertable_check(table: Table, actor: Actor, rows: list[dict[str, Any]]) -> None:
    """403 42501 unless the actor may insert every row: `insertable` asked once per
    distinct value of the columns it depends on (`insertable_columns`), else per row."""
    if table.create is None or table.insertable is None:
        raise _not_permitted(table)
    answers: dict[Any, bool] = {}
    for index, row in enumerate(rows):
        if table.insertable_columns is None:
            key: Any = index
        else:
            key = tuple(str(row.get(column)) for column in table.insertable_columns)
        if key not in answers:
            answers[key] = table.insertable(actor, row)
        if not answers[key]:
            raise _rls(table)


def _key(row: Mapping[str, Any], columns: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(str(row.get(name)) for name in columns)


def _existing(
    table: Table, rows: list[dict[str, Any]], columns: tuple[str, ...]
) -> dict[tuple[str, ...], models.Model]:
    """The stored rows the body's rows conflict with (whoever may see them: a conflict is
    a conflict), in one statement."""
    q = Q()
    for row in rows:
        if all(row.get(name) is not None for name in columns):
            q |= Q(**{table.column(name).attname: row[name] for name in columns})
    if not q:
        return {}
    try:
        stored = list(table.model._default_manager.filter(q))
    except (ValidationError, ValueError, TypeError):
        return {}
    return {
        tuple(str(getattr(obj, table.column(n).attname)) for n in columns): obj for obj in stored
    }


def _update_one(
    table: Table, actor: Actor, instance: models.Model, data: Mapping[str, Any]
) -> models.Model:
    """An upsert's update of a stored row: it must be one the caller sees and may change."""
    if table.update is None or table.editable_by is None:
        raise _not_permitted(table)
    if not table.editable_by(actor).filter(pk=instance.pk).exists():
        raise _rls(table)
    if not data:
        return instance
    return table.update(actor=actor, instance=instance, data=data)


# --- PATCH and DELETE --------------------------------------------------------------------------


def _targets(table: Table, actor: Actor, plan: ReadPlan, scope, command: str) -> list[models.Model]:
    """The rows a PATCH or DELETE changes: those its filters match among the visible ones,
    all of which the caller must be allowed to change (403 42501, nothing changed)."""
    if not plan.filtered and not is_service(actor):
        raise PostgrestError(
            400,
            "21000",
            MSG_WHERE_REQUIRED.format(command=command),
            hint=MSG_WHERE_REQUIRED_HINT,
        )
    # Not locked here: each service locks its campaign, then the row, and re-reads it.
    matched = list(matching(plan, actor))
    if not matched:
        return matched
    if scope is None:
        raise _not_permitted(table)
    allowed = set(
        scope(actor).filter(pk__in=[row.pk for row in matched]).values_list("pk", flat=True)
    )
    if len(allowed) != len(matched):
        raise _rls(table)
    return matched


def update_response(
    request: HttpRequest, table: Table, actor: Actor, params: list[tuple[str, str]]
) -> HttpResponse:
    """PATCH: the body's columns set on every row the filters match."""
    plan = plan_read(table, params)
    prefer = _prefer(request)
    (data,) = body_rows(request, many=False)
    for name in data:
        if name not in table.column_names:
            message = MSG_COLUMN_NOT_FOUND.format(column=name, table=table.name)
            raise PostgrestError(400, "PGRST204", message)
    if table.update is None:
        raise _not_permitted(table)
    try:
        with transaction.atomic():
            rows = _targets(table, actor, plan, table.editable_by, "UPDATE")
            ids = [
                (table.update(actor=actor, instance=row, data=data) if data else row).pk
                for row in rows
            ]
            return _written_response(request, plan, actor, prefer, ids, status=200)
    except ObjectDoesNotExist:
        raise _rls(table) from None
    except _SERVICE_ERRORS as exc:
        raise service_error(table, exc) from None


def delete_response(
    request: HttpRequest, table: Table, actor: Actor, params: list[tuple[str, str]]
) -> HttpResponse:
    """DELETE: every row the filters match (answered with the rows as they were, when
    asked)."""
    plan = plan_read(table, params)
    prefer = _prefer(request)
    if table.delete is None:
        raise _not_permitted(table)
    try:
        with transaction.atomic():
            rows = _targets(table, actor, plan, table.deletable_by, "DELETE")
            ids = [row.pk for row in rows]
            before = None
            if prefer.returning == "representation":
                representation = accept_parse(request.headers.get("Accept"))
                before = page_read(
                    _returning(plan), actor, first=0, size=len(ids), count=False, ids=ids
                )
            for row in rows:
                table.delete(actor=actor, instance=row)
            if before is not None:
                response = rows_response(before, representation, status=200)
                response["Content-Range"] = content_range(
                    0, len(ids), len(ids) if prefer.count else None
                )
                if prefer.applied():
                    response["Preference-Applied"] = prefer.applied()
                return response
            return _written_response(request, plan, actor, prefer, ids, status=200)
    except ObjectDoesNotExist:
        return _written_response(request, plan, actor, prefer, [], status=200)
    except _SERVICE_ERRORS as exc:
        raise service_error(table, exc) from None
