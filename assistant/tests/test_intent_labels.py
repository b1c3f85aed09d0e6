"""Staff labelling (issue 15, item 4): the admin finds the turns the assistant was unsure of
(low confidence, clarified, unhelpful), staff set the right intent in one click, and a label
is a training example (`labelled_examples()`), exported and imported as JSONL by management
commands; a turn's label goes with its turn when retention purges it, an imported one stays.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assistant.admin import LOW_CONFIDENCE
from assistant.chat.clarify import clarify_reply
from assistant.intents import detect_intent, load_examples
from assistant.intents.examples import TrainingExample, examples_dump
from assistant.intents.training import TrainingExample as DataExample
from assistant.models import Conversation, IntentLabel
from assistant.retention import conversations_purge
from assistant.selectors import labelled_examples
from assistant.tests.factories import ConversationFactory, IntentLabelFactory
from fashionos.testing.admin import admin_url
from fashionos.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = admin_url(Conversation, "changelist")


def label_url(turn: Conversation) -> str:
    return reverse("admin:assistant_conversation_label", args=[turn.pk])


def click_label(client: Client, turn: Conversation, intent: str):
    """What the row's Label button posts: the list's form, with the row's picker."""
    return client.post(
        label_url(turn), {f"intent-{turn.pk}": intent, "label": str(turn.pk)}, HTTP_REFERER=""
    )


@pytest.fixture
def turns() -> dict[str, Conversation]:
    sure = 0.9
    return {
        "confident": ConversationFactory(message="Are we ready?", intent_confidence=sure),
        "low": ConversationFactory(message="samples ok?", intent_confidence=LOW_CONFIDENCE - 0.1),
        "unknown": ConversationFactory(
            message="gimme the lowdown", intent_detected="unknown", skill_used="general"
        ),
        "clarified": ConversationFactory(
            message="samples?",
            intent_detected="clarify",
            skill_used="general",
            intent_confidence=0.7,
            response=clarify_reply(("blocker_check", "readiness_check")).to_dict(),
        ),
        "unhelpful": ConversationFactory(
            message="what's blocking us?",
            intent_detected="blocker_check",
            intent_confidence=sure,
            helpful=False,
        ),
        "helpful": ConversationFactory(message="thanks", intent_confidence=sure, helpful=True),
    }


def shown(client: Client, review: str) -> set[str]:
    reply = client.get(CHANGELIST, {"review": review})
    assert reply.status_code == 200
    return {turn.message for turn in reply.context["cl"].result_list}


# --- the review list ----------------------------------------------------------------------


def test_the_review_filter_finds_low_confidence_clarified_and_unhelpful_turns(staff_client, turns):
    IntentLabelFactory(conversation=ConversationFactory(message="done", intent_confidence=0.1))

    assert shown(staff_client, "to_review") == {
        "samples ok?",
        "gimme the lowdown",
        "samples?",
        "what's blocking us?",
    }
    assert shown(staff_client, "low") == {"samples ok?", "gimme the lowdown", "done"}
    assert shown(staff_client, "clarified") == {"samples?"}
    assert shown(staff_client, "unhelpful") == {"what's blocking us?"}
    assert shown(staff_client, "labelled") == {"done"}


def test_each_row_has_an_intent_picker_on_the_likely_intent(staff_client, turns):
    page = staff_client.get(CHANGELIST, {"review": "to_review"}).content.decode()

    clarified = turns["clarified"]
    assert f'<select name="intent-{clarified.pk}" aria-label="Intent">' in page
    assert f'formaction="{label_url(clarified)}"' in page
    # A clarified turn starts on the first option offered; another on the intent answered.
    picker = page.split(f'name="intent-{clarified.pk}"')[1].split("</select>")[0]
    assert '<option value="blocker_check" selected>' in picker
    picker = page.split(f'name="intent-{turns["unhelpful"].pk}"')[1].split("</select>")[0]
    assert '<option value="blocker_check" selected>' in picker
    assert '<option value="unknown">' in picker  # off-topic is a label too


