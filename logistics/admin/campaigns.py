"""The back office's campaign pages: a campaign with its members and samples inline, and the
memberships. Every write goes through the services, so the one-owner rule holds and open
sockets learn of membership changes at once."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import reverse

from logistics.models import Campaign, CampaignInvitation, CampaignMember, CampaignRole, Sample
from logistics.services.campaigns import campaign_create, campaign_delete, campaign_update
from logistics.services.invitations import invitation_withdraw
from logistics.services.members import (
    MSG_LAST_OWNER,
    campaign_keeps_owner,
    member_add,
    member_change_keeps_owner,
    member_remove,
    member_update_role,
)

MSG_MEMBER_USER_FIXED = "A membership belongs to one user: remove it and add the other user."


MSG_FIRST_OWNER = "Name the campaign's first owner in its members: a campaign always has one."


class CampaignMemberFormSet(forms.BaseInlineFormSet):
    """The members inline of the campaign page. A campaign always ends up with an owner: a
    new campaign needs an owner row (see `CampaignAdmin.save_related`), and an existing one
    cannot lose its last owner, by demotion or by deletion."""

    first_owner = None  # the user of the first owner row, once the formset is valid

    def clean(self):
        super().clean()
        adding = self.instance._state.adding
        roles_after = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            deleted = self.can_delete and self._should_delete_form(form)
            existing = not form.instance._state.adding
            if existing and not deleted and "user" in form.changed_data:
                form.add_error("user", MSG_MEMBER_USER_FIXED)
            key = form.instance.pk if existing else object()
            role = None if deleted else form.cleaned_data.get("role")
            roles_after[key] = role
            if role == CampaignRole.OWNER and self.first_owner is None:
                self.first_owner = form.cleaned_data.get("user")
        campaign_id = None if adding else self.instance.pk
        if not campaign_keeps_owner(campaign_id=campaign_id, roles_after=roles_after):
            raise forms.ValidationError(MSG_FIRST_OWNER if adding else MSG_LAST_OWNER)


class CampaignMemberInline(admin.TabularInline):
    """Members are added, re-roled and removed through the member services (so open sockets
    learn of the change at once); see `CampaignAdmin.save_formset`."""

    model = CampaignMember
    formset = CampaignMemberFormSet
    extra = 0
    autocomplete_fields = ("user",)
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)


class SampleInline(admin.TabularInline):
    """The campaign's samples, listed with a link to their own page, where edits go through
    the sample services (an inline save would skip the revision bump and the realtime
    announcement)."""

    model = Sample
    extra = 0
    fields = ("name", "category", "status", "is_hero", "priority", "courier", "eta")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "status",
        "shoot_date",
        "location",
        "sample_count",
        "delayed_count",
        "created_by",
        "updated_at",
    )
    list_filter = ("status", "shoot_date")
    search_fields = ("name", "location", "created_by__email")
    date_hierarchy = "shoot_date"
    readonly_fields = ("id", "revision", "created_at", "updated_at")
    autocomplete_fields = ("created_by",)
    inlines = [CampaignMemberInline, SampleInline]
    list_select_related = ("created_by",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _samples=Count("samples", distinct=True),
                _delayed=Count("samples", filter=Q(samples__status="delayed"), distinct=True),
            )
        )

    @admin.display(description="Samples", ordering="_samples")
    def sample_count(self, obj) -> int:
        return obj._samples

    @admin.display(description="Delayed", ordering="_delayed")
    def delayed_count(self, obj) -> int:
        return obj._delayed

    def save_model(self, request, obj, form, change):
        if change:
            data = {name: form.cleaned_data[name] for name in form.changed_data}
            campaign_update(campaign=Campaign.objects.get(pk=obj.pk), data=data)
        # A new campaign is created in save_related, once the members inline has named its
        # owner: saving it here would leave a campaign with no member at all.

    def save_related(self, request, form, formsets, change):
        if not change:
            self._campaign_create(request, form, formsets)
        super().save_related(request, form, formsets, change)

    def _campaign_create(self, request, form, formsets) -> None:
        """Create the campaign through `campaign_create` with the first owner row of the
        members inline as its owner. Staff set a campaign up for a team, so the owner is who
        they name there, not the staff user (who reads every campaign anyway, and would
        otherwise sit in the team's member list and receive its realtime changes); the staff
        user is recorded as `created_by` unless another user is chosen."""
        members = next(formset for formset in formsets if formset.model is CampaignMember)
        fields = {
            name: form.cleaned_data[name]
            for name in ("shoot_date", "location", "status")
            if name in form.cleaned_data
        }
        created = campaign_create(
            owner=members.first_owner,
            name=form.cleaned_data["name"],
            created_by=form.cleaned_data.get("created_by") or request.user,
            **fields,
        )
        campaign = form.instance
        for name in ("id", "created_by_id", "revision", "created_at", "updated_at"):
            setattr(campaign, name, getattr(created, name))
        campaign._state.adding = False
        campaign._state.db = created._state.db

    def save_formset(self, request, form, formset, change):
        if formset.model is CampaignMember:
            _members_save(campaign=form.instance, formset=formset)
        else:
            super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        campaign_delete(campaign=obj)

    def delete_queryset(self, request, queryset):
        for campaign in queryset:
            campaign_delete(campaign=campaign)


def _members_save(*, campaign: Campaign, formset) -> None:
    """Apply a members formset through the member services: additions and promotions first,
    so a hand-over of ownership never passes through a campaign without an owner."""
    formset.save(commit=False)  # fills new/changed/deleted_objects, read by the change log
    for member in formset.new_objects:
        # On a new campaign, campaign_create already made the first owner row's membership.
        existing = CampaignMember.objects.filter(campaign=campaign, user=member.user).first()
        if existing is not None and existing.role == member.role == CampaignRole.OWNER:
            member.pk = existing.pk
            continue
        created = member_add(campaign=campaign, user=member.user, role=member.role)
        member.pk = created.pk
    changed = sorted(
        (member for member, _fields in formset.changed_objects),
        key=lambda member: member.role != CampaignRole.OWNER,
    )
    for member in changed:
        member_update_role(member=CampaignMember.objects.get(pk=member.pk), role=member.role)
    for member in formset.deleted_objects:
        member_remove(member=member)


class CampaignMemberAdminForm(forms.ModelForm):
    class Meta:
        model = CampaignMember
        fields = ("campaign", "user", "role")

    def clean(self):
        cleaned = super().clean()
        member = self.instance
        role = cleaned.get("role")
        if (
            not member._state.adding
            and role
            and not member_change_keeps_owner(member=member, role_after=role)
        ):
            self.add_error("role", MSG_LAST_OWNER)
        return cleaned


@admin.register(CampaignMember)
class CampaignMemberAdmin(admin.ModelAdmin):
    """Memberships are written through the member services, which keep an owner on every
    campaign and tell the member's open sockets at once."""

    form = CampaignMemberAdminForm
    list_display = ("user", "campaign", "role", "joined", "created_at")
    list_filter = ("role", "joined", "campaign")
    search_fields = ("user__email", "campaign__name")
    autocomplete_fields = ("user", "campaign")
    list_select_related = ("user", "campaign")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ("campaign", "user", "joined", "created_at")
        return ("joined", "created_at")

    def delete_view(self, request, object_id, extra_context=None):
        # Checked here, not in has_delete_permission: deleting the whole campaign (which takes
        # its members along) must stay possible.
        member = self.get_object(request, unquote(object_id))
        if member is not None and not member_change_keeps_owner(member=member, role_after=None):
            self.message_user(request, MSG_LAST_OWNER, level=messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:logistics_campaignmember_change", args=[member.pk])
            )
        return super().delete_view(request, object_id, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            member_update_role(member=CampaignMember.objects.get(pk=obj.pk), role=obj.role)
        else:
            created = member_add(campaign=obj.campaign, user=obj.user, role=obj.role)
            obj.pk = created.pk

    def delete_model(self, request, obj):
        member_remove(member=obj)

    def delete_queryset(self, request, queryset):
        for member in queryset.select_related("user", "campaign"):
            try:
                member_remove(member=member)
            except ValidationError:
                self.message_user(request, f"{member}: {MSG_LAST_OWNER}", level=messages.ERROR)


@admin.register(CampaignInvitation)
class CampaignInvitationAdmin(admin.ModelAdmin):
    """Invitations are sent by owners and answered by their addressees; the back office
    watches them and may withdraw one (staff add members directly on the members page)."""

    list_display = ("email", "campaign", "role", "status", "created_at", "expires_at")
    list_filter = ("status", "role")
    search_fields = ("email", "campaign__name")
    list_select_related = ("campaign",)
    readonly_fields = (
        "campaign",
        "email",
        "role",
        "status",
        "invited_by",
        "created_at",
        "expires_at",
        "responded_at",
    )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_model(self, request, obj):
        invitation_withdraw(invitation=obj)

    def delete_queryset(self, request, queryset):
        for invitation in queryset:
            invitation_withdraw(invitation=invitation)
