"""OpenAPI documentation shared by every endpoint of our REST API.

- `ErrorEnvelope`: the one error shape (`fashionos.api.errors`), as a schema component.
- `ApiAutoSchema`: adds the error responses an operation can give (400, 401, 403, 404, 413)
  to whatever the view documents, so no view has to list them by hand.
- `BearerTokenScheme`: documents `Authorization: Bearer <token>` as a security scheme.
"""

from __future__ import annotations

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
