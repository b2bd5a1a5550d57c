"""The ``ethiekbot`` command line: output, input handling, exit codes, and no tracebacks."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import bot.cli
from bot.cli import build_parser, main
from bot.config import Settings
from knowledge.loader import Knowledge
from knowledge.triage import Advisor
from tests.conftest import REPO_ROOT, SHARED_EVAL, TRIAGE_KEYS

DRONES = "Mogen we drones inzetten om te zien of boeren hun weilanden bloemrijk houden?"
CAMERA = "Camera's met gezichtsherkenning op het marktplein, mag dat?"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, advisor: Advisor) -> None:
    """No local knowledge from the developer's shell; reuse the session's advisor when the
    command would load exactly the shipped knowledge (loading is the slow part)."""
    monkeypatch.delenv("ETHIEKBOT_KNOWLEDGE_LOCAL", raising=False)
    real = bot.cli._advisor

    def cached(settings: Settings) -> Advisor:
        return advisor if settings.knowledge_local is None else real(settings)

    monkeypatch.setattr(bot.cli, "_advisor", cached)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit code, stdout, stderr). Any exception other than
    SystemExit propagates and fails the test (a user would have seen a traceback)."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


# --- triage ---------------------------------------------------------------------------------


def test_triage_prints_readable_text(
    capsys: pytest.CaptureFixture[str], knowledge: Knowledge
) -> None:
    code, out, err = run(capsys, "triage", DRONES)
    assert code == 0
    assert "Vergelijkbare casussen:" in out
    assert knowledge.cases["drones-subsidiecontrole"].title.nl in out
    assert knowledge.instruments["begeleidingsethiek"].name.nl in out
    assert "Mag het? Snelle scan:" in out
    assert re.search(r"^Risico: (LAAG|MIDDEN|HOOG)$", out, re.M)
    assert err == ""


def test_triage_words_are_joined(capsys: pytest.CaptureFixture[str]) -> None:
    """Unquoted words on the command line form one question."""
    _, joined, _ = run(capsys, "triage", "--json", *DRONES.split())
    _, quoted, _ = run(capsys, "triage", "--json", DRONES)
    assert json.loads(joined) == json.loads(quoted)


def test_triage_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "triage", "--json", DRONES)
    assert code == 0
    d = json.loads(out)
    assert set(d) == TRIAGE_KEYS
    assert d["cases"][0]["id"] == "drones-subsidiecontrole"
    assert set(d["cases"][0]) == {"id", "title", "score", "strength", "why"}
    assert set(d["instruments"][0]) == {"id", "name", "why"}
    assert set(d["values"][0]) == {"id", "name", "question", "why"}
    assert d["language"] == "nl"


def test_triage_reads_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin(monkeypatch, CAMERA + "\n")
    code, out, _ = run(capsys, "triage", "--json")
    assert code == 0
    d = json.loads(out)
    assert {"camera", "gezichtsherkenning"} <= set(d["signals"])
    assert d["cases"][0]["id"] == "cameratoezicht-wifitelling"


def test_triage_lang_en_text(capsys: pytest.CaptureFixture[str], knowledge: Knowledge) -> None:
    code, out, _ = run(capsys, "triage", "--lang", "en", DRONES)
    assert code == 0
    assert "Similar cases:" in out
    assert "Values at stake:" in out
    assert "Vergelijkbare casussen" not in out
    assert knowledge.cases["drones-subsidiecontrole"].title.en in out


def test_triage_lang_en_json(capsys: pytest.CaptureFixture[str], knowledge: Knowledge) -> None:
    code, out, _ = run(capsys, "triage", "--json", "--lang", "en", DRONES)
    assert code == 0
    d = json.loads(out)
    assert d["cases"][0]["title"] == knowledge.cases["drones-subsidiecontrole"].title.en
    assert d["language"] == "nl"  # detected from the question; --lang is the output language


def test_english_question_is_answered_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "triage", "Should we use drones to check farmers' meadows?")
    assert code == 0
    assert "Similar cases:" in out


@pytest.mark.parametrize("text", ["", "   ", "\n\t \n", "\x00\u200b"])
def test_empty_question_is_a_usage_error(capsys: pytest.CaptureFixture[str], text: str) -> None:
    code, out, err = run(capsys, "triage", text)
    assert code == 2
    assert out == ""
    assert "no question given" in err and "geen vraag gegeven" in err
    assert "Traceback" not in err


def test_empty_stdin_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin(monkeypatch, "  \n")
    code, _, err = run(capsys, "triage")
    assert code == 2
    assert "no question given" in err


def test_control_characters_are_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "triage", "--json", "Mogen we \x1b[31mdrones\x1b[0m\x00 boven weilanden\u200b?"
    )
    assert code == 0, err
    d = json.loads(out)
    assert d["cases"][0]["id"] == "drones-subsidiecontrole"
    assert "\x00" not in out and "\x1b" not in out


def test_very_long_input_is_triaged_with_a_notice(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (DRONES + " ") * (50_000 // len(DRONES) + 1)
    assert len(text) >= 50_000
    stdin(monkeypatch, text)
    code, out, err = run(capsys, "triage", "--json")
    assert code == 0
    d = json.loads(out)
    assert d["cases"][0]["id"] == "drones-subsidiecontrole"
    assert len(d["notices"]) == 1
    assert "20000" in err and ("cut" in err or "ingekort" in err)


def test_very_long_input_notice_in_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "triage", "--lang", "en", "drones " * 8_000)
    assert code == 0
    assert out.startswith("! Your text was longer than")


# --- batch ----------------------------------------------------------------------------------


def _batch_lines(out: str) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    for line in lines:
        assert set(line) == TRIAGE_KEYS | {"row", "id"}
    return lines


def test_batch_csv(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "algoritmes.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text"])
        w.writerow(["q1", DRONES])
        w.writerow(["q2", "   "])
        w.writerow(["q3", 'Camera\'s, "slim", op het marktplein met gezichtsherkenning'])
    code, out, err = run(capsys, "triage", "--batch", str(path))
    assert code == 0
    lines = _batch_lines(out)
    assert [(x["row"], x["id"]) for x in lines] == [(2, "q1"), (4, "q3")]
    assert lines[0]["cases"][0]["id"] == "drones-subsidiecontrole"  # type: ignore[index]
    assert "gezichtsherkenning" in lines[1]["signals"]  # type: ignore[operator]
    assert "row 3" in err and "empty text" in err and "skipped" in err
    assert "2 triaged, 1 skipped" in err


def test_batch_csv_with_semicolons_and_text_column_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(f"TEXT;opmerking\n{DRONES};eerste\n{CAMERA};tweede\n", encoding="utf-8")
    code, out, _ = run(capsys, "triage", "--batch", str(path))
    assert code == 0
    lines = _batch_lines(out)
    assert [(x["row"], x["id"]) for x in lines] == [(2, None), (3, None)]
    assert lines[1]["cases"][0]["id"] == "cameratoezicht-wifitelling"  # type: ignore[index]


def test_batch_jsonl(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "vragen.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"id": 7, "text": DRONES}),
                "{not json",
                json.dumps({"text": CAMERA}),
                json.dumps({"id": "x", "tekst": "geen text-veld"}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "triage", "--batch", str(path))
    assert code == 0
    lines = _batch_lines(out)
    assert [(x["row"], x["id"]) for x in lines] == [(1, "7"), (3, None)]
    assert "row 2" in err and "not valid JSON" in err
    assert "row 4" in err and "no 'text' field" in err
    assert "2 triaged, 2 skipped" in err


def test_batch_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "bestaat-niet.csv"
    code, out, err = run(capsys, "triage", "--batch", str(missing))
    assert code == 2
    assert out == ""
    assert str(missing) in err and "cannot read" in err
    assert "Traceback" not in err


def test_batch_csv_without_text_column(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "verkeerd.csv"
    path.write_text("vraag,id\nMogen we drones inzetten?,1\n", encoding="utf-8")
    code, out, err = run(capsys, "triage", "--batch", str(path))
    assert code == 2
    assert out == ""
    assert "'text'" in err and "vraag" in err


def test_batch_with_only_bad_rows_fails(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "leeg.jsonl"
    path.write_text('{"text": ""}\n[1, 2]\n', encoding="utf-8")
    code, out, err = run(capsys, "triage", "--batch", str(path))
    assert code == 2
    assert out == ""
    assert "0 triaged, 2 skipped" in err


# --- eval -----------------------------------------------------------------------------------


def test_eval_prints_the_metrics_and_the_baseline(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "eval", str(SHARED_EVAL))
    assert code == 0
    for metric in ("case@1", "case@3", "instrument@1", "values@5"):
        assert re.search(rf"^{re.escape(metric)}\s+\d\.\d\d\s+\d\.\d\d\s+\d+$", out, re.M), metric
    assert "baseline" in out


def test_eval_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "eval", "--json", str(SHARED_EVAL))
    assert code == 0
    d = json.loads(out)
    metrics = {"case@1", "case@3", "instrument@1", "values@5"}
    assert metrics <= set(d["triage"]) == set(d["baseline"])
    assert d["entries"] > 0
    assert all(0.0 <= d["triage"][m] <= 1.0 for m in metrics)
    # The honesty metrics need entries with a kind; the dev set has none.
    assert d["triage"]["novel-no-close"] is None


def test_eval_default_file_from_the_repository_root(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO_ROOT)
    code, out, _ = run(capsys, "eval")
    assert code == 0
    assert "dev-cases.yaml" in out


def test_eval_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "eval", str(tmp_path / "geen.yaml"))
    assert code == 2
    assert out == ""
    assert "geen.yaml" in err and "cannot be read" in err


def test_eval_bad_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "kapot.yaml"
    path.write_text("- cases: [x]\n")
    code, _, err = run(capsys, "eval", str(path))
    assert code == 2
    assert "no 'text'" in err


# --- knowledge check ------------------------------------------------------------------------


def test_knowledge_check_json(capsys: pytest.CaptureFixture[str], knowledge: Knowledge) -> None:
    code, out, _ = run(capsys, "knowledge", "check", "--json")
    assert code == 0
    d = json.loads(out)
    assert set(d) == {"values", "instruments", "cases", "contacts"}
    assert len(d["values"]) == 12 and set(d["values"]) == set(knowledge.values)
    assert len(d["instruments"]) == 7 and set(d["instruments"]) == set(knowledge.instruments)
    assert len(d["cases"]) == 15 and set(d["cases"]) == set(knowledge.cases)
    assert isinstance(d["contacts"], int) and d["contacts"] == len(knowledge.contacts)


def test_knowledge_check_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "knowledge", "check")
    assert code == 0
    assert out.startswith("ok: 12 values, 7 instruments, 15 cases")


def _local(tmp_path: Path, email: str) -> Path:
    folder = tmp_path / "lokaal"
    folder.mkdir()
    (folder / "contacts.yaml").write_text(
        "contacts:\n"
        "  - id: fg\n"
        '    name: {nl: "FG Provincie Voorbeeld", en: "DPO Example Province"}\n'
        '    about: {nl: "Onze FG.", en: "Our DPO."}\n'
        '    ask_when: {nl: "Bij persoonsgegevens.", en: "With personal data."}\n'
        f'    email: "{email}"\n',
        encoding="utf-8",
    )
    return folder


def test_knowledge_check_with_broken_local_knowledge(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    local = _local(tmp_path, "fg bij de provincie")
    monkeypatch.setenv("ETHIEKBOT_KNOWLEDGE_LOCAL", str(local))
    code, out, err = run(capsys, "knowledge", "check")
    assert code == 1
    assert out == ""
    assert str(local / "contacts.yaml") in err
    assert "contacts[0].email" in err and "not an e-mail address" in err
    assert "1 problem(s)" in err
    assert "Traceback" not in err


def test_knowledge_check_with_missing_local_folder(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ETHIEKBOT_KNOWLEDGE_LOCAL", str(tmp_path / "weg"))
    code, _, err = run(capsys, "knowledge", "check")
    assert code == 1
    assert str(tmp_path / "weg") in err and "does not exist" in err


def test_triage_with_broken_local_knowledge(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ETHIEKBOT_KNOWLEDGE_LOCAL", str(_local(tmp_path, "geen adres")))
    code, out, err = run(capsys, "triage", DRONES)
    assert code == 1
    assert out == ""
    assert "not an e-mail address" in err and "knowledge check" in err


def test_triage_with_local_contact(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ETHIEKBOT_KNOWLEDGE_LOCAL", str(_local(tmp_path, "fg@voorbeeld.nl")))
    code, out, _ = run(capsys, "triage", "--json", CAMERA)
    assert code == 0
    ask = {a["id"]: a["name"] for a in json.loads(out)["mag_het"]["ask"]}
    assert ask["fg"] == "FG Provincie Voorbeeld"


# --- usage ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [[], ["vraag"], ["triage", "--lang", "fr", "x"], ["knowledge"], ["eval", "a", "b"]],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert "usage:" in err and "ethiekbot:" in err
    assert out == ""


def _commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> Iterator[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield " ".join((*prefix, name))
                yield from _commands(sub, (*prefix, name))


def test_every_subcommand_is_documented_in_the_readme() -> None:
    # Regression: README.md once documented triage, eval and knowledge check, but not the
    # `chat`, `report` and `serve` commands that bot/cli.py gained in 9c5f9f3.
    commands = list(_commands(build_parser()))
    assert {"triage", "eval", "knowledge", "knowledge check"} <= set(commands)
    readme = REPO_ROOT / "README.md"
    assert readme.is_file(), "README.md is missing"
    text = readme.read_text(encoding="utf-8")
    for command in commands:
        pattern = r"(ethiekbot|-m bot)\s+" + r"\s+".join(map(re.escape, command.split())) + r"\b"
        assert re.search(pattern, text), f"`ethiekbot {command}` is not in README.md"


# --- the real entry points ------------------------------------------------------------------


def _clean_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "ETHIEKBOT_KNOWLEDGE_LOCAL"}


def test_python_dash_m_bot(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "triage", "--json", DRONES],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # works from anywhere, not just the repository
        env=_clean_env(),
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert set(json.loads(proc.stdout)) == TRIAGE_KEYS


def test_console_script_and_clean_failure(tmp_path: Path) -> None:
    script = shutil.which("ethiekbot", path=str(Path(sys.executable).parent))
    assert script is not None, "the ethiekbot console script is not installed in this venv"
    ok = subprocess.run(
        [script, "knowledge", "check"],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=60,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("ok:")
    bad = subprocess.run(
        [script, "triage"],
        input="   \n",
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2
    assert "no question given" in bad.stderr
    assert "Traceback" not in bad.stderr
