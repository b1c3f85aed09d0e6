"""The staff back office for campaigns. Edits made here go through the same services as the
API, so they bump the campaign revision and reach realtime subscribers."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from rest_framework import serializers

from fashionos.api.errors import PayloadTooLarge
from logistics import services
from logistics.models import Asset, Campaign, CampaignMember, CampaignRole, Sample, Task
from logistics.uploads import MSG_NOT_AN_IMAGE, image_upload_read

MSG_MEMBER_USER_FIXED = "A membership belongs to one user: remove it and add the other user."


MSG_FIRST_OWNER = "Name the campaign's first owner in its members: a campaign always has one."


def _owner_remains(*, campaign_id, roles_after: dict) -> bool:
    """Will the campaign have an owner once its members have `roles_after` (member pk, or a
    key of a new row → role; None = removed)? `campaign_id` None: a campaign being added."""
    roles = {}
    if campaign_id is not None:
        roles = dict(
            CampaignMember.objects.filter(campaign_id=campaign_id).values_list("pk", "role")
        )
    roles.update(roles_after)
    return CampaignRole.OWNER in roles.values()


def _takes_last_owner(member: CampaignMember, role_after: str | None) -> bool:
    """Would giving `member` the role `role_after` (None = removing it) take away its
    campaign's last owner? The services refuse that; the forms check it first so staff get a
    form error, not a failed save."""
    stored = CampaignMember.objects.filter(pk=member.pk).values_list("role", flat=True).first()
    return (
        stored == CampaignRole.OWNER
        and role_after != CampaignRole.OWNER
        and not _owner_remains(campaign_id=member.campaign_id, roles_after={member.pk: role_after})
    )


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
        if not _owner_remains(campaign_id=campaign_id, roles_after=roles_after):
            raise forms.ValidationError(MSG_FIRST_OWNER if adding else services.MSG_LAST_OWNER)


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


class ServiceBackedAdmin(admin.ModelAdmin):
    """Saves and deletes through the logistics services (revision bump + realtime)."""

    create_service = None
    update_service = None
    delete_service = None
    entity = ""

    m2m_names: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        # The services never move a row to another campaign: offering the field for change
        # would drop the choice silently.
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, "campaign") if obj is not None else readonly

    def service_data(self, form) -> dict:
        """The form's values the service writes (the campaign and many-to-many fields are
        passed on their own)."""
        return {
            name: form.cleaned_data[name]
            for name in form.fields
            if name in form.cleaned_data and name not in self.m2m_names and name != "campaign"
        }

    def save_model(self, request, obj, form, change):
        data = self.service_data(form)
        if change:
            fresh = type(obj).objects.get(pk=obj.pk)
            type(self).update_service(**{self.entity: fresh, "data": data}, **self._m2m(form))
        else:
            created = type(self).create_service(
                campaign=form.cleaned_data["campaign"], data=data, **self._m2m(form)
            )
            obj.pk = created.pk

    def _m2m(self, form) -> dict:
        return {}

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields were saved by the service.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        type(self).delete_service(**{self.entity: obj})

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            type(self).delete_service(**{self.entity: obj})


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
            services.campaign_update(campaign=Campaign.objects.get(pk=obj.pk), data=data)
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
        created = services.campaign_create(
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
        services.campaign_delete(campaign=obj)

    def delete_queryset(self, request, queryset):
        for campaign in queryset:
            services.campaign_delete(campaign=campaign)


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
        created = services.member_add(campaign=campaign, user=member.user, role=member.role)
        member.pk = created.pk
    changed = sorted(
        (member for member, _fields in formset.changed_objects),
        key=lambda member: member.role != CampaignRole.OWNER,
    )
    for member in changed:
        services.member_update_role(
            member=CampaignMember.objects.get(pk=member.pk), role=member.role
        )
    for member in formset.deleted_objects:
        services.member_remove(member=member)


class CampaignMemberAdminForm(forms.ModelForm):
    class Meta:
        model = CampaignMember
        fields = ("campaign", "user", "role")

    def clean(self):
        cleaned = super().clean()
        member = self.instance
        role = cleaned.get("role")
        if not member._state.adding and role and _takes_last_owner(member, role):
            self.add_error("role", services.MSG_LAST_OWNER)
        return cleaned


@admin.register(CampaignMember)
class CampaignMemberAdmin(admin.ModelAdmin):
    """Memberships are written through the member services, which keep an owner on every
    campaign and tell the member's open sockets at once."""

    form = CampaignMemberAdminForm
    list_display = ("user", "campaign", "role", "created_at")
    list_filter = ("role", "campaign")
    search_fields = ("user__email", "campaign__name")
    autocomplete_fields = ("user", "campaign")
    list_select_related = ("user", "campaign")

    def get_readonly_fields(self, request, obj=None):
        return ("campaign", "user", "created_at") if obj is not None else ("created_at",)

    def delete_view(self, request, object_id, extra_context=None):
        # Checked here, not in has_delete_permission: deleting the whole campaign (which takes
        # its members along) must stay possible.
        member = self.get_object(request, unquote(object_id))
        if member is not None and _takes_last_owner(member, None):
            self.message_user(request, services.MSG_LAST_OWNER, level=messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:logistics_campaignmember_change", args=[member.pk])
            )
        return super().delete_view(request, object_id, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            services.member_update_role(member=CampaignMember.objects.get(pk=obj.pk), role=obj.role)
        else:
            created = services.member_add(campaign=obj.campaign, user=obj.user, role=obj.role)
            obj.pk = created.pk

    def delete_model(self, request, obj):
        services.member_remove(member=obj)

    def delete_queryset(self, request, queryset):
        for member in queryset.select_related("user", "campaign"):
            try:
                services.member_remove(member=member)
            except ValidationError:
                self.message_user(
                    request, f"{member}: {services.MSG_LAST_OWNER}", level=messages.ERROR
                )


@admin.register(Sample)
class SampleAdmin(ServiceBackedAdmin):
    entity = "sample"
    create_service = staticmethod(services.sample_create)
    update_service = staticmethod(services.sample_update)
    delete_service = staticmethod(services.sample_delete)
    # What staff scan for first, then the rest: beside the filters and the navigation, a
    # laptop's window shows about six columns before the list scrolls sideways.
    list_display = (
        "name",
        "status",
        "eta",
        "is_hero",
        "priority",
        "category",
        "courier",
        "campaign",
    )
    list_filter = ("status", "is_hero", "priority", "category", "campaign")
    search_fields = ("name", "sku", "designer", "tracking_number")
    list_select_related = ("campaign",)
    autocomplete_fields = ("campaign",)
    readonly_fields = ("id", "created_at", "updated_at")
    date_hierarchy = "eta"


class TaskAdminForm(forms.ModelForm):
    """Dependencies are chosen here and saved through `task_update`, which refuses tasks of
    another campaign and cycles (an inline on the link table would bypass the cycle check)."""

    dependencies = forms.ModelMultipleChoiceField(
        queryset=Task.objects.select_related("campaign"),
        required=False,
        widget=admin.widgets.FilteredSelectMultiple("tasks", is_stacked=False),
        help_text="Tasks of the same campaign that must be done first.",
    )

    class Meta:
        model = Task
        fields = (
            "campaign",
            "title",
            "status",
            "assignee",
            "duration_minutes",
            "earliest_start",
            "deadline",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["dependencies"].queryset = Task.objects.filter(
                campaign_id=self.instance.campaign_id
            ).exclude(pk=self.instance.pk)
            self.fields["dependencies"].initial = list(
                self.instance.depends_on.values_list("pk", flat=True)
            )

    def clean(self):
        cleaned = super().clean()
        campaign = cleaned.get("campaign")
        if campaign is None and self.instance.campaign_id is not None:
            campaign = self.instance.campaign  # read-only once the task exists
        if campaign is not None:
            probe = Task(pk=self.instance.pk, campaign=campaign)
            try:
                services.task_dependencies_validate(
                    task=probe, depends_on=cleaned.get("dependencies") or []
                )
            except ValidationError as exc:
                raise forms.ValidationError(
                    [m for messages in exc.message_dict.values() for m in messages]
                ) from None
        return cleaned


@admin.register(Task)
class TaskAdmin(ServiceBackedAdmin):
    entity = "task"
    create_service = staticmethod(services.task_create)
    update_service = staticmethod(services.task_update)
    delete_service = staticmethod(services.task_delete)
    list_display = (
        "title",
        "campaign",
        "status",
        "assignee",
        "duration_minutes",
        "earliest_start",
        "deadline",
    )
    list_filter = ("status", "campaign", "assignee")
    search_fields = ("title", "assignee__email")
    list_select_related = ("campaign", "assignee")
    autocomplete_fields = ("campaign", "assignee")
    readonly_fields = ("id", "created_at", "updated_at")
    date_hierarchy = "deadline"
    form = TaskAdminForm
    m2m_names = ("dependencies",)

    def _m2m(self, form) -> dict:
        return {"depends_on": form.cleaned_data.get("dependencies", [])}


class AssetAdminForm(forms.ModelForm):
    """Runs the asset services' checks (featured samples of the asset's own campaign, an
    uploaded file that is an image) while the form is validated, as TaskAdminForm does for
    dependencies, so staff get a form error instead of a failed save."""

    class Meta:
        model = Asset
        fields = (
            "campaign",
            "title",
            "kind",
            "file",
            "width",
            "height",
            "duration_seconds",
            "status",
            "target_channels",
            "featured_samples",
            "rights_expire_at",
        )

    def clean(self):
        cleaned = super().clean()
        campaign = cleaned.get("campaign")
        campaign_id = campaign.pk if campaign is not None else self.instance.campaign_id
        featured = cleaned.get("featured_samples")
        try:
            if campaign_id is not None and featured is not None:
                services.asset_featured_validate(campaign_id=campaign_id, samples=featured)
            upload = cleaned.get("file")
            if upload and "file" in self.changed_data:
                self._upload_check(upload)
                services.asset_image_read(upload=upload)
        except ValidationError as exc:
            self.add_error(None, exc)
        return cleaned

    def _upload_check(self, upload) -> None:
        """The API's bounds on an upload (size, JPEG/PNG/WebP only, pixel count, a fresh
        stored name), as form errors on the file field."""
        try:
            image_upload_read(upload)
        except PayloadTooLarge as exc:
            raise ValidationError({"file": [str(exc.detail)]}) from None
        except serializers.ValidationError as exc:
            raise ValidationError({"file": exc.detail.get("file", [MSG_NOT_AN_IMAGE])}) from None


@admin.register(Asset)
class AssetAdmin(ServiceBackedAdmin):
    entity = "asset"
    create_service = staticmethod(services.asset_create)
    update_service = staticmethod(services.asset_update)
    delete_service = staticmethod(services.asset_delete)
    m2m_names = ("featured_samples",)
    list_display = ("title", "campaign", "kind", "status", "width", "height", "rights_expire_at")
    list_filter = ("kind", "status", "campaign")
    search_fields = ("title",)
    list_select_related = ("campaign",)
    autocomplete_fields = ("campaign", "featured_samples")
    readonly_fields = ("id", "created_at", "updated_at")
    date_hierarchy = "created_at"
    form = AssetAdminForm

    def service_data(self, form) -> dict:
        data = super().service_data(form)
        # An untouched file field holds the stored file: passing it on would measure it again
        # and delete it once the change commits, as if it had been replaced.
        if "file" not in form.changed_data:
            data.pop("file", None)
        elif data.get("file") is False:  # the "clear" box
            data["file"] = None
        return data

    def _m2m(self, form) -> dict:
        return {"featured_samples": form.cleaned_data.get("featured_samples", [])}
