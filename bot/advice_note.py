"""The advice note: a logged triage outcome as a PDF, a printable HTML page, or Markdown.

Every format is made from the same parts, in this order: kenmerk, date, the question and its
purpose; the verdict box (per drietrap step the verdict in words with a colour and a drawn
shape, the risk explained, the first next step, what the colours mean); why, per step; the values
with the person's answers and notes; the Mag-het signals with their legal references and whom to
ask; lessons from cases; the instrument and what it takes; contacts; next steps; the ethics
advisor's judgement where there is one; and a footer on privacy and on this being advice, not a
legal verdict. The wording comes from :mod:`dialogs.texts`, so the note says what the chat says.

:func:`note_model` builds those parts as plain strings (no markup: everything is literal text);
the HTML page escapes each string, and the PDF is typeset by Typst from the model passed as JSON
through ``sys.inputs``, shown in the template as strings only, so nothing a person typed can
become markup. Typst embeds its own fonts and the system's are ignored, so the PDF comes out the
same on every machine. ``md`` is today's Markdown report (:func:`dialogs.render.render_report`).

Everything here is a pure function of its arguments (the store is only read), so the web chat,
Slack and Teams can call it for a download.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable
from typing import Any, Literal

from bot.storage import Store
from dialogs.markdown import escape, to_plain
from dialogs.models import Correction, Outcome, Review
from dialogs.render import (
    SIGNAL_TEXTS,
    answer_group,
    local_time,
    next_steps,
    render_report,
    step_title,
)
from dialogs.texts import pick, t
from knowledge.loader import Knowledge
from knowledge.quickscan import cite
from knowledge.schema import Lang
from knowledge.text import placeholders_for

Format = Literal["md", "html", "pdf"]
FORMATS: tuple[Format, ...] = ("md", "html", "pdf")
MEDIA_TYPES: dict[Format, str] = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}
VERDICTS = ("groen", "oranje", "rood", "onbekend")
# A risk level shown with the colour and shape of the verdict it resembles.
_RISK_SHAPE = {"laag": "groen", "midden": "oranje", "hoog": "rood"}
_STEP_ORDER = ("willen", "values", "mag", "kan", "org")
_FIELD_ORDER = ("verdict-willen", "verdict-mag", "verdict-kan", "risk", "instrument")
_ITEMS = "\x00"  # where a text's list of items goes (see _head)
# Bidirectional embeddings, overrides and isolates: typed, they could make a printed line read
# other than it was written (the characters themselves stay; only these controls go).
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _plain(key: str, lang: Lang, **kwargs: object) -> str:
    """Text ``key`` as plain text; the arguments (which may hold typed text) stay literal."""
    return to_plain(t(key, lang, **{k: escape(str(v)) for k, v in kwargs.items()}))


def _head(key: str, lang: Lang, **kwargs: object) -> str:
    """The part of a ``...: {items}`` text before its items, capitalised ("DPIA-criteria (3)")."""
    text = _plain(key, lang, items=_ITEMS, **kwargs).split(_ITEMS)[0].rstrip(": ")
    return text[:1].upper() + text[1:]


def _item(lead: str = "", text: str = "", sub: Iterable[str] = ()) -> dict[str, Any]:
    return {"lead": lead, "text": text, "sub": [s for s in sub if s]}


def _ref(label: str, ref: str | None, lang: Lang) -> str:
    """A finding with its legal reference in the reader's language."""
    return f"{label} ({cite(ref, lang)})" if ref else label


# -- the model ----------------------------------------------------------------------------------


def note_model(
    o: Outcome,
    review: Review | None = None,
    *,
    instrument_names: dict[str, str] | None = None,
    outcome_days: int | None = None,
) -> dict[str, Any]:
    """The note's parts as plain strings in the outcome's language, JSON-ready.

    ``review`` adds the ethics advisor's corrections and messages; ``instrument_names`` names a
    revised instrument by id; ``outcome_days`` is how long outcomes are kept (the footer says it,
    or refers to the retention policy without it).
    """
    lang = o.lang
    revised = review.current() if review else {}
    names = instrument_names or {}
    meta = [
        {"label": pick(lang, "Kenmerk", "Reference"), "value": o.id},
        {"label": pick(lang, "Datum", "Date"), "value": local_time(o.created_at)},
    ]
    sections = [
        s
        for s in (
            _why(o),
            _values(o),
            _law(o),
            _organisation(o),
            _cases(o),
            _instrument(o, revised.get("instrument"), names),
            _contacts(o),
            _next(o, revised, names),
            _advisor(o, review, names),
        )
        if s is not None
    ]
    model: dict[str, Any] = _clean(
        {
            "lang": lang,
            "id": o.id,
            "title": pick(lang, "Adviesnotitie digitale ethiek", "Digital ethics advice note"),
            "subtitle": pick(
                lang, "Ethiekbot: uitkomst van de triage", "Ethiekbot: triage outcome"
            ),
            "meta": meta,
            "question": {
                "label": pick(lang, "Vraag", "Question"),
                "text": placeholders_for(o.description, lang),
            },
            "purpose": (
                {"label": pick(lang, "Doel", "Purpose"), "text": o.purpose} if o.purpose else None
            ),
            "card": _card(o, revised, names),
            "sections": sections,
            "footer": _footer(lang, outcome_days),
            "labels": {
                "page": pick(lang, "pagina", "page"),
                "of": pick(lang, "van", "of"),
                "question": pick(lang, "Vraag", "Question"),
                "answer": pick(lang, "Antwoord", "Answer"),
                "note": pick(lang, "Toelichting", "Note"),
            },
        }
    )
    return model


