"""`python manage.py purge_conversations`: apply each user's conversation retention."""

from django.core.management.base import BaseCommand

from assistant.retention import conversations_purge


class Command(BaseCommand):
    help = (
        "Delete conversations older than each user's conversation_history_retention_days "
        "(default 90), in bounded batches. Safe to run from cron while the server serves."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size: int, **options):
        deleted = conversations_purge(batch_size=batch_size)
        total = sum(deleted.values())
        for days, count in sorted(deleted.items()):
            self.stdout.write(f"  retention {days} days: deleted {count}")
        self.stdout.write(f"Deleted {total} conversation(s).")
