"""The back office's pages for a campaign's rows (samples, tasks, assets): edits go through
the services (revision bump, realtime announcement), whose refusals are form errors."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from fashionos.errors import TooLarge
from logistics.models import Asset, Sample, Task
from logistics.services.assets import (
    asset_create,
    asset_delete,
    asset_featured_validate,
    asset_update,
)
from logistics.services.samples import sample_create, sample_delete, sample_update
from logistics.services.tasks import (
    task_create,
    task_delete,
    task_dependencies_validate,
    task_update,
)
from logistics.uploads import asset_image_read, image_upload_read


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


@admin.register(Sample)
class SampleAdmin(ServiceBackedAdmin):
    entity = "sample"
    create_service = staticmethod(sample_create)
    update_service = staticmethod(sample_update)
    delete_service = staticmethod(sample_delete)
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
                task_dependencies_validate(task=probe, depends_on=cleaned.get("dependencies") or [])
            except ValidationError as exc:
                raise forms.ValidationError(
                    [m for messages in exc.message_dict.values() for m in messages]
                ) from None
        return cleaned


@admin.register(Task)
class TaskAdmin(ServiceBackedAdmin):
    entity = "task"
    create_service = staticmethod(task_create)
    update_service = staticmethod(task_update)
    delete_service = staticmethod(task_delete)
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
                asset_featured_validate(campaign_id=campaign_id, samples=featured)
            upload = cleaned.get("file")
            if upload and "file" in self.changed_data:
                self._upload_check(upload)
                asset_image_read(upload=upload)
        except ValidationError as exc:
            self.add_error(None, exc)
        return cleaned

    def _upload_check(self, upload) -> None:
        """The API's bounds on an upload (size, JPEG/PNG/WebP only, pixel count, a fresh
        stored name), as form errors on the file field."""
        try:
            image_upload_read(upload)
        except TooLarge as exc:
            raise ValidationError({"file": [exc.message]}) from None


@admin.register(Asset)
class AssetAdmin(ServiceBackedAdmin):
    entity = "asset"
    create_service = staticmethod(asset_create)
    update_service = staticmethod(asset_update)
    delete_service = staticmethod(asset_delete)
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
