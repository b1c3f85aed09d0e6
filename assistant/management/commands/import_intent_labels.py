"""`python manage.py import_intent_labels FILE`: store reviewed training examples (the JSONL
that `export_intent_labels` writes) as intent labels."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assistant.intents.examples import ExamplesInvalid, examples_parse
from assistant.intents.training import file_intent_kits
from assistant.services import intent_labels_import


class Command(BaseCommand):
    help = (
        "Store the examples of a JSONL file (kit, intent, message, source per line) as intent "
        "labels kept regardless of conversation retention. All or nothing: a bad line stops "
        "the import, naming it, and nothing is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            with file.open(encoding="utf-8") as lines:
                examples = examples_parse(lines, intents=file_intent_kits())
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file}: not UTF-8 text.") from None
        except ExamplesInvalid as error:
            raise CommandError(f"{file}: {error}") from None
        counts = intent_labels_import(examples=examples)
        self.stdout.write(
            f"Imported {file}: {counts['created']} new, {counts['adopted']} adopted from "
            f"staff labels, {counts['skipped']} already there."
        )
