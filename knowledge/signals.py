"""Find the lexicon's signals in a text: technologies, data kinds, purposes, groups.

How a term matches a word, so an advisor editing ``signals.yaml`` can predict it:

* a term of five letters or more matches any word that contains it, because Dutch writes
  compounds as one word (*sensor* in *luchtsensoren*, *fraude* in *bijstandsfraude*);
* a term of four letters matches the start of a word (*wijk* in *wijkgegevens*, not in
  *afwijking*);
* a term of three letters or fewer, or one written ``=term``, matches only the whole word;
* a phrase (words separated by spaces) matches consecutive words, each starting with the
  phrase's word (*gegevens koppel* in *gegevens koppelen*);
* words in a signal's ``exclude`` list never count for it.

A word is also tried in its dictionary form (simplemma's Dutch or English lemma), so irregular
forms such as *straten* or *gefrustreerd* meet *straat* and *frustreren*.

A word the knowledge has never seen is first corrected to the closest known word (same first
letter, at least 84% alike by rapidfuzz) so that typos such as *satelietbeelden* still match;
a real Dutch or English word (in simplemma's dictionaries) is never "corrected" into another.
A match up to three words after *geen*, *zonder*, *no* or *without* does not count.

A signal with ``min_count`` counts only where a number of at least that size stands right
before one of its terms (*45.000 huishoudens*, *60 camera's*), so scale is read as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from knowledge.schema import Signal
from knowledge.text import COMMON, EN_STOP, NL_STOP, fold, is_real_word, lemma, words

NEGATIONS = frozenset({"geen", "zonder", "no", "without", "nooit", "never"})
_TYPO_CUTOFF = 84.0
# "zonder beelden van mensen": a negation reaches three words ahead.
_NEG_WINDOW = 3
# A number (with . or , between groups of three digits) and up to three words after it.
_COUNTED = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[.,]\d{3})+|\d+)(?![\w.,]\d)((?:\s+[^\W\d_][\w'’-]*){1,2})"
)


@dataclass(frozen=True)
class _Term:
    signal: str
    parts: tuple[str, ...]
    mode: str  # "contains", "prefix", "exact", "phrase"


@dataclass
class SignalHit:
    """A signal found in a text, with the words that made it so."""

    signal: Signal
    words: list[str] = field(default_factory=list)


class SignalMatcher:
    """Matches the lexicon against texts; build once, use for every question."""

    def __init__(self, signals: Iterable[Signal], vocabulary: Iterable[str] = ()) -> None:
        self.signals = {s.id: s for s in signals}
        self._terms: list[_Term] = []
        self._exclude: dict[str, frozenset[str]] = {}
        # Signals that count only after a number: (signal, smallest number, its terms).
        self._counted: list[tuple[str, int, tuple[_Term, ...]]] = []
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
        known = {p for t in self._terms for p in t.parts}
        known.update(w for w in vocabulary if len(w) > 2)
        known.update(NL_STOP | EN_STOP | COMMON)
        known.update(x for s in self.signals.values() for x in s.exclude)
        self.vocabulary = frozenset(known)
        self._min_contains = min((len(t) for t in self._contains), default=5)
        self._max_contains = max((len(t) for t in self._contains), default=5)
        # Sorted, so that of two equally close words the same one wins in every process
        # (set order changes with Python's string hashing).
        self._fuzzy_pool: dict[str, list[str]] = {}
        for w in sorted(self.vocabulary):
            if len(w) >= 5:
                self._fuzzy_pool.setdefault(w[0], []).append(w)

    # -- matching ------------------------------------------------------------------------------

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
        return found

    def find(self, text: str) -> dict[str, SignalHit]:
        """The signals in ``text`` by id, each with the words that matched it."""
        raw = words(text)
        ws = [self.correct(w) for w in raw]
        hits: dict[str, SignalHit] = {}
        for i, w in enumerate(ws):
            neg = any(p in NEGATIONS for p in ws[max(0, i - _NEG_WINDOW) : i])
            found = _cached_word_hits(self, w)
            if w != raw[i]:  # a corrected typo keeps what the word itself already matched
                found = found | _cached_word_hits(self, raw[i])
            base = lemma(w)
            if base != w:
                # The dictionary form adds what the word itself did not match, except for a
                # signal that excludes the word as written ("kilometers" is no sensor).
                extra = _cached_word_hits(self, base) - found
                found = found | {sid for sid in extra if w not in self._exclude[sid]}
            for sid in found:
                if neg:  # "geen persoonsgegevens": the signal stays absent
                    continue
                hits.setdefault(sid, SignalHit(self.signals[sid])).words.append(w)
        for i, w in enumerate(ws):
            if any(p in NEGATIONS for p in ws[max(0, i - _NEG_WINDOW) : i]):
                continue
            for size in self._phrase_keys:
                for t in self._phrases.get(w[:size], ()):
                    n = len(t.parts)
                    if i + n > len(ws) or not w.startswith(t.parts[0]):
                        continue
                    if not all(ws[i + k].startswith(t.parts[k]) for k in range(1, n)):
                        continue
                    hit = hits.setdefault(t.signal, SignalHit(self.signals[t.signal]))
                    hit.words.append(" ".join(raw[i : i + n]))
        if self._counted:
            self._find_counted(text, hits)
        for hit in hits.values():
            hit.words = list(dict.fromkeys(hit.words))
        return hits

    def _find_counted(self, text: str, hits: dict[str, SignalHit]) -> None:
        for m in _COUNTED.finditer(fold(text)):
            digits = m.group(1)
            if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", digits):
                digits = digits.replace(".", "").replace(",", "")
            if not digits.isdecimal() or len(digits) > 12:
                continue
            number = int(digits)
            if digits == m.group(1) and len(digits) == 4 and 1950 <= number < 2100:
                continue  # a year ("in 2025 huishoudens"), not a count
            following = m.group(2).split()
            for sid, smallest, terms in self._counted:
                if number < smallest:
                    continue
                for word in following:
                    w = word.strip("'’-")
                    if any(_term_matches(t, w) or _term_matches(t, lemma(w)) for t in terms):
                        hit = hits.setdefault(sid, SignalHit(self.signals[sid]))
                        hit.words.append(f"{m.group(1)} {w}")
                        break


def _compile(signal: str, raw: str) -> _Term:
    if raw.startswith("="):
        return _Term(signal, (raw[1:],), "exact")
    parts = tuple(raw.split())
    if len(parts) > 1:
        return _Term(signal, parts, "phrase")
    term = parts[0]
    if len(term) <= 3:
        return _Term(signal, (term,), "exact")
    if len(term) == 4:
        return _Term(signal, (term,), "prefix")
    return _Term(signal, (term,), "contains")


def _term_matches(t: _Term, word: str) -> bool:
    term = t.parts[0]
    if t.mode == "exact" or t.mode == "phrase":
        return word == term
    if t.mode == "prefix":
        return word.startswith(term)
    return term in word


@lru_cache(maxsize=32768)
def _cached_word_hits(matcher: SignalMatcher, word: str) -> frozenset[str]:
    return frozenset(matcher._word_hits(word))


@lru_cache(maxsize=32768)
def _correct(matcher: SignalMatcher, word: str) -> str:
    if len(word) < 5 or word in matcher.vocabulary or word.isdigit() or is_real_word(word):
        return word
    pool = matcher._fuzzy_pool.get(word[0])
    if not pool:
        return word
    best = process.extractOne(word, pool, scorer=fuzz.ratio, score_cutoff=_TYPO_CUTOFF)
    return best[0] if best else word
