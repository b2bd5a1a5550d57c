"""``ethiekbot chat --new``: a fresh conversation, so the README's piped example gives the same
answers on every run; without ``--new`` the previous conversation goes on."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.storage import Store
from tests.conftest import REPO_ROOT

BIN = Path(sys.executable).parent
MARKET = "Camera's op het marktplein die drukte meten"


def _env(db: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ETHIEKBOT_") and k not in ("PORT", "COLUMNS", "LINES")
    }
    env["ETHIEKBOT_DB"] = str(db)
    env["PYTHONIOENCODING"] = "utf-8"
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def readme_piped_example() -> str:
    """The README's scripted conversation, exactly as written there."""
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    (line,) = [x for x in text.splitlines() if re.match(r"^printf .*\| ethiekbot chat\b", x)]
    return line


def _shell(command: str, db: Path, cwd: Path) -> str:
    proc = subprocess.run(
        ["bash", "-c", command],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(db),
        cwd=cwd,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return proc.stdout


def test_the_readme_piped_example_uses_new() -> None:
    assert "ethiekbot chat --new" in readme_piped_example()


def test_the_readme_piped_example_gives_the_same_answers_every_run(tmp_path: Path) -> None:
    db = tmp_path / "data" / "chat.db"
    first = _shell(readme_piped_example(), db, tmp_path)
    second = _shell(readme_piped_example(), db, tmp_path)
    assert second == first
    assert first.startswith("Hoi! Ik ben Ethiekbot")
    assert "Eerste indruk" in first and "Willen we het? (1 van 3)" in first
    assert "Samenvatting tot nu toe" not in second


def test_without_new_chat_resumes_the_previous_conversation(tmp_path: Path) -> None:
    db = tmp_path / "chat.db"
    command = readme_piped_example().replace("chat --new", "chat")
    first = _shell(command, db, tmp_path)
    second = _shell(command, db, tmp_path)
    assert "Hoi! Ik ben Ethiekbot" in first
    assert second.startswith("Samenvatting tot nu toe")
    assert "Hoi! Ik ben Ethiekbot" not in second
    # --new after that starts over again.
    third = _shell(readme_piped_example(), db, tmp_path)
    assert third == first


def test_new_forgets_only_this_users_conversation(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "chat.db"
    monkeypatch.setenv("ETHIEKBOT_DB", str(db))
    monkeypatch.delenv("ETHIEKBOT_KNOWLEDGE_LOCAL", raising=False)
    for user in ("a", "b"):
        monkeypatch.setattr(sys, "stdin", io.StringIO(f"{MARKET}\n"))
        assert main(["chat", "--user", user]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["chat", "--new", "--user", "a"]) == 0
    out = capsys.readouterr().out
    assert out.count("Hoi! Ik ben Ethiekbot") == 3  # a, b, and a again: a welcome, no summary
    assert "Samenvatting tot nu toe" not in out
    store = Store.open(db)
    try:
        a, b = store.load_state("console:a"), store.load_state("console:b")
        assert a is not None and not a.description
        assert b is not None and b.description  # the other user's conversation stays
    finally:
        store.close()


def test_chat_help_names_new(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["chat", "--help"])
    out = capsys.readouterr().out
    assert "--new" in out and "nieuw gesprek" in out and "start a new conversation" in out


def test_quitting_closes_the_terminal_and_a_report_has_no_markdown_hashes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A user trial typed `stop` expecting to leave, and read '# ...' in the report."""
    monkeypatch.setenv("ETHIEKBOT_DB", str(tmp_path / "chat.db"))
    monkeypatch.delenv("ETHIEKBOT_KNOWLEDGE_LOCAL", raising=False)
    lines = f"{MARKET}\nalleen het advies\nrapport\nafsluiten\nnog een vraag\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    assert main(["chat", "--new"]) == 0
    out = capsys.readouterr().out
    assert "Tot ziens" in out
    assert out.rstrip().endswith("your conversation is kept.")
    assert "\n# " not in out and "\n## " not in out
