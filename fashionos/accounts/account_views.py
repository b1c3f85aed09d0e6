"""GoTrue's account calls: `POST /auth/v1/signup`, `GET|PUT /auth/v1/user`,
`POST /auth/v1/recover`, `GET|POST /auth/v1/verify`, in GoTrue's request, response and error
shapes, so supabase-js' `signUp`, `getUser`, `updateUser`, `resetPasswordForEmail` and
`verifyOtp` (and the link in the e-mail) work unchanged. The work is done by
`fashionos/accounts/account.py`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from fashionos.accounts.account import (
    AccountError,
    Mailing,
    account_recovery_request,
    account_sign_up,
    account_update,
    account_verify,
    redirect_allowed,
)
from fashionos.accounts.models import OneTimeToken, User
from fashionos.accounts.views import (
    AuthThrottleMixin,
    GoTrueErrorsMixin,
    gotrue_error,
    gotrue_session,
    gotrue_user,
)

# What `type` names, as supabase-js sends it, to the token it spends (`email` is GoTrue's
# e-mail OTP, here the sign-up confirmation).
VERIFY_TYPES = {
    "signup": OneTimeToken.Purpose.SIGNUP,
    "email": OneTimeToken.Purpose.SIGNUP,
    "recovery": OneTimeToken.Purpose.RECOVERY,
    "email_change": OneTimeToken.Purpose.EMAIL_CHANGE,
}

MSG_NOT_OBJECT = "The body must be a JSON object"
MSG_EMAIL_REQUIRED = "An email address is required"
MSG_EMAIL_INVALID = "Unable to validate email address: invalid format"
MSG_PASSWORD_REQUIRED = "Signup requires a valid password"
MSG_DATA_NOT_OBJECT = "data must be a JSON object"
MSG_PKCE_UNSUPPORTED = "The PKCE flow is not supported: use the implicit flow"
MSG_RECOVER_EMAIL = "Password recovery requires an email"
MSG_VERIFY_TYPE = "Verify requires a verification type"
MSG_VERIFY_TYPE_UNSUPPORTED = "Unsupported verification type"
MSG_VERIFY_TOKEN = "Verify requires either a token or a token hash"
MSG_VERIFY_EMAIL = "Only an email address or phone number should be provided on verify"
MSG_VERIFY_HASH_ONLY = "Only the token_hash and type should be provided"
MSG_USER_TOKEN = "This endpoint requires a user's access token"

_GOTRUE_ERROR_SCHEMA = inline_serializer(
    "GoTrueAccountError",
    {
        "code": serializers.IntegerField(),
        "error_code": serializers.CharField(),
        "msg": serializers.CharField(),
    },
)
_REDIRECT_TO = OpenApiParameter("redirect_to", str, description="Where the e-mailed link lands.")


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _account_error(error: AccountError) -> Response:
    reply = gotrue_error(error.status, error.code, error.message)
    if error.reasons:
        reply.data["weak_password"] = {"reasons": error.reasons}
    return reply


def _body(request) -> dict:
    if not isinstance(request.data, dict):
        raise _Refused(MSG_NOT_OBJECT)
    return request.data


def _text(body: dict, name: str, *, limit: int = 1024) -> str:
    value = body.get(name)
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        raise _Refused(f"{name} must be a string of at most {limit} characters")
    return value


def _email(body: dict, *, required_message: str = MSG_EMAIL_REQUIRED) -> str:
    email = _text(body, "email", limit=254).strip()
    if not email:
        raise _Refused(required_message)
    try:
        serializers.EmailField(max_length=254).run_validation(email)
    except serializers.ValidationError:
        raise _Refused(MSG_EMAIL_INVALID) from None
    return email


def _metadata(body: dict) -> dict | None:
    data = body.get("data")
    if data is not None and not isinstance(data, dict):
        raise _Refused(MSG_DATA_NOT_OBJECT)
    return data


def _no_pkce(body: dict) -> None:
    if body.get("code_challenge"):
        raise _Refused(MSG_PKCE_UNSUPPORTED)


def _mailing(request) -> Mailing:
    return Mailing(
        verify_url=request.build_absolute_uri(reverse("gotrue-verify")),
        redirect_to=redirect_allowed(request.query_params.get("redirect_to")),
    )


def _user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")


class GoTrueSignupView(GoTrueErrorsMixin, AuthThrottleMixin, APIView):
    """`POST /auth/v1/signup {email, password, data}`: a session when the user is confirmed at
    once, else the user awaiting the e-mailed confirmation."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["auth (GoTrue)"],
        parameters=[_REDIRECT_TO],
        request=inline_serializer(
            "GoTrueSignup",
            {
                "email": serializers.EmailField(),
                "password": serializers.CharField(),
                "data": serializers.DictField(required=False),
            },
        ),
        responses={
            200: dict,
            400: _GOTRUE_ERROR_SCHEMA,
            422: _GOTRUE_ERROR_SCHEMA,
            429: _GOTRUE_ERROR_SCHEMA,
        },
    )
    def post(self, request):
        try:
            body = _body(request)
            _no_pkce(body)
            email = _email(body)
            password = _text(body, "password")
            if not password:
                raise _Refused(MSG_PASSWORD_REQUIRED)
            data = _metadata(body) or {}
            signed_up = account_sign_up(
                email=email,
                password=password,
                data=data,
                mailing=_mailing(request),
                user_agent=_user_agent(request),
            )
        except _Refused as refused:
            return gotrue_error(400, "validation_failed", refused.message)
        except AccountError as error:
            return _account_error(error)
        if signed_up.session is not None:
            return Response(gotrue_session(signed_up.session))
        described = gotrue_user(signed_up.user)
        described["confirmation_sent_at"] = described["created_at"]
        return Response(described)


