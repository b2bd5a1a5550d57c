"""The shape of the advisor's knowledge: pydantic models for every YAML file in ``knowledge/data``.

Every user-facing text is bilingual (:class:`Text`, Dutch first). Ids are stable kebab-case
strings; other parts of the bot and the checks refer to them, so they never change once shipped.
Cross-references (a case naming a value or instrument) are checked by the loader, not here,
because they span files.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from datetime import date, datetime
from functools import cached_property
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# A fact the triage adds itself, for rules.yaml: the question names nothing to judge yet.
UNCLEAR_QUESTION = "unclear-question"

Lang = Literal["nl", "en"]


class Strict(BaseModel):
    """Base for knowledge models: unknown keys are an error, so a typo in YAML is caught."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in Dutch and English."""

    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: Lang) -> str:
        """The text in ``lang``."""
        return self.nl if lang == "nl" else self.en


# --- values -------------------------------------------------------------------------------------


class Value(Strict):
    """One of the guide's twelve public values with its guiding question(s)."""

    id: str = Field(pattern=ID_PATTERN)
    name: Text
    also: Text | None = None  # the second name in the guide's table, e.g. Doelmatigheid
    questions: list[Text] = Field(min_length=1)
    raised_by: list[Text] = Field(default_factory=list)  # what strengthens the value
    lowered_by: list[Text] = Field(default_factory=list)  # what puts it under pressure


class ValuesFile(Strict):
    values: list[Value] = Field(min_length=1)


DpiaCriterion = Literal[
    "evaluation",  # evaluation or scoring, profiling, prediction
    "automated-decision",  # automated decisions with legal or similar effect
    "monitoring",  # systematic monitoring
    "sensitive",  # special categories or highly personal data
    "large-scale",
    "matching",  # matching or combining datasets
    "vulnerable",  # children, employees, benefit recipients, ...
    "innovative",  # innovative technology
    "blocking",  # prevents exercising a right or using a service
]


# --- drietrap -----------------------------------------------------------------------------------

StepId = Literal["willen", "mag", "kan"]


QuickScanKey = Literal[
    "personal-data",
    "outside-eea",
    "children",
    "evaluation",
    "automated-decision",
    "monitoring",
    "sensitive",
    "large-scale",
    "matching",
    "vulnerable",
    "innovative",
    "blocking",
]


class SubQuestion(Strict):
    """A question the conversation asks within one step of the drietrap.

    ``answer``: *ja-nee* (ja / nee / weet ik niet), *open* (free text), or *checklist* (the value
    checklist). ``concern_if``: the answer that is a concern. For Mag-het questions,
    ``answered_by`` names the quick-scan signals that already answer it from the description
    (the question is then skipped) and ``adds`` the DPIA criterion a "ja" adds.
    """

    id: str = Field(pattern=ID_PATTERN)
    ask: Text
    why: Text  # answers "waarom?": why the bot asks this
    hint: Text | None = None
    answer: Literal["ja-nee", "open", "checklist"] = "ja-nee"
    concern_if: Literal["ja", "nee"] | None = "ja"
    answered_by: list[QuickScanKey] = Field(default_factory=list)
    adds: DpiaCriterion | None = None


class DrietrapStep(Strict):
    id: StepId
    title: Text  # "Willen we het?"
    meaning: Text  # "Is het ethisch wenselijk?"
    who: Text  # who usually answers it (IT, legal, everyone)
    questions: list[SubQuestion] = Field(min_length=1)


class Drietrap(Strict):
    """The three questions of the guide, in the order the conversation takes them."""

    intro: Text
    advice: Text  # why we start from "Willen we het?"
    order: list[StepId] = Field(min_length=3, max_length=3)
    steps: list[DrietrapStep] = Field(min_length=3, max_length=3)


# --- instruments --------------------------------------------------------------------------------