def _clean(value: Any) -> Any:
    """``value`` with the bidirectional controls taken out of every string in it."""
    if isinstance(value, str):
        return _BIDI.sub("", value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _card(o: Outcome, revised: dict[str, Correction], names: dict[str, str]) -> dict[str, Any]:
    lang = o.lang
    steps = []
    for v in o.verdicts:
        fix = revised.get(f"verdict-{v.step}")
        steps.append(
            {
                "step": v.step,
                "title": step_title(v.step, lang),
                "verdict": v.verdict,
                "label": t(f"verdict_{v.verdict}", lang),
                "reason": v.reasons[0] if v.reasons else "",
                "revised": _revised(fix, t(f"verdict_{fix.revised}", lang), lang, fix.revised)
                if fix
                else None,
            }
        )
    steps_now = next_steps(o, revised, names)
    fix = revised.get("risk")
    # The chat's legend, "groen: geen bezwaar gezien · oranje: ...", one entry per colour.
    parts = [p.partition(": ") for p in to_plain(t("legend", lang)).split(" · ")]
    if len(parts) != len(VERDICTS):  # worded otherwise: the colours' names at least
        parts = [(t(f"verdict_{v}", lang), "", "") for v in VERDICTS]
    legend = [
        {"verdict": v, "label": word, "meaning": meaning}
        for v, (word, _, meaning) in zip(VERDICTS, parts, strict=True)
    ]
    return {
        "title": to_plain(t("outcome_title", lang)),
        "steps_title": t("step_verdicts", lang),
        # An organisation question has no verdicts of its own (as in the chat's card).
        "show_steps": not (o.organisation and all(v.verdict == "onbekend" for v in o.verdicts)),
        "steps": steps,
        "risk": {
            "title": t("risk_card", lang),
            "level": o.risk,
            "shape": _RISK_SHAPE.get(o.risk, "onbekend"),
            "label": t("risk_" + o.risk, lang),
            "explain": t("risk_explain_" + o.risk, lang),
            "revised": _revised(
                fix, t("risk_" + fix.revised, lang), lang, _RISK_SHAPE.get(fix.revised, "onbekend")
            )
            if fix
            else None,
        },
        "first_step": (
            {"title": t("first_step", lang), "text": steps_now[0]} if steps_now else None
        ),
        "legend_title": pick(lang, "Wat de kleuren betekenen", "What the colours mean"),
        "legend": legend,
    }


def _revised(c: Correction, value: str, lang: Lang, shape: str) -> dict[str, str]:
    return {
        "shape": shape,
        "label": value,
        "text": _plain(
            "revised_by_advisor", lang, date=f"{c.at:%Y-%m-%d}", value=value, reason=c.reason
        ),
    }


def _section(key: str, title: str, blocks: list[dict[str, Any]]) -> dict[str, Any] | None:
    return {"id": key, "title": title, "blocks": blocks} if blocks else None


def _why(o: Outcome) -> dict[str, Any] | None:
    blocks: list[dict[str, Any]] = []
    for v in o.verdicts:
        if v.reasons:
            blocks.append({"kind": "heading", "text": step_title(v.step, o.lang)})
            blocks.append(
                {"kind": "items", "numbered": False, "items": [_item(text=r) for r in v.reasons]}
            )
    return _section("why", t("section_why", o.lang), blocks)


def _values(o: Outcome) -> dict[str, Any] | None:
    lang = o.lang
    blocks: list[dict[str, Any]] = []
    if o.desirable or o.undesirable:
        blocks.append(
            {
                "kind": "columns",
                "columns": [
                    {
                        "title": t("desirable", lang),
                        "items": [_item(d.name, d.because) for d in o.desirable],
                    },
                    {
                        "title": t("undesirable", lang),
                        "items": [_item(u.name, u.because) for u in o.undesirable],
                    },
                ],
            }
        )
    if o.tensions:
        blocks.append({"kind": "heading", "text": t("tensions", lang)})
        blocks.append(
            {"kind": "items", "numbered": False, "items": [_item(text=x) for x in o.tensions]}
        )
    if o.answered:
        groups: dict[str, list[dict[str, Any]]] = {}
        for a in o.answered:
            groups.setdefault(str(a["step"]), []).append(
                {
                    "question": str(a["question"]),
                    "answer": str(a["answer"]),
                    "note": placeholders_for(str(a.get("note") or ""), lang),
                    "derived": t("derived_answer", lang) if a.get("derived") else "",
                }
            )
        order = sorted(groups, key=lambda s: _STEP_ORDER.index(s) if s in _STEP_ORDER else 99)
        blocks.append({"kind": "heading", "text": t("your_answers", lang)})
        blocks.append(
            {
                "kind": "answers",
                "groups": [{"title": answer_group(s, lang), "rows": groups[s]} for s in order],
            }
        )
    return _section("values", t("section_values", lang), blocks)


def _law(o: Outcome) -> dict[str, Any] | None:
    lang = o.lang
    mh = o.mag_het
    items: list[dict[str, Any]] = []
    pd = mh.get("personal_data") or {}
    if pd.get("signal"):
        items.append(_item(_head("pd_signal", lang), ", ".join(pd.get("because", [])[:4])))
    dpia = mh.get("dpia") or {}
    if dpia.get("criteria"):
        items.append(
            _item(
                _head("dpia_count", lang, n=dpia.get("count", len(dpia["criteria"]))),
                t("dpia_likely", lang) if dpia.get("likely_required") else "",
                [_ref(c["label"], c.get("ref"), lang) for c in dpia["criteria"]],
            )
        )
    if dpia.get("required") and dpia.get("required_by"):
        items.append(
            _item(
                _head("dpia_required", lang),
                "",
                [_ref(c["label"], c.get("ref"), lang) for c in dpia["required_by"]],
            )
        )
    ai = mh.get("ai_act") or {}
    if (ai.get("level") and ai["level"] != "none") or ai.get("findings"):
        sub = []
        for f in ai.get("findings") or []:
            line = _ref(f["label"], f.get("ref"), lang)
            if f.get("meaning"):
                line += f": {f['meaning']}"
            if f.get("applies_from"):
                line += f" ({pick(lang, 'geldt vanaf', 'applies from')} {f['applies_from']})"
            sub.append(line)
        level = t("ai_level_" + ai["level"], lang) if ai.get("level") else ""
        items.append(_item(_head("ai_act", lang), level, dict.fromkeys(sub)))
    for key, text_key in SIGNAL_TEXTS:
        scan = mh.get(key) or {}
        if scan.get("signal"):
            items.append(_item(text=_plain(text_key, lang, items=", ".join(scan["because"][:3]))))
    questions = mh.get("questions") or []
    if questions:
        items.append(
            _item(
                _head("law_open", lang),
                "",
                [
                    _ref(q["about"], q.get("ref"), lang) + (f": {q['ask']}" if q.get("ask") else "")
                    for q in questions
                ],
            )
        )
    if not items:
        items.append(_item(text=t("no_mag", lang)))
    who = ", ".join(a["name"] for a in mh.get("ask") or []) or pick(
        lang, "je FG of een jurist", "your DPO or a lawyer"
    )
    blocks: list[dict[str, Any]] = [
        {"kind": "items", "numbered": False, "items": items},
        {"kind": "note", "text": _plain("mag_note", lang, who=who)},
    ]
    return _section("law", t("section_law", lang), blocks)


def _organisation(o: Outcome) -> dict[str, Any] | None:
    lang = o.lang
    items = []
    for th in o.organisation:
        answer = f" ({t('org_answer_' + th['answer'], lang)})" if th.get("answer") else ""
        advice = [str(a) for a in th.get("advice", [])]
        items.append(
            _item(
                th["title"] + answer,
                advice[0] if advice else "",
                [*advice[1:], th.get("source", "")],
            )
        )
    blocks = [{"kind": "items", "numbered": False, "items": items}] if items else []
    return _section("org", t("org_section", lang), blocks)


def _cases(o: Outcome) -> dict[str, Any] | None:
    lang = o.lang
    items = []
    for c in o.cases:
        about = []
        if c.get("strength", "close") != "close":
            about.append(t("related", lang))
        if c.get("organisation"):
            about.append(str(c["organisation"]))
        items.append(_item(c["title"], c["lesson"], [" · ".join(about)]))
    if not items:
        items.append(_item(text=t("no_cases", lang)))
    return _section(
        "cases", t("section_cases", lang), [{"kind": "items", "numbered": False, "items": items}]
    )


def _instrument(o: Outcome, fix: Correction | None, names: dict[str, str]) -> dict[str, Any] | None:
    lang = o.lang
    blocks: list[dict[str, Any]] = []
    if fix:
        name = names.get(fix.revised, fix.revised)
        blocks.append({"kind": "note", "text": _revised(fix, name, lang, "onbekend")["text"]})
    for i in o.instruments:
        blocks.append({"kind": "heading", "text": i["name"]})
        blocks += [{"kind": "text", "text": w} for w in i.get("why", [])]
        rows = [
            {"label": label, "value": value}
            for label, value in (
                (pick(lang, "Tijd", "Time"), i.get("time")),
                (pick(lang, "Groep", "Group"), i.get("group")),
                (pick(lang, "Voorbereiding", "Preparation"), i.get("preparation")),
                (pick(lang, "Meer informatie", "More information"), i.get("more_info")),
            )
            if value
        ]
        if rows:
            blocks.append({"kind": "pairs", "title": t("preconditions", lang), "rows": rows})
    return _section("instrument", t("instrument", lang), blocks)


def _contacts(o: Outcome) -> dict[str, Any] | None:
    items = [
        _item(
            c["name"] + (f" ({c['person']})" if c.get("person") else ""),
            c.get("ask_when", ""),
            [c.get("email") or ""],
        )
        for c in o.contacts
    ]
    blocks = [{"kind": "items", "numbered": False, "items": items}] if items else []
    return _section("contacts", t("contacts", o.lang), blocks)


def _next(
    o: Outcome, revised: dict[str, Correction], names: dict[str, str]
) -> dict[str, Any] | None:
    items = [_item(text=s) for s in next_steps(o, revised, names)]
    blocks = [{"kind": "items", "numbered": True, "items": items}] if items else []
    return _section("next", t("next_steps", o.lang), blocks)


def _advisor(o: Outcome, review: Review | None, names: dict[str, str]) -> dict[str, Any] | None:
    if review is None:
        return None
    lang = o.lang
    blocks: list[dict[str, Any]] = []
    current = review.current()
    items = []
    for field in _FIELD_ORDER:
        c = current.get(field)
        if c is None:
            continue
        if field == "risk":
            what, before, after = (
                t("risk_card", lang),
                t("risk_" + c.original, lang),
                t("risk_" + c.revised, lang),
            )
        elif field == "instrument":
            what = t("instrument", lang)
            before, after = names.get(c.original, c.original), names.get(c.revised, c.revised)
        else:
            what = step_title(field.removeprefix("verdict-"), lang)
            before, after = t("verdict_" + c.original, lang), t("verdict_" + c.revised, lang)
        earlier = pick(lang, "eerder oordeel van Ethiekbot", "Ethiekbot's earlier judgement")
        items.append(
            _item(
                what, _revised(c, after, lang, "onbekend")["text"], [f"{earlier}: {before or '-'}"]
            )
        )
    if items:
        blocks.append({"kind": "items", "numbered": False, "items": items})
    if review.messages:
        blocks.append({"kind": "heading", "text": t("advisor_messages", lang)})
        blocks.append(
            {
                "kind": "items",
                "numbered": False,
                "items": [
                    _item(f"{t('sender_' + m.sender, lang)}, {local_time(m.at)}", m.text)
                    for m in review.messages
                ],
            }
        )
    title = pick(lang, "Oordeel van de ethiekadviseur", "The ethics advisor's judgement")
    return _section("advisor", title, blocks)


def _footer(lang: Lang, outcome_days: int | None) -> dict[str, str]:
    kept = (
        pick(lang, f"{outcome_days} dagen bewaard", f"kept for {outcome_days} days")
        if outcome_days
        else pick(lang, "bewaard volgens de bewaartermijn", "kept per the retention policy")
    )
    return {
        "privacy_title": "Privacy",
        "privacy": pick(
            lang,
            "Deze notitie komt uit de vastgelegde uitkomst: je beschrijving, antwoorden, "
            "oordelen en adviezen, met een pseudoniem in plaats van je naam. De uitkomst wordt "
            f"{kept} en daarna gewist (langer zolang er een ijkmoment gepland staat). Typ "
            "'wis mijn gegevens' in de chat om hem eerder te wissen, of 'privacy' voor alles wat "
            "Ethiekbot bewaart. Wie deze notitie heeft, kan alles lezen wat erin staat: deel hem "
            "alleen met wie hem nodig heeft.",
            "This note comes from the logged outcome: your description, answers, verdicts and "
            "advice, with a pseudonym instead of your name. The outcome is "
            f"{kept} and then deleted (longer while a checkpoint is planned). Type "
            "'delete my data' in the chat to erase it sooner, or 'privacy' for everything "
            "Ethiekbot keeps. Whoever has this note can read all of it: share it only with those "
            "who need it.",
        ),
        "disclaimer": pick(
            lang,
            "Signalen en advies, geen juridisch oordeel. Gemaakt door Ethiekbot op basis van de "
            "Interprovinciale Gids Digitale Ethiek (IPO, 2024).",
            "Signals and advice, not a legal verdict. Made by Ethiekbot from the "
            "Interprovinciale Gids Digitale Ethiek (IPO, 2024).",
        ),
    }


# -- HTML ---------------------------------------------------------------------------------------

# Colours with at least 4.5:1 contrast on white, so the words stay readable in print too.
COLOURS = {"groen": "#1b7a34", "oranje": "#b35900", "rood": "#b3261e", "onbekend": "#5f6368"}
_SVG = {
    "groen": '<circle cx="6" cy="6" r="5.5" fill="{c}"/>',
    "oranje": '<polygon points="6,0.5 11.5,11.5 0.5,11.5" fill="{c}"/>',
    "rood": '<rect x="1" y="1" width="10" height="10" fill="{c}"/>',
    "onbekend": '<circle cx="6" cy="6" r="4.75" fill="none" stroke="{c}" stroke-width="1.5"/>',
}
_CSS = """
*{box-sizing:border-box}
body{font:11pt/1.45 "Source Serif Pro","Libertinus Serif",Georgia,"Times New Roman",serif;
color:#1a1a1a;background:#fff;margin:0}
main{max-width:46rem;margin:0 auto;padding:2rem 1.5rem}
h1{font-size:1.6rem;margin:0}
.subtitle{margin:.2rem 0 1rem;color:#444}
h2{font-size:1.2rem;margin:1.6rem 0 .5rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}
h3{font-size:1rem;margin:1rem 0 .3rem}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:0 0 1rem}
dl.meta dt{font-weight:bold}dl.meta dd{margin:0}
.ask p{white-space:pre-wrap;margin:.2rem 0 .8rem}
.card{border:1.5px solid #888;border-radius:6px;padding:.8rem 1rem;background:#fafafa;
margin:1rem 0}
.card h2{border:0;margin:0 0 .5rem;padding:0}
.steps{list-style:none;padding:0;margin:0 0 .6rem}
.steps li{margin:.25rem 0}
.mark{display:inline-block;vertical-align:-1px;margin-right:.35rem}
.verdict{font-weight:bold}
.reason,.sub,.small{color:#444}
.revised{display:block;margin-left:1.5rem;font-style:italic}
.legend{list-style:none;padding:0;margin:.4rem 0 0;font-size:.9rem;display:flex;flex-wrap:wrap;
gap:.2rem 1.2rem}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
table{border-collapse:collapse;width:100%;margin:.3rem 0 .8rem;font-size:.95rem}
th,td{border:1px solid #ccc;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}
caption{text-align:left;font-style:italic;padding:.2rem 0}
td{white-space:pre-wrap}
ul,ol{margin:.2rem 0 .6rem;padding-left:1.3rem}
li ul{margin:.1rem 0}
.note{font-style:italic}
footer{margin-top:2rem;border-top:1px solid #ccc;padding-top:.6rem;font-size:.9rem;color:#333}
@page{size:A4;margin:18mm 16mm}
@media print{
main{max-width:none;padding:0}
body{font-size:10pt}
.card,table,tr,li,.cols>div{break-inside:avoid}
h2,h3{break-after:avoid}
.card,.mark{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _mark(shape: str) -> str:
    colour = COLOURS.get(shape, COLOURS["onbekend"])
    svg = _SVG.get(shape, _SVG["onbekend"]).format(c=colour)
    return (
        f'<svg class="mark" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">'
        f"{svg}</svg>"
    )


def _word(shape: str, label: str) -> str:
    colour = COLOURS.get(shape, COLOURS["onbekend"])
    return f'{_mark(shape)}<span class="verdict" style="color:{colour}">{_e(label)}</span>'


def _html_item(item: dict[str, Any]) -> str:
    lead, text = item["lead"], item["text"]
    body = f"<strong>{_e(lead)}</strong>" if lead else ""
    if text:
        body += (" " if lead.endswith("?") else ": " if lead else "") + _e(text)
    if item["sub"]:
        body += '<ul class="sub">' + "".join(f"<li>{_e(s)}</li>" for s in item["sub"]) + "</ul>"
    return f"<li>{body}</li>"


def _html_block(b: dict[str, Any], labels: dict[str, str]) -> str:
    kind = b["kind"]
    if kind == "heading":
        return f"<h3>{_e(b['text'])}</h3>"
    if kind == "text":
        return f"<p>{_e(b['text'])}</p>"
    if kind == "note":
        return f'<p class="note">{_e(b["text"])}</p>'
    if kind == "items":
        tag = "ol" if b["numbered"] else "ul"
        return f"<{tag}>" + "".join(_html_item(i) for i in b["items"]) + f"</{tag}>"
    if kind == "columns":
        cols = []
        for c in b["columns"]:
            items = "".join(_html_item(i) for i in c["items"]) or "<li>-</li>"
            cols.append(f"<div><h3>{_e(c['title'])}</h3><ul>{items}</ul></div>")
        return '<div class="cols">' + "".join(cols) + "</div>"
    if kind == "pairs":
        rows = "".join(
            f'<tr><th scope="row">{_e(r["label"])}</th><td>{_e(r["value"])}</td></tr>'
            for r in b["rows"]
        )
        return f"<table><caption>{_e(b['title'])}</caption>{rows}</table>"
    if kind == "answers":
        out = []
        head = (
            f'<tr><th scope="col">{_e(labels["question"])}</th>'
            f'<th scope="col">{_e(labels["answer"])}</th>'
            f'<th scope="col">{_e(labels["note"])}</th></tr>'
        )
        for g in b["groups"]:
            rows = "".join(
                f"<tr><td>{_e(r['question'])}</td><td><strong>{_e(r['answer'])}</strong>"
                + (f'<br><span class="small">{_e(r["derived"])}</span>' if r["derived"] else "")
                + f"</td><td>{_e(r['note'])}</td></tr>"
                for r in g["rows"]
            )
            out.append(f"<table><caption>{_e(g['title'])}</caption>{head}{rows}</table>")
        return "".join(out)
    raise ValueError(f"unknown block {kind!r}")


def render_html(model: dict[str, Any]) -> str:
    """The note as one self-contained, printable HTML page: inline CSS, no scripts, no links to
    load, every text escaped."""
    card = model["card"]
    labels = model["labels"]
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(model["lang"])}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(model['title'])} {_e(model['id'])}</title>",
        f"<style>{_CSS}</style></head><body><main>",
        f"<header><h1>{_e(model['title'])}</h1>",
        f'<p class="subtitle">{_e(model["subtitle"])}</p>',
        '<dl class="meta">'
        + "".join(f"<dt>{_e(m['label'])}</dt><dd>{_e(m['value'])}</dd>" for m in model["meta"])
        + "</dl></header>",
        '<section class="ask">',
        f"<h2>{_e(model['question']['label'])}</h2><p>{_e(model['question']['text'])}</p>",
    ]
    if model["purpose"]:
        p = model["purpose"]
        parts.append(f"<h2>{_e(p['label'])}</h2><p>{_e(p['text'])}</p>")
    parts.append("</section>")
    parts.append(f'<section class="card"><h2>{_e(card["title"])}</h2>')
    if card["show_steps"]:
        parts.append(f'<h3>{_e(card["steps_title"])}</h3><ul class="steps">')
        for s in card["steps"]:
            line = f"<li>{_word(s['verdict'], s['label'])} <strong>{_e(s['title'])}</strong>"
            if s["reason"]:
                line += f' <span class="reason">{_e(s["reason"])}</span>'
            if s["revised"]:
                r = s["revised"]
                line += f'<span class="revised">{_mark(r["shape"])}{_e(r["text"])}</span>'
            parts.append(line + "</li>")
        parts.append("</ul>")
    risk = card["risk"]
    parts.append(
        f"<p><strong>{_e(risk['title'])}:</strong> {_word(risk['shape'], risk['label'])}: "
        f"{_e(risk['explain'])}."
        + (
            f'<span class="revised">{_mark(risk["revised"]["shape"])}'
            f"{_e(risk['revised']['text'])}</span>"
            if risk["revised"]
            else ""
        )
        + "</p>"
    )
    if card["first_step"]:
        fs = card["first_step"]
        parts.append(f"<p><strong>{_e(fs['title'])}:</strong> {_e(fs['text'])}</p>")
    parts.append(
        f'<p class="small">{_e(card["legend_title"])}:</p><ul class="legend">'
        + "".join(
            f"<li>{_word(x['verdict'], x['label'])}: {_e(x['meaning'])}</li>"
            for x in card["legend"]
        )
        + "</ul></section>"
    )
    for s in model["sections"]:
        parts.append(f'<section id="{_e(s["id"])}"><h2>{_e(s["title"])}</h2>')
        parts += [_html_block(b, labels) for b in s["blocks"]]
        parts.append("</section>")
    f = model["footer"]
    parts.append(
        f"<footer><p><strong>{_e(f['privacy_title'])}.</strong> {_e(f['privacy'])}</p>"
        f"<p><em>{_e(f['disclaimer'])}</em></p></footer>"
    )
    parts.append("</main></body></html>\n")
    return "\n".join(parts)


# -- PDF ----------------------------------------------------------------------------------------

# The Typst template. The note arrives as JSON in sys.inputs and every string is placed as text,
# never evaluated as markup. Shapes are drawn, so no symbol or emoji font is needed.
TEMPLATE = r"""
#let d = json(bytes(sys.inputs.note))
#let colours = (__COLOURS__)
#let mark(v, size: 8pt) = {
  let c = colours.at(v, default: colours.onbekend)
  let s = if v == "groen" { circle(radius: size / 2, fill: c) }
    else if v == "oranje" { polygon(fill: c, (0pt, size), (size / 2, 0pt), (size, size)) }
    else if v == "rood" { square(size: size * 0.9, fill: c) }
    else { circle(radius: size / 2 - 0.5pt, stroke: 1.2pt + c) }
  box(baseline: 0pt, inset: (right: 3pt), s)
}
#let word(v, label) = {
  mark(v)
  text(fill: colours.at(v, default: colours.onbekend), weight: "bold", label)
}
#set document(title: d.title + " " + d.id, author: "Ethiekbot")
#set page(
  paper: "a4",
  margin: (x: 2cm, top: 1.8cm, bottom: 2cm),
  footer: context text(size: 8pt, fill: luma(90))[
    #d.meta.at(0).label #d.id #h(1fr)
    #d.labels.page #counter(page).display() #d.labels.of #counter(page).final().first()
  ],
)
#set text(font: "Libertinus Serif", size: 10.5pt, lang: d.lang)
#set par(justify: false, leading: 0.55em, spacing: 0.8em)
#show heading.where(level: 1): set text(size: 19pt)
#show heading.where(level: 2): it => block(above: 1.3em, below: 0.6em, width: 100%,
  stroke: (bottom: 0.6pt + luma(170)), inset: (bottom: 3pt), text(size: 13pt, it.body))
