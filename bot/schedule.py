"""Checkpoint dates: what people type, working days, the 09:00 send time, and .ics files.

Pure: no I/O, no storage, no clock except where a caller leaves `stamp` out of an .ics file.

- `parse_due(text, lang, today)` reads a date as a Dutch or English civil servant types it and
  returns a `DueDate`, or a `DateQuestion` to ask back: never a guess.
- `next_working_day(d)`, `send_time(d)`: reminders go at 09:00 Europe/Amsterdam on working days.
- `ics_event(...)`, `ics_calendar(events)`: the checkpoints for the team's own calendar.

Decisions (say them to users and advisors the same way):
- "begin <maand>" / "early <month>" is the 1st; the reminder moves to the first working day by
  itself. "half/medio <maand>" / "mid <month>" is the 15th. "eind <maand>" / "end of <month>" is
  the month's last working day: the checkpoint stays inside the month the team named (the 31st
  on a Saturday would otherwise move the reminder into the next month).
- A bare month ("juni"), a season ("na de zomer"), a quarter ("Q2 2027"), "volgende week" and
  words like "binnenkort" get a question with examples back: any day we picked would be a guess.
- "volgende vrijdag" / "next Friday" on a day when that weekday is still ahead this week is
  ambiguous (this week's or next week's): a question with both dates. "volgende week vrijdag" /
  "Friday next week" is always next week's; "vrijdag" / "aanstaande vrijdag" / "this Friday" is
  the first one after today.
- Numeric dates: Dutch conversations read day-month-year (15-03-2027, 3/4/2027 = 3 April). In an
  English conversation a date whose day and month could swap (03/04/2027) gets a question; one
  with a single valid reading (15/03/2027, 12/25/2026) is read that way.
- A day and month without a year is the next occurrence, except when this year's date passed
  less than a month ago ("1 december" typed on 2 December): then we ask whether next year is
  meant. Today, the past, nonsense ("31 februari") and more than five years ahead are asked.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

import dateparser
import holidays
from icalendar import Alarm, Calendar, Event

from knowledge.schema import Lang

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SEND_AT = time(9, 0)
MAX_YEARS_AHEAD = 5
# A day-month whose date this year passed less than this long ago is probably a slip, not a
# date next year: ask.
RECENT_PAST = timedelta(days=31)
PRODID = "-//Ethiekbot//Ijkmomenten//NL"

QuestionReason = Literal[
    "empty", "unreadable", "past", "today", "ambiguous", "nonsense", "far", "vague"
]


_Date = date  # DueDate's field is called `date`


@dataclass(frozen=True)
class DueDate:
    """A checkpoint date that was read without doubt, with how to say it back."""

    date: _Date
    text_nl: str
    text_en: str

    def text(self, lang: Lang) -> str:
        """The date as a person reads it, in `lang`."""
        return self.text_nl if lang == "nl" else self.text_en

    @property
    def reminder_date(self) -> _Date:
        """The working day the reminder goes out (the due date itself, or the next one)."""
        return next_working_day(self.date)


@dataclass(frozen=True)
class DateQuestion:
    """A question to ask back instead of guessing; `reason` is stable for code and tests."""

    reason: QuestionReason
    nl: str
    en: str

    def text(self, lang: Lang) -> str:
        """The question in `lang`."""
        return self.nl if lang == "nl" else self.en


# --- names, without the OS locale -------------------------------------------------------------

DAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip

_MONTH_WORDS: dict[str, int] = {}
for _i, (_nl, _en) in enumerate(zip(MONTHS_NL, MONTHS_EN, strict=True), start=1):
    _MONTH_WORDS[_nl] = _i
    _MONTH_WORDS[_en.lower()] = _i
    _MONTH_WORDS[_nl[:3]] = _i
    _MONTH_WORDS[_en.lower()[:3]] = _i
_MONTH_WORDS.update({"mrt": 3, "sept": 9, "okt": 10})

_DAY_WORDS: dict[str, int] = {}
for _i, (_nl, _en) in enumerate(zip(DAYS_NL, DAYS_EN, strict=True)):
    _DAY_WORDS[_nl] = _i
    _DAY_WORDS[_en.lower()] = _i
    _DAY_WORDS[_en.lower()[:3]] = _i
_DAY_WORDS.update({"ma": 0, "di": 1, "wo": 2, "do": 3, "vr": 4, "za": 5, "zo": 6})
_DAY_WORDS.update({"tues": 1, "thur": 3, "thurs": 3})

_MONTH_RE = "|".join(sorted(_MONTH_WORDS, key=len, reverse=True))
_DAY_RE = "|".join(sorted(_DAY_WORDS, key=len, reverse=True))


def format_date(d: date, lang: Lang) -> str:
    """'maandag 15 maart 2027' / 'Monday 15 March 2027'."""
    if lang == "nl":
        return f"{DAYS_NL[d.weekday()]} {d.day} {MONTHS_NL[d.month - 1]} {d.year}"
    return f"{DAYS_EN[d.weekday()]} {d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def _due(d: date) -> DueDate:
    return DueDate(d, format_date(d, "nl"), format_date(d, "en"))


# --- working days -----------------------------------------------------------------------------


@lru_cache(maxsize=64)
def days_off(year: int) -> frozenset[date]:
    """The Dutch public holidays of `year` on which no reminder goes out (weekends aside)."""
    nl = holidays.country_holidays("NL", years=year)
    # Bevrijdingsdag: the `holidays` package counts 5 May as a public holiday only in lustrum
    # years (2025, 2030), as most private-sector CAOs do. Our users are governments: the Rijk,
    # the CAO Gemeenten (art. 6.6, since 2024) and the provinces give 5 May off every year, so a
    # reminder never goes out on it.
    return frozenset([*nl.keys(), date(year, 5, 5)])


def is_working_day(d: date) -> bool:
    """Monday to Friday and not a Dutch public holiday (Bevrijdingsdag every year)."""
    return d.weekday() < 5 and d not in days_off(d.year)


def next_working_day(d: date) -> date:
    """`d` itself when it is a working day in the Netherlands, else the next working day.

    Not working: Saturdays, Sundays, and the Dutch public holidays from the `holidays` package
    (Nieuwjaar, Goede Vrijdag, Pasen, Koningsdag (26 April when the 27th is a Sunday),
    Hemelvaart, Pinksteren, Kerst), plus Bevrijdingsdag (5 May) every year: the package keeps it
    only in lustrum years, but government employers (Rijk, gemeenten, provincies) give it off
    every year. Goede Vrijdag stays a day off as the package has it (ambtenaren of the Rijk are
    off; where a gemeente works, the reminder is one working day late, never on a day off).
    """
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def send_time(d: date) -> datetime:
    """09:00 Europe/Amsterdam on `next_working_day(d)`, as an aware UTC datetime.

    The wall-clock time is fixed; the UTC offset follows the date (08:00 UTC in winter, 07:00
    UTC in summer), so DST changes never shift the reminder.
    """
    local = datetime.combine(next_working_day(d), SEND_AT, tzinfo=AMSTERDAM)
    return local.astimezone(UTC)


def _last_working_day(year: int, month: int) -> date:
    d = date(year, month, calendar.monthrange(year, month)[1])
    while not is_working_day(d):
        d -= timedelta(days=1)
    return d


# --- reading what people type -----------------------------------------------------------------

_NUMBER_WORDS = {
    "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
    "acht": 8, "negen": 9, "tien": 10, "elf": 11, "twaalf": 12,
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_UNITS = r"dag|dagen|week|weken|maand|maanden|jaar|jaren|days?|weeks?|months?|years?"
_NUMBER_UNIT = re.compile(
    r"\b(" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")\s+(" + _UNITS + r")\b"
)
# Said in words that dateparser does not read; rewritten to what it does.
_PHRASES = (
    (re.compile(r"\b(?:een\s+)?half\s+jaar\b"), "6 maanden"),
    (re.compile(r"\banderhalf\s+jaar\b"), "18 maanden"),
    (re.compile(r"\banderhalve\s+maand\b"), "6 weken"),
    (re.compile(r"\bhalf\s+a\s+year\b|\ba\s+half\s+year\b"), "6 months"),
    (re.compile(r"\b(?:een|1)\s+kwartaal\b"), "3 maanden"),
    (re.compile(r"\bbinnen\b"), "over"),
    (re.compile(r"\bwithin\b"), "in"),
)
# Fillers in front of a date: "op 1 maart", "uiterlijk 15-03-2027", "by next Monday".
_LEAD = re.compile(r"^(?:op|per|uiterlijk|vóór|voor|rond|on|by|before|around|the)\s+")
_ORDINAL = re.compile(r"\b(\d{1,2})(?:e|ste|de|st|nd|rd|th)\b")

_VAGUE = re.compile(
    r"\b(zomer|zomervakantie|winter|lente|voorjaar|najaar|herfst|vakantie|binnenkort|later|"
    r"ooit|zsm|z\.s\.m\.?|spoedig|summer|spring|autumn|fall|holidays?|soon|sometime|asap|"
    r"eventually)\b"
)
_QUARTER = re.compile(
    r"^(?:q([1-4])|([1-4])(?:e|de|ste)?\s+kwartaal|kwartaal\s+([1-4])|([1-4])(?:st|nd|rd|th)\s+"
    r"quarter|quarter\s+([1-4]))(?:\s+(\d{4}))?$"
)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{4}|\d{2}))?$")
_YEAR = r"(\d{4}|'\d{2})"
_DAY_MONTH = re.compile(rf"^(\d{{1,2}})\s+(?:of\s+)?({_MONTH_RE})\.?(?:\s+{_YEAR})?$")
_MONTH_DAY = re.compile(rf"^({_MONTH_RE})\.?\s+(\d{{1,2}}),?(?:\s+{_YEAR})?$")
_PART_MONTH = re.compile(
    rf"^(begin|start|early|half|medio|mid|midden|eind|einde|end|late)(?:\s+of)?(?:\s+the)?"
    rf"(?:\s+van)?\s+({_MONTH_RE})\.?(?:\s+{_YEAR})?$"
)
_BARE_MONTH = re.compile(rf"^({_MONTH_RE})\.?(?:\s+{_YEAR})?$")
_WEEKDAY_LEAD = re.compile(rf"^({_DAY_RE})\.?,?\s+(?=\d|{_MONTH_RE})")
_WEEKDAY = re.compile(
    rf"^(?:(?P<pre>volgende week|next week|volgende|next|aanstaande|a\.s\.|deze|this|coming|"
    rf"komende)\s+)?(?P<day>{_DAY_RE})(?:\s+(?P<post>volgende week|next week|over een week))?$"
)
_WEEK_ONLY = re.compile(r"^(?:volgende week|next week|deze week|this week|komende week)$")


def _q(reason: QuestionReason, nl: str, en: str) -> DateQuestion:
    # Questions may start with a rendered date ("dinsdag 1 december ..."): a capital first.
    return DateQuestion(reason, nl[:1].upper() + nl[1:], en[:1].upper() + en[1:])


def _year(raw: str | None, default: int) -> int:
    if raw is None:
        return default
    if raw.startswith("'"):
        return 2000 + int(raw[1:])
    return int(raw) if len(raw) == 4 else 2000 + int(raw)


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _nonsense(day: int, month: int, year: int | None) -> DateQuestion:
    when_nl = f"{day} {MONTHS_NL[month - 1]}" if 1 <= month <= 12 else f"{day}-{month}"
    when_en = f"{day} {MONTHS_EN[month - 1]}" if 1 <= month <= 12 else f"{day}/{month}"
    if year is not None:
        when_nl, when_en = f"{when_nl} {year}", f"{when_en} {year}"
    return _q(
        "nonsense",
        f"{when_nl} bestaat niet. Welke datum bedoel je?",
        f"{when_en} does not exist. Which date do you mean?",
    )


def _next_occurrence(today: date, make: Callable[[int], date | None]) -> date | DateQuestion:
    """The first date `make(year)` after today; a question when this year's just passed."""
    this_year = make(today.year)
    if this_year is not None and this_year > today:
        return this_year
    # The next year it exists in (29 February: up to four years on).
    nxt = next(d for y in range(today.year + 1, today.year + 9) if (d := make(y)) is not None)
    if this_year is not None and today - this_year < RECENT_PAST:
        if this_year == today:
            reason: QuestionReason = "today"
            head_nl, head_en = "Dat is vandaag", "That is today"
        else:
            reason = "past"
            head_nl = f"{format_date(this_year, 'nl')} is al voorbij"
            head_en = f"{format_date(this_year, 'en')} has passed"
        return _q(
            reason,
            f"{head_nl}. Bedoel je {format_date(nxt, 'nl')}? Typ dan de datum met het jaar.",
            f"{head_en}. Do you mean {format_date(nxt, 'en')}? Then type the date with the year.",
        )
    return nxt


