"""Render a triage as readable terminal text (the default output of ``ethiekbot triage``)."""

from __future__ import annotations

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
