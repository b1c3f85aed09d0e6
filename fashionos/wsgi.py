"""WSGI entry point: HTTP only, for WSGI workers behind a proxy that sends websockets to ASGI."""

from django.core.wsgi import get_wsgi_application

from fashionos.startup import serving_prepare, settings_load_or_exit

settings_load_or_exit("fashionos.wsgi")

application = get_wsgi_application()
serving_prepare("fashionos.wsgi")