def _day_month(day: int, month: int, year_raw: str | None, today: date) -> date | DateQuestion:
    if year_raw is not None:
        y = _year(year_raw, today.year)
        return _valid(y, month, day) or _nonsense(day, month, y)
    if _valid(2028, month, day) is None:  # not even in a leap year
        return _nonsense(day, month, None)
    return _next_occurrence(today, lambda y: _valid(y, month, day))


def _numeric(m: re.Match[str], lang: Lang, today: date) -> date | DateQuestion:
    a, b, year_raw = int(m.group(1)), int(m.group(2)), m.group(3)
    y = _year(year_raw, today.year) if year_raw else 2028  # no year: a leap year, for validity
    # (day, month) readings. Dutch conversations read day-month and fall back to month-day
    # only when that is the one date that exists (12-25-2026); English ones may mean either.
    readings = [(a, b)] if lang == "nl" and _valid(y, b, a) else [(a, b), (b, a)]
    valid = list(dict.fromkeys((d, mo) for d, mo in readings if _valid(y, mo, d)))
    if not valid:
        return _nonsense(a, b, y if year_raw else None)
    if len(valid) == 1:
        return _day_month(*valid[0], year_raw, today)
    options = [r for d, mo in valid if isinstance(r := _day_month(d, mo, year_raw, today), date)]
    if len(options) == 1:
        return options[0]
    if not options:
        return _day_month(*valid[0], year_raw, today)  # both passed: ask about the first
    one, two = options
    return _q(
        "ambiguous",
        f"Bedoel je {format_date(one, 'nl')} of {format_date(two, 'nl')}? Schrijf de maand "
        f"voluit, bijvoorbeeld '{one.day} {MONTHS_NL[one.month - 1]} {one.year}'.",
        f"Do you mean {format_date(one, 'en')} or {format_date(two, 'en')}? Write the month as "
        f"a word, for example '{one.day} {MONTHS_EN[one.month - 1]} {one.year}'.",
    )


