"""The triage: from a free-text question to similar cases, values, instruments and Mag-het signals.

Deterministic and explainable. Every score is built from parts the user can be shown:

* **similar cases**: the signals a question shares with a case (weighted by how specific the
  signal is and how central it is to the case), blended with the overlap of stemmed words;
* **values**: the values the question's signals put at stake, and those that were weighed in the
  most similar cases (their "onwenselijk omdat" column counts most);
* **instruments**: the guide's need-to-instrument rules (``rules.yaml``) fired by the signals'
  tags, plus the instrument that was used in a closely matching case;
* **Mag het?** and **risk**: see :mod:`knowledge.quickscan`.

Build an :class:`Advisor` once; :meth:`Advisor.triage` is then a few milliseconds::

    >>> from knowledge.triage import Advisor
    >>> advisor = Advisor.load()
    >>> advisor.triage("Mogen we drones inzetten boven weilanden?").cases[0].id
    'drones-subsidiecontrole'
"""

from __future__ import annotations

import functools
import gc
import heapq
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from knowledge.lemmas import load as lemma_table
from knowledge.loader import Knowledge, load
from knowledge.quickscan import MagHet, RiskLevel, assess_risk, facts_of, quick_scan
from knowledge.schema import UNCLEAR_QUESTION, Case, Lang, OrganisationTheme, Text
from knowledge.signals import SignalHit, SignalMatcher
from knowledge.text import (
    EN_STOP,
    MAX_CHARS,
    NL_STOP,
    clean,
    detect_language,
    other_language,
    split_compound,
    stem,
    without_placeholders,
    words,
)

# How central a signal is to a case depends on where the case mentions it.
_FIELD_WEIGHT = {"core": 1.0, "summary": 0.6, "weighed": 0.4}
# Blend of the two similarity measures; signals explain better, words catch the rest.
_SIGNAL_SHARE = 0.7
_MIN_CASE_SCORE = 0.12
_MAX_CASES = 5
# "close": the question shares what makes the case that case (its close_if groups) and the
# score is at least this; a case without close_if needs the fallback score. Both were set on
# the first held-out set (tests/data/heldout) and measured on the second (heldout2).
_MIN_CLOSE_SCORE = 0.2
_CLOSE_WITHOUT_ANCHORS = 0.5
# In a large library, terms found in more than this share of cases barely tell cases apart;
# their postings are skipped when scoring (they still count in the question's norm).
_LARGE_LIBRARY = 500
# Words whose compound parts and stems an advisor remembers (the typo corrector's bound).
_MAX_REMEMBERED = 200_000
_COMMON_SHARE = 0.10
# A reload that adds or drops more compound parts than this reads every word afresh.
_MAX_CHANGED_PARTS = 2_000
# A question says what it is about when it names at least one technology, kind of data,
# purpose or group that carries weight; the law's helper signals (weight below 1) do not.
_DESCRIBING_KINDS = frozenset({"technology", "data", "purpose", "group"})
_DESCRIBING_WEIGHT = 1.0
# "AI" or "an algorithm" alone names no project: with nothing else the bot asks what it is for.
_GENERIC = "generic-tech"
# Who asks, or who told them to, is no group the project affects: "mijn leidinggevende zegt
# dat ik iets met ethiek moet doen", "ik ben nieuw als beleidsmedewerker".
_ASKER_WORDS = frozenset(
    """leidinggevende leidinggevenden manager managers baas boss supervisor teamleider
    beleidsmedewerker beleidsadviseur adviseur collega collega's colleague colleagues""".split()
)
# Needs that make a question answerable without a project: the organisation's own embedding,
# maturity, the council's frame, agreements, a data project, the register.
_ANSWERABLE_NEEDS = frozenset(
    {
        "embedding",
        "maturity",
        "council",
        "agreements",
        "values-framework",
        "data-project",
        "register",
        "human-rights",
        "team-disagreement",
        "strong-dilemma",
    }
)
# The organisation route: a question about the organisation rather than a project.
_ORGANISATION_NEEDS = frozenset({"embedding", "maturity", "council", "values-framework"})
# Agreements are the organisation's when a team or the organisation makes them for itself
# ("mijn afdeling wil spelregels vastleggen"), not for one project ("de gemeente maakt
# afspraken met de leverancier").
_ORGANISATION_AGREEMENTS = frozenset({"agreements", "own-team"})
# How much a merely related case's weighed values count, against a close case's.
_RELATED_VALUE_SHARE = 0.4
# A signal lists its values most pressing first; the first is its main concern.
_RANK_FACTOR = (1.0, 0.6, 0.35, 0.2)


