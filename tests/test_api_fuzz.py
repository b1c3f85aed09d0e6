"""Schema-driven fuzzing (schemathesis) of every operation of the REST API, with the service
key and with a user's token: generated valid and invalid requests (wrong types, unknown enum
values, missing fields, malformed ids) must never get a 5xx, and every reply must match the
schema. Each request runs in a savepoint that is rolled back, so a DELETE does not starve the
examples after it; path ids are tried both as generated and replaced by real rows' ids, so the
fuzzer also reaches the code behind the 404.

Two phases: the coverage phase sends, for every documented field, its boundary values and
each wrong type (once per case, by the campaign's owner); then FUZZ_MAX_EXAMPLES random
examples per operation (environment variable, default 25) are sent by both callers. Bounded
so the file runs in CI in well under three minutes (FUZZ_COVERAGE=0 skips the coverage
phase). What the schema does not describe, the fields inside the analyzers' and the chat's
inline lists, is covered by hand in test_wrong_types.py.
"""

from __future__ import annotations

import os
import re

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.meta import TestPhase
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from fashionos.accounts.tokens import api_key_issue
from fashionos.testing.clients import access_token_for
from tests.world import world_create

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "25"))
# The coverage phase sends, for every documented field, the boundary values and each wrong
# type the schema excludes (a list where a string goes, null, a number out of range...): the
# cases random generation reaches rarely. On by default; FUZZ_COVERAGE=0 turns it off.
COVERAGE = os.environ.get("FUZZ_COVERAGE", "1") != "0"
# Every operation: never a 5xx. The resources of the REST API issue (whose schema documents
# every error through fashionos.api.schema.ApiAutoSchema): also statuses, content types and
# bodies exactly as documented.
SERVER_CHECKS = [not_a_server_error]
CONFORMANCE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
CONFORMING_PATHS = re.compile(
    r"^/api/v1/(campaigns|samples|tasks|assets|invitations|analytics|"
    r"assistant/(conversations|insights|preferences))(/|$)"
)

# The resource each path's `{id}` names, for substituting a real row.
_ID_OF = {
    "campaigns": "campaign",
    "members": "editor_member",
    "samples": "sample",
    "tasks": "task",
    "assets": "asset",
    "conversations": "owner_conversation",
    "insights": "owner_insight",
    "invitations": "invitation",
}


@pytest.fixture
def wsgi_keeps_the_connection():
    """Django closes "old" connections around each WSGI request, which would end the test's
    transaction (on PostgreSQL); the test client disconnects the same signals."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def api_schema(wsgi_keeps_the_connection):
    config = schemathesis.Config.from_dict(
        {
            "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
            "phases": {"coverage": {"enabled": COVERAGE}},
        }
    )
    return schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler(), config=config)


@pytest.fixture
def fuzz_callers(cast, wsgi_keeps_the_connection):
    """Headers for the service role and for the campaign's owner, and the ids of real rows."""
    world = world_create(cast, "owner")
    return world.ids, [
        {"Authorization": f"Bearer {api_key_issue(role='service_role')}"},
        {"Authorization": f"Bearer {access_token_for(cast.owner)}"},
    ]


def _with_real_ids(case, ids) -> bool:
    params = dict(case.path_parameters or {})
    if not params:
        return False
    if "campaign_pk" in params:
        params["campaign_pk"] = ids["campaign"]
    if "id" in params:
        segments = case.operation.path.rstrip("/").split("/")
        resource = segments[segments.index("{id}") - 1]  # also for …/{id}/feedback, /accept
        params["id"] = ids[_ID_OF[resource]]
    case.path_parameters = params
    return True


def _is_coverage_case(case) -> bool:
    meta = getattr(case, "meta", None)
    return meta is not None and meta.phase.name == TestPhase.COVERAGE


def _call(case, headers) -> None:
    with transaction.atomic():
        response = case.call(headers=headers)
        conforming = CONFORMING_PATHS.match(case.operation.path)
        case.validate_response(response, checks=CONFORMANCE_CHECKS if conforming else SERVER_CHECKS)
        transaction.set_rollback(True)


# Our REST API only: the sign-in endpoints (GoTrue's shapes, throttled, password hashing) have
# their own tests.
schema = schemathesis.pytest.from_fixture("api_schema").include(path_regex=r"^/api/v1/(?!auth/)")


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_never_answers_5xx(case, fuzz_callers):
    ids, callers = fuzz_callers
    if _is_coverage_case(case):
        # Thousands of these, each varying one field: sent once, by the owner (the caller
        # whose checks run furthest), to a real row unless the path id is what varies.
        varies_path = case.meta.phase.data.parameter_location == ParameterLocation.PATH
        if not varies_path:
            _with_real_ids(case, ids)
        _call(case, callers[-1])
        return
    for headers in callers:
        _call(case, headers)
    if _with_real_ids(case, ids):
        for headers in callers:
            _call(case, headers)
