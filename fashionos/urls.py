"""URL map: our REST API under /api/v1, the Supabase-compatible surface under /auth/v1,
/rest/v1, /functions/v1 and /realtime/v1 (websocket, see asgi.py), the admin, health checks
and docs."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from fashionos.accounts.urls import api_urlpatterns as auth_api_urls
from fashionos.accounts.urls import gotrue_urlpatterns
from fashionos.api import schema as _api_schema  # noqa: F401  (registers the bearer scheme)
from fashionos.api.error_pages import error_shape_register
from fashionos.health import healthz, readyz
from fashionos.postgrest.render import error_shape as postgrest_error_shape

# Errors under /rest/v1/ that no view rendered answer in PostgREST's shape too.
error_shape_register(prefix="/rest/v1/", shape=postgrest_error_shape)

handler400 = "fashionos.api.error_pages.handler400"
handler403 = "fashionos.api.error_pages.handler403"
handler404 = "fashionos.api.error_pages.handler404"
handler500 = "fashionos.api.error_pages.handler500"

api_v1 = [
    path("auth/", include(auth_api_urls)),
    path("", include("logistics.urls")),
    path("assistant/", include("assistant.urls")),
    path("analytics/", include("analytics.urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("auth/v1/", include(gotrue_urlpatterns)),
    path("functions/v1/", include("assistant.functions_urls")),
    path("rest/v1/", include("fashionos.postgrest.urls")),
    path("realtime/v1/", include("fashionos.realtime.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
