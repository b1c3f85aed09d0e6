"""The assistant in the back office: the conversation log stays read-only."""

import pytest

from assistant.models import Conversation
from assistant.tests.factories import ConversationFactory
from fashionos.testing.admin import admin_url as _url

pytestmark = pytest.mark.django_db


# --- The conversation log is read-only --------------------------------------------------------


def test_conversation_change_page_is_read_only(staff_client):
    conversation = ConversationFactory(message="Are we ready?", helpful=None)
    url = _url(Conversation, "change", conversation.pk)

    page = staff_client.get(url)
    posted = staff_client.post(url, {"message": "rewritten", "helpful": "true"})

    assert page.status_code == 200
    assert b"Are we ready?" in page.content
    assert b'name="_save"' not in page.content
    assert posted.status_code == 403
    conversation.refresh_from_db()
    assert conversation.message == "Are we ready?"
    assert conversation.helpful is None


def test_conversations_cannot_be_added_or_deleted(staff_client):
    conversation = ConversationFactory()

    assert staff_client.get(_url(Conversation, "add")).status_code == 403
    assert staff_client.post(_url(Conversation, "delete", conversation.pk)).status_code == 403
    bulk = staff_client.post(
        _url(Conversation, "changelist"),
        {"action": "delete_selected", "_selected_action": [str(conversation.pk)], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert Conversation.objects.filter(pk=conversation.pk).exists()
