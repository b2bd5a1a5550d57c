"""Privacy at the boundary: personal data are taken out of what people type before anything
else sees it (the engine, storage, logs, reports, notifications).

:func:`redact` replaces each piece of personal data with a typed placeholder (``[BSN]``,
``[e-mail]``, ...) and says what it left out, so the service can tell the user once. The triage
runs on the redacted text; a placeholder still tells the lexicon that personal data are in
play, so the advice does not change because a number was removed.

What is recognised, and how (each checked where a check exists, so a number that merely looks
like one is left alone):

* BSN: nine digits, plain or grouped, that pass the elfproef (python-stdnum);
* IBAN: a country code, check digits and account, that pass mod 97 (python-stdnum);
* e-mail addresses; IPv4 and IPv6 addresses (the ipaddress module), not after "versie";
* phone numbers, Dutch and international notations (phonenumbers, valid numbers only);
* Dutch postcodes, street addresses (a street word with a house number), licence plates in
  the Dutch side codes, and dates of birth (a date after "geboren", "geb.", "date of birth");
* person names: after a title or form of address (mevrouw, dhr., collega, ...), a first name
  from deduce's list of Dutch first names (with the surname that follows), and initials with a
  surname. Only deduce's word lists are read (in milliseconds); its full pipeline takes
  seconds to build and was made for medical notes.
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

from knowledge.schema import Lang
from knowledge.text import PLACEHOLDERS

# Placeholders, and how the notice names each kind (singular, plural) per language.
PLACEHOLDER = {  # each one of knowledge.text.PLACEHOLDERS, which the triage reads past
    "bsn": "[BSN]",
    "iban": "[IBAN]",
    "email": "[e-mail]",
    "phone": "[telefoonnummer]",
    "ip": "[IP-adres]",
    "address": "[adres]",
    "postcode": "[postcode]",
    "plate": "[kenteken]",
    "birthdate": "[geboortedatum]",
    "name": "[naam]",
}
assert set(PLACEHOLDER.values()) <= set(PLACEHOLDERS)
_NAMES: dict[str, dict[Lang, tuple[str, str]]] = {
    "bsn": {"nl": ("een BSN", "BSN's"), "en": ("a citizen service number", "citizen service numbers")},
    "iban": {"nl": ("een rekeningnummer", "rekeningnummers"), "en": ("a bank account number", "bank account numbers")},
    "email": {"nl": ("een e-mailadres", "e-mailadressen"), "en": ("an e-mail address", "e-mail addresses")},
    "phone": {"nl": ("een telefoonnummer", "telefoonnummers"), "en": ("a phone number", "phone numbers")},
    "ip": {"nl": ("een IP-adres", "IP-adressen"), "en": ("an IP address", "IP addresses")},
    "address": {"nl": ("een adres", "adressen"), "en": ("an address", "addresses")},
    "postcode": {"nl": ("een postcode", "postcodes"), "en": ("a postcode", "postcodes")},
    "plate": {"nl": ("een kenteken", "kentekens"), "en": ("a licence plate", "licence plates")},
    "birthdate": {"nl": ("een geboortedatum", "geboortedata"), "en": ("a date of birth", "dates of birth")},
    "name": {"nl": ("een naam", "namen"), "en": ("a name", "names")},
}  # fmt: skip

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", re.I)
_BSN = re.compile(
    r"(?<![\d.,-])(\d{3}[. ]?\d{3}[. ]?\d{3}|\d{4}[. ]?\d{2}[. ]?\d{3})(?!\d|[.,-]\d)"
)
_IPV4 = re.compile(r"(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?!\w|\.\d)")
_IPV6 = re.compile(r"(?<![\w:])((?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4})(?![\w:])", re.I)
_PHONE_START = re.compile(r"\s*\(?\s*(?:\+|00|0)")
_VERSION_BEFORE = re.compile(r"(versie|version|v|firmware|release|build)\s*$", re.I)
_POSTCODE = re.compile(r"\b([1-9]\d{3})\s?(?!SA|SD|SS|sa|sd|ss)([A-Z]{2}|[a-z]{2})\b")
# A street word (ending in a common street suffix, or "Laan van ...") and a house number.
_STREET_SUFFIX = (
    "straat|laan|weg|plein|gracht|kade|singel|dijk|pad|hof|dreef|steeg|markt|park|baan|veld|"
    "dam|wal|plantsoen|erf|hoven|lei|boulevard|ring|zijde|burcht|haven|dorp|wijk|brink|buorren"
)
_STREET = re.compile(
    r"\b((?:[A-Z][\wà-ÿ'.-]*\s(?:(?:van|de|der|den|het|'t|aan|op|in|te|ten|ter)\s)*)*"
    r"[A-Z][\wà-ÿ'-]*(?:" + _STREET_SUFFIX + r")"
    r"|Laan\s(?:van|der|de|den)\s(?:[\w'-]+\s)*?[A-Z][\wà-ÿ'-]*"
    r"|Markt|Plein|Dam|Brink|Buorren|Ring)"
    r"\s(\d{1,5}(?:\s?[-]?\s?[A-Za-z]{1,2}\b|\s?-\s?\d{1,4})?)(?!\d|[.,]\d)"
)
_PLATE = re.compile(
    r"(?<![\w-])("
    r"[A-Z]{2}-\d{2}-\d{2}|\d{2}-\d{2}-[A-Z]{2}|\d{2}-[A-Z]{2}-\d{2}|[A-Z]{2}-\d{2}-[A-Z]{2}|"
    r"[A-Z]{2}-[A-Z]{2}-\d{2}|\d{2}-[A-Z]{2}-[A-Z]{2}|\d{2}-[A-Z]{3}-\d|\d-[A-Z]{3}-\d{2}|"
    r"[A-Z]{2}-\d{3}-[A-Z]|[A-Z]-\d{3}-[A-Z]{2}|[A-Z]{3}-\d{2}-[A-Z]|[A-Z]-\d{2}-[A-Z]{3}|"
    r"\d-[A-Z]{2}-\d{3}|\d{3}-[A-Z]{2}-\d"
    r")(?![\w-])",
    re.I,
)
# The newer side codes written without dashes, in capitals only ("9XRS54").
_PLATE_BARE = re.compile(
    r"(?<![\w-])(\d{2}[A-Z]{3}\d|\d[A-Z]{3}\d{2}|[A-Z]{2}\d{3}[A-Z]|[A-Z]\d{3}[A-Z]{2}|"
    r"[A-Z]{3}\d{2}[A-Z]|[A-Z]\d{2}[A-Z]{3}|\d[A-Z]{2}\d{3}|\d{3}[A-Z]{2}\d)(?![\w-])"
)
_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|oct|nov|dec|january|february|march|may|june|"
    "july|august|october"
)
_DATE = (
    r"(\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\s(?:" + _MONTHS + r")\.?\s\d{4}"
    r"|(?:" + _MONTHS + r")\.?\s\d{1,2},?\s\d{4})"
)
_BIRTH = re.compile(
    r"(?:geboren(?:\sop)?|geb\.|geboortedatum|geb\.datum|date of birth|born(?:\son)?|dob|d\.o\.b\.)"
    r"[\s:]*(?:op\s|on\s)?" + _DATE,
    re.I,
)
# A form of address, then the name: capitalised words, with tussenvoegsels and initials.
_NAME_CUE = (
    r"(?:mevrouw|mevr\.|mw\.|mr\.|mrs\.|ms\.|meneer|dhr\.|de heer|heer|familie|fam\.|dr\.|"
    r"drs\.|ir\.|mr|collega|collega's|cliënt|client|inwoner|aanvrager|medewerker|consulent|"
    r"buurman|buurvrouw|teamleider|manager|wethouder|leerling|melder|bewoner|groet,|groeten,|"
    r"regards,|from|van|namens|door|aan|dear|beste|geachte|hoi|hi|hallo)"
)
_NAME = re.compile(
    r"(?<![\w])(?i:" + _NAME_CUE + r")\s+"
    r"((?:[A-Z]\.\s?)*(?:(?:van|de|der|den|het|ter|ten|el|al|von|da|dos|le|la)\s)*"
    r"[A-Z][a-zà-ÿ'-]+(?:\s(?:(?:van|de|der|den|ter|ten|el|al|von|da|dos|le|la)\s)*"
    r"[A-Z][a-zà-ÿ'-]+)?)"
)
# Capitalised words after a cue that are not names (organisations, places, instruments...).
_NOT_NAMES = frozenset(
    """Aanpak Begeleidingsethiek Moreel Beraad Data Workshop Goed Digitaal Bestuur Provincie
    Gemeente Utrecht Zoetermeer Noord-Brabant Noord-Holland Zuid-Holland Overijssel Gelderland
    Den Haag Rotterdam Amsterdam Heuvelrug Rijkswaterstaat Belastingdienst Microsoft Google
    Amazon Meta Apple Facebook Teams Slack GGD RIEC IPO VNG CBS AP FG CISO CIO CDO DEDA IAMA
    CODIO AVG Wmo Participatiewet Omgevingswet AI ChatGPT Copilot TikTok Het De Een Mijn Onze
    Ons Wij We Ik Hij Zij Hun Die Dat Dit Deze Graag Dank Bedankt Groet Groeten Team Afdeling
    Directie College Raad Staten Europa Nederland EU Januari Februari Maart April Mei Juni Juli
    Augustus September Oktober November December Maandag Dinsdag Woensdag Donderdag Vrijdag""".split()
)


_CAPITALISED = re.compile(
    r"(?<![\w@.-])((?:[A-Z]\.\s?){1,3})?([A-Z][a-zà-ÿ'-]+)"
    r"((?:\s(?:van|de|der|den|ter|ten|el|al|von|da|dos|le|la|te)){0,3}\s[A-Z][a-zà-ÿ'-]+)?"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|[\"'(]\s*)$")
# Years of birth: a full date in a year at least this long ago is taken for a date of birth
# (deadlines and decisions are recent or future).
_BIRTH_YEARS_AGO = 14
_FULL_DATE = re.compile(r"(?<![\w.-])" + _DATE + r"(?![\w-]|\.\d)", re.I)
_LOOKS_LIKE_DATE = re.compile(r"\(?\s*\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\s*$")


@lru_cache(maxsize=1)
def _name_lists() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """deduce's first names, surnames and common Dutch words (its whitelist)."""
    base = resources.files("deduce") / "data" / "lookup" / "src"

    def read(*parts: str) -> frozenset[str]:
        return frozenset(
            w.strip() for w in base.joinpath(*parts).read_text(encoding="utf-8").splitlines() if w
        )

    common = read("whitelist", "lst_common_word", "items.txt")
    first = read("names", "lst_first_name", "items.txt") - read(
        "names", "lst_first_name", "exceptions.txt"
    )
    surnames = read("names", "lst_surname", "items.txt") - read(
        "names", "lst_surname", "exceptions.txt"
    )
    return first, surnames, frozenset(w.lower() for w in common)