class Preconditions(Strict):
    """What an instrument asks of the organisation, from the guide's appendix."""

    time: Text
    min_hours: float | None = Field(default=None, ge=0)
    group: Text | None = None
    group_min: int | None = Field(default=None, ge=1)
    group_max: int | None = Field(default=None, ge=1)
    place: Text | None = None
    preparation: Text | None = None
    facilitator: Text | None = None
    timing: Text | None = None  # when in a project it fits best


class Instrument(Strict):
    """An instrument for the ethics question: what need it answers and what it takes."""

    id: str = Field(pattern=ID_PATTERN)
    name: Text
    short: str  # a short label for buttons, e.g. "IAMA"
    need: Text  # the guide's "is er behoefte aan ...?"
    purpose: Text
    fits_when: list[Text] = Field(min_length=1)  # situations where it is the right choice
    method: list[Text] = Field(min_length=1)
    results: list[Text] = Field(min_length=1)
    preconditions: Preconditions
    # What to do first, where "plan it: time; group" would mislead (the IAMA's preconditions
    # describe its course, not the assessment itself).
    first_step: Text | None = None
    provider: str | None = None
    more_info: str


class InstrumentsFile(Strict):
    instruments: list[Instrument] = Field(min_length=1)


# --- cases --------------------------------------------------------------------------------------


class ValueJudgement(Strict):
    """One line of the guide's two columns: this value, and why."""

    value: str = Field(pattern=ID_PATTERN)
    because: Text


class Provenance(Strict):
    """Where a case promoted from a triage came from: which triage, who promoted it, and when."""

    outcome_id: str = Field(min_length=1)
    by: str = Field(min_length=1)  # the advisor's e-mail address
    at: datetime


class Case(Strict):
    """A past case: what was asked, what was weighed, what was learned.

    ``decisions`` and ``provenance`` are optional: cases an advisor promotes from a triage in
    the workspace have them, the shipped cases from the guide do not.
    """

    id: str = Field(pattern=ID_PATTERN)
    title: Text
    organisation: str | None = None  # None: the source names no organisation
    year: str | None = None  # None: the source does not say
    year_source: str | None = None  # where the year comes from when not from the sources
    key_values: list[str] = Field(default_factory=list)  # the guide's own words for them
    question: Text
    summary: Text
    technologies: list[str] = Field(default_factory=list)
    data: list[str] = Field(default_factory=list)
    stakeholders: list[str] = Field(default_factory=list)
    values_for: list[ValueJudgement] = Field(default_factory=list)  # wenselijk omdat
    values_against: list[ValueJudgement] = Field(default_factory=list)  # onwenselijk omdat
    instrument: str | None = Field(default=None, pattern=ID_PATTERN)  # instrument used, if any
    approach: Text  # how the question was taken on
    lessons: list[Text] = Field(min_length=1)
    source: str
    signals: list[str] = Field(default_factory=list)  # curated extra signal ids
    # What makes a question really like this case: each group names facts (signal ids or
    # tags) of which the question must share at least one. Without it, only a high score
    # makes a match "close".
    close_if: list[list[str]] = Field(default_factory=list)
    decisions: list[Text] = Field(default_factory=list)  # what the organisation decided
    provenance: Provenance | None = None  # set when promoted from a triage

    @field_validator("year")
    @classmethod
    def _year_like(cls, v: str | None) -> str | None:
        if v is not None and not any(ch.isdigit() for ch in v):
            raise ValueError("year must contain a year, e.g. '2022' or '2018-heden'")
        return v


# --- contacts -----------------------------------------------------------------------------------


class Contact(Strict):
    """A person, team or role the bot can point to."""

    id: str = Field(pattern=ID_PATTERN)
    name: Text
    about: Text  # what they do
    ask_when: Text  # when to turn to them
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    person: str | None = None  # a named person, only in an organisation's local override

    @field_validator("email")
    @classmethod
    def _email_like(cls, v: str | None) -> str | None:
        if v is not None and ("@" not in v or " " in v):
            raise ValueError(f"not an e-mail address: {v!r}")
        return v


