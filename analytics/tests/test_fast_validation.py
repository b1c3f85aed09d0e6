"""The fast validation path accepts only what the serializer accepts, and returns the same,
and never raises whatever it is given."""

import math
import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.fast_validation import event_validate_fast, events_validate_fast
from analytics.serializers import EventInputSerializer

TEXT = st.one_of(
    st.text(max_size=120),
    st.sampled_from(["assistant_opened", "  padded  ", "", "x" * 100, "x" * 101, "a\x00b"]),
)
# Numbers JSON cannot carry (an overflowing literal such as 1e400 parses to infinity) and
# values no JSON parser produces, in case a caller passes Python objects.
ODD_SCALARS = st.one_of(
    st.sampled_from([math.inf, -math.inf, math.nan, 10**400, 1.5e308, -0.0]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.binary(max_size=3),
    st.just(uuid.UUID(int=1)),
    st.just(object()),
)
JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5))
NESTED = st.recursive(
    st.one_of(JSON_SCALARS, ODD_SCALARS),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.text(max_size=3), inner, max_size=3),
        st.tuples(inner),
        st.frozensets(st.integers(), max_size=2),
    ),
    max_leaves=8,
)
# What may stand where a scalar field is expected: lists and objects are unhashable, so the
# fast path must check a value's type before it looks it up or parses it.
WRONG_TYPES = st.one_of(
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.integers(min_value=-(2**130), max_value=2**130),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    NESTED,
)
FIELD_VALUES = {
    "event_type": st.one_of(TEXT, st.none(), st.integers(), st.booleans(), WRONG_TYPES),
    "event_data": st.one_of(
        st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
        st.just({"blob": "x" * 20_000}),
        st.dictionaries(st.text(max_size=3), NESTED, max_size=3),
        st.just({"n": math.inf}),
        st.just({"deep": [{"n": -math.inf}]}),
        st.just({"n": math.nan}),
        st.lists(st.integers(), max_size=2),
        st.none(),
        st.text(max_size=5),
        WRONG_TYPES,
    ),
    "page_route": st.one_of(TEXT, st.none(), st.just("/" + "a" * 600), WRONG_TYPES),
    "kit_context": st.one_of(
        st.sampled_from(["logistics", "events", "media", "general", "finance", ""]),
        st.none(),
        WRONG_TYPES,
    ),
    "session_id": st.one_of(
        st.uuids().map(str),
        st.uuids().map(lambda u: u.hex),
        st.text(max_size=10),
        st.none(),
        st.uuids().map(lambda u: u.int),
        WRONG_TYPES,
    ),
    "user_id": st.one_of(st.uuids().map(str), st.integers(), st.none(), WRONG_TYPES),
}
EVENTS = st.fixed_dictionaries({}, optional=FIELD_VALUES)


@settings(max_examples=600, deadline=None)
@given(st.one_of(EVENTS, WRONG_TYPES))
def test_fast_path_never_accepts_what_the_serializer_refuses(event):
    fast = event_validate_fast(event)  # never raises
    if fast is not None:
        form = EventInputSerializer(data=event)
        assert form.is_valid(), (event, form.errors)
        assert fast == dict(form.validated_data)


# A plainly valid event with one field replaced: random events rarely get past event_type, so
# this is what reaches each later field's check with every kind of value.
VALID_EVENT = {
    "event_type": "assistant_opened",
    "event_data": {"n": 1},
    "page_route": "/sample-tracker",
    "kit_context": "logistics",
    "session_id": "3f2b1a40-0000-4000-8000-000000000001",
}
ONE_FIELD_CHANGED = st.sampled_from(sorted(FIELD_VALUES)).flatmap(
    lambda name: FIELD_VALUES[name].map(lambda value: {**VALID_EVENT, name: value})
)


@settings(max_examples=600, deadline=None)
@given(ONE_FIELD_CHANGED)
def test_no_single_field_gets_past_the_fast_path_unless_the_serializer_takes_it(event):
    fast = event_validate_fast(event)  # never raises
    if fast is not None:
        form = EventInputSerializer(data=event)
        assert form.is_valid(), (event, form.errors)
        assert fast == dict(form.validated_data)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(EVENTS, ONE_FIELD_CHANGED, WRONG_TYPES), max_size=4))
def test_a_batch_of_anything_is_validated_or_handed_to_the_serializer(events):
    validated = events_validate_fast(events)
    assert validated is None or len(validated) == len(events)


def test_values_json_cannot_carry_go_to_the_serializer():
    for data in ({"n": math.inf}, {"n": [math.nan]}, {"n": {"m": -math.inf}}, {"b": b"x"}):
        event = {"event_type": "x", "event_data": data}
        assert event_validate_fast(event) is None
        assert not EventInputSerializer(data=event).is_valid()


def test_unhashable_kits_and_ids_go_to_the_serializer():
    for field in ("kit_context", "session_id", "user_id", "page_route", "event_type"):
        for value in ([], {}, [1], {"a": 1}):
            event = {"event_type": "x", field: value}
            assert event_validate_fast(event) is None
            assert not EventInputSerializer(data=event).is_valid()


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