class GoTrueUserView(GoTrueErrorsMixin, APIView):
    """`GET /auth/v1/user`: the signed-in user. `PUT /auth/v1/user {data, email, password}`:
    change them (a new address waits for its e-mailed confirmation; a new password ends the
    user's other sessions)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["auth (GoTrue)"],
        responses={200: dict, 401: _GOTRUE_ERROR_SCHEMA, 403: _GOTRUE_ERROR_SCHEMA},
    )
    def get(self, request):
        if not isinstance(request.user, User):
            return gotrue_error(403, "bad_jwt", MSG_USER_TOKEN)
        return Response(gotrue_user(request.user))

    @extend_schema(
        tags=["auth (GoTrue)"],
        parameters=[_REDIRECT_TO],
        request=inline_serializer(
            "GoTrueUserUpdate",
            {
                "email": serializers.EmailField(required=False),
                "password": serializers.CharField(required=False),
                "data": serializers.DictField(required=False),
            },
        ),
        responses={
            200: dict,
            400: _GOTRUE_ERROR_SCHEMA,
            401: _GOTRUE_ERROR_SCHEMA,
            403: _GOTRUE_ERROR_SCHEMA,
            422: _GOTRUE_ERROR_SCHEMA,
        },
    )
    def put(self, request):
        if not isinstance(request.user, User):
            return gotrue_error(403, "bad_jwt", MSG_USER_TOKEN)
        try:
            body = _body(request)
            _no_pkce(body)
            email = _email(body) if body.get("email") else None
            password = body.get("password")
            if password is not None:
                password = _text(body, "password")
            user = account_update(
                user=request.user,
                session_id=getattr(request.auth, "session_id", None),
                mailing=_mailing(request),
                email=email,
                password=password,
                data=_metadata(body),
            )
        except _Refused as refused:
            return gotrue_error(400, "validation_failed", refused.message)
        except AccountError as error:
            return _account_error(error)
        described = gotrue_user(user)
        if user.email_change and email:
            described["email_change_sent_at"] = _now_iso()
        return Response(described)


def _now_iso() -> str:
    return timezone.now().isoformat().replace("+00:00", "Z")


class GoTrueRecoverView(GoTrueErrorsMixin, AuthThrottleMixin, APIView):
    """`POST /auth/v1/recover {email}`: e-mail a recovery link and code. Answers `{}` whether
    or not the address has an account."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["auth (GoTrue)"],
        parameters=[_REDIRECT_TO],
        request=inline_serializer("GoTrueRecover", {"email": serializers.EmailField()}),
        responses={200: dict, 400: _GOTRUE_ERROR_SCHEMA, 429: _GOTRUE_ERROR_SCHEMA},
    )
    def post(self, request):
        try:
            body = _body(request)
            _no_pkce(body)
            email = _email(body, required_message=MSG_RECOVER_EMAIL)
        except _Refused as refused:
            return gotrue_error(400, "validation_failed", refused.message)
        account_recovery_request(email=email, mailing=_mailing(request))
        return Response({})


