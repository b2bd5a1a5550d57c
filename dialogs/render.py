"""Markdown for the outcome, the report, the Mag-het scan and the summary.

The Markdown uses only the small subset every channel can show (see :mod:`dialogs.models`).
User text (description, purpose, notes) is included as-is here; each adapter escapes it for its
own format, so nothing a user types can become markup or a mention.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from dialogs.glossary import meaning, used
from dialogs.markdown import escape as e
from dialogs.models import Correction, Outcome, Review
from dialogs.texts import mid_sentence, t
from knowledge.loader import Knowledge
from knowledge.quickscan import MagHet, cite, evidence
from knowledge.schema import Lang
from knowledge.text import placeholders_for

# The quick scan's signals beside the law's findings, each with the text that says what it
# means (quick scan, report and advice note alike).
SIGNAL_TEXTS = (
    ("iama", "iama_signal"),
    ("children", "children_signal"),
    ("education", "education_signal"),
    ("outside_eea", "eea_signal"),
)

_STEP_TITLE = {
    "nl": {"willen": "Willen we het?", "mag": "Mag het?", "kan": "Kan het?"},
    "en": {"willen": "Is it desirable?", "mag": "Is it allowed?", "kan": "Is it possible?"},
}
# Shapes every font has (no emoji font needed); the word beside it carries the meaning, and the
# web chat, the PDF and the cards colour them.
_MARK = {"groen": "●", "oranje": "▲", "rood": "■", "onbekend": "○"}


_AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def preconditions(instrument: dict[str, Any]) -> str:
    """What an instrument asks (time, group, preparation) as one line: "at least 3 hours;
    ideally 15 to 30 people; ..." (each part goes on the sentence, in lower case)."""
    parts = (instrument["time"], instrument["group"], instrument["preparation"])
    return "; ".join(mid_sentence(x.rstrip(".")) for x in parts if x)


def local_time(at: datetime) -> str:
    """A moment as Dutch readers expect it: in Amsterdam's time, "2026-12-07 10:15"."""
    moment = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return f"{moment.astimezone(_AMSTERDAM):%Y-%m-%d %H:%M}"


def step_title(step: str, lang: Lang) -> str:
    """The title of a drietrap step ("Willen we het?", "Is it allowed?", …)."""
    return _STEP_TITLE[lang][step]


def render_scan(scan: MagHet, k: Knowledge, lang: Lang) -> str:
    """The Mag-het signals as bullets, ending with the disclaimer and whom to ask."""
    lines = [t("mag_result_title", lang), ""]

    def said(words: list[str], n: int) -> str:
        return e(", ".join(evidence(words, lang)[:n]))

    if scan.personal_data:
        lines.append("- " + t("pd_signal", lang, items=said(scan.personal_data, 4)))
    if scan.dpia:
        items = "; ".join(f.label.get(lang) for f in scan.dpia)
        lines.append("- " + t("dpia_count", lang, n=len(scan.dpia), items=items))
        if len(scan.dpia) >= 2 and scan.personal_data:
            lines.append("  - " + t("dpia_likely", lang))
    if scan.dpia_required and scan.personal_data:
        items = "; ".join(f.cited(lang) for f in scan.dpia_required)
        lines.append("- " + t("dpia_required", lang, items=items))
    if scan.ai_act:
        items = "; ".join(dict.fromkeys(f.cited(lang) for f in scan.ai_act))
        lines.append("- " + t("ai_act", lang, items=items))
    for key, text_key in SIGNAL_TEXTS:
        if words := getattr(scan, key):
            lines.append("- " + t(text_key, lang, items=said(words, 3)))
    if scan.questions:
        items = "; ".join(q.label.get(lang) for q in scan.questions)
        lines.append("- " + t("law_open", lang, items=items))
    if not scan.personal_data and "observation" in scan.facts:
        # As the quick take says: sensing technology may see people; check with the FG.
        lines.append("- " + t("mag_check_people", lang))
    if len(lines) == 2:
        lines.append("- " + t("no_mag", lang))
    who = [k.contacts[c].name.get(lang) for c in scan.ask() if c in k.contacts]
    fallback = "je FG of een jurist" if lang == "nl" else "your DPO or a lawyer"
    lines += ["", t("mag_note", lang, who=_one_of(who[:3], lang) or fallback)]
    return "\n".join(lines)