def _part_of_month(part: str, month: int, year_raw: str | None, today: date) -> date | DateQuestion:
    def make(y: int) -> date:
        if part in ("begin", "start", "early"):
            return date(y, month, 1)
        if part in ("half", "medio", "mid", "midden"):
            return date(y, month, 15)
        return _last_working_day(y, month)

    if year_raw is not None:
        return make(_year(year_raw, today.year))
    return _next_occurrence(today, make)


def _quarter(q: int, year_raw: str | None, today: date) -> DateQuestion:
    y = _year(year_raw, today.year)
    if year_raw is None and date(y, 3 * q, 1) < today.replace(day=1):
        y += 1
    start_nl, end_nl = MONTHS_NL[3 * q - 3], MONTHS_NL[3 * q - 1]
    start_en, end_en = MONTHS_EN[3 * q - 3], MONTHS_EN[3 * q - 1]
    return _q(
        "vague",
        f"Begin of eind van Q{q} {y}? Typ bijvoorbeeld 'begin {start_nl} {y}' of "
        f"'eind {end_nl} {y}'.",
        f"The start or the end of Q{q} {y}? Type for example 'early {start_en} {y}' or "
        f"'end of {end_en} {y}'.",
    )


def _weekday(m: re.Match[str], today: date) -> date | DateQuestion:
    wd = _DAY_WORDS[m.group("day")]
    pre, post = m.group("pre"), m.group("post")
    first = today + timedelta(days=(wd - today.weekday() - 1) % 7 + 1)  # strictly after today
    next_monday = today + timedelta(days=7 - today.weekday())
    in_next_week = next_monday + timedelta(days=wd)
    if post or pre in ("volgende week", "next week"):
        return in_next_week
    if pre in ("volgende", "next") and first != in_next_week:
        # Today Wednesday, "next Friday": this Friday or the one after? People differ.
        return _q(
            "ambiguous",
            f"Bedoel je {format_date(first, 'nl')} of {format_date(in_next_week, 'nl')}?",
            f"Do you mean {format_date(first, 'en')} or {format_date(in_next_week, 'en')}?",
        )
    return first