def _listed_names(text: str) -> Iterable[Span]:
    """Names from the lists: a first name (with what follows), or initials and a surname."""
    first, surnames, common = _name_lists()
    for m in _CAPITALISED.finditer(text):
        initials, word, rest = m.group(1), m.group(2), m.group(3)
        if word in _NOT_NAMES or word.lower() in common:
            continue
        at_start = bool(_SENTENCE_START.search(text[: m.start()]))
        if initials and (word in surnames or rest):
            yield (m.start(), m.end(), "name")
        elif word in first and (rest or not at_start):
            yield (
                m.start(),
                m.end() if rest and not _not_a_name(rest.strip()) else m.end(2),
                "name",
            )
        elif word in surnames and rest is None and not at_start and initials is None:
            continue  # a surname alone is too often an ordinary word


@dataclass
class Redacted:
    """A text with its personal data replaced, and how many of each kind were left out."""

    text: str
    kinds: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


def _iban_ok(s: str) -> bool:
    return bool(stdnum_iban.is_valid(s.replace(" ", "")))


def _bsn_ok(s: str) -> bool:
    digits = re.sub(r"\D", "", s)
    return len(digits) == 9 and bool(stdnum_bsn.is_valid(digits))


def _iban_spans(text: str) -> Iterable[Span]:
    """IBANs; a match that swallowed a following short word ("... 2859 but") is shortened
    until the check digits hold."""
    for m in _IBAN.finditer(text):
        start, candidate = m.start(), m.group(0)
        while len(candidate) >= 15:
            if _iban_ok(candidate):
                yield (start, start + len(candidate), "iban")
                break
            candidate = re.sub(r"[ ]?[A-Za-z0-9]{1,4}$", "", candidate)


