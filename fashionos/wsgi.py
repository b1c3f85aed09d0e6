"""WSGI entry point: HTTP only, for WSGI workers behind a proxy that sends websockets to ASGI."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fashionos.settings")

application = get_wsgi_application()
