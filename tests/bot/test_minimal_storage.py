"""Minimal storage (issue 11, part 2): erased text gone from the files, no credential or
pseudonym key stored, references that keep only what sending needs, unguessable outcome ids."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.teams import minimal_reference
from bot.cli import main
from bot.config import Settings
from bot.service import ConversationService
from bot.storage import Store
from bot.storage.migrations import _m14_minimal_keys
from dialogs.engine import Engine
from dialogs.models import ConversationState
from knowledge.triage import Advisor
from tests.advice import ask_advice

MARKER = "Zwaluwstaartvlinderproject"  # a word that occurs nowhere else
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _files(db_path: Path) -> bytes:
    """Every byte SQLite keeps for this database: the file, its WAL and shared memory."""
    out = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        f = db_path.with_name(db_path.name + suffix)
        if f.exists():
            out += f.read_bytes()
    return out


def test_secure_delete_is_on(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "e.db", secret=b"k")
    try:
        assert store.db.execute("PRAGMA secure_delete").fetchone()[0] == 1
    finally:
        store.close()


def test_an_erasure_leaves_nothing_in_the_database_files(tmp_path: Path, advisor: Advisor) -> None:
    db_path = tmp_path / "e.db"
    store = Store.open(db_path, secret=b"k")
    service = ConversationService(Engine(advisor), store)
    try:
        text = f"Mogen we drones inzetten boven weilanden voor het {MARKER}?"
        ask_advice(service, text, "c1", "u1", "web", NOW)
        assert MARKER.encode() in _files(db_path)  # it was there: the scan can see it
        assert store.erase_outcomes_of("web", "u1") == 1
        store.delete_state("web:c1")
        assert store.load_state("web:c1") is None
        # No reader holds the WAL open, so the checkpoint emptied it, and secure_delete
        # zeroed the freed pages in the database file.
        assert MARKER.encode() not in _files(db_path)
        assert MARKER.lower().encode() not in _files(db_path).lower()
    finally:
        service.close()


def test_the_retention_purge_also_scrubs_the_files(tmp_path: Path, advisor: Advisor) -> None:
    db_path = tmp_path / "e.db"
    store = Store.open(db_path, secret=b"k")
    service = ConversationService(Engine(advisor), store)
    try:
        ask_advice(service, f"Drones boven weilanden voor het {MARKER}", "c1", "u1", "web", NOW)
        counts = store.purge(state_days=30, outcome_days=365, now=NOW + timedelta(days=400))
        assert counts["outcomes"] == 1 and counts["conversations"] == 1
        assert MARKER.lower().encode() not in _files(db_path).lower()
    finally:
        service.close()


def test_conversation_references_have_a_retention(database: str) -> None:
    store = Store.open(database, secret=b"k")
    try:
        store.save_reference("teams:old", "teams", {"serviceUrl": "x"}, NOW - timedelta(days=40))
        store.save_reference("teams:new", "teams", {"serviceUrl": "x"}, NOW - timedelta(days=2))
        counts = store.purge(state_days=30, outcome_days=365, now=NOW)
        assert counts["references"] == 1
        assert store.load_reference("teams:old") is None
        assert store.load_reference("teams:new") is not None
    finally:
        store.close()


def test_a_configured_secret_never_lives_in_the_database(database: str) -> None:
    def kept(secret: bytes | None) -> int:
        store = Store.open(database, secret=secret)
        try:
            row = store.db.execute("select count(*) from meta where key = 'secret'").fetchone()
            return int(row[0])
        finally:
            store.close()

    assert kept(None) == 1  # a first run without a secret keeps one, for stable pseudonyms
    assert kept(b"from-the-environment") == 0  # a configured one: the kept one is dropped


@pytest.mark.parametrize(
    "env",
    [
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"},
        {"MICROSOFT_APP_ID": "00000000-0000-0000-0000-000000000001"},
    ],
)
def test_serve_refuses_slack_or_teams_without_a_secret(
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.delenv("ETHIEKBOT_SECRET", raising=False)
    monkeypatch.setenv("ETHIEKBOT_DB", str(tmp_path / "e.db"))
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert Settings.from_env().secret is None
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--port", "0"])
    code = exit_.value.code
    err = capsys.readouterr().err
    assert code != 0
    assert "ETHIEKBOT_SECRET" in err and "secrets.token_hex" in err
    assert not (tmp_path / "e.db").exists()  # refused before anything was opened


def test_teams_references_keep_only_what_sending_needs() -> None:
    full = {
        "activityId": "1234",
        "user": {"id": "29:abc", "name": "Jan de Vries", "aadObjectId": "0000-aad"},
        "bot": {"id": "28:bot", "name": "Ethiekbot"},
        "conversation": {
            "id": "a:conv",
            "name": "Team Handhaving",
            "tenantId": "tenant-1",
            "conversationType": "personal",
        },
        "channelId": "msteams",
        "locale": "nl-NL",
        "serviceUrl": "https://smba.trafficmanager.net/emea/",
    }
    kept = minimal_reference(full)
    assert kept == {
        "channelId": "msteams",
        "serviceUrl": "https://smba.trafficmanager.net/emea/",
        "conversation": {"id": "a:conv", "tenantId": "tenant-1", "conversationType": "personal"},
        "bot": {"id": "28:bot"},
    }
    text = repr(kept)
    assert "Jan de Vries" not in text and "aad" not in text and "Team Handhaving" not in text


def test_migration_hashes_stored_web_tokens_and_trims_teams_references(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "e.db", secret=b"k")
    try:
        token = "Abc_DEF-ghijklmnopQRSTUVwxyz0123"
        store.save_state(f"web:{token}", ConversationState(), NOW)
        store.save_reference(
            "teams:c", "teams", {"user": {"name": "Jan"}, "conversation": {"id": "c"}}, NOW
        )
        _m14_minimal_keys(store.db)
        dump = "\n".join(store.db.conn.iterdump())
        assert token not in dump and "Jan" not in dump
        (key,) = [r[0] for r in store.db.execute("select key from conversations")]
        assert re.fullmatch(r"web:[0-9a-f]{32}", key)
        assert store.load_reference("teams:c") == {"conversation": {"id": "c"}}
    finally:
        store.close()


def test_outcome_ids_are_96_random_bits(database: str, advisor: Advisor) -> None:
    ids = []
    for _ in range(2):
        # The same question at the same moment in the same conversation name: only the
        # randomness can tell the ids apart.
        store = Store.open(database, secret=b"k")
        service = ConversationService(Engine(advisor), store)
        try:
            ids.append(ask_advice(service, "Drones boven weilanden", "c1", "u1", "web", NOW))
            store.delete_state("web:c1")
        finally:
            service.close()
    assert all(re.fullmatch(r"T-[0-9a-f]{24}", i) for i in ids)
    assert ids[0] != ids[1]
