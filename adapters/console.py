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
from dialogs.engine import typed_choice
from dialogs.markdown import to_ansi, to_plain
from dialogs.models import Choice, Inbound, Reply
from knowledge.schema import Lang

# A Markdown heading of a report: read in a terminal without its hashes (a user trial).
_HEADING = re.compile(r"^#{1,6}[ \t]+(.*)$", re.MULTILINE)


def render(reply: Reply, ansi: bool = False, first: int = 1) -> str:
    """A reply as terminal text (a report's headings without their hashes, in bold when
    ``ansi``), choices as a list numbered from ``first``."""
    md = _HEADING.sub(r"**\1**" if ansi else r"\1", reply.text)
    text = to_ansi(md) if ansi else to_plain(md)
    lines = [text]
    for n, choice in enumerate(reply.choices, start=first):
        lines.append(f"  [{n}] {choice.label}" + (f": {choice.url}" if choice.url else ""))
    return "\n".join(lines)


class _Shown:
    """The choices on screen since the person last typed, numbered on from one reply to the
    next: an advisor's reply and the summary after it never both offer a "[1]"."""

    def __init__(self) -> None:
        self.choices: list[Choice] = []

    def render(self, reply: Reply, ansi: bool) -> str:
        text = render(reply, ansi, first=len(self.choices) + 1)
        self.choices.extend(reply.choices)
        return text

    def chosen(self, line: str) -> str | None:
        """The id of the shown choice ``line`` names by its number or label, else None (a
        link is opened, not sent)."""
        cid = typed_choice(line, [(c.id, c.label) for c in self.choices])
        return next((c.id for c in self.choices if c.id == cid and not c.url), None)


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
    shown = _Shown()

    def send(text: str | None, more: bool = False) -> None:
        # A number or label of any choice on screen is that choice, wherever it was shown.
        choice = shown.chosen(text) if text is not None and shown.choices else None
        if not more:
            shown.choices.clear()
        msg = Inbound(
            channel="console",
            conversation=conv,
            user=user,
            text=None if choice else text,
            choice=choice,
            locale=lang,
        )
        for reply in service.handle(msg):
            stdout.write(shown.render(reply, interactive) + "\n\n")
        stdout.flush()

    # What came while the terminal was closed (a checkpoint's reminder, the advisor's reply):
    # no dispatcher sends to a terminal, so it is shown when the conversation opens.
    for item in service.store.take_terminal(f"console:{conv}"):
        for raw in item.payload.get("replies", []):
            stdout.write(shown.render(Reply.model_validate(raw), interactive) + "\n\n")
    opening = None if service.store.load_state(f"console:{conv}") is None else "samenvatting"
    send(opening, more=True)  # (numbered on after what came while the terminal was closed)

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
