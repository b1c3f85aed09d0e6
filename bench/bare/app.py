"""The bare DRF app: the floor `bench/http_api.py` divides every scenario by.

    GET  /bare/constant  a constant JSON answer (DRF, no database)
    POST /bare/insert    one row written through a cursor (DRF's JSON parser, one INSERT)

Served by the same server kinds as the project (`application` for WSGI, `asgi_application`
for ASGI, Django's stock handlers), so each ratio says what the project costs over DRF itself.
Its table is created by the benchmark's setup (bench/bare/table.py).
"""

import json
import os

import django

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bare.settings"
django.setup(set_prefix=False)

from django.core.handlers.asgi import ASGIHandler  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import path  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402


class Constant(APIView):
    def get(self, request):
        return Response({"status": "ok"})


class Insert(APIView):
    def post(self, request):
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_bare_rows (event_type, event_data) VALUES (%s, %s) RETURNING id",
                [request.data.get("event_type", ""), json.dumps(request.data.get("event_data"))],
            )
            (row_id,) = cursor.fetchone()
        return Response({"id": row_id}, status=201)


urlpatterns = [
    path("bare/constant", Constant.as_view()),
    path("bare/insert", Insert.as_view()),
    # Where the benchmark waits for a server to come up.
    path("healthz", Constant.as_view()),
]

application = WSGIHandler()
asgi_application = ASGIHandler()
