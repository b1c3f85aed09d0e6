"""Throttling the staff sign-in form of the admin (`/admin/login/`), which DRF's throttles do
not reach (it is a Django view).

Two budgets, both in the throttle cache (`CACHE_URL`, shared between processes):

- per client address (scope `admin_login`, `ADMIN_LOGIN_THROTTLE_RATE`): every sign-in
  attempt from the address counts. The address is found exactly as the API's throttles find
  it (DRF's `get_ident`: `X-Forwarded-For` is believed only behind `NUM_PROXIES` proxies);
- per account (scope `admin_login_account`, `ADMIN_LOGIN_ACCOUNT_THROTTLE_RATE`): failed
  attempts on one account name, from any address, so spreading a password guess over many
  addresses does not help. A successful sign-in does not count.

An attempt over either budget is refused before the password is checked, and logged on
`fashionos.security` with the address, the budget and the account name tried.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from dataclasses import dataclass

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger("fashionos.security")

SCOPE_ADDRESS = "admin_login"
SCOPE_ACCOUNT = "admin_login_account"
ACCOUNT_FIELD = "username"  # the admin form's field for the USERNAME_FIELD (email)

MSG_THROTTLED = "Too many sign-in attempts. Try again in {seconds} seconds."


class _LoginBudget(SimpleRateThrottle):
    """A DRF rate throttle that can be checked without spending (`exhausted`) and spent on
    its own (`spend`), so a failed attempt is counted after the form has been checked."""

    def get_rate(self) -> str | None:
        # Read at each use (not frozen at import), so settings overrides apply.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def exhausted(self, request) -> bool:
        self.key = self.get_cache_key(request, None)
        if self.key is None or self.rate is None:
            return False
        self.now = self.timer()
        self.history = [
            moment for moment in self.cache.get(self.key, []) if moment > self.now - self.duration
        ]
        return len(self.history) >= self.num_requests

    def spend(self, request) -> None:
        """Count one attempt (call after `exhausted`)."""
        if self.key is not None and self.rate is not None:
            self.history.insert(0, self.now)
            self.cache.set(self.key, self.history, self.duration)


class AddressBudget(_LoginBudget):
    scope = SCOPE_ADDRESS

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class AccountBudget(_LoginBudget):
    scope = SCOPE_ACCOUNT

    def get_cache_key(self, request, view) -> str | None:
        account = account_tried(request)
        if not account:
            return None
        digest = hashlib.sha256(account.encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}


def account_tried(request) -> str:
    """The account name posted to the form, as the backend compares it (case-insensitive)."""
    return str(request.POST.get(ACCOUNT_FIELD, "")).strip().lower()


@dataclass(frozen=True, slots=True)
class Refusal:
    scope: str
    wait_seconds: int

    @property
    def message(self) -> str:
        return MSG_THROTTLED.format(seconds=self.wait_seconds)


@dataclass
class LoginAttempt:
    """One POST to the sign-in form, checked against both budgets."""

    request: object
    address: AddressBudget
    account: AccountBudget

    @classmethod
    def start(cls, request) -> LoginAttempt:
        return cls(request, AddressBudget(), AccountBudget())

    def refusal(self) -> Refusal | None:
        """Why this attempt must be refused unheard, or None. Logs each refusal. An allowed
        attempt is counted against the address at once."""
        for budget in (self.address, self.account):
            if budget.exhausted(self.request):
                wait = max(1, math.ceil(budget.wait() or 1))
                self._log("admin_login_throttled", logging.WARNING, budget=budget.scope)
                return Refusal(budget.scope, wait)
        self.address.spend(self.request)
        return None

    def failed(self) -> None:
        """The form refused the credentials: count it against the account, and log it."""
        self.account.spend(self.request)
        self._log("admin_login_failed", logging.INFO)

    def _log(self, event: str, level: int, **fields) -> None:
        logger.log(
            level,
            json.dumps(
                {
                    "event": event,
                    "client": self.address.get_ident(self.request),
                    "account": account_tried(self.request)[:254],
                    **fields,
                }
            ),
        )
