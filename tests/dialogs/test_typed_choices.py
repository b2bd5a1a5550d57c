"""A choice typed in one's own words at the first impression or the outcome: a user trial
asked "kan ik dit als pdf krijgen?" and got a new intake instead of the report."""

from __future__ import annotations

import pytest

from dialogs.engine import Engine, HandOver, StartCheckpoints
from knowledge.triage import Advisor
from tests.dialogs.test_engine_bad_input import Chat, plain

QUESTION = "We willen een chatbot op de website voor vragen over afval, met ChatGPT."


@pytest.fixture(scope="module")
def engine(advisor: Advisor) -> Engine:
    return Engine(advisor)


@pytest.mark.parametrize("typed", ["advies", "alleen advies graag", "just the advice please"])
def test_the_advice_asked_for_in_words(engine: Engine, typed: str) -> None:
    chat = Chat(engine)
    chat.send(QUESTION)
    chat.send(typed)
    assert chat.state is not None and chat.state.step == "outcome"


@pytest.mark.parametrize(
    "typed", ["kan ik dit als pdf krijgen?", "stuur me het verslag", "ik wil het rapport"]
)
def test_the_report_asked_for_in_words_at_the_outcome(engine: Engine, typed: str) -> None:
    chat = Chat(engine)
    chat.send(QUESTION)
    chat.send("alleen het advies")
    turn = chat.send(typed)
    assert any((r.content or {}).get("kind") == "report" for r in turn.replies)
    assert chat.state is not None and chat.state.step == "outcome"


@pytest.mark.parametrize(
    "typed",
    [
        # (From a cold review: none of these asks for an option.)
        "Mogen we adressen van bewoners doorgeven aan de politie?",
        "Nee, niet doorgeven",
        "Ik hoef geen herinneringen",
        "geen rapport nodig",
        "Hoe lang mag ik de pdf met BSN bewaren?",
        "Opnieuw een vraag: mag de jeugdboa bodycams dragen?",
    ],
)
def test_no_option_is_guessed_from_a_sentence_that_does_not_ask_for_it(
    engine: Engine, typed: str
) -> None:
    chat = Chat(engine)
    chat.send(QUESTION)
    chat.send("alleen het advies")
    turn = chat.send(typed)
    assert not any(isinstance(e, (StartCheckpoints, HandOver)) for e in turn.effects)
    assert not any((r.content or {}).get("kind") == "report" for r in turn.replies)


@pytest.mark.parametrize(
    "typed",
    [
        "Mag de korting op de parkeervergunning afhangen van inkomen?",
        "Een volledig geautomatiseerd besluit over bijstandsaanvragen met AI",
        "Kunnen we direct inwoners waarschuwen met een app?",
    ],
)
def test_a_new_question_at_the_first_impression_is_not_a_route(engine: Engine, typed: str) -> None:
    chat = Chat(engine)
    chat.send(QUESTION)
    chat.send(typed)
    assert chat.state is not None and chat.state.step in ("quick", "describe")
    assert typed.split()[1].lower() in (chat.state.description or "").lower() or (
        chat.state.step == "describe"
    )


def test_a_new_project_is_still_a_new_project(engine: Engine) -> None:
    chat = Chat(engine)
    chat.send(QUESTION)
    chat.send("alleen het advies")
    chat.send("We willen ook drones inzetten boven de weilanden om te controleren of er mest ligt.")
    assert chat.state is not None and chat.state.step == "quick"
    assert "drones" in (chat.state.description or "")


def at_a_value_question(engine: Engine) -> tuple[Chat, str]:
    """A conversation on the short route at its first value question, and that question."""
    chat = Chat(engine)
    chat.send("AI cameras at the ferry terminal that spot suspicious behaviour of passengers")
    chat.send("short route")
    assert chat.state is not None and chat.state.current is not None
    assert chat.state.current.startswith("v:")
    return chat, chat.state.current


