"""The "Mag het?" quick scan: signals for the FG or a lawyer, never a legal verdict.

No legal knowledge lives here: ``knowledge/data/law.yaml`` holds the law as rules (the EDPB's
nine DPIA criteria, the Dutch DPA's list, AVG art. 35(3), the AI Act's prohibitions, Annex III
and art. 50, transfers outside the EEA, children), each with its article. This module only
evaluates them, with the same condition mechanism as the instrument rules
(:class:`knowledge.schema.Condition`):

1. the *facts* of a question are the ids and tags of the signals found in it;
2. ``law.yaml``'s derived facts are added in order (``ai-system``, ``personal-data``, ...);
3. its rules are checked in order; a rule that fires becomes a fact for the rules below it
   (so "high-risk" can say "unless prohibited");
4. answers to the scan's questions add the facts the question names (``yes`` / ``no``) and
   the scan runs again.

Each finding names the words in the question that raised it, so the user can see why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from knowledge.schema import DpiaCriterion, Lang, LawFile, LawRule, Text

if TYPE_CHECKING:
    from knowledge.loader import Knowledge
    from knowledge.signals import SignalHit

RiskLevel = Literal["laag", "midden", "hoog"]

DPIA_LABELS: dict[DpiaCriterion, Text] = {
    "evaluation": Text(
        nl="beoordelen, voorspellen of scoren van mensen",
        en="evaluating, predicting or scoring people",
    ),
    "automated-decision": Text(
        nl="geautomatiseerde besluiten met rechtsgevolg of vergelijkbaar",
        en="automated decisions with legal or similar effect",
    ),
    "monitoring": Text(nl="stelselmatig volgen of observeren", en="systematic monitoring"),
    "sensitive": Text(
        nl="gevoelige of zeer persoonlijke gegevens", en="sensitive or highly personal data"
    ),
    "large-scale": Text(nl="verwerking op grote schaal", en="large-scale processing"),
    "matching": Text(
        nl="koppelen of combineren van gegevensbestanden", en="matching or combining datasets"
    ),
    "vulnerable": Text(
        nl="kwetsbare betrokkenen (kinderen, werknemers, uitkeringsgerechtigden)",
        en="vulnerable data subjects (children, employees, benefit recipients)",
    ),
    "innovative": Text(nl="nieuwe technologie", en="innovative technology"),
    "blocking": Text(
        nl="mensen uitsluiten van een recht of dienst",
        en="preventing people from exercising a right or using a service",
    ),
}

# The AI Act family of a rule, as ``mag_het.ai_act.findings[].id`` names it.
_AI_ID = {
    "ai-prohibited": "prohibited",
    "ai-high-risk": "high-risk",
    "ai-transparency": "transparency",
    "ai-duty": "duty",
}

_ASK = {
    "dpia": ["fg", "privacy-officer"],
    "ai_act": ["jurist", "fg"],
    "iama": ["ethiek-adviseur", "jurist"],
    "children": ["fg", "jurist"],
    "outside_eea": ["fg", "ciso"],
}

# The words shown for a finding come from the facts its rule names, at most this many.
_MAX_WORDS = 4
ANSWERED = "(antwoord)"  # evidence that is the user's answer, not a word of the description
_ANSWERED_SAID = {"nl": "(jouw antwoord)", "en": "(your answer)"}

# The law's references are written in Dutch (law.yaml); in English they name the same articles.
_CITE_EN = [
    (re.compile(r"\bAI-verordening\b"), "AI Act"),
    (re.compile(r"\bAVG\b"), "GDPR"),
    (re.compile(r"\bbijlage\b"), "Annex"),
    (re.compile(r"\bpunt\b"), "point"),
    (re.compile(r"\boverweging\b"), "recital"),
    (re.compile(r"\bcriterium\b"), "criterion"),
    (re.compile(r"\bAP-lijst nr\."), "Dutch DPA list no."),
    (re.compile(r"\bVN-Kinderrechtenverdrag\b"), "UN Convention on the Rights of the Child"),
    (re.compile(r"\bAlgoritmeregister van de overheid\b"), "the government's algorithm register"),
    (re.compile(r"\(bij AI\)"), "(for AI)"),
    (re.compile(r"\ben\b"), "and"),
]
_AP_ITEMS_EN = {
    "heimelijk onderzoek": "covert investigation",
    "zwarte lijsten": "blacklists",
    "fraudebestrijding": "fraud prevention",
    "creditscores": "credit scores",
    "financiële situatie": "financial situation",
    "genetische persoonsgegevens": "genetic data",
    "gezondheidsgegevens": "health data",
    "samenwerkingsverbanden": "partnerships",
    "cameratoezicht": "camera surveillance",
    "flexibel cameratoezicht": "flexible camera surveillance",
    "controle werknemers": "monitoring employees",
    "locatiegegevens": "location data",
    "communicatiegegevens": "communication data",
    "profilering": "profiling",
    "observatie en beïnvloeding van gedrag": "observing and influencing behaviour",
    "biometrische gegevens": "biometric data",
}


def cite(ref: str, lang: Lang) -> str:
    """A legal reference as the user reads it: as written (Dutch), or in English."""
    if lang != "en":
        return ref
    for pattern, english in _CITE_EN:
        ref = pattern.sub(english, ref)
    return re.sub(r"\(([^()]+)\)", lambda m: f"({_AP_ITEMS_EN.get(m.group(1), m.group(1))})", ref)


def evidence(words: list[str], lang: Lang) -> list[str]:
    """Evidence words as the user reads them: the answer marker in their language."""
    return [_ANSWERED_SAID[lang] if w == ANSWERED else w for w in words]


@dataclass
class Finding:
    """One quick-scan signal: what it is, where the law says so, and the words that raised it."""

    key: str
    label: Text
    because: list[str]
    ref: str = ""
    rule: str = ""
    meaning: Text | None = None
    applies_from: date | None = None

    def cited(self, lang: Lang) -> str:
        """The finding as the user reads it, with its article: "label (ref)"."""
        return f"{self.label.get(lang)} ({cite(self.ref, lang)})"


@dataclass
class LawQuestion:
    """What the text alone cannot decide: the question the Mag-het step asks."""

    rule: str
    ask: Text
    label: Text
    ref: str
    because: list[str]


@dataclass
class MagHet:
    """The quick-scan outcome."""

    personal_data: list[str] = field(default_factory=list)
    dpia: list[Finding] = field(default_factory=list)
    dpia_required: list[Finding] = field(default_factory=list)
    ai_act: list[Finding] = field(default_factory=list)
    ai_involved: list[str] = field(default_factory=list)
    iama: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    education: list[str] = field(default_factory=list)
    outside_eea: list[str] = field(default_factory=list)
    questions: list[LawQuestion] = field(default_factory=list)
    facts: frozenset[str] = frozenset()

    @property
    def dpia_likely(self) -> bool:
        """Two or more EDPB criteria about personal data, or a single trigger."""
        return bool(self.personal_data) and (len(self.dpia) >= 2 or bool(self.dpia_required))

    @property
    def ai_act_level(self) -> str:
        keys = {f.key for f in self.ai_act}
        for level in ("prohibited", "high-risk", "transparency"):
            if level in keys:
                return level
        return "ai" if self.ai_involved else "none"

    @property
    def eea_question(self) -> LawQuestion | None:
        """The open question where the data are hosted, if the text did not say."""
        return next((q for q in self.questions if q.rule == "ask-hosting"), None)

    def ask(self) -> list[str]:
        """Contact ids to turn to, most relevant first."""
        out: list[str] = []
        for key, present in (
            # Sensing technology without a word about people: the FG helps check whether
            # people or their homes can be recognised.
            ("dpia", bool(self.dpia) or bool(self.personal_data) or "observation" in self.facts),
            ("ai_act", bool(self.ai_act)),
            ("iama", bool(self.iama)),
            ("children", bool(self.children)),
            ("outside_eea", bool(self.outside_eea) or self.eea_question is not None),
        ):
            if present:
                out.extend(c for c in _ASK[key] if c not in out)
        return out

    def to_dict(self, knowledge: Knowledge, lang: Lang) -> dict[str, Any]:
        """JSON-ready, with the disclaimer and whom to ask."""

        def finding(f: Finding) -> dict[str, Any]:
            out: dict[str, Any] = {
                "id": f.key,
                "label": f.label.get(lang),
                "because": evidence(f.because, lang),
                "ref": f.ref,
            }
            if f.rule:
                out["rule"] = f.rule
            if f.meaning is not None:
                out["meaning"] = f.meaning.get(lang)
            if f.applies_from is not None:
                out["applies_from"] = f.applies_from.isoformat()
            return out

        eea = self.eea_question

        def signal(words: list[str]) -> dict[str, Any]:
            return {"signal": bool(words), "because": evidence(words, lang)}

        return {
            "note": NOTE.get(lang),
            "personal_data": {
                "signal": bool(self.personal_data),
                "because": evidence(self.personal_data, lang),
            },
            "dpia": {
                "criteria": [finding(f) for f in self.dpia],
                "count": len(self.dpia),
                "likely_required": self.dpia_likely,
                "required": bool(self.dpia_required) and bool(self.personal_data),
                "required_by": [finding(f) for f in self.dpia_required],
            },
            "ai_act": {
                "level": self.ai_act_level,
                "findings": [finding(f) for f in self.ai_act],
            },
            "iama": signal(self.iama),
            "children": signal(self.children),
            "education": {
                "signal": bool(self.education),
                "because": evidence(self.education, lang),
            },
            "outside_eea": {
                "signal": bool(self.outside_eea),
                "because": evidence(self.outside_eea, lang),
                "ask": eea.ask.get(lang) if eea else None,
            },
            "questions": [
                {
                    "id": q.rule,
                    "ask": q.ask.get(lang),
                    "about": q.label.get(lang),
                    "ref": q.ref,
                    "because": q.because,
                }
                for q in self.questions
            ],
            "ask": [
                {"id": cid, "name": knowledge.contacts[cid].name.get(lang)}
                for cid in self.ask()
                if cid in knowledge.contacts
            ],
        }


NOTE = Text(
    nl="Dit zijn signalen, geen juridisch oordeel. Bespreek ze met je FG of een jurist.",
    en="These are signals, not a legal verdict. Discuss them with your DPO or a lawyer.",
)


def facts_of(hits: Mapping[str, SignalHit]) -> dict[str, list[str]]:
    """Every fact a question shows (signal ids and tags), with the words behind each."""
    facts: dict[str, list[str]] = {}
    for sid, hit in hits.items():
        for name in (sid, *hit.signal.tags):
            facts.setdefault(name, []).extend(hit.words[:2])
    return facts


def _words(rule_names: Iterable[str], facts: Mapping[str, list[str]]) -> list[str]:
    out: list[str] = []
    for name in rule_names:
        for w in facts.get(name, ()):
            if w not in out:
                out.append(w)
    return out[:_MAX_WORDS]


def evaluate(law: LawFile, facts: dict[str, list[str]]) -> list[LawRule]:
    """Derive ``law``'s facts into ``facts`` (in place) and return the rules that fire.

    A derived fact's words are the words of the facts that made it hold; a rule that fires
    becomes a fact for the rules below it.
    """
    for derived in law.facts:
        if derived.holds(facts.keys()):
            words = _words((*derived.all, *derived.any), facts) or [ANSWERED]
            facts.setdefault(derived.id, []).extend(w for w in words if w not in facts[derived.id])
    fired: list[LawRule] = []
    for rule in law.rules:
        if rule.holds(facts.keys()):
            fired.append(rule)
            words = _words((*rule.all, *rule.any), facts)
            # The rule and its family become facts, so "unless prohibited" can be written
            # ``none: [ai-prohibited]``.
            facts.setdefault(rule.id, words)
            if rule.family != "question":
                facts.setdefault(rule.family, words)
    return fired


def quick_scan(
    hits: Mapping[str, SignalHit],
    law: LawFile,
    answers: Mapping[str, bool] | None = None,
    extra: Iterable[str] = (),
) -> MagHet:
    """The Mag-het signals of a question, from the signals found in it and ``law``.

    ``answers`` are the user's answers to earlier questions of the scan, by rule id (``True``
    for *ja*): each adds the facts its question names. ``extra`` are facts known otherwise
    (the user's "ja" to a drietrap question).
    """
    facts = facts_of(hits)
    for name in extra:
        facts.setdefault(name, [ANSWERED])
    by_id = {r.id: r for r in law.rules}
    for rid, yes in (answers or {}).items():
        rule = by_id.get(rid)
        if rule is not None:
            for name in rule.if_yes if yes else rule.if_no:
                facts.setdefault(name, [ANSWERED])
    fired = evaluate(law, facts)
    scan = MagHet(facts=frozenset(facts))
    seen: set[str] = set()
    for rule in fired:
        # What sets the rule apart comes first ("amerikaanse" for a transfer, not the
        # personal data every finding shares).
        words = _words((*rule.any, *rule.all), facts) or [ANSWERED]
        if rule.family == "question":
            if rule.id not in (answers or {}):
                scan.questions.append(
                    LawQuestion(rule.id, rule.ask or rule.label, rule.label, rule.ref, words)
                )
            continue
        finding = Finding(
            key=rule.criterion or _AI_ID.get(rule.family, rule.family),
            label=rule.label,
            because=words,
            ref=rule.ref,
            rule=rule.id,
            meaning=rule.meaning,
            applies_from=rule.applies_from,
        )
        family = rule.family
        if family == "personal-data":
            scan.personal_data = _merge(scan.personal_data, words)
        elif family == "dpia-criterion":
            # One finding per criterion; the first rule that raised it explains it.
            if finding.key not in seen:
                seen.add(finding.key)
                scan.dpia.append(finding)
        elif family == "dpia-required":
            scan.dpia_required.append(finding)
        elif family in _AI_ID:
            scan.ai_act.append(finding)
        elif family == "iama":
            scan.iama = _merge(scan.iama, words)
        elif family == "children":
            scan.children = _merge(scan.children, words)
        elif family == "education":
            scan.education = _merge(scan.education, words)
        elif family == "outside-eea":
            scan.outside_eea = _merge(scan.outside_eea, words)
    order = list(DPIA_LABELS)
    scan.dpia.sort(key=lambda f: order.index(f.key))  # type: ignore[arg-type]
    scan.ai_involved = _words(("ai-system", "algorithm"), facts)
    return scan


def _merge(into: list[str], words: list[str]) -> list[str]:
    return [*into, *(w for w in words if w not in into)]


def assess_risk(scan: MagHet) -> tuple[RiskLevel, list[Text]]:
    """``laag``, ``midden`` or ``hoog``, with the signals that made it so.

    A prohibited practice always makes it ``hoog``.
    """
    why: list[Text] = []
    keys = {f.key for f in scan.dpia}
    level = scan.ai_act_level
    if level == "prohibited":
        why.append(
            Text(nl="mogelijk een verboden AI-praktijk", en="possibly a prohibited AI practice")
        )
    if level == "high-risk":
        why.append(
            Text(
                nl="AI in een hoog-risicogebied van de AI-verordening",
                en="AI in a high-risk area of the AI Act",
            )
        )
    if scan.dpia_required and scan.personal_data:
        why.append(
            Text(
                nl="DPIA verplicht: " + "; ".join(f.ref for f in scan.dpia_required),
                en="DPIA required: " + "; ".join(cite(f.ref, "en") for f in scan.dpia_required),
            )
        )
    elif scan.dpia_likely:
        why.append(
            Text(
                nl=f"{len(scan.dpia)} DPIA-criteria: " + "; ".join(f.label.nl for f in scan.dpia),
                en=f"{len(scan.dpia)} DPIA criteria: " + "; ".join(f.label.en for f in scan.dpia),
            )
        )
    serious = {"sensitive", "vulnerable", "automated-decision", "evaluation"} & keys
    if level in ("prohibited", "high-risk") or (scan.dpia_likely and serious) or len(keys) >= 3:
        return "hoog", why
    why.clear()
    if scan.dpia:
        why.append(
            Text(
                nl="DPIA-criterium: " + "; ".join(f.label.nl for f in scan.dpia),
                en="DPIA criterion: " + "; ".join(f.label.en for f in scan.dpia),
            )
        )
    if scan.dpia_required and scan.personal_data:
        why.append(
            Text(
                nl="DPIA verplicht: " + "; ".join(f.ref for f in scan.dpia_required),
                en="DPIA required: " + "; ".join(cite(f.ref, "en") for f in scan.dpia_required),
            )
        )
    if scan.personal_data:
        why.append(Text(nl="persoonsgegevens", en="personal data"))
    if scan.ai_involved:
        why.append(Text(nl="een algoritme of AI", en="an algorithm or AI"))
    if scan.outside_eea:
        why.append(Text(nl="gegevens mogelijk buiten de EER", en="data possibly outside the EEA"))
    if scan.iama:
        why.append(Text(nl="een algoritme dat mensen raakt", en="an algorithm affecting people"))
    if not scan.personal_data and "observation" in scan.facts:
        # Drones or cameras without people named yet: not harmless until someone checks.
        why.append(
            Text(
                nl="techniek die waarneemt: ga na of mensen of hun erf herkenbaar zijn",
                en="technology that observes: check whether people or their property can be "
                "recognised",
            )
        )
    if why:
        return "midden", why
    return "laag", [
        Text(
            nl="geen signalen voor persoonsgegevens, AI of toezicht op mensen",
            en="no signals of personal data, AI or monitoring of people",
        )
    ]
