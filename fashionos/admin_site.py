"""The admin site with a staff dashboard: each active campaign's readiness, blockers and
at-risk tasks, and analytics events per day by kit over the last 30 days (an SVG chart drawn
on the server, so there is no chart library to load). Its sign-in form is throttled per
client address and per account (`fashionos.accounts.login_throttle`)."""

from __future__ import annotations

import copy
from collections import defaultdict
from datetime import timedelta

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from fashionos.accounts.login_throttle import LoginAttempt, Refusal

DASHBOARD_CAMPAIGNS = 25
CHART_DAYS = 30
CHART_KITS = ("logistics", "events", "media", "general", "other")
CHART_COLOURS = {
    "logistics": "#2f6f8f",
    "events": "#c26a2e",
    "media": "#6a4c93",
    "general": "#5b8c51",
    "other": "#9a9a9a",
}
CHART_HEIGHT = 160
BAR_WIDTH = 14
BAR_GAP = 4


def campaign_rows(now) -> list[dict]:
    """Readiness, blockers and at-risk tasks of the most recently active campaigns, loaded in
    a fixed number of queries."""
    from logistics.analysis.blockers import blockers
    from logistics.analysis.readiness import readiness
    from logistics.analysis.schedule import ScheduleError, analyze_events
    from logistics.loaders import samples_by_campaign, tasks_by_campaign

    campaign_model = apps.get_model("logistics", "Campaign")
    campaigns = list(
        campaign_model.objects.exclude(status__in=["wrapped", "cancelled"]).order_by(
            "-updated_at", "id"
        )[:DASHBOARD_CAMPAIGNS]
    )
    ids = [campaign.pk for campaign in campaigns]
    samples = samples_by_campaign(campaign_ids=ids)
    tasks = tasks_by_campaign(campaign_ids=ids)
    rows = []
    for campaign in campaigns:
        own_samples = samples.get(str(campaign.pk), [])
        own_tasks = tasks.get(str(campaign.pk), [])
        ready = readiness(own_samples)
        found = blockers(own_samples, now=now)
        try:
            at_risk = list(analyze_events(own_tasks, start=now).schedule.at_risk)
            schedule_problem = ""
        except ScheduleError as error:
            at_risk, schedule_problem = [], error.message
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


def events_chart(now) -> dict:
    """Stacked bars of analytics events per day and kit, as SVG geometry."""
    event_model = apps.get_model("analytics", "AnalyticsEvent")
    first_day = (now - timedelta(days=CHART_DAYS - 1)).date()
    counts: dict = defaultdict(lambda: defaultdict(int))
    rows = (
        event_model.objects.filter(created_at__date__gte=first_day)
        .annotate(day=TruncDate("created_at"))
        .values("day", "kit_context")
        .annotate(n=Count("id"))
    )
    for row in rows:
        kit = row["kit_context"] if row["kit_context"] in CHART_KITS else "other"
        counts[row["day"]][kit] += row["n"]
    days = [first_day + timedelta(days=offset) for offset in range(CHART_DAYS)]
    peak = max((sum(counts[day].values()) for day in days), default=0) or 1
    bars = []
    for index, day in enumerate(days):
        x = index * (BAR_WIDTH + BAR_GAP)
        y = CHART_HEIGHT
        segments = []
        for kit in CHART_KITS:
            value = counts[day][kit]
            if not value:
                continue
            height = value / peak * (CHART_HEIGHT - 10)
            y -= height
            segments.append(
                {"kit": kit, "value": value, "y": round(y, 1), "height": round(height, 1),
                 "colour": CHART_COLOURS[kit]}
            )  # fmt: skip
        bars.append({"day": day, "x": x, "total": sum(counts[day].values()), "segments": segments})
    return {
        "bars": bars,
        "peak": peak,
        "width": CHART_DAYS * (BAR_WIDTH + BAR_GAP),
        "height": CHART_HEIGHT,
        "bar_width": BAR_WIDTH,
        "legend": [(kit, CHART_COLOURS[kit]) for kit in CHART_KITS],
        "total": sum(sum(kits.values()) for kits in counts.values()),
    }


def refused_login_form(refusal: Refusal):
    """The sign-in form for an attempt over its budget: it refuses without checking the
    password, so a guess over the budget learns nothing and costs no password hash."""
    # Imported here: the admin's forms import the user model, not ready when this loads.
    from django.contrib.admin.forms import AdminAuthenticationForm
    from django.core.exceptions import ValidationError

    class RefusedLoginForm(AdminAuthenticationForm):
        def clean(self):
            raise ValidationError(refusal.message, code="throttled")

    return RefusedLoginForm


class FashionOSAdminSite(admin.AdminSite):
    site_header = "FashionOS back office"
    site_title = "FashionOS"
    index_title = "Back office"
    index_template = "admin/fashionos_index.html"

    def login(self, request, extra_context=None):
        """The sign-in form, throttled per client address and per account: over either
        budget the attempt answers 429 with the form and a Retry-After, unheard."""
        if request.method != "POST":
            return super().login(request, extra_context)
        attempt = LoginAttempt.start(request)
        refusal = attempt.refusal()
        if refusal is not None:
            refused = copy.copy(self)  # requests share the site: change a copy's form
            refused.login_form = refused_login_form(refusal)
            response = admin.AdminSite.login(refused, request, extra_context)
            response.status_code = 429
            response["Retry-After"] = str(refusal.wait_seconds)
            return response
        response = super().login(request, extra_context)
        if not isinstance(response, HttpResponseRedirect):
            attempt.failed()
        return response

    def get_urls(self):
        return [
            path("dashboard/", self.admin_view(self.dashboard_view), name="dashboard"),
            *super().get_urls(),
        ]

    def dashboard_view(self, request):
        now = timezone.now()
        context = {
            **self.each_context(request),
            "title": "Dashboard",
            "campaign_rows": campaign_rows(now),
            "chart": events_chart(now),
            "now": now,
        }
        return TemplateResponse(request, "admin/dashboard.html", context)


class FashionOSAdminConfig(AdminConfig):
    default_site = "fashionos.admin_site.FashionOSAdminSite"
