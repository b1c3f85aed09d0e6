"""/api/v1/assistant/: conversations, insights and preferences (the chat, the analyzers and
the recommendations are added beside them)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from assistant.views.analyze import (
    EventsAnalyzeView,
    LogisticsAnalyzeView,
    MediaAnalyzeView,
    RecommendationsView,
)
from assistant.views.chat import ChatView
from assistant.views.conversations import ConversationViewSet
from assistant.views.insights import InsightViewSet
from assistant.views.preferences import PreferencesMeView

router = SimpleRouter(trailing_slash=False, use_regex_path=False)
router.register("conversations", ConversationViewSet, basename="conversation")
router.register("insights", InsightViewSet, basename="insight")

urlpatterns = [
    path("chat", ChatView.as_view(), name="chat"),
    path("analyze/logistics", LogisticsAnalyzeView.as_view(), name="analyze-logistics"),
    path("analyze/events", EventsAnalyzeView.as_view(), name="analyze-events"),
    path("analyze/media", MediaAnalyzeView.as_view(), name="analyze-media"),
    path("recommendations", RecommendationsView.as_view(), name="recommendations"),
    path("preferences/me", PreferencesMeView.as_view(), name="preferences-me"),
    *router.urls,
]