#show heading.where(level: 3): set text(size: 11pt)
#set list(indent: 0.4em, body-indent: 0.5em)
#set enum(indent: 0.4em, body-indent: 0.5em)
#set table(stroke: 0.5pt + luma(170), inset: 4pt)

#let item(i) = {
  if i.lead != "" { strong(i.lead) }
  if i.lead != "" and i.text != "" { if i.lead.ends-with("?") { " " } else { ": " } }
  if i.text != "" { i.text }
  if i.sub.len() > 0 { list(..i.sub.map(s => text(fill: luma(60), s))) }
}
#let block-of(b) = {
  if b.kind == "heading" { heading(level: 3, b.text) }
  else if b.kind == "text" { par(b.text) }
  else if b.kind == "note" { par(emph(b.text)) }
  else if b.kind == "items" {
    if b.numbered { enum(..b.items.map(item)) } else { list(..b.items.map(item)) }
  }
  else if b.kind == "columns" {
    grid(columns: (1fr, 1fr), column-gutter: 1em, ..b.columns.map(c => [
      #heading(level: 3, c.title)
      #if c.items.len() == 0 [-] else { list(..c.items.map(item)) }
    ]))
  }
  else if b.kind == "pairs" {
    block(breakable: false, [
      #emph(b.title)
      #table(columns: (auto, 1fr), ..b.rows.map(r => (strong(r.label), r.value)).flatten())
    ])
  }
  else if b.kind == "answers" {
    for g in b.groups {
      table(
        columns: (5fr, 2fr, 4fr),
        table.header(
          table.cell(colspan: 3, fill: luma(235), strong(g.title)),
          strong(d.labels.question), strong(d.labels.answer), strong(d.labels.note),
        ),
        ..g.rows.map(r => (
          r.question,
          [#strong(r.answer)#if r.derived != "" [ \ #text(size: 8.5pt, emph(r.derived))]],
          r.note,
        )).flatten()
      )
    }
  }
}

