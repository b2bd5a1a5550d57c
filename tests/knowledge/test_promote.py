"""Promoting a reviewed triage to the case library, and editing the organisation's contacts.

Everything here runs on real parts: outcomes built by the real triage and outcome builder (and
one by a real conversation through the engine), cases written to real folders under
``tmp_path`` and read back by the real loader, which is what ``ethiekbot knowledge check`` runs.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import main
from dialogs.engine import Engine, LogOutcome
from dialogs.models import (
    ConversationState,
    Correction,
    Inbound,
    Outcome,
    QuestionAnswer,
    Review,
    ValueAnswer,
)
from dialogs.outcome import build_outcome
from knowledge.loader import DATA_DIR, Knowledge, load
from knowledge.promote import (
    PromotionError,
    case_yaml,
    draft_case,
    publish_case,
    read_contacts,
    save_contacts,
    slugify,
    validate_case,
)
from knowledge.reload import KnowledgeWatcher, fresh_advisor, knowledge_version
from knowledge.schema import ContactsFile, Provenance
from knowledge.triage import Advisor

# A project no shipped case covers: fill-level sensors in a municipality's waste bins.
BINS = (
    "De gemeente wil vulgraadsensoren in ondergrondse afvalcontainers en prullenbakken "
    "plaatsen, zodat de vuilniswagen alleen langskomt als een container bijna vol is. De "
    "sensoren sturen elk uur de vulgraad en de locatie naar een dashboard van de leverancier."
)
PURPOSE = "Minder ritten, minder uitstoot en geen overvolle containers"
PRIVACY_NOTE = (
    "Uit de vulgraad per container valt af te leiden wanneer een huishouden afval weggooit"
)
NOTES = [
    "Spreek met de leverancier af dat ruwe sensordata niet per adres worden bewaard.",
    "Betrek de reinigingsdienst\nvroeg bij de nieuwe routes.",
]
# The same kind of project, asked later by someone else in other words (no "vulgraad",
# "sensor" or "container"), in Dutch and in English.
LATER_NL = (
    "Wij overwegen afvalbakken in het centrum te voorzien van een meter die doorgeeft wanneer "
    "ze geleegd moeten worden. Wat moeten we daarbij afwegen?"
)
LATER_EN = (
    "We want to put fill-level meters in public litter bins so the waste collection trucks "
    "only empty the full ones."
)
CREATED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
BY = "adviseur@gemeente.example"


def bins_outcome(advisor: Advisor, outcome_id: str = "T-4f2a9c") -> Outcome:
    state = ConversationState(
        lang="nl",
        step="outcome",
        description=BINS,
        queue=["q:doel", "v:privacy", "v:duurzaamheid"],
        answers={"doel": QuestionAnswer(answer="open", note=PURPOSE)},
        value_answers={
            "privacy": ValueAnswer(answer="zorg", note=PRIVACY_NOTE),
            "duurzaamheid": ValueAnswer(answer="geen-zorg"),
        },
    )
    return build_outcome(advisor, state, outcome_id, CREATED)


@pytest.fixture(scope="module")
def outcome(advisor: Advisor) -> Outcome:
    return bins_outcome(advisor)


@pytest.fixture
def draft(outcome: Outcome, advisor: Advisor) -> dict[str, Any]:
    return draft_case(
        outcome,
        NOTES,
        title="Vulgraadsensoren in afvalcontainers",
        organisation="Gemeente Voorbeeld",
        advisor=advisor,
    )


@pytest.fixture
def local_dir(tmp_path: Path) -> Path:
    path = tmp_path / "eigen-kennis"
    path.mkdir()
    return path


def provenance(outcome_id: str = "T-4f2a9c") -> Provenance:
    return Provenance(outcome_id=outcome_id, by=BY, at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC))


@pytest.fixture
def knowledge_check(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[[Path], list[str]]:
    """Run `ethiekbot knowledge check` on a local folder; the problems it prints."""

    def run(local_dir: Path) -> list[str]:
        monkeypatch.setenv("ETHIEKBOT_KNOWLEDGE_LOCAL", str(local_dir))
        capsys.readouterr()
        code = main(["knowledge", "check"])
        lines = capsys.readouterr().err.splitlines()
        if code == 0:
            return []
        assert code == 1 and lines[-1].endswith("problem(s) in the knowledge")
        return [line.removeprefix("ethiekbot: ") for line in lines[:-1]]

    return run


def saved_by_hand(local_dir: Path, draft: dict[str, Any]) -> Path:
    """The draft written as a local case file without the workspace, as an editor would."""
    (local_dir / "cases").mkdir(exist_ok=True)
    path = local_dir / "cases" / f"{draft['id']}.yaml"
    path.write_text(case_yaml(draft), encoding="utf-8")
    return path


def without_file(problem: str) -> str:
    """A problem without its file name (the loader names a local file by its full path)."""
    return problem.split(".yaml: ", 1)[1]


# --- the draft ------------------------------------------------------------------------------


def test_draft_is_prefilled_from_the_triage_and_the_notes(
    draft: dict[str, Any], outcome: Outcome, knowledge: Knowledge
) -> None:
    assert draft["id"] == "vulgraadsensoren-in-afvalcontainers"
    assert draft["title"] == {"nl": "Vulgraadsensoren in afvalcontainers"} | {
        "en": "Vulgraadsensoren in afvalcontainers"
    }
    assert draft["organisation"] == "Gemeente Voorbeeld"
    assert draft["year"] == "2026"
    assert draft["question"]["nl"] == BINS
    assert PURPOSE in draft["summary"]["nl"] and "Doel:" in draft["summary"]["nl"]
    assert "Purpose:" in draft["summary"]["en"]
    # The recommended instrument is the instrument used, named in the approach.
    assert outcome.instruments
    assert draft["instrument"] == outcome.instruments[0]["id"]
    assert outcome.instruments[0]["name"] in draft["approach"]["nl"]
    assert outcome.id in draft["approach"]["en"] and outcome.id in draft["source"]
    # The values: the user's concern against, the purpose for; nothing borrowed from
    # a similar case (the ammonia case's reasons are not this project's).
    assert draft["values_against"] == [
        {"value": "privacy", "because": {"nl": PRIVACY_NOTE, "en": PRIVACY_NOTE}}
    ]
    assert {"value": "effectiviteit", "because": {"nl": PURPOSE, "en": PURPOSE}} in draft[
        "values_for"
    ]
    assert all("(bij " not in j["because"]["nl"] for j in draft["values_for"])
    # The signals of the description: ids for matching, labels as technology hints.
    assert "sensor" in draft["signals"]
    assert knowledge.signals["sensor"].label.nl in draft["technologies"]
    # The advisor's notes are the lessons, one line each.
    assert draft["lessons"] == [
        {"nl": NOTES[0], "en": NOTES[0]},
        {"nl": "Betrek de reinigingsdienst vroeg bij de nieuwe routes."}
        | {"en": "Betrek de reinigingsdienst vroeg bij de nieuwe routes."},
    ]
    # The keys are the schema's: a draft with a note is a valid case as it stands.
    assert validate_case(draft, knowledge) == []


def test_draft_from_a_real_conversation_through_the_engine(advisor: Advisor) -> None:
    engine = Engine(advisor)
    state: ConversationState | None = None
    now = CREATED
    inbound = {"channel": "test", "conversation": "c1", "user": "u1"}
    turn = engine.handle(Inbound(**inbound, text=BINS), state, now)
    state = turn.state
    assert state is not None
    advice = next(c.id for r in turn.replies for c in r.choices if c.id.endswith(".advice"))
    turn = engine.handle(Inbound(**inbound, choice=advice), state, now + timedelta(minutes=1))
    (logged,) = [e.outcome for e in turn.effects if isinstance(e, LogOutcome)]

    draft = draft_case(logged, ["Leg vast wie de vulgraadgegevens mag inzien."], advisor=advisor)
    assert draft["question"]["nl"] == BINS
    assert draft["title"]["nl"].startswith("De gemeente wil vulgraadsensoren")
    assert draft["id"] == slugify(draft["title"]["nl"])
    assert draft["year"] == str(logged.created_at.year)
    assert draft["instrument"] == logged.instruments[0]["id"]
    assert validate_case(draft, advisor.knowledge) == []


def test_draft_takes_the_advisors_corrections_as_decisions(
    outcome: Outcome, advisor: Advisor
) -> None:
    bot_said = outcome.instruments[0]["id"]
    review = Review(
        corrections=[
            Correction(
                field="instrument",
                original=bot_said,
                revised="deda",
                reason="Het team wil eerst zelf de datavragen doorlopen",
                at=CREATED + timedelta(days=1),
            )
        ]
    )
    draft = draft_case(outcome, NOTES, case_id="afval-deda", review=review, advisor=advisor)
    assert draft["id"] == "afval-deda"
    assert draft["instrument"] == "deda"
    assert draft["decisions"] == [
        {
            "nl": f"Instrument herzien van {bot_said} naar deda: "
            "Het team wil eerst zelf de datavragen doorlopen",
            "en": f"Instrument revised from {bot_said} to deda: "
            "Het team wil eerst zelf de datavragen doorlopen",
        }
    ]
    assert advisor.knowledge.instruments["deda"].name.nl in draft["approach"]["nl"]
    assert validate_case(draft, advisor.knowledge) == []


def test_slug_is_lowercase_ascii_with_hyphens() -> None:
    assert slugify("Één proef: sensoren & privacy (2026)!") == "een-proef-sensoren-privacy-2026"
    long = slugify("Vulgraadsensoren " * 10)
    assert len(long) <= 60 and not long.endswith("-") and long.startswith("vulgraadsensoren-")


# --- refused ------------------------------------------------------------------------------


def test_missing_title_is_refused_with_the_knowledge_checks_message(
    draft: dict[str, Any],
    local_dir: Path,
    knowledge: Knowledge,
    knowledge_check: Callable[[Path], list[str]],
) -> None:
    draft["title"] = {"nl": "", "en": "Fill-level sensors"}
    problems = validate_case(draft, knowledge)
    assert problems == [
        "cases/vulgraadsensoren-in-afvalcontainers.yaml: line 3, title.nl: "
        "String should have at least 1 character"
    ]
    # The same words as `ethiekbot knowledge check` for that file saved by hand.
    by_hand = saved_by_hand(local_dir, draft)
    assert [without_file(p) for p in knowledge_check(local_dir)] == [
        without_file(p) for p in problems
    ]
    by_hand.unlink()
    with pytest.raises(PromotionError) as refused:
        publish_case(draft, local_dir, knowledge, provenance())
    assert str(refused.value) == problems[0]
    assert refused.value.problems == problems
    assert list(local_dir.rglob("*")) == [local_dir / "cases"]  # the hand-saved copy is gone
    assert list((local_dir / "cases").iterdir()) == []

    del draft["title"]
    assert validate_case(draft, knowledge) == [
        "cases/vulgraadsensoren-in-afvalcontainers.yaml: line 1, title: Field required"
    ]


def test_unknown_value_and_instrument_are_refused(
    draft: dict[str, Any],
    local_dir: Path,
    knowledge: Knowledge,
    knowledge_check: Callable[[Path], list[str]],
) -> None:
    draft["values_against"][0]["value"] = "privacyy"
    draft["instrument"] = "ethische-toets"
    problems = validate_case(draft, knowledge)
    assert problems == [
        "cases/vulgraadsensoren-in-afvalcontainers.yaml: values_against[0].value: "
        "unknown value 'privacyy'",
        "cases/vulgraadsensoren-in-afvalcontainers.yaml: instrument: "
        "unknown instrument 'ethische-toets'",
    ]
    # Cross-references name the file the same way in the loader: identical lines.
    by_hand = saved_by_hand(local_dir, draft)
    assert knowledge_check(local_dir) == problems
    by_hand.unlink()
    with pytest.raises(PromotionError) as refused:
        publish_case(draft, local_dir, knowledge, provenance())
    assert "unknown value 'privacyy'" in str(refused.value)
    assert "unknown instrument 'ethische-toets'" in str(refused.value)
    assert not (local_dir / "cases" / "vulgraadsensoren-in-afvalcontainers.yaml").exists()


def test_a_bad_id_and_an_unknown_key_are_refused(
    draft: dict[str, Any], knowledge: Knowledge
) -> None:
    draft["id"] = "../Vulgraad sensoren"
    draft["besluit"] = "ja"
    problems = validate_case(draft, knowledge)
    assert any(
        p.startswith("cases/(new case).yaml: line 1, id: String should match pattern")
        for p in problems
    )
    assert any("besluit: Extra inputs are not permitted" in p for p in problems)


def test_duplicate_id_is_refused_unless_replacing(
    outcome: Outcome, advisor: Advisor, local_dir: Path
) -> None:
    knowledge = advisor.knowledge
    draft = draft_case(outcome, NOTES, case_id="ammoniak-sensoren", advisor=advisor)
    assert validate_case(draft, knowledge) == [
        "cases/ammoniak-sensoren.yaml: id: duplicate case id"
    ]
    with pytest.raises(PromotionError, match="duplicate case id"):
        publish_case(draft, local_dir, knowledge, provenance())
    # Replacing a shipped case by id is what a local folder may do (the loader allows it).
    assert validate_case(draft, knowledge, replace=True) == []
    path = publish_case(draft, local_dir, knowledge, provenance(), replace=True)
    reloaded = load(local_dir=local_dir)
    assert reloaded.cases["ammoniak-sensoren"].question.nl == BINS
    assert path == local_dir / "cases" / "ammoniak-sensoren.yaml"


def test_a_case_published_meanwhile_by_another_process_is_not_overwritten(
    draft: dict[str, Any], local_dir: Path, knowledge: Knowledge
) -> None:
    # Both use knowledge loaded before either published: only the file on disk can tell.
    first = publish_case(draft, local_dir, knowledge, provenance("T-aaaaaa"))
    other = copy.deepcopy(draft)
    other["title"]["nl"] = "Een andere titel"
    with pytest.raises(PromotionError) as refused:
        publish_case(other, local_dir, knowledge, provenance("T-bbbbbb"))
    assert str(refused.value) == (
        "cases/vulgraadsensoren-in-afvalcontainers.yaml: id: duplicate case id"
    )
    kept = yaml.safe_load(first.read_text(encoding="utf-8"))
    assert kept["provenance"]["outcome_id"] == "T-aaaaaa"
    assert kept["title"]["nl"] == "Vulgraadsensoren in afvalcontainers"
    assert sorted(p.name for p in first.parent.iterdir()) == [first.name]  # no temp files


# --- published ----------------------------------------------------------------------------


def test_published_case_is_valid_knowledge_with_provenance(
    draft: dict[str, Any], local_dir: Path, knowledge: Knowledge
) -> None:
    before = knowledge_version(local_dir)
    path = publish_case(draft, local_dir, knowledge, provenance())
    assert path == local_dir / "cases" / "vulgraadsensoren-in-afvalcontainers.yaml"
    # Atomic: only the case itself is left in the folder, no temporary file beside it.
    assert [p.name for p in (local_dir / "cases").iterdir()] == [path.name]
    assert path.stat().st_mode & 0o777 == 0o644
    assert knowledge_version(local_dir) != before

    # What `ethiekbot knowledge check` runs loads it without problems.
    reloaded = load(local_dir=local_dir)
    case = reloaded.cases["vulgraadsensoren-in-afvalcontainers"]
    assert case.provenance is not None
    assert case.provenance.outcome_id == "T-4f2a9c"
    assert case.provenance.by == BY
    assert case.provenance.at == datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    assert case.lessons[0].nl == NOTES[0]
    assert case.organisation == "Gemeente Voorbeeld"
    # The shipped cases are untouched and all still there.
    assert set(knowledge.cases) < set(reloaded.cases)
    assert not (DATA_DIR / "cases" / path.name).exists()


def test_published_case_is_found_first_by_a_later_similar_question(
    draft: dict[str, Any], local_dir: Path, advisor: Advisor
) -> None:
    new_id = draft["id"]
    for question in (LATER_NL, LATER_EN):
        assert new_id not in [m.id for m in advisor.triage(question).cases]
    publish_case(draft, local_dir, advisor.knowledge, provenance())

    reloaded = fresh_advisor(local_dir)
    for question in (LATER_NL, LATER_EN):
        top = reloaded.triage(question).cases[0]
        assert top.id == new_id, question
        # and for the reason the triage gives: what the question shares with the new case
        assert "sensoren" in top.why[0].nl


def test_engine_uses_a_published_case_without_a_restart(
    draft: dict[str, Any], local_dir: Path, advisor: Advisor
) -> None:
    engine = Engine(advisor)
    watcher = KnowledgeWatcher(local_dir)
    assert watcher.poll() is None  # nothing changed yet

    def later_outcome(conversation: str) -> Outcome:
        inbound = {"channel": "test", "conversation": conversation, "user": conversation}
        turn = engine.handle(Inbound(**inbound, text=LATER_NL), None, CREATED)
        advice = next(c.id for r in turn.replies for c in r.choices if c.id.endswith(".advice"))
        turn = engine.handle(Inbound(**inbound, choice=advice), turn.state, CREATED)
        (logged,) = [e.outcome for e in turn.effects if isinstance(e, LogOutcome)]
        return logged

    assert later_outcome("before").cases[0]["id"] != draft["id"]
    # Published by another process (the command line) into the same folder.
    publish_case(draft, local_dir, load(local_dir=local_dir), provenance())
    assert watcher.changed()
    fresh = watcher.poll(engine.advisor)  # the advisor in use lends what it indexed
    assert fresh is not None and draft["id"] in fresh.knowledge.cases
    assert fresh._case_signals == fresh_advisor(local_dir)._case_signals
    engine.use_advisor(fresh)
    assert watcher.poll() is None  # seen once
    logged = later_outcome("after")
    assert logged.cases[0]["id"] == draft["id"]


def test_watcher_keeps_the_advisor_when_the_folder_is_broken(
    draft: dict[str, Any], local_dir: Path, knowledge: Knowledge
) -> None:
    watcher = KnowledgeWatcher(local_dir)
    (local_dir / "cases").mkdir()
    broken = local_dir / "cases" / "kapot.yaml"
    broken.write_text("id: kapot\ntitle: [\n", encoding="utf-8")
    assert watcher.poll() is None
    assert watcher.problems and "not valid YAML" in str(watcher.problems[0])
    assert watcher.poll() is None  # not retried until the folder changes again
    broken.unlink()
    publish_case(draft, local_dir, knowledge, provenance())
    fresh = watcher.poll()
    assert fresh is not None and watcher.problems == []


def test_knowledge_version_follows_the_local_folder(tmp_path: Path) -> None:
    assert knowledge_version(None) == "none"
    folder = tmp_path / "kennis"
    missing = knowledge_version(folder)
    folder.mkdir()
    empty = knowledge_version(folder)
    assert empty != missing
    (folder / "notities.txt").write_text("niet gelezen door de loader", encoding="utf-8")
    assert knowledge_version(folder) == empty  # only what the loader reads counts
    (folder / "contacts.yaml").write_text("contacts: []\n", encoding="utf-8")
    with_contacts = knowledge_version(folder)
    assert with_contacts != empty
    assert knowledge_version(folder) == with_contacts  # stable while nothing changes
    (folder / "contacts.yaml").unlink()
    assert knowledge_version(folder) == empty


# --- contacts -----------------------------------------------------------------------------


def test_contacts_template_holds_the_roles_to_fill_in(local_dir: Path) -> None:
    text = read_contacts(local_dir)
    assert text.startswith("# De contactpersonen van je eigen organisatie")
    parsed = ContactsFile.model_validate(yaml.safe_load(text))
    ids = [c.id for c in parsed.contacts]
    assert "ethiek-adviseur" in ids and "fg" in ids
    assert "werkgroep-ethiek" not in ids  # has an address already: nothing to fill in
    assert all(c.email is None for c in parsed.contacts)


def test_contacts_saved_and_used(local_dir: Path) -> None:
    text = read_contacts(local_dir).replace(
        "- id: ethiek-adviseur\n", "- id: ethiek-adviseur\n  email: ethiek@gemeente.example\n", 1
    )
    assert "ethiek@gemeente.example" in text
    before = knowledge_version(local_dir)
    save_contacts(local_dir, text)
    assert [p.name for p in local_dir.iterdir()] == ["contacts.yaml"]  # no temp files
    assert read_contacts(local_dir) == text
    assert knowledge_version(local_dir) != before
    k = load(local_dir=local_dir)
    assert k.contacts["ethiek-adviseur"].email == "ethiek@gemeente.example"
    assert "werkgroep-ethiek" in k.contacts  # the built-in ones stay


def test_invalid_contacts_are_refused_with_the_knowledge_checks_message(
    local_dir: Path, knowledge_check: Callable[[Path], list[str]]
) -> None:
    good = read_contacts(local_dir)
    save_contacts(local_dir, good)
    bad = good.replace("- id: fg\n", "- id: fg\n  email: fg bij gemeente\n", 1)
    with pytest.raises(PromotionError) as refused:
        save_contacts(local_dir, bad)
    (problem,) = refused.value.problems
    assert problem.startswith(f"{local_dir / 'contacts.yaml'}: line ")
    assert problem.endswith("email: Value error, not an e-mail address: 'fg bij gemeente'")
    assert (local_dir / "contacts.yaml").read_text(encoding="utf-8") == good  # kept as it was

    # Exactly what `ethiekbot knowledge check` says about that file saved by hand.
    (local_dir / "contacts.yaml").write_text(bad, encoding="utf-8")
    assert knowledge_check(local_dir) == [problem]
    (local_dir / "contacts.yaml").write_text(good, encoding="utf-8")

    for text, reason in [
        ("contacts:\n  - id: [\n", "not valid YAML"),
        ("", "the file is empty"),
        ("contacts: []\n", "contacts: List should have at least 1 item"),
        (good + good.split("contacts:\n", 1)[1], "duplicate contact id"),
    ]:
        with pytest.raises(PromotionError, match=reason):
            save_contacts(local_dir, text)
    assert [p.name for p in local_dir.iterdir()] == ["contacts.yaml"]
