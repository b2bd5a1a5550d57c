"""The promise of a person behind the bot holds in every step: asking for one hands the
question to the ethics advisor (or says how, before there is a question)."""

from __future__ import annotations

import pytest

from dialogs.engine import Engine, HandOver, LogOutcome, Policy
from knowledge.triage import Advisor
from tests.dialogs.test_engine_bad_input import Chat, plain, skip_to

ASKS = [
    "kan ik een mens spreken?",
    "Ik wil graag met een echte adviseur praten",
    "Can I talk to a human?",
    "I'd like to speak to someone",
]
QUESTION = "Mogen we drones inzetten om te controleren of weilanden bloemrijk zijn?"


@pytest.fixture(scope="module")
def engine(advisor: Advisor) -> Engine:
    return Engine(advisor)


@pytest.mark.parametrize("ask", ASKS)
def test_asking_first_then_describing_hands_the_question_over(engine: Engine, ask: str) -> None:
    chat = Chat(engine)
    first = chat.send(ask)
    assert not first.effects
    assert "ethiekadviseur" in plain(first) or "ethics advisor" in plain(first)
    turn = chat.send(QUESTION)
    kinds = [type(e) for e in turn.effects]
    assert kinds == [LogOutcome, HandOver]  # logged first, so the hand-over names a stored outcome
    assert chat.state is not None and chat.state.handed_over and chat.state.step == "outcome"
    # The outcome offers no second hand-over.
    labels = [c.label for r in turn.replies for c in r.choices]
    assert "Geef door aan de ethiekadviseur" not in labels
    assert "Wil je dit doorgeven" not in plain(turn)  # nor asks for it again


@pytest.mark.parametrize(
    ("ask", "answer"),
    [(ASKS[0], "ethiekadviseur, een mens"), (ASKS[2], "ethics advisor, a person")],
)
def test_asking_first_is_answered_in_the_language_asked(
    engine: Engine, ask: str, answer: str
) -> None:
    assert answer in plain(Chat(engine).send(ask))


@pytest.mark.parametrize("ask", ASKS[:2])
def test_asking_during_the_walk_or_at_the_outcome_hands_over_once(engine: Engine, ask: str) -> None:
    chat = Chat(engine)
    chat.send(QUESTION)
    chat.send("volledig")
    assert chat.state is not None and chat.state.step == "walk"
    turn = chat.send(ask)
    assert [type(e) for e in turn.effects] == [LogOutcome, HandOver]
    again = chat.send(ask)
    assert not again.effects and "al doorgegeven" in plain(again)


def test_a_description_that_mentions_talking_to_people_is_a_description(engine: Engine) -> None:
    chat = Chat(engine)
    turn = chat.send(
        "We willen met een chatbot inwoners helpen, maar ze moeten altijd ook met een mens "
        "kunnen praten als de bot het niet weet. Welke waarden spelen hier?"
    )
    assert not turn.effects
    assert chat.state is not None and chat.state.step == "quick"


def test_help_says_how_to_reach_a_person(engine: Engine) -> None:
    chat = Chat(engine)
    chat.send(QUESTION)
    assert "adviseur spreken" in plain(chat.send("hulp"))


def test_a_person_asked_for_with_a_phone_number_hears_how_the_advisor_answers(
    engine: Engine,
) -> None:
    """The number was left out before the engine saw it; the bot says that the advisor does
    not see it either, and answers in this conversation."""
    chat = Chat(engine)
    chat.send("kan ik een mens spreken?")
    turn = chat.send(f"{QUESTION} Bel me op [telefoonnummer].")
    assert [type(e) for e in turn.effects] == [LogOutcome, HandOver]
    assert "ook niet voor de adviseur" in plain(turn)
    plain_question = Chat(engine)
    plain_question.send("kan ik een mens spreken?")
    assert "ook niet voor de adviseur" not in plain(plain_question.send(QUESTION))


