"""People's rights (issue 11, part 3): 'mijn gegevens' shows what is kept about the person
writing and nothing of anybody else; 'wis mijn gegevens' erases it after 'ja', leaves the
advisor only the id of a handed-over triage, and nothing in the database files."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.database_url import is_postgres_url
from bot.service import ConversationService
from bot.storage import Store
from dialogs.engine import Engine
from dialogs.models import Inbound
from knowledge.triage import Advisor
from tests.advice import ask_advice

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MARKER = "Koekoeksbloemproject"


def say(service: ConversationService, text: str, conversation: str = "c1", user: str = "u1") -> str:
    replies = service.handle(
        Inbound(channel="web", conversation=conversation, user=user, text=text), NOW
    )
    return "\n".join(r.text for r in replies)


@pytest.fixture
def service(tmp_path: Path, advisor: Advisor) -> Iterator[ConversationService]:
    """A service on a fresh database of its own."""
    svc = ConversationService(Engine(advisor), Store.open(tmp_path / "d.db", secret=b"k"))
    yield svc
    svc.close()


def _files(db_path: Path) -> bytes:
    return b"".join(
        f.read_bytes() for f in db_path.parent.iterdir() if f.name.startswith(db_path.name)
    )


def test_my_data_shows_only_mine_and_erasure_asks_first(database: str, advisor: Advisor) -> None:
    store = Store.open(database, secret=b"k")
    service = ConversationService(Engine(advisor), store)
    try:
        mine = ask_advice(
            service, f"Drones boven weilanden voor het {MARKER}", "c1", "u1", "web", NOW
        )
        theirs = ask_advice(service, "Camera's op het marktplein", "c2", "u2", "web", NOW)
        shown = say(service, "mijn gegevens")
        assert "Wat ik over jou bewaar" in shown and mine in shown and theirs not in shown
        assert "365 dagen" in shown and "30 dagen" in shown
        in_english = say(service, "my data", "c2", "u2")
        assert theirs in in_english and mine not in in_english

        asked = say(service, "wis mijn gegevens")
        assert "Weet je het zeker?" in asked
        assert "ik wis niets" in say(service, "nee").lower()
        assert store.get_outcome(mine) is not None

        say(service, "wis mijn gegevens")
        store.hand_over(mine, "web:c1", NOW)
        done = say(service, "ja")
        assert "Gewist" in done
        assert store.get_outcome(mine) is None and store.get_outcome(theirs) is not None
        assert store.load_state("web:c1") is None
        audit = store.audit_entries(mine)
        assert [a.action for a in audit] == ["verwijderd-op-verzoek"]
        if not is_postgres_url(database):  # SQLite: gone from the files too (secure_delete)
            assert MARKER.encode() not in _files(Path(database))
    finally:
        service.close()


def test_every_stored_field_of_a_conversation_is_explained_in_the_download() -> None:
    """The download is for people, not programmers (AVG art. 12(1)): each field of the stored
    conversation has a plain explanation, also a field added later."""
    from bot.own_data import CONVERSATION_FIELDS
    from dialogs.models import ConversationState

    assert set(CONVERSATION_FIELDS) == set(ConversationState.model_fields)


def test_my_data_shows_the_advisors_answer_itself(database: str, advisor: Advisor) -> None:
    """The hand-over promises the advisor's messages under 'mijn gegevens': the text, not a
    count (a helper who tried the product found only "(in-behandeling, 1 berichten)")."""
    from bot.review import ReviewDesk

    store = Store.open(database, secret=b"k")
    service = ConversationService(Engine(advisor), store)
    try:
        mine = ask_advice(service, "Drones boven weilanden", "c1", "u1", "web", NOW)
        store.hand_over(mine, "web:c1", NOW)
        ReviewDesk(store, lambda: advisor.knowledge).reply(
            mine, "Goede vraag; bespreek het eerst met de FG.", "adviseur@prov.nl"
        )
        shown = say(service, "mijn gegevens")
        assert "Ethiekadviseur: Goede vraag; bespreek het eerst met de FG." in shown
        assert "1 berichten" not in shown and "in-behandeling" not in shown
    finally:
        service.close()


def test_the_download_holds_the_advisors_corrections(database: str, advisor: Advisor) -> None:
    """The advisor's judgement of a triage is part of what is kept about it (AVG art. 15),
    as the employee's report shows it."""
    from bot.review import ReviewDesk

    store = Store.open(database, secret=b"k")
    service = ConversationService(Engine(advisor), store)
    try:
        mine = ask_advice(service, "Drones boven weilanden", "c1", "u1", "web", NOW)
        ReviewDesk(store, lambda: advisor.knowledge).correct(
            mine, "risk", "hoog", "Er worden mensen gefilmd.", "adviseur@prov.nl"
        )
        (outcome,) = service.own_data.export("web:c1", "web", "u1")["outcomes"]
        (correction,) = outcome["corrections"]
        assert (
            correction["revised"] == "hoog" and correction["reason"] == "Er worden mensen gefilmd."
        )
    finally:
        service.close()


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Wat bewaar je eigenlijk over mij?", "Wat ik over jou bewaar"),
        ("What do you keep about me?", "What I keep about you"),
        ("Ik wil dat je alles over mij verwijdert", "Weet je het zeker?"),
        ("Please delete everything about me.", "Are you sure?"),
    ],
)
def test_the_rights_asked_for_in_ones_own_words(
    service: ConversationService, text: str, shown: str
) -> None:
    """A user trial asked in its own words and got the project intake instead."""
    assert shown in say(service, text)


