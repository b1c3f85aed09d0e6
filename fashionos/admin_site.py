"""The admin site with a staff dashboard (`/admin/dashboard/`) made of the panels the apps
register from their `AppConfig.ready()`: logistics shows each active campaign's readiness,
blockers and at-risk tasks, analytics the events per day by kit. The core knows no panel.
Its sign-in form is throttled per client address and per account
(`fashionos.accounts.login_throttle`).

This module imports the admin's forms, which need the user model: it is loaded once the apps
are (by the admin's `ready()` and the apps' panels), never while INSTALLED_APPS is read;
`fashionos.admin_config` is the app config that names it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from fashionos.accounts.login_throttle import LoginAttempt, Refusal


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


def refused_login_form(refusal: Refusal) -> type[AdminAuthenticationForm]:
    """The sign-in form for an attempt over its budget: it refuses without checking the
    password, so a guess over the budget learns nothing and costs no password hash."""

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
        panels = dashboard_panels()
        context = {**self.each_context(request), "title": "Dashboard", "now": now}
        for panel in panels:
            context.update(panel.context(now))
        context["panels"] = panels
        return TemplateResponse(request, "admin/dashboard.html", context)
