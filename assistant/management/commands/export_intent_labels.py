"""`python manage.py export_intent_labels [--output FILE]`: write the intent labels as
training data (JSONL, `{"kit", "intent", "message", "source"}` per line), for review and
commit beside `assistant/intents/data/training/`."""

from pathlib import Path

from django.core.management.base import BaseCommand

from assistant.intents.examples import examples_dump
from assistant.selectors import labelled_examples


class Command(BaseCommand):
    help = (
        "Write every intent label (staff's and imported) as training data, one JSON object "
        "per line, to --output or standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="The file to write (default: stdout).")

    def handle(self, *args, output: Path | None, **options):
        examples = labelled_examples()
        text = examples_dump(examples)
        if output is None:
            self.stdout.write(text, ending="")
            return
        output.write_text(text, encoding="utf-8")
        self.stderr.write(f"Wrote {len(examples)} label(s) to {output}.")