@pytest.mark.parametrize(("said", "answer"), [("ok thanks 🙂", "welcome"), ("Bedankt!", "Graag")])
def test_thanks_after_the_outcome_is_answered_kindly(
    engine: Engine, said: str, answer: str
) -> None:
    """Found by a user trial: "ok thanks 🙂" after the advice got "I don't recognise that
    answer". Thanks is answered, the outcome's choices stay, and nothing is logged again."""
    chat = Chat(engine)
    quick = chat.send(QUESTION)
    chat.send(choice=chat.button("Alleen het advies", quick))
    assert chat.state is not None and chat.state.step == "outcome"
    if said.startswith("ok"):
        chat.send("english")
    turn = chat.send(said)
    assert answer in plain(turn) and "recognise" not in plain(turn) and "herken" not in plain(turn)
    assert not turn.effects and any(r.choices for r in turn.replies)


def test_a_merely_related_case_lends_no_arguments(engine: Engine) -> None:
    """Found by a user trial: a question about staff in a parking garage got "Inwoners worden
    gesprekspartner ... luchtkwaliteit" as its own reason, from a case that was only related.
    Only a case that really is alike (strength "close") lends its arguments, marked as its."""
    question = (
        "Mogen we met sensoren in de parkeergarage van het provinciehuis bijhouden hoe laat "
        "medewerkers komen en gaan?"
    )
    triage = engine.advisor.triage(question)
    assert triage.cases and not any(m.close for m in triage.cases)
    chat = Chat(engine)
    quick = chat.send(question)
    turn = chat.send(choice=chat.button("Alleen het advies", quick))
    (log,) = [e for e in turn.effects if isinstance(e, LogOutcome)]
    lines = [d.because for d in (*log.outcome.desirable, *log.outcome.undesirable)]
    assert not any("(bij " in line for line in lines), lines


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("Omdat consulenten niet alle aanvragen grondig kunnen controleren", "ja"),
        ("I don't know, the supplier decides", "weet-niet"),
    ],
)
def test_a_yes_no_question_takes_a_reason_in_words(engine: Engine, typed: str, answer: str) -> None:
    """Found by a user trial: "Omdat consulenten ..." at "Heb je hiervoor echt data of
    technologie nodig?" was refused five times; only "ja, want ..." worked. A reason is a yes
    with a note; "I don't know, ..." is don't-know with a note."""
    chat = Chat(engine)
    quick = chat.send(QUESTION)
    chat.send(choice=chat.button("Drietrap doorlopen", quick))
    skip_to(chat, "q:noodzaak")
    chat.send(typed)
    assert chat.state is not None
    got = chat.state.answers["noodzaak"]
    assert got.answer == answer and got.note, got


def test_an_english_conversation_cites_the_law_in_english(engine: Engine) -> None:
    """Found by a user trial: English conversations read "AVG art. 35(3)(b)" and
    "AI-verordening bijlage III, punt 1(a)". The law's references are now cited in English."""
    chat = Chat(engine)
    quick = chat.send(
        "We want cameras with face recognition on the market square that compare every "
        "passer-by with a list of people who are banned."
    )
    turn = chat.send(choice=chat.button("Just the advice", quick))
    text = plain(quick) + plain(turn)
    assert "AI Act" in text and "GDPR" in text, text
    assert "AI-verordening" not in text and "AVG " not in text and "bijlage" not in text


def test_a_question_in_another_language_is_told_so(engine: Engine) -> None:
    """Found by a user trial: a French question was triaged as Dutch without a word. The
    bot says, in Dutch and English, which languages it understands; a Dutch question that
    borrows a word ("Les") is not taken for French."""
    chat = Chat(engine)
    turn = chat.send(
        "Pouvons-nous utiliser des caméras avec reconnaissance faciale sur la place du marché "
        "pour les visiteurs?"
    )
    assert "Nederlands of Engels" in plain(turn) and "Dutch or English" in plain(turn)
    dutch = Chat(engine).send("Les gegevens van de inwoners worden gedeeld met de politie.")
    assert "Nederlands of Engels" not in plain(dutch)


