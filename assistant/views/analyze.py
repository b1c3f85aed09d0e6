"""The analyzer endpoints: `/api/v1/assistant/analyze/*`, `/api/v1/assistant/recommendations`,
and the same handlers at the original edge functions' paths under `/functions/v1/`.

Each takes either a `campaignId` (read with the caller's permissions: someone else's campaign
is a 404) or the inline lists in the original camelCase shape, and answers the analysis with
`cached: true|false`.
"""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from assistant.analysis_input import AnalysisInput, campaign_input
from assistant.analysis_runs import (
    events_analysis,
    logistics_analysis,
    media_analysis,
    recommendations_analysis,
)
from assistant.inline_inputs import (
    InputErrors,
    assets_parse,
    date_parse,
    datetime_parse,
    samples_parse,
    tasks_parse,
)
from fashionos.api.schema import ApiAutoSchema, error
from fashionos.errors import InvalidInput
from logistics.analysis.logistics_analyzer import ANALYSIS_TYPES

MSG_BODY_OBJECT = "The body must be a JSON object."
MSG_EITHER = "Send either campaignId or the inline lists, not both."
MSG_NEED_INPUT = "Send a campaignId, or the inline {fields} to analyse."
MSG_CAMPAIGN_ID = "Must be a valid UUID."


