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

    blocks: list[str] = []
    for para in re.split(r"\n\s*\n", md.strip()):
        lines = para.split("\n")
        if all(re.match(r"\s*(- |\d+\. )", ln) for ln in lines if ln.strip()):
            ordered = bool(re.match(r"\s*\d+\. ", lines[0]))
            tag = "ol" if ordered else "ul"
            items = []
            for ln in lines:
                if not ln.strip():
                    continue
                nested = ln.startswith("  ")
                body = re.sub(r"^\s*(- |\d+\. )", "", ln)
                cls = ' class="sub"' if nested else ""
                items.append(f"<li{cls}>{inline(body)}</li>")
            blocks.append(f"<{tag}>{''.join(items)}</{tag}>")
        elif lines[0].startswith("#"):
            level = min(len(lines[0]) - len(lines[0].lstrip("#")), 4) + 1
            rest = "<br>".join(inline(x) for x in lines[1:])
            head = f"<h{level}>{inline(lines[0].lstrip('#').strip())}</h{level}>"
            blocks.append(head + (f"<p>{rest}</p>" if rest else ""))
        elif lines[0].startswith("|"):
            rows = [ln for ln in lines if not re.match(r"^\|\s*-", ln)]
            cells = [[c.strip() for c in re.split(r"(?<!\\)\|", r.strip())[1:-1]] for r in rows]
            body = "".join(
                "<tr>" + "".join(f"<td>{inline(c)}</td>" for c in row) + "</tr>" for row in cells
            )
            blocks.append(f"<table>{body}</table>")
        else:
            blocks.append("<p>" + "<br>".join(inline(x) for x in lines) + "</p>")
    return "".join(blocks)


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
