"""Find the lexicon's signals in a text: technologies, data kinds, purposes, groups.

How a term matches a word, so an advisor editing ``signals.yaml`` can predict it:

* a term of five letters or more matches any word that contains it, because Dutch writes
  compounds as one word (*sensor* in *luchtsensoren*, *fraude* in *bijstandsfraude*);
* a term of four letters matches the start of a word (*wijk* in *wijkgegevens*, not in
  *afwijking*);
* a term of three letters or fewer, or one written ``=term``, matches only the whole word;
* a phrase (words separated by spaces) matches consecutive words, each starting with the
  phrase's word (*gegevens koppel* in *gegevens koppelen*), except that a function word
  (*de*, *in*, *op*, *the*, *all*, ...) or a word of one or two letters must stand whole
  (*op afstand* is not in *opslag afstand*, *no personal* not in *november personal*), and
  so must a phrase's word written ``=word`` (*de =raad* is not in *de raadpleging*);
* words in a signal's ``exclude`` list never count for it.

A word is also tried in its dictionary form (simplemma's Dutch or English lemma), so irregular
forms such as *straten* or *gefrustreerd* meet *straat* and *frustreren*.

A word the knowledge has never seen is first corrected to the closest known word (same first
letter, at least 84% alike by rapidfuzz) so that typos such as *satelietbeelden* still match;
a real Dutch or English word (in simplemma's dictionaries) is never "corrected" into another.
A match up to three words after *geen*, *zonder*, *niets*, *niks*, *no*, *without* or *nothing*
does not count, except for a need (kind ``need``): what an organisation lacks is what it asks
about ("er is geen ethiekcommissie", "formeel is er niets belegd").

A signal with ``min_count`` counts only where a number of at least that size stands right
before one of its terms (*45.000 huishoudens*, *60 camera's*), so scale is read as written.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from knowledge.schema import Signal
from knowledge.text import (
    COMMON,
    DENIALS,
    DUTCH_NUMBERS,
    EN_STOP,
    NL_STOP,
    clause_starts,
    denied_words,
    fold,
    is_real_word,
    lemma,
    sentence_starts,
    split_compound,
    words,
)

_FUNCTION_WORDS = NL_STOP | EN_STOP
NEGATIONS = frozenset(
    {"geen", "zonder", "no", "without", "nooit", "never", "niets", "niks", "nothing"}
    | {"cannot", "can't"}
)
# Where a negation word is not one: "niets anders dan" (nothing but), "nothing to fear",
# "er verandert niets voor" (nothing changes for) negate nothing that follows.
_NOT_NEGATING_NEXT = frozenset({"anders", "but", "else", "to", "changes", "verandert"})
_NOT_NEGATING_AFTER = frozenset({"verandert", "changes", "change", "veranderen"})
_TYPO_CUTOFF = 84.0
_DIGIT = re.compile(r"\d")
_SHORT_NUMBER = re.compile(r"(?<!\d)\d{1,2}(?!\d)")
_NOT_ASCII_DIGITS = bytes(b for b in range(256) if not 0x30 <= b <= 0x39)


def _has_digit(text: str) -> bool:
    """Whether ``text`` holds a digit: for ASCII text one pass in C that keeps only the digits
    (a regular expression's search is several times slower on a long text)."""
    if text.isascii():
        return bool(text.encode().translate(None, _NOT_ASCII_DIGITS))
    return _DIGIT.search(text) is not None


# Words whose analysis a matcher keeps (a library's vocabulary is far smaller).
_MAX_ANALYSED = 200_000
# "zonder beelden van mensen": a negation reaches three words ahead.
_NEG_WINDOW = 3
# Words that join what a negation names to one more thing it names ("geen namen of
# adressen"); "en"/"and" often opens a new clause instead ("geen namen op en sensoren meten").
_COORDINATORS = frozenset({"of", "or", "noch", "nor"})
# Technologies that head Dutch compounds ("parkeerapp", "verkeers-ai", "deurbelcam"), and a
# score given to people ("meedoenscore", "fraudescore": scoring, whatever it is called).
_COMPOUND_HEADS = frozenset(
    "app apps ai bot bots cam cams iot gps wifi rfid nfc ocr llm llms gpt saas uav uavs rpa "
    "ivr nlp anpr alpr score scores tool tools".split()
)
# The law's name, or asking whether something is AI, says nothing about the technology: "moet
# ik iets met de AI Act?" is not a question about an AI system.
_LAW_NAMES = re.compile(
    r"\b(?:(?:eu[- ])?ai[- ]?(?:act|verordening|wetgeving|wet|regulation|regels|regelgeving"
    r"|legislation)"
    # ("AI rules" or "AI law" alone may be a thing: "an AI rules engine", "AI law enforcement".)
    r"|(?:europese|european|eu|nieuwe|new) ai[- ]?(?:regels|regelgeving|rules|law|laws)"
    r"|artificial intelligence act"
    r"|(?:is|valt|counts?) (?:dat|dit|het|that|this|it) (?:wel |nou |echt |really )?(?:als |as )?ai"
    r"|(?:onder|under) (?:de |the )?ai(?:[- ]?(?:act|verordening|wet))?)(?![\w-])",
    re.IGNORECASE,
)
# Ages, the way people write them: "16- en 17-jarigen", "jongeren (12-23)", "een meisje van 6",
# "aged 12 to 17", "8 year olds". ("3 jaar bewaren" is no age: a bare "jaar" needs a person.)
_RANGE = r"(\d{1,2})(?!\d)(?:\s{0,2}(?:-|–|tot|t/m|tm|en|to|and|through)\s{0,2}(\d{1,2})(?!\d))?"
# (A plural only: "16-jarigen", "8 year olds" are people; "een 3-jarige pilot", "15 jaar oud"
# for a system are not. After a word for one person one age; after a plural a range or "jaar".
# Bounded spaces: a digit before thousands of spaces must not make the search quadratic.)
_AGES = re.compile(
    r"(?<![\w.,])" + _RANGE + r"\s{0,2}-?\s{0,2}(?:jarigen|year-olds|year olds)\b"
    # ("een 16-jarige jongen", "16- and 17-year-old newcomers": the age of a person named.)
    r"|(?<![\w.,])" + _RANGE + r"\s{0,2}-?\s{0,2}(?:jarige|year-old|year old)\s{1,2}"
    r"(?:jongen|meisje|leerling|leerlingen|nieuwkomer|nieuwkomers|zoon|dochter|scholier|"
    r"scholieren|boy|girl|pupil|pupils|newcomer|newcomers|child|children|son|daughter|student|"
    r"students)\b"
    r"|\b(?:meisje|jongen|kind|kindje|zoon|zoontje|dochter|dochtertje|tiener|baby|leerling|"
    r"child|girl|boy|son|daughter|pupil|teenager)\s{1,2}(?:van|aged|of)\s{1,2}(\d{1,2})(?!\d)"
    r"(?!\s{0,2}(?:%|procent|percent|euro|minuten|uur|km|meter|keer|x|gemeenten|ouder)\b)"
    r"|\b(?:kinderen|jongeren|leerlingen|tieners|children|kids|pupils|youth|young people|teens|"
    r"teenagers)\s{0,2}(?:van|aged|tussen|between|\()\s{0,2}"
    + _RANGE
    + r"(?=\s{0,2}(?:jaar|years|jr|\)))"
    r"|\b(?:kinderen|jongeren|leerlingen|children|pupils|young people|youth)\s{0,2}\(\s{0,2}"
    r"(\d{1,2})\s{0,2}[-–]\s{0,2}(\d{1,2})\s{0,2}\)"
    r"|\b(?:aged|leeftijd\s{0,2}:|age\s{0,2}:)\s{0,2}" + _RANGE + r"\b"
)
_ADULT = 18
# Words for young people that also cover young adults ("jongeren tot 27").
_YOUNG_ADULT_WORDS = frozenset(
    {"jongere", "jongeren", "youth", "young people", "youngsters", "young person", "jeugd"}
    # (Services named after youth: "18- tot 23-jarigen die uit de jeugdzorg komen".)
    | {"jeugdzorg", "jongerenloket", "jongerenwerk", "jongerenwerker", "jongerenwerkers"}
)

# A count, then the one or two words that say what is counted ("45.000 huishoudens", "250k
# calls": k for thousands as people write it, after two digits at least: "4K" and "8k" are a
# camera's resolution).
_COUNTED = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[.,]\d{3})+|\d+)((?<=\d\d)k)?(?![\w.,]\d)"
    r"((?:\s+[^\W\d_][\w'’-]*){1,2})"
)


