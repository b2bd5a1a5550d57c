"""The conversation's honesty: it asks back on vague input, says when no case is really alike,
asks what the law turns on, and gives managers the organisation route (issue 10)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dialogs.engine import Engine, LogOutcome
from dialogs.render import render_report
from knowledge.triage import Advisor
from tests.dialogs.test_engine_bad_input import Chat, plain

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def engine(advisor: Advisor) -> Engine:
    return Engine(advisor)


def test_vague_input_gets_a_question_back_and_the_answer_completes_it(engine: Engine) -> None:
    chat = Chat(engine)
    first = chat.send("We willen een nieuw systeem aanschaffen.")
    text = plain(first)
    assert "Vertel iets meer" in text and "Bijvoorbeeld" in text
    assert "Risico" not in text and "Passend instrument" not in text
    # Meanwhile the guide's starting points, each with when it fits.
    assert "Weet je nog niet goed waar je moet beginnen?" in text
    for name in ("De Ethische Data Assistent", "Aanpak Begeleidingsethiek", "Moreel Beraad"):
        assert name in text
    assert "Impact Assessment" not in text
    assert chat.state is not None and chat.state.step == "describe"
    second = chat.send("Het is een AI-tool die aanvragen voor bijzondere bijstand beoordeelt.")
    assert "Eerste indruk" in plain(second)
    assert chat.state is not None and chat.state.step == "quick"
    # Both messages together are the description the triage ran on.
    assert "nieuw systeem" in (chat.state.description or "")
    assert "bijzondere bijstand" in (chat.state.description or "")
    assert chat.state.draft is None


def test_vague_input_in_english_is_asked_back_in_english(engine: Engine) -> None:
    chat = Chat(engine)
    text = plain(chat.send("We are starting a digital innovation pilot next quarter."))
    assert "Tell me a little more" in text
    assert "Not sure where to start?" in text and "Guidance Ethics Approach" in text


def test_the_starting_points_are_shown_once_not_on_every_vague_reply(engine: Engine) -> None:
    chat = Chat(engine)
    first = plain(chat.send("We willen een nieuw systeem aanschaffen."))
    second = plain(chat.send("Het is voor de afdeling."))
    assert "Weet je nog niet goed waar je moet beginnen?" in first
    assert "Vertel iets meer" in second
    assert "Weet je nog niet goed waar je moet beginnen?" not in second


def test_no_really_similar_case_is_said_so(engine: Engine) -> None:
    chat = Chat(engine)
    text = plain(
        chat.send(
            "Sensoren op provinciale bruggen en sluizen voorspellen wanneer onderhoud nodig is."
        )
    )
    assert "Geen casus die echt lijkt; wel verwant" in text


def test_a_close_case_is_presented_as_alike(engine: Engine) -> None:
    chat = Chat(engine)
    text = plain(
        chat.send("Mogen we drones inzetten om te controleren of weilanden bloemrijk zijn?")
    )
    assert "Lijkt op" in text and "Drones en AI om subsidie" in text


def test_the_walk_asks_what_the_law_turns_on_and_uses_the_answer(engine: Engine) -> None:
    chat = Chat(engine)
    chat.send(
        "Een algoritme bepaalt welke inwoners voorrang krijgen op de wachtlijst voor een woning."
    )
    chat.press("Drietrap doorlopen")
    assert chat.state is not None
    assert "l:ask-ai-system" in chat.state.queue
    seen = ""
    for _ in range(40):
        assert chat.state is not None and chat.last is not None
        if chat.state.current == "l:ask-ai-system":
            seen = plain(chat.last)
            why = plain(chat.send("waarom?"))
            assert "art. 3(1)" in why
            chat.press("Ja")
            break
        chat.send("overslaan")
    assert "Is het een AI-systeem volgens art. 3(1)" in seen
    assert chat.state is not None and chat.state.answers["law:ask-ai-system"].answer == "ja"
    # With "ja", the AI Act's high-risk area for public benefits is raised in the result.
    for _ in range(20):
        if chat.state is not None and chat.state.current == "mag-result":
            break
        chat.send("overslaan")
    assert chat.last is not None
    assert "bijlage III, punt 5(a)" in plain(chat.last)


def test_a_managers_question_gets_the_organisation_route(engine: Engine) -> None:
    chat = Chat(engine)
    quick = plain(chat.send("Hoe beleggen we digitale ethiek structureel in onze organisatie?"))
    assert "vraag over de organisatie" in quick
    assert "Data-ethiek Volwassenheidsmodel" in quick
    # No project is judged: no risk level, no "no particular signals".
    assert "Risico" not in quick and "geen bijzondere signalen" not in quick
    route = chat.press("Organisatieroute (6 vragen)")
    assert "Organisatieroute" in plain(route)
    answers = ["nee", "ja", "weet ik niet", "nee", "ja", "nee"]
    turn = route
    for a in answers:
        turn = chat.send(a)
    logged = [e for e in turn.effects if isinstance(e, LogOutcome)]
    assert logged, plain(turn)
    outcome = logged[0].outcome
    assert [o["answer"] for o in outcome.organisation] == [
        "nee",
        "ja",
        "weet-niet",
        "nee",
        "ja",
        "nee",
    ]
    text = plain(turn)
    assert "Voor de organisatie" in text
    # The guide's advice for each theme not in place comes first among the next steps.
    not_in_place = [o for o in outcome.organisation if o["answer"] != "ja"]
    assert outcome.next_steps[: len(not_in_place)] == [o["advice"][0] for o in not_in_place]
    report = render_report(outcome)
    assert "## Voor de organisatie" in report
    assert "IPO-gids, hoofdstuk 3" in report or "Seed 000" in report


def test_a_required_dpia_stays_required_from_the_quick_take_to_the_note(engine: Engine) -> None:
    """One item of the AP list makes a DPIA required; the outcome and the note say so too,
    not "likely" (a new user saw the two disagree)."""
    chat = Chat(engine)
    quick = plain(
        chat.send(
            "We willen met wifi-sensoren de telefoons van bezoekers in het centrum volgen om "
            "te zien waar ze lopen."
        )
    )
    assert "is verplicht: AP-lijst nr. 12" in quick
    outcome = chat.send("Alleen het advies")
    text = plain(outcome)
    assert "Mag het? oranje: een DPIA is verplicht: AP-lijst nr. 12" in text
    assert "Voer samen met de FG" in text and "waarschijnlijk verplicht" not in text
    (logged,) = [e.outcome for e in outcome.effects if isinstance(e, LogOutcome)]
    assert "een DPIA is verplicht: AP-lijst nr. 12" in render_report(logged)


def test_what_the_quick_take_raised_stays_in_the_advice(engine: Engine) -> None:
    """Sensing technology: the quick take asks to check whether what is recorded can be
    traced to people; straight to the advice, that check and the FG stay (a new user saw
    them vanish)."""
    chat = Chat(engine)
    quick = plain(
        chat.send(
            "We willen geluidssensoren in lantaarnpalen hangen om overlast in het "
            "uitgaansgebied te meten."
        )
    )
    check = "techniek die waarneemt: ga na of wat er wordt vastgelegd naar mensen te herleiden is"
    assert check in quick
    text = plain(chat.send("Alleen het advies"))
    assert check in text
    assert "Functionaris Gegevensbescherming (FG)" in text


def test_an_ai_act_duty_of_the_quick_take_stays_in_the_verdict(engine: Engine) -> None:
    """A chatbot for residents: the quick take names art. 50(1); straight to the advice, the
    Mag-het step says it too and is orange, not "not discussed yet" (a new user saw the duty
    vanish), and the report names the finding with its article and counts one criterion as
    one."""
    chat = Chat(engine)
    quick = plain(chat.send("We willen een chatbot voor inwoners op de website van de gemeente."))
    assert "art. 50(1)" in quick
    outcome = chat.send("Alleen het advies")
    text = plain(outcome)
    assert "Mag het? oranje: mensen moeten weten dat ze met een AI-systeem praten" in text
    assert "Mag het? onbekend" not in text
    (logged,) = [e.outcome for e in outcome.effects if isinstance(e, LogOutcome)]
    report = render_report(logged)
    assert "(AI-verordening art. 50(1))" in report
    assert "- DPIA: 1 criterium: nieuwe technologie" in report  # not "1 criteria"


def test_the_english_report_cites_the_law_in_english(engine: Engine) -> None:
    """The report's Mag-het section cites the GDPR and the Dutch DPA's list in English, and
    says what each signal means (a new user saw Dutch references and a bare keyword list)."""
    chat = Chat(engine)
    chat.send("We want to buy an AI tool that ranks job applicants for our vacancies on their CVs.")
    outcome = chat.send("3")  # the advice only
    (logged,) = [e.outcome for e in outcome.effects if isinstance(e, LogOutcome)]
    report = render_report(logged)
    section = report.split("## Is it allowed?")[1].split("\n## ")[0]
    assert "Dutch DPA list no. 15" in section and "AP-lijst" not in section
    assert "IAMA / algorithm register: an algorithm affecting people (ai, tool, cvs)" in section
    assert "(AI Act Annex III, point 4)" in section
    # The first step is the assessment itself, not its training course (a new user read
    # "Plan ...: the course takes one day" as the thing to do).
    assert logged.next_steps[0].startswith("Carry out the IAMA before the algorithm is used")


def test_no_person_overseeing_a_high_risk_system_makes_mag_het_red(engine: Engine) -> None:
    """AI that ranks job applicants is possibly high-risk (Annex III, point 4); with nobody
    to check and correct its results the Mag-het step is red and says why first (a new user
    saw it stay orange among other points)."""
    from tests.dialogs.test_engine_bad_input import skip_to

    def walk(answer: str) -> str:
        chat = Chat(engine)
        chat.send("We willen een AI-tool die sollicitanten rangschikt op hun cv.")
        chat.press("Drietrap doorlopen")
        skip_to(chat, "q:mens-in-de-lus")
        turn = chat.send(answer)
        for _ in range(40):
            if any(isinstance(e, LogOutcome) for e in turn.effects):
                return plain(turn)
            turn = chat.send("overslaan")
        raise AssertionError("the walk never ended")

    assert "Mag het? rood: niemand controleert en corrigeert de uitkomsten" in walk("nee")
    assert "Mag het? rood" not in walk("ja")


def test_an_english_report_shows_the_placeholders_in_english(engine: Engine) -> None:
    """What the redactor left out reads "[name]" in an English report (a new user saw
    "Mr. [naam], head of HR"); the stored text keeps the placeholder the lexicon knows."""
    chat = Chat(engine)
    chat.send("We want drones over the meadows of [naam] to check the flower subsidy.")
    outcome = chat.send("3")
    (logged,) = [e.outcome for e in outcome.effects if isinstance(e, LogOutcome)]
    assert "[naam]" in logged.description
    report = render_report(logged)
    assert "the meadows of \\[name\\] to check" in report and "naam" not in report