def _verdict_lines(o: Outcome, revised: dict[str, Correction] | None = None) -> list[str]:
    lang = o.lang
    lines = []
    for v in o.verdicts:
        label = t(f"verdict_{v.verdict}", lang)
        lines.append(f"- {_MARK[v.verdict]} **{_STEP_TITLE[lang][v.step]}** {label}")
        if revised and (c := revised.get(f"verdict-{v.step}")):
            lines.append(f"  - {_revision(c, t(f'verdict_{c.revised}', lang), lang)}")
        for r in v.reasons[:4]:
            lines.append(f"  - {e(r)}")
    return lines


def _revision(c: Correction, value: str, lang: Lang) -> str:
    """The advisor's judgement beside the bot's, with the date and the reason."""
    return t("revised_by_advisor", lang, date=f"{c.at:%Y-%m-%d}", value=value, reason=e(c.reason))


def next_steps(
    o: Outcome, revised: dict[str, Correction] | None = None, names: dict[str, str] | None = None
) -> list[str]:
    """The next steps as the employee should take them: when the ethics advisor chose another
    instrument, its use comes first, in place of the bot's first step (which named the bot's
    instrument)."""
    fix = (revised or {}).get("instrument")
    if fix is None or not o.next_steps:
        return list(o.next_steps)
    name = (names or {}).get(fix.revised, fix.revised)
    return [t("first_step_revised", o.lang, name=name), *o.next_steps[1:]]


def outcome_card(o: Outcome, lang: Lang) -> str:
    """The outcome at a glance: the verdict per step in words, the risk explained, the first
    next step, and what the colours mean."""
    lines = [t("outcome_title", lang), ""]
    if organisation_only(o):
        # A question about the organisation: no project steps, risk or colours to explain.
        if o.next_steps:
            lines += [f"**{t('first_step', lang)}:** {e(o.next_steps[0])}"]
        return "\n".join(lines)
    lines.append(f"**{t('step_verdicts', lang)}**")
    for v in o.verdicts:
        label = t(f"verdict_{v.verdict}", lang)
        reason = f": {e(v.reasons[0])}" if v.reasons else ""
        lines.append(f"- {_MARK[v.verdict]} **{_STEP_TITLE[lang][v.step]}** {label}{reason}")
    risk = t("risk_" + o.risk, lang)
    lines += ["", f"**{t('risk_card', lang)}: {risk}**: {t('risk_explain_' + o.risk, lang)}."]
    if o.next_steps:
        lines += ["", f"**{t('first_step', lang)}:** {e(o.next_steps[0])}"]
    lines += ["", t("legend", lang)]
    return "\n".join(lines)


def organisation_only(o: Outcome) -> bool:
    """Whether the outcome answers a question about the organisation (chapter 3) and no
    project was judged: no step of the drietrap has a verdict."""
    return bool(o.organisation) and all(v.verdict == "onbekend" for v in o.verdicts)