@dataclass(frozen=True)
class _Term:
    signal: str
    parts: tuple[str, ...]
    mode: str  # "contains", "prefix", "exact", "phrase"
    # Per part of a phrase: whether it must be the whole word (else the word's start).
    whole: tuple[bool, ...] = ()
    # The longest part after the second ("" for none): a text none of whose words starts
    # with it lacks the phrase, which rules most phrases out before their positions are read.
    key: str = field(init=False, default="")

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", max(self.parts[2:], key=len, default=""))

    def fits(self, k: int, word: str) -> bool:
        """Whether ``word`` is this phrase's ``k``-th word."""
        return word == self.parts[k] if self.whole[k] else word.startswith(self.parts[k])


@dataclass
class SignalHit:
    """A signal found in a text, with the words that made it so."""

    signal: Signal
    words: list[str] = field(default_factory=list)


class SignalMatcher:
    """Matches the lexicon against texts; build once, use for every question."""

    def __init__(
        self,
        signals: Iterable[Signal],
        vocabulary: Iterable[str] = (),
        lemmas: Mapping[str, str] | None = None,
    ) -> None:
        self.signals = {s.id: s for s in signals}
        # Needs count also where negated: "geen kartrekker" asks about roles.
        self._unnegated = frozenset(s.id for s in self.signals.values() if s.kind == "need")
        self._terms: list[_Term] = []
        self._exclude: dict[str, frozenset[str]] = {}
        # Signals that count only after a number: (signal, smallest number, its terms).
        self._counted: list[tuple[str, int, tuple[_Term, ...]]] = []
        # The group an age under 18 names ("een meisje van 6", "16-jarigen"): minors.
        self._minors = next(
            (s.id for s in self.signals.values() if s.kind == "group" and "minors" in s.tags),
            None,
        )
        for s in self.signals.values():
            self._exclude[s.id] = frozenset(s.exclude)
            if s.min_count is not None:
                terms = tuple(_compile(s.id, raw) for raw in s.terms)
                self._counted.append((s.id, s.min_count, terms))
                continue
            for raw in s.terms:
                self._terms.append(_compile(s.id, raw))
        # Index single-word terms by first letter: a word is compared with few terms.
        # Terms that may sit anywhere in a word, by text: a word is looked up by its substrings.
        self._contains: dict[str, list[str]] = {}
        self._by_letter: dict[str, list[_Term]] = {}
        # Phrases indexed by the first (up to) four letters of their first word.
        self._phrases: dict[str, list[_Term]] = {}
        for t in self._terms:
            if t.mode == "phrase":
                self._phrases.setdefault(t.parts[0][:4], []).append(t)
            elif t.mode == "contains":
                self._contains.setdefault(t.parts[0], []).append(t.signal)
            else:
                self._by_letter.setdefault(t.parts[0][0], []).append(t)
        self._phrase_keys = sorted({len(k) for k in self._phrases})
        # Dutch compounds end in what they are: "parkeerapp" is an app, "wijk-ai" an AI. A
        # technology written as a whole word (=app, =ai) also heads a compound whose first part
        # is a word of its own (see _compound_heads).
        self._heads: dict[str, list[str]] = {}
        for t in self._terms:
            # (Only names that nothing else is called: "functie" in "woonfunctie" or "map" in
            # "projectmap", a folder, are other words.)
            if (
                t.mode == "exact"
                and t.parts[0] in _COMPOUND_HEADS
                and self.signals[t.signal].kind in ("technology", "purpose")
            ):
                self._heads.setdefault(t.parts[0], []).append(t.signal)
        self._head_sizes = sorted({len(h) for h in self._heads})
        known = {p for t in self._terms for p in t.parts}
        known.update(w for w in vocabulary if len(w) > 2)
        known.update(NL_STOP | EN_STOP | COMMON)
        known.update(x for s in self.signals.values() for x in s.exclude)
        self.vocabulary = frozenset(known)
        # The dictionary forms of the words the lexicon's terms use ("aanstuurt" in
        # "zelfstandig aanstuurt" -> "aansturen"), from knowledge/data/lemmas.json: such a word
        # is in the vocabulary, yet must still meet its dictionary form's terms. A table, so
        # that neither loading the library nor a question needs simplemma's dictionaries.
        self._lemmas: Mapping[str, str] = lemmas if lemmas is not None else {}
        self._min_contains = min((len(t) for t in self._contains), default=5)
        self._max_contains = max((len(t) for t in self._contains), default=5)
        # Sorted, so that of two equally close words the same one wins in every process
        # (set order changes with Python's string hashing).
        self._analysed: dict[str, tuple[str, frozenset[str], tuple[_Term, ...]]] = {}
        self._matching: set[str] = set()  # analysed words that match a signal
        self._starting: set[str] = set()  # analysed words that may start a phrase
        self._fuzzy_pool: dict[str, list[str]] = {}
        self._sorted_vocabulary = sorted(self.vocabulary)
        for w in self._sorted_vocabulary:
            if len(w) >= 5:
                self._fuzzy_pool.setdefault(w[0], []).append(w)
        # Per later part of a phrase: the known words it may be (see _known_starting).
        self._starting_with: dict[str, frozenset[str]] = {}
        # Pairs of words that start no phrase (most pairs of a text), ruled out in C.
        self._dead_pairs: set[tuple[str, str]] = set()
        self._plans: dict[
            tuple[str, str],
            tuple[tuple[_Term, ...], dict[str, tuple[_Term, ...]], frozenset[str]],
        ] = {}

    def _known_starting(self, part: str) -> frozenset[str]:
        """The vocabulary's words that start with ``part``, found once per part (a slice of
        the sorted vocabulary), so a text's words are tested against it as one set operation."""
        found = self._starting_with.get(part)
        if found is None:
            ordered = self._sorted_vocabulary
            lo = bisect.bisect_left(ordered, part)
            hi = lo
            while hi < len(ordered) and ordered[hi].startswith(part):
                hi += 1
            found = self._starting_with[part] = frozenset(ordered[lo:hi])
        return found

    def _pair_plan(
        self, pair: tuple[str, str]
    ) -> tuple[tuple[_Term, ...], dict[str, tuple[_Term, ...]], frozenset[str]]:
        """For a library text, the phrases that two known words start: those without a key
        of three letters or more (see ``_Term.key``), and the others by each known word that
        starts their key (with those words as a set), so that a text's words rule out most
        of them in one set operation. Remembered per matcher (bounded)."""
        plan = self._plans.get(pair)
        if plan is None:
            terms = _cached_phrase_pairs(self, *pair)
            keyed: dict[str, list[_Term]] = {}
            for t in terms:
                if len(t.key) > 2:
                    for w in self._known_starting(t.key):
                        keyed.setdefault(w, []).append(t)
            plan = (
                tuple(t for t in terms if len(t.key) <= 2),
                {w: tuple(ts) for w, ts in keyed.items()},
                frozenset(keyed),
            )
            if len(self._plans) < _MAX_ANALYSED:
                self._plans[pair] = plan
        return plan

    # -- matching ------------------------------------------------------------------------------

    def _analyse(self, word: str) -> tuple[str, frozenset[str], tuple[_Term, ...]]:
        """:func:`_cached_analysis`, remembered on this matcher (a plain dict is the fastest
        look-up for the long texts of a large library), with the words that match a signal
        or may start a phrase kept apart; bounded like an lru_cache."""
        result = _cached_analysis(self, word)
        if len(self._analysed) < _MAX_ANALYSED:
            self._analysed[word] = result
            if result[1]:
                self._matching.add(word)
            if result[2]:
                self._starting.add(word)
        return result

    def correct(self, word: str) -> str:
        """The known word closest to ``word`` when it looks like a typo, else ``word`` itself."""
        return _correct(self, word)

    def _word_hits(self, word: str) -> set[str]:
        found: set[str] = set()
        n = len(word)
        for size in range(self._min_contains, min(n, self._max_contains) + 1):
            for start in range(n - size + 1):
                for sid in self._contains.get(word[start : start + size], ()):
                    if word not in self._exclude[sid]:
                        found.add(sid)
        for t in self._by_letter.get(word[:1], ()):
            term = t.parts[0]
            ok = word == term if t.mode == "exact" else word.startswith(term)
            if ok and word not in self._exclude[t.signal]:
                found.add(t.signal)
        found.update(self._compound_heads(word))
        return found

    def _compound_heads(self, word: str) -> Iterable[str]:
        """The technologies a compound ends in: "parkeerapp" (parkeer + app), when the part
        before is a word of four letters or more itself (with a linking s: "verkeers")."""
        for size in self._head_sizes:
            head, first = word[-size:], word[:-size].rstrip("-")
            if len(first) < 4 or head not in self._heads:
                continue
            stem = first[:-1] if first.endswith("s") and len(first) > 4 else first
            if first in self.vocabulary or is_real_word(first) or is_real_word(stem):
                yield from (sid for sid in self._heads[head] if word not in self._exclude[sid])

    def find(self, text: str, raw: list[str] | None = None) -> dict[str, SignalHit]:
        """The signals in ``text`` by id, each with the words that matched it.

        ``raw``: ``words(text)`` when the caller has them already (indexing a library).
        """
        denied: set[int] = set()
        read: str | None = None
        starts: Callable[[int], bool] | None = None  # where sentences open: negations stop
        if raw is None:
            read = _LAW_NAMES.sub(" wetsnaam ", text)
            raw = words(read)
            if not DENIALS.isdisjoint(raw):
                denied = denied_words(raw, clause_starts(read))
        # One look-up per distinct word: its corrected form, the signals it matches and the
        # phrases that may start with it. Most words match nothing.
        known = self._analysed
        seen = [known.get(w) or self._analyse(w) for w in raw]
        ws = [a[0] for a in seen]
        hits: dict[str, SignalHit] = {}
        negated_until = -1
        for i, (w, found, phrases) in enumerate(seen):
            negated = i <= negated_until or i in denied
            if w in NEGATIONS and _negates(ws, i):
                if starts is None and read is not None:
                    # Read on the first negation, typo-corrected ones ("zondr") included.
                    starts = sentence_starts(read)
                negated_until = max(negated_until, _negation_reach(ws, i, starts))
            if negated:
                # "geen persoonsgegevens": the signal stays absent (a need stays).
                found = found & self._unnegated
                phrases = tuple(t for t in phrases if t.signal in self._unnegated)
            if not (found or phrases):
                continue
            # Sorted: the order of hits is the order of explanations, and a set's order
            # changes with Python's string hashing.
            for sid in sorted(found):
                hit = hits.get(sid)
                if hit is None:
                    hit = hits[sid] = SignalHit(self.signals[sid])
                hit.words.append(w)
            if not phrases or i + 1 >= len(ws):
                continue
            # The pair of this word and the next rules out nearly every phrase at once.
            for t in _cached_phrase_pairs(self, w, ws[i + 1]):
                if negated and t.signal not in self._unnegated:
                    continue
                n = len(t.parts)
                if i + n > len(ws) or (
                    n > 2 and not all(t.fits(k, ws[i + k]) for k in range(2, n))
                ):
                    continue
                hit = hits.setdefault(t.signal, SignalHit(self.signals[t.signal]))
                hit.words.append(" ".join(raw[i : i + n]))
        self._find_numbers(text, hits)
        for hit in hits.values():
            hit.words = list(dict.fromkeys(hit.words))
        return hits

    def find_ids(self, text: str, raw: list[str] | None = None) -> set[str]:
        """The ids :meth:`find` would give for ``text``, without the words that matched; a
        clause that denies what it names at its end (``knowledge.text.denied_words``) is read
        only in questions, not in the library's texts.

        For indexing a library's long texts: the work follows the few distinct words that
        match something, found by set operations in C, not the length of the text.
        """
        if raw is None:
            raw = words(text)
        distinct = set(raw)
        analysed = self._analysed
        # Only words never seen before are analysed in Python; the rest is set operations in C.
        # (Kept apart too: a full cache stores no new words.)
        new = {w: self._analyse(w) for w in distinct.difference(analysed)}

        def analysis(w: str) -> tuple[str, frozenset[str], tuple[_Term, ...]]:
            return analysed.get(w) or new[w]

        # Where a negation stands, the next _NEG_WINDOW words do not count ("geen camera's").
        negations: list[int] = []
        for neg in NEGATIONS.intersection(distinct):
            i = -1
            while True:
                try:
                    i = raw.index(neg, i + 1)
                except ValueError:
                    break
                if _negates(raw, i):
                    negations.append(i)

        def reached(sentences: Callable[[int], bool] | None) -> set[int]:
            out: set[int] = set()
            for i in negations:
                out.update(range(i + 1, _negation_reach(raw, i, sentences) + 1))
            return out

        blocked = reached(None)
        # A negation stops where a sentence ends, as in find(). Reading the sentences only
        # matters where the reach holds a word that matches or starts a phrase.
        if any(any(analysis(raw[j])[1:]) for j in blocked if j < len(raw)):
            blocked = reached(sentence_starts(text))
        matching = self._matching.intersection(distinct)
        matching.update(w for w, a in new.items() if a[1])
        ids: set[str] = set()
        if blocked:
            # A word counts when it occurs at least once outside a negation's reach; a need
            # counts wherever it stands.
            counts = Counter(raw)
            blocked_words = Counter(raw[j] for j in blocked if j < len(raw))
            negated = matching
            matching = {w for w in matching if counts[w] > blocked_words.get(w, 0)}
            for w in negated - matching:
                ids.update(analysis(w)[1] & self._unnegated)
        get = analysed.get
        ids.update(*[(get(w) or new[w])[1] for w in matching])
        starts = self._starting.intersection(distinct)
        starts.update(w for w, a in new.items() if a[2])
        if starts:
            # A typo's corrected form is what phrases are read on (as in find()).
            unknown = distinct.difference(self.vocabulary)
            fixed = {w: a[0] for w in unknown if (a := analysis(w))[0] != w}
            corrected = [fixed.get(w, w) for w in raw] if fixed else raw
            # (A text of the library is all known words: then nothing is corrected.)
            firsts = {fixed.get(w, w) for w in starts} if fixed else starts
            # Each distinct pair of a possible phrase start and the word after it, in C.
            pairs = set(
                itertools.compress(
                    itertools.pairwise(corrected),
                    map(firsts.__contains__, corrected),
                )
            )
            # Words outside the vocabulary: in a library text only words of one or two
            # letters (every longer word of the library is in it), and nothing is corrected.
            library_text = not fixed and all(len(w) <= 2 for w in unknown)
            ordered: list[str] = []
            dead = self._dead_pairs
            for pair in pairs - dead:  # (most pairs start no phrase: ruled out in C)
                if library_text:
                    # A longer phrase needs a word of the text that starts its key part.
                    short, keyed, keys = self._pair_plan(pair)
                    if not (short or keys):
                        if len(dead) < _MAX_ANALYSED:
                            dead.add(pair)
                        continue
                    found = keys.intersection(distinct)
                    terms = (*short, *(t for w in found for t in keyed[w])) if found else short
                else:
                    terms = _cached_phrase_pairs(self, *pair)
                where: list[int] | None = None
                for t in terms:
                    if t.signal in ids:
                        continue
                    if not library_text and t.key:
                        if not ordered:
                            ordered = sorted({fixed.get(w, w) for w in distinct})
                        k = bisect.bisect_left(ordered, t.key)
                        if k == len(ordered) or not ordered[k].startswith(t.key):
                            continue
                    if where is None:
                        where = _pair_at(corrected, pair)
                    reach = blocked if t.signal not in self._unnegated else ()
                    if _phrase_at(corrected, where, t, reach):
                        ids.add(t.signal)
        if self._counted or self._minors:
            hits: dict[str, SignalHit] = {}
            self._find_numbers(text, hits)
            ids.update(hits)
        return ids

    def _find_numbers(self, text: str, hits: dict[str, SignalHit]) -> None:
        """The signals that numbers make: counts ("45.000 huishoudens") and ages under 18."""
        digits = _has_digit(text)
        if self._counted and (digits or _says_thousands(text)):
            self._find_counted(text, hits)
        if self._minors is not None and digits:
            self._find_ages(text, hits)

    def _find_ages(self, text: str, hits: dict[str, SignalHit]) -> None:
        """An age under 18 makes the text about minors ("een meisje van 6", "16- en
        17-jarigen", "jongeren (12-23)"); "jongeren (18-27)" does not."""
        if self._minors is None:
            return
        adults = False
        for m in _ages_in(fold(text)):
            ages = [int(a) for a in m.groups() if a is not None]
            if ages and min(ages) < _ADULT:
                hit = hits.setdefault(self._minors, SignalHit(self.signals[self._minors]))
                hit.words.append(m.group(0).strip())
                return
            adults = adults or bool(ages)
        # "Ons jongerenloket voor 18- tot 27-jarigen": young adults, when "jongeren" or
        # "youth" is all that spoke of minors.
        said = hits.get(self._minors)
        if adults and said is not None and all(w in _YOUNG_ADULT_WORDS for w in said.words):
            del hits[self._minors]

    def _find_counted(self, text: str, hits: dict[str, SignalHit]) -> None:
        folded = _in_figures(fold(text))
        for m in _COUNTED.finditer(folded):
            digits = m.group(1)
            if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", digits):
                digits = digits.replace(".", "").replace(",", "")
            if not digits.isdecimal() or len(digits) > 12:
                continue
            number = int(digits) * (1000 if m.group(2) else 1)
            year = digits == m.group(1) and len(digits) == 4 and 1950 <= number < 2100
            if year and not m.group(2):
                continue  # a year ("in 2025 huishoudens"), not a count
            following = m.group(3).split()
            for sid, smallest, terms in self._counted:
                if number < smallest:
                    continue
                for word in following:
                    w = word.strip("'’-")
                    base = w if w in self.vocabulary else lemma(w)
                    if any(_term_matches(t, w) or _term_matches(t, base) for t in terms):
                        hit = hits.setdefault(sid, SignalHit(self.signals[sid]))
                        hit.words.append(f"{m.group(1)}{m.group(2) or ''} {w}")
                        break


