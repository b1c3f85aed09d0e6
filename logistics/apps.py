from django.apps import AppConfig


class LogisticsConfig(AppConfig):
    name = "logistics"
    verbose_name = "Logistics"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from logistics.tables import tables_register
        from logistics.user_deletion import receivers_connect

        tables_register()
        receivers_connect()
