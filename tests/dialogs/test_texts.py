"""Every text the bot says exists in Dutch and English, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from dialogs.texts import keys, pair, t


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", keys())
def test_both_languages_with_the_same_placeholders(key: str) -> None:
    nl, en = pair(key)
    assert nl.strip() and en.strip()
    assert _fields(nl) == _fields(en), key


def test_formatting_fills_placeholders_per_language() -> None:
    assert "30 dagen" in t("privacy_line", "nl", state_days=30, outcome_days=365)
    assert "30 days" in t("privacy_line", "en", state_days=30, outcome_days=365)
    assert t("choice_ja", "nl") == "Ja" and t("choice_ja", "en") == "Yes"


def test_times_are_shown_in_amsterdams_time() -> None:
    """Found by a user trial: the Dutch advice note gave its time in UTC."""
    from datetime import UTC, datetime

    from dialogs.render import local_time

    assert local_time(datetime(2026, 12, 7, 9, 15, tzinfo=UTC)) == "2026-12-07 10:15"
    assert local_time(datetime(2026, 7, 1, 9, 15, tzinfo=UTC)) == "2026-07-01 11:15"  # summer


def test_the_answers_group_of_values_does_not_repeat_its_heading() -> None:
    """Found by a user trial: "Je antwoorden" was followed by "Waarden en je antwoorden"."""
    from dialogs.render import answer_group

    assert answer_group("values", "nl") == "Waarden"
    assert answer_group("values", "en") == "Values"
    assert answer_group("mag", "nl") == "Mag het?"


def test_what_an_instrument_asks_reads_as_one_line() -> None:
    """Found while reading an English outcome: "What it takes: At least 3 hours; Ideally ..."."""
    from dialogs.render import preconditions

    line = preconditions(
        {"time": "At least 3 hours.", "group": "Ideally 15 to 30 people", "preparation": None}
    )
    assert line == "at least 3 hours; ideally 15 to 30 people"
    assert preconditions({"time": "IAMA-sessie", "group": None, "preparation": None}) == (
        "IAMA-sessie"
    )