def test_a_value_answered_in_own_words_is_kept_as_the_note(engine: Engine) -> None:
    """A user trial answered "yes, false alarms about innocent people" and was told the answer
    was not recognised: the words are kept, and the bot asks whether they are a concern."""
    chat, value = at_a_value_question(engine)
    text = plain(chat.send("false alarms about innocent people"))
    assert "Noted" in text and "concern" in text
    assert chat.state.current == value  # still the same question
    chat.send("concern")
    answer = chat.state.value_answers[value[2:]]
    assert answer.answer == "zorg" and answer.note == "false alarms about innocent people"


def test_yes_and_no_answer_whether_there_is_a_concern(engine: Engine) -> None:
    """The value question asks "Do you see a concern here?": yes is a concern (with the words
    after it as its note), no is none."""
    chat, first = at_a_value_question(engine)
    chat.send("yes, false alarms about innocent people")
    answer = chat.state.value_answers[first[2:]]
    assert answer.answer == "zorg" and answer.note == "false alarms about innocent people"
    second = chat.state.current
    assert second is not None and second.startswith("v:") and second != first
    chat.send("no")
    assert chat.state.value_answers[second[2:]].answer == "geen-zorg"


@pytest.mark.parametrize(
    ("asked", "said"),
    [
        ("Wat is een DPIA eigenlijk?", "gegevensbeschermingseffectbeoordeling"),
        ("What's an IAMA?", "Fundamental Rights and Algorithms Impact Assessment"),
        ("wat is moreel beraad?", "Moreel Beraad"),
    ],
)
def test_a_question_about_a_word_is_answered(engine: Engine, asked: str, said: str) -> None:
    """A user trial asked what a DPIA is and was asked to describe a project instead."""
    chat = Chat(engine)
    text = plain(chat.send(asked))
    assert said in text
    assert "nog niet goed plaatsen" not in text and "cannot place" not in text
    assert chat.state is not None and chat.state.step == "describe"


def test_a_project_that_starts_with_what_is_stays_a_project(engine: Engine) -> None:
    chat = Chat(engine)
    chat.send("Wat is het effect van camera's op overlast in de wijk?")
    assert chat.state is not None and chat.state.step == "quick"


def test_an_organisation_question_gets_no_project_verdicts_risk_or_checkpoints(
    engine: Engine,
) -> None:
    """A user trial read 'Willen we het? nog niet besproken' three times, 'Risico: laag' and
    the project checkpoints under advice on how to organise digital ethics."""
    chat = Chat(engine)
    chat.send("Hoe beleggen we digitale ethiek in onze organisatie?")
    text = plain(chat.send("alleen het advies"))
    assert "Voor de organisatie" in text
    assert "nog niet besproken" not in text and "Risico" not in text
    assert "na de verkenning, voor de aanbesteding" not in text
    assert "over een jaar opnieuw" in text


def test_a_question_assumed_from_the_description_says_which_words(engine: Engine) -> None:
    """A user trial felt asked twice about children it had just named: the confirmation
    now says what it read."""
    chat = Chat(engine)
    chat.send(
        "Mogen we drones inzetten om weilanden te controleren? Soms spelen er kinderen op het erf."
    )
    turn = chat.send("volledig")
    for _ in range(40):
        assert chat.state is not None
        if chat.state.current == "c:kinderen":
            assert "Je noemt 'kinderen'" in plain(turn)
            return
        turn = chat.send("klopt" if (chat.state.current or "").startswith("c:") else "overslaan")
    raise AssertionError("the children's question was never confirmed")


def test_a_held_note_stays_with_its_own_question(engine: Engine) -> None:
    """(From a cold review.) Words held at one value question and then skipped are not the
    note of the next question's answer."""
    chat, first = at_a_value_question(engine)
    chat.send("false alarms about innocent people")
    chat.send("skip")
    second = chat.state.current
    assert second != first and second is not None and second.startswith("v:")
    chat.send("no concern")
    assert chat.state.value_answers[second[2:]].note is None
