"""The conversation: the drietrap and the value checklist, one turn at a time.

:meth:`Engine.handle` is a pure function of the :class:`Inbound`, the stored state and the time:
it does no I/O and knows no channel. It returns the replies, the new state (``None`` when the
conversation is to be forgotten) and effects for the caller to carry out (log an outcome, hand it
over). The flow::

    describe → quick take → Willen we het? (purpose, need, stakeholders, values)
             → Mag het? (only what the description did not answer) → Kan het? → outcome

Commands work at any point, in Dutch and English: hulp, terug, overslaan, opnieuw, samenvatting,
stop, privacy, english/nederlands, waarom?
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz

from dialogs.glossary import GLOSSARY, explain, meaning
from dialogs.markdown import escape
from dialogs.models import (
    MAX_INPUT_CHARS,
    Choice,
    ConversationState,
    Inbound,
    Outcome,
    QuestionAnswer,
    Reply,
    ValueAnswer,
)
from dialogs.outcome import (
    LAW_ANSWER,
    ORG_ANSWER,
    build_outcome,
    questions_by_id,
    scan_evidence,
    scan_keys,
    scan_with_answers,
)
from dialogs.render import (
    outcome_card,
    outcome_sections,
    render_outcome,
    render_report,
    render_scan,
    render_summary,
)
from dialogs.texts import t
from knowledge.quickscan import cite
from knowledge.schema import Lang, StepId
from knowledge.text import clean, detect_language, fold, other_language, words
from knowledge.triage import OTHER_LANGUAGE, Advisor, Triage

RELEVANT_VALUES = 5
SHORT_VALUES = 3  # the short route asks the values most at stake
# The organisation route asks one question per theme of chapter 3, the most relevant first.
ORG_ROUTE = 6
STEP_NUMBER: dict[StepId, int] = {"willen": 1, "mag": 2, "kan": 3}


@dataclass(frozen=True)
class Policy:
    """How long things are kept, and who answers for it; the engine only tells the user,
    storage enforces it."""

    state_days: int = 30
    outcome_days: int = 365
    controller: str | None = None  # the organisation responsible (AVG art. 4(7))
    dpo_contact: str | None = None  # how to reach its data protection officer (FG)
    # Whether a person can read a hand-over now (an advisor registered, or a channel they
    # are notified in). The bot promises a human only when this holds.
    staffed: Callable[[], bool] = field(default=lambda: True, compare=False)

    def statement(self, lang: Lang) -> str:
        """The privacy statement from the settings in force (AVG art. 13): what is kept, why
        and how long, who is responsible, the legal basis, and the rights."""
        unknown = t("privacy_unset", lang)
        return t(
            "privacy_full",
            lang,
            state_days=self.state_days,
            outcome_days=self.outcome_days,
            controller=self.controller or unknown,
            # (Unset: the FG of the organisation named, or of the one to ask about.)
            dpo=self.dpo_contact or t("privacy_dpo_unset", lang),
        )


@dataclass(frozen=True)
class LogOutcome:
    """Effect: store this outcome for the ethics advisor (status ``nieuw``)."""

    outcome: Outcome


@dataclass(frozen=True)
class HandOver:
    """Effect: mark the outcome as handed over; keep how the advisor can reach the user."""

    outcome_id: str
    user: str


@dataclass(frozen=True)
class StartCheckpoints:
    """Effect: the team wants reminders at checkpoints for this outcome (the service runs
    that small conversation; the drietrap is done)."""

    outcome_id: str


Effect = LogOutcome | HandOver | StartCheckpoints


@dataclass
class Turn:
    """What one inbound message led to."""

    replies: list[Reply]
    state: ConversationState | None
    effects: list[Effect] = field(default_factory=list)


_COMMANDS: dict[str, str] = {}
for _cmd, _words in {
    "help": ["hulp", "help", "?", "menu"],
    "back": ["terug", "back", "vorige", "previous"],
    "skip": ["overslaan", "skip", "sla over", "volgende", "next"],
    "restart": ["opnieuw", "restart", "start over", "reset", "begin opnieuw", "opnieuw beginnen"],
    "summary": ["samenvatting", "summary", "overzicht", "status"],
    "stop": ["stop", "stoppen", "quit", "exit", "klaar", "cancel", "annuleren"],
    "privacy": ["privacy", "privacyverklaring", "privacy statement", "gegevens"],
    "english": ["english", "engels", "in english"],
    "dutch": ["nederlands", "dutch", "in het nederlands"],
    "why": ["waarom", "why", "waarom?", "why?", "waarom vraag je dit", "why do you ask"],
}.items():
    for _w in _words:
        _COMMANDS[_w] = _cmd

# In ConversationState.explained: the drietrap's introduction was shown.
_DRIETRAP_INTRO = "drietrap-intro"

# A typed "/word": meant as a command.
_SLASH_WORD = re.compile(r"/[^\W\d_][\w-]{0,30}")

# Typed names of the routes offered after the quick take.
_ROUTES = {
    "kort": "short",
    "korte route": "short",
    "short": "short",
    "short route": "short",
    "volledig": "walk",
    "full": "walk",
    "volledige drietrap": "walk",
}

# What a choice at the first impression or the outcome is called in a typed sentence ("kan ik
# dit als pdf krijgen?", "alleen advies graag"): the option a short message asks for.
_INTENTS: dict[str, re.Pattern[str]] = {
    # Only what reads or changes nothing: a hand-over, reminders or a restart are chosen by
    # their button, number or label, never guessed from a sentence (a cold review found
    # "Mogen we adressen doorgeven aan de politie?" handed over).
    "report": re.compile(
        r"\b(?:rapport|verslag|pdf|download\w*|adviesnotitie|report|advice note|print\w*|"
        r"afdruk\w*)\b"
    ),
    "advice": re.compile(
        r"^(?:alleen |enkel |just |only )?(?:het |the )?(?:advies|advice)(?: graag| please)?$"
    ),
    "walk": re.compile(r"^(?:de |the )?(?:hele |volledige |full )?(?:drietrap|route)$"),
    "short": re.compile(r"^(?:de |the )?(?:korte route|short route|kort|short)$"),
}
# A message this long is a new question rather than a typed choice.
_INTENT_WORDS = 7
# Not asked for: "geen rapport nodig", "liever niet", "don't"; nor a question about the
# project that names a report ("Hoe lang mag ik de pdf bewaren?").
_NOT_ASKED = re.compile(
    r"\b(?:niet|geen|hoef|nee|no|not|don't|dont|without|zonder|mag|mogen|moeten|bewaar\w*|"
    r"may|must|should|keep|store)\b"
)

# Asking for a person, at any point: "kan ik een mens spreken?", "I want to talk to someone".
_HUMAN = re.compile(
    r"\b(?:mens|persoon|iemand|adviseur|ethiekadviseur|medewerker|collega|human|person|someone|"
    r"somebody|advisor|adviser|people)\b.{0,40}\b(?:spreken|praten|bellen|mailen|contact|"
    r"talk|speak|call|reach)\b"
    r"|\b(?:spreken|praten|talk|speak)\b.{0,20}\b(?:mens|persoon|iemand|adviseur|human|person|"
    r"someone|somebody|advisor|adviser)\b"
    r"|\b(?:echte|real) (?:adviseur|mens|persoon|advisor|adviser|person|human)\b",
    re.IGNORECASE,
)
_HUMAN_MAX_WORDS = 15  # a long description that mentions talking to people is a description


def _wants_human(text: str) -> bool:
    """Whether a short message asks for a person rather than describing a project."""
    return len(text.split()) <= _HUMAN_MAX_WORDS and bool(_HUMAN.search(text))


# "Wat is een DPIA eigenlijk?", "what is an IAMA?": a question about a word, not a project.
_WHAT_IS = re.compile(
    r"^(?:wat (?:is|zijn|betekent|bedoel je met)|waar staat|what(?: is|'s| does| are)|"
    r"what do you mean by)\s+(?:een |de |het |an? |the )?(.{2,40}?)"
    r"(?:\s+(?:eigenlijk|precies|voor iets|voor|nou|exactly|actually|stand for|mean))*\s*\??$",
    re.IGNORECASE,
)

_GREETINGS = {"hoi", "hallo", "hey", "hi", "hello", "goedemorgen", "goedemiddag", "dag", "start"}
# Thanks at the end ("ok thanks 🙂") is no wrong answer to the outcome's question.
_THANKS = re.compile(
    r"^(?:ok(?:e|ay|é)?\s*)?(?:dank\s*(?:je|u)(?:\s*wel)?|bedankt|thanks?(?:\s*you)?|thx|top|"
    r"prima|super|fijn|great|perfect|cheers)(?:\s+\W*)?$|^ok(?:e|ay|é)?$"
)

# Typed to go on where the only way on is "Verder" / "Continue".
_GO_ON = frozenset(
    {"ok", "oke", "okay", "prima", "goed", "verder", "ga door", "ga verder", "continue", "go on"}
)

# Typed answers, by the option they mean.
_TYPED: dict[str, list[str]] = {
    # ("omdat ..." or "because ..." gives the reason it is so: a yes with a note.)
    "ja": [
        "ja",
        "yes",
        "j",
        "y",
        "jazeker",
        "klopt",
        "zeker",
        "correct",
        "right",
        "omdat",
        "because",
    ],
    "nee": ["nee", "no", "n", "neen", "niet", "nope", "klopt niet", "not right", "incorrect"],
    "weet-niet": [
        "weet ik niet",
        "weet niet",
        "geen idee",
        "onbekend",
        "dont know",
        "don't know",
        "i don't know",
        "i dont know",
        "ik weet het niet",
        "weet ik nog niet",
        "no idea",
        "not sure",
        "unknown",
        "?",
    ],
    "geen-zorg": ["geen zorg", "no concern", "geen zorgen", "prima", "ok", "oke", "fine"],
    "zorg": ["zorg", "concern", "zorgen", "concerns", "zorgelijk"],
}


def _offer_key(state: ConversationState, staffed: bool) -> str:
    """What the outcome offers: after a hand-over, or with no advisor to hand over to, no
    hand-over."""
    return "outcome_offer" if staffed and not state.handed_over else "outcome_offer_handed"


def _content_words(text: str) -> int:
    """How many words of three letters or more ``text`` has (what says something)."""
    return sum(len(w) > 2 for w in words(text))


def _not_a_note(text: str) -> bool:
    """Whether a typed text is no explanation: only digits, or one of the typed answers."""
    norm = _norm(text)
    return norm.isdecimal() or any(norm in typed for typed in _TYPED.values())


def contact_left_out(text: str) -> bool:
    """Whether a phone number or an e-mail address was left out of ``text`` (its placeholder
    stands there): someone who wants to be reached is then told how the advisor answers."""
    return "[telefoonnummer]" in text or "[e-mail]" in text


def command_of(text: str | None) -> str | None:
    """The command ``text`` gives ("help", "summary", "restart", …), or None."""
    # ("/reset" as in Slack and other chat apps.)
    return _COMMANDS.get(_norm(clean(text or "").text).removeprefix("/")) if text else None


def is_command(text: str | None) -> bool:
    """Whether ``text`` is one of the commands that work at any point (hulp, opnieuw, stop, …):
    flows outside the drietrap let these through instead of taking them as an answer."""
    return command_of(text) is not None


def _norm(text: str) -> str:
    return " ".join(fold(text).strip(" \t\n.!?,;:").split())


def typed_choice(text: str, choices: Sequence[tuple[str, str]]) -> str | None:
    """The id of the choice that ``text`` names by its number (1, 2, ...) or its label, as
    shown; None when it names none. For everything that offers buttons a person may type."""
    norm = _norm(text)
    # isdecimal, not isdigit: "⓵" and "፩" are digits int() refuses; a bound, because int()
    # refuses very long numbers too (and no list has a hundred options).
    if norm.isdecimal() and len(norm) <= 2 and 1 <= int(norm) <= len(choices):
        return choices[int(norm) - 1][0]
    for cid, label in choices:
        lab = _norm(label)
        if norm == lab or (len(norm) > 4 and fuzz.ratio(norm, lab) >= 88):
            return cid
    return None


class Engine:
    """Runs conversations against one :class:`Advisor`."""

    def __init__(self, advisor: Advisor, policy: Policy | None = None) -> None:
        self.policy = policy or Policy()
        self.use_advisor(advisor)

    def use_advisor(self, advisor: Advisor) -> None:
        """Triage from now on with ``advisor`` (reloaded knowledge, e.g. a newly published case).

        Call it between turns (on the thread that runs them), not during one.
        """
        self.advisor = advisor
        self.k = advisor.knowledge
        self._questions = questions_by_id(self.k)
        self._law_questions = {r.id: r for r in self.k.law.rules if r.ask is not None}
        org = self.k.organisation
        self._themes = {th.id: th for th in org.themes} if org is not None else {}
        # The description does not change during a walk; its triage is deterministic. A new
        # advisor may triage differently, so the cache starts empty.
        self._triage_of = functools.lru_cache(maxsize=1024)(self._run_triage)

    def _run_triage(self, description: str) -> Triage:
        return self.advisor.triage(description, lang=None)

    # -- entry point ---------------------------------------------------------------------------

    def handle(self, msg: Inbound, state: ConversationState | None, now: datetime) -> Turn:
        """Handle one inbound message against the stored state."""
        turn = self._handle(msg, state, now)
        if turn.state is not None:
            turn.replies[:] = _explained(turn.replies, turn.state)
        return turn

    def _handle(self, msg: Inbound, state: ConversationState | None, now: datetime) -> Turn:
        if state is None:
            state = self._new_state(msg, now)
            first = command_of(msg.text)
            if first in ("english", "dutch"):
                state.lang, state.lang_fixed = ("en" if first == "english" else "nl"), True
            if first in ("privacy", "help"):
                # Answer the question, after saying who we are.
                return Turn(
                    [*self._welcome(state), *self._command(first, msg, state, now).replies[:1]],
                    state,
                )
            if msg.choice is not None or not (msg.text or "").strip() or first is not None:
                # A stale button, an empty opener or a command: start with the welcome.
                return Turn(self._welcome(state), state)
        state = state.copy_for_turn()
        if msg.choice is not None:
            state.paused = False
            return self._on_choice(msg, state, now)
        raw = msg.text or ""
        cleaned = clean(raw, MAX_INPUT_CHARS)
        if not cleaned.text:
            return Turn([Reply(text=t("empty", state.lang)), *self._prompt(state)], state)
        notices = []
        if cleaned.truncated:
            most = f"{MAX_INPUT_CHARS:,}".replace(",", "." if state.lang == "nl" else ",")
            notices.append(Reply(text=t("truncated", state.lang, max=most)))
        if other_language(cleaned.text) is not None:
            # Read as Dutch it would be judged on a few look-alike words: say so, in both.
            notices.append(Reply(text=OTHER_LANGUAGE.nl + "\n\n" + OTHER_LANGUAGE.en))
        command = command_of(cleaned.text)
        if state.confirm_restart and command is None:
            turn = self._on_restart_answer(cleaned.text, msg, state, now)
        elif command is not None:
            state.confirm_restart = False
            state.paused = command == "stop" and state.paused  # any other command resumes
            turn = self._command(command, msg, state, now)
        elif _SLASH_WORD.fullmatch(cleaned.text.strip()):
            # "/foo": a command, not a description or an answer; it is not one we know.
            turn = Turn([Reply(text=t("unknown_command", state.lang)), *self._prompt(state)], state)
        elif _wants_human(cleaned.text):
            state.paused = False
            if not state.lang_fixed:
                # "I would like to talk to someone" as the first words: answered in English.
                state.lang = detect_language(cleaned.text, state.lang)
            turn = self._human(msg, state, now)
        elif state.paused:
            # Back after `stop`: what was typed is not an answer to a question asked before
            # the pause; the question is asked again.
            state.paused = False
            turn = Turn([Reply(text=t("welcome_back", state.lang)), *self._prompt(state)], state)
        else:
            turn = self._on_text(cleaned.text, msg, state, now)
        turn.replies[:0] = notices
        return turn

    def resume(self, state: ConversationState) -> Turn:
        """Show what a prepared state waits for, without an inbound message.

        For a state made outside a conversation, such as a re-check from
        :func:`dialogs.compare.recheck_state`: the caller sends the replies and stores the state.
        """
        state = state.copy_for_turn()
        return Turn(self._prompt(state), state)

    # -- state helpers -------------------------------------------------------------------------

    def _new_state(self, msg: Inbound, now: datetime) -> ConversationState:
        nonce = hashlib.sha256(f"{msg.key}|{now.isoformat()}".encode()).hexdigest()[:6]
        # The service draws the seed from the OS; without one (the engine on its own, in
        # tests) it is derived, which is fine where no id is exposed.
        seed = msg.seed or hashlib.sha256(f"id|{msg.key}|{now.isoformat()}".encode()).hexdigest()
        return ConversationState(
            lang=msg.locale or "nl", nonce=nonce, started_at=now, id_seed=seed[:24]
        )

    def _choices(self, state: ConversationState, options: list[tuple[str, str]]) -> list[Choice]:
        """Choices for the prompt being shown now; ids carry the conversation and prompt."""
        n = len(self._triage(state).organisation[:ORG_ROUTE]) if state.description else 0
        return [
            Choice(id=f"{state.nonce}.{state.prompt_seq}.{opt}", label=t(label, state.lang, n=n))
            for opt, label in options
        ]

    def _options(self, state: ConversationState) -> list[tuple[str, str]]:
        """The options of the current prompt as (option, text key)."""
        if state.confirm_restart:
            return [("restart-yes", "choice_restart_yes"), ("restart-no", "choice_restart_no")]
        if state.step == "quick":
            if self._triage(state).organisation:
                route = ("org", "choice_org_route")
                return [route, ("advice", "choice_advice"), ("stop", "choice_stop")]
            return [
                ("walk", "choice_walk"),
                ("short", "choice_short"),
                ("advice", "choice_advice"),
                ("stop", "choice_stop"),
            ]
        if state.step == "outcome":
            # (No advisor registered: no hand-over is offered; asking for a person still says
            # honestly what happens.)
            offer = not state.handed_over and self.policy.staffed()
            handover = [("handover", "choice_handover")] if offer else []
            return [
                *handover,
                ("report", "choice_report"),
                ("checkpoints", "choice_checkpoints"),
                ("restart", "choice_restart"),
            ]
        cur = state.current
        if cur is None:
            return []
        if state.awaiting_note == cur:
            return [("skip", "choice_skip")]
        # A re-check offers to keep the earlier answer, so the team only changes what changed.
        keep = [("keep", "choice_keep")] if self._earlier(state, cur) is not None else []
        if cur.startswith("v:"):
            return [
                *keep,
                ("geen-zorg", "choice_geen_zorg"),
                ("zorg", "choice_zorg"),
                ("weet-niet", "choice_weet_niet"),
                ("skip", "choice_skip"),
            ]
        if cur == "values-more":
            return [("more", "choice_more_values"), ("next", "choice_next_step")]
        if cur == "mag-result":
            return [("continue", "choice_continue")]
        if cur.startswith("c:"):
            return [
                ("ja", "choice_klopt"),
                ("nee", "choice_klopt_niet"),
                ("weet-niet", "choice_weet_niet"),
            ]
        if cur.startswith(("l:", "o:")):
            return [
                *keep,
                ("ja", "choice_ja"),
                ("nee", "choice_nee"),
                ("weet-niet", "choice_weet_niet"),
                ("skip", "choice_skip"),
            ]
        q = self._questions[cur[2:]][1]
        if q.answer == "open":
            return [*keep, ("weet-niet", "choice_weet_niet"), ("skip", "choice_skip")]
        return [
            *keep,
            ("ja", "choice_ja"),
            ("nee", "choice_nee"),
            ("weet-niet", "choice_weet_niet"),
            ("skip", "choice_skip"),
        ]

    def _triage(self, state: ConversationState) -> Triage:
        return self._triage_of(state.description or "")

    def _earlier(self, state: ConversationState, prompt: str) -> str | None:
        """In a re-check, the answer ``prompt`` already has, in words (escaped); else None."""
        if state.previous_outcome_id is None:
            return None
        given: QuestionAnswer | ValueAnswer | None = (
            state.value_answers.get(prompt[2:])
            if prompt.startswith("v:")
            else state.answers.get(_answer_key(prompt))
            if prompt.startswith(("q:", "l:", "o:"))
            else None
        )
        if given is None:
            return None
        if given.answer == "open":
            return escape(given.note or "")
        words = t("answer_" + given.answer, state.lang)
        return words + (f" ({escape(given.note)})" if given.note else "")

    # -- prompts -------------------------------------------------------------------------------

    def _welcome(self, state: ConversationState) -> list[Reply]:
        lang = state.lang
        text = "\n\n".join(
            [
                t("welcome", lang),
                t(
                    "privacy_line",
                    lang,
                    state_days=self.policy.state_days,
                    outcome_days=self.policy.outcome_days,
                ),
                t("ask_describe", lang),
            ]
        )
        return [Reply(text=text, content={"kind": "welcome"})]

    def choices_again(self, state: ConversationState) -> list[Reply]:
        """The choices the conversation waits for, shown again after something else was said
        in between (a checkpoint planned): a number typed then presses what the user sees,
        not a button from further up. Nothing when it waits for a description."""
        if state.step in ("describe", "done"):
            return []
        return self._prompt(state)

    def _prompt(self, state: ConversationState) -> list[Reply]:
        """Show again what the conversation is waiting for (a new prompt_seq each time)."""
        if state.confirm_restart:
            # Waiting for ja/nee on erasing: the question shown must be that one, or a "ja"
            # meant for the walk's question would erase everything.
            state.prompt_seq += 1
            return [self._confirm_restart_prompt(state)]
        state.prompt_seq += 1
        lang = state.lang
        if state.step == "describe":
            return [Reply(text=t("ask_describe", lang))]
        if state.step == "quick":
            return [self._quick_take(state)]
        if state.step == "outcome":
            return [
                Reply(
                    text=t(_offer_key(state, self.policy.staffed()), lang),
                    choices=self._choices(state, self._options(state)),
                )
            ]
        if state.step == "done":
            return [Reply(text=t("done_hint", lang))]
        return [self._walk_prompt(state)]

    def _quick_take(self, state: ConversationState) -> Reply:
        lang = state.lang
        tr = self._triage(state)
        lines = [t("quick_title", lang), ""]
        if tr.organisation:
            lines.append(f"**{t('org_question', lang)}:**")
            lines += [f"- {escape(th.title.get(lang))}" for th in tr.organisation[:3]]
        elif tr.cases:
            close = [m for m in tr.cases[:2] if m.close]
            # Honest about similarity: a merely related case is not presented as "like yours".
            heading = t("quick_cases", lang) if close else t("only_related", lang)
            lines.append(f"**{heading}:**")
            for m in close or tr.cases[:2]:
                lines.append(
                    f"- _{escape(m.case.title.get(lang))}_{_org(m.case.organisation)}: "
                    f"{t('quick_lesson', lang)}: {escape(m.case.lessons[0].get(lang))}"
                )
        else:
            lines.append(f"**{t('quick_cases', lang)}:** {t('no_cases', lang)}")
        vals = ", ".join(self.k.values[v.id].name.get(lang) for v in tr.values[:3])
        signals = self._first_signals(tr, lang)
        # A question about the organisation is no project: "no particular signals" and
        # "risk: low" would judge what was not asked (a manager read them as a verdict).
        project = not tr.organisation or signals != t("no_mag", lang)
        if project or vals:
            lines.append(f"**{t('quick_values', lang)}:** {vals or '-'}")
        if project:
            lines.append(f"**{t('quick_mag', lang)}:** {signals}")
        inst = self.k.instruments[tr.instruments[0].id]
        lines.append(
            f"**{t('quick_instrument', lang)}:** {inst.name.get(lang)}: "
            f"{tr.instruments[0].why[0].get(lang)}"
        )
        if project:
            lines.append(f"**{t('quick_risk', lang)}:** {t('risk_' + tr.risk, lang)}")
        lines += ["", self._quick_offer(state, tr)]
        content = {
            "kind": "quick-take",
            "cases": [
                {
                    "id": m.id,
                    "title": m.case.title.get(lang),
                    "lesson": m.case.lessons[0].get(lang),
                    "strength": m.strength,
                }
                for m in tr.cases[:2]
            ],
            "organisation": [th.id for th in tr.organisation[:3]],
            "values": [v.id for v in tr.values[:3]],
            "instrument": inst.id,
            "risk": tr.risk,
        }
        return Reply(
            text="\n".join(lines),
            choices=self._choices(state, self._options(state)),
            content=content,
        )

    def _quick_offer(self, state: ConversationState, tr: Triage) -> str:
        """The question after the quick take: which route."""
        if tr.organisation:
            return t("quick_offer_org", state.lang)
        # An honest estimate: the number of questions each route asks for this project.
        short, full = (len(self._walk_queue(state, s)) for s in (True, False))
        return t("quick_offer", state.lang, short=short, full=full)

    def _reprompt(self, state: ConversationState) -> list[Reply]:
        """What the conversation waits for, after an answer it did not understand: at the
        quick take only its question and choices (the whole quick take again buried them
        under text the user had just read)."""
        if state.step == "quick" and not state.confirm_restart:
            state.prompt_seq += 1
            return [
                Reply(
                    text=self._quick_offer(state, self._triage(state)),
                    choices=self._choices(state, self._options(state)),
                )
            ]
        return self._prompt(state)

    def _first_signals(self, tr: Triage, lang: Lang) -> str:
        s = tr.mag_het
        items: list[str] = []
        if s.dpia_required and s.personal_data:
            items.append(t("dpia_required", lang, items=cite(s.dpia_required[0].ref, lang)))
        elif s.dpia_likely:
            items.append(t("dpia_likely", lang))
        elif s.dpia:
            items.append("DPIA: " + "; ".join(f.label.get(lang) for f in s.dpia))
        if s.ai_act_level in ("prohibited", "high-risk", "transparency"):
            worst = next(f for f in s.ai_act if f.key == s.ai_act_level)
            items.append(t("ai_act", lang, items=worst.cited(lang)))
        # Said in words, not bare abbreviations (a product trial read "; EER" and wondered).
        if s.iama:
            items.append(t("first_iama", lang))
        if s.children:
            items.append(t("first_children", lang))
        if s.outside_eea:
            items.append(t("first_outside_eea", lang))
        if s.questions:
            items.append(
                t("law_open", lang, items="; ".join(q.label.get(lang) for q in s.questions))
            )
        if not s.personal_data and "observation" in s.facts:
            items.append(t("mag_check_people", lang))
        return "; ".join(items) if items else t("no_mag", lang)

    def _step_of(self, prompt: str) -> StepId:
        if prompt.startswith("v:") or prompt == "values-more":
            return "willen"
        if prompt == "mag-result" or prompt.startswith("l:"):
            return "mag"
        if prompt.startswith("o:"):
            return "willen"  # the organisation route has no drietrap step; never introduced
        return self._questions[prompt[2:]][0]

    def _walk_prompt(self, state: ConversationState) -> Reply:
        lang = state.lang
        cur = state.current
        assert cur is not None  # _prompt only calls this during the walk
        parts: list[str] = []
        if cur.startswith("o:"):
            return self._org_prompt(state, cur)
        step = self._step_of(cur)
        prev = state.queue[state.position - 1] if state.position > 0 else None
        if prev is None or self._step_of(prev) != step:
            s = next(x for x in self.k.drietrap.steps if x.id == step)
            parts.append(t("step_intro", lang, title=s.title.get(lang), n=STEP_NUMBER[step]))
            if state.position == 0 and _DRIETRAP_INTRO not in state.explained:
                # Once per conversation: shown again after every `waarom?`, `terug` or
                # unclear answer it buried the question (a new user's complaint).
                parts.append(self.k.drietrap.advice.get(lang))
                state.explained = [*state.explained, _DRIETRAP_INTRO]
        content: dict[str, object] = {"kind": "question", "prompt": cur, "step": step}
        if state.awaiting_note == cur:
            parts.append(t("note_prompt", lang))
            content["kind"] = "note"
        elif cur.startswith("v:"):
            vid = cur[2:]
            value = self.k.values[vid]
            values = [q for q in state.queue if q.startswith("v:")]
            parts.append(
                t(
                    "value_prompt",
                    lang,
                    name=value.name.get(lang),
                    i=values.index(cur) + 1,
                    total=len(values),
                    question=value.questions[0].get(lang),
                )
            )
            why = next(
                (v.why[0].get(lang) for v in self._triage(state).values if v.id == vid), None
            )
            if why:
                parts.append(f"_{t('value_relevant', lang, why=why)}_")
            if (earlier := self._earlier(state, cur)) is not None:
                parts.append(t("earlier_answer", lang, answer=earlier))
            content.update(kind="value", value=vid)
        elif cur == "values-more":
            n = len([q for q in state.queue if q.startswith("v:")])
            parts.append(t("values_more", lang, n=n, rest=len(self.k.values) - n))
        elif cur.startswith("l:"):
            rule = self._law_questions[cur[2:]]
            assert rule.ask is not None  # only rules with a question are asked
            parts.append(rule.ask.get(lang))
            parts.append(f"_{t('law_question_hint', lang, ref=cite(rule.ref, lang))}_")
            if (earlier := self._earlier(state, cur)) is not None:
                parts.append(t("earlier_answer", lang, answer=earlier))
        elif cur == "mag-result":
            tr = self._triage(state)
            scan = scan_with_answers(tr, state, self.k)
            parts.append(render_scan(scan, self.k, lang))
            content.update(kind="mag-result", mag_het=scan.to_dict(self.k, lang))
        elif cur.startswith("c:"):
            q = self._questions[cur[2:]][1]
            # (With the words that made it so: "je noemt 'kinderen'", so the person sees why
            # a question they answered in their description comes back to be confirmed.)
            seen = scan_evidence(self._triage(state).mag_het, q.answered_by or [])
            said = ", ".join(f"'{escape(w)}'" for w in seen)
            key = "assume_because" if said else "assume"
            parts.append(t(key, lang, question=q.ask.get(lang), words=said))
        else:
            q = self._questions[cur[2:]][1]
            parts.append(q.ask.get(lang))
            if q.hint:
                parts.append(f"_{q.hint.get(lang)}_")
            if q.answer == "open":
                parts.append(t("open_hint", lang))
            if (earlier := self._earlier(state, cur)) is not None:
                parts.append(t("earlier_answer", lang, answer=earlier))
        return Reply(
            text="\n\n".join(parts),
            choices=self._choices(state, self._options(state)),
            content=content,
        )

    def _org_prompt(self, state: ConversationState, cur: str) -> Reply:
        """One question of the organisation route: a theme of chapter 3 and its check."""
        lang = state.lang
        theme = self._themes[cur[2:]]
        route = [q for q in state.queue if q.startswith("o:")]
        parts = [t("org_route_intro", lang)] if state.position == 0 else []
        parts.append(
            t("org_prompt", lang, title=theme.title.get(lang), i=route.index(cur) + 1, n=len(route))
        )
        parts.append(theme.check.get(lang))
        return Reply(
            text="\n\n".join(parts),
            choices=self._choices(state, self._options(state)),
            content={"kind": "question", "prompt": cur, "step": "organisatie"},
        )

    # -- transitions ---------------------------------------------------------------------------

    def _walk_queue(self, state: ConversationState, short: bool) -> list[str]:
        """The prompts of a walk. ``short``: the values most at stake, what the description
        suggested to confirm, and only the legal questions it left open (about ten turns).
        Otherwise the whole drietrap."""
        tr = self._triage(state)
        steps = {s.id: s for s in self.k.drietrap.steps}
        present = scan_keys(tr.mag_het)
        derived = [
            q.id
            for q in steps["mag"].questions
            if q.answered_by and present.intersection(q.answered_by)
        ]
        law = [f"l:{q.rule}" for q in tr.mag_het.questions if q.rule in self._law_questions]
        confirm = [f"c:{qid}" for qid in derived]
        if short:
            values = [f"v:{v.id}" for v in tr.values[:SHORT_VALUES]]
            return [*values, *confirm, *law, "mag-result"]
        queue = [f"q:{q.id}" for q in steps["willen"].questions if q.answer != "checklist"]
        queue += [f"v:{v.id}" for v in tr.values[:RELEVANT_VALUES]] + ["values-more"]
        queue += confirm
        queue += [f"q:{q.id}" for q in steps["mag"].questions if q.id not in derived]
        queue += [*law, "mag-result"]
        queue += [f"q:{q.id}" for q in steps["kan"].questions]
        return queue

    def _start_walk(self, state: ConversationState, short: bool = False) -> None:
        queue = self._walk_queue(state, short)
        for prompt in queue:
            if prompt.startswith("c:"):
                # Assumed from the description until the person confirms or corrects it.
                state.answers[prompt[2:]] = QuestionAnswer(answer="ja", derived=True)
        state.queue, state.position, state.history = queue, 0, []
        state.step = "walk"

    def _advance(self, state: ConversationState, now: datetime) -> Turn:
        state.history.append(state.position)
        state.position += 1
        state.awaiting_note = None
        if state.position >= len(state.queue):
            return self._finish(state, now)
        return Turn(self._prompt(state), state)

    def _finish(self, state: ConversationState, now: datetime) -> Turn:
        state.step = "outcome"
        outcome_id = state.outcome_id or self._outcome_id(state, now)
        state.outcome_id = outcome_id
        outcome = build_outcome(self.advisor, state, outcome_id, now, self._triage(state))
        state.prompt_seq += 1
        offer = t(_offer_key(state, self.policy.staffed()), state.lang)
        reply = Reply(
            text=render_outcome(outcome, state.lang) + "\n\n" + offer,
            choices=self._choices(state, self._options(state)),
            content={
                "kind": "outcome",
                "outcome": outcome.model_dump(mode="json"),
                # For channels that fold details away: the card first, sections to open.
                "card": outcome_card(outcome, state.lang),
                "sections": outcome_sections(outcome, state.lang),
                "offer": offer,
            },
        )
        return Turn([reply], state, [LogOutcome(outcome)])

    def _hand_over(self, msg: Inbound, state: ConversationState) -> Turn:
        """Hand the logged outcome to the ethics advisor (once)."""
        lang = state.lang
        if state.handed_over:
            return Turn([Reply(text=t("already_handed_over", lang, id=state.outcome_id))], state)
        state.handed_over = True
        effect = HandOver(state.outcome_id or "", msg.user)
        said = "handed_over" if self.policy.staffed() else "handed_over_unstaffed"
        reply = Reply(text=t(said, lang, id=state.outcome_id))
        return Turn([reply, *self._prompt(state)], state, [effect])

    def _hand_over_now(self, msg: Inbound, state: ConversationState, now: datetime) -> Turn:
        """Someone asked for a person while describing their project: log what there is
        (the outcome so far) and hand it to the advisor in the same turn."""
        state.handed_over = True  # so the outcome offers no second hand-over
        turn = self._finish(state, now)
        effect = HandOver(state.outcome_id or "", msg.user)
        said = "handed_over_asked" if self.policy.staffed() else "handed_over_unstaffed"
        notes = [Reply(text=t(said, state.lang, id=state.outcome_id))]
        if contact_left_out(state.description or ""):
            notes.append(Reply(text=t("answer_advisor_no_contact", state.lang)))
        return Turn([*notes, *turn.replies], state, [*turn.effects, effect])

    def _human(self, msg: Inbound, state: ConversationState, now: datetime) -> Turn:
        """A person was asked for: the promise of a human behind the bot, kept in every step."""
        if state.step == "outcome":
            return self._hand_over(msg, state)
        if state.description and state.step in ("quick", "walk"):
            return self._hand_over_now(msg, state, now)
        if not self.policy.staffed():
            return Turn([Reply(text=t("human_unstaffed", state.lang))], state)
        state.human_requested = True
        return Turn([Reply(text=t("human_describe_first", state.lang))], state)

    def _outcome_id(self, state: ConversationState, now: datetime) -> str:
        # 96 random bits from the OS: an outcome id is also what a download or a hand-over
        # names, so it must not be guessable from the description or the time. (A state
        # stored before id_seed existed draws them now.)
        return "T-" + (state.id_seed or secrets.token_hex(12))

    def _what_is(self, text: str, lang: Lang) -> tuple[str, str] | None:
        """The word asked about and its meaning, for an abbreviation or an instrument ("wat is
        een DPIA?"); None when the text asks about no word the bot can explain."""
        m = _WHAT_IS.match(text.strip())
        if m is None:
            return None
        asked = m.group(1).strip(" ?.!").lower()
        for abbreviation in GLOSSARY:
            if asked == abbreviation.lower():
                return abbreviation, f"**{abbreviation}**: {meaning(abbreviation, lang)}."
        for ins in self.k.instruments.values():
            names = {ins.name.nl.lower(), ins.name.en.lower(), ins.short.lower(), ins.id}
            if asked in names:
                return ins.short, f"**{ins.name.get(lang)}**: {ins.purpose.get(lang)}"
        return None

    def _describe(self, text: str, state: ConversationState) -> Turn:
        content_words = _content_words(text)
        asked_lang = state.lang if state.lang_fixed else detect_language(text, state.lang)
        explained = self._what_is(text, asked_lang)
        if explained is not None and not state.draft:
            word, said = explained
            # (Explained now: the first-use explanation need not repeat it.)
            state.explained = [*state.explained, word]
            state.lang = asked_lang
            return Turn([Reply(text=said), Reply(text=t("ask_describe", asked_lang))], state)
        if content_words < 3 and not state.draft:
            if _norm(text) in _GREETINGS:
                return Turn(self._welcome(state), state)
            return Turn([Reply(text=t("too_short", state.lang))], state)
        if state.draft and state.step == "describe":
            # The earlier, too vague message and this one together describe the project.
            text = f"{state.draft}\n{text}"
        lang = state.lang if state.lang_fixed else detect_language(text, state.lang)
        tr = self._triage_of(text)
        if tr.needs_more:
            # Nothing to judge yet: ask for what is missing instead of guessing.
            asked = state.model_copy(
                update={"draft": text[-MAX_INPUT_CHARS:], "step": "describe", "lang": lang}
            )
            need = tr.to_dict(self.k, lang)["needs_more"]
            text = need["ask"] + "\n\n_" + escape(need["example"]) + "_"
            if need["start_points"] and not state.draft:  # (once, not on every vague reply)
                lines = [
                    f"- **{escape(i['name'])}**: {escape(i['why'][0])}"
                    for i in need["start_points"]
                ]
                text += "\n\n" + t("start_points", lang) + "\n" + "\n".join(lines)
            return Turn([Reply(text=text, content={"kind": "need-more"})], asked)
        fresh = ConversationState(
            lang=lang,
            lang_fixed=state.lang_fixed,
            nonce=state.nonce,
            id_seed=_next_seed(state),
            prompt_seq=state.prompt_seq,
            started_at=state.started_at,
            description=text,
            step="quick",
        )
        return Turn(self._prompt(fresh), fresh)

    # -- inbound handling ----------------------------------------------------------------------

    def _on_choice(self, msg: Inbound, state: ConversationState, now: datetime) -> Turn:
        choice = msg.choice or ""
        nonce, _, rest = choice.partition(".")
        seq, _, option = rest.partition(".")
        if nonce != state.nonce or seq != str(state.prompt_seq):
            return Turn(
                [
                    Reply(text=t("stale_choice", state.lang), content={"kind": "stale"}),
                    *self._prompt(state),
                ],
                state,
            )
        if option not in {o for o, _ in self._options(state)}:
            return Turn(
                [Reply(text=t("not_understood", state.lang)), *self._reprompt(state)], state
            )
        return self._apply(option, None, msg, state, now)

    def _match_option(self, text: str, state: ConversationState) -> tuple[str | None, str | None]:
        """Map typed text to (option, note): a number, a label, or a typed answer word."""
        options = self._options(state)
        if not options:
            return None, None
        picked = typed_choice(text, [(opt, t(label, state.lang)) for opt, label in options])
        if picked is not None:
            return picked, None
        norm = _norm(text)
        valid = {o for o, _ in options}
        if norm in _ROUTES and _ROUTES[norm] in valid:
            return _ROUTES[norm], None
        if "continue" in valid and (norm in _TYPED["ja"] or norm in _GO_ON):
            # One way on ("Verder"): a yes or an ok takes it (a product trial typed "ja").
            return "continue", None
        # "zorg: drones boven privéterrein" or "ja, want ..." give an answer with a note; the
        # longest typed form wins ("klopt niet" is no, not "klopt" with a note).
        # A value question asks "Zie je hier een zorg?": yes is a concern, no is none.
        alias = {"ja": "zorg", "nee": "geen-zorg"} if (state.current or "").startswith("v:") else {}
        typed = sorted(
            (
                (word, alias.get(opt, opt))
                for opt in _TYPED
                if alias.get(opt, opt) in valid
                for word in _TYPED[opt]
            ),
            key=lambda pair: len(pair[0]),
            reverse=True,
        )
        for word, opt in typed:
            if norm == word:
                return opt, None
            if re.match(re.escape(word) + r"[\s,:;.\-–—]", norm):
                note = text.strip()[len(word) :].lstrip(" ,:;.-–—").strip()
                return opt, note or None
        return None, None

    def _intent(self, text: str, state: ConversationState) -> str | None:
        """The one option of the first impression or the outcome that a short typed message
        asks for in its own words (see ``_INTENTS``); None when none or several do."""
        if state.step not in ("quick", "outcome") or len(words(text)) > _INTENT_WORDS:
            return None
        norm = _norm(text)
        if _NOT_ASKED.search(norm):
            return None
        asked = [
            opt for opt, _ in self._options(state) if (p := _INTENTS.get(opt)) and p.search(norm)
        ]
        return asked[0] if len(asked) == 1 else None

    def _on_text(self, text: str, msg: Inbound, state: ConversationState, now: datetime) -> Turn:
        if state.step in ("describe", "done"):
            turn = self._describe(text, state)
            if state.human_requested and turn.state is not None and turn.state.step == "quick":
                # Asked for a person first: the description goes to the advisor at once.
                return self._hand_over_now(msg, turn.state, now)
            return turn
        cur = state.current
        if state.step == "walk" and cur is not None and state.awaiting_note == cur:
            option, _ = self._match_option(text, state)
            if option == "skip" or _not_a_note(text):
                # A bare number or a button's word ("2", "klopt niet") is a press meant for
                # another question, not an explanation to put in the note.
                return self._advance(state, now)
            answered = state.value_answers.get(cur[2:]) if cur.startswith("v:") else None
            if answered is not None:
                state.value_answers[cur[2:]] = answered.model_copy(update={"note": text})
            return self._advance(state, now)
        option, note = self._match_option(text, state)
        if option is not None:
            return self._apply(option, note, msg, state, now)
        if state.step == "walk" and cur is not None and cur.startswith("q:"):
            q = self._questions[cur[2:]][1]
            if q.answer == "open":
                state.answers[q.id] = QuestionAnswer(answer="open", note=text)
                return self._advance(state, now)
        if state.step == "outcome" and _THANKS.match(_norm(text)):
            return Turn([Reply(text=t("thanks", state.lang)), *self._prompt(state)], state)
        intent = self._intent(text, state)
        if intent is not None:
            return self._apply(intent, None, msg, state, now)
        if (
            state.step == "walk"
            and cur is not None
            and cur.startswith("v:")
            and _content_words(text) >= 2
        ):
            # An answer in one's own words ("yes, false alarms about innocent people"): keep
            # it as the note and ask whether it is a concern, rather than reject it.
            state.held_note = text.strip()[:MAX_INPUT_CHARS]
            state.held_for = cur
            held = Reply(text=t("value_note_held", state.lang, note=escape(state.held_note)))
            return Turn([held, *self._prompt(state)], state)
        if state.step in ("quick", "outcome") and _content_words(text) >= 3:
            # A new question instead of a choice: start again with it.
            return self._describe(text, state)
        return Turn([Reply(text=t("not_understood", state.lang)), *self._reprompt(state)], state)

    def _apply(
        self, option: str, note: str | None, msg: Inbound, state: ConversationState, now: datetime
    ) -> Turn:
        lang = state.lang
        if option in ("restart-yes", "restart-no"):
            return self._restart_decision(option == "restart-yes", msg, state, now)
        if state.step == "quick":
            if option in ("walk", "short"):
                self._start_walk(state, short=option == "short")
                return Turn(self._prompt(state), state)
            if option == "org":
                themes = self._triage(state).organisation[:ORG_ROUTE]
                state.queue = [f"o:{th.id}" for th in themes]
                state.position, state.history, state.step = 0, [], "walk"
                return Turn(self._prompt(state), state)
            if option == "advice":
                return self._finish(state, now)
            return Turn([Reply(text=t("stopped", lang, state_days=self.policy.state_days))], state)
        if state.step == "outcome":
            if option == "restart":
                return self._command("restart", msg, state, now)
            if option == "checkpoints":
                return Turn([], state, [StartCheckpoints(state.outcome_id or "")])
            if option == "report":
                outcome = build_outcome(
                    self.advisor, state, state.outcome_id or "", now, self._triage(state)
                )
                report = render_report(outcome)
                return Turn(
                    [
                        Reply(
                            text=t("report_ready", lang, id=outcome.id) + "\n\n" + report,
                            content={
                                "kind": "report",
                                "outcome_id": outcome.id,
                                "markdown": report,
                                "lang": lang,
                            },
                        ),
                        *self._prompt(state),
                    ],
                    state,
                )
            return self._hand_over(msg, state)
        cur = state.current
        if cur is None:
            return Turn(self._prompt(state), state)
        if option == "skip":
            return self._skip(state, now)
        if option == "keep":
            return self._advance(state, now)
        if cur.startswith("v:"):
            vid = cur[2:]
            held = state.held_note if state.held_for == cur else None
            note = note or held
            state.held_note = state.held_for = None
            state.value_answers[vid] = ValueAnswer(answer=option, note=note)
            if option in ("zorg", "weet-niet") and note is None:
                state.awaiting_note = cur
                return Turn(self._prompt(state), state)
            return self._advance(state, now)
        if cur == "values-more":
            if option == "more":
                asked = {q[2:] for q in state.queue if q.startswith("v:")}
                rest = [f"v:{v}" for v in self.k.values if v not in asked]
                state.queue[state.position + 1 : state.position + 1] = rest
                state.queue.pop(state.position)
                state.position -= 1
            return self._advance(state, now)
        if cur == "mag-result":
            return self._advance(state, now)
        state.answers[_answer_key(cur)] = QuestionAnswer(answer=option, note=note)
        return self._advance(state, now)

    def _skip(self, state: ConversationState, now: datetime) -> Turn:
        cur = state.current
        if cur is None:
            return Turn([Reply(text=t("nothing_to_skip", state.lang)), *self._prompt(state)], state)
        if state.awaiting_note != cur:
            if cur.startswith("v:"):
                state.value_answers[cur[2:]] = ValueAnswer(answer="overgeslagen")
            elif cur.startswith(("q:", "l:", "o:")):
                state.answers[_answer_key(cur)] = QuestionAnswer(answer="overgeslagen")
        return self._advance(state, now)

    # -- commands ------------------------------------------------------------------------------

    def _command(self, command: str, msg: Inbound, state: ConversationState, now: datetime) -> Turn:
        lang = state.lang
        if command == "help":
            human = t("help_human" if self.policy.staffed() else "help_no_human", lang)
            return Turn([Reply(text=t("help", lang, human=human)), *self._prompt(state)], state)
        if command == "privacy":
            text = self.policy.statement(lang)
            return Turn(
                [Reply(text=text, content={"kind": "privacy"}), *self._prompt(state)], state
            )
        if command in ("english", "dutch"):
            state.lang = "en" if command == "english" else "nl"
            state.lang_fixed = True
            return Turn([Reply(text=t("switched", state.lang)), *self._prompt(state)], state)
        if command == "restart" and state.step in ("quick", "walk") and not state.confirm_restart:
            # Erasing answers not logged anywhere yet cannot be undone: ask first. (At the
            # outcome everything is logged and the report can still be had.)
            state.confirm_restart = True
            state.prompt_seq += 1
            return Turn([self._confirm_restart_prompt(state)], state)
        if command == "restart":
            return self._restart(msg, state, now)
        if command == "stop":
            # Only a question of the walk waits for an answer that a later text could be
            # mistaken for; at the quick take a new text is a new question.
            state.paused = state.step == "walk"
            return Turn([Reply(text=t("stopped", lang, state_days=self.policy.state_days))], state)
        if command == "summary":
            if not state.description:
                return Turn([Reply(text=t("summary_nothing", lang)), *self._prompt(state)], state)
            outcome = build_outcome(
                self.advisor, state, state.outcome_id or "-", now, self._triage(state)
            )
            text, content = render_summary(outcome, self.k, lang)
            return Turn([Reply(text=text, content=content), *self._prompt(state)], state)
        if command == "why":
            # On `waarom?` every abbreviation is explained, also one explained before.
            why = explain(self._why(state), lang, set())
            return Turn([Reply(text=why, content={"kind": "why"}), *self._prompt(state)], state)
        if command == "skip":
            if state.step != "walk":
                return Turn([Reply(text=t("nothing_to_skip", lang)), *self._prompt(state)], state)
            return self._skip(state, now)
        return self._back(state)

    def _confirm_restart_prompt(self, state: ConversationState) -> Reply:
        return Reply(
            text=t("confirm_restart", state.lang),
            choices=self._choices(state, self._options(state)),
            content={"kind": "confirm-restart"},
        )

    def _restart(self, msg: Inbound, state: ConversationState, now: datetime) -> Turn:
        new = self._new_state(msg, now)
        fresh = ConversationState(
            lang=state.lang,
            lang_fixed=state.lang_fixed,
            nonce=new.nonce,
            id_seed=new.id_seed,
            started_at=now,
        )
        return Turn([Reply(text=t("restarted", state.lang)), *self._welcome(fresh)], fresh)

    def _on_restart_answer(
        self, text: str, msg: Inbound, state: ConversationState, now: datetime
    ) -> Turn:
        option, _ = self._match_option(text, state)
        norm = _norm(text)
        erase = option == "restart-yes" or norm in _TYPED["ja"]
        if option is None and not erase and norm not in _TYPED["nee"]:
            # Neither yes nor no: ask again rather than guess.
            return Turn([self._confirm_restart_prompt(state)], state)
        return self._restart_decision(erase, msg, state, now)

    def _restart_decision(
        self, erase: bool, msg: Inbound, state: ConversationState, now: datetime
    ) -> Turn:
        state.confirm_restart = False
        if erase:
            return self._restart(msg, state, now)
        return Turn([Reply(text=t("restart_cancelled", state.lang)), *self._prompt(state)], state)

    def _why(self, state: ConversationState) -> str:
        lang = state.lang
        prefix = t("why_prefix", lang)
        cur = state.current
        if state.step == "describe" or state.step == "done":
            return t("why_nothing", lang)
        if state.step == "quick":
            return prefix + t("why_quick", lang)
        if state.step == "outcome":
            return prefix + t("why_outcome", lang)
        if cur is None or cur.startswith("v:"):
            return prefix + t("why_value", lang)
        if cur == "values-more":
            return prefix + t("why_values_more", lang)
        if cur == "mag-result":
            return prefix + t("why_mag_result", lang)
        if cur.startswith("l:"):
            rule = self._law_questions[cur[2:]]
            return prefix + t("why_law", lang, about=rule.label.get(lang), ref=cite(rule.ref, lang))
        if cur.startswith("o:"):
            return prefix + t("why_org", lang, source=self._themes[cur[2:]].source)
        return prefix + self._questions[cur[2:]][1].why.get(lang)

    def _back(self, state: ConversationState) -> Turn:
        lang = state.lang
        if state.step == "walk":
            if state.awaiting_note:
                state.awaiting_note = None
                return Turn(self._prompt(state), state)
            if state.history:
                state.position = state.history.pop()
                return Turn(self._prompt(state), state)
            state.step = "quick"
            return Turn([Reply(text=t("back_to_quick", lang)), *self._prompt(state)], state)
        if state.step == "outcome":
            if state.queue:
                state.step = "walk"
                state.position = len(state.queue) - 1
                # The last prompt is on the history (finishing advanced past it): take it off, so
                # the next `terug` goes to the prompt before it instead of showing it again.
                if state.history and state.history[-1] == state.position:
                    state.history.pop()
                return Turn(self._prompt(state), state)
            state.step = "quick"
            return Turn(self._prompt(state), state)
        if state.step == "quick":
            state.step = "describe"
            return Turn(self._prompt(state), state)
        return Turn([Reply(text=t("back_at_start", lang)), *self._prompt(state)], state)


def _explained(replies: list[Reply], state: ConversationState) -> list[Reply]:
    """The replies with each abbreviation explained at its first use in the conversation
    (a report and a `waarom?` answer explain on their own)."""
    seen = set(state.explained)
    out: list[Reply] = []
    for reply in replies:
        content = reply.content or {}
        if content.get("kind") in ("report", "why"):
            out.append(reply)
            continue
        before = set(seen)
        text = explain(reply.text, state.lang, seen)
        update: dict[str, Any] = {"text": text}
        if content.get("kind") == "outcome" and "card" in content:
            # The card and its sections are shown instead of the text where a channel folds.
            folded = set(before)
            card = explain(content["card"], state.lang, folded)
            sections = [
                {**sec, "markdown": explain(sec["markdown"], state.lang, folded)}
                for sec in content["sections"]
            ]
            update["content"] = {**content, "card": card, "sections": sections}
        out.append(reply.model_copy(update=update))
    state.explained = sorted(seen)
    return out


def _org(organisation: str | None) -> str:
    """ " · organisation" for a case line, or nothing when the source names none."""
    return f" · {escape(organisation)}" if organisation else ""


def _answer_key(prompt: str) -> str:
    """Where the answer to a question prompt is kept: ``q:doel`` under ``doel``, the quick
    scan's ``l:ask-hosting`` under ``law:ask-hosting``, the organisation route's ``o:rollen``
    under ``org:rollen``."""
    if prompt.startswith("l:"):
        return LAW_ANSWER + prompt[2:]
    if prompt.startswith("o:"):
        return ORG_ANSWER + prompt[2:]
    return prompt[2:]


def _next_seed(state: ConversationState) -> str:
    """The id seed of a new description in this conversation: the same while no outcome was
    made, a new one (derived from the secret seed, so as unguessable) once one was."""
    if not state.outcome_id:
        return state.id_seed
    return hashlib.sha256(f"next|{state.id_seed}|{state.outcome_id}".encode()).hexdigest()[:24]
