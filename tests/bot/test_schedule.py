"""bot/schedule.py: typed dates, working days, the 09:00 send time and the .ics file.

`today` is passed in: Wednesday 2 December 2026 unless a test says otherwise.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from bot.schedule import (
    AMSTERDAM,
    CalendarEvent,
    DateQuestion,
    DueDate,
    days_off,
    format_date,
    ics_calendar,
    ics_event,
    is_working_day,
    next_working_day,
    parse_due,
    send_time,
)

TODAY = date(2026, 12, 2)  # a Wednesday

D = date

# (typed, expected date or question reason)
DUTCH: list[tuple[str, date | str]] = [
    ("over 3 maanden", D(2027, 3, 2)),
    ("over twee weken", D(2026, 12, 16)),
    ("over 2 weken", D(2026, 12, 16)),
    ("over een maand", D(2027, 1, 2)),
    ("over een half jaar", D(2027, 6, 2)),
    ("over drie jaar", D(2029, 12, 2)),
    ("over 10 dagen", D(2026, 12, 12)),
    ("binnen drie weken", D(2026, 12, 23)),
    ("1 maart", D(2027, 3, 1)),
    ("1 maart 2027", D(2027, 3, 1)),
    ("1e maart", D(2027, 3, 1)),
    ("uiterlijk 1 maart.", D(2027, 3, 1)),
    ("15 mrt", D(2027, 3, 15)),
    ("20 dec", D(2026, 12, 20)),
    ("15-03-2027", D(2027, 3, 15)),
    ("15/3/2027", D(2027, 3, 15)),
    ("15.03.27", D(2027, 3, 15)),
    ("2027-03-15", D(2027, 3, 15)),
    ("3/4/2027", D(2027, 4, 3)),  # Dutch order: 3 April, no question
    ("12-25-2026", D(2026, 12, 25)),  # only one reading exists
    ("maandag 15 maart 2027", D(2027, 3, 15)),  # what the bot says back, typed again
    ("volgende week maandag", D(2026, 12, 7)),
    ("maandag volgende week", D(2026, 12, 7)),
    ("volgende week vrijdag", D(2026, 12, 11)),
    ("volgende maandag", D(2026, 12, 7)),
    ("vrijdag", D(2026, 12, 4)),
    ("aanstaande vrijdag", D(2026, 12, 4)),
    ("morgen", D(2026, 12, 3)),
    ("overmorgen", D(2026, 12, 4)),
    ("eind juni", D(2027, 6, 30)),  # Wednesday: the last working day
    ("eind juli 2027", D(2027, 7, 30)),  # 31 July is a Saturday
    ("eind december", D(2026, 12, 31)),
    ("begin september", D(2027, 9, 1)),
    ("half juni", D(2027, 6, 15)),
    ("29 februari", D(2028, 2, 29)),
    ("5 mei", D(2027, 5, 5)),
    # Questions back.
    ("", "empty"),
    ("   ", "empty"),
    ("blah", "unreadable"),
    ("na de zomer", "vague"),
    ("binnenkort", "vague"),
    ("juni", "vague"),
    ("maart 2027", "vague"),
    ("Q2 2027", "vague"),
    ("2e kwartaal", "vague"),
    ("volgende week", "vague"),
    ("volgende vrijdag", "ambiguous"),  # this Friday 4th or Friday 11th?
    ("dinsdag 15 maart 2027", "ambiguous"),  # 15 March 2027 is a Monday
    ("31 februari", "nonsense"),
    ("31-02-2027", "nonsense"),
    ("32 maart", "nonsense"),
    ("15-13-2027", "nonsense"),
    ("gisteren", "past"),
    ("30-11-2026", "past"),
    ("1 december", "past"),  # yesterday this year: ask rather than jump a year
    ("begin december", "past"),
    ("vandaag", "today"),
    ("2 december", "today"),
    ("1 januari 2033", "far"),
    ("over 6 jaar", "far"),
]

ENGLISH: list[tuple[str, date | str]] = [
    ("in 6 weeks", D(2027, 1, 13)),
    ("in two weeks", D(2026, 12, 16)),
    ("in 3 months", D(2027, 3, 2)),
    ("in a month", D(2027, 1, 2)),
    ("in six months", D(2027, 6, 2)),
    ("within 10 days", D(2026, 12, 12)),
    ("next Monday", D(2026, 12, 7)),
    ("Monday", D(2026, 12, 7)),
    ("this Friday", D(2026, 12, 4)),
    ("Friday next week", D(2026, 12, 11)),
    ("tomorrow", D(2026, 12, 3)),
    ("the day after tomorrow", D(2026, 12, 4)),
    ("March 1", D(2027, 3, 1)),
    ("1 March", D(2027, 3, 1)),
    ("1st of March", D(2027, 3, 1)),
    ("March 1, 2027", D(2027, 3, 1)),
    ("March 15th 2027", D(2027, 3, 15)),
    ("Dec 25", D(2026, 12, 25)),
    ("2027-03-15", D(2027, 3, 15)),
    ("15/03/2027", D(2027, 3, 15)),  # only one reading exists
    ("12/25/2026", D(2026, 12, 25)),
    ("04/04/2027", D(2027, 4, 4)),  # both readings are the same day
    ("end of June", D(2027, 6, 30)),
    ("early September", D(2027, 9, 1)),
    ("mid June", D(2027, 6, 15)),
    # Questions back.
    ("03/04/2027", "ambiguous"),
    ("3/4", "ambiguous"),
    ("next Friday", "ambiguous"),
    ("after the summer", "vague"),
    ("soon", "vague"),
    ("June", "vague"),
    ("next week", "vague"),
    ("Q3", "vague"),
    ("31 April", "nonsense"),
    ("yesterday", "past"),
    ("today", "today"),
    ("2032-01-01", "far"),
    ("whenever it suits", "unreadable"),
]


def _check(result: DueDate | DateQuestion, expected: date | str) -> None:
    if isinstance(expected, date):
        assert isinstance(result, DueDate), result
        assert result.date == expected
        assert result.text_nl == format_date(expected, "nl")
        assert result.text_en == format_date(expected, "en")
    else:
        assert isinstance(result, DateQuestion), result
        assert result.reason == expected
        assert result.nl and result.en and result.nl != result.en


@pytest.mark.parametrize(("text", "expected"), DUTCH)
def test_dutch_dates(text: str, expected: date | str) -> None:
    _check(parse_due(text, "nl", TODAY), expected)


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_english_dates(text: str, expected: date | str) -> None:
    _check(parse_due(text, "en", TODAY), expected)


def test_table_sizes() -> None:
    assert len(DUTCH) >= 25 and len(ENGLISH) >= 15


def test_each_language_reads_the_other() -> None:
    # A Dutch phrase in an English conversation, and the reverse.
    _check(parse_due("over 3 maanden", "en", TODAY), D(2027, 3, 2))
    _check(parse_due("in 6 weeks", "nl", TODAY), D(2027, 1, 13))
    _check(parse_due("1 March 2027", "nl", TODAY), D(2027, 3, 1))


def test_ambiguous_numeric_question_names_both_dates() -> None:
    q = parse_due("03/04/2027", "en", TODAY)
    assert isinstance(q, DateQuestion)
    assert "3 April 2027" in q.en and "4 March 2027" in q.en
    assert "3 april 2027" in q.nl and "4 maart 2027" in q.nl


def test_next_friday_question_names_both_fridays() -> None:
    q = parse_due("next Friday", "en", TODAY)
    assert isinstance(q, DateQuestion)
    assert "Friday 4 December 2026" in q.en and "Friday 11 December 2026" in q.en
    # On a Saturday, "next Friday" is only one day: the coming one, in next week.
    _check(parse_due("next Friday", "en", D(2026, 12, 5)), D(2026, 12, 11))


def test_far_question_names_the_year() -> None:
    q = parse_due("1 januari 2033", "nl", TODAY)
    assert isinstance(q, DateQuestion)
    assert q.nl.startswith("Klopt 2033?") and q.en.startswith("Is 2033 right?")
    # Exactly five years ahead is still fine.
    _check(parse_due("2031-12-02", "nl", TODAY), D(2031, 12, 2))


def test_recently_passed_day_month_offers_next_year() -> None:
    q = parse_due("1 december", "nl", TODAY)
    assert isinstance(q, DateQuestion)
    assert "1 december 2026 is al voorbij" in q.nl and "1 december 2027" in q.nl
    # Passed long ago this year: simply the next occurrence, no question.
    _check(parse_due("1 september", "nl", TODAY), D(2027, 9, 1))


def test_nonsense_question_is_specific() -> None:
    q = parse_due("31 februari", "nl", TODAY)
    assert isinstance(q, DateQuestion)
    assert q.nl.startswith("31 februari bestaat niet")
    assert q.en.startswith("31 February does not exist")


def test_bare_month_question_gives_examples() -> None:
    q = parse_due("juni", "nl", TODAY)
    assert isinstance(q, DateQuestion)
    assert "begin juni" in q.nl and "eind juni" in q.nl


def test_rendering_without_locale() -> None:
    assert format_date(D(2027, 3, 15), "nl") == "maandag 15 maart 2027"
    assert format_date(D(2027, 3, 15), "en") == "Monday 15 March 2027"
    due = parse_due("15-03-2027", "nl", TODAY)
    assert isinstance(due, DueDate)
    assert due.text("nl") == "maandag 15 maart 2027"
    assert due.text("en") == "Monday 15 March 2027"


def test_due_date_knows_its_reminder_day() -> None:
    due = parse_due("25 december", "nl", TODAY)
    assert isinstance(due, DueDate)
    assert due.date == D(2026, 12, 25)  # the day the team named
    assert due.reminder_date == D(2026, 12, 28)  # the reminder moves


# --- working days -----------------------------------------------------------------------------

WORKING_DAYS: list[tuple[date, date, str]] = [
    (D(2026, 12, 2), D(2026, 12, 2), "a Wednesday"),
    (D(2026, 12, 5), D(2026, 12, 7), "Saturday"),
    (D(2026, 12, 6), D(2026, 12, 7), "Sunday"),
    (D(2026, 12, 25), D(2026, 12, 28), "Kerst on Friday, Tweede Kerstdag Saturday"),
    (D(2027, 12, 25), D(2027, 12, 27), "Kerst on a weekend is not moved"),
    (D(2026, 12, 31), D(2026, 12, 31), "Oudjaarsdag is a working day"),
    (D(2027, 1, 1), D(2027, 1, 4), "Nieuwjaar on Friday"),
    (D(2027, 3, 26), D(2027, 3, 30), "Goede Vrijdag, Pasen, Tweede Paasdag 2027"),
    (D(2027, 3, 29), D(2027, 3, 30), "Tweede Paasdag 2027"),
    (D(2027, 4, 27), D(2027, 4, 28), "Koningsdag 2027 on Tuesday"),
    (D(2025, 4, 26), D(2025, 4, 28), "Koningsdag 2025 on Saturday 26th (27th is a Sunday)"),
    (D(2027, 5, 6), D(2027, 5, 7), "Hemelvaart 2027"),
    (D(2027, 5, 16), D(2027, 5, 18), "Pinksteren 2027"),
    (D(2025, 5, 5), D(2025, 5, 6), "Bevrijdingsdag 2025, a lustrum year"),
    (D(2026, 5, 5), D(2026, 5, 6), "Bevrijdingsdag 2026: off for government employers too"),
    (D(2027, 5, 5), D(2027, 5, 7), "Bevrijdingsdag 2027 Wednesday, Hemelvaart Thursday"),
]


@pytest.mark.parametrize(("due", "expected", "why"), WORKING_DAYS)
def test_next_working_day(due: date, expected: date, why: str) -> None:
    assert next_working_day(due) == expected, why
    assert is_working_day(expected)


def test_koningsdag_moves_to_saturday_when_27_april_is_a_sunday() -> None:
    assert D(2025, 4, 26) in days_off(2025) and D(2025, 4, 27) not in days_off(2025)
    assert D(2026, 4, 27) in days_off(2026)


def test_bevrijdingsdag_every_year() -> None:
    for year in range(2024, 2032):
        assert D(year, 5, 5) in days_off(year)
        assert not is_working_day(D(year, 5, 5))


def test_ordinary_weekdays_are_working_days() -> None:
    # All of 2027's weekdays that are not in the list are working days: 261 weekdays, 7 off
    # (Nieuwjaar, Goede Vrijdag, Tweede Paasdag, Koningsdag, Bevrijdingsdag, Hemelvaart,
    # Tweede Pinksterdag; both Kerstdagen fall on the weekend).
    days = [D(2027, 1, 1) + timedelta(days=i) for i in range(365)]
    weekdays = [d for d in days if d.weekday() < 5]
    assert len(weekdays) == 261
    assert sum(is_working_day(d) for d in weekdays) == 261 - 7


# --- send time --------------------------------------------------------------------------------

SEND_TIMES: list[tuple[date, datetime, str]] = [
    (D(2026, 12, 25), datetime(2026, 12, 28, 8, 0, tzinfo=UTC), "Kerst 2026 → Monday, winter"),
    (D(2026, 3, 27), datetime(2026, 3, 27, 8, 0, tzinfo=UTC), "Friday before DST starts"),
    (D(2026, 3, 29), datetime(2026, 3, 30, 7, 0, tzinfo=UTC), "DST starts that Sunday"),
    (D(2026, 10, 23), datetime(2026, 10, 23, 7, 0, tzinfo=UTC), "Friday before DST ends"),
    (D(2026, 10, 25), datetime(2026, 10, 26, 8, 0, tzinfo=UTC), "DST ends that Sunday"),
    (D(2027, 3, 28), datetime(2027, 3, 30, 7, 0, tzinfo=UTC), "Pasen 2027 is DST day too"),
    (D(2027, 6, 30), datetime(2027, 6, 30, 7, 0, tzinfo=UTC), "summer"),
]


@pytest.mark.parametrize(("due", "expected", "why"), SEND_TIMES)
def test_send_time(due: date, expected: datetime, why: str) -> None:
    sent = send_time(due)
    assert sent == expected, why
    assert sent.utcoffset() == timedelta(0)
    local = sent.astimezone(AMSTERDAM)
    assert (local.hour, local.minute) == (9, 0)
    assert is_working_day(local.date())


# --- calendar files ---------------------------------------------------------------------------

STAMP = datetime(2026, 12, 2, 14, 30, tzinfo=UTC)
LONG = (
    "Evaluatie na drie maanden: doet het algoritme wat het moet doen, zijn er onvoorziene "
    "effecten, en is één van de teamleden bereid het terug te draaien als dat nodig is? "
) * 3


def _lines(ics: bytes) -> list[bytes]:
    assert ics.endswith(b"\r\n")
    assert ics.count(b"\n") == ics.count(b"\r\n"), "every line ends in CRLF"
    return ics[:-2].split(b"\r\n")


def test_ics_event_fields_round_trip() -> None:
    url = "https://ethiekbot.example.nl/uitkomst/abc123"
    ics = ics_event(
        "ckpt-7@ethiekbot", "Ijkmoment: evaluatie", LONG, D(2026, 12, 25), url, stamp=STAMP
    )
    cal = Calendar.from_ical(ics)
    assert str(cal["PRODID"]) == "-//Ethiekbot//Ijkmomenten//NL"
    assert str(cal["VERSION"]) == "2.0"
    events = cal.walk("VEVENT")
    assert len(events) == 1
    ev = events[0]
    assert str(ev["UID"]) == "ckpt-7@ethiekbot"
    assert str(ev["SUMMARY"]) == "Ijkmoment: evaluatie"
    assert str(ev["DESCRIPTION"]) == f"{LONG}\n\n{url}"
    assert str(ev["URL"]) == url
    assert ev.decoded("DTSTAMP") == STAMP
    # All day on the working day: Friday 25 December 2026 moves to Monday 28 December.
    start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
    assert type(start) is date and start == D(2026, 12, 28)
    assert end == D(2026, 12, 29)
    alarms = ev.walk("VALARM")
    assert len(alarms) == 1
    assert str(alarms[0]["ACTION"]) == "DISPLAY"
    trigger = alarms[0].decoded("TRIGGER")
    assert trigger == timedelta(hours=9)
    at = datetime.combine(start, datetime.min.time(), tzinfo=AMSTERDAM) + trigger
    assert at.astimezone(UTC) == send_time(D(2026, 12, 25))


def test_ics_lines_are_folded_at_75_octets() -> None:
    ics = ics_event(
        "ckpt-1@ethiekbot", "Ijkmoment " + "é" * 80, LONG, D(2027, 3, 1), None, stamp=STAMP
    )
    lines = _lines(ics)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines), "long text was folded"
    ev = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(ev["SUMMARY"]) == "Ijkmoment " + "é" * 80
    assert "URL" not in ev
    assert str(ev["DESCRIPTION"]) == LONG


def test_ics_calendar_holds_several_checkpoints() -> None:
    events = [
        CalendarEvent("a@ethiekbot", "Ontwerp", "Drietrap gedaan?", D(2027, 1, 1)),
        CalendarEvent("b@ethiekbot", "Aanbesteding", "Ethische clausules", D(2027, 4, 27)),
        CalendarEvent("c@ethiekbot", "Evaluatie", "Terugdraaien?", D(2027, 6, 30), "https://x.nl"),
    ]
    ics = ics_calendar(events, stamp=STAMP)
    assert max(len(line) for line in _lines(ics)) <= 75
    parsed = Calendar.from_ical(ics).walk("VEVENT")
    assert [str(e["UID"]) for e in parsed] == ["a@ethiekbot", "b@ethiekbot", "c@ethiekbot"]
    assert [e.decoded("DTSTART") for e in parsed] == [D(2027, 1, 4), D(2027, 4, 28), D(2027, 6, 30)]
    assert all(len(e.walk("VALARM")) == 1 for e in parsed)


def test_ics_default_stamp_is_now() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    ev = Calendar.from_ical(ics_event("x@ethiekbot", "s", "d", D(2027, 3, 1), None)).walk("VEVENT")[
        0
    ]
    stamp = ev.decoded("DTSTAMP")
    assert stamp.tzinfo is not None
    assert before <= stamp <= datetime.now(UTC)
