"""The campaigns panel of the staff dashboard (`fashionos.admin_site`): the assistant's view
of the most recently active campaigns (readiness, blockers with their delay in words, and
at-risk tasks), registered from `AssistantConfig.ready()`."""

from __future__ import annotations

from datetime import datetime

from assistant.events_words import schedule_error_message
from assistant.logistics_words import blocker_delay
from fashionos.admin_site import DashboardPanel, dashboard_panel_register
from logistics.analysis.blockers import blockers
from logistics.analysis.events_analyzer import analyze_events
from logistics.analysis.readiness import readiness
from logistics.analysis.task_graph import ScheduleError
from logistics.loaders import samples_by_campaign, tasks_by_campaign
from logistics.models import Campaign

DASHBOARD_CAMPAIGNS = 25


def campaign_rows(now: datetime) -> list[dict]:
    """Readiness, blockers and at-risk tasks of the most recently active campaigns, loaded in
    a fixed number of queries."""
    campaigns = list(
        Campaign.objects.exclude(status__in=["wrapped", "cancelled"]).order_by("-updated_at", "id")[
            :DASHBOARD_CAMPAIGNS
        ]
    )
    ids = [campaign.pk for campaign in campaigns]
    samples = samples_by_campaign(campaign_ids=ids)
    tasks = tasks_by_campaign(campaign_ids=ids)
    rows = []
    for campaign in campaigns:
        own_samples = samples.get(str(campaign.pk), [])
        own_tasks = tasks.get(str(campaign.pk), [])
        ready = readiness(own_samples)
        found = [
            {"name": blocker.name, "severity": blocker.severity, "delay": blocker_delay(blocker)}
            for blocker in blockers(own_samples, now=now)
        ]
        try:
            at_risk = list(analyze_events(own_tasks, start=now).schedule.at_risk)
            schedule_problem = ""
        except ScheduleError as error:
            at_risk, schedule_problem = [], schedule_error_message(error)
        rows.append(
            {
                "campaign": campaign,
                "readiness": ready,
                "blockers": found,
                "at_risk": at_risk,
                "schedule_problem": schedule_problem,
            }
        )
    return rows


def panel_register() -> None:
    """Show the campaigns first on the dashboard."""
    dashboard_panel_register(
        DashboardPanel(
            name="campaigns",
            template="admin/dashboard/campaigns.html",
            context=lambda now: {"campaign_rows": campaign_rows(now)},
            order=10,
        )
    )
