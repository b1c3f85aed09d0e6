"""`/functions/v1/<name>`: the original Supabase Edge Functions, served by the same handlers
as our REST API so supabase-js `functions.invoke(name, {body})` works unchanged."""

from django.urls import path

from assistant.views.analyze import (
    EventsAnalyzeView,
    LogisticsAnalyzeView,
    MediaAnalyzeView,
    RecommendationsView,
)
from assistant.views.chat import ChatView

urlpatterns = [
    path("chat-orchestrator", ChatView.as_view(), name="fn-chat-orchestrator"),
    path("logistics-analyzer", LogisticsAnalyzeView.as_view(), name="fn-logistics-analyzer"),
    path("events-optimizer", EventsAnalyzeView.as_view(), name="fn-events-optimizer"),
    path("media-scorer", MediaAnalyzeView.as_view(), name="fn-media-scorer"),
    path("recommendations", RecommendationsView.as_view(), name="fn-recommendations"),
]
