"""The short route and the honest estimate: the quick take says how many questions each route
asks, and the short one (values most at stake, assumptions to confirm, open legal questions)
reaches the outcome in about ten turns."""

from __future__ import annotations

import re

import pytest

from dialogs.engine import Engine
from knowledge.triage import Advisor
from tests.dialogs.test_engine_bad_input import Chat

QUESTIONS = [
    "Mogen we drones inzetten om weilanden te controleren?",
    "Camera's op het marktplein die drukte detecteren en bezoekers tellen",
    "We willen met een algoritme voorspellen welke inwoners een uitkering onterecht ontvangen",
]


@pytest.fixture(scope="module")
def engine(advisor: Advisor) -> Engine:
    return Engine(advisor)


def _counts(text: str) -> tuple[int, int]:
    m = re.search(r"korte route\*\* stelt (\d+) vragen.*drietrap\*\* stelt er (\d+)", text, re.S)
    assert m, text
    return int(m.group(1)), int(m.group(2))


@pytest.mark.parametrize("question", QUESTIONS)
def test_the_short_route_takes_as_many_turns_as_promised(engine: Engine, question: str) -> None:
    chat = Chat(engine)
    quick = chat.send(question)
    short, full = _counts(quick.replies[-1].text)
    assert short <= 12 < full
    chat.send("kort")  # typed, as well as the button
    turns = 0
    while chat.state is not None and chat.state.step == "walk":
        state = chat.state
        if state.awaiting_note:
            chat.send("overslaan")
        else:
            turns += 1
            chat.send(choice=chat.last.replies[-1].choices[0].id if chat.last else "")
    assert chat.state is not None and chat.state.step == "outcome"
    assert turns == short


def test_assumptions_are_put_to_the_user_and_a_correction_counts(engine: Engine) -> None:
    chat = Chat(engine)
    chat.send(QUESTIONS[1])
    chat.send(choice=chat.button("Korte route"))
    for _ in range(10):
        if chat.state is not None and (chat.state.current or "").startswith("c:"):
            break
        chat.send("geen zorg")
    assert chat.last is not None and "neem ik aan" in chat.last.replies[-1].text
    assert [c.label for c in chat.last.replies[-1].choices] == [
        "Klopt",
        "Klopt niet",
        "Weet ik niet",
    ]
    key = (chat.state.current or "")[2:] if chat.state else ""
    chat.send("klopt niet")
    assert chat.state is not None and chat.state.answers[key].answer == "nee"
    assert not chat.state.answers[key].derived


def test_a_value_question_asks_about_a_concern(engine: Engine) -> None:
    chat = Chat(engine)
    chat.send(QUESTIONS[0])
    chat.send(choice=chat.button("Korte route"))
    assert chat.last is not None
    assert "Zie je hier een zorg voor je project?" in chat.last.replies[-1].text
    assert [c.label for c in chat.last.replies[-1].choices][:2] == ["Geen zorg", "Zorg"]
