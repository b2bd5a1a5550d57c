"""The terminal channel: ``ethiekbot chat``.

When stdin is not a terminal it reads line by line and prints each reply with its choices as a
numbered list, so a conversation can be scripted (``printf 'hoi\\n1\\n' | ethiekbot chat``). In a
terminal it adds a prompt, line editing and bold text. It also serves as the in-memory test bot.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable
from typing import TextIO

from bot.service import ConversationService
from dialogs.markdown import to_ansi, to_plain
from dialogs.models import Inbound, Reply
from knowledge.schema import Lang

# A Markdown heading of a report: read in a terminal without its hashes (a user trial).
_HEADING = re.compile(r"^#{1,6}[ \t]+(.*)$", re.MULTILINE)


def render(reply: Reply, ansi: bool = False) -> str:
    """A reply as terminal text (a report's headings without their hashes, in bold when
    ``ansi``), choices as a numbered list."""
    md = _HEADING.sub(r"**\1**" if ansi else r"\1", reply.text)
    text = to_ansi(md) if ansi else to_plain(md)
    lines = [text]
    for n, choice in enumerate(reply.choices, start=1):
        lines.append(f"  [{n}] {choice.label}" + (f": {choice.url}" if choice.url else ""))
    return "\n".join(lines)


def run_chat(
    service: ConversationService,
    user: str,
    lang: Lang | None,
    stdin: TextIO,
    stdout: TextIO,
    conversation: str | None = None,
) -> int:
    """Hold a conversation on stdin/stdout until end of input."""
    interactive = stdin.isatty() and stdout.isatty()
    if interactive:
        with contextlib.suppress(ImportError):  # not on every platform
            import readline  # noqa: F401  - line editing and history for input()
    conv = conversation or user

    def send(text: str | None) -> None:
        msg = Inbound(channel="console", conversation=conv, user=user, text=text, locale=lang)
        for reply in service.handle(msg):
            stdout.write(render(reply, ansi=interactive) + "\n\n")
        stdout.flush()

    # What came while the terminal was closed (a checkpoint's reminder, the advisor's reply):
    # no dispatcher sends to a terminal, so it is shown when the conversation opens.
    for item in service.store.take_terminal(f"console:{conv}"):
        for raw in item.payload.get("replies", []):
            stdout.write(render(Reply.model_validate(raw), ansi=interactive) + "\n\n")
    send(None if service.store.load_state(f"console:{conv}") is None else "samenvatting")

    def prompt() -> str:
        # The prompt speaks the conversation's language, as its answers do.
        state = service.store.load_state(f"console:{conv}")
        return "you> " if state is not None and state.lang == "en" else "jij> "

    if interactive:
        stdout.write("(Typ afsluiten of druk Ctrl-D om te stoppen. / Type quit to leave.)\n\n")
    for line in _lines(stdin, interactive, prompt):
        if line.strip().lower().strip("/") in _QUIT:
            # ("stop" pauses the conversation; these close the program, as Ctrl-D does.)
            stdout.write(
                "Tot ziens. Je gesprek blijft bewaard. / Goodbye; your conversation is kept.\n"
            )
            return 0
        send(line)
    return 0


_QUIT = frozenset({"afsluiten", "sluit af", "exit", "quit", "q", "bye", "doei"})


def _lines(stdin: TextIO, interactive: bool, prompt: Callable[[], str]) -> Iterable[str]:
    if not interactive:
        for line in stdin:
            yield line.rstrip("\n")
        return
    while True:
        try:
            yield input(prompt())
        except EOFError:
            print()
            return
        except KeyboardInterrupt:
            print()
            return
