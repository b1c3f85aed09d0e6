from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    """The realtime engine as an installed app (no models), so it hears the accounts'
    `sessions_ended` signal in every server process."""

    name = "fashionos.realtime"
    label = "realtime"
    verbose_name = "Realtime"

    def ready(self) -> None:
        from fashionos.accounts.signals import sessions_ended
        from fashionos.realtime.publish import sessions_end_receive

        sessions_ended.connect(sessions_end_receive, dispatch_uid="realtime.sessions_ended")
