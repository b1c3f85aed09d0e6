"""/api/v1/analytics/: events and their summary."""

from django.urls import path

from analytics import views

urlpatterns = [
    path("events", views.AnalyticsEventView.as_view(), name="analytics-events"),
    path("summary", views.AnalyticsSummaryView.as_view(), name="analytics-summary"),
]
