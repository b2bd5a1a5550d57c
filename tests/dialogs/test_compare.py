"""Re-checking a project: real outcomes from the engine, before and after a change of scope.

The outcomes are made by walking the real engine (``tests.bot.triages``); the re-check walk is
driven from :func:`dialogs.compare.recheck_state` through a JSON round trip (as storage keeps
it) and :meth:`Engine.resume`, pressing "Zo laten" wherever the team has nothing to change.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import pytest

from dialogs.compare import KINDS, Change, compare_outcomes, recheck_state, render_changes
from dialogs.engine import Engine, LogOutcome, Turn
from dialogs.markdown import to_html, to_plain
from dialogs.models import MAX_INPUT_CHARS, ConversationState, Inbound, Outcome, QuestionAnswer
from knowledge.loader import Knowledge
from knowledge.schema import Lang
from knowledge.triage import Advisor
from tests.bot.triages import advice, walk

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LATER = T0 + timedelta(days=120)

DRONES = "Mogen we drones boven weilanden laten vliegen om ammoniak te meten?"
# The brief's change of scope, and a wider one that brings an algorithm that scores people.
CAMERAS = "drones met camera's die ook mensen herkennen boven weilanden en een camping"
SCORING = (
    CAMERAS + "; een algoritme voorspelt met een risicoscore welke kampeerders we extra controleren"
)
# The team's answers where they differ from the walk's plain defaults.
BEFORE = {"kinderen": "nee", "buiten-eer": "nee", "bijzondere-gegevens": "nee"}
AFTER = {**BEFORE, "bijzondere-gegevens": "ja", "privacy": "zorg"}
NOTES_AFTER = {"privacy": "mensen op de camping worden herkend"}


def changed(old: str, change: str) -> str:
    """The description of a re-check, as recheck_state makes it in Dutch."""
    return f"{old}\n\nWat er veranderd is: {change}"


def texts(changes: list[Change]) -> list[str]:
    return [c.text for c in changes]


def by_kind(changes: list[Change], kind: str) -> dict[str, Change]:
    return {c.key: c for c in changes if c.kind == kind}


def assert_ordered(changes: list[Change]) -> None:
    """Risk first, then verdicts, signals, instrument, values, answers."""
    ranks = [KINDS.index(c.kind) for c in changes]
    assert ranks == sorted(ranks), [c.kind for c in changes]


@pytest.fixture(scope="module")
def before(advisor: Advisor) -> Outcome:
    return walk(advisor, DRONES, T0, answers=BEFORE)


@pytest.fixture(scope="module")
def after(advisor: Advisor) -> Outcome:
    return walk(advisor, changed(DRONES, SCORING), LATER, answers=AFTER, notes=NOTES_AFTER)


# -- what changed, in words ---------------------------------------------------------------------


def test_scope_change_named_in_dutch(before: Outcome, after: Outcome, knowledge: Knowledge) -> None:
    # The engine's own view of the two projects, so the test checks the comparison, not the triage.
    assert (before.risk, after.risk) == ("midden", "hoog")
    assert "iama" not in before.signal_ids() and "iama" in after.signal_ids()
    assert (before.instrument_id, after.instrument_id) == ("begeleidingsethiek", "iama")

    changes = compare_outcomes(before, after, knowledge, "nl")
    assert_ordered(changes)
    assert changes[0] == Change(
        kind="risk", key="risk", before="midden", after="hoog", text="risico midden → hoog"
    )
    words = texts(changes)
    assert "Willen we het?: groen → oranje" in words  # the concern about privacy
    assert "nieuw: DPIA-criterium gevoelige of zeer persoonlijke gegevens" in words
    assert "nieuw: signaal IAMA (een algoritme dat mensen raakt)" in words
    assert "AI-verordening: geen signaal → AI of algoritme, geen bijzonder gebied" in words
    names = {i: knowledge.instruments[i].name.nl for i in ("begeleidingsethiek", "iama")}
    assert f"instrument: {names['begeleidingsethiek']} → {names['iama']}" in words
    assert by_kind(changes, "instrument")["instrument"].after == "iama"
    assert "nieuw op het spel: Gelijkwaardigheid" in words
    assert "niet meer op het spel: Gezondheid" in words
    ask = knowledge_question(knowledge, "bijzondere-gegevens", "nl")
    assert f"Vraag “{ask}”: nee → ja" in words
    assert "Waarde Privacy: geen zorg → zorg" in words
    # What did not change is not named: the children question stayed "nee" and the Mag-het
    # and Kan-het verdicts stayed the same.
    assert "kinderen" not in by_kind(changes, "answer")
    assert set(by_kind(changes, "verdict")) == {"willen"}
    assert "kia" not in by_kind(changes, "signal")


def test_scope_change_named_in_english(
    before: Outcome, after: Outcome, knowledge: Knowledge
) -> None:
    changes = compare_outcomes(before, after, knowledge, "en")
    assert_ordered(changes)
    words = texts(changes)
    assert words[0] == "risk medium → high"
    assert "Is it desirable?: green → orange" in words
    assert "new: DPIA criterion sensitive or highly personal data" in words
    assert "new: signal IAMA (an algorithm affecting people)" in words
    assert "AI Act: no signal → AI or algorithm, no special area" in words
    names = {i: knowledge.instruments[i].name.en for i in ("begeleidingsethiek", "iama")}
    assert f"instrument: {names['begeleidingsethiek']} → {names['iama']}" in words
    assert "newly at stake: Equality" in words
    assert "no longer at stake: Health" in words
    ask = knowledge_question(knowledge, "bijzondere-gegevens", "en")
    assert f"Question “{ask}”: no → yes" in words
    assert "Value Privacy: no concern → concern" in words
    # The same differences in both languages, only the words differ.
    nl = compare_outcomes(before, after, knowledge, "nl")
    assert [(c.kind, c.key, c.before, c.after) for c in changes] == [
        (c.kind, c.key, c.before, c.after) for c in nl
    ]


def test_the_way_back_names_what_is_gone(
    before: Outcome, after: Outcome, knowledge: Knowledge
) -> None:
    changes = compare_outcomes(after, before, knowledge, "nl")
    assert_ordered(changes)
    words = texts(changes)
    assert words[0] == "risico hoog → midden"
    assert "vervallen: signaal IAMA (een algoritme dat mensen raakt)" in words
    assert "vervallen: DPIA-criterium gevoelige of zeer persoonlijke gegevens" in words
    assert "niet meer op het spel: Gelijkwaardigheid" in words
    iama = by_kind(changes, "signal")["iama"]
    assert (iama.before, iama.after) == ("iama", None)


def test_the_briefs_example_names_personal_data_and_values(
    advisor: Advisor, knowledge: Knowledge
) -> None:
    """ "drones boven weilanden" → later with cameras that recognise people at a campsite."""
    old = advice(advisor, DRONES, T0)
    new = advice(advisor, changed(DRONES, CAMERAS), LATER)
    assert "personal-data" not in old.signal_ids() and "personal-data" in new.signal_ids()
    gained = [v for v in new.values if v not in old.values]
    lost = [v for v in old.values if v not in new.values]
    assert gained and lost

    wording: list[tuple[Lang, str, str, str]] = [
        ("nl", "nieuw: signaal persoonsgegevens", "nieuw op het spel", "niet meer op het spel"),
        ("en", "new: signal personal data", "newly at stake", "no longer at stake"),
    ]
    for lang, added, at_stake, gone in wording:
        changes = compare_outcomes(old, new, knowledge, lang)
        assert_ordered(changes)
        words = texts(changes)
        assert added in words
        for v in gained:
            assert f"{at_stake}: {knowledge.values[v].name.get(lang)}" in words
        for v in lost:
            assert f"{gone}: {knowledge.values[v].name.get(lang)}" in words
        # Same risk (midden) and instrument: not named. Personal data now in view bring the
        # DPIA criteria the drones already hinted at, and Mag het? moves. Cameras that
        # recognise people are an AI system (AI Act art. 3(1)), in no special area.
        assert {c.kind for c in changes} <= {
            "signal",
            "value",
            "dpia-criterion",
            "verdict",
            "ai-act",
        }
        assert [(c.before, c.after) for c in changes if c.kind == "ai-act"] == [("none", "ai")]
        assert {"signal", "value"} <= {c.kind for c in changes}, words


def test_identical_outcomes_give_no_changes(
    advisor: Advisor, before: Outcome, knowledge: Knowledge
) -> None:
    assert compare_outcomes(before, before, knowledge, "nl") == []
    # The same project walked again later: another id and time, nothing else.
    again = walk(advisor, DRONES, LATER, answers=BEFORE, conversation="c2")
    assert again.id != before.id
    assert compare_outcomes(before, again, knowledge, "en") == []
    assert "Niets veranderd" in render_changes([], "nl")
    assert "Nothing changed" in render_changes([], "en")


def test_advice_then_walk_names_the_verdicts_and_answers(
    advisor: Advisor, knowledge: Knowledge
) -> None:
    old = advice(advisor, DRONES, T0)
    new = walk(advisor, DRONES, LATER, answers=BEFORE)
    changes = compare_outcomes(old, new, knowledge, "nl")
    verdicts = by_kind(changes, "verdict")
    assert (verdicts["willen"].before, verdicts["willen"].after) == ("onbekend", "groen")
    kinderen = by_kind(changes, "answer")["kinderen"]
    assert (kinderen.before, kinderen.after) == (None, "nee")
    assert kinderen.text.endswith("niet beantwoord → nee")


def test_render_escapes_what_the_team_typed(advisor: Advisor, knowledge: Knowledge) -> None:
    old = walk(advisor, DRONES, T0, notes={"doel": "ammoniak meten"})
    new = walk(advisor, DRONES, LATER, notes={"doel": "**alles** meten <!channel> _nu_"})
    changes = compare_outcomes(old, new, knowledge, "nl")
    doel = by_kind(changes, "answer")["doel"]
    assert (doel.before, doel.after) == ("ammoniak meten", "**alles** meten <!channel> _nu_")
    md = render_changes(changes, "nl")
    lines = md.splitlines()
    assert lines[0] == "**Wat er veranderd is sinds de vorige toets**"
    assert all(line.startswith("- ") for line in lines[2:]) and len(lines) == 2 + len(changes)
    html = to_html(md)
    assert html.count("<strong>") == 1  # the heading only
    assert "<em>" not in html and "&lt;!channel&gt;" in html
    assert "“**alles** meten <!channel> _nu_”" in to_plain(md)


# -- the re-check state and walk ----------------------------------------------------------------


def knowledge_question(k: Knowledge, qid: str, lang: Lang) -> str:
    return next(q.ask.get(lang) for s in k.drietrap.steps for q in s.questions if q.id == qid)


def test_recheck_state_carries_the_earlier_project(before: Outcome) -> None:
    state = recheck_state(before, f"  {SCORING}\x00 ", "nl", LATER)
    assert state.step == "quick"
    assert state.description == changed(DRONES, SCORING)
    assert state.previous_outcome_id == before.id and state.outcome_id is None
    # The team's own answers; those the description gave are derived again by the walk.
    assert state.answers == {q: a for q, a in before.answers.items() if not a.derived}
    # (The walk confirmed what the description suggested; an unconfirmed assumption is not
    # carried into the re-check.)
    assumed = before.model_copy(
        update={
            "answers": {**before.answers, "kinderen": QuestionAnswer(answer="ja", derived=True)}
        }
    )
    assert "kinderen" not in recheck_state(assumed, SCORING, "nl", LATER).answers
    assert state.value_answers == before.value_answers
    assert state.started_at == LATER and state.lang == "nl"
    # Stored as JSON between turns, like any state.
    assert ConversationState.model_validate_json(state.model_dump_json()) == state

    en = recheck_state(before, "cameras now", "en", LATER)
    assert en.description == f"{DRONES}\n\nWhat changed: cameras now" and en.lang == "en"
    assert en.nonce != recheck_state(before, "cameras now", "en", LATER + timedelta(1)).nonce
    assert recheck_state(before, "   ", "nl", LATER).description == DRONES


def test_recheck_state_stays_within_the_input_limit(before: Outcome) -> None:
    long_ago = before.model_copy(update={"description": DRONES + " x" * MAX_INPUT_CHARS})
    state = recheck_state(long_ago, SCORING, "nl", LATER)
    assert state.description is not None
    assert len(state.description) <= MAX_INPUT_CHARS
    assert state.description.endswith(f"Wat er veranderd is: {SCORING}")
    assert state.description.startswith(DRONES)


def _choice_ids(turn: Turn) -> dict[str, str]:
    return {c.id.rsplit(".", 1)[-1]: c.id for r in turn.replies for c in r.choices}


def recheck_walk(
    engine: Engine,
    state: ConversationState,
    now: datetime,
    answers: Mapping[str, str],
    notes: Mapping[str, str],
) -> tuple[Outcome, ConversationState, list[tuple[str, Turn]]]:
    """Walk a re-check: keep each earlier answer unless ``answers`` says otherwise.

    Returns the outcome, the state after it and each walk prompt with the turn that showed it.
    """
    stored = ConversationState.model_validate_json(state.model_dump_json())
    turn = engine.resume(stored)
    assert turn.state is not None and turn.state.step == "quick"
    shown: list[tuple[str, Turn]] = []
    option = "walk"
    for _ in range(200):
        current = turn.state
        assert current is not None
        msg = Inbound(channel="test", conversation="c", user="u", choice=_choice_ids(turn)[option])
        turn = engine.handle(msg, current, now)
        assert turn.state is not None
        prompt = turn.state.current or ""
        key = prompt.split(":", 1)[-1]
        if turn.state.awaiting_note == prompt and key in notes:
            typed = Inbound(channel="test", conversation="c", user="u", text=notes[key])
            turn = engine.handle(typed, turn.state, now)
        after = turn.state
        assert after is not None
        for effect in turn.effects:
            if isinstance(effect, LogOutcome):
                return effect.outcome, after, shown
        prompt = after.current or ""
        key = prompt.split(":", 1)[-1]
        shown.append((prompt, turn))
        options = _choice_ids(turn)
        if key in answers and answers[key] in options:
            option = answers[key]
        else:
            option = next(
                o for o in ("keep", "next", "continue", "geen-zorg", "ja") if o in options
            )
    raise AssertionError("the re-check walk did not end")


def test_recheck_round_trips_to_a_linked_outcome(
    advisor: Advisor, before: Outcome, knowledge: Knowledge
) -> None:
    engine = Engine(advisor)
    state = recheck_state(before, SCORING, "nl", LATER)
    new, final, shown = recheck_walk(
        engine,
        state,
        LATER,
        answers={"privacy": "zorg", "bijzondere-gegevens": "ja"},
        notes=NOTES_AFTER,
    )
    assert new.previous_outcome_id == before.id and final.previous_outcome_id == before.id
    assert new.id != before.id and new.description == changed(DRONES, SCORING)

    # Each prompt with an earlier answer showed it and offered to keep it; the others did not.
    for prompt, turn in shown:
        key = prompt.split(":", 1)[-1]
        earlier = (
            before.value_answers.get(key) if prompt.startswith("v:") else before.answers.get(key)
        )
        has_keep = "keep" in _choice_ids(turn)
        derived = isinstance(earlier, QuestionAnswer) and earlier.derived
        if prompt.startswith(("q:", "v:")) and earlier is not None and not derived:
            assert has_keep, prompt
            assert "Zo laten" in [c.label for c in turn.replies[-1].choices]
            assert "Eerder antwoord:" in turn.replies[-1].text
        else:
            assert not has_keep, prompt
    assert any(p == "v:gelijkwaardigheid" for p, _ in shown)  # newly at stake: asked afresh

    # The answers start from the old ones: only what the team changed differs.
    for qid, a in before.answers.items():
        if qid != "bijzondere-gegevens" and not a.derived:
            # Kept as given; or now taken from the new description (persoonsgegevens: "ja").
            assert (new.answers[qid].answer, new.answers[qid].note) == (a.answer, a.note), qid
    assert new.answers["bijzondere-gegevens"].answer == "ja"
    assert new.value_answers["privacy"].answer == "zorg"
    assert new.value_answers["gezondheid"] == before.value_answers["gezondheid"]  # kept

    changes = compare_outcomes(before, new, knowledge, "nl")
    assert_ordered(changes)
    assert changes[0].text == "risico midden → hoog"
    answered = {c.key for c in changes if c.kind in ("answer", "value-answer")}
    assert answered == {"bijzondere-gegevens", "privacy", "gelijkwaardigheid"}
    assert "instrument" in by_kind(changes, "instrument")


def test_keep_can_be_typed_and_ordinary_walks_offer_no_keep(
    advisor: Advisor, before: Outcome
) -> None:
    engine = Engine(advisor)
    turn = engine.resume(recheck_state(before, SCORING, "nl", LATER))
    assert turn.state is not None
    turn = engine.handle(
        Inbound(channel="test", conversation="c", user="u", choice=_choice_ids(turn)["walk"]),
        turn.state,
        LATER,
    )
    assert turn.state is not None and turn.state.current == "q:doel"
    first = turn.state.position
    turn = engine.handle(
        Inbound(channel="test", conversation="c", user="u", text="zo laten"), turn.state, LATER
    )
    assert turn.state is not None and turn.state.position == first + 1
    assert turn.state.answers["doel"] == before.answers["doel"]

    # The same answers in an ordinary conversation (no earlier outcome): no "Zo laten".
    plain = turn.state.model_copy(update={"previous_outcome_id": None})
    shown = engine.handle(
        Inbound(channel="test", conversation="c", user="u", text="terug"), plain, LATER
    )
    assert shown.state is not None and shown.state.current == "q:doel"
    assert "keep" not in _choice_ids(shown)
    assert "Eerder antwoord" not in shown.replies[-1].text
