from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fashionos.accounts"
    label = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from fashionos.accounts import services, session_cache
        from fashionos.accounts.models import AuthSession, User

        # Any save or delete of a user or a session ends the cached sign-in state everywhere.
        for signal in (post_save, post_delete):
            signal.connect(session_cache.user_saved_or_deleted, sender=User)
            signal.connect(session_cache.session_saved_or_deleted, sender=AuthSession)
        # A password change signs the user out everywhere.
        post_save.connect(services.sessions_end_on_password_change, sender=User)