def test_the_list_reads_the_labels_without_a_query_per_row(staff_client, turns):
    for turn in turns.values():
        IntentLabelFactory(conversation=turn)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(CHANGELIST)
    for _ in range(10):
        IntentLabelFactory(conversation=ConversationFactory(intent_confidence=0.1))
    with CaptureQueriesContext(connection) as many:
        staff_client.get(CHANGELIST)

    assert len(many) == len(few)


# --- one click ----------------------------------------------------------------------------


def test_one_click_labels_the_turn_as_a_training_example(staff_client, turns):
    turn = turns["clarified"]

    reply = click_label(staff_client, turn, "readiness_check")

    assert reply.status_code == 302
    assert reply["Location"] == CHANGELIST
    label = IntentLabel.objects.get(conversation=turn)
    assert (label.message, label.intent, label.kit, label.source) == (
        "samples?",
        "readiness_check",
        "logistics",
        "staff",
    )
    assert label.labelled_by.email == "staff@example.com"
    assert labelled_examples() == [
        TrainingExample("logistics", "readiness_check", "samples?", "staff")
    ]


def test_a_second_click_replaces_the_turns_label(staff_client, turns):
    turn = turns["low"]
    click_label(staff_client, turn, "blocker_check")
    click_label(staff_client, turn, "readiness_check")

    assert IntentLabel.objects.get().intent == "readiness_check"
    assert [example.intent for example in labelled_examples()] == ["readiness_check"]


def test_the_click_goes_back_to_the_filtered_list(staff_client, turns):
    back = f"http://testserver{CHANGELIST}?review=to_review"

    reply = staff_client.post(
        label_url(turns["low"]), {"intent": "readiness_check"}, HTTP_REFERER=back
    )

    assert reply["Location"] == back


@pytest.mark.parametrize("intent", ["", "clarify", "not_an_intent", "READINESS_CHECK"])
def test_a_name_that_is_not_an_intent_is_refused_and_nothing_is_written(
    staff_client, turns, intent
):
    reply = click_label(staff_client, turns["low"], intent)

    assert reply.status_code == 400
    assert not IntentLabel.objects.exists()


def test_the_label_url_takes_only_a_post(staff_client, turns):
    assert staff_client.get(label_url(turns["low"])).status_code == 405
    assert not IntentLabel.objects.exists()


def test_an_unknown_turn_is_a_404(staff_client):
    reply = staff_client.post(
        reverse("admin:assistant_conversation_label", args=[uuid.uuid4()]),
        {"intent": "readiness_check"},
    )

    assert reply.status_code == 404


def test_a_non_staff_user_is_sent_to_the_login_page_and_labels_nothing(turns):
    client = Client()
    client.force_login(UserFactory(is_staff=False))

    reply = click_label(client, turns["low"], "readiness_check")
    anonymous = click_label(Client(), turns["low"], "readiness_check")

    assert reply.status_code == anonymous.status_code == 302
    assert reply["Location"].startswith(reverse("admin:login"))
    assert not IntentLabel.objects.exists()


def test_staff_need_the_right_to_add_labels(turns):
    staff = UserFactory(is_staff=True)
    client = Client()
    client.force_login(staff)

    refused = click_label(client, turns["low"], "readiness_check")
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="assistant", codename="add_intentlabel")
    )
    client.force_login(type(staff).objects.get(pk=staff.pk))  # permissions are cached
    allowed = click_label(client, turns["low"], "readiness_check")

    assert refused.status_code == 403
    assert allowed.status_code == 302
    assert IntentLabel.objects.get().labelled_by == staff


def test_labels_are_read_only_in_their_own_list(staff_client):
    label = IntentLabelFactory()

    assert staff_client.get(admin_url(IntentLabel, "add")).status_code == 403
    posted = staff_client.post(admin_url(IntentLabel, "change", label.pk), {"intent": "help"})
    assert posted.status_code == 403
    label.refresh_from_db()
    assert label.intent == "readiness_check"


