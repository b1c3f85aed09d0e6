"""`python manage.py purge_insights`: delete expired cached analyses (safe to run from cron)."""

from django.core.management.base import BaseCommand

from assistant.cache import insights_purge


class Command(BaseCommand):
    help = "Delete expired entries of the insight cache (assistant_insights), in batches."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, batch_size: int, **options):
        deleted = insights_purge(batch_size=batch_size)
        self.stdout.write(f"Deleted {deleted} expired insight(s).")