#heading(level: 1, d.title)
#text(fill: luma(70), d.subtitle)
#v(0.4em)
#grid(columns: (auto, 1fr), column-gutter: 1em, row-gutter: 0.4em,
  ..d.meta.map(m => (strong(m.label), m.value)).flatten())

#heading(level: 2, d.question.label)
#d.question.text
#if d.purpose != none {
  heading(level: 2, d.purpose.label)
  d.purpose.text
}

#let card = d.card
#block(width: 100%, breakable: false, above: 1.2em, inset: 10pt, radius: 4pt,
  stroke: 1.2pt + luma(120), fill: luma(248))[
  #text(size: 13pt, weight: "bold", card.title)
  #if card.show_steps [
    #v(0.2em)
    #text(weight: "bold", card.steps_title)
    #grid(columns: (auto, auto, 1fr), column-gutter: 0.7em, row-gutter: 0.55em,
      ..card.steps.map(s => (
        word(s.verdict, s.label),
        strong(s.title),
        [#s.reason#if s.revised != none [ \ #mark(s.revised.shape)#emph(s.revised.text)]],
      )).flatten())
  ]
  #v(0.3em)
  #strong(card.risk.title + ":") #word(card.risk.shape, card.risk.label): #card.risk.explain.
  #if card.risk.revised != none [ \ #mark(card.risk.revised.shape)#emph(card.risk.revised.text)]
  #if card.first_step != none [

    #strong(card.first_step.title + ":") #card.first_step.text
  ]

  #text(size: 9pt)[
    #emph(card.legend_title + ":") #h(0.3em)
    #for x in card.legend [#box[#word(x.verdict, x.label): #x.meaning] #h(0.9em)]
  ]
]

