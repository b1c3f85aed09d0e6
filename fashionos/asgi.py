"""ASGI entry point: HTTP through Django (one thread hop per request, see asgi_http.py),
websockets (`/realtime/v1/websocket`) through Channels.

No origin check on the websocket: it authenticates with the project key and access tokens the
client sends, never with cookies, so another site cannot ride a user's session through it (the
same reason Supabase serves browsers on any origin).
"""

import django

from fashionos.startup import serving_prepare, settings_load_or_exit

settings_load_or_exit("fashionos.asgi")
# Django must be set up before anything imports models.
django.setup(set_prefix=False)

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from fashionos.asgi_http import OneHopASGIHandler  # noqa: E402
from fashionos.realtime.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        # As many requests inside Django at once as the database pool has connections.
        "http": OneHopASGIHandler(threads=settings.ASGI_HTTP_THREADS),
        "websocket": URLRouter(websocket_urlpatterns),
    }
)
serving_prepare("fashionos.asgi")