_EXAMPLES_NL = "'1 maart 2027', 'over 3 maanden', 'eind juni' of '15-03-2027'"
_EXAMPLES_EN = "'1 March 2027', 'in 3 months', 'end of June' or '2027-03-15'"


def _normalise(text: str) -> str:
    t = " ".join(text.strip().lower().split())
    t = t.rstrip(".!?,; ")
    t = _LEAD.sub("", t)
    t = _ORDINAL.sub(r"\1", t)
    return t


def _dateparser(t: str, lang: Lang, today: date) -> date | None:
    for pattern, repl in _PHRASES:
        t = pattern.sub(repl, t)
    t = _NUMBER_UNIT.sub(lambda m: f"{_NUMBER_WORDS[m.group(1)]} {m.group(2)}", t)
    t = re.sub(r"^over\s+(\d+)\s+(dag|week|maand|jaar)\b", r"over \1 \2", t)
    settings = {
        "DATE_ORDER": "DMY" if lang == "nl" else "MDY",
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": datetime.combine(today, time()),
        "RETURN_AS_TIMEZONE_AWARE": False,
        # STRICT_PARSING would want a year in every date and refuse "15th of March"; requiring
        # day and month refuses what it would otherwise fill in by guessing ("juni", "2027", "3").
        "REQUIRE_PARTS": ["day", "month"],
    }
    languages = ["nl", "en"] if lang == "nl" else ["en", "nl"]
    parsed = dateparser.parse(t, languages=languages, settings=settings)
    return parsed.date() if parsed is not None else None


