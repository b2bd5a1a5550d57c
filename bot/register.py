"""A draft entry for the Dutch Algoritmeregister, prefilled from a triage.

The field names and their order follow the **Algoritmeregister publicatiestandaard, version
1.0.0**, as the register's own software defines it (MinBZK/Algoritmeregister,
``backend/app/schemas/config/v1_0_0.json``; the standard's text is in
MinBZK/Algoritmeregister-Publicatiestandaard, chapter "Informatievelden"). The Dutch titles are
the standard's; the English ones are ours.

What the bot can say is prefilled (description, goal, the two columns of values, the answers
about human oversight and legal basis, the Mag-het signals for DPIA and IAMA, a proposed
publication category). What only the team knows starts with :data:`TO_COMPLETE`, optionally
followed by a hint; a prefilled field that still needs the team's words contains it further
on. Every value is plain text (no HTML), so it is safe to paste anywhere and must be escaped by
whoever puts it in a page.

    >>> TO_COMPLETE["nl"]
    '[in te vullen door het team]'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bot.overview import outcome_signals
from dialogs.models import Outcome
from dialogs.texts import pick
from knowledge.schema import Lang
from knowledge.text import clip

STANDARD_NAME = "Algoritmeregister publicatiestandaard"
STANDARD_VERSION = "1.0.0"

TO_COMPLETE: dict[Lang, str] = {
    "nl": "[in te vullen door het team]",
    "en": "[to be completed by the team]",
}

# key: (Dutch title from the standard, English title, maximum length in the standard)
FIELDS: dict[str, tuple[str, str, int]] = {
    "name": ("Naam", "Name", 100),
    "description_short": ("Korte omschrijving", "Short description", 350),
    "organization": ("Organisatie", "Organisation", 100),
    "category": ("Thema", "Policy area", 2500),
    "status": ("Status", "Status", 100),
    "begin_date": ("Begindatum", "Start date", 7),
    "end_date": ("Einddatum", "End date", 7),
    "contact_email": ("Contactgegevens", "Contact details", 500),
    "website": ("Link naar publiekspagina", "Link to public page", 500),
    "publication_category": ("Publicatiecategorie", "Publication category", 100),
    "url": ("Link naar bronregistratie", "Link to source registration", 500),
    "goal": ("Doel en impact", "Goal and impact", 2500),
    "proportionality": ("Afwegingen", "Proportionality", 2500),
    "human_intervention": ("Menselijke tussenkomst", "Human intervention", 2500),
    "risks": ("Risicobeheer", "Risk management", 2500),
    "lawful_basis": ("Wettelijke basis", "Legal basis", 2500),
    "lawful_basis_grouping": (
        "Verwijzingen wettelijke basis",
        "References to the legal basis",
        2500,
    ),
    "process_index_url": (
        "Link naar verwerkingsregister",
        "Link to the register of processing",
        500,
    ),
    "impacttoetsen": (
        "Toelichting op impacttoetsen",
        "Explanation of impact assessments",
        2500,
    ),
    "impacttoetsen_grouping": (
        "Verwijzingen impacttoetsen",
        "References to impact assessments",
        2500,
    ),
    "source_data": ("Gegevens", "Data", 2500),
    "source_data_grouping": ("Verwijzingen gegevensbronnen", "References to data sources", 2500),
    "methods_and_models": ("Technische werking", "How it works technically", 5000),
    "provider": ("Leverancier", "Provider", 200),
    "publiccode": ("Link naar broncode", "Link to source code", 500),
    "lang": ("Taal", "Language", 3),
    "standard_version": ("Versie publicatiestandaard", "Version of the standard", 10),
    "source_id": ("Bron-ID", "Source ID", 100),
    "tags": ("Zoektermen", "Search terms", 2500),
}

# The standard's permitted values for the choice fields (Dutch only, as the register takes them).
STATUSES = ("In ontwikkeling", "In gebruik", "Buiten gebruik")
PUBLICATION_CATEGORIES = ("Hoog-risico AI-systeem", "Impactvolle algoritmes", "Overige algoritmes")

_NAMES = {
    "dpia": "Data Protection Impact Assessment (DPIA)",
    "iama": "Impact Assessment Mensenrechten en Algoritmes (IAMA)",
    "kia": "Kinderrechten Impact Assessment (KIA)",
}


def _todo(lang: Lang, hint_nl: str = "", hint_en: str = "") -> str:
    hint = pick(lang, hint_nl, hint_en)
    return TO_COMPLETE[lang] + (f" {hint}" if hint else "")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _fit(value: str, limit: int, marker: str) -> str:
    """Within ``limit``, cutting the prefilled text and keeping a final to-do line whole.

    A field that is only a to-do (it starts with the marker) is an instruction the team
    replaces, so it is never cut.
    """
    if len(value) <= limit or value.startswith(marker):
        return value
    pos = value.rfind(marker)
    if pos <= 0:
        return clip(value, limit)
    head, tail = value[:pos].rstrip(), value[pos:]
    return clip(head, max(1, limit - len(tail) - 1)) + "\n" + tail


def _first_sentence(text: str) -> str:
    text = _one_line(text)
    for end in (". ", "? ", "! "):
        if end in text:
            text = text.split(end, 1)[0]
    return text.rstrip(".?!")


def _name(o: Outcome, lang: Lang) -> str:
    # The standard asks for a name with a verb that says what the algorithm does; the first
    # words of a question rarely are one, so they are only offered as a starting point.
    start = clip(_one_line(_first_sentence(o.description)), 60)
    return _todo(
        lang,
        f"een korte naam met een werkwoord, bijvoorbeeld op basis van: ‘{start}’",
        f"a short name with a verb, for example based on: ‘{start}’",
    )


def _answer(o: Outcome, qid: str) -> tuple[str | None, str | None]:
    a = o.answers.get(qid)
    return (a.answer, a.note) if a else (None, None)


def _publication_category(o: Outcome, signals: tuple[str, ...], lang: Lang) -> str:
    if "ai-prohibited" in signals:
        return _todo(
            lang,
            "De triage wijst op een mogelijk verboden AI-praktijk: laat eerst een jurist toetsen "
            "of het algoritme ingezet mag worden.",
            "The triage points to a possibly prohibited AI practice: have a lawyer check first "
            "whether the algorithm may be used at all.",
        )
    if "ai-high-risk" in signals:
        return PUBLICATION_CATEGORIES[0]
    if "iama" in signals or o.risk == "hoog":
        return PUBLICATION_CATEGORIES[1]
    return PUBLICATION_CATEGORIES[2]


def _goal(o: Outcome, lang: Lang) -> str:
    goal = o.purpose or o.description
    impact = _todo(
        lang,
        "Beschrijf hoe inwoners en bedrijven met het algoritme in aanraking komen.",
        "Describe how residents and businesses come into contact with the algorithm.",
    )
    return f"{goal}\n\n{pick(lang, 'Impact', 'Impact')}: {impact}"


def _proportionality(o: Outcome, lang: Lang) -> str:
    lines: list[str] = []
    if o.desirable:
        lines.append(pick(lang, "Voordelen:", "Benefits:"))
        lines += [f"- {d.name}: {d.because}" for d in o.desirable]
    if o.undesirable:
        lines.append(pick(lang, "Nadelen en zorgen:", "Drawbacks and concerns:"))
        lines += [f"- {u.name}: {u.because}" for u in o.undesirable]
    if o.tensions:
        lines.append(pick(lang, "Spanningen: ", "Tensions: ") + "; ".join(o.tensions))
    alt, alt_note = _answer(o, "alternatief")
    if alt == "ja":
        lines.append(
            pick(
                lang,
                "Volgens de triage is er een minder ingrijpend alternatief",
                "According to the triage there is a less intrusive alternative",
            )
            + (f": {alt_note}" if alt_note else ".")
        )
    elif alt == "nee":
        lines.append(
            pick(
                lang,
                "Volgens de triage is er geen minder ingrijpend alternatief.",
                "According to the triage there is no less intrusive alternative.",
            )
        )
    lines.append(
        _todo(
            lang,
            "Leg uit waarom de inzet, alles afwegend, gerechtvaardigd is en welke alternatieven "
            "zijn overwogen.",
            "Explain why, all things considered, the use is justified and which alternatives "
            "were considered.",
        )
    )
    return "\n".join(lines)


def _human_intervention(o: Outcome, lang: Lang) -> str:
    answer, note = _answer(o, "mens-in-de-lus")
    extra = f" ({note})" if note else ""
    if answer == "ja":
        said = pick(
            lang,
            "Volgens de triage kijkt een mens mee die uitkomsten kan controleren en corrigeren",
            "According to the triage a person checks the results and can correct them",
        )
        return f"{said}{extra}. " + _todo(
            lang, "Beschrijf wie dat is en hoe het gaat.", "Describe who that is and how it works."
        )
    if answer == "nee":
        said = pick(
            lang,
            "Volgens de triage is er (nog) geen mens die uitkomsten controleert en corrigeert",
            "According to the triage nobody checks and corrects the results (yet)",
        )
        return f"{said}{extra}. " + _todo(
            lang,
            "Beschrijf de menselijke tussenkomst die wordt ingericht, of waarom die niet nodig is.",
            "Describe the human intervention being put in place, or why none is needed.",
        )
    return _todo(
        lang,
        "Beschrijf hoe een mens de uitkomsten gebruikt, controleert en bijstelt.",
        "Describe how a person uses, checks and corrects the results.",
    )


def _risks(o: Outcome, lang: Lang, signals: tuple[str, ...]) -> str:
    level = {"laag": ("laag", "low"), "midden": ("midden", "medium"), "hoog": ("hoog", "high")}
    name = level.get(o.risk, (o.risk, o.risk))
    lines = [
        pick(lang, "Risico volgens de ethiektriage: ", "Risk according to the ethics triage: ")
        + pick(lang, *name)
        + "."
    ]
    for v in o.verdicts:
        if v.step == "kan" and v.verdict in ("oranje", "rood"):
            lines.append(
                pick(lang, "Aandachtspunten (kan het?):", "Points of attention (is it possible?):")
            )
            lines += [f"- {r}" for r in v.reasons[:4]]
    if o.undesirable:
        lines.append(
            pick(lang, "Ethische risico's: ", "Ethical risks: ")
            + ", ".join(u.name for u in o.undesirable)
            + "."
        )
    if "outside-eea" in signals:
        lines.append(
            pick(
                lang,
                "Gegevens komen mogelijk buiten de EER terecht.",
                "Data may end up outside the EEA.",
            )
        )
    lines.append(
        _todo(
            lang,
            "Beschrijf hoe met deze risico's wordt omgegaan, bijvoorbeeld door periodieke "
            "monitoring.",
            "Describe how these risks are handled, for example by periodic monitoring.",
        )
    )
    return "\n".join(lines)


def _lawful_basis(o: Outcome, lang: Lang) -> str:
    answer, note = _answer(o, "grondslag")
    if note and answer not in ("weet-niet", "overgeslagen"):
        return (
            pick(lang, "Genoemd in de triage: ", "Named in the triage: ")
            + note
            + "\n"
            + _todo(
                lang,
                "Laat een jurist of de FG dit bevestigen en leg in gewone taal uit wat de wet "
                "regelt.",
                "Have a lawyer or the DPO confirm this and explain in plain words what the law "
                "provides.",
            )
        )
    return _todo(
        lang,
        "De wettelijke grondslag is in de triage nog niet duidelijk geworden.",
        "The legal basis did not become clear in the triage.",
    )


def _impact_assessments(o: Outcome, lang: Lang, signals: tuple[str, ...]) -> tuple[str, str]:
    dpia = o.mag_het.get("dpia") if isinstance(o.mag_het.get("dpia"), Mapping) else {}
    count = int(dpia.get("count") or 0) if dpia else 0
    lines: list[str] = []
    if "dpia" in signals:
        lines.append(
            pick(
                lang,
                f"DPIA: waarschijnlijk verplicht ({count} criteria van de EDPB).",
                f"DPIA: likely required ({count} EDPB criteria).",
            )
        )
    elif count:
        lines.append(
            pick(
                lang,
                f"DPIA: {count} criterium van de EDPB; vraag de FG of een DPIA nodig is.",
                f"DPIA: {count} EDPB criterion; ask the DPO whether a DPIA is needed.",
            )
        )
    else:
        lines.append(
            pick(
                lang,
                "DPIA: de triage zag geen criteria; licht toe als er geen DPIA is gedaan.",
                "DPIA: the triage saw no criteria; explain if no DPIA was done.",
            )
        )
    lines.append(
        pick(lang, "IAMA: aanbevolen.", "IAMA: recommended.")
        if "iama" in signals
        else pick(
            lang,
            "IAMA: de triage zag geen algoritme dat mensen raakt.",
            "IAMA: the triage saw no algorithm affecting people.",
        )
    )
    if "kia" in signals:
        lines.append(
            pick(
                lang,
                "KIA: het gaat om kinderen; overweeg een Kinderrechten Impact Assessment.",
                "KIA: children are involved; consider a children's rights impact assessment.",
            )
        )
    lines.append(
        _todo(
            lang,
            "Geef aan welke toetsen zijn uitgevoerd, en waarom een toets niet is gedaan.",
            "State which assessments were done, and why one was not.",
        )
    )
    advised = [k for k in ("dpia", "iama", "kia") if k in signals]
    if not advised and count:
        advised = ["dpia"]
    grouping = "\n".join(
        f"{_NAMES[k]}: " + _todo(lang, "link naar de uitgevoerde toets", "link to the assessment")
        for k in advised
    ) or _todo(lang)
    return "\n".join(lines), grouping


def _source_data(o: Outcome, lang: Lang) -> str:
    pd = o.mag_het.get("personal_data")
    words = pd.get("because") if isinstance(pd, Mapping) else None
    head = ""
    if isinstance(words, list) and words:
        head = (
            pick(lang, "Persoonsgegevens genoemd in de triage: ", "Personal data named: ")
            + ", ".join(str(w) for w in words[:6])
            + ".\n"
        )
    return head + _todo(
        lang,
        "Noem de gegevens en hun bron (bijvoorbeeld BRP of eigen klantgegevens).",
        "Name the data and their source (for example the BRP or own customer records).",
    )


def _methods(o: Outcome, lang: Lang) -> str:
    ai = o.mag_het.get("ai_act")
    level = ai.get("level") if isinstance(ai, Mapping) else None
    head = ""
    if level and level != "none":
        head = (
            pick(
                lang,
                "Volgens de triage gaat het om AI of een algoritme",
                "According to the triage this involves AI or an algorithm",
            )
            + (
                pick(lang, " in een hoog-risicogebied", " in a high-risk area")
                if level == "high-risk"
                else ""
            )
            + ".\n"
        )
    return head + _todo(
        lang,
        "Beschrijf invoer, werking en uitvoer, en of het algoritme zelflerend is.",
        "Describe input, working and output, and whether the algorithm is self-learning.",
    )


def draft_register_entry(outcome: Outcome, organisation: str | None, lang: Lang) -> dict[str, str]:
    """A draft register entry in the fields of the standard (:data:`FIELDS`, in that order).

    Prefilled from the triage and the answers; what the team must write starts with (or
    contains) ``TO_COMPLETE[lang]``. The register publishes in Dutch only, so an English draft
    has ``lang`` to be completed (translate first).
    """
    o = outcome
    signals = outcome_signals(o)
    impact_text, impact_links = _impact_assessments(o, lang, signals)
    limits = {k: v[2] for k, v in FIELDS.items()}
    entry: dict[str, str] = {
        "name": _name(o, lang),
        "description_short": clip(_one_line(o.description), limits["description_short"])
        or _todo(lang),
        "organization": clip(_one_line(organisation), limits["organization"])
        if organisation and organisation.strip()
        else _todo(lang, "volledige naam volgens de TOOI-lijst", "full name as in the TOOI list"),
        "category": _todo(lang, "beleidsterrein(en), ten hoogste drie", "policy areas, up to 3"),
        "status": _todo(
            lang,
            f"kies: {STATUSES[0]}, {STATUSES[1]} of {STATUSES[2]}",
            f"choose: {STATUSES[0]}, {STATUSES[1]} or {STATUSES[2]} (the register's words)",
        ),
        "begin_date": _todo(lang, "JJJJ-MM", "YYYY-MM"),
        "end_date": "",  # the standard: empty while the algorithm is in use
        "contact_email": _todo(lang, "e-mailadres of website", "e-mail address or website"),
        "website": _todo(lang),
        "publication_category": _publication_category(o, signals, lang),
        "url": _todo(lang),
        "goal": _goal(o, lang),
        "proportionality": _proportionality(o, lang),
        "human_intervention": _human_intervention(o, lang),
        "risks": _risks(o, lang, signals),
        "lawful_basis": _lawful_basis(o, lang),
        "lawful_basis_grouping": _todo(lang, "titel en link per wet", "title and link per law"),
        "process_index_url": _todo(lang) if _has_personal_data(o) else "",
        "impacttoetsen": impact_text,
        "impacttoetsen_grouping": impact_links,
        "source_data": _source_data(o, lang),
        "source_data_grouping": _todo(lang),
        "methods_and_models": _methods(o, lang),
        "provider": _todo(lang, "of ‘Intern ontwikkeld’", "or ‘Intern ontwikkeld’ (in-house)"),
        "publiccode": _todo(lang),
        "lang": "nld"
        if lang == "nl"
        else _todo(lang, "", "nld: the register publishes in Dutch only; translate first"),
        "standard_version": STANDARD_VERSION,
        "source_id": _todo(
            lang,
            f"kenmerk in je eigen register (Ethiekbot-triage {o.id})",
            f"id in your own register (Ethiekbot triage {o.id})",
        ),
        "tags": _todo(lang),
    }
    # The standard's maximum lengths; a to-do line at the end is never cut off.
    return {k: _fit(v, limits[k], TO_COMPLETE[lang]) for k, v in entry.items()}


def _has_personal_data(o: Outcome) -> bool:
    pd = o.mag_het.get("personal_data")
    return bool(pd.get("signal")) if isinstance(pd, Mapping) else False


def incomplete_fields(entry: Mapping[str, str], lang: Lang) -> list[str]:
    """The fields the team still has to complete (they contain the to-do marker)."""
    return [k for k, v in entry.items() if TO_COMPLETE[lang] in v]


def register_json(entry: Mapping[str, str]) -> str:
    """The entry as a JSON object in the standard's field order (UTF-8 text, indented)."""
    ordered: dict[str, Any] = {k: entry[k] for k in FIELDS if k in entry}
    ordered.update({k: v for k, v in entry.items() if k not in ordered})
    return json.dumps(ordered, ensure_ascii=False, indent=2) + "\n"


def register_text(entry: Mapping[str, str], lang: Lang) -> str:
    """The entry as plain text for a memo: a heading per field with the standard's title."""
    title = pick(
        lang,
        "Concept voor het Algoritmeregister",
        "Draft for the Algoritmeregister (Dutch algorithm register)",
    )
    note = pick(
        lang,
        f"Velden volgens de {STANDARD_NAME} {STANDARD_VERSION}. Vooraf ingevuld door Ethiekbot "
        f"op basis van een ethiektriage: controleer elk veld. Wat met {TO_COMPLETE['nl']} "
        "begint, vult het team zelf in.",
        f"Fields of the {STANDARD_NAME} (publication standard) {STANDARD_VERSION}. Prefilled "
        f"by Ethiekbot from an ethics triage: check every field. What starts with "
        f"{TO_COMPLETE['en']} is for the team to write.",
    )
    lines = [title, "=" * len(title), "", note, ""]
    for key, value in entry.items():
        nl_title, en_title, _ = FIELDS.get(key, (key, key, 0))
        heading = f"{pick(lang, nl_title, en_title)} ({key})"
        lines += [heading, "-" * len(heading), value or "-", ""]
    return "\n".join(lines)
