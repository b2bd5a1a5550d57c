"""The terminal channel: run_chat on plain streams, and `python -m bot chat|report` for real."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.console import render, run_chat
from bot.service import ConversationService
from bot.storage import Store
from dialogs.engine import Engine
from dialogs.models import Choice, Inbound, Reply
from dialogs.render import render_report
from knowledge.triage import Advisor

DRONES = "Mogen we drones inzetten boven weilanden?"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def service(advisor: Advisor, tmp_path: Path) -> Iterator[ConversationService]:
    svc = ConversationService(Engine(advisor), Store.open(tmp_path / "console.db"))
    yield svc
    svc.close()


def test_render_numbers_choices_and_strips_markup() -> None:
    reply = Reply(
        text="**Vet** en _schuin_ \\*\\*letterlijk\\*\\*",
        choices=[Choice(id="a.1.ja", label="Ja"), Choice(id="a.1.nee", label="Nee")],
    )
    assert render(reply) == "Vet en schuin **letterlijk**\n  [1] Ja\n  [2] Nee"
    assert "\x1b[1mVet\x1b[0m" in render(reply, ansi=True)


def test_run_chat_on_plain_streams_reaches_the_quick_take_and_walk(
    service: ConversationService,
) -> None:
    stdin = io.StringIO(f"{DRONES}\n1\n")
    stdout = io.StringIO()
    assert run_chat(service, "tester", None, stdin, stdout) == 0
    out = stdout.getvalue()
    assert "\x1b[" not in out  # not a terminal: no ANSI styles
    assert "Hoi! Ik ben Ethiekbot" in out  # the welcome, before any input
    assert "Eerste indruk" in out
    assert "Drones en AI om subsidie" in out
    assert "Passend instrument: Aanpak Begeleidingsethiek" in out
    assert (
        "  [1] Drietrap doorlopen\n  [2] Korte route\n  [3] Alleen het advies\n  [4] Stoppen" in out
    )
    # "1" was taken as the first choice: the walk started.
    assert "Willen we het? (1 van 3)" in out
    assert "  [1] Weet ik niet\n  [2] Overslaan" in out
    positions = [out.index(s) for s in ("Hoi!", "Eerste indruk", "Willen we het? (1 van 3)")]
    assert positions == sorted(positions)
    state = service.store.load_state("console:tester")
    assert state is not None and state.step == "walk" and state.current == "q:doel"


def test_asking_for_a_person_hands_the_question_to_the_advisor(
    service: ConversationService,
) -> None:
    """Through the real service and store: the promise of a person behind the bot holds."""
    stdin = io.StringIO(f"kan ik een mens spreken?\n{DRONES}\n")
    stdout = io.StringIO()
    assert run_chat(service, "tester", None, stdin, stdout) == 0
    out = stdout.getvalue()
    assert "achter deze bot zit de ethiekadviseur, een mens" in out
    assert "Ik geef je vraag door aan de ethiekadviseur" in out
    state = service.store.load_state("console:tester")
    assert state is not None and state.handed_over and state.outcome_id
    record = service.store.get_outcome(state.outcome_id)
    assert record is not None and record.handed_over and record.contact


def test_checkpoints_are_planned_with_typed_numbers_also_after_a_restart(
    service: ConversationService,
) -> None:
    """The terminal numbers the checkpoint flow's buttons like the engine's: "1" picks
    "Deze data", then "Opslaan". A restart in between asks the flow's question again rather
    than showing the outcome's buttons (where "1" would hand the project over)."""
    run_chat(service, "tester", None, io.StringIO(f"{DRONES}\n3\n3\n"), io.StringIO())
    stdout = io.StringIO()
    run_chat(service, "tester", None, io.StringIO("1\n1\n"), stdout)
    out = stdout.getvalue()
    assert "Mijn voorstel" in out  # the proposal again, on resuming
    assert "Die datum kan ik niet lezen" not in out
    assert "Opgeslagen. Ik herinner jullie" in out
    assert len(service.store.checkpoints()) == 4
    state = service.store.load_state("console:tester")
    assert state is not None and not state.handed_over


def test_after_planning_checkpoints_the_choices_are_shown_again(
    service: ConversationService,
) -> None:
    """Found by a user trial: after "Opgeslagen" no choices were shown, yet a typed "1"
    handed the project over (the outcome's first button, from further up). Now the outcome's
    choices follow, so a number presses what the user sees."""
    stdout = io.StringIO()
    run_chat(service, "tester", None, io.StringIO(f"{DRONES}\n3\n3\n1\n1\n"), stdout)
    after = stdout.getvalue().split("Opgeslagen. Ik herinner jullie", 1)[1]
    assert "  [1] " in after, after
    state = service.store.load_state("console:tester")
    assert state is not None and not state.handed_over