def _read(t: str, lang: Lang, today: date) -> date | DateQuestion | None:
    if m := _QUARTER.match(t):
        q = next(int(g) for g in m.groups()[:5] if g)
        return _quarter(q, m.group(6), today)
    if _WEEK_ONLY.match(t):
        return _q(
            "vague",
            "Welke dag? Typ bijvoorbeeld 'volgende week dinsdag' of een datum.",
            "Which day? Type for example 'Tuesday next week' or a date.",
        )
    if _VAGUE.search(t):
        return _q(
            "vague",
            f"Welke datum bedoel je precies? Typ bijvoorbeeld {_EXAMPLES_NL}.",
            f"Which date exactly? Type for example {_EXAMPLES_EN}.",
        )
    if m := _ISO.match(t):
        y, mo, d = (int(g) for g in m.groups())
        return _valid(y, mo, d) or _nonsense(d, mo, y)
    if m := _NUMERIC.match(t):
        return _numeric(m, lang, today)
    if m := _PART_MONTH.match(t):
        return _part_of_month(m.group(1), _MONTH_WORDS[m.group(2)], m.group(3), today)
    if m := _DAY_MONTH.match(t):
        return _day_month(int(m.group(1)), _MONTH_WORDS[m.group(2)], m.group(3), today)
    if m := _MONTH_DAY.match(t):
        return _day_month(int(m.group(2)), _MONTH_WORDS[m.group(1)], m.group(3), today)
    if m := _BARE_MONTH.match(t):
        mo = _MONTH_WORDS[m.group(1)]
        tail = f" {m.group(2)}" if m.group(2) else ""
        return _q(
            "vague",
            f"Welke dag in {MONTHS_NL[mo - 1]}{tail}? Typ bijvoorbeeld 'begin "
            f"{MONTHS_NL[mo - 1]}{tail}', '15 {MONTHS_NL[mo - 1]}{tail}' of 'eind "
            f"{MONTHS_NL[mo - 1]}{tail}'.",
            f"Which day in {MONTHS_EN[mo - 1]}{tail}? Type for example 'early "
            f"{MONTHS_EN[mo - 1]}{tail}', '15 {MONTHS_EN[mo - 1]}{tail}' or 'end of "
            f"{MONTHS_EN[mo - 1]}{tail}'.",
        )
    if m := _WEEKDAY.match(t):
        return _weekday(m, today)
    return _dateparser(t, lang, today)


def parse_due(text: str, lang: Lang, today: date) -> DueDate | DateQuestion:
    """Read a checkpoint date as people type it; a question back when in any doubt.

    `lang` is the conversation's language (its words and numeric order are tried first; the
    other language is read too). `today` is the team's date in Europe/Amsterdam. Returns a
    `DueDate` for a date after today and at most five years ahead, else a `DateQuestion`
    whose `reason` is one of: empty, unreadable, past, today, ambiguous, nonsense, far, vague.
    The due date is the day the team named; `next_working_day` / `send_time` move the reminder.
    """
    t = _normalise(text)
    if not t:
        return _q(
            "empty",
            f"Welke datum? Typ bijvoorbeeld {_EXAMPLES_NL}.",
            f"Which date? Type for example {_EXAMPLES_EN}.",
        )
    named_weekday: int | None = None
    if m := _WEEKDAY_LEAD.match(t):  # "maandag 15 maart 2027": what we say back, typed again
        named_weekday = _DAY_WORDS[m.group(1)]
        t = t[m.end() :]
    found = _read(t, lang, today)
    if isinstance(found, DateQuestion):
        return found
    if found is None:
        return _q(
            "unreadable",
            f"Die datum kan ik niet lezen. Typ bijvoorbeeld {_EXAMPLES_NL}.",
            f"I can't read that date. Type for example {_EXAMPLES_EN}.",
        )
    if named_weekday is not None and named_weekday != found.weekday():
        return _q(
            "ambiguous",
            f"{found.day} {MONTHS_NL[found.month - 1]} {found.year} is een "
            f"{DAYS_NL[found.weekday()]}, geen {DAYS_NL[named_weekday]}. Welke datum bedoel je?",
            f"{found.day} {MONTHS_EN[found.month - 1]} {found.year} is a "
            f"{DAYS_EN[found.weekday()]}, not a {DAYS_EN[named_weekday]}. Which date do you mean?",
        )
    return _check(found, today)


