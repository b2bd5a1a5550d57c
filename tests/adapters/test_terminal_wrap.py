"""Terminal output breaks between words at the terminal's width, never inside a word.

The unit tests call :func:`adapters.terminal.wrap` directly; the others run the real
``ethiekbot`` console script in a pseudo-terminal of a known width, as a user would.
"""

from __future__ import annotations

import fcntl
import io
import itertools
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from adapters.terminal import WrappingWriter, display_width, for_terminal, wrap, wrap_line

ETHIEKBOT = Path(sys.executable).parent / "ethiekbot"
REPO = Path(__file__).resolve().parents[2]
DRONES = "Mogen we drones inzetten om te zien of boeren hun weilanden bloemrijk houden?"
MARKET = "Camera's op het marktplein die drukte meten"


def words(text: str) -> list[str]:
    """The words of ``text``, however it was broken into lines."""
    return text.split()


# --- wrap ---------------------------------------------------------------------------------------


def test_short_lines_are_left_alone() -> None:
    text = "Risico: MIDDEN\n  - kort\n\n"
    assert wrap(text, 40) == text


def test_a_long_line_breaks_between_words() -> None:
    line = (
        "Toets niet alleen of het mag en of het doelmatig is, maar bespreek ook de ethische kant."
    )
    out = wrap(line, 30).split("\n")
    assert len(out) > 1
    assert all(len(piece) <= 30 for piece in out)
    assert words("\n".join(out)) == words(line)  # no word split, none lost


@pytest.mark.parametrize(
    ("line", "hang"),
    [
        ("- een opsommingsteken met een lange tekst die niet op de regel past", 2),
        ("  - een ingesprongen punt met een lange tekst die niet op de regel past", 4),
        ("1. een genummerde stap met een lange tekst die niet op de regel past", 3),
        ("  [2] een keuze met een nummer en een lange tekst die niet op de regel past", 6),
        ("      Geleerd: een toelichting onder een punt die niet op de regel past", 6),
        ("! Je tekst was langer dan de grens en is ingekort, de rest is weggelaten", 2),
    ],
)
def test_continuation_lines_hang_under_the_text_of_a_bullet(line: str, hang: int) -> None:
    first, *rest = wrap_line(line, 32)
    assert rest, "the line should not fit"
    assert first.startswith(line[:hang])
    for piece in rest:
        assert piece.startswith(" " * hang) and piece[hang] != " ", (line, piece)
        assert len(piece) <= 32


def test_a_word_longer_than_the_line_gets_a_line_of_its_own_unbroken() -> None:
    url = "https://www.example.org/een/heel/lang/adres/dat/nergens/past"
    out = wrap_line(f"Zie {url} voor meer.", 20)
    assert url in out
    assert words(" ".join(out)) == ["Zie", url, "voor", "meer."]


def test_runs_of_spaces_inside_a_line_stay() -> None:
    assert wrap_line("a  b", 10) == ["a  b"]
    assert wrap_line("aaa  bbb  ccc", 9) == ["aaa  bbb", "ccc"]


def test_table_rows_are_not_wrapped() -> None:
    row = "| wat | waarom | hoe lang | nog een kolom | en nog een kolom | en de laatste |"
    assert wrap_line(row, 30) == [row]


def test_a_hanging_indent_too_deep_for_a_narrow_terminal_is_reduced() -> None:
    line = "          - " + "woord " * 20
    for piece in wrap_line(line, 24)[1:]:
        assert len(piece) - len(piece.lstrip()) <= 4
        assert len(piece.rstrip()) <= 24


def test_ansi_styles_take_no_columns() -> None:
    bold = "\x1b[1mVet\x1b[0m"
    assert display_width(bold) == 3
    assert display_width("日本") == 4  # wide characters take two
    line = f"{bold} " + "woord " * 6
    out = wrap_line(line.rstrip(), 20)
    assert out[0].startswith(bold)
    assert all(display_width(piece) <= 20 for piece in out)


def test_for_terminal_wraps_only_for_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("COLUMNS", "31")  # shutil.get_terminal_size honours it
    long = "woord " * 20
    assert for_terminal(long, io.StringIO()) == long  # a pipe or a file: whole lines
    assert all(len(p) <= 30 for p in for_terminal(long.strip(), Tty()).split("\n"))