def _ip_ok(text: str, start: int, s: str) -> bool:
    if _VERSION_BEFORE.search(text[max(0, start - 12) : start]):
        return False  # "versie 5.1.12.104" is a version, not an address
    try:
        ipaddress.ip_address(s)
    except ValueError:
        return False
    return True


def _ipv6_ok(s: str) -> bool:
    if s.count(":") < 2 or not any(ch.isdigit() for ch in s):
        return False
    try:
        ipaddress.IPv6Address(s)
    except ValueError:
        return False
    return True


def _not_a_name(s: str) -> bool:
    first = s.split()[0].rstrip(".")
    return first in _NOT_NAMES or s in _NOT_NAMES


Span = tuple[int, int, str]


def _regex_spans(
    pattern: re.Pattern[str], text: str, kind: str, ok: Callable[[re.Match[str]], bool], group: int
) -> Iterable[Span]:
    for m in pattern.finditer(text):
        if ok(m):
            yield (m.start(group), m.end(group), kind)


def find_personal_data(text: str) -> list[Span]:
    """Every piece of personal data in ``text`` as (start, end, kind), without overlaps
    (the earlier and longer span wins)."""
    spans: list[Span] = []
    spans += _regex_spans(_EMAIL, text, "email", lambda m: True, 0)
    spans += _iban_spans(text)
    spans += _regex_spans(_BSN, text, "bsn", lambda m: _bsn_ok(m.group(1)), 1)
    spans += _regex_spans(_IPV4, text, "ip", lambda m: _ip_ok(text, m.start(1), m.group(1)), 1)
    spans += _regex_spans(_IPV6, text, "ip", lambda m: _ipv6_ok(m.group(1)), 1)
    spans += _regex_spans(_BIRTH, text, "birthdate", lambda m: True, 1)
    cutoff = date.today().year - _BIRTH_YEARS_AGO
    spans += _regex_spans(
        _FULL_DATE, text, "birthdate", lambda m: _year_of(m.group(1)) in range(1900, cutoff), 1
    )
    spans += _regex_spans(_PLATE, text, "plate", lambda m: any(c.isalpha() for c in m.group(1)), 1)
    spans += _regex_spans(_PLATE_BARE, text, "plate", lambda m: True, 1)
    for m in phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.POSSIBLE):
        # Only what is written like a phone number (0..., +..., 00..., (0...)): counts such as
        # "45.000" or case numbers such as "2024-0012" must stay for the triage.
        if _PHONE_START.match(m.raw_string) and not _LOOKS_LIKE_DATE.match(m.raw_string):
            spans.append((m.start, m.end, "phone"))
    spans += _regex_spans(_STREET, text, "address", lambda m: True, 0)
    spans += _regex_spans(_POSTCODE, text, "postcode", lambda m: True, 0)
    # Names last: where a name and an address or number overlap, the other reading wins.
    names = list(_regex_spans(_NAME, text, "name", lambda m: not _not_a_name(m.group(1)), 1))
    names += _listed_names(text)
    out = _without_overlaps(spans)
    taken = [(s, e) for s, e, _ in out]
    out += [n for n in _without_overlaps(names) if not any(n[0] < e and s < n[1] for s, e in taken)]
    out.sort()
    return out


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """The earliest and, among equals, longest spans, none overlapping another."""
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if out and span[0] < out[-1][1]:
            continue
        out.append(span)
    return out


