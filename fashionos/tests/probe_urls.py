"""A URL map for tests: the project's URLs plus probe views that show whom the authentication
layer sees, echo a parsed body, and fail on purpose."""

from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from fashionos import urls as project_urls
from fashionos.principals import role_of

SECRET_IN_FAILURE = "the probe failed with a secret detail"

handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


def _caller(request) -> dict:
    user = request.user
    return {
        "role": role_of(user),
        "user": str(user.pk) if getattr(user, "pk", None) else None,
        "session_id": str(session_id)
        if (session_id := getattr(request.auth, "session_id", None))
        else None,
    }


@api_view(["GET"])
@permission_classes([AllowAny])
def caller(request):
    return Response(_caller(request))


@api_view(["GET"])
@permission_classes([IsAuthenticated])
def members_only(request):
    return Response(_caller(request))


@api_view(["POST"])
@permission_classes([AllowAny])
def echo(request):
    return Response({"received": request.data})


@api_view(["GET"])
@permission_classes([AllowAny])
def broken(request):
    raise RuntimeError(SECRET_IN_FAILURE)


def broken_plain(request):
    raise RuntimeError(SECRET_IN_FAILURE)


urlpatterns = [
    path("probe/caller", caller),
    path("probe/members-only", members_only),
    path("probe/echo", echo),
    path("probe/broken", broken),
    path("probe/broken-plain", broken_plain),
    path("api/v1/probe/broken-plain", broken_plain),  # an API path that fails outside DRF
    *project_urls.urlpatterns,
]