# --- the chat logs how sure it was -----------------------------------------------------------


def test_the_chat_logs_the_confidence_of_each_turn(cast, known):
    client = cast.client("owner")
    message = "Are we ready?"

    reply = client.post(
        "/api/v1/assistant/chat", {"message": message, "currentKit": "logistics"}, format="json"
    ).json()

    turn = Conversation.objects.get(pk=reply["conversationId"])
    assert turn.intent_confidence == detect_intent(message, current_kit="logistics").score
    assert 0 < turn.intent_confidence <= 1


# --- retention ----------------------------------------------------------------------------


def test_a_turns_label_goes_with_the_turn_an_imported_one_stays(tmp_path):
    old = timezone.now() - timedelta(days=200)
    purged = IntentLabelFactory(conversation=ConversationFactory(created_at=old))
    kept_turn = IntentLabelFactory(conversation=ConversationFactory(message="which ones late"))
    imported = IntentLabelFactory(conversation=None, source="holdout", message="r u ready")

    conversations_purge()

    assert not IntentLabel.objects.filter(pk=purged.pk).exists()
    assert set(IntentLabel.objects.values_list("pk", flat=True)) == {kept_turn.pk, imported.pk}


# --- export and import --------------------------------------------------------------------


def export(tmp_path, name: str = "labels.jsonl") -> str:
    out = tmp_path / name
    call_command("export_intent_labels", "--output", str(out), stderr=StringIO())
    return out.read_text(encoding="utf-8")


def do_import(path) -> str:
    stdout = StringIO()
    call_command("import_intent_labels", str(path), stdout=stdout)
    return stdout.getvalue()


def test_export_writes_one_training_example_per_line(staff_client, turns, tmp_path):
    click_label(staff_client, turns["clarified"], "blocker_check")
    click_label(staff_client, turns["unknown"], "readiness_check")

    text = export(tmp_path)

    assert [json.loads(line) for line in text.splitlines()] == [
        {
            "kit": "logistics",
            "intent": "blocker_check",
            "message": "samples?",
            "source": "staff",
            "current_kit": "logistics",
        },
        {
            "kit": "logistics",
            "intent": "readiness_check",
            "message": "gimme the lowdown",
            "source": "staff",
            "current_kit": "logistics",
        },
    ]
    stdout = StringIO()
    call_command("export_intent_labels", stdout=stdout)
    assert stdout.getvalue() == text


def test_export_then_import_round_trips(tmp_path):
    odd = 'she said "ready?"\nthen: 🧵 ünïcode'
    IntentLabelFactory(conversation=ConversationFactory(message=odd, kit_context="media"))
    IntentLabelFactory(conversation=None, intent="unknown", source="fresh_5", message="lol")
    first = export(tmp_path, "first.jsonl")
    before = labelled_examples()

    IntentLabel.objects.all().delete()
    Conversation.objects.all().delete()
    report = do_import(tmp_path / "first.jsonl")

    assert "2 new" in report
    assert labelled_examples() == before
    assert export(tmp_path, "second.jsonl") == first
    assert TrainingExample("media", "readiness_check", odd, "staff") in before


def test_importing_twice_stores_nothing_twice(tmp_path):
    IntentLabelFactory(conversation=None, source="dev", message="are we good")
    path = tmp_path / "labels.jsonl"
    path.write_text(export(tmp_path) * 2, encoding="utf-8")

    report = do_import(path)

    assert "0 new, 0 adopted from staff labels, 2 already there" in report
    assert IntentLabel.objects.count() == 1


