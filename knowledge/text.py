"""Text handling for free-text questions: cleaning, language detection, words and stems.

Pure functions; no I/O. Employees type in chat, so we expect typos, missing accents, pasted
control characters and the occasional essay.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Container
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from knowledge import dictionary
from knowledge.schema import Lang

MAX_CHARS = 20_000

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
# Control characters except tab and newline, and the bidi embeddings, overrides and isolates
# (U+202A-U+202E, U+2066-U+2069) that can make text display as something else; they come from
# pasted text and break renderings.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)

NL_STOP = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "van",
        "in",
        "op",
        "te",
        "dat",
        "die",
        "voor",
        "met",
        "is",
        "zijn",
        "als",
        "aan",
        "er",
        "om",
        "ook",
        "niet",
        "bij",
        "of",
        "door",
        "we",
        "wij",
        "ons",
        "onze",
        "je",
        "jij",
        "u",
        "uw",
        "ze",
        "zij",
        "hun",
        "wat",
        "hoe",
        "wie",
        "waar",
        "wanneer",
        "mogen",
        "moeten",
        "kunnen",
        "willen",
        "kan",
        "mag",
        "wil",
        "worden",
        "wordt",
        "werd",
        "naar",
        "dan",
        "dus",
        "nog",
        "maar",
        "al",
        "meer",
        "veel",
        "zo",
        "deze",
        "dit",
        "daar",
        "hier",
        "heeft",
        "hebben",
        "had",
        "over",
        "uit",
        "tot",
        "zodat",
        "zoals",
        "omdat",
        "alle",
        "elke",
        "welke",
        "geen",
        "wel",
        "toch",
        "mijn",
        "hem",
        "haar",
        "zich",
        "echt",
        "even",
        "eerder",
        "vaker",
    ]
)
EN_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "of",
        "in",
        "on",
        "to",
        "that",
        "this",
        "these",
        "those",
        "for",
        "with",
        "is",
        "are",
        "was",
        "be",
        "been",
        "as",
        "at",
        "or",
        "by",
        "we",
        "our",
        "us",
        "you",
        "your",
        "they",
        "their",
        "what",
        "how",
        "who",
        "where",
        "when",
        "should",
        "could",
        "can",
        "may",
        "might",
        "must",
        "will",
        "would",
        "want",
        "do",
        "does",
        "did",
        "not",
        "no",
        "from",
        "into",
        "about",
        "than",
        "then",
        "so",
        "also",
        "all",
        "any",
        "each",
        "which",
        "there",
        "here",
        "has",
        "have",
        "had",
        "it",
        "its",
        "if",
        "use",
        "using",
        "whether",
    ]
)


# Everyday words that are not in the knowledge but must never be "corrected" into a term
# (meteen -> meten, stellen -> tellen). Not exhaustive: the most frequent ones in chat questions.
COMMON = frozenset(
    """meteen stellen vragen vraag antwoord denken vinden zeggen maken gaan komen laten geven
    nemen staan zitten liggen houden werken helpen kijken zien weten horen praten lezen
    schrijven zoeken krijgen blijven lijken vooral gewoon altijd nooit soms vaak ineens
    misschien waarschijnlijk eigenlijk precies steeds verder samen tussen tijdens achter boven
    onder naast zonder tegen sinds omdat terwijl hoewel zodra nadat voordat volgens wanneer
    eerst daarna straks vandaag morgen gisteren week maand jaar kwartaal dagelijks
    mensen iemand niemand iedereen alles niets iets veel weinig meer minder beter slechter
    goed slecht groot klein nieuw oud eigen andere ander zelfde hele heel echt erg zeker
    collega collega's afdeling team project plan idee vraagstuk probleem oplossing manier
    ziet zegt vindt denkt wilt moet kunt mogen moeten willen kunnen zullen
    about after again also because before between could every first however might never
    often other really should since still their there these those through until usually
    whether which while would people someone everyone something nothing question answer""".split()
)


# What the privacy redactor (bot/privacy.py) puts where personal data stood. The triage reads
# past them, so its advice is the advice the text would get without the personal data.
PLACEHOLDERS = (
    "[BSN]",
    "[IBAN]",
    "[e-mail]",
    "[telefoonnummer]",
    "[IP-adres]",
    "[adres]",
    "[postcode]",
    "[kenteken]",
    "[geboortedatum]",
    "[naam]",
)
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS))


# The same placeholders as an English reader reads them (the stored text keeps the Dutch
# ones, which the lexicon knows).
_PLACEHOLDERS_EN = {
    "[telefoonnummer]": "[phone number]",
    "[IP-adres]": "[IP address]",
    "[adres]": "[address]",
    "[kenteken]": "[licence plate]",
    "[geboortedatum]": "[date of birth]",
    "[naam]": "[name]",
}
_PLACEHOLDER_NL = re.compile("|".join(re.escape(p) for p in _PLACEHOLDERS_EN))


def placeholders_for(text: str, lang: str) -> str:
    """``text`` with the redactor's placeholders in the reader's language ("[naam]" is
    "[name]" in an English report)."""
    if lang != "en" or "[" not in text:
        return text
    return _PLACEHOLDER_NL.sub(lambda m: _PLACEHOLDERS_EN[m.group(0)], text)


def without_placeholders(text: str) -> str:
    """``text`` with the redactor's placeholders taken out (for matching, not for showing)."""
    return _PLACEHOLDER.sub(" ", text) if "[" in text else text


