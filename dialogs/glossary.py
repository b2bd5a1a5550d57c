"""Abbreviations explained: at their first use in a conversation, on `waarom?`, and at the end
of the report. Civil servants outside the privacy team do not all know what a DPIA or a KIA
is; the bot says it once, in their language, where the word first appears."""

from __future__ import annotations

import re

from knowledge.schema import Lang

# Each abbreviation with its meaning, Dutch and English (in the other language's text the
# abbreviation of that language is used: AVG/GDPR, FG/DPO, EER/EEA).
GLOSSARY: dict[str, tuple[str, str]] = {
    "DPIA": (
        "gegevensbeschermingseffectbeoordeling: vooraf de risico's van een verwerking van "
        "persoonsgegevens voor mensen in kaart brengen, art. 35 AVG",
        "data protection impact assessment: assessing beforehand the risks of processing "
        "personal data for people, art. 35 GDPR",
    ),
    "IAMA": (
        "Impact Assessment Mensenrechten en Algoritmes: een gestructureerd gesprek over de "
        "gevolgen van een algoritme voor grondrechten",
        "Fundamental Rights and Algorithms Impact Assessment: a structured discussion of an "
        "algorithm's effects on fundamental rights",
    ),
    "KIA": (
        "Kinderrechten Impact Assessment: de gevolgen voor kinderen in kaart brengen",
        "Children's Rights Impact Assessment: mapping the effects on children",
    ),
    "EER": (
        "Europese Economische Ruimte: de EU plus IJsland, Liechtenstein en Noorwegen",
        "European Economic Area",
    ),
    "EEA": (
        "Europese Economische Ruimte",
        "European Economic Area: the EU plus Iceland, Liechtenstein and Norway",
    ),
    "FG": (
        "functionaris gegevensbescherming: de interne toezichthouder op privacy",
        "data protection officer",
    ),
    "DPO": (
        "functionaris gegevensbescherming",
        "data protection officer: the internal supervisor of privacy",
    ),
    "AVG": (
        "Algemene verordening gegevensbescherming, de Europese privacywet",
        "General Data Protection Regulation",
    ),
    "GDPR": (
        "Algemene verordening gegevensbescherming",
        "General Data Protection Regulation, the European privacy law",
    ),
    "DEDA": (
        "De Ethische Data Assistent: een werkvorm om een dataproject met het team door te lopen",
        "Data Ethics Decision Aid: a guided session to go through a data project as a team",
    ),
    "CODIO": (
        "Code Goed Digitaal Openbaar Bestuur: de code voor goed bestuur van digitale "
        "overheidsprojecten",
        "Code for Good Digital Public Governance",
    ),
    "AP": (
        "Autoriteit Persoonsgegevens, de Nederlandse privacytoezichthouder",
        "Autoriteit Persoonsgegevens, the Dutch data protection authority",
    ),
}
_PATTERN = re.compile(r"(?<![\w/`-])(" + "|".join(GLOSSARY) + r")(?![\w`-]|\s*\()")
# Spans where an abbreviation is left alone: code, links, and what is already in brackets.
_SKIP = re.compile(r"`[^`]*`|https?://\S+|\([^()]*\)")


def meaning(abbreviation: str, lang: Lang) -> str:
    """What ``abbreviation`` stands for, in ``lang``."""
    nl, en = GLOSSARY[abbreviation]
    return nl if lang == "nl" else en


def used(text: str) -> list[str]:
    """The abbreviations ``text`` uses, in order of first appearance."""
    found: list[str] = []
    for m in _matches(text):
        if m.group(1) not in found:
            found.append(m.group(1))
    return found


def explain(text: str, lang: Lang, seen: set[str]) -> str:
    """``text`` with the first use of every abbreviation not in ``seen`` explained in
    brackets; ``seen`` gains what was explained."""
    out: list[str] = []
    last = 0
    for m in _matches(text):
        word = m.group(1)
        if word in seen:
            continue
        seen.add(word)
        out.append(text[last : m.end()])
        out.append(f" ({meaning(word, lang)})")
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def _matches(text: str) -> list[re.Match[str]]:
    skipped = [(m.start(), m.end()) for m in _SKIP.finditer(text)]
    return [m for m in _PATTERN.finditer(text) if not any(a <= m.start() < b for a, b in skipped)]
