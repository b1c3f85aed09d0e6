"""`/rest/v1/`: every registered table at `/rest/v1/<table>`, and PostgREST's answers for
what is not served (RPC, the root's OpenAPI description)."""

from django.urls import path

from fashionos.postgrest.views import TableView, root_view, rpc_view

urlpatterns = [
    path("", root_view, name="rest-root"),
    path("rpc/<str:name>", rpc_view, name="rest-rpc"),
    path("<str:table>", TableView.as_view(), name="rest-table"),
]
