"""``open_existing_store``: read-only commands say which database they read, and never create
one where there is none."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import UserError, open_existing_store
from bot.config import Settings
from bot.storage import Store


@pytest.fixture
def in_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A fresh current folder and no ETHIEKBOT_DB, as on a colleague's machine."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ETHIEKBOT_DB", raising=False)
    return tmp_path


def test_no_database_at_the_default_place_says_so_and_creates_nothing(in_folder: Path) -> None:
    with pytest.raises(UserError) as info:
        open_existing_store(Settings.from_env())
    message = str(info.value)
    where = str(in_folder / "data" / "ethiekbot.db")
    assert f"geen database op {where}" in message
    assert "ETHIEKBOT_DB is niet gezet" in message and "Zet ETHIEKBOT_DB=" in message
    assert f"no database at {where}" in message
    assert "ETHIEKBOT_DB is not set" in message and "Set ETHIEKBOT_DB=" in message
    assert message.index("geen database") < message.index("no database")  # Dutch first
    assert list(in_folder.iterdir()) == []  # no data/ folder, no file


def test_no_database_where_ethiekbot_db_points(
    in_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = in_folder / "elders" / "bot.db"
    monkeypatch.setenv("ETHIEKBOT_DB", str(target))
    with pytest.raises(UserError) as info:
        open_existing_store(Settings.from_env())
    message = str(info.value)
    assert f"geen database op {target} (ETHIEKBOT_DB): controleer het pad" in message
    assert f"no database at {target} (ETHIEKBOT_DB): check the path" in message
    assert not target.parent.exists()


def test_an_existing_database_is_opened_and_named_on_stderr(
    in_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (in_folder / "data").mkdir()
    Store.open(in_folder / "data" / "ethiekbot.db").close()
    store = open_existing_store(Settings.from_env())
    try:
        assert store.load_state("console:x") is None
    finally:
        store.close()
    out, err = capsys.readouterr()
    assert out == ""  # stdout stays for the report itself
    where = in_folder / "data" / "ethiekbot.db"
    assert err == (
        f"ethiekbot: database {where} "
        "(standaard, ETHIEKBOT_DB niet gezet / default, ETHIEKBOT_DB unset)\n"
    )


def test_the_database_named_by_ethiekbot_db(
    in_folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = in_folder / "elders.db"
    Store.open(db).close()
    monkeypatch.setenv("ETHIEKBOT_DB", "elders.db")  # relative: named in full on stderr
    open_existing_store(Settings.from_env()).close()
    assert capsys.readouterr().err == f"ethiekbot: database {db} (ETHIEKBOT_DB)\n"


@pytest.mark.parametrize("kind", ["not a database", "a folder"])
def test_a_file_that_is_not_a_database_is_a_clear_error(
    in_folder: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    path = in_folder / "kapot.db"
    if kind == "a folder":
        path.mkdir()
    else:
        path.write_bytes(b"dit is geen SQLite-bestand " * 100)
    monkeypatch.setenv("ETHIEKBOT_DB", str(path))
    with pytest.raises(UserError) as info:
        open_existing_store(Settings.from_env())
    assert str(path) in str(info.value)
    if kind != "a folder":
        assert "kan de database" in str(info.value) and "cannot open the database" in str(
            info.value
        )