@functools.lru_cache(maxsize=4096)
def _text(nl: str, en: str) -> Text:
    # Built many times per triage from texts that are already valid: skip validation. The
    # same reasons come back in triage after triage (a signal's label, a case's "because"),
    # and a Text is frozen, so one object per pair is shared.
    return Text.model_construct(nl=nl, en=en)


Strength = Literal["close", "related"]


@dataclass(frozen=True)
class CaseMatch:
    """A similar past case with its score in [0, 1], the reasons, and how alike it is:
    ``close`` (the question shares what makes the case that case) or ``related``."""

    case: Case
    score: float
    why: list[Text]
    strength: Strength = "related"

    @property
    def id(self) -> str:
        return self.case.id

    @property
    def close(self) -> bool:
        return self.strength == "close"


@dataclass(frozen=True)
class InstrumentAdvice:
    """A recommended instrument with its points and the reasons."""

    id: str
    points: float
    why: list[Text]

    def to_dict(self, knowledge: Knowledge, lang: Lang) -> dict[str, Any]:
        """Its id, name and reasons in ``lang`` (the JSON of a recommendation or a start)."""
        return {
            "id": self.id,
            "name": knowledge.instruments[self.id].name.get(lang),
            "why": [w.get(lang) for w in self.why],
        }


@dataclass(frozen=True)
class ValueAtStake:
    """A public value at stake, how pressing (points) and why."""

    id: str
    points: float
    why: list[Text]


@dataclass
class Triage:
    """The outcome of one triage. ``to_dict`` gives the JSON of ``ethiekbot triage --json``."""

    text: str
    language: Lang
    signals: dict[str, SignalHit]
    cases: list[CaseMatch]
    instruments: list[InstrumentAdvice]
    values: list[ValueAtStake]
    mag_het: MagHet
    risk: RiskLevel
    risk_why: list[Text]
    notices: list[Text] = field(default_factory=list)
    # Nothing to judge yet: no technology, data, purpose or group named. The bot asks back.
    needs_more: bool = False
    # A question about the organisation (chapter 3): the themes, most relevant first.
    organisation: list[OrganisationTheme] = field(default_factory=list)
    # While the question is unclear: the guide's starting points, each with when it fits
    # (rules.yaml, UNCLEAR_QUESTION). Not a recommendation; ``instruments`` stays empty.
    start_points: list[InstrumentAdvice] = field(default_factory=list)

    def to_dict(self, knowledge: Knowledge, lang: Lang | None = None) -> dict[str, Any]:
        """A JSON-ready dict in ``lang`` (default: the question's language)."""
        out_lang = lang or self.language
        return {
            "cases": [
                {
                    "id": m.id,
                    "title": m.case.title.get(out_lang),
                    "score": round(m.score, 3),
                    "strength": m.strength,
                    "why": [w.get(out_lang) for w in m.why],
                }
                for m in self.cases
            ],
            "instruments": [a.to_dict(knowledge, out_lang) for a in self.instruments],
            "values": [
                {
                    "id": v.id,
                    "name": knowledge.values[v.id].name.get(out_lang),
                    "question": knowledge.values[v.id].questions[0].get(out_lang),
                    "why": [w.get(out_lang) for w in v.why],
                }
                for v in self.values
            ],
            "mag_het": self.mag_het.to_dict(knowledge, out_lang),
            # No risk is judged for a question that says nothing yet.
            "risk": None if self.needs_more else self.risk,
            "risk_why": [] if self.needs_more else [w.get(out_lang) for w in self.risk_why],
            "needs_more": (
                {
                    "ask": NEEDS_MORE.get(out_lang),
                    "example": NEEDS_MORE_EXAMPLE.get(out_lang),
                    "start_points": [a.to_dict(knowledge, out_lang) for a in self.start_points],
                }
                if self.needs_more
                else None
            ),
            "organisation": [
                {
                    "id": th.id,
                    "title": th.title.get(out_lang),
                    "check": th.check.get(out_lang),
                    "advice": [a.get(out_lang) for a in th.advice],
                    "source": th.source,
                }
                for th in self.organisation
            ],
            "signals": sorted(self.signals),
            "language": self.language,
            "notices": [n.get(out_lang) for n in self.notices],
        }


