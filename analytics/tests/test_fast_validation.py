"""The fast validation path accepts only what the serializer accepts, and returns the same."""

import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.fast_validation import event_validate_fast, events_validate_fast
from analytics.serializers import EventInputSerializer

TEXT = st.one_of(
    st.text(max_size=120),
    st.sampled_from(["assistant_opened", "  padded  ", "", "x" * 100, "x" * 101, "a\x00b"]),
)
FIELD_VALUES = {
    "event_type": st.one_of(TEXT, st.none(), st.integers(), st.booleans()),
    "event_data": st.one_of(
        st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
        st.just({"blob": "x" * 20_000}),
        st.lists(st.integers(), max_size=2),
        st.none(),
        st.text(max_size=5),
    ),
    "page_route": st.one_of(TEXT, st.none(), st.just("/" + "a" * 600)),
    "kit_context": st.one_of(
        st.sampled_from(["logistics", "events", "media", "general", "finance", ""]), st.none()
    ),
    "session_id": st.one_of(
        st.uuids().map(str), st.uuids().map(lambda u: u.hex), st.text(max_size=10), st.none()
    ),
    "user_id": st.one_of(st.uuids().map(str), st.integers(), st.none()),
}
EVENTS = st.fixed_dictionaries({}, optional=FIELD_VALUES)


@settings(max_examples=400, deadline=None)
@given(EVENTS)
def test_fast_path_never_accepts_what_the_serializer_refuses(event):
    fast = event_validate_fast(event)
    form = EventInputSerializer(data=event)
    if fast is not None:
        assert form.is_valid(), (event, form.errors)
        assert fast == dict(form.validated_data)


def test_a_typical_event_takes_the_fast_path():
    session = uuid.uuid4()
    event = {
        "event_type": "assistant_opened",
        "event_data": {"n": 1},
        "page_route": "/sample-tracker",
        "kit_context": "logistics",
        "session_id": str(session),
    }
    assert event_validate_fast(event) == {**event, "session_id": session}


def test_one_doubtful_event_sends_the_whole_batch_to_the_serializer():
    good = {"event_type": "a"}
    assert events_validate_fast([good, good]) == [
        {"event_type": "a", "event_data": {}},
        {"event_type": "a", "event_data": {}},
    ]
    assert events_validate_fast([good, {"event_type": "é"}]) is None
