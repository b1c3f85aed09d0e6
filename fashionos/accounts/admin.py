from django.contrib import admin, messages
from django.contrib.admin import actions as admin_actions
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy

from fashionos.accounts import services
from fashionos.accounts.models import AuthSession, User


class EmailUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class EmailUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    list_display = ("email", "full_name", "is_staff", "is_active", "date_joined", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active", "date_joined")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    readonly_fields = ("id", "date_joined", "last_login")
    fieldsets = (
        (None, {"fields": ("id", "email", "password")}),
        ("Profile", {"fields": ("full_name",)}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("date_joined", "last_login")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    # Ours replaces the site-wide "delete selected" (same name), see below.
    actions = ["delete_selected"]

    # Users are deleted through `user_delete`, never by a plain delete: it announces the
    # memberships removed and the tasks unassigned, and refuses a campaign's only owner.

    def delete_view(self, request, object_id, extra_context=None):
        # Refused before the confirmation page, and again under the service's locks once
        # confirmed (the transaction of the view is then rolled back): a message, not a 500.
        user = self.get_object(request, unquote(object_id))
        try:
            if user is not None:
                services.user_delete_check(user=user)
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as refusal:
            self.message_user(request, refusal.messages[0], level=messages.ERROR)
            change = f"admin:{self.opts.app_label}_{self.opts.model_name}_change"
            return HttpResponseRedirect(reverse(change, args=[user.pk]))

    def delete_model(self, request, obj):
        services.user_delete(user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            try:
                services.user_delete(user=user)
            except ValidationError as refusal:  # became a sole owner since it was checked
                self.message_user(request, refusal.messages[0], level=messages.ERROR)

    @admin.action(
        permissions=["delete"],
        description=gettext_lazy("Delete selected %(verbose_name_plural)s"),
    )
    def delete_selected(self, request, queryset):
        """Django's "delete selected", leaving out the users `user_delete` would refuse:
        each is named in an error message, the others are deleted and counted as usual."""
        if request.POST.get("post"):
            refused = []
            for user in queryset:
                try:
                    services.user_delete_check(user=user)
                except ValidationError as refusal:
                    refused.append(user.pk)
                    self.message_user(request, refusal.messages[0], level=messages.ERROR)
            queryset = queryset.exclude(pk__in=refused)
        return admin_actions.delete_selected(self, request, queryset)


@admin.register(AuthSession)
class AuthSessionAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "created_at", "revoked_at", "user_agent")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("user__email", "id")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    readonly_fields = ("id", "user", "created_at", "user_agent")
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Revoke the selected sessions (sign the user out)")
    def revoke(self, request, queryset):
        count = services.sessions_revoke(session_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"Revoked {count} session(s).")
