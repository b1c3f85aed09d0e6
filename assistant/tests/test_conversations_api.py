"""/api/v1/assistant/conversations: own turns only (every turn for the service key), newest
first, one-time feedback by the owner."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from assistant.models import Conversation
from assistant.services import CODE_FEEDBACK_ALREADY_GIVEN
from assistant.tests.factories import ConversationFactory
from fashionos.api.permissions import MSG_NOT_YOURS
from fashionos.principals import CODE_OTHER_USER_NAMED

pytestmark = pytest.mark.django_db
URL = "/api/v1/assistant/conversations"


def test_list_is_own_and_newest_first(cast):
    now = timezone.now()
    old = ConversationFactory(user=cast.owner, created_at=now - timedelta(hours=2))
    new = ConversationFactory(user=cast.owner, created_at=now)
    ConversationFactory(user=cast.editor)
    rows = cast.client("owner").get(URL).json()["results"]
    assert [row["id"] for row in rows] == [str(new.pk), str(old.pk)]
    assert {row["user"] for row in rows} == {str(cast.owner.pk)}


def test_filters(cast):
    session = uuid.uuid4()
    mine = ConversationFactory(user=cast.owner, session_id=session, kit_context="media")
    ConversationFactory(user=cast.owner, kit_context="events")
    client = cast.client("owner")
    by_session = client.get(f"{URL}?session_id={session}").json()["results"]
    assert [row["id"] for row in by_session] == [str(mine.pk)]
    by_kit = client.get(f"{URL}?kit_context=media").json()["results"]
    assert [row["id"] for row in by_kit] == [str(mine.pk)]
    assert client.get(f"{URL}?session_id=abc").status_code == 400
    assert client.get(f"{URL}?kit_context=shopping").status_code == 400
    assert client.get(f"{URL}?helpful=unsure").status_code == 400


@pytest.mark.parametrize("name", ["kit", "kit_context"])
def test_kit_filter_and_its_alias(cast, name):
    media = ConversationFactory(user=cast.owner, kit_context="media")
    ConversationFactory(user=cast.owner, kit_context="events")
    client = cast.client("owner")

    rows = client.get(f"{URL}?{name}=media").json()["results"]

    assert [row["id"] for row in rows] == [str(media.pk)]
    refused = client.get(f"{URL}?{name}=shopping")
    assert refused.status_code == 400
    assert name in refused.json()["details"]


def test_the_service_key_reads_every_turn_but_gives_no_feedback(cast):
    turns = [ConversationFactory(user=cast.owner), ConversationFactory(user=cast.outsider)]
    client = cast.client("service")

    listed = client.get(URL).json()["results"]
    one = client.get(f"{URL}/{turns[1].pk}")
    feedback = client.post(f"{URL}/{turns[0].pk}/feedback", {"helpful": True}, format="json")

    assert {row["id"] for row in listed} == {str(turn.pk) for turn in turns}
    assert one.status_code == 200
    assert one.json()["user"] == str(cast.outsider.pk)
    assert feedback.status_code == 403
    assert feedback.json()["error"] == MSG_NOT_YOURS
    assert Conversation.objects.get(pk=turns[0].pk).helpful is None


def test_feedback_naming_another_user_is_refused(cast):
    turn = ConversationFactory(user=cast.editor)
    client = cast.client("editor")
    url = f"{URL}/{turn.pk}/feedback"

    other = client.post(url, {"helpful": True, "user": str(cast.owner.pk)}, format="json")
    assert other.status_code == 403
    assert other.json()["code"] == CODE_OTHER_USER_NAMED
    assert Conversation.objects.get(pk=turn.pk).helpful is None

    itself = client.post(url, {"helpful": True, "user": str(cast.editor.pk)}, format="json")
    assert itself.status_code == 200


def test_feedback_is_given_once(cast):
    turn = ConversationFactory(user=cast.viewer)
    client = cast.client("viewer")
    first = client.post(f"{URL}/{turn.pk}/feedback", {"helpful": False}, format="json")
    assert first.status_code == 200
    assert first.json()["helpful"] is False
    second = client.post(f"{URL}/{turn.pk}/feedback", {"helpful": True}, format="json")
    assert second.status_code == 409
    assert second.json()["code"] == CODE_FEEDBACK_ALREADY_GIVEN
    turn.refresh_from_db()
    assert turn.helpful is False


@pytest.mark.parametrize("body", [{}, {"helpful": None}, {"helpful": "sometimes"}, [True]])
def test_feedback_must_be_a_boolean(cast, body):
    turn = ConversationFactory(user=cast.owner)
    reply = cast.client("owner").post(f"{URL}/{turn.pk}/feedback", body, format="json")
    assert reply.status_code == 400
    turn.refresh_from_db()
    assert turn.helpful is None


def test_feedback_on_someone_elses_turn_is_not_found(cast):
    turn = ConversationFactory(user=cast.owner)
    reply = cast.client("editor").post(
        f"{URL}/{turn.pk}/feedback", {"helpful": True}, format="json"
    )
    assert reply.status_code == 404
    assert Conversation.objects.get(pk=turn.pk).helpful is None


def test_the_log_cannot_be_edited(cast):
    turn = ConversationFactory(user=cast.owner)
    client = cast.client("owner")
    assert client.patch(f"{URL}/{turn.pk}", {"message": "x"}, format="json").status_code == 405
    assert client.delete(f"{URL}/{turn.pk}").status_code == 405
    assert client.post(URL, {"message": "x"}, format="json").status_code == 405
    assert Conversation.objects.get(pk=turn.pk).message == turn.message


def test_malformed_id_is_404(cast):
    assert cast.client("owner").get(f"{URL}/not-a-uuid").status_code == 404
    reply = cast.client("owner").post(f"{URL}/123/feedback", {"helpful": True}, format="json")
    assert reply.status_code == 404
