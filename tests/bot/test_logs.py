"""The server's log: one line per event, never a traceback, never the text of an exception."""

from __future__ import annotations

import logging
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.logs import FORMAT, OneLineFormatter
from bot.service import ConversationService
from bot.storage import Store
from dialogs.engine import Engine
from dialogs.models import MAX_INPUT_CHARS, Inbound
from knowledge.triage import Advisor

SECRET = "Jan Jansen, BSN 111222333"


def _format(record_it: logging.LogRecord) -> str:
    return OneLineFormatter(FORMAT).format(record_it)


def test_an_exception_is_one_line_with_its_class_and_place_but_not_its_text() -> None:
    try:
        int(SECRET)
    except ValueError as exc:
        record = logging.LogRecord(
            "slack_bolt", logging.ERROR, __file__, 1, "Failed (error: %s)", (exc,), sys.exc_info()
        )
    line = _format(record)
    assert "\n" not in line and "Traceback" not in line
    assert SECRET not in line
    assert "Failed (error: ValueError) [ValueError at test_logs.py:" in line


def _python(code: str) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter from the repository's root (logging starts unset)."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )


def test_importing_the_server_leaves_logging_alone() -> None:
    # deduce's import calls logging.basicConfig(stdout, DEBUG); bot.privacy must not import it.
    code = (
        "import logging, sys; import bot.server, bot.privacy; bot.privacy.name_lists(); "
        "print(len(logging.getLogger().handlers), 'deduce' in sys.modules)"
    )
    out = _python(code)
    assert out.stdout.split() == ["0", "False"]


def test_configured_logging_writes_one_line_per_error_to_stderr() -> None:
    code = (
        "import logging; from bot.logs import configure_logging; import bot.privacy; "
        "configure_logging(); log = logging.getLogger('x');\n"
        "try:\n    int('geheim 123')\nexcept ValueError:\n    log.exception('boom')\n"
        "logging.getLogger('slack_sdk').info('body geheim')"
    )
    out = _python(code)
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "boom [ValueError at <string>:" in lines[0]
    assert "geheim" not in out.stderr


def test_text_over_the_limit_is_cut_before_redaction(
    advisor: Advisor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.service as service_module

    seen: list[int] = []
    real = service_module.redact

    def spy(text: str) -> object:
        seen.append(len(text))
        return real(text)

    monkeypatch.setattr(service_module, "redact", spy)
    service = ConversationService(Engine(advisor), Store.open(tmp_path / "cut.db"))
    try:
        msg = Inbound(channel="web", conversation="c", user="u", text="drones " * 100_000)
        replies = service.handle(msg, datetime(2026, 12, 6, tzinfo=UTC))
        assert seen == [MAX_INPUT_CHARS + 1]
        assert any("20" in r.text and "000" in r.text for r in replies)  # the user is told
    finally:
        service.close()
