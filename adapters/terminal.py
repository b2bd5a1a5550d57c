"""Terminal text: a triage as readable text (the default output of ``ethiekbot triage``), and
wrapping at word boundaries to the terminal's width.

A terminal breaks a line that is too long wherever the column runs out, in the middle of a word.
:func:`wrap` breaks it between words instead, and keeps the hanging indent of a bullet
(``- ``, ``1. ``, ``[1] ``) so a wrapped item still reads as one item. Output to a pipe or a file
is never wrapped: a script or an editor gets each line whole.
"""

from __future__ import annotations

import io
import re
import shutil
import unicodedata
from collections.abc import Callable
from typing import TextIO

from dialogs.texts import t as text_of
from knowledge.loader import Knowledge
from knowledge.quickscan import NOTE
from knowledge.schema import Lang
from knowledge.triage import Triage

_HEAD = {
    "nl": {
        "cases": "Vergelijkbare casussen",
        "values": "Waarden die op het spel staan",
        "instruments": "Aanbevolen instrument",
        "mag": "Mag het? Snelle scan",
        "risk": "Risico",
        "none": "geen",
        "dpia": "DPIA-criteria",
        "dpia_likely": "twee of meer: een DPIA is waarschijnlijk verplicht",
        "ai_act": "AI-verordening",
        "iama": "IAMA / algoritmeregister",
        "children": "Kinderen (KIA)",
        "eea": "Buiten de EER",
        "ask": "Vraag het aan",
        "lesson": "Geleerd",
        "pd": "Persoonsgegevens",
    },
    "en": {
        "cases": "Similar cases",
        "values": "Values at stake",
        "instruments": "Recommended instrument",
        "mag": "Is it allowed? Quick scan",
        "risk": "Risk",
        "none": "none",
        "dpia": "DPIA criteria",
        "dpia_likely": "two or more: a DPIA is likely required",
        "ai_act": "AI Act",
        "iama": "IAMA / algorithm register",
        "children": "Children (KIA)",
        "eea": "Outside the EEA",
        "ask": "Ask",
        "lesson": "Learned",
        "pd": "Personal data",
    },
}

_AI_LEVEL = {
    "nl": {
        "prohibited": "mogelijk verboden praktijk",
        "high-risk": "mogelijk hoog risico",
        "transparency": "transparantieplicht",
        "ai": "AI of algoritme, geen bijzonder gebied gevonden",
        "none": "geen signaal",
    },
    "en": {
        "prohibited": "possibly a prohibited practice",
        "high-risk": "possibly high-risk",
        "transparency": "transparency duty",
        "ai": "AI or algorithm, no special area found",
        "none": "no signal",
    },
}


def render_triage(t: Triage, k: Knowledge, lang: Lang) -> str:
    """The triage as plain text with headings, for a terminal."""
    h = _HEAD[lang]
    out: list[str] = []
    for notice in t.notices:
        out.append(f"! {notice.get(lang)}")
    if t.needs_more:
        # Nothing to judge yet: ask for what is missing, as the conversation does; no verdict.
        need = t.to_dict(k, lang)["needs_more"]
        out += [need["ask"], "", need["example"]]
        if need["start_points"]:
            out += ["", text_of("start_points", lang)]
            out += [f"  - {i['name']}: {i['why'][0]}" for i in need["start_points"]]
        return "\n".join(out)
    out.append(f"{h['cases']}:")
    if not t.cases:
        out.append(f"  ({h['none']})")
    for m in t.cases[:3]:
        org = f" · {m.case.organisation}" if m.case.organisation else ""
        out.append(f"  - {m.case.title.get(lang)}{org} [{m.score:.2f}]")
        for w in m.why:
            out.append(f"      {w.get(lang)}")
        out.append(f"      {h['lesson']}: {m.case.lessons[0].get(lang)}")
    out.append(f"\n{h['values']}:")
    for v in t.values[:5]:
        value = k.values[v.id]
        out.append(f"  - {value.name.get(lang)}: {value.questions[0].get(lang)}")
        out.append(f"      {v.why[0].get(lang)}")
    out.append(f"\n{h['instruments']}:")
    for a in t.instruments[:2]:
        inst = k.instruments[a.id]
        out.append(f"  - {inst.name.get(lang)} ({inst.preconditions.time.get(lang)})")
        for w in a.why[:2]:
            out.append(f"      {w.get(lang)}")
    s = t.mag_het
    out.append(f"\n{h['mag']}:")
    pd = ", ".join(s.personal_data) if s.personal_data else h["none"]
    out.append(f"  {h['pd']}: {pd}")
    dpia = "; ".join(f.label.get(lang) for f in s.dpia) or h["none"]
    out.append(f"  {h['dpia']} ({len(s.dpia)}): {dpia}")
    if s.dpia_likely:
        out.append(f"      {h['dpia_likely']}")
    out.append(f"  {h['ai_act']}: {_AI_LEVEL[lang][s.ai_act_level]}")
    for f in s.ai_act:
        out.append(f"      {f.label.get(lang)}")
    for key, words in (("iama", s.iama), ("children", s.children), ("eea", s.outside_eea)):
        if words:
            out.append(f"  {h[key]}: {', '.join(words)}")
    ask = [k.contacts[c].name.get(lang) for c in s.ask() if c in k.contacts]
    if ask:
        out.append(f"  {h['ask']}: {', '.join(ask)}")
    out.append(f"  ({NOTE.get(lang)})")
    out.append(f"\n{h['risk']}: {t.risk.upper()}")
    for w in t.risk_why:
        out.append(f"  - {w.get(lang)}")
    return "\n".join(out)


