"""The "Mag het?" quick scan: signals for the FG or a lawyer, never a legal verdict.

* **DPIA**: the EDPB's nine criteria; two or more make a DPIA likely required.
* **AI Act**: a prohibited practice, a high-risk area of Annex III (only when an algorithm or AI
  is involved), or the transparency duty for chatbots and generated content.
* **IAMA / algorithm register**: an algorithm that judges or affects people.
* **Children** (a children's rights impact assessment, KIA) and **transfers outside the EEA**.

Each signal names the words in the question that raised it, so the user can see why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from knowledge.schema import DpiaCriterion, Lang, Text

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

_ASK = {
    "dpia": ["fg", "privacy-officer"],
    "ai_act": ["jurist", "fg"],
    "iama": ["ethiek-adviseur", "jurist"],
    "children": ["fg", "jurist"],
    "outside_eea": ["fg", "ciso"],
}


@dataclass
class Finding:
    """One quick-scan signal: what it is, and the words that raised it."""

    key: str
    label: Text
    because: list[str]


@dataclass
class MagHet:
    """The quick-scan outcome."""

    personal_data: list[str] = field(default_factory=list)
    dpia: list[Finding] = field(default_factory=list)
    ai_act: list[Finding] = field(default_factory=list)
    ai_involved: list[str] = field(default_factory=list)
    iama: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    outside_eea: list[str] = field(default_factory=list)

    @property
    def dpia_likely(self) -> bool:
        """Two or more EDPB criteria: a DPIA is likely required."""
        return len(self.dpia) >= 2

    @property
    def ai_act_level(self) -> str:
        keys = {f.key for f in self.ai_act}
        for level in ("prohibited", "high-risk", "transparency"):
            if level in keys:
                return level
        return "ai" if self.ai_involved else "none"

    def ask(self) -> list[str]:
        """Contact ids to turn to, most relevant first."""
        out: list[str] = []
        for key, present in (
            ("dpia", bool(self.dpia) or bool(self.personal_data)),
            ("ai_act", bool(self.ai_act)),
            ("iama", bool(self.iama)),
            ("children", bool(self.children)),
            ("outside_eea", bool(self.outside_eea)),
        ):
            if present:
                out.extend(c for c in _ASK[key] if c not in out)
        return out

    def to_dict(self, knowledge: Knowledge, lang: Lang) -> dict[str, Any]:
        """JSON-ready, with the disclaimer and whom to ask."""

        def finding(f: Finding) -> dict[str, Any]:
            return {"id": f.key, "label": f.label.get(lang), "because": f.because}

        return {
            "note": NOTE.get(lang),
            "personal_data": {"signal": bool(self.personal_data), "because": self.personal_data},
            "dpia": {
                "criteria": [finding(f) for f in self.dpia],
                "count": len(self.dpia),
                "likely_required": self.dpia_likely,
            },
            "ai_act": {
                "level": self.ai_act_level,
                "findings": [finding(f) for f in self.ai_act],
            },
            "iama": {"signal": bool(self.iama), "because": self.iama},
            "children": {"signal": bool(self.children), "because": self.children},
            "outside_eea": {"signal": bool(self.outside_eea), "because": self.outside_eea},
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


def _words(hits: dict[str, SignalHit], pred: Any) -> list[str]:
    return [w for h in hits.values() if pred(h.signal) for w in h.words[:2]]


def quick_scan(hits: dict[str, SignalHit]) -> MagHet:
    """Derive the Mag-het signals from the signals found in a question."""
    scan = MagHet()
    tags = {t for h in hits.values() for t in h.signal.tags}
    scan.personal_data = _words(hits, lambda s: s.personal_data)
    has_algorithm = "algorithm" in tags
    about_people = "affects-people" in tags or "residents" in tags or bool(scan.personal_data)

    criteria: dict[DpiaCriterion, list[str]] = {}
    for h in hits.values():
        for c in h.signal.dpia:
            # "Employees" counts as vulnerable only when they are watched or judged.
            criteria.setdefault(c, []).extend(h.words[:2])
    if "employees" in tags and ({"observation", "prediction"} & tags):
        criteria.setdefault("vulnerable", []).extend(_words(hits, lambda s: "employees" in s.tags))
    if has_algorithm and "automation" in tags and "affects-people" in tags:
        criteria.setdefault("automated-decision", []).extend(
            _words(hits, lambda s: "automation" in s.tags)
        )
    if "service-access" in tags and ("algorithm" in tags or "affects-people" in tags):
        criteria.setdefault("blocking", []).extend(
            _words(hits, lambda s: "service-access" in s.tags)
        )
    if not about_people and "observation" not in tags:
        # Without people in view (ammonia in a stall, a flood map) most criteria do not apply.
        criteria = {c: w for c, w in criteria.items() if c in ("innovative",)}
        if criteria and len(criteria) < 2:
            criteria = {}
    scan.dpia = [Finding(c, DPIA_LABELS[c], list(dict.fromkeys(w))) for c, w in criteria.items()]
    order = list(DPIA_LABELS)
    scan.dpia.sort(key=lambda f: order.index(f.key))  # type: ignore[arg-type]

    scan.ai_involved = _words(hits, lambda s: "ai" in s.ai_act or "algorithm" in s.tags)
    for h in hits.values():
        sig = h.signal
        area = sig.ai_act_area or sig.label
        if "prohibited" in sig.ai_act:
            scan.ai_act.append(Finding("prohibited", area, h.words[:2]))
        # Annex III is about AI used *on* these people: staff merely using an AI tool, or a
        # team building a model, is not the employment area.
        judged = bool({"observation", "prediction"} & tags) or any(
            {"evaluation", "automated-decision", "monitoring"} & set(o.signal.dpia)
            for o in hits.values()
            if o is not h
        )
        if "high-risk" in sig.ai_act and has_algorithm and ("employees" not in sig.tags or judged):
            scan.ai_act.append(Finding("high-risk", area, h.words[:2]))
        if "transparency" in sig.ai_act:
            scan.ai_act.append(
                Finding(
                    "transparency",
                    Text(
                        nl="transparantieplicht: mensen moeten weten dat ze met AI praten of "
                        "door AI gemaakte inhoud zien (art. 50)",
                        en="transparency duty: people must know they talk to AI or see "
                        "AI-generated content (Art. 50)",
                    ),
                    h.words[:2],
                )
            )
    if has_algorithm and about_people:
        scan.iama = _words(hits, lambda s: "algorithm" in s.tags)
    if "register" in tags:
        scan.iama.extend(_words(hits, lambda s: "register" in s.tags))
    scan.iama = list(dict.fromkeys(scan.iama))
    scan.children = _words(hits, lambda s: s.children)
    scan.outside_eea = _words(hits, lambda s: s.outside_eea)
    return scan


def assess_risk(hits: dict[str, SignalHit], scan: MagHet) -> tuple[RiskLevel, list[Text]]:
    """``laag``, ``midden`` or ``hoog``, with the signals that made it so."""
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
    if scan.dpia_likely:
        names = "; ".join(f.label.nl for f in scan.dpia)
        names_en = "; ".join(f.label.en for f in scan.dpia)
        why.append(
            Text(
                nl=f"{len(scan.dpia)} DPIA-criteria: {names}",
                en=f"{len(scan.dpia)} DPIA criteria: {names_en}",
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
    if scan.personal_data:
        why.append(Text(nl="persoonsgegevens", en="personal data"))
    if scan.ai_involved:
        why.append(Text(nl="een algoritme of AI", en="an algorithm or AI"))
    if scan.outside_eea:
        why.append(Text(nl="gegevens mogelijk buiten de EER", en="data possibly outside the EEA"))
    if scan.iama:
        why.append(Text(nl="een algoritme dat mensen raakt", en="an algorithm affecting people"))
    if why:
        return "midden", why
    return "laag", [
        Text(
            nl="geen signalen voor persoonsgegevens, AI of toezicht op mensen",
            en="no signals of personal data, AI or monitoring of people",
        )
    ]