# Said when a text is in neither language the lexicon knows (the conversation says it in both).
OTHER_LANGUAGE = Text(
    nl="Je bericht lijkt in een andere taal dan het Nederlands of Engels; die twee begrijp ik. "
    "Mijn antwoord kan er daardoor naast zitten.",
    en="Your message seems to be in a language other than Dutch or English, the two I "
    "understand. My answer may miss because of it.",
)
NEEDS_MORE = Text(
    nl="Ik kan je vraag nog niet goed plaatsen. Vertel iets meer: welke technologie of welke "
    "gegevens wil je gebruiken, waarvoor, en om wie gaat het?",
    en="I cannot place your question yet. Tell me a little more: which technology or data do "
    "you want to use, what for, and who is it about?",
)
NEEDS_MORE_EXAMPLE = Text(
    nl='Bijvoorbeeld: "We willen met sensoren in het winkelgebied de drukte meten, zodat de '
    'beveiliging op de juiste plekken staat."',
    en='For example: "We want to measure crowds in the shopping area with sensors, so that '
    'security staff are in the right places."',
)


# A case's words: per field (joined text and words), and per language.
_CaseWords = tuple[dict[str, tuple[str, list[str]]], dict[Lang, list[str]]]


def _case_words(case: Case) -> _CaseWords:
    """The words of a case, each text read once: per field (joined text and words) for the
    signal profile, and per language for the word profile."""
    judgements = [j.because for j in (*case.values_for, *case.values_against)]
    read: dict[str, list[str]] = {}

    def of(*texts: str) -> list[str]:
        out: list[str] = []
        for t in texts:
            ws = read.get(t)
            if ws is None:
                ws = read[t] = words(t)
            out += ws
        return out

    described = [*case.technologies, *case.data]
    fields = {
        "core": [
            case.title.nl,
            case.title.en,
            case.question.nl,
            case.question.en,
            *described,
        ],
        "summary": [case.summary.nl, case.summary.en, *case.stakeholders],
        "weighed": [*(t.nl for t in judgements), *(t.en for t in judgements)],
    }
    # Words never span two texts, so the words of the joined texts are the texts' words in turn.
    per_field = {name: ("\n".join(texts), of(*texts)) for name, texts in fields.items()}
    per_lang: dict[Lang, list[str]] = {
        lang: of(case.title.get(lang), case.question.get(lang), case.summary.get(lang), *described)
        for lang in ("nl", "en")
    }
    return per_field, per_lang