@pytest.mark.parametrize(
    "text",
    [
        "Welke gegevens bewaart de gemeente over inwoners die een melding doen?",
        "Mogen we alle gegevens van cliënten na vijf jaar wissen?",
    ],
)
def test_a_question_about_others_data_is_a_project(service: ConversationService, text: str) -> None:
    said = say(service, text)
    assert "Wat ik over jou bewaar" not in said and "Weet je het zeker?" not in said


@pytest.mark.parametrize(
    "text",
    [
        # (From a cold review: questions about a project, not requests about one's own data.)
        "What data do you have to collect for a DPIA on cameras?",
        "Which data do you keep when residents apply for a permit?",
        "Wisselen jullie mijn gegevens uit met de Belastingdienst?",
        "Inwoners vragen: verwijder mijn gegevens. Hoe gaan we daarmee om?",
        "How do we handle residents who say: delete my data?",
    ],
)
def test_no_own_data_screen_for_a_project_question(service: ConversationService, text: str) -> None:
    said = say(service, text)
    for screen in ("Wat ik over jou bewaar", "What I keep about you", "Weet je het zeker?"):
        assert screen not in said
    assert "Are you sure?" not in said


def test_a_new_question_after_the_erase_prompt_is_answered_and_nothing_is_erased(
    service: ConversationService,
) -> None:
    assert "Weet je het zeker?" in say(service, "wis mijn gegevens")
    said = say(service, "Mogen we drones inzetten boven weilanden om te controleren?")
    assert "Eerste indruk" in said and "Gewist" not in said


def test_the_english_commands_are_answered_in_english(service: ConversationService) -> None:
    assert "What I keep about you" in say(service, "my data")
    assert "Are you sure?" in say(service, "Delete my data")


def test_the_erasure_is_confirmed_in_the_language_it_was_asked_in(
    service: ConversationService,
) -> None:
    """'wis mijn gegevens' typed in an English conversation: asked and confirmed in Dutch
    (a new user got the question in Dutch and the answer in English), with one outcome
    counted as one."""
    ask_advice(service, "We want drones over meadows to check subsidies", "c1", "u1", "web", NOW)
    say(service, "english")
    assert "Weet je het zeker?" in say(service, "wis mijn gegevens")
    done = say(service, "ja")
    assert "Gewist: dit gesprek en 1 uitkomst," in done
    ask_advice(service, "Drones boven weilanden", "c1", "u1", "web", NOW)
    assert "Are you sure?" in say(service, "delete my data")
    assert "Erased: this conversation and 1 outcome," in say(service, "yes")