def outcome_sections(o: Outcome, lang: Lang) -> list[dict[str, str]]:
    """The details under the card, each a titled piece of Markdown one can open."""
    sections: list[dict[str, str]] = []

    def add(key: str, lines: list[str]) -> None:
        if lines:
            sections.append(
                {"id": key, "title": _section_title(key, lang), "markdown": "\n".join(lines)}
            )

    why: list[str] = []
    for v in [] if organisation_only(o) else o.verdicts:
        if v.reasons:
            why.append(f"_{_STEP_TITLE[lang][v.step]}_")
            why += [f"- {e(r)}" for r in v.reasons[:4]]
    add("why", why)
    values: list[str] = []
    if o.desirable or o.undesirable:
        none = [f"- {t('not_yet', lang)}"]
        values += [f"**{t('desirable', lang)}**"]
        values += [f"- {e(d.name)}: {e(d.because)}" for d in o.desirable] or none
        values += ["", f"**{t('undesirable', lang)}**"]
        values += [f"- {e(u.name)}: {e(u.because)}" for u in o.undesirable] or none
    if o.tensions:
        values += ["", f"**{t('tensions', lang)}:** " + e("; ".join(o.tensions))]
    if o.answered:
        values += ["", f"**{t('your_answers', lang)}**", *answer_lines(o, lang)]
    add("values", values)
    if o.organisation:
        org = []
        for th in o.organisation:
            answer = f" ({t('org_answer_' + th['answer'], lang)})" if th.get("answer") else ""
            org.append(f"- {e(th['title'])}{answer}: {e(th['advice'][0])}")
        add("org", org)
    elif o.cases:
        add("cases", [f"- _{e(c['title'])}_: {e(c['lesson'])}" for c in o.cases[:2]])
    help_lines: list[str] = []
    if o.instruments:
        i = o.instruments[0]
        help_lines += [f"**{t('instrument', lang)}: {e(i['name'])}**", e(i["why"][0])]
        help_lines.append(f"_{t('preconditions', lang)}: {e(preconditions(i))}_")
    if o.contacts:
        help_lines += ["", f"**{t('contacts', lang)}**"]
        for c in o.contacts[:4]:
            reach = f" ({c['email']})" if c.get("email") else ""
            help_lines.append(f"- {e(c['name'])}{e(reach)}: {e(c['ask_when'])}")
    add("instrument", help_lines)
    add("next", [f"{n}. {e(s)}" for n, s in enumerate(o.next_steps, start=1)])
    return sections


def _section_title(key: str, lang: Lang) -> str:
    return t("org_section" if key == "org" else "section_" + key, lang)


def folded_outcome(content: dict[str, Any]) -> bool:
    """Whether a reply's content is an outcome with a verdict card and sections to open (what
    a channel that folds details shows instead of the one-message text)."""
    return (
        content.get("kind") == "outcome"
        and isinstance(content.get("card"), str)
        and bool(content["card"].strip())
        and isinstance(content.get("sections"), list)
    )


def answer_lines(o: Outcome, lang: Lang) -> list[str]:
    """Every answer the person gave beside its question, grouped per step, notes in full."""
    lines: list[str] = []
    current = None
    for a in o.answered:
        if a["step"] != current:
            current = a["step"]
            lines.append(f"_{answer_group(current, lang)}_")
        derived = f" ({t('derived_answer', lang)})" if a.get("derived") else ""
        note = f": {e(placeholders_for(a['note'], lang))}" if a.get("note") else ""
        lines.append(f"- {e(a['question'])} **{e(a['answer'])}**{derived}{note}")
    return lines


def answer_group(step: str, lang: Lang) -> str:
    """The title of a group of answers under "Je antwoorden": the step's question, "Waarden"
    (not "Waarden en je antwoorden" again) or the organisation route."""
    if step in _STEP_TITLE[lang]:
        return _STEP_TITLE[lang][step]
    return ("Waarden" if lang == "nl" else "Values") if step == "values" else t("org_section", lang)


def render_outcome(o: Outcome, lang: Lang) -> str:
    """The outcome as one chat message: the card, then every section under its title (for
    channels that cannot fold sections away)."""
    parts = [outcome_card(o, lang)]
    for section in outcome_sections(o, lang):
        parts.append(f"**{section['title']}**\n{section['markdown']}")
    return "\n\n".join(parts)


