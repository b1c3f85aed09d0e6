"""What an analysis or a chat turn reads: one campaign's rows as analyzer inputs, or the
inline lists the original frontend sent, with the clock and the shoot date to read them
against. The chat's context and the analyzers' input are this one object.

Rows are loaded up front, for what is asked (`analysis_input_load`: one query per table plus
one per link table), never lazily in the middle of an answer; reading a table that was not
loaded is a programming error (`TableNotLoaded`), not a hidden query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from fashionos.errors import NotFound
from fashionos.principals import Actor
from logistics.analysis.inputs import AssetInput, SampleInput, TaskInput
from logistics.loaders import assets_load, samples_load, tasks_load
from logistics.models import Campaign
from logistics.selectors import campaign_get_for_actor, campaign_with_samples_get_for_actor

TABLES: tuple[str, ...] = ("samples", "tasks", "assets")
_LOADERS = {"samples": samples_load, "tasks": tasks_load, "assets": assets_load}

MSG_NOT_LOADED = "The {table} were not loaded for this analysis (load them up front)."
MSG_CAMPAIGN_NOT_FOUND = "No campaign with this id is visible to you."


class TableNotLoaded(RuntimeError):
    """A table was read that the caller did not load: load it up front."""


class AnalysisInput:
    """A campaign (its rows loaded on request) or inline lists, with `now` and the shoot date.

    `samples`, `tasks` and `assets` are the loaded rows; `None` given for one means "not
    given" (inline) or "not loaded yet" (campaign). `shoot_date` overrides the campaign's.
    """

    __slots__ = ("_assets", "_samples", "_tasks", "campaign", "now", "shoot_date_override")

    def __init__(
        self,
        *,
        campaign: Campaign | None = None,
        samples: list[SampleInput] | None = None,
        tasks: list[TaskInput] | None = None,
        assets: list[AssetInput] | None = None,
        shoot_date: date | None = None,
        now: datetime | None = None,
    ) -> None:
        self.campaign = campaign
        self._samples = samples
        self._tasks = tasks
        self._assets = assets
        self.shoot_date_override = shoot_date
        self.now = now or timezone.now()

    # --- What it is -------------------------------------------------------------------------

    @property
    def inline(self) -> bool:
        """Inline lists were sent instead of a campaign."""
        return self.campaign is None and any(
            rows is not None for rows in (self._samples, self._tasks, self._assets)
        )

    @property
    def has_data(self) -> bool:
        return self.campaign is not None or self.inline

    @property
    def campaign_name(self) -> str:
        return self.campaign.name if self.campaign is not None else "The campaign"

    @property
    def shoot_date(self) -> date | None:
        """The shoot date analyses read: the one given, else the campaign's."""
        if self.shoot_date_override is not None:
            return self.shoot_date_override
        return self.campaign.shoot_date if self.campaign is not None else None

    # --- Rows ---------------------------------------------------------------------------------

    def _rows(self, table: str, rows: list | None) -> list:
        if rows is not None:
            return rows
        if self.campaign is None:
            return []  # inline input without this list
        raise TableNotLoaded(MSG_NOT_LOADED.format(table=table))

    @property
    def samples(self) -> list[SampleInput]:
        return self._rows("samples", self._samples)

    @property
    def tasks(self) -> list[TaskInput]:
        return self._rows("tasks", self._tasks)

    @property
    def assets(self) -> list[AssetInput]:
        return self._rows("assets", self._assets)

    def loaded(self, table: str) -> bool:
        return getattr(self, f"_{table}") is not None

    # --- The insight cache key -----------------------------------------------------------------

    def key_payload(self, **extra: Any) -> dict[str, Any]:
        """What identifies the input in the insight cache: the campaign and its revision, or
        the whole inline lists; the shoot date; and `extra` (the clock, the options)."""
        if self.campaign is not None:
            payload: dict[str, Any] = {
                "campaign": str(self.campaign.pk),
                "revision": self.campaign.revision,
            }
        else:
            payload = {
                "samples": _plain_rows(self._samples),
                "tasks": _plain_rows(self._tasks),
                "assets": _plain_rows(self._assets),
            }
        payload["shootDate"] = self.shoot_date
        payload.update(extra)
        return payload


def campaign_input(
    *, actor: Actor, campaign_id, shoot_date: date | None = None, with_samples: bool = False
) -> AnalysisInput:
    """The input for a campaign the actor may read (no rows loaded yet, or its samples with
    `with_samples`, read in the campaign's own query); NotFound (404) otherwise, never a 403,
    which would say that it exists."""
    if with_samples:
        found = campaign_with_samples_get_for_actor(actor=actor, campaign_id=campaign_id)
        if found is None:
            raise NotFound(MSG_CAMPAIGN_NOT_FOUND)
        campaign, samples = found
        return AnalysisInput(campaign=campaign, samples=samples, shoot_date=shoot_date)
    campaign = campaign_get_for_actor(actor=actor, campaign_id=campaign_id)
    if campaign is None:
        raise NotFound(MSG_CAMPAIGN_NOT_FOUND)
    return AnalysisInput(campaign=campaign, shoot_date=shoot_date)


def analysis_input_load(source: AnalysisInput, *, tables: Iterable[str]) -> AnalysisInput:
    """`source` with `tables` (of TABLES) loaded from its campaign, each in one query plus one
    per link table; tables already there (inline or loaded) are kept. Returns a new object."""
    wanted = set(tables)
    rows = {}
    for table in TABLES:
        current = getattr(source, f"_{table}")
        if current is None and table in wanted and source.campaign is not None:
            current = _LOADERS[table](campaign_id=source.campaign.pk)
        rows[table] = current
    return AnalysisInput(
        campaign=source.campaign,
        shoot_date=source.shoot_date_override,
        now=source.now,
        **rows,
    )


def _plain_rows(items: list | None) -> list | None:
    if items is None:
        return None
    if not items:
        return []
    names = [f.name for f in fields(items[0])]
    return [[_plain(getattr(item, name)) for name in names] for item in items]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, tuple):
        return list(value)
    return value
