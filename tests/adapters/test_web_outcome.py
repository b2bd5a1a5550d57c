"""The web chat's outcome HTML (adapters.web.outcome_html): top-down, marks coloured by class,
every piece of user text escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from adapters.web import outcome_html, reply_json
from dialogs.markdown import escape
from dialogs.models import Choice, Reply

NASTY = '<img src=x onerror=alert(1)> <script>alert(2)</script> **vet** "q" & x'


class _Tags(HTMLParser):
    """The start tags of a fragment with their attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(fragment: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(fragment)
    return parser.tags


def _content(lang: str = "nl") -> dict[str, Any]:
    user = escape(NASTY)
    title = "**Uitkomst**" if lang == "nl" else "**Outcome**"
    legend = (
        "_groen: geen bezwaar gezien · oranje: eerst bespreken · rood: zo niet doen · "
        "onbekend: nog niet beantwoord_"
        if lang == "nl"
        else "_green: no objection seen · orange: discuss first · red: not like this · "
        "unknown: not answered yet_"
    )
    return {
        "kind": "outcome",
        "outcome": {"id": "T-0123456789abcdef01234567", "lang": lang},
        "card": f"{title}\n\n**Oordeel per stap**\n"
        f"- ● **Willen we het?** groen: {user}\n"
        "- ▲ **Mag het?** oranje: twee criteria\n"
        "- ■ **Kan het?** rood\n\n"
        f"**Eerste stap:** {user}\n\n{legend}",
        "sections": [
            {"id": "why", "title": "Waarom, per stap", "markdown": f"- {user}"},
            {"id": "x<b>", "title": "<b>Titel</b>", "markdown": "1. een\n2. twee"},
        ],
        "offer": "Wil je het rapport?",
    }


def test_the_outcome_is_card_then_folded_sections_then_offer() -> None:
    html = outcome_html(_content())
    assert html is not None
    top = re.findall(
        r'^<div class="verdict-card"|<details class="outcome-section"|'
        r'<div class="offer">',
        html,
    )
    assert top == [
        '<div class="verdict-card"',
        '<details class="outcome-section"',
        '<details class="outcome-section"',
        '<div class="offer">',
    ]
    assert "<details " in html and " open" not in html  # closed by default
    assert '<h2 class="card-title" tabindex="-1">Uitkomst</h2>' in html
    assert 'aria-label="Uitkomst in het kort"' in html
    tags = _tags(html)
    verdicts = [a["class"] for t, a in tags if t == "li" and "verdict" in (a.get("class") or "")]
    assert verdicts == ["verdict verdict-groen", "verdict verdict-oranje", "verdict verdict-rood"]
    marks = [a for t, a in tags if t == "span" and "mark" in (a.get("class") or "")]
    assert len(marks) == 3 + 4  # three verdicts, four in the legend
    assert all(a["aria-hidden"] == "true" for a in marks)
    assert '<span class="mark mark-groen" aria-hidden="true">●</span> groen: geen bezwaar' in html
    assert "<summary>Waarom, per stap</summary>" in html


def test_user_text_and_titles_are_escaped() -> None:
    html = outcome_html(_content())
    assert html is not None
    assert {t for t, _ in _tags(html)} <= {
        "div",
        "h2",
        "p",
        "strong",
        "em",
        "ul",
        "ol",
        "li",
        "span",
        "details",
        "summary",
    }
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;script&gt;" in html and "<script" not in html and "<img" not in html
    assert "**vet**" in html  # the user's asterisks, not bold
    assert "<summary>&lt;b&gt;Titel&lt;/b&gt;</summary>" in html
    assert 'data-section="x&lt;b&gt;"' in html
    assert not [a for _, a in _tags(html) if any(k.startswith("on") for k in a)]
    assert "style=" not in html  # the page's CSP allows no inline style


def test_english_and_fallbacks() -> None:
    html = outcome_html(_content("en"))
    assert html is not None
    assert '<h2 class="card-title" tabindex="-1">Outcome</h2>' in html
    assert 'aria-label="Outcome at a glance"' in html
    assert '<span class="mark mark-onbekend" aria-hidden="true">○</span> unknown' in html
    assert outcome_html({"kind": "outcome"}) is None  # an older engine: the text is shown
    assert outcome_html({"kind": "report", "card": "x"}) is None
    # The API: the folded HTML for the page, the whole Markdown as text, the id for downloads.
    reply = Reply(
        text="**Uitkomst**\n\nalles", choices=[Choice(id="a", label="A")], content=_content()
    )
    out = reply_json(reply)
    assert out["html"] == outcome_html(_content())
    assert out["text"] == reply.text
    assert out["content"] == {"kind": "outcome", "outcome_id": "T-0123456789abcdef01234567"}