class ContactsFile(Strict):
    contacts: list[Contact] = Field(min_length=1)


# --- checkpoints (ijkmomenten) --------------------------------------------------------------

ScanSignal = Literal[
    "personal-data",
    "dpia",
    "ai-prohibited",
    "ai-high-risk",
    "ai-transparency",
    "iama",
    "kia",
    "outside-eea",
]


class CheckpointCheck(Strict):
    """What the team checks at a checkpoint; with ``if_scan`` only when the outcome raised one
    of those Mag-het signals."""

    text: Text
    if_scan: list[ScanSignal] = Field(default_factory=list)


class CheckpointKind(Strict):
    """A moment in a project to look at the ethics again (seed 000: fixed checkpoints in data
    projects; the IPO guide: look back, with the mandate to roll back)."""

    id: str = Field(pattern=ID_PATTERN)
    label: Text
    moment: Text  # when it is, in words
    ask: Text  # the question for its date
    default_weeks: int | None = Field(default=None, ge=1, le=260)  # None: no date proposed
    checks: list[CheckpointCheck] = Field(min_length=1)

    def checks_for(self, signals: set[str]) -> list[Text]:
        """The checks that apply to an outcome with these Mag-het signals."""
        return [c.text for c in self.checks if not c.if_scan or signals & set(c.if_scan)]


class CheckpointsFile(Strict):
    checkpoints: list[CheckpointKind] = Field(min_length=1)


# --- signals ------------------------------------------------------------------------------------

SignalKind = Literal["technology", "data", "purpose", "group", "context", "need"]


class Signal(Strict):
    """A recognisable thing in a question: a technology, a kind of data, a purpose, a group.

    ``terms`` are lower-case words or phrases in Dutch and English; how they match is explained
    at the top of :mod:`knowledge.signals`. ``values`` are the public values this signal puts at
    stake. ``tags`` are the names the rules refer to (``rules.yaml`` for instruments,
    ``law.yaml`` for the legal quick scan): a signal's id and its tags become *facts*.
    ``min_count``: the signal counts only when a number of at least this size stands right
    before a term ("45.000 huishoudens"), so "large scale" can be recognised as people write it.
    """

    id: str = Field(pattern=ID_PATTERN)
    kind: SignalKind
    label: Text
    terms: list[str] = Field(min_length=1)
    exclude: list[str] = Field(default_factory=list)  # words that contain a term but mean else
    weight: float = Field(default=1.0, gt=0, le=5)
    values: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    min_count: int | None = Field(default=None, ge=2)

    @field_validator("terms", "exclude")
    @classmethod
    def _lower(cls, v: list[str]) -> list[str]:
        for t in v:
            if t != t.lower() or not t.strip():
                raise ValueError(f"terms are lower case and not empty: {t!r}")
            if len(t.lstrip("=")) < 2:
                raise ValueError(f"a one-letter term matches too much: {t!r}")
        return v


class SignalsFile(Strict):
    signals: list[Signal] = Field(min_length=1)


# --- instrument rules ---------------------------------------------------------------------------


