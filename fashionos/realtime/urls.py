"""HTTP routes of `/realtime/v1` (the websocket's route is in routing.py)."""

from django.urls import path

from fashionos.realtime.views import BroadcastEventView, BroadcastView

urlpatterns = [
    path("api/broadcast", BroadcastView.as_view(), name="realtime-broadcast"),
    path(
        "api/broadcast/<str:topic>/events/<str:event>",
        BroadcastEventView.as_view(),
        name="realtime-broadcast-event",
    ),
]
