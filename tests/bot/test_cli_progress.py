"""``ethiekbot triage --batch``: a progress bar on stderr only when stderr is a terminal; a pipe
or a log file gets no carriage returns, just the messages and the count."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest

import bot.cli
from bot.cli import main
from knowledge.triage import Advisor
from tests.adapters.test_terminal_wrap import ETHIEKBOT, clean_env, in_terminal

DRONES = "Mogen we drones inzetten om te zien of boeren hun weilanden bloemrijk houden?"


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    path = tmp_path / "vragen.jsonl"
    rows = [{"text": DRONES}, {"text": "   "}, {"text": "Camera's op het marktplein"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_progress_in_process_is_not_drawn_into_a_captured_stream(
    batch: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    advisor: Advisor,
) -> None:
    monkeypatch.delenv("ETHIEKBOT_KNOWLEDGE_LOCAL", raising=False)
    monkeypatch.setattr(bot.cli, "_advisor", lambda settings: advisor)
    assert main(["triage", "--batch", str(batch)]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 2
    assert "\r" not in err and "[#" not in err
    assert err == (
        "ethiekbot: vragen.jsonl row 2: empty text, skipped\nethiekbot: 2 triaged, 1 skipped\n"
    )


def test_progress_to_a_pipe_has_no_carriage_returns(batch: Path, tmp_path: Path) -> None:
    proc = subprocess.run(
        [str(ETHIEKBOT), "triage", "--batch", str(batch)],
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=tmp_path,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "\r" not in proc.stderr and "\r" not in proc.stdout
    assert proc.stderr.splitlines() == [
        "ethiekbot: vragen.jsonl row 2: empty text, skipped",
        "ethiekbot: 2 triaged, 1 skipped",
    ]


def test_progress_in_a_terminal_is_a_bar(batch: Path, tmp_path: Path) -> None:
    out = tmp_path / "uitkomsten.jsonl"
    code, shown = in_terminal(
        [str(ETHIEKBOT), "triage", "--batch", str(batch)], 80, clean_env(), tmp_path, stdout=out
    )
    assert code == 0, shown
    assert f"\r[{'#' * 30}] 3/3\n" in shown  # redrawn in place, and ended
    # A skipped row starts a line of its own, below the bar.
    assert "\nethiekbot: vragen.jsonl row 2: empty text, skipped\n" in shown
    assert shown.endswith("ethiekbot: 2 triaged, 1 skipped\n")
    assert [json.loads(line)["row"] for line in out.read_text().splitlines()] == [1, 3]


def test_progress_bar_unit() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    bar = bot.cli._Progress(2, tty)
    bar.update(1)
    bar.message("ethiekbot: a note")
    bar.update(2)
    assert tty.getvalue() == (
        f"\r[{'#' * 15}{'.' * 15}] 1/2\nethiekbot: a note\n\r[{'#' * 30}] 2/2\n"
    )
    plain = io.StringIO()
    bar = bot.cli._Progress(2, plain)
    bar.update(1)
    bar.message("ethiekbot: a note")
    bar.update(2)
    assert plain.getvalue() == "ethiekbot: a note\n"