# --- wrapping -----------------------------------------------------------------------------------

# Colours and bold (``dialogs.markdown.to_ansi``) take no room on the screen.
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Leading spaces, then a bullet (``-``, ``*``, ``•``, ``!``), a number (``1.``, ``2)``) or a
# choice (``[1]``) and its spaces: a wrapped line continues under the text after it.
_HANG = re.compile(r"^( *)(?:(?:[-*•!]|\d{1,3}[.)]|\[\d{1,3}\]) +)?")
# Less than this much room after the hanging indent, and continuation lines start further left.
_MIN_TEXT = 20


def display_width(text: str) -> int:
    """The columns ``text`` takes in a terminal: ANSI styles take none, combining marks none,
    wide (East Asian) characters two."""
    width = 0
    for ch in _ANSI.sub("", text):
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cf", "Mn", "Me"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def wrap_line(line: str, width: int) -> list[str]:
    """One line broken between words so that each piece fits in ``width`` columns.

    A word is never split: a word longer than the line gets a line of its own. Continuation
    lines get the indent of the text after a bullet, number or choice marker (``  - ``,
    ``1. ``, ``  [2] ``); table rows (``| a | b |``) are left whole.
    """
    if display_width(line) <= width or line.lstrip().startswith("|"):
        return [line]
    lead = _HANG.match(line)
    prefix = lead.group(0) if lead else ""
    hang = display_width(prefix)
    if width - hang < _MIN_TEXT:
        hang = min(len(lead.group(1)) if lead else 0, max(width - _MIN_TEXT, 0))
    out: list[str] = []
    current, used, has_word = prefix, display_width(prefix), False
    # Words with the spaces before them, so that runs of spaces inside a line are kept.
    for space, word in re.findall(r"( *)([^ ]+)", line[len(prefix) :]):
        w = display_width(word)
        if has_word and used + len(space) + w > width:
            out.append(current)
            current, used = " " * hang + word, hang + w
        else:
            current += space + word
            used += len(space) + w
        has_word = True
    out.append(current)
    return out


def wrap(text: str, width: int) -> str:
    """``text`` with every line wrapped at word boundaries to ``width`` columns
    (see :func:`wrap_line`)."""
    return "\n".join(piece for line in text.split("\n") for piece in wrap_line(line, width))


def terminal_width() -> int:
    """The columns to wrap at: the terminal's width (``shutil.get_terminal_size``, which honours
    ``COLUMNS``) less one, so a full line never makes the terminal add an empty one."""
    return max(shutil.get_terminal_size().columns - 1, _MIN_TEXT)


def for_terminal(text: str, stream: TextIO) -> str:
    """``text`` wrapped to the terminal's width when ``stream`` is a terminal; as it is when it
    goes to a pipe or a file."""
    return wrap(text, terminal_width()) if stream.isatty() else text


class WrappingWriter(io.TextIOBase):
    """A text stream that wraps each complete line it is given (see :func:`wrap_line`) before
    passing it on, for output that is written in pieces, like a conversation.

    ``width`` is asked again for every line, so a terminal that is resized is followed.
    """

    def __init__(self, stream: TextIO, width: Callable[[], int] = terminal_width) -> None:
        """Write to ``stream``, wrapping at ``width()`` columns."""
        super().__init__()
        self._stream = stream
        self._width = width
        self._pending = ""

    def write(self, s: str) -> int:
        """Wrap and pass on every complete line; keep a trailing partial line until it ends."""
        *lines, self._pending = (self._pending + s).split("\n")
        if lines:
            width = self._width()
            self._stream.write("".join(p + "\n" for line in lines for p in wrap_line(line, width)))
        return len(s)

    def flush(self) -> None:
        """Pass on a partial line as it is (a prompt), then flush the stream."""
        if self._pending:
            self._stream.write(self._pending)
            self._pending = ""
        self._stream.flush()

    def isatty(self) -> bool:
        """Whether the stream written to is a terminal."""
        return self._stream.isatty()

    def writable(self) -> bool:
        """Always: this is an output stream."""
        return True
