"""The small wording helpers (assistant/wording.py): durations, counts and name lists."""

import pytest

from assistant.wording import format_minutes, name_list, noun, plural


def test_format_minutes():
    assert [format_minutes(m) for m in (0, 5, 60, 65, 1440, 1500, 1441)] == [
        "0min",
        "5min",
        "1h",
        "1h 5min",
        "1d",
        "1d 1h",
        "1d 1min",
    ]
    with pytest.raises(ValueError):
        format_minutes(-1)


def test_counts_agree_with_the_word():
    assert [plural(n, "sample") for n in (0, 1, 2)] == ["0 samples", "1 sample", "2 samples"]
    assert plural(2, "batch", "batches") == "2 batches"
    assert (noun(1, "its", "their"), noun(3, "its", "their")) == ("its", "their")


def test_name_lists():
    assert name_list([]) == ""
    assert name_list(["A"]) == "A"
    assert name_list(["A", "B"]) == "A and B"
    assert name_list(["A", "B", "C"]) == "A, B and C"
    assert name_list([str(i) for i in range(8)]) == "0, 1, 2, 3, 4 and 3 more"
    # a caller holding only the first names says how many there are in all
    assert name_list(["A", "B"], total=10) == "A, B and 8 more"