def test_run_chat_resumes_with_a_summary(service: ConversationService) -> None:
    run_chat(service, "tester", None, io.StringIO(f"{DRONES}\n"), io.StringIO())
    stdout = io.StringIO()
    run_chat(service, "tester", None, io.StringIO(""), stdout)
    out = stdout.getvalue()
    assert "Hoi! Ik ben" not in out  # a known conversation: no welcome again
    assert "Samenvatting tot nu toe" in out
    assert f"Je vraag: {DRONES}" in out
    assert "[1] Drietrap doorlopen" in out


def test_run_chat_in_english_with_lang(service: ConversationService) -> None:
    stdout = io.StringIO()
    run_chat(service, "sam", "en", io.StringIO("help\n"), stdout)
    out = stdout.getvalue()
    assert "Hi! I'm Ethiekbot" in out and "How it works." in out
    assert "Hoi!" not in out


# -- the real command, in a subprocess ---------------------------------------------------------


def _env(db: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ETHIEKBOT_") and k not in ("PORT", "PYTHONSTARTUP")
    }
    env["ETHIEKBOT_DB"] = str(db)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _run(args: list[str], db: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(db),
        cwd=REPO,
        timeout=60,
    )


def test_python_m_bot_chat_with_piped_stdin(tmp_path: Path) -> None:
    db = tmp_path / "data" / "chat.db"
    # Describe, "3" = just the advice, then "1" = the report (no advisor is registered in a
    # fresh database, so no hand-over is offered: report, checkpoints, restart).
    proc = _run(["chat", "--user", "piped"], db, f"{DRONES}\n3\n1\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    out = proc.stdout
    assert "\x1b[" not in out
    assert "[1] Drietrap doorlopen" in out
    assert "Uitkomst" in out and "Aanbevolen instrument: Aanpak Begeleidingsethiek" in out
    assert "[1] Rapport" in out and "Geef door aan de ethiekadviseur" not in out
    m = re.search(r"Hier is je rapport \(kenmerk (T-[0-9a-f]+)\)", out)
    assert m, out[-2000:]
    assert "\nEthiekbot: uitkomst van de triage" in out
    assert db.exists()
    # The outcome was logged in that database, for this user, and the state kept.
    store = Store.open(db)
    try:
        assert store.owns(m.group(1), "console", "piped")
        state = store.load_state("console:piped")
        assert state is not None and state.step == "outcome"
    finally:
        store.close()


def test_python_m_bot_report(tmp_path: Path, advisor: Advisor) -> None:
    db = tmp_path / "report.db"
    svc = ConversationService(Engine(advisor), Store.open(db))
    now = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    try:

        def send(text: str | None = None, choice: str | None = None) -> list[Reply]:
            nonlocal now
            now += timedelta(minutes=1)
            m = Inbound(channel="web", conversation="s1", user="s1", text=text, choice=choice)
            return svc.handle(m, now)

        quick = send(f"{DRONES} **vet** <b>")
        advice = next(c.id for c in quick[-1].choices if c.label == "Alleen het advies")
        send(choice=advice)
        (record,) = svc.store.outcomes_of("web", "s1")
        expected = render_report(record.outcome)
    finally:
        svc.close()

    proc = _run(["report", record.id], db)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == expected
    assert f"`{record.id}`" in proc.stdout
    assert r"\*\*vet\*\* \<b\>" in proc.stdout  # user text stays escaped Markdown

    missing = _run(["report", "T-0000000000"], db)
    assert missing.returncode == 2
    assert missing.stdout == ""
    assert "Traceback" not in missing.stderr
    # The last line: `report` may name the database it read on the line before.
    assert missing.stderr.strip().splitlines()[-1] == (
        "ethiekbot: geen uitkomst met kenmerk T-0000000000 / no outcome with reference T-0000000000"
    )


def test_a_huge_number_where_buttons_are_offered_is_no_crash(service: ConversationService) -> None:
    """int() refuses numbers of more than 4300 digits; a typed choice is read with a bound."""
    stdout = io.StringIO()
    stdin = io.StringIO(f"{DRONES}\n3\n3\n{'7' * 5000}\n")
    assert run_chat(service, "tester", None, stdin, stdout) == 0
    assert "Wanneer is het ontwerp af?" in stdout.getvalue()


def test_a_reminder_reaches_the_terminal_when_it_opens(service: ConversationService) -> None:
    """Found by a user trial: the bot said "Ik herinner jullie (hier)" in the terminal, but the
    reminder stayed waiting: no dispatcher sends to a terminal. It is shown (once) the next
    time the conversation opens."""
    from datetime import UTC, datetime

    from bot.checkpoints import enqueue_due

    run_chat(service, "tester", None, io.StringIO(f"{DRONES}\n3\n3\n1\n1\n"), io.StringIO())
    first = min(service.store.checkpoints(), key=lambda cp: cp.send_at)
    due = datetime.fromisoformat(first.send_at).astimezone(UTC)
    assert enqueue_due(service.store, service.engine.advisor.knowledge, due) >= 1
    stdout = io.StringIO()
    run_chat(service, "tester", None, io.StringIO(""), stdout)
    assert "Stop herinneringen" in stdout.getvalue()
    again = io.StringIO()
    run_chat(service, "tester", None, io.StringIO(""), again)
    assert "Stop herinneringen" not in again.getvalue()  # shown once


def test_the_prompt_speaks_the_conversations_language(
    service: ConversationService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by a user trial: an English conversation in the terminal still prompted "jij>"."""

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    prompts: list[str] = []
    lines = iter(["Can we use drones to check farmland?", "Just the advice"])

    def fake_input(prompt: str) -> str:
        prompts.append(prompt)
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", fake_input)
    run_chat(service, "tester", None, Tty(), Tty())
    assert prompts[0] == "jij> "  # nothing said yet: Dutch first
    assert prompts[-1] == "you> ", prompts


def test_an_advisors_reply_and_the_summary_never_share_a_number(
    advisor: Advisor, tmp_path: Path
) -> None:
    """A product trial typed "1" to answer the advisor and got the report: the choices on
    screen are numbered on from one reply to the next, and each number is its own choice."""
    from bot.config import Settings
    from bot.review import ReviewDesk

    svc = ConversationService.from_settings(Settings(db_path=tmp_path / "c.db"), advisor)
    try:
        run_chat(svc, "tester", None, io.StringIO(f"{DRONES}\n3\n"), io.StringIO())
        state = svc.store.load_state("console:tester")
        assert state is not None and state.outcome_id
        desk = ReviewDesk(svc.store, lambda: advisor.knowledge)
        desk.reply(state.outcome_id, "Bel je me even over de drones?", "ad@prov.nl")
        stdout = io.StringIO()
        run_chat(svc, "tester", None, io.StringIO("1\nPrima, morgen na tienen.\n"), stdout)
        out = stdout.getvalue()
        assert "  [1] Antwoord de adviseur" in out
        numbers = re.findall(r"^  \[(\d+)\]", out.split("Typ je antwoord")[0], re.MULTILINE)
        assert numbers == [str(n) for n in range(1, len(numbers) + 1)] and len(numbers) > 1
        assert "Typ je antwoord aan de ethiekadviseur" in out  # "1" answered the advisor
        messages = [e for e in svc.store.entries(state.outcome_id) if e.kind == "bericht"]
        assert [m.body["text"] for m in messages][-1] == "Prima, morgen na tienen."
    finally:
        svc.close()


def test_a_reminder_shown_in_the_terminal_counts_as_sent(advisor: Advisor, database: str) -> None:
    """A product trial saw a reminder in `ethiekbot chat` while the advisor's page and the CLI
    still said "gepland": shown is sent, for the checkpoint too (on SQLite and PostgreSQL)."""
    from datetime import date

    from bot.checkpoints import enqueue_due, plan
    from tests.stores import settings_for

    svc = ConversationService.from_settings(settings_for(database), advisor)
    try:
        run_chat(svc, "tester", None, io.StringIO(f"{DRONES}\n3\n"), io.StringIO())
        state = svc.store.load_state("console:tester")
        assert state is not None and state.outcome_id
        due = date(2099, 1, 5)
        cid = plan(svc.store, state.outcome_id, "eigen", "Evaluatie", due, "console:tester")
        assert enqueue_due(svc.store, advisor.knowledge, datetime(2099, 1, 5, 9, tzinfo=UTC)) == 1
        (waiting,) = svc.store.checkpoints()
        assert waiting.id == cid and waiting.status == "gepland"  # not shown yet
        stdout = io.StringIO()
        run_chat(svc, "tester", None, io.StringIO(""), stdout)
        assert "Evaluatie" in stdout.getvalue()
        (shown,) = svc.store.checkpoints()
        assert shown.status == "verstuurd"
    finally:
        svc.close()
