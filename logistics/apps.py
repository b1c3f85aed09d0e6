from django.apps import AppConfig


class LogisticsConfig(AppConfig):
    name = "logistics"
    verbose_name = "Logistics"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from logistics.tables import tables_register

        tables_register()