def _body(request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise InvalidInput(MSG_BODY_OBJECT)
    return request.data


def _campaign_id(value: Any, field: str = "campaignId") -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        raise InvalidInput(
            f"{field}: {MSG_CAMPAIGN_ID}",
            details={field: [MSG_CAMPAIGN_ID]},
        ) from None


def analysis_source(
    request: Request,
    body: dict[str, Any],
    *,
    inline: tuple[str, ...],
    required: tuple[str, ...],
    campaign_id: Any = None,
) -> AnalysisInput:
    """Build the input from `campaignId` or from the inline lists named in `inline` (of which
    those in `required` must be present)."""
    campaign_id = campaign_id if campaign_id is not None else body.get("campaignId")
    present = [name for name in inline if body.get(name) is not None]
    errors = InputErrors()
    shoot_date = date_parse(body.get("shootDate"), "shootDate", errors)
    errors.raise_if_any()
    if campaign_id is not None:
        if present:
            raise InvalidInput(
                MSG_EITHER,
                details={name: [MSG_EITHER] for name in ("campaignId", *present)},
            )
        return campaign_input(
            actor=request.user, campaign_id=_campaign_id(campaign_id), shoot_date=shoot_date
        )
    missing = [name for name in required if body.get(name) is None]
    if missing or not present:
        message = MSG_NEED_INPUT.format(fields=" and ".join(required or inline))
        raise InvalidInput(
            message,
            details={name: ["This field is required."] for name in (missing or ["campaignId"])},
        )
    parsers = {"sampleList": samples_parse, "tasks": tasks_parse, "assets": assets_parse}
    lists = {name: parsers[name](body[name]) for name in present}
    return AnalysisInput(
        samples=lists.get("sampleList", [] if "sampleList" in inline else None),
        tasks=lists.get("tasks", [] if "tasks" in inline else None),
        assets=lists.get("assets", [] if "assets" in inline else None),
        shoot_date=shoot_date,
    )


def _reply(result) -> Response:
    return Response({**result.data, "cached": result.cached})


_SAMPLE_LIST = serializers.ListField(
    child=serializers.DictField(),
    required=False,
    max_length=10_000,
    help_text="Samples: {id, name, status, category, isHero, priority, eta?, arrivedAt?, "
    "designer?, courier?, trackingNumber?}",
)
_TASKS = serializers.ListField(
    child=serializers.DictField(),
    required=False,
    max_length=2_000,
    help_text="Tasks: {id, title, status, durationMinutes, dependsOn[], assignee?, "
    "earliestStart?, deadline?}",
)
_ASSETS = serializers.ListField(
    child=serializers.DictField(),
    required=False,
    max_length=2_000,
    help_text="Assets: {id, title, kind, status, width?, height?, durationSeconds?, "
    "targetChannels[], featuredSampleIds[], rightsExpireAt?}",
)
_ANALYSIS_RESULT = inline_serializer(
    "AnalysisResult",
    {
        "cached": serializers.BooleanField(
            help_text="True when the answer came from the insight cache."
        )
    },
)
_NOT_VISIBLE = error("The campaign does not exist or is not visible to the caller.")


_THROTTLED = error("Too many analyzer requests; see Retry-After.")


class AnalyzerView(APIView):
    """An analyzer endpoint: throttled per caller like the chat (`ANALYZER_THROTTLE_RATE`),
    since each request may compute a whole analysis; its schema documents the error envelope
    of every error it can answer (400, 401, 413, ...)."""

    schema = ApiAutoSchema()
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "analyzer"


class LogisticsAnalyzeView(AnalyzerView):
    """Readiness, blockers and batching of a campaign's samples."""

    @extend_schema(
        tags=["analyzers"],
        request=inline_serializer(
            "LogisticsAnalyzeRequest",
            {
                "campaignId": serializers.UUIDField(required=False),
                "sampleList": _SAMPLE_LIST,
                "analysisType": serializers.ChoiceField(choices=ANALYSIS_TYPES, default="all"),
            },
        ),
        responses={200: _ANALYSIS_RESULT, 404: _NOT_VISIBLE, 429: _THROTTLED},
    )
    def post(self, request: Request) -> Response:
        body = _body(request)
        source = analysis_source(request, body, inline=("sampleList",), required=("sampleList",))
        analysis_type = body.get("analysisType", "all")
        return _reply(
            logistics_analysis(actor=request.user, source=source, analysis_type=analysis_type)
        )


class EventsAnalyzeView(AnalyzerView):
    """Critical path, a conflict-free schedule, tasks at risk and assignee conflicts."""

    @extend_schema(
        tags=["analyzers"],
        request=inline_serializer(
            "EventsAnalyzeRequest",
            {
                "campaignId": serializers.UUIDField(required=False),
                "tasks": _TASKS,
                "startAt": serializers.DateTimeField(required=False),
            },
        ),
        responses={200: _ANALYSIS_RESULT, 404: _NOT_VISIBLE, 429: _THROTTLED},
    )
    def post(self, request: Request) -> Response:
        body = _body(request)
        errors = InputErrors()
        start = datetime_parse(body.get("startAt"), "startAt", errors)
        errors.raise_if_any()
        source = analysis_source(request, body, inline=("tasks",), required=("tasks",))
        return _reply(events_analysis(actor=request.user, source=source, start=start))


class MediaAnalyzeView(AnalyzerView):
    """Scores per asset, the best channels for each, and coverage gaps."""

    @extend_schema(
        tags=["analyzers"],
        request=inline_serializer(
            "MediaAnalyzeRequest",
            {
                "campaignId": serializers.UUIDField(required=False),
                "assets": _ASSETS,
                "sampleList": _SAMPLE_LIST,
                "shootDate": serializers.DateField(required=False),
            },
        ),
        responses={200: _ANALYSIS_RESULT, 404: _NOT_VISIBLE, 429: _THROTTLED},
    )
    def post(self, request: Request) -> Response:
        body = _body(request)
        source = analysis_source(
            request, body, inline=("assets", "sampleList"), required=("assets",)
        )
        return _reply(media_analysis(actor=request.user, source=source))


_RECOMMENDATIONS_REQUEST = inline_serializer(
    "RecommendationsRequest",
    {
        "campaignId": serializers.UUIDField(required=False),
        "sampleList": _SAMPLE_LIST,
        "tasks": _TASKS,
        "assets": _ASSETS,
        "shootDate": serializers.DateField(required=False),
    },
)


class RecommendationsView(AnalyzerView):
    """The next actions across logistics, events and media, most severe first."""

    @extend_schema(
        tags=["analyzers"],
        parameters=[OpenApiParameter("campaign", uuid.UUID, required=True)],
        responses={200: _ANALYSIS_RESULT, 404: _NOT_VISIBLE, 429: _THROTTLED},
    )
    def get(self, request: Request) -> Response:
        campaign_id = request.query_params.get("campaign")
        if not campaign_id:
            raise InvalidInput(
                "campaign: This query parameter is required.",
                details={"campaign": ["This query parameter is required."]},
            )
        source = campaign_input(
            actor=request.user, campaign_id=_campaign_id(campaign_id, "campaign")
        )
        return _reply(recommendations_analysis(actor=request.user, source=source))

    @extend_schema(
        tags=["analyzers"],
        request=_RECOMMENDATIONS_REQUEST,
        responses={200: _ANALYSIS_RESULT, 404: _NOT_VISIBLE, 429: _THROTTLED},
    )
    def post(self, request: Request) -> Response:
        body = _body(request)
        source = analysis_source(
            request, body, inline=("sampleList", "tasks", "assets"), required=()
        )
        return _reply(recommendations_analysis(actor=request.user, source=source))