@dataclass(frozen=True)
class Cleaned:
    """A question after cleaning: the text to use, and what had to be done to it."""

    text: str
    truncated: bool
    removed_control: bool


def clean(raw: str, max_chars: int = MAX_CHARS) -> Cleaned:
    """Remove control characters, normalise whitespace and cut at ``max_chars``.

    >>> clean("Drones\\x00 boven  weilanden").text
    'Drones boven weilanden'
    """
    normalised = unicodedata.normalize("NFC", raw)
    without = _CONTROL.sub(" ", normalised.replace("\r\n", "\n").replace("\t", " "))
    removed = without != normalised.replace("\r\n", "\n").replace("\t", " ")
    collapsed = re.sub(r"[ ]{2,}", " ", without)
    collapsed = re.sub(r"\n{3,}", "\n\n", collapsed).strip()
    truncated = len(collapsed) > max_chars
    if truncated:
        collapsed = collapsed[:max_chars].rstrip()
    return Cleaned(collapsed, truncated, removed)


# Every combining mark (accents, diaereses) the NFKD decomposition can leave, as one character
# class: the regex engine drops them about four times faster than str.translate with a table.
_COMBINING = re.compile(
    "["
    + "".join(re.escape(chr(cp)) for cp in range(0x0300, 0x10000) if unicodedata.combining(chr(cp)))
    + "]"
)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower-case and strip accents, so *geïnteresseerd* and *geinteresseerd* compare equal."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    if decomposed.isascii():
        return decomposed
    # Dropping combining marks with one C-level pass is much faster than testing each
    # character of a long text in Python.
    return _COMBINING.sub("", decomposed)


def words(text: str) -> list[str]:
    """Folded words of ``text``. Apostrophes inside a word are kept (*camera's*); a hyphenated
    word is followed by its parts, so *ML-model* also yields *ml* and *model*."""
    found: list[str] = _WORD.findall(fold(text).replace("’", "'"))
    if "-" not in text:
        return found
    out: list[str] = []
    for w in found:
        out.append(w)
        if "-" in w:
            out.extend(p for p in w.split("-") if p)
    return out


# Where a clause starts: after these marks, and at these words ("..., maar personen ...").
_CLAUSE_MARK = re.compile(r"[.;:!?\n]")
_CLAUSE_WORDS = frozenset({"maar", "but", "omdat", "because", "terwijl", "while", "want"})
# "en"/"and" or a comma opens a new clause where a new subject follows ("... scant bezoekers
# en hun namen worden niet vastgelegd"); "personen en kentekens" is one subject.
_SUBJECT_OPENERS = frozenset(
    """hun zijn haar de het die deze their his her the these those its""".split()
)


def sentence_starts(text: str) -> Callable[[int], bool]:
    """Whether a mark ``.;:!?`` or a line break stands before word ``k`` of :func:`words`
    (same text, same order). Cheaper than :func:`clause_starts`: one split in C, and a word
    is looked at only when asked about (the few words after a negation, which stops there)."""
    folded = fold(text).replace("’", "'")
    between = _WORD.split(folded)[:-1]  # the text before each word
    if "-" in text:
        # words() follows a hyphenated word with its parts; a part starts no sentence.
        at: list[int] = []
        for n, w in enumerate(_WORD.findall(folded)):
            at.append(n)
            if "-" in w:
                at.extend(-1 for p in w.split("-") if p)
        between = ["" if n < 0 else between[n] for n in at]

    def opens(k: int) -> bool:
        return 0 <= k < len(between) and _CLAUSE_MARK.search(between[k]) is not None

    return opens