def _year_of(s: str) -> int:
    years = [int(y) for y in re.findall(r"\d{4}", s)]
    # Without a four-digit year it is not taken for a date of birth ("5.1.12" is a version).
    return years[0] if years else 0


def redact(text: str) -> Redacted:
    """``text`` with every piece of personal data replaced by its placeholder."""
    spans = find_personal_data(text)
    if not spans:
        return Redacted(text)
    parts: list[str] = []
    kinds: Counter[str] = Counter()
    pos = 0
    for start, end, kind in spans:
        parts.append(text[pos:start])
        parts.append(PLACEHOLDER[kind])
        kinds[kind] += 1
        pos = end
    parts.append(text[pos:])
    return Redacted("".join(parts), kinds)


def notice(kinds: Counter[str], lang: Lang) -> str:
    """What was left out and why, in ``lang``: "Ik heb een BSN en een naam weggelaten; die
    heb ik voor dit advies niet nodig." """
    # Address and postcode are told as one ("een adres").
    merged: Counter[str] = Counter()
    for kind, n in kinds.items():
        merged["address" if kind == "postcode" else kind] += n
    items = [(_NAMES[k][lang][0] if n == 1 else _NAMES[k][lang][1]) for k, n in merged.items() if n]
    joined = (
        items[0]
        if len(items) == 1
        else ", ".join(items[:-1]) + (" en " if lang == "nl" else " and ") + items[-1]
    )
    if lang == "nl":
        return f"Ik heb {joined} weggelaten; die heb ik voor dit advies niet nodig."
    return f"I left out {joined}; I don't need them for this advice."