def render_report(
    o: Outcome, review: Review | None = None, instrument_names: dict[str, str] | None = None
) -> str:
    """The outcome as a Markdown document to keep or share.

    With ``review``, the ethics advisor's corrections stand beside the bot's judgement and the
    messages between advisor and employee follow at the end. ``instrument_names`` names a
    revised instrument (by id) in the report's language.
    """
    lang = o.lang
    nl = lang == "nl"
    revised = review.current() if review else {}
    risk_line = f"- {'Risico' if nl else 'Risk'}: {t('risk_' + o.risk, lang)}"
    if rev := revised.get("risk"):
        risk_line += " · " + _revision(rev, t("risk_" + rev.revised, lang), lang)
    lines = [
        "# " + ("Ethiekbot: uitkomst van de triage" if nl else "Ethiekbot: triage outcome"),
        "",
        f"- {'Kenmerk' if nl else 'Reference'}: `{o.id}`",
        f"- {'Datum' if nl else 'Date'}: {local_time(o.created_at)}",
        risk_line,
        "",
        "## " + ("Vraag" if nl else "Question"),
        "",
        e(placeholders_for(o.description, lang)),
    ]
    if o.purpose:
        lines += ["", "## " + ("Doel" if nl else "Purpose"), "", e(o.purpose)]
    lines += ["", "## " + t("step_verdicts", lang), "", *_verdict_lines(o, revised)]
    lines += ["", "## " + ("Waarden" if nl else "Values"), ""]
    none = [f"- {t('not_yet', lang)}"]
    lines += [f"**{t('desirable', lang)}**", ""]
    lines += [f"- {e(d.name)}: {e(d.because)}" for d in o.desirable] or none
    lines += ["", f"**{t('undesirable', lang)}**", ""]
    lines += [f"- {e(u.name)}: {e(u.because)}" for u in o.undesirable] or none
    if o.tensions:
        lines += ["", f"**{t('tensions', lang)}:** " + "; ".join(o.tensions)]
    if o.answered:
        lines += ["", "## " + t("your_answers", lang), "", *answer_lines(o, lang)]
    mh = o.mag_het
    lines += ["", "## Mag het?" if nl else "## Is it allowed?", "", f"_{mh['note']}_", ""]
    dpia = mh["dpia"]
    one = dpia["count"] == 1
    lines.append(
        f"- DPIA: {dpia['count']} "
        + (("criterium" if nl else "criterion") if one else "criteria")
        + (": " + "; ".join(c["label"] for c in dpia["criteria"]) if dpia["criteria"] else "")
    )
    if dpia.get("required") and dpia.get("required_by"):
        refs = "; ".join(cite(f["ref"], lang) for f in dpia["required_by"])
        lines.append("- " + t("dpia_required", lang, items=refs))
    ai_level = t("ai_level_" + mh["ai_act"]["level"], lang)
    lines.append(f"- {'AI-verordening' if nl else 'AI Act'}: {ai_level}")
    # Each finding in words with its article, not only the level.
    lines += [f"  - {e(f['label'])} ({e(cite(f['ref'], lang))})" for f in mh["ai_act"]["findings"]]
    # What each signal means for the team, then the words that raised it (a keyword list
    # alone read as a dump to a new user), worded as the quick scan and the advice note say it.
    for key, text_key in SIGNAL_TEXTS:
        if mh[key]["signal"]:
            said = e(", ".join(mh[key]["because"][:3]))
            lines.append("- " + t(text_key, lang, items=said))
    for q in mh.get("questions") or []:
        lines.append(f"- {t('law_open', lang, items=e(q['ask']))}")
    if o.organisation:
        lines += ["", "## " + t("org_section", lang), ""]
        for th in o.organisation:
            answer = f" ({t('org_answer_' + th['answer'], lang)})" if th.get("answer") else ""
            lines.append(f"- **{e(th['title'])}**{answer}")
            lines += [f"  - {e(a)}" for a in th["advice"]]
            lines.append(f"  - _{e(th['source'])}_")
    lines += ["", "## " + t("lessons", lang), ""]
    for c in o.cases:
        related = "" if c.get("strength", "close") == "close" else f" ({t('related', lang)})"
        org = f" · {e(c['organisation'])}" if c.get("organisation") else ""
        lines.append(f"- **{e(c['title'])}**{related}{org}: {e(c['lesson'])}")
    lines += ["", "## " + t("instrument", lang), ""]
    if rev := revised.get("instrument"):
        name = (instrument_names or {}).get(rev.revised, rev.revised)
        lines += [_revision(rev, f"**{e(name)}**", lang), ""]
    for i in o.instruments:
        lines.append(f"- **{e(i['name'])}**: {e(' '.join(i['why']))}")
        lines.append(f"  - {t('preconditions', lang)}: {e(preconditions(i))}")
        lines.append(f"  - {'Meer informatie' if nl else 'More information'}: {e(i['more_info'])}")
    lines += ["", "## " + t("contacts", lang), ""]
    for c in o.contacts:
        reach = f" ({c['email']})" if c.get("email") else ""
        person = f" — {c['person']}" if c.get("person") else ""
        lines.append(f"- {e(c['name'])}{e(person)}{e(reach)}: {e(c['ask_when'])}")
    lines += ["", "## " + t("next_steps", lang), ""]
    steps = next_steps(o, revised, instrument_names)
    lines += [f"{n}. {e(s)}" for n, s in enumerate(steps, start=1)]
    if review and review.messages:
        lines += ["", "## " + t("advisor_messages", lang), ""]
        for m in review.messages:
            who = t("sender_" + m.sender, lang)
            lines.append(f"- **{who}**, {local_time(m.at)}: {e(m.text)}")
    abbreviations = used("\n".join(lines))
    if abbreviations:
        lines += ["", "## " + t("abbreviations", lang), ""]
        lines += [f"- **{a}**: {meaning(a, lang)}" for a in abbreviations]
    lines += [
        "",
        "---",
        "_"
        + (
            "Signalen en advies, geen juridisch oordeel. Gemaakt door Ethiekbot op basis van de "
            "Interprovinciale Gids Digitale Ethiek (IPO, 2024)."
            if nl
            else "Signals and advice, not a legal verdict. Made by Ethiekbot from the "
            "Interprovinciale Gids Digitale Ethiek (IPO, 2024)."
        )
        + "_",
    ]
    return "\n".join(lines) + "\n"


