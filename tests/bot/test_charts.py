"""The overview's charts: valid, self-contained SVG, and tables with the overview's numbers."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from xml.etree import ElementTree as ET

import pytest

from bot.charts import MAX_CHART_WEEKS, Chart, render_charts
from bot.overview import Overview, OverviewRow, compute_overview
from dialogs.models import Outcome
from knowledge.loader import Knowledge
from knowledge.triage import Advisor
from tests.bot.triages import DESCRIPTIONS, advice

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
IDS = ["risk-per-week", "instruments", "values", "signals-per-week", "key-figures"]


class Tables(HTMLParser):
    """Reads a table back: caption, header cells with their scope, and rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.caption = ""
        self.scopes: list[str | None] = []
        self.rows: list[list[str]] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        if tag == "th":
            self.scopes.append(dict(attrs).get("scope"))
        if tag in ("caption", "th", "td"):
            self._in = tag
            if tag != "caption":
                self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "caption":
            self.caption += data
        elif self._in in ("th", "td"):
            self.rows[-1][-1] += data


def read_table(chart: Chart) -> Tables:
    p = Tables()
    p.feed(chart.table_html)
    return p


@pytest.fixture(scope="module")
def outcomes(advisor: Advisor) -> list[Outcome]:
    return [
        advice(advisor, d, T0, conversation=k, lang="en" if k == "chatbot" else "nl")
        for k, d in DESCRIPTIONS.items()
    ]


@pytest.fixture(scope="module")
def overview(outcomes: list[Outcome], knowledge: Knowledge) -> Overview:
    rows = []
    for i in range(60):
        o = outcomes[i % len(outcomes)]
        at = T0 + timedelta(hours=29 * i)
        rows.append(
            OverviewRow(
                created_at=at.isoformat(),
                risk=o.risk if i % 7 else "laag",
                status="afgerond" if i % 4 == 0 else "nieuw",
                handed_over=i % 5 == 0,
                reviewed_at=(at + timedelta(minutes=45 * i)).isoformat() if i % 2 else None,
                outcome=o,
            )
        )
    return compute_overview(rows, "nl", knowledge=knowledge)