def _lend_stems(
    previous: Advisor, known_parts: frozenset[str]
) -> dict[Lang, dict[str, tuple[str, ...]]]:
    """The previous advisor's stems per word, for the words whose compound split cannot have
    changed: a split depends only on which of the word's own substrings are known parts, so
    a word containing none of the parts added or gone keeps its stems."""
    changed = previous._known_parts.symmetric_difference(known_parts)
    if len(changed) > _MAX_CHANGED_PARTS:  # a different library: read it afresh
        return {"nl": {}, "en": {}}
    # The advisor in use goes on answering (and remembering stems) while this one is built:
    # each table is copied in one step (dict() holds the GIL) before it is read.
    tables = {lang: dict(table) for lang, table in previous._stems.items()}
    if not changed:
        return tables
    touched = re.compile("|".join(map(re.escape, sorted(changed, key=len, reverse=True))))
    return {
        lang: {w: stems for w, stems in table.items() if not touched.search(w)}
        for lang, table in tables.items()
    }


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Indexing allocates millions of small objects and makes no reference cycles; meanwhile
    the cyclic collector would walk all of them again and again (about 13 % of the build of a
    10,000-case library). Reference counting still frees what is dropped."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Advisor:
    """The knowledge, indexed for triage. Immutable after construction; safe to share."""

    def __init__(self, knowledge: Knowledge, previous: Advisor | None = None) -> None:
        """Index ``knowledge``. With ``previous`` (the advisor in use, when the knowledge is
        reloaded), an unchanged case keeps the signal profile it had there when the lexicon is
        unchanged too: the profile depends on nothing else (every word of a case is in the
        vocabulary, so none is corrected or looked up), and finding it is most of the work."""
        with _without_cyclic_gc():
            self._index(knowledge, previous)

    def _index(self, knowledge: Knowledge, previous: Advisor | None) -> None:
        self.knowledge = knowledge
        self.rules = knowledge.rules
        # Each case field is read (joined and split into words) once: the words feed the typo
        # vocabulary and, below, the case's signal profile. A case the previous advisor had
        # read already keeps its words (they depend on its text alone); kept on the advisor
        # for the next reload, they cost no more memory than the build itself took.
        lent: dict[str, _CaseWords] = previous._read if previous is not None else {}
        lent_cases = previous.knowledge.cases if previous is not None else {}
        read: dict[str, _CaseWords] = {
            cid: lent[cid] if cid in lent and lent_cases.get(cid) == case else _case_words(case)
            for cid, case in knowledge.cases.items()
        }
        self._read: dict[str, _CaseWords] = read
        vocabulary: set[str] = set()
        for per_field, _ in read.values():
            for _, ws in per_field.values():
                vocabulary.update(ws)
        for value in knowledge.values.values():
            for q in value.questions:
                vocabulary.update(words(q.nl))
        self.matcher = SignalMatcher(knowledge.signals.values(), vocabulary, lemma_table())
        # Compounds are split into words the knowledge itself uses, so a question's
        # "stikstofuitstoot" meets a case's "ammoniakuitstoot" on "uitstoot" (no dictionary).
        self._known_parts = frozenset(w for w in vocabulary if len(w) >= 4 and w.isalpha())
        self._parts: dict[str, tuple[str, ...]] = {}
        # The stems each word counts for, per language: one look-up per word of a text.
        self._stems: dict[Lang, dict[str, tuple[str, ...]]] = (
            _lend_stems(previous, self._known_parts)
            if previous is not None
            else {"nl": {}, "en": {}}
        )

        # Signal profile of each case: weight of each signal by the most central field naming it.
        self._case_signals: dict[str, dict[str, float]] = {}
        doc_freq: Counter[str] = Counter()
        known = (
            previous
            if previous is not None and previous.knowledge.signals == knowledge.signals
            else None
        )
        for case in knowledge.cases.values():
            if known is not None and known.knowledge.cases.get(case.id) == case:
                profile = known._case_signals[case.id]
                self._case_signals[case.id] = profile
                doc_freq.update(profile.keys())
                continue
            profile = {}
            for fname, (joined, ws) in read[case.id][0].items():
                # Sorted: the profile's order fixes the order of the float sums below, which a
                # set's order (Python's string hashing) would vary between runs.
                for sid in sorted(self.matcher.find_ids(joined, ws)):
                    profile[sid] = max(profile.get(sid, 0.0), _FIELD_WEIGHT[fname])
            for sid in case.signals:
                profile[sid] = 1.0
            self._case_signals[case.id] = profile
            doc_freq.update(profile.keys())
        n = max(len(knowledge.cases), 1)
        # A signal shared by few cases says more about which case is meant.
        self._idf = {sid: math.log(1 + n / (1 + doc_freq.get(sid, 0))) for sid in knowledge.signals}
        self._sig_weight = {
            sid: sig.weight * self._idf.get(sid, 1.0) for sid, sig in knowledge.signals.items()
        }
        self._case_norm = {
            cid: math.sqrt(sum((self._sig_weight[s] * w) ** 2 for s, w in prof.items())) or 1.0
            for cid, prof in self._case_signals.items()
        }
        # Inverted index: signal -> (case, signal weight x centrality in the case).
        self._by_signal: dict[str, list[tuple[str, float]]] = {}
        for cid, prof in self._case_signals.items():
            for sid, w in prof.items():
                self._by_signal.setdefault(sid, []).append((cid, self._sig_weight[sid] * w))
        self._prune(self._by_signal, n)
        # Word profile per case and language (TF-IDF over Snowball stems).
        self._by_stem: dict[Lang, dict[str, list[tuple[str, float]]]] = {"nl": {}, "en": {}}
        self._word_idf: dict[Lang, dict[str, float]] = {"nl": {}, "en": {}}
        for lang in ("nl", "en"):
            tfs: dict[str, Counter[str]] = {}
            df: Counter[str] = Counter()
            for case in knowledge.cases.values():
                tf = self._stem_counts(read[case.id][1][lang], lang)
                tfs[case.id] = tf
                df.update(tf.keys())
            idf = {w: math.log(1 + n / c) for w, c in df.items()}
            self._word_idf[lang] = idf
            postings: defaultdict[str, list[tuple[str, float]]] = defaultdict(list)
            for cid, tf in tfs.items():
                vec = {w: (1 + math.log(c)) * idf[w] for w, c in tf.items()}
                norm = math.hypot(*vec.values()) or 1.0  # the vector's length, in C
                for stem_, weight in vec.items():
                    postings[stem_].append((cid, weight / norm))
            self._by_stem[lang] = dict(postings)  # a plain dict: looking up adds no entries
            self._prune(self._by_stem[lang], n)
        # The guide's starting points for a question that says too little to judge, in the
        # order of rules.yaml, each with its own reason (nothing about the question is judged).
        self._start_points = [
            InstrumentAdvice(r.instrument, r.points, [r.why])
            for r in self.rules
            if UNCLEAR_QUESTION in r.names()
        ]

    def _stem_counts(self, ws: list[str], lang: Lang) -> Counter[str]:
        """How often each stem of a text's words occurs (the stems of
        :func:`knowledge.text.content_stems`), a compound also counting its parts' stems.
        Each distinct word is stemmed once per advisor (bounded); counting the text's words
        is then one pass in C."""
        table = self._stems[lang]
        new = set(ws).difference(table)
        if new:
            if len(table) + len(new) > _MAX_REMEMBERED:
                table = {w: table[w] for w in set(ws) - new}  # full: a table for this text only
            stop = NL_STOP if lang == "nl" else EN_STOP
            for w in new:
                table[w] = (
                    (stem(w, lang), *(stem(p, lang) for p in self._split(w)))
                    if len(w) > 2 and w not in stop
                    else ()
                )
        return Counter(itertools.chain.from_iterable(map(table.__getitem__, ws)))

    def _split(self, word: str) -> tuple[str, ...]:
        """A word's compound parts, remembered per advisor (bounded)."""
        parts = self._parts.get(word)
        if parts is None:
            parts = split_compound(word, self._known_parts)
            if len(self._parts) < _MAX_REMEMBERED:
                self._parts[word] = parts
        return parts

    @staticmethod
    def _prune(postings: dict[str, list[tuple[str, float]]], n: int) -> None:
        if n < _LARGE_LIBRARY:
            return
        for term in [t for t, docs in postings.items() if len(docs) > _COMMON_SHARE * n]:
            del postings[term]

    @classmethod
    def load(
        cls,
        data_dir: Path | None = None,
        local_dir: Path | None = None,
        previous: Advisor | None = None,
    ) -> Advisor:
        """Load the knowledge (and the instrument rules) and index it (reusing what it can of
        ``previous``, the advisor in use)."""
        return cls(load(data_dir, local_dir), previous)

    # -- the triage ----------------------------------------------------------------------------

    def triage(self, raw: str, lang: Lang | None = None) -> Triage:
        """Triage one question. ``lang`` forces the language; by default it is detected."""
        cleaned = clean(raw)
        notices: list[Text] = []
        if cleaned.truncated:
            limit = f"{MAX_CHARS:,}"
            notices.append(
                Text(
                    nl=f"Je tekst was langer dan {limit.replace(',', '.')} tekens; ik heb het "
                    "begin gebruikt.",
                    en=f"Your text was longer than {limit} characters; I used the beginning.",
                )
            )
        text = cleaned.text
        if other_language(text) is not None:
            notices.append(OTHER_LANGUAGE)
        language = lang or detect_language(text)
        hits = self.matcher.find(without_placeholders(text))
        facts = facts_of(hits).keys()
        needs_more = not (facts & _ANSWERABLE_NEEDS) and not any(
            h.signal.kind in _DESCRIBING_KINDS
            and h.signal.weight >= _DESCRIBING_WEIGHT
            and _GENERIC not in h.signal.tags
            and not all(w in _ASKER_WORDS for w in h.words)
            for h in hits.values()
        )
        mag_het = quick_scan(hits, self.knowledge.law)
        risk, risk_why = assess_risk(mag_het)
        if needs_more:
            # Judging nothing is more honest than "risico laag" and a guessed instrument.
            return Triage(
                text,
                language,
                hits,
                [],
                [],
                [],
                mag_het,
                risk,
                risk_why,
                notices,
                needs_more=True,
                start_points=self._start_points,
            )
        cases = self._match_cases(without_placeholders(text), language, hits)
        values = self._values(hits, cases)
        instruments = self._instruments(mag_het.facts, cases)
        return Triage(
            text=text,
            language=language,
            signals=hits,
            cases=cases,
            instruments=instruments,
            values=values,
            mag_het=mag_het,
            risk=risk,
            risk_why=risk_why,
            notices=notices,
            organisation=self._organisation(facts),
        )

    def _organisation(self, facts: AbstractSet[str]) -> list[OrganisationTheme]:
        """For a question about the organisation rather than a project (embedding, maturity,
        the council's frame, with no concrete technology): the guide's themes, those whose
        condition holds first."""
        org = self.knowledge.organisation
        about_organisation = bool(facts & _ORGANISATION_NEEDS) or _ORGANISATION_AGREEMENTS.issubset(
            facts
        )
        if org is None or not about_organisation or "concrete-tech" in facts:
            return []
        fitting = [th for th in org.themes if th.any and th.holds(facts)]
        # The most specific first: the theme with most of its facts present, then the one
        # with the fewest facts ("the council" before "the council or the executive"); then
        # the file's order.
        fitting.sort(key=lambda th: (-sum(f in facts for f in th.any), len(th.any)))
        return fitting + [th for th in org.themes if th not in fitting]

    def _match_cases(self, text: str, lang: Lang, hits: dict[str, SignalHit]) -> list[CaseMatch]:
        sig_w = self._sig_weight
        q_sig = {sid: sig_w[sid] for sid in hits}
        q_norm = math.sqrt(sum(w * w for w in q_sig.values())) or 1.0
        q_tf = self._stem_counts(words(text), lang)
        idf = self._word_idf[lang]
        q_vec = {w: (1 + math.log(c)) * idf[w] for w, c in q_tf.items() if w in idf}
        q_wnorm = math.sqrt(sum(v * v for v in q_vec.values())) or 1.0

        # Score through the inverted indexes: only cases that share something are touched.
        sig_part: dict[str, float] = {}
        for sid, qw in q_sig.items():
            for cid, weight in self._by_signal.get(sid, ()):
                sig_part[cid] = sig_part.get(cid, 0.0) + qw * weight
        word_part: dict[str, float] = {}
        postings = self._by_stem[lang]
        for w, qv in q_vec.items():
            for cid, cv in postings.get(w, ()):
                word_part[cid] = word_part.get(cid, 0.0) + qv * cv
        scored: list[tuple[float, str]] = []
        for cid in sig_part.keys() | word_part.keys():
            score = _SIGNAL_SHARE * sig_part.get(cid, 0.0) / (q_norm * self._case_norm[cid])
            score += (1 - _SIGNAL_SHARE) * word_part.get(cid, 0.0) / q_wnorm
            if score >= _MIN_CASE_SCORE:
                scored.append((score, cid))
        top = heapq.nsmallest(_MAX_CASES, scored, key=lambda sc: (-sc[0], sc[1]))

        # Explanations only for the cases shown.
        facts = facts_of(hits).keys()
        matches: list[CaseMatch] = []
        for score, cid in top:
            case = self.knowledge.cases[cid]
            missing = next((g for g in case.close_if if not any(f in facts for f in g)), None)
            close = score >= _MIN_CLOSE_SCORE and (
                missing is None if case.close_if else score >= _CLOSE_WITHOUT_ANCHORS
            )
            profile = self._case_signals[cid]
            shared = sorted(
                (s for s in q_sig if s in profile), key=lambda s: -q_sig[s] * profile[s]
            )
            why: list[Text] = []
            # What the case is about comes first; the law's helper words (weight below 1:
            # "iets over mensen afleiden", "software en systemen") only when nothing else is shared.
            telling = [s for s in shared if self.knowledge.signals[s].weight >= 1] or shared
            if telling:
                labels = [self.knowledge.signals[s].label for s in telling[:4]]
                why.append(
                    _text(
                        "Ook hier: " + ", ".join(x.nl for x in labels),
                        "Also here: " + ", ".join(x.en for x in labels),
                    )
                )
            else:
                why.append(_text("Vergelijkbare woorden", "Similar words"))
            if missing is not None:
                names = [x for f in missing[:3] if (x := self._fact_label(f)) is not None]
                if names:
                    why.append(
                        _text(
                            "Maar niet: " + " of ".join(x.nl for x in names),
                            "But not: " + " or ".join(x.en for x in names),
                        )
                    )
            strength: Strength = "close" if close else "related"
            matches.append(CaseMatch(case, min(score, 1.0), why, strength))
        # Close cases first: a related one never outranks a case that really fits.
        matches.sort(key=lambda m: (not m.close, -m.score, m.id))
        return matches

    def _fact_label(self, fact: str) -> Text | None:
        """A readable name for a fact: the signal's label, or that of a signal with the tag."""
        signal = self.knowledge.signals.get(fact)
        if signal is None:
            signal = next((s for s in self.knowledge.signals.values() if fact in s.tags), None)
        return signal.label if signal is not None else None

    def _values(self, hits: dict[str, SignalHit], cases: list[CaseMatch]) -> list[ValueAtStake]:
        points: dict[str, float] = {}
        why: dict[str, dict[str, str]] = {}  # value -> reason (nl) -> reason (en), in order

        def add(vid: str, p: float, nl: str, en: str) -> None:
            points[vid] = points.get(vid, 0.0) + p
            why.setdefault(vid, {}).setdefault(nl, en)

        for hit in hits.values():
            sig = hit.signal
            for rank, vid in enumerate(sig.values):
                weight = sig.weight * _RANK_FACTOR[min(rank, len(_RANK_FACTOR) - 1)]
                add(vid, weight, f"Je noemt {sig.label.nl}", f"You mention {sig.label.en}")
        for m in cases[:3]:
            # The closest case counts most; its concerns count more than its benefits. A case
            # that is only related says less about this question than its own signals do.
            strength = 1.0 if m.close else _RELATED_VALUE_SHARE
            for col, factor in (("values_against", 5.0), ("values_for", 3.0)):
                for rank, j in enumerate(getattr(m.case, col)):
                    add(
                        j.value,
                        strength * m.score * factor * (1.0 - 0.1 * min(rank, 5)),
                        f"{m.case.title.nl}: {j.because.nl}",
                        f"{m.case.title.en}: {j.because.en}",
                    )
        ranked = sorted(points.items(), key=lambda kv: (-kv[1], kv[0]))
        return [
            ValueAtStake(vid, p, [_text(nl, en) for nl, en in list(why[vid].items())[:3]])
            for vid, p in ranked
        ]

    def _instruments(
        self, facts: AbstractSet[str], cases: list[CaseMatch]
    ) -> list[InstrumentAdvice]:
        """``facts``: the quick scan's, i.e. the signals and tags plus the law's reading of the
        question (law.yaml: "decides about people", "profiling"), so a rule can follow the
        guide's "an algorithm that affects people or their rights" rather than the mere mention
        of a group."""
        points: dict[str, float] = {}
        why: dict[str, list[Text]] = {}
        # The rule that weighs most explains first ("an algorithm that decides who gets what"
        # before "an algorithm is involved").
        for rule in sorted(self.rules, key=lambda r: -r.points):
            if not rule.holds(facts):
                continue
            points[rule.instrument] = points.get(rule.instrument, 0.0) + rule.points
            why.setdefault(rule.instrument, []).append(rule.why)
        for m in cases[:2]:
            if m.case.instrument and m.close:
                iid = m.case.instrument
                points[iid] = points.get(iid, 0.0) + 2.0 * m.score
                why.setdefault(iid, []).append(
                    Text(
                        nl=f"Ingezet bij een vergelijkbare casus: {m.case.title.nl}",
                        en=f"Used in a similar case: {m.case.title.en}",
                    )
                )
        if not points:
            # Nothing specific: the guide's broadest conversation method for a concrete question.
            points["moreel-beraad"] = 0.5
            why["moreel-beraad"] = [
                Text(
                    nl="Je beschrijving wijst niet op één bepaald instrument; een gesprek met "
                    "het team over de vraag zelf is een goed begin",
                    en="Your description does not point to one instrument in particular; a "
                    "conversation with the team about the question itself is a good start",
                )
            ]
        ranked = sorted(points.items(), key=lambda kv: (-kv[1], kv[0]))
        return [InstrumentAdvice(iid, p, why[iid]) for iid, p in ranked]
