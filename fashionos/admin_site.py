"""The admin site with a staff dashboard (`/admin/dashboard/`) made of the panels the apps
register from their `AppConfig.ready()`: logistics shows each active campaign's readiness,
blockers and at-risk tasks, analytics the events per day by kit. The core knows no panel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone


@dataclass(frozen=True, slots=True)
class DashboardPanel:
    """One section of the dashboard: `template` is included with the keys `context(now)`
    returns; panels show in `order`, then in registration order."""

    name: str
    template: str
    context: Callable[[datetime], dict[str, Any]]
    order: int = 100


_panels: list[DashboardPanel] = []


def dashboard_panel_register(panel: DashboardPanel) -> None:
    """Add a panel to the dashboard (a panel of the same name replaces the old one)."""
    _panels[:] = [p for p in _panels if p.name != panel.name] + [panel]


def dashboard_panels() -> list[DashboardPanel]:
    """The registered panels, in the order they show."""
    return sorted(_panels, key=lambda panel: panel.order)


class FashionOSAdminSite(admin.AdminSite):
    site_header = "FashionOS back office"
    site_title = "FashionOS"
    index_title = "Back office"
    index_template = "admin/fashionos_index.html"

    def get_urls(self):
        return [
            path("dashboard/", self.admin_view(self.dashboard_view), name="dashboard"),
            *super().get_urls(),
        ]

    def dashboard_view(self, request):
        now = timezone.now()
        panels = dashboard_panels()
        context = {**self.each_context(request), "title": "Dashboard", "now": now}
        for panel in panels:
            context.update(panel.context(now))
        context["panels"] = panels
        return TemplateResponse(request, "admin/dashboard.html", context)


class FashionOSAdminConfig(AdminConfig):
    default_site = "fashionos.admin_site.FashionOSAdminSite"
