"""Channel-neutral messages and the conversation state.

An adapter turns what its channel received into an :class:`Inbound`, hands it with the stored
:class:`ConversationState` to the engine, and renders the :class:`Reply` list it gets back in its
own way (plain text, HTML, Block Kit, Adaptive Cards). ``Reply.text`` uses a small Markdown
subset that every channel can show: ``**bold**``, ``_italic_``, lines starting with ``- `` as
bullets, and blank lines between paragraphs. User text inside it is never trusted: each adapter
escapes it for its own format.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from knowledge.schema import Lang, StepId

MAX_INPUT_CHARS = 20_000
# The form of an outcome's kenmerk (``T-`` and hex): checked wherever one arrives from outside.
OUTCOME_ID_PATTERN = r"^T-[0-9a-f]{6,32}$"
# C0 and C1 control characters except tab, newline and carriage return; lone surrogates.
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def safe_text(text: str) -> str:
    """``text`` without control characters and lone surrogates (newlines and tabs stay)."""
    return _UNSAFE.sub("", text) if _UNSAFE.search(text) else text


class Inbound(BaseModel):
    """One thing a person did: typed text or chose an option.

    ``conversation`` identifies the conversation within the channel (including the thread where
    a channel has threads); ``user`` is the channel's id for the person. ``locale`` is the
    channel's idea of the person's language, used only when the conversation has none yet.
    """

    model_config = ConfigDict(frozen=True)

    channel: str = Field(min_length=1, max_length=40)
    conversation: str = Field(min_length=1, max_length=300)
    user: str = Field(min_length=1, max_length=200)
    text: str | None = None
    choice: str | None = Field(default=None, max_length=200)
    locale: Lang | None = None
    # Randomness for a conversation that starts with this message (its outcome id), drawn by
    # the service so the engine stays a pure function of its input; never set by a channel.
    seed: str | None = Field(default=None, pattern=r"^[0-9a-f]{24}$")

    @field_validator("conversation", "user", "text", "choice", mode="before")
    @classmethod
    def _safe(cls, value: object) -> object:
        # What a channel hands over is stored, matched and sent on: control characters and
        # lone surrogates (which cannot be encoded) are dropped here, at the way in.
        return safe_text(value) if isinstance(value, str) else value

    @property
    def key(self) -> str:
        """The storage key of the conversation: channel and conversation."""
        return f"{self.channel}:{self.conversation}"


class Choice(BaseModel):
    """An option offered to the user; adapters show it as a button or a numbered line."""

    model_config = ConfigDict(frozen=True)

    id: str
    label: str
    url: str | None = None  # a link to open (the advisor's workspace) instead of a choice


class Reply(BaseModel):
    """One message from the bot."""

    model_config = ConfigDict(frozen=True)

    text: str
    choices: list[Choice] = Field(default_factory=list)
    content: dict[str, Any] | None = None  # structured: {"kind": "outcome" | "summary" | ...}


Answer = Literal["ja", "nee", "weet-niet", "open", "overgeslagen"]
ValueAnswerKind = Literal["geen-zorg", "zorg", "weet-niet", "overgeslagen"]
Step = Literal["describe", "quick", "walk", "outcome", "done"]
Verdict = Literal["groen", "oranje", "rood", "onbekend"]


class QuestionAnswer(BaseModel):
    """The answer to one drietrap question (immutable: replaced, never changed)."""

    model_config = ConfigDict(frozen=True)

    answer: Answer
    note: str | None = None
    derived: bool = False  # taken from the description, not asked


class ValueAnswer(BaseModel):
    """The answer to one value of the checklist (immutable: replaced, never changed)."""

    model_config = ConfigDict(frozen=True)

    answer: ValueAnswerKind
    note: str | None = None


class ConversationState(BaseModel):
    """Everything the engine remembers of one conversation; stored as JSON between turns.

    ``queue`` holds the prompts of the drietrap walk in order (``q:<question>``, ``v:<value>``,
    ``l:<law question>``, ``values-more``, ``mag-result``), or of the organisation route
    (``o:<theme>``); ``position`` the prompt now waiting for an answer. ``draft`` keeps a
    description too vague to judge, so the next message can add to it.
    Choice ids carry ``prompt_seq`` so a button from an earlier prompt is recognised as stale.
    """

    version: int = 1
    lang: Lang = "nl"
    step: Step = "describe"
    description: str | None = None
    draft: str | None = None
    queue: list[str] = Field(default_factory=list)
    position: int = 0
    history: list[int] = Field(default_factory=list)
    awaiting_note: str | None = None
    answers: dict[str, QuestionAnswer] = Field(default_factory=dict)
    value_answers: dict[str, ValueAnswer] = Field(default_factory=dict)
    prompt_seq: int = 0
    nonce: str = "0"  # per conversation, so buttons of an earlier conversation are stale
    # 96 random bits drawn when the conversation starts; its outcome's id is made from them,
    # so the id is unguessable and the engine stays a function of its state and input.
    id_seed: str = ""
    lang_fixed: bool = False  # the user chose the language; do not detect it again
    outcome_id: str | None = None
    handed_over: bool = False
    # Asked for a person before describing the project: the description is handed over at once.
    human_requested: bool = False
    started_at: datetime | None = None
    previous_outcome_id: str | None = None  # a re-check of this earlier outcome
    # After `stop`: the next text is not taken as an answer; the pending question is asked again.
    paused: bool = False
    # After `opnieuw`: waiting for "ja" before erasing the conversation.
    confirm_restart: bool = False
    # Abbreviations already explained in this conversation (explained once, at first use).
    explained: list[str] = Field(default_factory=list)
    # What someone wrote in their own words to a value question, kept as the note of the
    # answer they choose next ("Zorg" or "Geen zorg").
    held_note: str | None = None
    held_for: str | None = None  # the question it was written to; used for that one only

    def copy_for_turn(self) -> ConversationState:
        """A copy the engine may change without touching the caller's object.

        Cheaper than a deep copy: the answers are immutable, so copying the containers is enough.
        """
        return self.model_copy(
            update={
                "queue": list(self.queue),
                "history": list(self.history),
                "answers": dict(self.answers),
                "value_answers": dict(self.value_answers),
                "explained": list(self.explained),
            }
        )

    @property
    def current(self) -> str | None:
        """The prompt waiting for an answer during the walk."""
        if self.step == "walk" and 0 <= self.position < len(self.queue):
            return self.queue[self.position]
        return None


class StepVerdict(BaseModel):
    """The verdict of one drietrap step, with its reasons (already in the outcome's language)."""

    step: StepId
    verdict: Verdict
    reasons: list[str]


class ValueLine(BaseModel):
    """A line of the guide's two columns."""

    value: str
    name: str
    because: str


class Outcome(BaseModel):
    """A finished triage as it is logged for the ethics advisor and rendered as a report.

    Store what review needs and no more: the description and answers the person gave, the
    verdicts and recommendations, the channel and a pseudonymous reference to the person.
    """

    id: str
    lang: Lang
    created_at: datetime
    description: str
    purpose: str | None
    verdicts: list[StepVerdict]
    desirable: list[ValueLine]
    undesirable: list[ValueLine]
    tensions: list[str]
    cases: list[dict[str, Any]]
    instruments: list[dict[str, Any]]
    values: list[str]
    mag_het: dict[str, Any]
    risk: str
    contacts: list[dict[str, Any]]
    next_steps: list[str]
    answers: dict[str, QuestionAnswer]
    value_answers: dict[str, ValueAnswer]
    complete: bool  # the whole drietrap was walked, or only the advice was asked
    previous_outcome_id: str | None = None  # the earlier outcome this one re-checks
    # For a question about the organisation: chapter 3's themes, the user's answer to each
    # (None when only the advice was asked) and the guide's advice.
    organisation: list[dict[str, Any]] = Field(default_factory=list)
    # Every answer the person gave, in the order asked, beside its question and in the
    # conversation's language: {"step", "question", "answer" (in words), "note", "derived"}.
    answered: list[dict[str, Any]] = Field(default_factory=list)

    @property
    def instrument_id(self) -> str | None:
        """The id of the instrument recommended first, if any."""
        return str(self.instruments[0]["id"]) if self.instruments else None

    def signal_ids(self) -> list[str]:
        """The Mag-het signals raised, as stable ids the advisor's queue filters on:
        ``personal-data``, ``dpia``, ``ai-prohibited``, ``ai-high-risk``, ``ai-transparency``,
        ``iama``, ``kia`` (children), ``outside-eea``."""
        scan = self.mag_het
        out: list[str] = []
        if (scan.get("personal_data") or {}).get("signal"):
            out.append("personal-data")
        if (scan.get("dpia") or {}).get("likely_required"):
            out.append("dpia")
        for finding in (scan.get("ai_act") or {}).get("findings") or []:
            sid = f"ai-{finding.get('id')}"
            if sid in ("ai-prohibited", "ai-high-risk", "ai-transparency") and sid not in out:
                out.append(sid)
        if (scan.get("iama") or {}).get("signal"):
            out.append("iama")
        if (scan.get("children") or {}).get("signal"):
            out.append("kia")
        if (scan.get("outside_eea") or {}).get("signal"):
            out.append("outside-eea")
        return out


CorrectionField = Literal["risk", "instrument", "verdict-willen", "verdict-mag", "verdict-kan"]


class Correction(BaseModel):
    """The ethics advisor's judgement on one part of the bot's outcome, with the reason.

    ``original`` is what the bot said (kept, so the advisor always sees both); ``revised`` is the
    advisor's value (a risk level, an instrument id, or a verdict).
    """

    model_config = ConfigDict(frozen=True)

    field: CorrectionField
    original: str
    revised: str
    reason: str
    at: datetime


class AdvisorMessage(BaseModel):
    """One message between the ethics advisor and the employee about an outcome."""

    model_config = ConfigDict(frozen=True)

    sender: Literal["adviseur", "medewerker"]
    text: str
    at: datetime


class Review(BaseModel):
    """What the ethics advisor added to an outcome that the employee may see: corrections (the
    newest per field counts) and the exchange of messages. Shown on the employee's report."""

    model_config = ConfigDict(frozen=True)

    corrections: list[Correction] = Field(default_factory=list)
    messages: list[AdvisorMessage] = Field(default_factory=list)

    def current(self) -> dict[str, Correction]:
        """The correction in force per field (the newest)."""
        out: dict[str, Correction] = {}
        for c in sorted(self.corrections, key=lambda c: c.at):
            out[c.field] = c
        return out
