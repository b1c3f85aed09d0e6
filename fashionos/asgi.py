"""ASGI entry point: HTTP through Django, websockets (`/realtime/v1/websocket`) through
Channels.

No origin check on the websocket: it authenticates with the project key and access tokens the
client sends, never with cookies, so another site cannot ride a user's session through it (the
same reason Supabase serves browsers on any origin).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fashionos.settings")

# Django must be set up before anything imports models.
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from fashionos.realtime.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": URLRouter(websocket_urlpatterns),
    }
)
