"""Sign-in endpoints.

`/auth/v1/*` speaks GoTrue (Supabase Auth), so the official supabase-js and supabase-py
clients sign in unchanged: GoTrue's request and response shapes and its error shape
(`{"code", "error_code", "msg"}`). `/api/v1/auth/*` is the plainer pair for our own REST API;
it issues the same tokens and answers errors in the API's envelope.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from fashionos.accounts.models import User
from fashionos.accounts.services import (
    IssuedSession,
    SessionError,
    session_refresh,
    session_sign_in,
    session_sign_out,
)
from fashionos.api.schema import error
from fashionos.errors import NotAuthenticated
from fashionos.principals import role_of

GRANT_TYPES = ("password", "refresh_token")
SIGN_OUT_SCOPES = ("local", "global", "others")


def _iso(value) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def gotrue_user(user: User) -> dict:
    """A user as GoTrue describes one."""
    described = {
        "id": str(user.pk),
        "aud": "authenticated",
        "role": "authenticated",
        "email": user.email,
        "email_confirmed_at": _iso(user.email_confirmed_at),
        "phone": "",
        "confirmed_at": _iso(user.email_confirmed_at),
        "last_sign_in_at": _iso(user.last_login),
        "app_metadata": {"provider": "email", "providers": ["email"], "role": role_of(user)},
        "user_metadata": user.metadata(),
        "identities": [],
        "created_at": _iso(user.date_joined),
        "updated_at": _iso(user.date_joined),
        "is_anonymous": False,
    }
    if user.email_change:
        described["new_email"] = user.email_change
    return described


def gotrue_session(issued: IssuedSession) -> dict:
    return {
        "access_token": issued.access_token,
        "token_type": "bearer",
        "expires_in": issued.expires_in,
        "expires_at": int(issued.expires_at.timestamp()),
        "refresh_token": issued.refresh_token,
        "user": gotrue_user(issued.user),
    }


def gotrue_error(http_status: int, error_code: str, message: str) -> Response:
    return Response(
        {"code": http_status, "error_code": error_code, "msg": message}, status=http_status
    )


class PasswordGrantSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=1024, trim_whitespace=False)


class RefreshGrantSerializer(serializers.Serializer):
    refresh_token = serializers.CharField(max_length=512)


_SESSION_SCHEMA = inline_serializer(
    "GoTrueSession",
    {
        "access_token": serializers.CharField(),
        "token_type": serializers.CharField(),
        "expires_in": serializers.IntegerField(),
        "expires_at": serializers.IntegerField(),
        "refresh_token": serializers.CharField(),
        "user": serializers.DictField(),
    },
)
_GOTRUE_ERROR_SCHEMA = inline_serializer(
    "GoTrueError",
    {
        "code": serializers.IntegerField(),
        "error_code": serializers.CharField(),
        "msg": serializers.CharField(),
    },
)


# GoTrue's error codes for the errors the API's exception handler renders.
_GOTRUE_CODES = {
    "MALFORMED_REQUEST": "bad_json",
    "PAYLOAD_TOO_LARGE": "request_too_large",
    "THROTTLED": "over_request_rate_limit",
}
_KEPT_HEADERS = ("WWW-Authenticate", "Retry-After", "Allow")


class GoTrueErrorsMixin:
    """Every error of a GoTrue endpoint in GoTrue's shape (the API's exception handler renders
    the envelope), keeping the challenge, Retry-After and Allow headers."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        data = response.data if isinstance(response.data, dict) else {}
        if response.status_code in (401, 403):
            error_code, message = "bad_jwt", data.get("error", "Invalid JWT")
        elif response.status_code == 429:
            error_code, message = "over_request_rate_limit", "Request rate limit reached"
        else:
            code = str(data.get("code", "unexpected_failure"))
            error_code, message = _GOTRUE_CODES.get(code, code.lower()), data.get("error", "")
        gotrue = gotrue_error(response.status_code, error_code, message)
        for header in _KEPT_HEADERS:
            if header in response:
                gotrue[header] = response[header]
        return gotrue


class AuthThrottleMixin:
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