def render_summary(o: Outcome, k: Knowledge, lang: Lang) -> tuple[str, dict[str, Any]]:
    """What is known so far under the three drietrap headings, cases and instrument."""
    titles = _STEP_TITLE[lang]
    by_step = {v.step: v for v in o.verdicts}
    lines = [
        t("summary_title", lang),
        "",
        f"**{t('summary_question', lang)}:** {e(placeholders_for(o.description, lang))}",
    ]
    for step in ("willen", "mag", "kan"):  # the drietrap's own order
        v = by_step[step]
        label = t(f"verdict_{v.verdict}", lang)
        lines += ["", f"**{titles[step]}** {_MARK[v.verdict]} {label}"]
        lines += [f"- {e(r)}" for r in v.reasons[:4]]
    lines += ["", f"**{t('summary_cases', lang)}**"]
    lines += [
        f"- {e(c['title'])}"
        + ("" if c.get("strength", "close") == "close" else f" ({t('related', lang)})")
        for c in o.cases
    ] or ["- -"]
    if o.instruments:
        lines += ["", f"**{t('summary_instrument', lang)}:** {e(o.instruments[0]['name'])}"]
    content = {
        "kind": "summary",
        "steps": {
            s: {
                "title": titles[s],
                "verdict": by_step[s].verdict,
                "reasons": by_step[s].reasons,
            }
            for s in ("willen", "mag", "kan")
        },
        "cases": [c["id"] for c in o.cases],
        "instrument": o.instruments[0]["id"] if o.instruments else None,
    }
    return "\n".join(lines), content


def _one_of(names: list[str], lang: Lang) -> str:
    """Whom to turn to, any of them: "A, B of C"."""
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + (" of " if lang == "nl" else " or ") + names[-1]