def _check(d: date, today: date) -> DueDate | DateQuestion:
    if d == today:
        return _q(
            "today",
            "Dat is vandaag. Een ijkmoment plan je vooruit: welke datum later?",
            "That is today. A checkpoint is planned ahead: which later date?",
        )
    if d < today:
        return _q(
            "past",
            f"{format_date(d, 'nl')} is al voorbij. Welke datum in de toekomst bedoel je?",
            f"{format_date(d, 'en')} has passed. Which future date do you mean?",
        )
    try:
        limit = today.replace(year=today.year + MAX_YEARS_AHEAD)
    except ValueError:  # 29 February
        limit = date(today.year + MAX_YEARS_AHEAD, 2, 28)
    if d > limit:
        return _q(
            "far",
            f"Klopt {d.year}? {format_date(d, 'nl')} is meer dan {MAX_YEARS_AHEAD} jaar vooruit, "
            f"en ijkmomenten plan ik tot {MAX_YEARS_AHEAD} jaar vooruit. Typ de datum met het "
            "goede jaar.",
            f"Is {d.year} right? {format_date(d, 'en')} is more than {MAX_YEARS_AHEAD} years "
            f"ahead, and checkpoints are planned up to {MAX_YEARS_AHEAD} years ahead. Type the "
            "date with the right year.",
        )
    return _due(d)


# --- calendar files ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEvent:
    """One checkpoint for an .ics file; `due` is the date the team named."""

    uid: str
    summary: str
    description: str
    due: date
    url: str | None = None


def _vevent(e: CalendarEvent, stamp: datetime) -> Event:
    day = next_working_day(e.due)
    ev = Event()
    ev.add("uid", e.uid)
    ev.add("dtstamp", stamp.astimezone(UTC))
    ev.add("summary", e.summary)
    ev.add("description", e.description if e.url is None else f"{e.description}\n\n{e.url}")
    # All-day: DTSTART is the working day, DTEND (exclusive) the day after.
    ev.add("dtstart", day)
    ev.add("dtend", day + timedelta(days=1))
    ev.add("transp", "TRANSPARENT")  # a reminder, not a busy day
    if e.url is not None:
        ev.add("url", e.url)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", e.summary)
    # Relative to the all-day start (local midnight of the working day): 09:00 in the team's
    # own time zone. Calendar programs support this far better than an absolute trigger.
    alarm.add("trigger", timedelta(hours=SEND_AT.hour, minutes=SEND_AT.minute))
    ev.add_component(alarm)
    return ev


def ics_calendar(events: Iterable[CalendarEvent], *, stamp: datetime | None = None) -> bytes:
    """An iCalendar file with one all-day VEVENT per checkpoint, each with a 09:00 alarm.

    Events fall on `next_working_day(due)`. `stamp` is DTSTAMP (default: now, UTC). Lines end
    in CRLF and are folded at 75 octets, as RFC 5545 asks.
    """
    when = stamp if stamp is not None else datetime.now(UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Ethiekbot ijkmomenten")
    for e in events:
        cal.add_component(_vevent(e, when))
    ical: bytes = cal.to_ical()
    return ical


def ics_event(
    uid: str,
    summary: str,
    description: str,
    d: date,
    url: str | None,
    *,
    stamp: datetime | None = None,
) -> bytes:
    """An iCalendar file with one checkpoint: all-day on `next_working_day(d)`, alarm at 09:00."""
    return ics_calendar([CalendarEvent(uid, summary, description, d, url)], stamp=stamp)
