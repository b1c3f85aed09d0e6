"""The data a chat turn is answered from.

In order: the campaign named by `userContext.campaignId` (read with the caller's permissions:
someone else's campaign is a 404), else the inline lists the original frontend sent, else the
caller's most recently updated campaign. Each table is loaded at most once per turn, and only
when a skill asks for it, so a turn runs a bounded number of queries whatever the campaign's
size.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from assistant.analyzers import campaign_for_analysis
from assistant.chat.request import ChatRequest
from logistics.analysis.inputs import AssetInput, SampleInput, TaskInput
from logistics.loaders import assets_load, samples_load, tasks_load
from logistics.models import Campaign


class ChatContext:
    def __init__(
        self,
        *,
        campaign: Campaign | None,
        samples: list[SampleInput] | None = None,
        tasks: list[TaskInput] | None = None,
        assets: list[AssetInput] | None = None,
        now: datetime | None = None,
    ) -> None:
        self.campaign = campaign
        self._samples = samples
        self._tasks = tasks
        self._assets = assets
        self.now = now or timezone.now()
        self.inline = campaign is None and any(x is not None for x in (samples, tasks, assets))

    @property
    def has_data(self) -> bool:
        return self.campaign is not None or self.inline

    @property
    def campaign_name(self) -> str:
        return self.campaign.name if self.campaign is not None else "The campaign"

    @property
    def shoot_date(self) -> date | None:
        return self.campaign.shoot_date if self.campaign is not None else None

    @property
    def samples(self) -> list[SampleInput]:
        if self._samples is None:
            self._samples = samples_load(campaign_id=self.campaign.pk) if self.campaign else []
        return self._samples

    @property
    def tasks(self) -> list[TaskInput]:
        if self._tasks is None:
            self._tasks = tasks_load(campaign_id=self.campaign.pk) if self.campaign else []
        return self._tasks

    @property
    def assets(self) -> list[AssetInput]:
        if self._assets is None:
            self._assets = assets_load(campaign_id=self.campaign.pk) if self.campaign else []
        return self._assets


def chat_context_resolve(*, actor, request: ChatRequest) -> ChatContext:
    """The context for this turn (see the module docstring)."""
    if request.campaign_id is not None:
        campaign = campaign_for_analysis(actor=actor, campaign_id=request.campaign_id)
        return ChatContext(campaign=campaign)
    if request.has_inline_data:
        return ChatContext(
            campaign=None, samples=request.samples, tasks=request.tasks, assets=request.assets
        )
    campaign = Campaign.objects.visible_to(actor).order_by("-updated_at", "id").first()
    return ChatContext(campaign=campaign)
