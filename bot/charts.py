"""The overview's charts: SVG drawn on the server with pygal, and each chart's numbers as a table.

Why pygal: pure Python, well kept, and its SVG stands on its own (styles inline, no fonts or
scripts from elsewhere). Two things are switched off because the workspace's CSP forbids them:

* pygal's tooltip script from a CDN (``js=[]``), and the small inline ``<script>`` with its
  configuration that pygal writes even without it (removed from the rendered tree). The charts
  need no script: values are printed on the bars.
* nothing refers outside the document: patterns are ``<defs>`` in the same SVG.

Serve :attr:`Chart.svg` as ``image/svg+xml`` (with ``Content-Security-Policy: default-src
'none'; style-src 'unsafe-inline'``) or as an ``<img>``; not inline in a page whose CSP has no
``'unsafe-inline'`` for styles, because the SVG carries its own ``<style>``.

Colour is never the only cue: the risk levels and the two value series also differ by pattern
(plain, stripes, dots), the signals are rows named on the axis, and every bar carries its
number. :attr:`Chart.table_html` has the same numbers for screen readers and for copying.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

import pygal
from pygal.style import Style

from bot.overview import Overview, Series, label
from knowledge.schema import Lang

SVG_NS = "http://www.w3.org/2000/svg"

_T: dict[str, tuple[str, str]] = {
    "empty": ("Nog geen triages", "No triages yet"),
    "risk_title": ("Triages per week naar risico", "Triages per week by risk"),
    "instr_title": ("Aanbevolen instrumenten", "Instruments recommended"),
    "values_title": ("Waarden die het vaakst op het spel staan", "Values most often at stake"),
    "signals_title": ("Mag-het-signalen per week", "Mag-het signals per week"),
    "key_title": ("Kerncijfers", "Key figures"),
    "week": ("Week", "Week"),
    "recent": ("laatste {n} weken", "last {n} weeks"),
    "total": ("Totaal", "Total"),
    "instrument": ("Instrument", "Instrument"),
    "count": ("Aantal triages", "Number of triages"),
    "value": ("Waarde", "Value"),
    "concern": ("Als zorg genoemd", "Named as a concern"),
    "raised": ("Door de triage genoemd", "Raised by the triage"),
    "signal": ("Signaal", "Signal"),
    "figure": ("Kerncijfer", "Figure"),
    "triages": ("Triages", "Triages"),
    "reviewed": ("Beoordeeld", "Reviewed"),
    "median": ("Mediane tijd tot beoordeling (uur)", "Median time to review (hours)"),
    "not_reviewed": ("nog niets beoordeeld", "nothing reviewed yet"),
    "handed_over": ("Overgedragen", "Handed over"),
    "open": ("Open overdrachten", "Open hand-overs"),
}

# Dark fills: white numbers on them reach at least 4.5:1; the pattern marks tell them apart
# without colour (plain, diagonal stripes, dots).
_PATTERNS: dict[str, tuple[str, str, str]] = {
    # id: (base colour, mark colour, mark shape)
    "pat-plain": ("#1e6b35", "#1e6b35", ""),
    "pat-stripes": ("#8f4a00", "#4d2800", "stripes"),
    "pat-dots": ("#a31b1b", "#4f0b0b", "dots"),
    "pat-plain-blue": ("#1f4e79", "#1f4e79", ""),
    "pat-stripes-teal": ("#0f5e5e", "#022f2f", "stripes"),
}
_TEXT = "#1f2328"  # on white: 15:1
_SUBTLE = "#4b535c"  # on white: 7.6:1
_TOP_VALUES = 8
# Past this many weeks the numbers no longer fit beside each other: the charts show the most
# recent weeks (and say so in the title); the tables keep every week.
MAX_CHART_WEEKS = 16


def t(key: str, lang: Lang) -> str:
    """A chart text in ``lang``."""
    return label(_T[key], lang)


@dataclass(frozen=True)
class Chart:
    """One chart of the overview: ``svg`` (a complete document) and its numbers as a table."""

    id: str
    title: str
    svg: str
    table_html: str


# -- numbers -----------------------------------------------------------------------------------


def format_number(value: float | int | None, lang: Lang) -> str:
    """A number as the tables show it: ``5,25`` in Dutch, ``5.25`` in English, ``-`` for None."""
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "nl" else text


# -- SVG -----------------------------------------------------------------------------------------


def _pattern_defs() -> list[str]:
    out = []
    for pid, (base, mark, shape) in _PATTERNS.items():
        if shape == "stripes":
            marks = (
                f'<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="{mark}" stroke-width="2"/>'
            )
        elif shape == "dots":
            marks = f'<circle cx="4" cy="4" r="1.6" fill="{mark}"/>'
        else:
            marks = ""
        out.append(
            f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{base}"/>{marks}</pattern>'
        )
    return out


def _strip_scripts(root: Any) -> Any:
    """Remove every ``<script>``: pygal writes its configuration as one even with ``js=[]``."""
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    return root


def _style(colors: Sequence[str], value_colors: Sequence[str]) -> Style:
    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground=_TEXT,
        foreground_strong=_TEXT,
        foreground_subtle="#d0d7de",  # grid lines only
        guide_stroke_color="#8c959f",
        major_guide_stroke_color="#8c959f",
        opacity="1",
        opacity_hover="1",
        colors=tuple(colors),
        value_colors=tuple(value_colors),
        font_family="DejaVu Sans, Arial, Helvetica, sans-serif",
        title_font_size=18,
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=14,
        value_font_size=13,
        no_data_font_size=24,
    )


def _config(lang: Lang, title: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": title,
        "js": [],  # never pygal's tooltip script from a CDN
        "defs": _pattern_defs(),
        "no_data_text": t("empty", lang),
        "explicit_size": True,
        "width": 860,
        "height": 440,
        "legend_at_bottom": True,
        "print_values": True,
        "truncate_label": -1,
        "truncate_legend": -1,
        "disable_xml_declaration": True,
        "tooltip_fancy_mode": False,
        **extra,
    }


def _week_labels(chart: Any, weeks: Sequence[str]) -> None:
    # "2025-W16", "W17", ...: the year only on the first week and where a new one starts.
    labels, year = [], ""
    for week in weeks:
        y, _, w = week.partition("-")
        labels.append(week if y != year else w)
        year = y
    chart.x_labels = labels
    if len(weeks) > 8:
        chart.x_label_rotation = 45


def _render(chart: Any, values_after_bar: bool = False) -> str:
    svg: str = chart.render(is_unicode=True)
    # Parsed once more: the script goes, and ElementTree drops pygal's comments (with the date).
    root = _strip_scripts(ET.fromstring(svg))
    if values_after_bar:
        # pygal centres a horizontal bar's number on its end; put it just after the end instead.
        for text in root.iter(f"{{{SVG_NS}}}text"):
            if "value" in (text.get("class") or "").split() and text.get("x"):
                text.set("x", f"{float(text.get('x') or 0) + 6:.1f}")
                text.set("text-anchor", "start")
    ET.register_namespace("", SVG_NS)
    return ET.tostring(root, encoding="unicode")


def _nonzero(values: Sequence[int]) -> list[int | None]:
    # None, not 0: an empty segment is drawn as nothing and gets no "0" printed on it.
    return [v or None for v in values]


def _formatter(threshold: float) -> Callable[[Any], str]:
    """Print a value on its bar only when the bar is tall enough to hold the number."""

    def fmt(v: Any) -> str:
        return "" if v is None or v < threshold else str(int(v))

    return fmt


def _recent(
    ov: Overview, series: Sequence[Series], title: str, lang: Lang
) -> tuple[list[str], list[Series], str]:
    """The last :data:`MAX_CHART_WEEKS` weeks of ``series``, and the title saying so."""
    if len(ov.weeks) <= MAX_CHART_WEEKS:
        return list(ov.weeks), list(series), title
    cut = len(ov.weeks) - MAX_CHART_WEEKS
    recent = [Series(x.key, x.label, x.values[cut:]) for x in series]
    return list(ov.weeks[cut:]), recent, f"{title} ({t('recent', lang).format(n=MAX_CHART_WEEKS)})"


def _risk_svg(ov: Overview, lang: Lang) -> str:
    patterns = ("url(#pat-plain)", "url(#pat-stripes)", "url(#pat-dots)")
    weeks, series, title = _recent(ov, ov.risk_by_week, t("risk_title", lang), lang)
    chart = pygal.StackedBar(
        style=_style(patterns, ("#ffffff",) * 3),
        **_config(lang, title, y_title=t("count", lang)),
    )
    _week_labels(chart, weeks)
    columns = zip(*(s.values for s in series), strict=True)
    tallest = max((sum(col) for col in columns), default=0)
    for s in series:
        chart.add(s.label, _nonzero(s.values), formatter=_formatter(tallest * 0.06))
    return _render(chart)


def _room_for_numbers(counts: Iterable[int]) -> tuple[int, int] | None:
    """An axis a little longer than the longest bar, so the number after it fits."""
    top = max(counts, default=0)
    return (0, top + max(1, -(-top // 8))) if top else None


def _instruments_svg(ov: Overview, lang: Lang) -> str:
    chart = pygal.HorizontalBar(
        style=_style(("url(#pat-plain-blue)",), (_TEXT,)),
        **_config(
            lang,
            t("instr_title", lang),
            show_legend=False,
            print_values_position="top",
            height=max(220, 90 + 46 * len(ov.instruments)),
            range=_room_for_numbers(c.count for c in ov.instruments),
        ),
    )
    items = list(reversed(ov.instruments))  # pygal draws the first label at the bottom
    chart.x_labels = [c.label for c in items]
    chart.add(t("count", lang), [c.count for c in items])
    return _render(chart, values_after_bar=True)


def _values_svg(ov: Overview, lang: Lang) -> str:
    chart = pygal.HorizontalBar(
        style=_style(("url(#pat-plain-blue)", "url(#pat-stripes-teal)"), (_TEXT, _TEXT)),
        **_config(
            lang,
            t("values_title", lang),
            print_values_position="top",
            height=max(260, 130 + 58 * min(len(ov.values), _TOP_VALUES)),
            range=_room_for_numbers(
                n for v in ov.values[:_TOP_VALUES] for n in (v.concern, v.raised)
            ),
        ),
    )
    items = list(reversed(ov.values[:_TOP_VALUES]))
    chart.x_labels = [v.label for v in items]
    chart.add(t("concern", lang), [v.concern or None for v in items])
    chart.add(t("raised", lang), [v.raised or None for v in items])
    return _render(chart, values_after_bar=True)


def _signals_svg(ov: Overview, lang: Lang) -> str:
    # A dot per week and signal, its size the count: each signal is a row named on the axis, so
    # no colour has to be told apart.
    weeks, rows, title = _recent(ov, ov.signals_by_week, t("signals_title", lang), lang)
    chart = pygal.Dot(
        style=_style(("#c6dbef",) * len(rows), (_TEXT,) * len(rows)),
        **_config(lang, title, show_legend=False, print_values=False),
    )
    _week_labels(chart, weeks)
    for s in rows:
        chart.add(s.label, _nonzero(s.values))
    return _dot_values(_render(chart))


def _dot_values(svg: str) -> str:
    """Write each dot's number beside it: pygal's Dot chart shows the size, not the count."""
    root = ET.fromstring(svg)
    ns = {"s": SVG_NS}
    for g in root.iterfind(".//s:g[@class]", ns):
        if "dots" not in (g.get("class") or "").split():
            continue
        descs = {(d.get("class") or "").split(" ")[0]: d.text for d in g.iterfind("s:desc", ns)}
        value, x, y = descs.get("value"), descs.get("x"), descs.get("y")
        if not value or x is None or y is None:
            continue
        for circle in g.iterfind("s:circle", ns):
            # A light dot with a dark edge: the edge stands out from the white (3:1 and more),
            # the dark number on the light dot reads easily.
            circle.set("style", "stroke:#1f4e79;stroke-width:1.5")
        # Centred on the dot, dark with a white halo: readable on the dot and beside it.
        text = ET.SubElement(
            g,
            f"{{{SVG_NS}}}text",
            {
                "x": f"{float(x):.1f}",
                "y": f"{float(y) + 5:.1f}",
                "text-anchor": "middle",
                "fill": _TEXT,
                "stroke": "#ffffff",
                "stroke-width": "3",
                "paint-order": "stroke",
                "font-size": "14",
                "font-weight": "bold",
                "font-family": "DejaVu Sans, Arial, sans-serif",
            },
        )
        text.text = value
    return ET.tostring(root, encoding="unicode")


def _message_svg(title: str, message: str) -> str:
    """A chart-sized SVG with only a title and a message: for a chart with nothing to show."""
    w, h = 860, 200
    font = "DejaVu Sans, Arial, Helvetica, sans-serif"
    svg = ET.Element(
        f"{{{SVG_NS}}}svg",
        {"viewBox": f"0 0 {w} {h}", "width": str(w), "height": str(h), "role": "img"},
    )
    ET.SubElement(svg, f"{{{SVG_NS}}}title").text = f"{title}: {message}"
    ET.SubElement(svg, f"{{{SVG_NS}}}rect", {"width": str(w), "height": str(h), "fill": "#fff"})
    for y, size, text in (("34", "18", title), ("120", "24", message)):
        ET.SubElement(
            svg,
            f"{{{SVG_NS}}}text",
            {
                "x": str(w // 2),
                "y": y,
                "text-anchor": "middle",
                "font-size": size,
                "fill": _TEXT,
                "font-family": font,
            },
        ).text = text
    ET.register_namespace("", SVG_NS)
    return ET.tostring(svg, encoding="unicode")


def _key_svg(ov: Overview, lang: Lang) -> str:
    """Four big numbers: no library needed for boxes with text (built with ElementTree)."""
    figures = _key_figures(ov, lang)
    w, h = 860, 200
    svg = ET.Element(
        f"{{{SVG_NS}}}svg",
        {"viewBox": f"0 0 {w} {h}", "width": str(w), "height": str(h), "role": "img"},
    )
    ET.SubElement(svg, f"{{{SVG_NS}}}title").text = t("key_title", lang)
    ET.SubElement(svg, f"{{{SVG_NS}}}rect", {"width": str(w), "height": str(h), "fill": "#fff"})
    font = "DejaVu Sans, Arial, Helvetica, sans-serif"
    ET.SubElement(
        svg,
        f"{{{SVG_NS}}}text",
        {"x": "20", "y": "34", "font-size": "18", "fill": _TEXT, "font-family": font},
    ).text = t("key_title", lang)
    box = (w - 20 * 5) / 4
    for n, (name, value) in enumerate(figures):
        x = 20 + n * (box + 20)
        ET.SubElement(
            svg,
            f"{{{SVG_NS}}}rect",
            {
                "x": f"{x:.0f}",
                "y": "54",
                "width": f"{box:.0f}",
                "height": "126",
                "rx": "6",
                "fill": "#f6f8fa",
                "stroke": "#57606a",
            },
        )
        ET.SubElement(
            svg,
            f"{{{SVG_NS}}}text",
            {
                "x": f"{x + 14:.0f}",
                "y": "112",
                "font-size": "34",
                "font-weight": "bold",
                "fill": _TEXT,
                "font-family": font,
            },
        ).text = value
        words = name.split()
        first, second = _two_lines(words, 22)
        for i, line in enumerate((first, second)):
            ET.SubElement(
                svg,
                f"{{{SVG_NS}}}text",
                {
                    "x": f"{x + 14:.0f}",
                    "y": f"{140 + 18 * i}",
                    "font-size": "14",
                    "fill": _SUBTLE,
                    "font-family": font,
                },
            ).text = line
    ET.register_namespace("", SVG_NS)
    return ET.tostring(svg, encoding="unicode")


def _two_lines(words: list[str], width: int) -> tuple[str, str]:
    first: list[str] = []
    while words and len(" ".join([*first, words[0]])) <= width:
        first.append(words.pop(0))
    return " ".join(first), " ".join(words)


def _key_figures(ov: Overview, lang: Lang) -> list[tuple[str, str]]:
    median = (
        format_number(ov.median_review_hours, lang) if ov.median_review_hours is not None else "-"
    )
    return [
        (t("triages", lang), str(ov.total)),
        (t("reviewed", lang), str(ov.reviewed)),
        (t("median", lang), median),
        (t("open", lang), str(ov.open_handovers)),
    ]


# -- tables --------------------------------------------------------------------------------------


def _table(
    caption: str,
    head: Sequence[str],
    rows: Sequence[tuple[str, Sequence[str]]],
    foot: tuple[str, Sequence[str]] | None,
    lang: Lang,
) -> str:
    e = html.escape
    out = [f"<table><caption>{e(caption)}</caption><thead><tr>"]
    out += [f'<th scope="col">{e(h)}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    if not rows:
        out.append(f'<tr><td colspan="{len(head)}">{e(t("empty", lang))}</td></tr>')
    for name, cells in rows:
        out.append(f'<tr><th scope="row">{e(name)}</th>')
        out += [f"<td>{e(c)}</td>" for c in cells]
        out.append("</tr>")
    out.append("</tbody>")
    if foot is not None and rows:
        name, cells = foot
        out.append(f'<tfoot><tr><th scope="row">{e(name)}</th>')
        out += [f"<td>{e(c)}</td>" for c in cells]
        out.append("</tr></tfoot>")
    out.append("</table>")
    return "".join(out)


def _weeks_table(caption: str, series: Sequence[Series], ov: Overview, lang: Lang) -> str:
    head = [t("week", lang), *(s.label for s in series), t("total", lang)]
    rows = []
    for i, week in enumerate(ov.weeks):
        cells = [s.values[i] for s in series]
        rows.append((week, [*map(str, cells), str(sum(cells))]))
    totals = [s.total for s in series]
    return _table(
        caption, head, rows, (t("total", lang), [*map(str, totals), str(sum(totals))]), lang
    )


def render_charts(ov: Overview, lang: Lang) -> list[Chart]:
    """The overview's charts in page order; each has its SVG and its table.

    An empty overview gives the same charts, each saying "Nog geen triages" / "No triages yet".
    """
    risk_title = t("risk_title", lang)
    instr_title = t("instr_title", lang)
    values_title = t("values_title", lang)
    signals_title = t("signals_title", lang)
    key_title = t("key_title", lang)
    instruments_table = _table(
        instr_title,
        [t("instrument", lang), t("count", lang)],
        [(c.label, [str(c.count)]) for c in ov.instruments],
        None,
        lang,
    )
    values_table = _table(
        values_title,
        [t("value", lang), t("concern", lang), t("raised", lang)],
        [(v.label, [str(v.concern), str(v.raised)]) for v in ov.values],
        None,
        lang,
    )
    key_table = _table(
        key_title,
        [t("figure", lang), t("value", lang)],
        [
            *((name, [value]) for name, value in _key_figures(ov, lang)),
            (t("handed_over", lang), [str(ov.handed_over)]),
        ],
        None,
        lang,
    )
    empty = t("empty", lang)

    def svg(draw: Callable[[Overview, Lang], str], title: str, has_data: bool) -> str:
        return draw(ov, lang) if has_data else _message_svg(title, empty)

    return [
        Chart(
            "risk-per-week",
            risk_title,
            svg(_risk_svg, risk_title, bool(ov.weeks)),
            _weeks_table(risk_title, ov.risk_by_week, ov, lang),
        ),
        Chart(
            "instruments",
            instr_title,
            svg(_instruments_svg, instr_title, bool(ov.instruments)),
            instruments_table,
        ),
        Chart(
            "values", values_title, svg(_values_svg, values_title, bool(ov.values)), values_table
        ),
        Chart(
            "signals-per-week",
            signals_title,
            svg(_signals_svg, signals_title, bool(ov.weeks)),
            _weeks_table(signals_title, ov.signals_by_week, ov, lang),
        ),
        Chart("key-figures", key_title, svg(_key_svg, key_title, not ov.empty), key_table),
    ]
