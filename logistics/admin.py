"""The staff back office for campaigns. Edits made here go through the same services as the
API, so they bump the campaign revision and reach realtime subscribers."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from logistics import services
from logistics.models import Asset, Campaign, CampaignMember, Sample, Task


class CampaignMemberInline(admin.TabularInline):
    model = CampaignMember
    extra = 0
    autocomplete_fields = ("user",)
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)


class SampleInline(admin.TabularInline):
    model = Sample
    extra = 0
    fields = ("name", "category", "status", "is_hero", "priority", "courier", "eta")
    show_change_link = True


class ServiceBackedAdmin(admin.ModelAdmin):
    """Saves and deletes through the logistics services (revision bump + realtime)."""

    create_service = None
    update_service = None
    delete_service = None
    entity = ""

    m2m_names: tuple[str, ...] = ()

    def save_model(self, request, obj, form, change):
        data = {
            name: form.cleaned_data[name]
            for name in form.fields
            if name in form.cleaned_data and name not in self.m2m_names and name != "campaign"
        }
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


@admin.register(CampaignMember)
class CampaignMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "campaign", "role", "created_at")
    list_filter = ("role", "campaign")
    search_fields = ("user__email", "campaign__name")
    autocomplete_fields = ("user", "campaign")
    list_select_related = ("user", "campaign")


@admin.register(Sample)
class SampleAdmin(ServiceBackedAdmin):
    entity = "sample"
    create_service = staticmethod(services.sample_create)
    update_service = staticmethod(services.sample_update)
    delete_service = staticmethod(services.sample_delete)
    list_display = (
        "name",
        "campaign",
        "category",
        "status",
        "is_hero",
        "priority",
        "courier",
        "eta",
        "updated_at",
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

    def _m2m(self, form) -> dict:
        return {"featured_samples": form.cleaned_data.get("featured_samples", [])}