class Condition(Strict):
    """When a rule applies: every fact in ``all``, at least one in ``any`` (if given), none in
    ``none``. Facts are the ids and tags of the signals found, and what earlier rules derived.
    One mechanism for ``rules.yaml`` (instruments) and ``law.yaml`` (the legal quick scan)."""

    all: list[str] = Field(default_factory=list)
    any: list[str] = Field(default_factory=list)
    none: list[str] = Field(default_factory=list)

    @cached_property
    def _sets(self) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        # The lists as sets, once: a triage asks a few hundred conditions, and set
        # operations run in C.
        return frozenset(self.all), frozenset(self.any), frozenset(self.none)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy (see pydantic), without the sets of the original's lists: an update may
        change them."""
        copy = super().model_copy(update=update, deep=deep)
        copy.__dict__.pop("_sets", None)
        return copy

    def holds(self, facts: AbstractSet[str]) -> bool:
        """Whether the condition is met by ``facts``."""
        every, some, no = self._sets
        return facts >= every and (not some or not facts.isdisjoint(some)) and facts.isdisjoint(no)

    def names(self) -> list[str]:
        """Every fact the condition refers to."""
        return [*self.all, *self.any, *self.none]


class InstrumentRule(Condition):
    """The guide's need-to-instrument mapping as one explainable rule.

    The rule fires when its condition holds over the question's facts (the ids and tags of the
    signals found). It then adds ``points`` to ``instrument``, and ``why`` is what the user
    reads.
    """

    id: str = Field(pattern=ID_PATTERN)
    instrument: str = Field(pattern=ID_PATTERN)
    points: float = Field(gt=0, le=10)
    why: Text


class RulesFile(Strict):
    rules: list[InstrumentRule] = Field(min_length=1)


# --- the organisation level (chapter 3 of the guide) ---------------------------------------

OrganisationLevel = Literal["bestuurlijk", "ambtelijk", "stappen", "raad", "partners"]


class OrganisationTheme(Condition):
    """A theme for embedding digital ethics in the organisation: what to check, and the advice.

    Its condition (usually ``any``) says when it is most relevant to a question; the themes
    whose condition holds come first.
    """

    id: str = Field(pattern=ID_PATTERN)
    level: OrganisationLevel
    title: Text
    check: Text  # the yes/no question of the organisation route
    advice: list[Text] = Field(min_length=1)
    source: str = Field(min_length=3)


class OrganisationFile(Strict):
    intro: Text
    themes: list[OrganisationTheme] = Field(min_length=1)


# --- the law (the Mag-het quick scan) -----------------------------------------------------------

LawFamily = Literal[
    "personal-data",  # the AVG applies
    "dpia-criterion",  # one of the EDPB's nine criteria (``criterion``)
    "dpia-required",  # a single trigger: art. 35(3) AVG or an item of the AP's list
    "ai-prohibited",  # AI Act art. 5(1)
    "ai-high-risk",  # AI Act art. 6(2) and Annex III
    "ai-transparency",  # AI Act art. 50
    "ai-duty",  # what a public deployer of high-risk AI must do (art. 27, art. 49)
    "iama",  # an algorithm affecting people: IAMA and the algorithm register
    "children",  # the processing concerns minors: a KIA
    "education",  # education or vocational training
    "outside-eea",  # personal data go to a country outside the EEA
    "question",  # the text cannot decide: the Mag-het step asks ``ask``
]


class LawFact(Condition):
    """A fact derived from other facts (``ai-system``, ``personal-data``, ``large-scale``...).

    Derived in the order of the file, so a later fact can build on an earlier one."""

    id: str = Field(pattern=ID_PATTERN)
    note: str | None = None  # for the editor: which legal notion this stands for


class LawRule(Condition):
    """One legal signal: when it applies, what it is called, where the law says so, what it
    means for the team and, where the text cannot decide, the question to ask.

    A rule of family ``question`` raises ``ask``; the user's *ja* adds the facts in ``if_yes``,
    *nee* those in ``if_no``, and the scan runs again with them.
    """

    id: str = Field(pattern=ID_PATTERN)
    family: LawFamily
    criterion: DpiaCriterion | None = None
    ref: str = Field(min_length=3)  # the article, annex point or list number
    applies_from: date | None = None
    label: Text
    meaning: Text | None = None  # what it means for the team
    ask: Text | None = None
    if_yes: list[str] = Field(default_factory=list)
    if_no: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _shape(self) -> LawRule:
        if self.family == "dpia-criterion" and self.criterion is None:
            raise ValueError("a dpia-criterion rule names its criterion")
        if self.family == "question" and self.ask is None:
            raise ValueError("a question rule has an 'ask'")
        return self


class LawFile(Strict):
    facts: list[LawFact] = Field(default_factory=list)
    rules: list[LawRule] = Field(min_length=1)
