"""Real outcomes for the advisor's tests: made by the engine from a description, not by hand.

``advice`` asks only for the advice ("Alleen het advies"); ``walk`` walks the whole drietrap,
answering each prompt with :func:`pick` (or the ``answers`` given per question or value id).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from dialogs.engine import Engine, LogOutcome
from dialogs.models import ConversationState, Inbound, Outcome
from knowledge.schema import Lang
from knowledge.triage import Advisor

# Descriptions chosen for the signals they raise (checked in test_overview).
DESCRIPTIONS: dict[str, str] = {
    "drones": "Mogen we drones boven weilanden laten vliegen om ammoniak te meten?",
    "fraude": (
        "We willen een algoritme dat met een risicoscore voorspelt welke inwoners die een "
        "uitkering aanvragen mogelijk fraude plegen, zodat we hen extra controleren."
    ),
    "camera": (
        "We willen camera's met gezichtsherkenning in de binnenstad om inwoners in realtime te "
        "identificeren en te volgen."
    ),
    "kinderen": (
        "Een leerapp voor kinderen op de basisschool die hun gegevens opslaat in een "
        "Amerikaanse cloud."
    ),
    "chatbot": "A chatbot on our website that answers residents' questions about waste collection.",
}


def _choice(state: ConversationState, option: str) -> str:
    return f"{state.nonce}.{state.prompt_seq}.{option}"


def advice(
    advisor: Advisor, description: str, now: datetime, conversation: str = "c", lang: Lang = "nl"
) -> Outcome:
    """The outcome of "only the advice" for ``description``."""
    engine = Engine(advisor)
    msg = Inbound(
        channel="test", conversation=conversation, user="u", text=description, locale=lang
    )
    turn = engine.handle(msg, None, now)
    assert turn.state is not None and turn.state.step == "quick", turn.replies
    pick = Inbound(
        channel="test", conversation=conversation, user="u", choice=_choice(turn.state, "advice")
    )
    turn = engine.handle(pick, turn.state, now)
    (effect,) = turn.effects
    assert isinstance(effect, LogOutcome)
    return effect.outcome


def pick(prompt: str, options: list[str], answers: Mapping[str, str]) -> str:
    """The option to press for ``prompt``: the one in ``answers``, else a plain default."""
    key = prompt.split(":", 1)[-1]
    if key in answers and answers[key] in options:
        return answers[key]
    for default in ("next", "continue", "geen-zorg", "ja", "weet-niet", "skip"):
        if default in options:
            return default
    return options[0]


def walk(
    advisor: Advisor,
    description: str,
    now: datetime,
    answers: Mapping[str, str] | None = None,
    notes: Mapping[str, str] | None = None,
    conversation: str = "c",
    lang: Lang = "nl",
) -> Outcome:
    """The outcome of walking the whole drietrap; ``notes`` are typed where a note is asked."""
    answers = answers or {}
    notes = notes or {}
    engine = Engine(advisor)
    msg = Inbound(
        channel="test", conversation=conversation, user="u", text=description, locale=lang
    )
    turn = engine.handle(msg, None, now)
    state = turn.state
    assert state is not None and state.step == "quick", turn.replies
    option = "walk"
    typed_for: set[str] = set()
    for _ in range(200):
        assert state is not None
        inbound = Inbound(
            channel="test", conversation=conversation, user="u", choice=_choice(state, option)
        )
        turn = engine.handle(inbound, state, now)
        for effect in turn.effects:
            if isinstance(effect, LogOutcome):
                return effect.outcome
        state = turn.state
        assert state is not None
        prompt = state.current or ""
        key = prompt.split(":", 1)[-1]
        # An open question is answered by typing; a yes/no one may ask for a note after.
        if key in notes and key not in typed_for:
            typed_for.add(key)
            typed = Inbound(channel="test", conversation=conversation, user="u", text=notes[key])
            turn = engine.handle(typed, state, now)
            for effect in turn.effects:
                if isinstance(effect, LogOutcome):
                    return effect.outcome
            state = turn.state
            assert state is not None
            prompt = state.current or ""
        options = [c.id.rsplit(".", 1)[-1] for c in turn.replies[-1].choices]
        option = pick(prompt, options, answers)
    raise AssertionError("the walk did not end")