_EN_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a hundred": 100,
}  # fmt: skip


def _ages_in(folded: str) -> Iterator[re.Match[str]]:
    """The matches of ``_AGES`` in ``folded``, searched only around numbers of one or two
    digits (every age is one): on a long text the expression is slow to try at every
    position. Each number's stretch reaches 60 characters before it (more than the words an
    age follows) and 30 after (more than the words it is followed by); overlapping stretches
    are merged, so each character is searched once. The search sees the text before its
    stretch too (look-behinds and word boundaries), so around a match it sees what a search
    of the whole text would."""
    stretches: list[list[int]] = []
    for m in _SHORT_NUMBER.finditer(folded):
        lo, hi = max(m.start() - 60, 0), min(m.end() + 30, len(folded))
        if stretches and lo <= stretches[-1][1]:
            stretches[-1][1] = hi
        else:
            stretches.append([lo, hi])
    for lo, hi in stretches:
        yield from _AGES.finditer(folded, lo, hi)


def _says_thousands(text: str) -> bool:
    """Whether ``text`` says "duizend" or "thousand" anywhere (two searches in C; a
    case-insensitive regular expression is many times slower on a long text)."""
    lowered = text.lower()
    return "duizend" in lowered or "thousand" in lowered


# Thousands said in words or half in words: "twintigduizend", "45 duizend", "20 thousand",
# "twenty thousand".
_THOUSANDS = re.compile(
    r"(?<![\w.,])(?:(\d{1,3}(?:[.,]\d)?)\s+(?:duizend|thousand)|([a-z]+)duizend"
    r"|(a hundred|[a-z]+)\s+thousand)(?![\w])"
)