def test_importing_an_export_keeps_staff_labels_past_retention(tmp_path):
    old = timezone.now() - timedelta(days=80)
    label = IntentLabelFactory(conversation=ConversationFactory(created_at=old))
    export(tmp_path)

    report = do_import(tmp_path / "labels.jsonl")
    conversations_purge(now=timezone.now() + timedelta(days=30))

    assert "0 new, 1 adopted" in report
    label.refresh_from_db()
    assert label.conversation is None
    assert not Conversation.objects.exists()
    assert labelled_examples() == [
        TrainingExample("logistics", "readiness_check", "Are we ready?", "staff")
    ]


GOOD = TrainingExample("logistics", "readiness_check", "ready?", "dev").to_line()


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ("not json", "line 2: not a JSON object."),
        ("[1, 2]", "line 2: not a JSON object."),
        ('{"kit": "logistics", "intent": "help", "message": "hi"}', "line 2: needs the fields"),
        (
            '{"kit": "logistics", "intent": "help", "message": "hi", "source": "x", "y": 1}',
            "line 2: needs the fields",
        ),
        (
            '{"kit": "logistics", "intent": "help", "message": 3, "source": "x"}',
            "line 2: message must be a non-empty string.",
        ),
        (
            '{"kit": "logistics", "intent": "help", "message": " ", "source": "x"}',
            "line 2: message must be a non-empty string.",
        ),
        (
            '{"kit": "shop", "intent": "help", "message": "hi", "source": "x"}',
            "line 2: kit must be one of logistics, events, media, general.",
        ),
        (
            '{"kit": "general", "intent": "clarify", "message": "hi", "source": "x"}',
            "line 2: 'clarify' is not an intent.",
        ),
        (
            json.dumps({"kit": "general", "intent": "help", "message": "x" * 4001, "source": "x"}),
            "line 2: message is longer than 4000 characters.",
        ),
    ],
)
def test_a_bad_line_stops_the_import_and_stores_nothing(tmp_path, bad, says):
    path = tmp_path / "labels.jsonl"
    path.write_text(f"{GOOD}\n{bad}\n", encoding="utf-8")

    with pytest.raises(CommandError, match=says.replace("(", r"\(").replace("?", r"\?")):
        do_import(path)

    assert not IntentLabel.objects.exists()


def test_a_line_giving_an_intent_another_kit_is_refused(tmp_path):
    path = tmp_path / "labels.jsonl"
    line = {"kit": "media", "intent": "readiness_check", "message": "ready?", "source": "x"}
    path.write_text(f"{GOOD}\n{json.dumps(line)}\n", encoding="utf-8")

    with pytest.raises(CommandError, match="line 2: 'readiness_check' belongs to the kit"):
        do_import(path)

    assert not IntentLabel.objects.exists()


def test_the_page_asked_on_is_kept_through_export_and_import(tmp_path):
    line = {
        "kit": "logistics",
        "intent": "readiness_check",
        "message": "ready?",
        "source": "x",
        "current_kit": "media",
    }
    path = tmp_path / "labels.jsonl"
    path.write_text(f"{json.dumps(line)}\n", encoding="utf-8")

    do_import(path)

    assert IntentLabel.objects.get().kit == "media"
    assert json.loads(export(tmp_path, "again.jsonl")) == line


def test_labels_join_the_classifiers_training_data(settings, staff_client, turns):
    click_label(staff_client, turns["unknown"], "readiness_check")
    learnt = DataExample(
        "logistics", "readiness_check", "gimme the lowdown", "staff", current_kit="logistics"
    )

    settings.INTENT_TRAIN_ON_LABELS = True
    assert learnt in load_examples()
    settings.INTENT_TRAIN_ON_LABELS = False
    assert learnt not in load_examples()


def test_an_unreadable_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        do_import(tmp_path / "missing.jsonl")
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(CommandError, match="not UTF-8"):
        do_import(binary)


def test_blank_lines_are_skipped(tmp_path):
    path = tmp_path / "labels.jsonl"
    path.write_text(f"\n{GOOD}\n\n", encoding="utf-8")

    assert "1 new" in do_import(path)
    assert examples_dump(labelled_examples()) == f"{GOOD}\n"