def clause_starts(text: str) -> list[bool]:
    """For each word of :func:`words` (same text, same order): whether it opens a clause
    (the first word, a word after ``.;:!?`` or a line break, or a word such as *maar*)."""
    folded = fold(text).replace("’", "'")
    out: list[bool] = []
    previous = 0
    found = list(_WORD.finditer(folded))
    for k, m in enumerate(found):
        w = m.group(0)
        between = folded[previous : m.start()]
        after = found[k + 1].group(0) if k + 1 < len(found) else ""
        out.append(
            not out
            or bool(_CLAUSE_MARK.search(between))
            or w in _CLAUSE_WORDS
            or (w in ("en", "and") and after in _SUBJECT_OPENERS)
            or ("," in between and w in _SUBJECT_OPENERS)
        )
        previous = m.end()
        # (words() splits a hyphenated word only when the raw text has "-": so here too.)
        if "-" in w and "-" in text:
            out.extend(False for p in w.split("-") if p)
    return out


# A clause that ends by denying what it names ("Personen en kentekens worden niet vastgelegd",
# "Mensen zijn op die resolutie niet te zien", "faces are not recorded"): in Dutch and English
# the denial comes after the words it is about.
DENIALS = frozenset({"niet", "not", "nooit", "never"})
_DENIED = frozenset(
    """vastgelegd gefilmd zichtbaar herkenbaar gekoppeld identificeerbaar herleidbaar
    recorded captured filmed visible recognisable recognizable identifiable linked
    traceable""".split()
)
_BEFORE_DENIED = frozenset({"te", "be"})  # "niet te zien", "not be recorded"
_NOT_YET = frozenset({"nog", "yet"})
_DENIAL_REACH = 12  # words back from the denial: a subject, its auxiliary, a few words
_DENIED_AFTER_TE = frozenset({"zien", "herkennen", "identificeren"})
_AUXILIARIES = frozenset(
    """worden wordt werd werden zijn is was waren zal zullen kan kunnen are were be been
    will can""".split()
)


def denied_words(ws: list[str], starts: list[bool]) -> set[int]:
    """The positions of the words a clause denies at its end: from the clause's start to its
    auxiliary verb ("[Personen en kentekens] worden niet vastgelegd"). Nothing when the two
    lists do not line up."""
    denied: set[int] = set()
    if len(starts) != len(ws):
        return denied
    for i, w in enumerate(ws):
        if w not in DENIALS or i + 1 >= len(ws):
            continue
        if i > 0 and ws[i - 1] in _NOT_YET:
            continue  # "nog niet vastgelegd": not decided yet, not "not recorded"
        nxt = ws[i + 1]
        after_te = ws[i + 2] if i + 2 < len(ws) else ""
        if not (
            nxt in _DENIED
            or (nxt in _BEFORE_DENIED and (after_te in _DENIED or after_te in _DENIED_AFTER_TE))
        ):
            continue
        start = i
        while start > 0 and not starts[start] and i - start < _DENIAL_REACH:
            start -= 1
        aux = next((k for k in range(start, i) if ws[k] in _AUXILIARIES), None)
        if aux is not None:
            # The denied words, and the denied verb itself ("niet gekoppeld": no linking).
            denied.update(range(start, aux))
            denied.update(range(i + 1, i + 3 if nxt in _BEFORE_DENIED else i + 2))
    return denied


def detect_language(text: str, default: Lang = "nl") -> Lang:
    """Dutch or English, by counting common function words; ties go to ``default``."""
    ws = words(text)
    nl = sum(w in NL_STOP for w in ws)
    en = sum(w in EN_STOP for w in ws)
    if en > nl:
        return "en"
    if nl > en:
        return "nl"
    return default


# Function words only these languages have (not Dutch or English ones such as "de", "en", "die"),
# so that a question in another language is noticed rather than read as Dutch.
_OTHER_STOP = {
    "fr": frozenset(
        "les des du est pour dans que qui une sur pas nous vous avec sont aux cette ces "
        "être peut notre leur mais ou donc".split()
    ),
    "de": frozenset(
        "und der das ist nicht mit für auf sich wir ein eine zu dem den auch werden können "
        "sollen dürfen unsere".split()
    ),
    "es": frozenset("el los las y es para con por una del se su sus al como pero".split()),
}