def _dutch_below_thousand(word: str) -> int | None:
    """A Dutch number word from 1 to 999 as one word ("vijfentwintig", "tweehonderd"), or
    None."""
    head, hundred, rest = word.partition("honderd")
    if not hundred:
        return DUTCH_NUMBERS.get(word)
    times = DUTCH_NUMBERS.get(head, 0) if head else 1
    if not 1 <= times <= 9 or (rest and rest not in DUTCH_NUMBERS):
        return None
    return 100 * times + DUTCH_NUMBERS.get(rest, 0)


def _in_figures(text: str) -> str:
    """``text`` (folded) with thousands said in words written in figures, so they count."""

    def figures(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return str(round(float(m.group(1).replace(",", ".")) * 1000))
        n = _dutch_below_thousand(m.group(2)) if m.group(2) else _EN_NUMBERS.get(m.group(3))
        return m.group(0) if n is None else str(n * 1000)

    return _THOUSANDS.sub(figures, text) if _says_thousands(text) else text


class _RealWords:
    """Every Dutch or English word, as a container (for split_compound)."""

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and is_real_word(word)


_REAL_WORDS = _RealWords()


def _negation_reach(ws: list[str], i: int, starts: Callable[[int], bool] | None = None) -> int:
    """The last word the negation at ``i`` reaches: the next _NEG_WINDOW words, and a word
    joined to them by "of", "or", "noch" or "nor" ("niks met afkomst of geloof"), with the
    parts :func:`knowledge.text.words` puts after a hyphenated one; with ``starts``
    (:func:`knowledge.text.sentence_starts`), never into the next sentence ("geen
    leeftijden. Naam en adres wel")."""
    end = i + _NEG_WINDOW
    k = i + 1
    while k <= end and k < len(ws):
        if starts is not None and starts(k):
            return k - 1
        if ws[k] in _COORDINATORS and k + 1 < len(ws):
            joined = ws[k + 1]
            parts = sum(1 for p in joined.split("-") if p) if "-" in joined else 0
            end = max(end, k + 1 + parts)
        k += 1
    return end


def _negates(ws: list[str], i: int) -> bool:
    """Whether the negation word at ``i`` negates what follows (see _NOT_NEGATING_NEXT)."""
    if i + 1 < len(ws) and ws[i + 1] in _NOT_NEGATING_NEXT:
        return False
    return not (i > 0 and ws[i - 1] in _NOT_NEGATING_AFTER)


def _compile(signal: str, raw: str) -> _Term:
    if raw.startswith("=") and " " not in raw:
        return _Term(signal, (raw[1:],), "exact")
    parts = tuple(raw.split())
    if len(parts) > 1:
        # Function words and very short words do not inflect; as a start they would meet
        # unrelated words ("in" in "informatie", "no" in "november"). A part written "=raad"
        # is a whole word too ("de =raad" is no "de raadpleging").
        whole = tuple(p.startswith("=") or len(p) <= 2 or p in _FUNCTION_WORDS for p in parts)
        return _Term(signal, tuple(p.removeprefix("=") for p in parts), "phrase", whole)
    term = parts[0]
    if len(term) <= 3:
        return _Term(signal, (term,), "exact")
    if len(term) == 4:
        return _Term(signal, (term,), "prefix")
    return _Term(signal, (term,), "contains")


def _pair_at(ws: list[str], pair: tuple[str, str]) -> list[int]:
    """Where the two words of ``pair`` stand in ``ws`` one after the other (list.index scans
    in C)."""
    first, second = pair
    found: list[int] = []
    i = -1
    while True:
        try:
            i = ws.index(first, i + 1)
        except ValueError:
            return found
        if i + 1 < len(ws) and ws[i + 1] == second:
            found.append(i)


def _phrase_at(ws: list[str], starts: list[int], t: _Term, blocked: Container[int]) -> bool:
    """Whether the phrase ``t``, whose first two words stand at ``starts`` in ``ws``, is
    there at a position no negation blocks."""
    n = len(t.parts)
    return any(
        i + n <= len(ws) and i not in blocked and all(t.fits(k, ws[i + k]) for k in range(2, n))
        for i in starts
    )


def _term_matches(t: _Term, word: str) -> bool:
    term = t.parts[0]
    if t.mode == "exact" or t.mode == "phrase":
        return word == term
    if t.mode == "prefix":
        return word.startswith(term)
    return term in word


@lru_cache(maxsize=65536)
def _cached_analysis(
    matcher: SignalMatcher, raw: str
) -> tuple[str, frozenset[str], tuple[_Term, ...]]:
    """For one word as written: its corrected form, the signals it matches (as written, as
    corrected and in its dictionary form) and the phrases that may start with it."""
    w = matcher.correct(raw)
    found = _cached_word_hits(matcher, w)
    if w != raw:  # a corrected typo keeps what the word itself already matched
        found = found | _cached_word_hits(matcher, raw)
    # A word the knowledge itself uses (its terms, case texts, common words) is taken as it
    # stands; only other words are looked up in the dictionary, so loading the library never
    # needs simplemma's dictionaries (0.4 s) and a conversation loads them once. A word of a
    # term has its dictionary form in the lemma table.
    table = matcher._lemmas.get(w)
    base = table if table is not None else w if w in matcher.vocabulary else lemma(w)
    if base != w:
        # The dictionary form adds what the word itself did not match, except for a signal
        # that excludes the word as written ("kilometers" is no sensor).
        extra = _cached_word_hits(matcher, base) - found
        found = found | {sid for sid in extra if w not in matcher._exclude[sid]}
    return w, found, _cached_phrase_starts(matcher, w)


@lru_cache(maxsize=65536)
def _cached_phrase_pairs(matcher: SignalMatcher, word: str, following: str) -> tuple[_Term, ...]:
    """The phrases whose first two words ``word`` and ``following`` start."""
    return tuple(t for t in _cached_phrase_starts(matcher, word) if t.fits(1, following))


@lru_cache(maxsize=32768)
def _cached_phrase_starts(matcher: SignalMatcher, word: str) -> tuple[_Term, ...]:
    """The phrases whose first word ``word`` starts with (most words start none)."""
    return tuple(
        t
        for size in matcher._phrase_keys
        for t in matcher._phrases.get(word[:size], ())
        if t.fits(0, word)
    )


@lru_cache(maxsize=32768)
def _cached_word_hits(matcher: SignalMatcher, word: str) -> frozenset[str]:
    return frozenset(matcher._word_hits(word))


@lru_cache(maxsize=32768)
def _correct(matcher: SignalMatcher, word: str) -> str:
    if len(word) < 5 or word in matcher.vocabulary or word.isdigit():
        return word
    # A compound of real words is written as meant: "pre-check" is no typo of "pre-checked",
    # "selectieronde" none of "selectiemodel".
    parts = [p for p in word.split("-") if p]
    if len(parts) > 1 and all(p in matcher.vocabulary or is_real_word(p) for p in parts):
        return word
    if split_compound(word, _REAL_WORDS, min_length=8):
        return word
    pool = matcher._fuzzy_pool.get(word[0])
    if not pool:
        return word
    best = process.extractOne(word, pool, scorer=fuzz.ratio, score_cutoff=_TYPO_CUTOFF)
    # A real word is never "corrected" into another one (asked only when a candidate exists).
    return best[0] if best and not is_real_word(word) else word