def test_not_right_to_what_the_description_raised_is_said_in_the_outcome(engine: Engine) -> None:
    """Found by a user trial: "Klopt niet" to "Raakt het project kinderen?" for an app for
    pupils of 8 to 12 changed nothing and the outcome did not say why. The signal stays (the
    description names children) and the outcome says the answer contradicts it."""
    chat = Chat(engine)
    quick = chat.send(
        "We willen op scholen een app gebruiken die het leesniveau van leerlingen van 8 tot 12 "
        "jaar bijhoudt en met AI voorspelt wie extra hulp nodig heeft."
    )
    chat.send(choice=chat.button("Drietrap doorlopen", quick))
    skip_to(chat, "c:kinderen")
    chat.send("klopt niet")
    for _ in range(40):
        if chat.state is not None and chat.state.step == "outcome":
            break
        turn = chat.send("overslaan")
    (log,) = [e for e in turn.effects if isinstance(e, LogOutcome)]
    (mag,) = [v for v in log.outcome.verdicts if v.step == "mag"]
    assert any("klopt niet" in r and "kinderen" in r for r in mag.reasons), mag.reasons


def test_the_next_steps_name_the_iama_once_and_read_as_a_sentence(engine: Engine) -> None:
    """Found by a user trial: "Plan een sessie Impact Assessment ... (De cursus duurt één
    dag; ...)" and then, two steps on, "Doe een IAMA" again."""
    chat = Chat(engine)
    quick = chat.send(
        "Een algoritme bepaalt welke aanvragers van bijzondere bijstand extra gecontroleerd worden."
    )
    turn = chat.send(choice=chat.button("Alleen het advies", quick))
    (log,) = [e for e in turn.effects if isinstance(e, LogOutcome)]
    steps = log.outcome.next_steps
    # The assessment itself first, its course only as an aside; named in that step alone.
    assert steps[0].startswith("Doe het IAMA voordat het algoritme wordt ingezet: "), steps
    assert "(De" not in steps[0] and not any("IAMA" in s for s in steps[1:]), steps


# --- no advisor registered: the bot promises no person -------------------------------------


@pytest.fixture(scope="module")
def unstaffed(advisor: Advisor) -> Engine:
    return Engine(advisor, Policy(staffed=lambda: False))


def test_without_an_advisor_asking_for_a_person_says_so(unstaffed: Engine) -> None:
    chat = Chat(unstaffed)
    text = plain(chat.send("kan ik een mens spreken?"))
    assert "nog geen ethiekadviseur aangemeld" in text
    assert "achter deze bot zit" not in text


def test_without_an_advisor_a_hand_over_is_kept_for_later_and_said_to_be(unstaffed: Engine) -> None:
    chat = Chat(unstaffed)
    chat.send(QUESTION)
    turn = chat.send("Ik wil graag met een echte adviseur praten")
    # The outcome is still logged and queued (an advisor registered later sees it) ...
    assert [type(e) for e in turn.effects] == [LogOutcome, HandOver]
    text = plain(turn)
    # ... but nobody is promised to look at it now.
    assert "nog geen adviseur aangemeld" in text and "Een mens bekijkt" not in text


def test_without_an_advisor_help_promises_no_person(unstaffed: Engine) -> None:
    chat = Chat(unstaffed)
    chat.send(QUESTION)
    text = plain(chat.send("hulp"))
    assert "adviseur spreken" not in text and "nog geen ethiekadviseur aangemeld" in text


def test_without_an_advisor_the_outcome_offers_no_hand_over(unstaffed: Engine) -> None:
    chat = Chat(unstaffed)
    chat.send(QUESTION)
    turn = chat.send("alleen het advies")
    labels = [c.label for r in turn.replies for c in r.choices]
    assert "Geef door aan de ethiekadviseur" not in labels and "Rapport" in labels
    assert "Wil je dit doorgeven" not in plain(turn)