def other_language(text: str) -> str | None:
    """The language of ``text`` when it is clearly neither Dutch nor English ("fr", "de",
    "es"), by the same count of function words as :func:`detect_language`; else None."""
    ws = words(text)
    ours = sum(w in NL_STOP or w in EN_STOP for w in ws)
    best = max(_OTHER_STOP, key=lambda code: sum(w in _OTHER_STOP[code] for w in ws))
    theirs = sum(w in _OTHER_STOP[best] for w in ws)
    return best if theirs >= 3 and theirs > ours else None


_STEMMERS = {
    "nl": Stemmer.Stemmer("dutch"),
    "en": Stemmer.Stemmer("english"),
}


@lru_cache(maxsize=65536)
def stem(word: str, lang: Lang) -> str:
    """The Snowball stem of one folded word."""
    return str(_STEMMERS[lang].stemWord(word))


def content_stems(text: str, lang: Lang) -> list[str]:
    """Stems of the words that carry meaning (no function words, no one-letter words)."""
    stop = NL_STOP if lang == "nl" else EN_STOP
    return [stem(w, lang) for w in words(text) if len(w) > 2 and w not in stop]


_LINKS = ("s", "e", "en")  # Dutch linking sounds: stadsbus, ziektewet, boerenland

# Dutch numbers from one to ninety-nine as written in words ("vijfentwintig"; "tweeëntwintig"
# also typed "tweeentwintig"): for counts said in words and numbers spoken into a chat.
_UNIT_WORDS = ("een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen")
_TEEN_WORDS = (
    "tien", "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien",
    "achttien", "negentien",
)  # fmt: skip
_TEN_WORDS = (
    "twintig",
    "dertig",
    "veertig",
    "vijftig",
    "zestig",
    "zeventig",
    "tachtig",
    "negentig",
)
DUTCH_NUMBERS: dict[str, int] = {
    **{w: n for n, w in enumerate(_UNIT_WORDS, 1)},
    **{w: n for n, w in enumerate(_TEEN_WORDS, 10)},
    **{w: 10 * n for n, w in enumerate(_TEN_WORDS, 2)},
    **{
        unit + link + ten: 10 * t + u
        for u, unit in enumerate(_UNIT_WORDS, 1)
        for t, ten in enumerate(_TEN_WORDS, 2)
        for link in (("en", "ën") if unit.endswith("e") else ("en",))
    },
}


def split_compound(word: str, known: Container[str], min_length: int = 9) -> tuple[str, ...]:
    """The two parts of a Dutch compound of ``min_length`` letters or more when both are words
    in ``known`` (each at least four letters; the left part may end in a linking *s*, *e* or
    *en*); else nothing.

    >>> split_compound("stikstofuitstoot", {"stikstof", "uitstoot"})
    ('stikstof', 'uitstoot')
    """
    if len(word) < min_length or not word.isalpha() or word in known:
        return ()
    for i in range(len(word) - 4, 3, -1):  # the longest right part first
        left, right = word[:i], word[i:]
        if right not in known:
            continue
        if left in known:
            return (left, right)
        for link in _LINKS:
            if left.endswith(link) and left[: -len(link)] in known and len(left) - len(link) >= 4:
                return (left[: -len(link)], right)
    return ()


# simplemma's dictionaries for Dutch and English (knowledge/dictionary.py).
_LEMMA_LANGS = ("nl", "en")


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """The Dutch dictionary form of one folded word (*straten* -> *straat*), else the English
    one, else the word itself. Short words are left alone: their lemmas mislead."""
    if len(word) < 4 or not word.isalpha():
        return word
    for lang in _LEMMA_LANGS:
        base = fold(dictionary.lemmatize(word, lang))
        # A lemma with a separator ("kilo_meter") is a split, not a dictionary form.
        if base != word and base.isalpha() and len(base) >= 3:
            return base
        if lang == "nl" and dictionary.is_known(word, "nl"):
            # A Dutch word in its own dictionary form: no need for English (nor for loading
            # its dictionary, 0.13 s, in a Dutch conversation).
            return word
    return word


@lru_cache(maxsize=65536)
def is_real_word(word: str) -> bool:
    """Whether ``word`` is a known Dutch or English word (so not a typo to correct)."""
    return any(dictionary.is_known(word, lang) for lang in _LEMMA_LANGS)


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a space and marked with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut or "\n" in cut:
        cut = cut[: max(cut.rfind(" "), cut.rfind("\n"))]
    return cut.rstrip(",;:. \n") + "…"