def test_wrapping_writer_wraps_complete_lines_as_they_come() -> None:
    sink = io.StringIO()
    writer = WrappingWriter(sink, width=lambda: 30)
    writer.write("een twee drie vier vijf zes ")
    assert sink.getvalue() == ""  # a partial line waits for its end
    writer.write("zeven acht\n  [1] negen tien elf twaalf dertien veertien\n\n")
    writer.write("jij> ")
    writer.flush()  # a prompt goes out as it is
    assert sink.getvalue() == (
        "een twee drie vier vijf zes\nzeven acht\n"
        "  [1] negen tien elf twaalf\n      dertien veertien\n\njij> "
    )
    assert writer.isatty() is False


# --- the real command in a terminal ------------------------------------------------------------


def clean_env(db: Path | None = None) -> dict[str, str]:
    """The environment without the developer's settings or terminal size."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ETHIEKBOT_") and k not in ("COLUMNS", "LINES", "PORT")
    }
    env["PYTHONIOENCODING"] = "utf-8"
    if db is not None:
        env["ETHIEKBOT_DB"] = str(db)
    return env


def in_terminal(
    argv: list[str],
    columns: int,
    env: dict[str, str],
    cwd: Path,
    stdin: str | None = None,
    stdout: Path | None = None,
    timeout: float = 60,
) -> tuple[int, str]:
    """Run ``argv`` with its output in a pseudo-terminal ``columns`` wide: (exit code, what the
    terminal showed, ``\\r\\n`` made ``\\n``). ``stdin``: piped in instead of the terminal;
    ``stdout``: a file for standard output, so that only standard error is the terminal."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    out_file = stdout.open("wb") if stdout is not None else None
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE if stdin is not None else slave,
            stdout=out_file if out_file is not None else slave,
            stderr=slave,
            env=env,
            cwd=cwd,
        )
    finally:
        os.close(slave)
        if out_file is not None:
            out_file.close()
    if stdin is not None:
        assert proc.stdin is not None
        proc.stdin.write(stdin.encode())
        proc.stdin.close()
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            ready, _, _ = select.select([master], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                proc.kill()
                raise AssertionError(f"{argv} did not finish in {timeout} s")
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: every end of the terminal is closed
                break
            if not data:
                break
            chunks.append(data)
        code = proc.wait(timeout=timeout)
    finally:
        os.close(master)
    return code, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def piped(argv: list[str], env: dict[str, str], cwd: Path, stdin: str = "") -> str:
    proc = subprocess.run(
        argv, input=stdin, capture_output=True, text=True, env=env, cwd=cwd, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_triage_in_a_narrow_terminal_breaks_between_words(tmp_path: Path) -> None:
    argv = [str(ETHIEKBOT), "triage", DRONES]
    code, shown = in_terminal(argv, 48, clean_env(), tmp_path)
    assert code == 0, shown
    lines = shown.rstrip("\n").split("\n")
    assert max(display_width(line) for line in lines) <= 47  # one column spare
    whole = piped(argv, clean_env(), tmp_path)
    assert max(len(line) for line in whole.split("\n")) > 48  # otherwise this proves nothing
    assert words(shown) == words(whole)  # the same words, none broken or lost
    assert len(lines) > len(whole.rstrip("\n").split("\n"))
    # A wrapped bullet continues under its text, not under the dash.
    for before, after in itertools.pairwise(lines):
        if before.startswith("  - ") and after.strip() and not after.startswith("  - "):
            assert after.startswith("    "), (before, after)


def test_triage_in_a_wide_terminal_keeps_its_lines(tmp_path: Path) -> None:
    argv = [str(ETHIEKBOT), "triage", DRONES]
    code, shown = in_terminal(argv, 1000, clean_env(), tmp_path)
    assert code == 0, shown
    assert shown == piped(argv, clean_env(), tmp_path)


def test_chat_in_a_terminal_breaks_between_words(tmp_path: Path) -> None:
    env = clean_env(tmp_path / "chat.db")
    argv = [str(ETHIEKBOT), "chat", "--new"]
    code, shown = in_terminal(argv, 40, env, tmp_path, stdin=f"{MARKET}\n1\n")
    assert code == 0, shown
    assert max(display_width(line) for line in shown.split("\n")) <= 39
    whole = piped(argv, env, tmp_path, f"{MARKET}\n1\n")
    assert words(shown) == words(whole)
    assert "  [1] Drietrap doorlopen" in shown