def assert_self_contained_svg(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "<script" not in svg.lower()
    for el in root.iter():
        for name, value in el.attrib.items():
            if name.rsplit("}", 1)[-1] == "href":
                assert value.startswith("#"), (name, value)
            assert not name.startswith("on"), name  # no event handlers
    # The only URLs are the namespace itself and references inside the document.
    assert set(re.findall(r"https?://[^\"' )]+", svg)) <= {"http://www.w3.org/2000/svg"}
    assert all(u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", svg))
    assert "@import" not in svg
    return root


def test_every_chart_is_valid_svg_without_scripts_or_outside_references(
    overview: Overview,
) -> None:
    charts = render_charts(overview, "nl")
    assert [c.id for c in charts] == IDS
    for c in charts:
        root = assert_self_contained_svg(c.svg)
        assert root.get("width") and root.get("viewBox"), c.id  # a size for <img>
        assert c.title in "".join(root.itertext()), c.id


def test_tables_hold_the_overviews_numbers(overview: Overview) -> None:
    charts = {c.id: c for c in render_charts(overview, "nl")}
    for c in charts.values():
        t = read_table(c)
        assert t.caption == c.title
        assert t.scopes and set(t.scopes) <= {"col", "row"}
    risk = read_table(charts["risk-per-week"])
    assert risk.rows[0] == ["Week", "laag", "midden", "hoog", "Totaal"]
    body = risk.rows[1:-1]
    assert [r[0] for r in body] == list(overview.weeks)
    for i, r in enumerate(body):
        cells = [int(x) for x in r[1:]]
        assert cells[:3] == [s.values[i] for s in overview.risk_by_week]
        assert cells[3] == sum(cells[:3])
    assert risk.rows[-1][0] == "Totaal"
    assert int(risk.rows[-1][-1]) == overview.total  # every row has a known risk here
    signals = read_table(charts["signals-per-week"])
    for i, r in enumerate(signals.rows[1:-1]):
        assert [int(x) for x in r[1:-1]] == [s.values[i] for s in overview.signals_by_week]
    instruments = read_table(charts["instruments"])
    assert [(r[0], int(r[1])) for r in instruments.rows[1:]] == [
        (c.label, c.count) for c in overview.instruments
    ]
    values = read_table(charts["values"])
    assert [(r[0], int(r[1]), int(r[2])) for r in values.rows[1:]] == [
        (v.label, v.concern, v.raised) for v in overview.values
    ]
    key = {r[0]: r[1] for r in read_table(charts["key-figures"]).rows[1:]}
    assert int(key["Triages"]) == overview.total == 60
    assert int(key["Beoordeeld"]) == overview.reviewed == 30
    assert overview.median_review_hours is not None
    assert float(key["Mediane tijd tot beoordeling (uur)"].replace(",", ".")) == (
        overview.median_review_hours
    )
    assert int(key["Open overdrachten"]) == overview.open_handovers


def test_numbers_are_printed_in_the_charts(overview: Overview) -> None:
    charts = {c.id: c for c in render_charts(overview, "nl")}
    texts = set(ET.fromstring(charts["instruments"].svg).itertext())
    assert {str(c.count) for c in overview.instruments} <= texts
    texts = set(ET.fromstring(charts["signals-per-week"].svg).itertext())
    dpia = next(s for s in overview.signals_by_week if s.key == "dpia")
    assert {str(v) for v in dpia.values if v} <= texts


def test_text_from_outcomes_is_escaped(outcomes: list[Outcome]) -> None:
    o = outcomes[0]
    hostile = dict(o.instruments[0], id="x-evil", name='<img src=x onerror="alert(1)">&')
    evil = o.model_copy(update={"instruments": [hostile]})
    row = OverviewRow(T0.isoformat(), "hoog", "nieuw", False, None, evil)
    charts = {c.id: c for c in render_charts(compute_overview([row], "nl"), "nl")}
    c = charts["instruments"]
    assert "<img" not in c.table_html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;" in (
        c.table_html
    )
    root = assert_self_contained_svg(c.svg)
    assert hostile["name"] in "".join(root.itertext())  # shown as text, not markup
    assert not [el for el in root.iter() if el.tag.endswith("img")]


def test_an_empty_overview_says_so(knowledge: Knowledge) -> None:
    for lang, message in (("nl", "Nog geen triages"), ("en", "No triages yet")):
        charts = render_charts(compute_overview([], lang), lang)
        assert [c.id for c in charts] == IDS
        for c in charts:
            root = assert_self_contained_svg(c.svg)
            assert message in "".join(root.itertext()), c.id
            if c.id != "key-figures":
                assert message in read_table(c).rows[-1], c.id


def test_english_titles_and_labels(overview: Overview, outcomes: list[Outcome]) -> None:
    rows = [OverviewRow(T0.isoformat(), o.risk, "nieuw", False, None, o) for o in outcomes]
    charts = {c.id: c for c in render_charts(compute_overview(rows, "en"), "en")}
    assert charts["risk-per-week"].title == "Triages per week by risk"
    assert read_table(charts["risk-per-week"]).rows[0] == ["Week", "low", "medium", "high", "Total"]
    assert "Median time to review (hours)" in charts["key-figures"].table_html


def test_long_periods_chart_the_recent_weeks_and_table_all(outcomes: list[Outcome]) -> None:
    rows = [
        OverviewRow((T0 + timedelta(weeks=w)).isoformat(), "midden", "nieuw", False, None, o)
        for w in range(30)
        for o in outcomes[:2]
    ]
    ov = compute_overview(rows, "nl")
    charts = {c.id: c for c in render_charts(ov, "nl")}
    svg_text = " ".join(ET.fromstring(charts["risk-per-week"].svg).itertext())
    assert f"laatste {MAX_CHART_WEEKS} weken" in svg_text
    assert ov.weeks[0] not in svg_text and ov.weeks[-MAX_CHART_WEEKS] in svg_text
    assert len(read_table(charts["risk-per-week"]).rows) == 30 + 2  # header, 30 weeks, total