class GoTrueVerifyView(GoTrueErrorsMixin, AuthThrottleMixin, APIView):
    """`POST /auth/v1/verify {type, token, email} | {type, token_hash}`: spend an e-mailed
    token and answer a session. `GET /auth/v1/verify?token&type&redirect_to` (the e-mailed
    link): the same, then redirect to the frontend with the session (or the error) in the
    fragment, as GoTrue does."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["auth (GoTrue)"],
        request=inline_serializer(
            "GoTrueVerify",
            {
                "type": serializers.ChoiceField(choices=sorted(VERIFY_TYPES)),
                "token": serializers.CharField(required=False),
                "token_hash": serializers.CharField(required=False),
                "email": serializers.EmailField(required=False),
            },
        ),
        responses={
            200: dict,
            400: _GOTRUE_ERROR_SCHEMA,
            403: _GOTRUE_ERROR_SCHEMA,
            429: _GOTRUE_ERROR_SCHEMA,
        },
    )
    def post(self, request):
        try:
            body = _body(request)
            purpose = _verify_type(_text(body, "type", limit=32))
            token, token_hash = _text(body, "token", limit=32), _text(body, "token_hash")
            if bool(token) == bool(token_hash):
                raise _Refused(MSG_VERIFY_TOKEN)
            if token_hash and (body.get("email") or body.get("phone")):
                raise _Refused(MSG_VERIFY_HASH_ONLY)
            email = _email(body, required_message=MSG_VERIFY_EMAIL) if token else ""
            issued = account_verify(
                purpose=purpose,
                token_hash=token_hash,
                email=email,
                code=token,
                user_agent=_user_agent(request),
            )
        except _Refused as refused:
            return gotrue_error(400, "validation_failed", refused.message)
        except AccountError as error:
            return _account_error(error)
        return Response(gotrue_session(issued))

    @extend_schema(
        tags=["auth (GoTrue)"],
        parameters=[
            OpenApiParameter("token", str, required=True),
            OpenApiParameter("type", str, enum=sorted(VERIFY_TYPES), required=True),
            _REDIRECT_TO,
        ],
        responses={303: None, 400: _GOTRUE_ERROR_SCHEMA},
    )
    def get(self, request):
        landing = redirect_allowed(request.query_params.get("redirect_to"))
        kind = request.query_params.get("type", "")
        try:
            purpose = _verify_type(kind)
            token = request.query_params.get("token", "")
            if not token:
                raise _Refused(MSG_VERIFY_TOKEN)
            issued = account_verify(
                purpose=purpose, token_hash=token, user_agent=_user_agent(request)
            )
        except _Refused as refused:
            return gotrue_error(400, "validation_failed", refused.message)
        except AccountError as error:
            fragment = {
                "error": "access_denied",
                "error_code": error.code,
                "error_description": error.message,
            }
        else:
            session = gotrue_session(issued)
            fragment = {
                "access_token": session["access_token"],
                "expires_at": session["expires_at"],
                "expires_in": session["expires_in"],
                "refresh_token": session["refresh_token"],
                "token_type": "bearer",
                "type": kind,
            }
        reply = HttpResponseRedirect(f"{landing}#{urlencode(fragment)}")
        reply.status_code = 303
        return reply


def _verify_type(kind: str) -> str:
    if not kind:
        raise _Refused(MSG_VERIFY_TYPE)
    if kind not in VERIFY_TYPES:
        raise _Refused(MSG_VERIFY_TYPE_UNSUPPORTED)
    return VERIFY_TYPES[kind]
