"""OpenAPI documentation shared by every endpoint of our REST API.

- `ErrorEnvelope`: the one error shape (`fashionos.api.errors`), as a schema component.
- `ApiAutoSchema`: adds the error responses an operation can give (400, 401, 403, 404, 413)
  to whatever the view documents, so no view has to list them by hand.
- `BearerTokenScheme`: documents `Authorization: Bearer <token>` as a security scheme.
- `single_name_components`: a postprocessing hook that gives every component one meaningful
  name for generated clients (`ChatRequest`, not `ChatRequestRequest`).
"""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorEnvelopeSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="A human-readable message.")
    code = serializers.CharField(help_text="A machine code, e.g. VALIDATION_ERROR.")
    details = serializers.DictField(
        required=False,
        help_text="Per-field messages, when the error is about specific fields.",
    )

    class Meta:
        ref_name = "ErrorEnvelope"


def error(description: str) -> OpenApiResponse:
    """An error response documented with the envelope (for `extend_schema(responses=...)`)."""
    return OpenApiResponse(ErrorEnvelopeSerializer, description=description)


_DESCRIPTIONS = {
    "400": "The request is not valid (details per field).",
    "401": "No token, or an invalid or expired token.",
    "403": "The caller may see the resource but not do this.",
    "404": "Not found, or not visible to the caller (on a list: a page past the end).",
    "413": "The request body is too large.",
}
_BODY_METHODS = ("POST", "PUT", "PATCH")


class ApiAutoSchema(AutoSchema):
    """AutoSchema that documents the envelope for every error an operation can answer, the
    output serializer (`view.output_serializer_class`) as the reply of a write whose body has
    its own input serializer, and tags each operation with its resource (`/api/v1/<tag>/…`)."""

    def get_tags(self) -> list[str]:
        parts = [part for part in self.path.split("/") if part]
        if parts[:2] == ["api", "v1"] and len(parts) > 2:
            return [parts[2]]
        return super().get_tags()

    def get_response_serializers(self):
        output = getattr(self.view, "output_serializer_class", None)
        if output is not None and self.method in _BODY_METHODS:
            return output
        return super().get_response_serializers()

    def _error_codes(self) -> list[str]:
        codes = ["400"]
        if not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes += ["401", "403"]
        if "{" in self.path or (self.method == "GET" and self._is_list_view()):
            codes.append("404")  # a row not visible, or a page past the end of a list
        if self.method in _BODY_METHODS:
            codes.append("413")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    error(_DESCRIPTIONS[code]), code, direction=direction
                )
        return responses


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "fashionos.accounts.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="HTTP_AUTHORIZATION", token_prefix="Bearer", bearer_format="JWT"
        )


# COMPONENT_SPLIT_REQUEST appends "Request" to the component of every serializer read from a
# body, so an input serializer named for what it is (`ChatRequest`, `CampaignInput`) would
# come out doubled: `ChatRequestRequest`, `CampaignInputRequest`.
_DOUBLED = re.compile(r"(Request|Input)Request$")
_REF_PREFIX = "#/components/schemas/"


def single_component_name(name: str) -> str:
    """`name` without a doubled request suffix or a leading underscore."""
    return _DOUBLED.sub("Request", name).lstrip("_")


def single_name_components(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook: rename the schema components whose names are
    doubled (see `single_component_name`) and every reference to them. Refuses (ValueError)
    a renaming that would make two components one."""
    schemas = result.get("components", {}).get("schemas", {})
    renames = {name: single_component_name(name) for name in schemas}
    renames = {old: new for old, new in renames.items() if old != new}
    if not renames:
        return result
    kept = set(schemas) - set(renames)
    targets = list(renames.values())
    clashes = {new for new in targets if new in kept or targets.count(new) > 1}
    if clashes:
        raise ValueError(f"schema components would share a name: {sorted(clashes)}")
    result["components"]["schemas"] = {
        renames.get(name, name): body for name, body in schemas.items()
    }
    refs = {_REF_PREFIX + old: _REF_PREFIX + new for old, new in renames.items()}
    return _replace_refs(result, refs)


def _replace_refs(node: Any, refs: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {
            key: refs.get(value, value)
            if key == "$ref" and isinstance(value, str)
            else _replace_refs(value, refs)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_replace_refs(item, refs) for item in node]
    return node
