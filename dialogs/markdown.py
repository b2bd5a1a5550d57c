"""The small Markdown subset of :class:`~dialogs.models.Reply` texts, and its safe renderings.

The subset: ``**bold**``, ``_italic_``, ```code```, lines starting with ``- `` (bullets, ``  - ``
nested), ``1. `` (numbered), ``# `` headings, ``| a | b |`` table rows, blank lines between
paragraphs. A backslash escapes the next character.

User text is put into replies through :func:`escape`, so a user who types ``**`` or ``<b>`` or
``<!channel>`` sees exactly that, in every channel. Renderers first split the text into
escaped characters and markup, then escape for the target format.

    >>> to_html(escape("<b>hi</b> **x**") + " **ok**")
    '<p>&lt;b&gt;hi&lt;/b&gt; **x** <strong>ok</strong></p>'
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

_SPECIAL = re.compile(r"([\\`*_\[\]#|<>~])")
_INLINE = re.compile(r"\\(.)|\*\*(.+?)\*\*|(?<![\w\\])_(.+?)_(?!\w)|`([^`]+)`", re.DOTALL)


def escape(text: str) -> str:
    """Escape user text so that none of it is read as markup."""
    return _SPECIAL.sub(r"\\\1", text)


def _inline(text: str, esc: Callable[[str], str], bold: str, italic: str, code: str) -> str:
    out: list[str] = []
    pos = 0
    for m in _INLINE.finditer(text):
        out.append(esc(text[pos : m.start()]))
        if m.group(1) is not None:
            out.append(esc(m.group(1)))
        elif m.group(2) is not None:
            out.append(bold.format(_inline(m.group(2), esc, bold, italic, code)))
        elif m.group(3) is not None:
            out.append(italic.format(_inline(m.group(3), esc, bold, italic, code)))
        else:
            out.append(code.format(esc(_unescape(m.group(4)))))
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def to_html(md: str) -> str:
    """HTML for a web page; everything not markup is HTML-escaped."""

    def inline(s: str) -> str:
        return _inline(s, html.escape, "<strong>{}</strong>", "<em>{}</em>", "<code>{}</code>")

    out: list[str] = []
    para: list[str] = []
    items: list[str] = []
    list_tag = ""
    rows: list[str] = []

    def flush() -> None:
        nonlocal list_tag
        if para:
            out.append("<p>" + "<br>".join(inline(x) for x in para) + "</p>")
            para.clear()
        if items:
            out.append(f"<{list_tag}>{''.join(items)}</{list_tag}>")
            items.clear()
            list_tag = ""
        if rows:
            out.append(f"<table>{''.join(rows)}</table>")
            rows.clear()

    for line in md.strip().split("\n"):
        bullet = re.match(r"^(\s*)(- |\d+\. )(.*)$", line)
        if not line.strip():
            flush()
        elif line.strip() == "---":
            flush()
            out.append("<hr>")
        elif bullet:
            tag = "ol" if bullet.group(2)[0].isdigit() else "ul"
            if para or rows or (items and tag != list_tag and not bullet.group(1)):
                flush()
            list_tag = list_tag or tag
            cls = ' class="sub"' if bullet.group(1) else ""
            items.append(f"<li{cls}>{inline(bullet.group(3))}</li>")
        elif line.startswith("#"):
            flush()
            level = min(len(line) - len(line.lstrip("#")), 4) + 1
            out.append(f"<h{level}>{inline(line.lstrip('#').strip())}</h{level}>")
        elif line.startswith("|"):
            if para or items:
                flush()
            if not re.match(r"^\|\s*-", line):
                cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
                rows.append("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in cells) + "</tr>")
        else:
            if items or rows:
                flush()
            para.append(line)
    flush()
    return "".join(out)


def to_plain(md: str) -> str:
    """Plain text for a terminal or a plain-text channel: markup removed, escapes resolved."""

    def keep(s: str) -> str:
        return s

    return "\n".join(_inline(line, keep, "{}", "{}", "{}") for line in md.split("\n"))


_ANSI_BOLD, _ANSI_DIM, _ANSI_RESET = "\x1b[1m", "\x1b[3m", "\x1b[0m"


def to_ansi(md: str) -> str:
    """Text for an interactive terminal, with bold and italic as ANSI styles."""

    def keep(s: str) -> str:
        return s

    return "\n".join(
        _inline(line, keep, _ANSI_BOLD + "{}" + _ANSI_RESET, _ANSI_DIM + "{}" + _ANSI_RESET, "{}")
        for line in md.split("\n")
    )


def _slack_escape(s: str) -> str:
    # Slack's three control characters; escaping them means <!channel> or <@U123> typed by a
    # user is shown as text and never pings anyone.
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_slack(md: str) -> str:
    """Slack mrkdwn: ``*bold*``, ``_italic_``, bullets as "•", everything else escaped."""
    lines: list[str] = []
    for line in md.split("\n"):
        bullet = re.match(r"^(\s*)- (.*)$", line)
        if bullet:
            prefix = "    ◦ " if bullet.group(1) else "• "
            line = bullet.group(2)
        elif line.startswith("#"):
            prefix, line = "", "**" + line.lstrip("#").strip() + "**"
        elif line.startswith("|") and re.match(r"^\|\s*-", line):
            continue
        elif line.startswith("|"):
            prefix = ""
            line = " · ".join(c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1])
        else:
            prefix = ""
        lines.append(prefix + _inline(line, _slack_escape, "*{}*", "_{}_", "`{}`"))
    return "\n".join(lines)


def inline_runs(text: str) -> list[tuple[str, bool, bool]]:
    """A line as ``(text, bold, italic)`` runs, escapes resolved, for structured renderers
    (Adaptive Cards' TextRun never interprets Markdown, so user text stays literal)."""
    runs: list[tuple[str, bool, bool]] = []

    def walk(s: str, bold: bool, italic: bool) -> None:
        pos = 0
        for m in _INLINE.finditer(s):
            if m.start() > pos:
                runs.append((s[pos : m.start()], bold, italic))
            if m.group(1) is not None:
                runs.append((m.group(1), bold, italic))
            elif m.group(2) is not None:
                walk(m.group(2), True, italic)
            elif m.group(3) is not None:
                walk(m.group(3), bold, True)
            else:
                runs.append((_unescape(m.group(4)), bold, italic))
            pos = m.end()
        if pos < len(s):
            runs.append((s[pos:], bold, italic))

    walk(text, False, False)
    # Merge neighbours with the same style: fewer, larger runs.
    merged: list[tuple[str, bool, bool]] = []
    for run in runs:
        if merged and merged[-1][1:] == run[1:]:
            merged[-1] = (merged[-1][0] + run[0], *run[1:])
        else:
            merged.append(run)
    return merged