#for s in d.sections {
  heading(level: 2, s.title)
  for b in s.blocks { block-of(b) }
}

#v(1.2em)
#line(length: 100%, stroke: 0.5pt + luma(170))
#text(size: 9pt)[
  #strong(d.footer.privacy_title + ".") #d.footer.privacy

  #emph(d.footer.disclaimer)
]
""".replace(
    "__COLOURS__",
    ", ".join(f'{k}: rgb("{v}")' for k, v in COLOURS.items()),
)


def render_pdf(model: dict[str, Any], created: int | None = None) -> bytes:
    """The note as a PDF (A4, tagged, fonts embedded), typeset by Typst with its own fonts only.
    ``created`` (UNIX seconds) is the PDF's creation date, so the same note gives the same
    bytes."""
    import typst

    data = json.dumps(model, ensure_ascii=False)

    def compile_pdf(standard: Literal["ua-1"] | None) -> bytes:
        return typst.compile(
            TEMPLATE.encode(),
            format="pdf",
            sys_inputs={"note": data},
            ignore_system_fonts=True,
            timestamp=created,
            pdf_standards=standard,
        )

    try:
        # PDF/UA-1: tagged and accessible, as a government document should be.
        pdf = compile_pdf("ua-1")
    except typst.TypstError:
        # PDF/UA refuses a character the embedded fonts lack (an emoji, a script they do not
        # cover); the note is still made, tagged, without claiming the standard.
        pdf = compile_pdf(None)
    return pdf


# -- the API the channels call --------------------------------------------------------------------


def render_note(
    outcome: Outcome,
    review: Review | None = None,
    fmt: Format = "md",
    *,
    instrument_names: dict[str, str] | None = None,
    outcome_days: int | None = None,
) -> bytes:
    """The advice note of ``outcome`` in ``fmt``: ``md`` (today's Markdown report), ``html``
    (a printable page) or ``pdf``, with the advisor's ``review`` in it. Pure: no I/O."""
    if fmt == "md":
        return render_report(outcome, review, instrument_names).encode()
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    model = note_model(
        outcome, review, instrument_names=instrument_names, outcome_days=outcome_days
    )
    if fmt == "html":
        return render_html(model).encode()
    return render_pdf(model, created=int(outcome.created_at.timestamp()))


def note_for(
    store: Store,
    outcome_id: str,
    knowledge: Callable[[], Knowledge],
    fmt: Format = "md",
    *,
    outcome_days: int | None = None,
) -> bytes | None:
    """The advice note of a logged outcome with the advisor's corrections and messages, as
    :func:`bot.review.reviewed_report` gathers them; None for an unknown id. The store is only
    read (nothing is audited); ``knowledge`` is asked only to name a revised instrument."""
    from bot.review import reviewed

    found = reviewed(store, outcome_id, knowledge)
    if found is None:
        return None
    outcome, review, names = found
    return render_note(outcome, review, fmt, instrument_names=names, outcome_days=outcome_days)


def filename(outcome_id: str, fmt: Format) -> str:
    """A file name for a download: ``ethiekbot-T-....pdf``."""
    return f"ethiekbot-{outcome_id}.{fmt}"
