"""Websocket routes: Supabase Realtime's path, so supabase-js connects with only its URL
changed."""

from django.urls import path

from fashionos.realtime.consumer import RealtimeConsumer

websocket_urlpatterns = [
    path("realtime/v1/websocket", RealtimeConsumer.as_asgi()),
]