class GoTrueTokenView(GoTrueErrorsMixin, AuthThrottleMixin, APIView):
    """`POST /auth/v1/token?grant_type=password|refresh_token`."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["auth (GoTrue)"],
        parameters=[OpenApiParameter("grant_type", str, enum=GRANT_TYPES, required=True)],
        request=PasswordGrantSerializer,
        responses={200: _SESSION_SCHEMA, 400: _GOTRUE_ERROR_SCHEMA, 429: _GOTRUE_ERROR_SCHEMA},
    )
    def post(self, request):
        grant_type = request.query_params.get("grant_type")
        if grant_type not in GRANT_TYPES:
            return gotrue_error(400, "unsupported_grant_type", "Unsupported grant type")
        if not isinstance(request.data, dict):
            return gotrue_error(400, "validation_failed", "The body must be a JSON object")
        try:
            if grant_type == "password":
                form = PasswordGrantSerializer(data=request.data)
                if not form.is_valid():
                    return gotrue_error(400, "validation_failed", _first_error(form.errors))
                issued = session_sign_in(
                    email=form.validated_data["email"],
                    password=form.validated_data["password"],
                    user_agent=request.META.get("HTTP_USER_AGENT", ""),
                    request=request,
                )
            else:
                form = RefreshGrantSerializer(data=request.data)
                if not form.is_valid():
                    return gotrue_error(400, "validation_failed", _first_error(form.errors))
                issued = session_refresh(refresh_token=form.validated_data["refresh_token"])
        except SessionError as exc:
            return gotrue_error(400, exc.code, exc.message)
        return Response(gotrue_session(issued))


class GoTrueLogoutView(GoTrueErrorsMixin, APIView):
    """`POST /auth/v1/logout?scope=local|global|others`: revoke the session's refresh tokens.
    Access tokens already issued in that session stop working too."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["auth (GoTrue)"],
        parameters=[OpenApiParameter("scope", str, enum=SIGN_OUT_SCOPES)],
        request=None,
        responses={
            204: None,
            400: _GOTRUE_ERROR_SCHEMA,
            401: _GOTRUE_ERROR_SCHEMA,
            403: _GOTRUE_ERROR_SCHEMA,
        },
    )
    def post(self, request):
        scope = request.query_params.get("scope", "local")
        if scope not in SIGN_OUT_SCOPES:
            return gotrue_error(400, "validation_failed", "Unsupported logout scope")
        if not isinstance(request.user, User) or request.auth is None:
            return gotrue_error(403, "bad_jwt", "This endpoint requires a user's access token")
        session_sign_out(session_id=request.auth.session_id, user=request.user, scope=scope)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _first_error(errors) -> str:
    for field, messages in errors.items():
        return f"{field}: {messages[0]}"
    return "Invalid request"


# --- The plainer pair for our own REST API, in the API's error envelope ----------------------


class TokenResponseSerializer(serializers.Serializer):
    access_token = serializers.CharField()
    token_type = serializers.CharField()
    expires_in = serializers.IntegerField()
    expires_at = serializers.IntegerField()
    refresh_token = serializers.CharField()
    user = serializers.DictField()


class ApiTokenView(AuthThrottleMixin, APIView):
    """`POST /api/v1/auth/token {email, password}`: sign in."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["auth"],
        request=PasswordGrantSerializer,
        responses={
            200: TokenResponseSerializer,
            400: error("The body is not valid."),
            401: error("Invalid login credentials."),
            429: error("Too many sign-in attempts; see Retry-After."),
        },
    )
    def post(self, request):
        form = PasswordGrantSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            issued = session_sign_in(
                email=form.validated_data["email"],
                password=form.validated_data["password"],
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
                request=request,
            )
        except SessionError as exc:
            raise NotAuthenticated(exc.message, code="INVALID_CREDENTIALS") from None
        return Response(gotrue_session(issued))


class ApiRefreshView(AuthThrottleMixin, APIView):
    """`POST /api/v1/auth/refresh {refresh_token}`: rotate the refresh token."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["auth"],
        request=RefreshGrantSerializer,
        responses={
            200: TokenResponseSerializer,
            400: error("The body is not valid."),
            401: error("The refresh token is unknown, expired, revoked or already used."),
            429: error("Too many attempts; see Retry-After."),
        },
    )
    def post(self, request):
        form = RefreshGrantSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            issued = session_refresh(refresh_token=form.validated_data["refresh_token"])
        except SessionError as exc:
            raise NotAuthenticated(exc.message, code=exc.code.upper()) from None
        return Response(gotrue_session(issued))


__all__ = [
    "ApiRefreshView",
    "ApiTokenView",
    "GoTrueLogoutView",
    "GoTrueTokenView",
]
