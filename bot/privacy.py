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
* person names: after a title, role or form of address (mevrouw, dhr., collega, Dear Mr., ...),
  a first name from deduce's list (with the surname that follows), initials before a
  capitalised word, and capitalised words standing beside other personal data in a record.
  Places (deduce's place lists, after "van" or "from"), street compounds, organisations and
  words that open ordinary sentences are not taken for names. Only deduce's word lists are
  read (once, in milliseconds); its full pipeline takes seconds to build and was made for
  medical notes.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

from bot import domain_words
from knowledge import dictionary
from knowledge.schema import Lang
from knowledge.text import DUTCH_NUMBERS, EN_STOP, NL_STOP, PLACEHOLDERS

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
# An address written so that robots miss it: "piet.vandijk[at]hotmail[dot]com", "jan (at) x.nl".
_EMAIL_HIDDEN = re.compile(
    r"(?<![\w.+-])[\w.+-]+[ ]?[\[(](?i:at)[\])][ ]?[\w-]+"
    r"(?:(?:[ ]?[\[(](?i:dot|punt)[\])][ ]?|\.)[\w-]+)+"
)
# A street written in capitals, as on an envelope: "KERKSTRAAT 4 RD".
_STREET_CAPS = re.compile(
    r"(?<![\w-])([A-Z]{2,}(?:STRAAT|LAAN|WEG|PLEIN|GRACHT|KADE|SINGEL|DIJK|STEEG|DREEF|HOF)"
    r"[ ]\d{1,5}(?:[ ]?[A-Z]{1,2}\b|-\d{1,4})?)(?![\w-])"
)
_IBAN = re.compile(r"\b[A-Z]{2}[ ]?\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", re.I)
# (Not inside a token: a reference such as "T-3fa123456782c9..." holds nine digits by chance;
# glued to "bsn" they still count.)
_BSN = re.compile(
    r"(?:(?<![\w.,-])|(?<=(?i:bsn)))"
    r"(\d{3}[. ]?\d{3}[. ]?\d{3}|\d{4}[. ]?\d{2}[. ]?\d{3})(?![\w]|[.,-]\d)"
)
# Nine digits as a field of a CSV row ("...,14/03/1981,668932673,Almere"): after a comma, yet
# not the decimals of a number, since a field ends at the next comma, quote or line.
_BSN_FIELD = re.compile(r"(?m)(?<=,)(\d{9})(?=[,;\"]|[ \t]*$)")
# An organisation's number that passes the elfproef too: "het RSIN van onze gemeente (...)".
_ORGANISATION_NUMBER = re.compile(
    r"(?:\brsin\b|\bkvk|fiscaal nummer)(?:(?!bsn|burgerservicenummer|sofi)[^\n\d]){0,30}$",
    re.I,
)
_DECIMAL_BEFORE = re.compile(r"(?:^|[\s,;])\d{1,3},$")
_IPV4 = re.compile(r"(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?!\w|\.\d)")
# (Also an IPv4 address written as IPv6, as servers log it: "::ffff:83.160.12.77".)
_IPV6 = re.compile(
    r"(?<![\w:])((?:[0-9a-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{0,4}))(?![\w:]|\.\d)",
    re.I,
)
_PHONE_START = re.compile(r"\s*\(?\s*(?:\+|00|0)")
# Where a phone number written as _PHONE_START wants could begin: a "+", or a "0" that does not
# continue a number. Without one, phonenumbers' matcher (a third of the redaction's time) is
# not run.
_PHONE_POSSIBLE = re.compile(r"\+|(?<![0-9])0")
_HAS_DIGIT = re.compile(r"\d")
_VERSION_BEFORE = re.compile(
    r"(versie|version|v|\w*firmware|release|build|paragraaf|par\.|hoofdstuk|artikel|art\.|"
    r"section|chapter|bijlage|annex|§|software|update|updaten|upgrade|upgraden|patch|"
    r"geüpdatet|geupdatet|geüpdated|updated|upgraded|bijgewerkt)"
    r"(?:\s+(?:to|naar|tot|van|from))?\s*\(?$"
    # ("De sensorfirmware is 4.10.2.7": a version is said to be; an update is not.)
    r"|(?:\w*firmware|versie|version|release|build)\s+(?:is|was)\s*$",
    re.I,
)
# The second of two versions: "van 5.2.0.118 naar 5.3.1.204".
_VERSION_THEN = re.compile(r"\d+(?:\.\d+){2,3}\s+(?:naar|to|->|→)\s*$")
# A floor after the house number ("52 3 hoog", "9 twee hoog"): part of the address.
# (Belgian and French box numbers too: "94 bus 2", "58 boîte 4"; Polish flats: "15 m. 4".)
_FLOOR = (
    r"(?:\s(?:\d|een|twee|drie|vier|vijf)[\s-]?(?:hoog|h)\b"
    # ("181-3 hoog" after a number with its floor; a unit, flat or room in a building:
    # "12 unit 7", "9 apt 14", "18 kamer 4", "20 kmr 3"; "18 bg", ground floor.)
    r"|\s(?:hoog|bg|boven|rd)\b"
    # ("Hoogstraat 45 2e etage", "Westerdijk 88 woonboot": a floor, a houseboat.)
    r"|\s\d(?:e|ste|de)\s(?:etage|verdieping)\b|\s(?:woonboot|ark)\b"
    # ("Dorpsstraat 3 achter, 4121 CB": the back house, at the end of the address.)
    r"|\s(?:achter|voor)(?=[ \t]*(?:[,;|\n]|$))"
    r"|\s(?:unit|apt\.?|app\.?|appartement|kamer|kmr\.?|room|flat|suite)\s?\d{1,4}[a-z]?\b"
    r"(?!\s(?:minuten|min|uur|km|meter|keer|m2|personen|people)\b)"
    r"|\s(?:bus|bte|boîte|boite|m\.)\s?\d{1,4}\b(?!\s(?:minuten|min|uur|km|meter|keer)\b))?"
)
_POSTCODE = re.compile(
    r"\b([1-9]\d{3})\s?(?!SA|SD|SS|sa|sd|ss)"
    # A year or a count before a short word ("sinds 2019 op de", "2025 en") is no postcode.
    r"(?!(?:op|in|en|te|of|om|is|al|na|nu|ja|ze|we|je|de|at|an|on|to|be|by|or|so|no|up|us|as|"
    r"do|he|me|my|it|if|am)\b)([A-Z]{2}|[a-z]{2})\b"
)
# A street word (ending in a common street suffix, or "Laan van ...") and a house number.
_STREET_SUFFIX = (
    "straat|laan|weg|plein|gracht|kade|singel|dijk|pad|hof|dreef|steeg|markt|park|baan|veld|"
    "dam|wal|plantsoen|erf|hoven|lei|boulevard|ring|zijde|burcht|haven|dorp|wijk|brink|buorren|"
    "allee|weide|akker|kamp|hout|berg|bosch|horst|donk|hoek|dal|loop|oord|wei|gaarde|stede|"
    # (Weteringschans, Keizersvaart, Oostvliet, Waterpoort, Bergse Zoom, Noordkant.)
    "schans|vaart|vliet|poort|zoom|kant|wetering|"
    # Frisian and Groningen streets: Tsjerkestrjitte, Súderdyk, Heuvelleane, Zuiderdiep
    "strjitte|dyk|leane|loane|paad|diep|"
    # Abbreviated as registers and lists write them: "Dorpsstr. 3", "Pr. Bernhardln 120-A".
    "str\\.|ln\\.?|"
    # German streets near the border: Goethestraße, Grenzweg (weg is above), Marktplatz
    "straße|strasse|gasse|platz"
)
_STREET = re.compile(
    # Bounded: a run of capitalised words ("Hamid Rachidi Hamid Rachidi ...") must not make
    # the search quadratic (it took 3 s on 20,000 characters).
    # ("1e Oosterparkstraat": an ordinal belongs to the street's name.)
    # (A street named after someone keeps its "van" after the article: "de van Speijkstraat".)
    r"\b((?:\d{1,2}(?:e|ste|de)\s|(?<=\bde\s)van\s(?=[A-Z]))?"
    # (On one line: "Training\nGoethestraße 12" is a signature's line, then the street.)
    r"(?:(?![A-Z]{2,}[ \t])[A-Z][\wà-ÿ'.-]{0,30}[ \t](?:(?:van|de|der|den|het|'t|aan|op|in|te|ten|ter)[ \t]){0,3})"
    r"{0,4}"
    r"[A-Z][\wà-ÿ'-]{0,30}(?:" + _STREET_SUFFIX + r")"
    r"|(?:Laan|Hof|Park|Plein|Kade|Dreef|Erf)\s(?:van|der|de|den)\s(?:[\w'-]{1,30}\s){0,3}?"
    r"[A-Z][\wà-ÿ'-]{0,30}"
    r"|[A-Z][\wà-ÿ'-]{0,30}\s(?:Gracht|Straat|Laan|Weg|Kade|Singel|Dijk|Plein|Markt|Haven)"
    r"|Markt|Plein|Dam|Brink|Buorren|Ring)"
    r"(?:[\s-](?:Noord|Oost|Zuid|West|NZ|OZ|WZ|ZZ))?"
    # (The number on the same line: "Port of Moerdijk\n10:00 opening" is a time.)
    # ("t/o 210": across from number 210, where a houseboat lies.)
    r"[ \t](?:(?i:huisnummer|nummer|nr\.?|no\.?|t/o|tegenover)\s)?"
    # (A decimal is no house number: "12.5"; a comma after the toevoeging is a CSV's: "101a,".)
    # (A decimal is "12,5" or "12.50"; ",3512 LM" after it starts a CSV's next field.)
    r"(\d{1,5}(?!\.\d|,\d{1,3}(?!\d))"
    r"(?:\s?-\s?(?:I{1,3}|IV|hoog|huis|bis|rood|zwart)\b|\s?(?:bis|hs|huis)\b|-[A-Z]\d{1,3}\b"
    r"|\s(?:rood|zwart|boven|bg)\b"
    # A letter or two after the number ("22 a", "14 BC"), not a word ("22 in Utrecht").
    r"|\s?[-]?\s?(?:[A-Za-z]|[A-Z]{2}|(?!in|en|op|te|of|at|on|to|is)[a-z]{2})\b"
    r"|\s?-\s?\d{1,4}(?!\.\d|,\d{1,3}(?!\d))"
    # ("Plein 1944 12, 6511 JD": a street named after a year, then the house number.)
    r"|\s\d{1,4}(?=,?\s[1-9]\d{3}\s?[A-Z]{2}\b))?" + _FLOOR + r")(?!\d)"
)
# An address written the English way, the house number first: "27 Kingsley Avenue", "112 Leith
# Walk", "14B Westersingel"; and a British postcode ("BS7 9QT").
_STREET_NUMBER_FIRST = re.compile(
    r"(?<![\w.,-])(\d{1,4}(?!e |ste |de )[A-Za-z]?[ ](?:[A-Z][a-zà-ÿ][\wà-ÿ'-]*[ ]){0,2}"
    r"(?:Street|Road|Avenue|Lane|Walk|Drive|Close|Way|Court|Place|Square|Crescent|Terrace|"
    r"Gardens|Grove|Row|Hill|Mews|Parade|Boulevard|[A-Z][\wà-ÿ'-]*(?:" + _STREET_SUFFIX + r")))"
    r"(?![\w-])"
)
# Streets named after their kind, the way French, German and Polish write them: "Rue des
# Tanneurs 58", "Avenue Louise 12", "Am Stadtgarten 5", "An der Linde 3", "ul. Długa 15".
_STREET_PREFIXED = re.compile(
    r"(?<![\w.])((?i:rue|avenue|boulevard|chaussée|place|quai|chemin|allée|impasse|ul\.|ulica|"
    r"aleja|am|an der|in der|auf dem|auf der|im|zum|zur)"
    r"(?:[ ](?:de|des|du|la|le|l'|d')?[ ]?[A-ZÀ-ÖØ-ÞĀ-ſ][\wà-ÿĀ-ſ'-]{1,30}){1,3}"
    r"[ ]\d{1,5}[a-zA-Z]?(?:/\d{1,3})?" + _FLOOR + r")(?![\w-])"
    # Only right before its postcode: "Avenue Louise 2 camera's", "Im Jahr 2020" are no address.
    r"(?=,?[ ](?:\d{4,5}|\d{2}-\d{3})[ ][A-ZÀ-ÖØ-ÞĀ-ſ])"
)
# The same in lower case, as people type in a hurry ("ze woont op de gagelstraat 7"): only a
# word with an unmistakable street ending, not a motorway ("rijksweg 12") or a distance
# ("fietspad 2 km").
_STREET_LOWER = re.compile(
    # (The look-behind also refuses an apostrophe: a run of "a'a'a'..." must not make every
    # character a new start, which was quadratic.) Not words that only end like a street
    # ("onderweg", "ringweg", "gerechtshof"; "-pad" ends "leerpad"), and no year.
    r"(?<![\w'-])((?![a-z]*(?:onderweg|halfweg|rijksweg|snelweg|autoweg|ringweg|gerechtshof"
    r"|kerkhof|hof van)\b)"
    # An adjective that belongs to the street's name ("oude gracht", "lange nieuwstraat").
    # ("-ring" and "-wijk" are left out: profilering, uitvoering, probleemwijk.)
    # (And a title of the person a street is named after: "prins hendrikkade 104".)
    r"(?:(?:oude|nieuwe|lange|korte|hoge|lage|grote|kleine|prins|prinses|koningin|koning|"
    r"burgemeester|graaf|sint)\s"
    r"(?:[a-zà-ÿ][a-zà-ÿ'-]*(?:straat|laan|weg|gracht|plein|kade|singel|dijk|steeg|dreef|hof)"
    r"|gracht|straat|kade|singel|dijk)"
    r"|[a-zà-ÿ][a-zà-ÿ'-]{2,}"
    r"(?:straat|laan|weg|gracht|plein|kade|singel|dijk|steeg|dreef|plantsoen|allee|hof))"
    r"\s(?:huisnummer\s)?(?!(?:19|20)\d\d\b)\d{1,5}"
    r"(?:\s?-\s?\d{1,4}|\s(?:bis|hs|huis)\b|\s?-?[a-z]\b)?" + _FLOOR + r")"
    r"(?!\d|[.,]\d)"
    r"(?!\s?(?:km|m|meter|meters|kilometer|uur|minuten|min|%|procent|jaar|keer)\b)"
)
# "Boer Hendriks aan de Wijkerweg 14": who lives there is not part of the street's name.
_LIVES_ON = re.compile(
    # (Also before a street of several words: "te Utrecht aan de Lange Nieuwstraat 61".)
    r"\s(?:aan|op|in)\s(?:de|het|den|'t)\s"
    r"(?=(?:[A-Z][\wà-ÿ'-]*\s){0,2}[A-Z][\wà-ÿ'-]*(?:" + _STREET_SUFFIX + r")\s\d)"
)
# A house number said without its street, where the street is known or follows: "hij woont op
# nr 44b", "voor de deur van nr. 23 aan de Tulpstraat".
_NUMBER_LIVED_AT = re.compile(
    r"(?<![\w])(?:(?<=woont op )|(?<=wonen op )|(?<=lives at )|(?<=live at ))"
    r"((?i:nr\.?|nummer|number|no\.)[ ]?\d{1,5}[a-z]?)(?![\w-])"
    r"|(?<![\w])((?i:nr\.?|nummer|huisnummer)[ ]?\d{1,5}[a-z]?[ ](?:aan|op|in)[ ](?:de|het)[ ]"
    r"[A-Z][\wà-ÿ'-]{0,30}(?:" + _STREET_SUFFIX + r"))(?![\w-])"
)
# Numbers from two to ninety-nine in words. Dutch says a phone number in pairs as often as
# digit by digit ("nul zes twaalf vierendertig zesenvijftig achtenzeventig" is 06 12 34 56 78),
# and speech-to-text writes house numbers in words.
_PAIR_WORDS = {w: str(n) for w, n in DUTCH_NUMBERS.items() if n >= 10}
# A house number in words, as speech-to-text writes it: "de Rijnstraat dertien", "kersenlaan
# nummer achttien". Without "nummer" only at the end of what is said (so "de Kerkstraat twee
# keer" stays), and "een" only after "nummer".
_NUMBER_WORD = (
    "(?:"
    + "|".join(sorted((w for w, n in DUTCH_NUMBERS.items() if n >= 2), key=len, reverse=True))
    + ")"
)
# ("honderdtwaalf", "tweehonderdvijf": hundreds before the rest.)
_HOUSE_NUMBER_WORD = (
    r"(?:(?:(?:twee|drie|vier|vijf|zes|zeven|acht|negen)?honderd(?:en)?" + _NUMBER_WORD + r"?)"
    r"|" + _NUMBER_WORD + r")(?:[ ](?:a|b|c|d|bis)\b)?"
)
_STREET_SPOKEN = re.compile(
    r"(?<![\w'-])((?i:[a-zà-ÿ][\wà-ÿ'-]{1,30}(?:" + _STREET_SUFFIX + r"))"
    r"[ ](?:(?i:nummer)[ ](?:een|"
    + _HOUSE_NUMBER_WORD
    + r")|"
    + _HOUSE_NUMBER_WORD
    + r"(?=[ \t]*(?:[,.;?!\n]|$|eh\b))))(?![\w-])"
)
# After "ik woon op (de) (eh)" a street and a number in words is an address whatever follows:
# "ik woon op de klaverstraat veertien en er hangt ...", "op de eh lindelaan vijf a bij mij".
_LIVES_AT_SPOKEN = re.compile(
    # (Also after "op de eh", "aan de eh": where a caller hesitates before a place.)
    r"(?:(?i:woon|woont|wonen|woonde|live|lives)[ ](?:zelf[ ])?(?:op|aan|in|on|at)[ ]"
    r"(?:de[ ]|het[ ]|the[ ])?(?:(?:eh|uh|ehm|uhm)[ ])?"
    r"|(?i:op|aan)[ ](?:de|het)[ ](?:eh|uh|ehm|uhm)[ ])"
    r"(?:(?:oude|nieuwe|lange|korte|hoge|lage|grote|kleine)[ ](?=[a-z]*(?:weg|straat|dijk|laan)\b))?"
    r"((?:tweede[ ]|eerste[ ]|derde[ ])?(?:(?:van|de|der|den)[ ]){0,3}[a-zà-ÿ][\wà-ÿ'-]{1,30}"
    r"(?:" + _STREET_SUFFIX + r")[ ](?:nummer[ ])?(?:een|" + _HOUSE_NUMBER_WORD + r"))(?![\w-])"
)
# A name said after a form of address and a hesitation, as speech-to-text writes it in lower
# case: "u spreekt met mevrouw eh de jong", "meneer eh ten brink van de kaasboerderij".
_SPOKEN_NAME = re.compile(
    r"(?<![\w])(?i:mevrouw|meneer|mevr|dhr|met)[ ](?:eh|uh|ehm|uhm|euh)[ ]"
    r"(?:(?i:mevrouw|meneer|mevr\.?|dhr\.?)[ ])?"
    r"((?:(?:van|de|der|den|het|ter|ten|in|'t)[ ]){0,3}[a-zà-ÿ][a-zà-ÿ'-]{2,30})(?![\w-])"
)
# The French way, the number first: "14 rue des Tanneurs, 59000 Lille" (only before its
# postcode).
_RUE_NUMBER_FIRST = re.compile(
    r"(?<![\w.,-])(\d{1,4}(?:[ ]?(?:bis|ter))?,?[ ](?i:rue|avenue|boulevard|place|quai|chemin|"
    r"allée|impasse|chaussée)(?:[ ](?:de|des|du|la|le|l'|d')?[ ]?[A-ZÀ-ÖØ-Þ][\wà-ÿ'-]{1,30}){1,3})"
    r"(?=,?[ ]\d{4,5}[ ][A-ZÀ-ÖØ-Þ])"
)
# A CSV row with the street and its number in fields of their own: "Hermans,J.P.,Akerstraat,88,".
_STREET_CSV = re.compile(
    r"(?<=[,;\t])([A-Z][\wà-ÿ'-]{0,30}(?:" + _STREET_SUFFIX + r")[,;\t]\d{1,5}[A-Za-z]?)"
    r"(?=[,;\t]|[ \t]*$)",
    re.M,
)
# A field of eight digits that is a date ("19430211"), where the text speaks of birth dates.
_COMPACT_DATE_FIELD = re.compile(
    r"(?<=[,;\t|])[ \t]*((?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))[ \t]*(?=[,;\t|]|$)",
    re.M,
)
_POSTBUS = re.compile(r"(?i:postbus|p\.?o\.? box)\s+\d{1,6},?\s*$")
_UK_POSTCODE = re.compile(r"(?<![\w-])([A-Z]{1,2}\d[A-Z\d]?[ ]\d[A-Z]{2})(?![\w-])")
# After "woont aan", "lives at" or "adres:", a capitalised street name and a house number.
_ADDRESS_CUED = re.compile(
    r"(?<![\w])(?i:lives at|living at|resides at|woont aan de|woont aan|woont op de|woont op|"
    r"woonachtig aan de|woonachtig aan|woonadres|home address|address(?=\s*:)|adres)\s*[:=]?\s*"
    r"(?i:de\s|het\s)?"
    r"((?:[A-Z][\wà-ÿ'-]+\s){0,2}[A-Z][\wà-ÿ'-]+\s\d{1,5}"
    r"(?:\s?[-]?\s?(?:(?!in\b|en\b|op\b|te\b|of\b|at\b|on\b|to\b|is\b)[A-Za-z]{1,3}|bis|hs))?"
    + _FLOOR
    + r")"
    r"(?![\w-])"
)
# A field that holds an address, as forms and logs write it: the street may be in lower case
# there ("adres=kerkewijk 72 bis", "Adres: molenweg 2 A").
_ADDRESS_FIELD = re.compile(
    # (A form posted in a URL writes its spaces as "+": "adres=Vijverlaan+9".)
    r"(?<![\w])(?i:adres|address|woonadres|straat|street)[ \t]*[:=][ \t]*"
    r"([A-Za-z][\wà-ÿ'-]{1,30}(?:(?:[ +]|%20)[A-Za-z][\wà-ÿ'-]{1,30}){0,2}(?:[ +]|%20)\d{1,5}"
    r"(?:(?:[ +]|%20)?-?(?:[a-zA-Z]|bis|hs)\b)?)(?![\w-])"
)
_PLATE = re.compile(
    r"(?<![\w-])("
    r"[A-Z]{2}-\d{2}-\d{2}|\d{2}-\d{2}-[A-Z]{2}|\d{2}-[A-Z]{2}-\d{2}|[A-Z]{2}-\d{2}-[A-Z]{2}|"
    r"[A-Z]{2}-[A-Z]{2}-\d{2}|\d{2}-[A-Z]{2}-[A-Z]{2}|\d{2}-[A-Z]{3}-\d|\d-[A-Z]{3}-\d{2}|"
    r"\d-[A-Z]{3}-\d{3}|"  # Belgian
    r"[A-Z]{2}-\d{3}-[A-Z]|[A-Z]-\d{3}-[A-Z]{2}|[A-Z]{3}-\d{2}-[A-Z]|[A-Z]-\d{2}-[A-Z]{3}|"
    r"\d-[A-Z]{2}-\d{3}|\d{3}-[A-Z]{2}-\d"
    r")(?![\w-])",
    re.I,
)
# The newer side codes written without dashes, in capitals only ("9XRS54"); Dutch plates
# with spaces ("99 ZD ND"), German ("KR-AB 1247") and British ("LK19 XTH") ones.
_PLATE_BARE = re.compile(
    r"(?<![\w-])(\d{2}[A-Z]{3}\d|\d[A-Z]{3}\d{2}|[A-Z]{2}\d{3}[A-Z]|[A-Z]\d{3}[A-Z]{2}|"
    r"[A-Z]{3}\d{2}[A-Z]|[A-Z]\d{2}[A-Z]{3}|\d[A-Z]{2}\d{3}|\d{3}[A-Z]{2}\d|"
    r"\d{2} [A-Z]{2} [A-Z]{2}|[A-Z]{2} [A-Z]{2} \d{2}|[A-Z]{2} \d{2} [A-Z]{2}|"
    r"[A-Z]{1,3}-[A-Z]{1,2} \d{1,4}|[A-Z]{2}\d{2} [A-Z]{3})(?![\w-])"
)
# The newer side codes typed with spaces ("84 HPB 6"), only in a list after a plate found
# otherwise: alone they read as "35 AVG 3", "24 GPU 4".
_NEXT_PLATE = re.compile(
    r"\s*(?:,|en|and|of|or|/)\s*"
    r"(\d{2} [A-Z]{3} \d|\d [A-Z]{3} \d{2}|[A-Z]{2} \d{3} [A-Z]|[A-Z] \d{3} [A-Z]{2})(?![\w-])"
)
# The Dutch side codes as shapes (L a letter, D a digit), for plates typed in lower case or
# with spaces: "tn 08 kg", "k 64 bds", "09 jlf 7".
_SIDE_CODES = frozenset(
    "LL-DD-DD DD-DD-LL DD-LL-DD LL-DD-LL LL-LL-DD DD-LL-LL DD-LLL-D D-LLL-DD LL-DDD-L "
    "L-DDD-LL LLL-DD-L L-DD-LLL D-LL-DDD DDD-LL-D".split()
)
# A plate in any case, compact or with spaces or dashes, whose shape is a side code: taken
# only near a word for a vehicle (_VEHICLE), where "HD 45 17" or "xz 18 bn" is a plate.
# (A look-ahead, so that "auto 09 jlf 7" is also tried from "09".)
_PLATE_ANY = re.compile(
    # (Not within a longer run of number groups: "nr 06 48 37 29 16" is a phone number.)
    r"(?<![\w-])(?<!\d[ -])"
    r"(?=([A-Za-z0-9]{1,3}[ -]?[A-Za-z0-9]{1,3}[ -]?[A-Za-z0-9]{1,3})(?![\w-])(?![ -]\d))"
)
_VOWELS = re.compile(r"[aeiouyAEIOUY]")
_VEHICLE = re.compile(
    r"(?i)\b(?:kentekens?|kentekenregister|nummerborden?|auto'?s?|personenauto|bestelbus|"
    r"bestelauto|bestelwagen|busje|vrachtwagen|vrachtauto|voertuig(?:en)?|aanhanger|caravan|"
    r"camper|motor|motorfiets|scooter|brommer|tractor|taxi|geparkeerd|parkeerde|parkeert|"
    r"naheffing|anpr|rdw|flitser|scanauto|scanwagen|cars?|vans|vehicles?|trucks?|plates?|"
    r"parked|hit ?list|scan car)\b"
)
# Units and abbreviations whose letters have no vowels either: "10-20 km", "wk 12-13".
_NOT_PLATE_LETTERS = frozenset(
    "km mb gb kb tb wk tm hrs hr sec kg mg ml cm mm pk kw kwh mw mwh nr blz pp st ct"
    " ltr dl cl gr".split()
)
# After the word for it, a plate in any case and side code ("kenteken hx481n").
_PLATE_CUED = re.compile(
    r"(?i:kenteken|nummerbord|licence plate|license plate|number plate|plate)\s*:?\s*"
    # ("zijn kenteken op als 'JX 481 B'": a few words may come between.)
    r"(?i:(?:op als|is|was|luidt|als)\s+)?['‘\"“]?"
    # (Also typed with spaces: "kenteken vgt 21 k", "412 zg 8".)
    r"(?i:van\s|nr\.?\s)?([A-Za-z0-9]{1,3} [A-Za-z0-9]{1,3} [A-Za-z0-9]{1,3}(?![\w-])"
    r"|[A-Za-z0-9]{1,3}-?[A-Za-z0-9]{1,3}-?[A-Za-z0-9]{1,3}(?![\w-]))"
)
_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|mar|apr|jun|jul|aug|sep|sept|okt|oct|nov|dec|january|february|march|may|june|"
    "july|august|october"
)
# A date of birth said in words after "geboren", as speech-to-text writes it: "geboren
# twaalf maart tweeduizendtien", "is van zeventien mei negentienachtendertig".
_SPOKEN_BIRTH = re.compile(
    r"(?i:geboren(?:[ ]op)?|is[ ]van|born(?:[ ]on)?)[ ]"
    r"((?:[a-zë]+[ ])(?:" + _MONTHS + r")[ ](?:negentien|tweeduizend)[a-zë]*)\b"
)
_DATE = (
    r"(\d{1,2}[-/.]\d{1,2}[-/.](?:\d{2,4}|'\d{2})|\d{4}[-/]\d{2}[-/]\d{2}"
    # (Also "12-mei-2008".)
    r"|\d{1,2}-(?:" + _MONTHS + r")-\d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s(?:of\s)?(?:" + _MONTHS + r")\.?,?\s(?:\d{4}|'\d{2})"
    r"|(?:" + _MONTHS + r")\.?\s\d{1,2}(?:st|nd|rd|th)?,?\s\d{4})"
)
_BIRTH = re.compile(
    r"(?<![\w])(?:geboren(?:\sop)?|geb\.?\s?datum|geb\b\.?|geboortedatum|date of birth|birth date|birthdate|"
    r"born(?:\son)?|dob|d\.o\.b\.|°|"
    r"\*(?=\s?\d))"
    r"[\s:]*(?:op\s|on\s)?"
    # (After the cue also typed with spaces around the dashes: "Geboortedatum: 2 - 12 - 1983".)
    r"(\d{1,2} [-/] \d{1,2} [-/] (?:\d{4}|'\d{2})|" + _DATE[1:],
    re.I,
)
# A date of birth in a field, written without separators: "Geboortedatum: 19690114".
_BIRTH_COMPACT = re.compile(
    r"(?<![\w])(?:geboortedatum|geb\.?\s?datum|dob|date of birth|birth ?date)[\s:]*"
    r"((?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(?!\d)",
    re.I,
)
# Letters beyond ASCII: names such as Öztürk, Şahin, Yılmaz, Wiśniewski or Zielińska. Latin-1
# and Latin Extended-A; the upper class takes a few lower-case letters of Extended-A along,
# which only matters after a cue or in a name's position.
_UP = "A-ZÀ-ÖØ-ÞĀ-ſ"
# (Latin Extended-B and Additional too: Vietnamese names such as Nguyễn, Phạm, Trương.)
_LOW = "a-zß-öø-ÿĀ-ſƀ-ɏḀ-ỿ'"
# Also Gert-Jan, Al-Hassan, Tjon-A-Fong; never the start of a longer word (DigiD).
_WORD = f"(?:[OD]'(?=[{_UP}])|I(?=J[a-z]))?[{_UP}][{_LOW}]+(?:-[{_UP}{_LOW}][{_LOW}]*)*(?![{_UP}{_LOW}\\d])"
_TUSSEN = r"(?i:in 't|van|de|der|den|het|'t|’t|ter|ten|te|el|al|von|da|dos|le|la|op|v\.(?:d\.)?)"
# The endings of the roles written before a person's name ("Jongerenwerker Soufiane ...",
# "Afdelingshoofd Vos"); after one the name may also be a team's (see _is_role).
_ROLE_ENDINGS = (
    "werker",
    "consulent",
    "leider",
    "hoofd",
    "adviseur",
    "voerder",
    "coach",
    "coördinator",
    "meester",
    "wachter",
    "houder",
    "voorzitter",
    "ambtenaar",
    "handhaver",
    "regisseur",
    "beheerder",
    "jurist",
    "specialist",
)
# A form of address, then the name: capitalised words, with tussenvoegsels and initials.
# Forms of address may follow each other ("Dear Mr. Okafor"); the name itself is never one.
_NAME_CUE = (
    r"(?:mevrouw|mevr\.|mw\.?|mr\.|mrs\.?|ms\.?|meneer|dhr\.?|de heer|heer|familie|fam\.|gezin|"
    r"herr|frau|monsieur|madame|mme\.?|señor|señora|senhor|senhora|boer|boerin|farmer|"
    r"dr\.|drs\.|ir\.|mr|collega|collega's|cliënt|client|inwoner|aanvrager|medewerker|"
    r"consulent|buurman|buurvrouw|teamleider|manager|wethouder|leerling|melder|bewoner|"
    r"deelnemer|sollicitant|ondernemer|applicant|participant|colleague|resident|intern|"
    r"stagiair|stagiaire|ik ben|i'm|i am|my name is|mijn naam is|ik heet|officer|"
    r"gedeputeerde|alderman|team lead|teamlead|roommate|huisgenoot|inspecteur|inspector|"
    r"inspectors|son|daughter|zoon|dochter|wife|husband|moeder|vader|mother|father|broer|"
    r"zus|brother|sister|professor|prof\.|arbeidsmigrant|spoke with|spoke to|met with|"
    r"tolk|interpreter|mantelzorger|carer|caregiver|statushouder|huurder|tenant|verhuurder|"
    r"landlord|patiënt|patient|jongere|leerkracht|docent|teacher|onder wie|among whom|"
    r"talked to|talked with|meeting with|call with|call w/|gesproken met|gebeld met|"
    r"overleg met|gesprek met|afgesproken met|aanwezig:|afwezig:|present:|absent:|apologies:|"
    r"attendees:|cc:|bcc:|notulist:|afmelding:|afgemeld:|contact:|contactpersoon:|"
    # Who someone is to the question, then the name: "De huisbaas is Florin Constantinescu",
    # "Their European rep is Daniel Park", "His assistant Lena Krause".
    r"huisbaas is|huisbaas|verhuurder is|eigenaar is|owner is|assistant is|assistant|"
    r"assistent is|assistent|rep is|representative is|founder is|co-founder is|ceo is|ceo|"
    r"contact person is|contactpersoon is|"
    r"groet,|groeten,|regards,|from|van|namens|door|aan|dear|beste|geachte|hoi|hi|hallo|"
    # A person's role written before the name ("Jongerenwerker Soufiane ...", "Raadslid
    # Aydın", "Afdelingshoofd Vos", "the councillor Van Dijk").
    r"[a-zà-ÿ]*(?:" + "|".join(_ROLE_ENDINGS) + r")|"
    r"raadslid|statenlid|councillor|councilor|bewoonster|klager|complainant)"
)
_HONORIFIC = (
    r"(?i:mr|mrs|ms|dr|drs|ir|mw|mevr|mevrouw|meneer|dhr|hr(?=\.)|heer|herr|frau|monsieur|madame|mme|"
    r"señor|señora|senhor|senhora)\b\.?\s"
)
# After these a lower-case article starts an organisation ("van de Belastingdienst", "door het
# Rijk"), not a name.
_WEAK_CUES = frozenset({"van", "door", "aan", "from", "namens"})
# Role endings that precede a vendor's or a subject's name as often as a person's: after them
# one word is a name only when a name list holds it.
_ROLES_BEFORE_THINGS = ("houder", "beheerder", "jurist", "specialist", "regisseur", "ambtenaar")
# Roles that as often precede a team's or a portfolio's name as a person's.
_ROLE_CUES = frozenset(
    {"teamleider", "manager", "medewerker", "consulent", "gedeputeerde", "wethouder", "alderman"}
)
_AREAS = frozenset({"Noord", "Oost", "Zuid", "West", "Centrum", "Midden"})


def _is_role(cue: str) -> bool:
    """A role that precedes a team's or a portfolio's name as often as a person's."""
    return cue in _ROLE_CUES or cue.endswith(_ROLE_ENDINGS)


# Roles after which a lower-case word starts an organisation ("inspecteur van de
# Omgevingsdienst"), as after the weak cues.
_ORG_AFTER = frozenset({"inspecteur", "inspector", "inspectors", "gedeputeerde", "alderman"})
# Bounded repetitions only: a long run of "van van van…" must not make the search quadratic.
_NAME = re.compile(
    rf"(?<![\w])(?P<cue>(?i:{_NAME_CUE})),?\s+(?P<hon>{_HONORIFIC}\s*)?(?!{_HONORIFIC})"
    rf"(?P<name>(?:[{_UP}]\.\s?){{0,4}}(?:{_TUSSEN}\s){{0,3}}{_WORD}"
    rf"(?:[ ](?:{_TUSSEN}[ ]){{0,3}}{_WORD})?)"
)
# Capitalised words after a cue that are not names (organisations, places, instruments,
# languages: "tolk Tigrinya"; not those that are also names, such as Frans or Engels).
_NOT_NAMES = frozenset(
    """Aanpak Begeleidingsethiek Moreel Beraad Data Workshop Goed Digitaal Bestuur Provincie
    Gemeente Utrecht Zoetermeer Noord-Brabant Noord-Holland Zuid-Holland Overijssel Gelderland
    Den Haag Rotterdam Amsterdam Heuvelrug Rijkswaterstaat Belastingdienst Microsoft Google
    Amazon Meta Apple Facebook Teams Slack GGD RIEC IPO VNG CBS AP FG CISO CIO CDO DEDA IAMA
    CODIO AVG Wmo Participatiewet Omgevingswet AI ChatGPT Copilot TikTok Het De Een Mijn Onze
    Ons Wij We Ik Hij Zij Hun Die Dat Dit Deze Graag Dank Bedankt Groet Groeten Team Afdeling
    Directie College Raad Staten Europa Nederland EU Januari Februari Maart April Mei Juni Juli
    Augustus September Oktober November December Maandag Dinsdag Woensdag Donderdag Vrijdag
    Zaterdag Zondag January February March May June July August October Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday Duitsland Belgie België Frankrijk Engeland Spanje
    Italië Polen Turkije Marokko Syrië Suriname Curaçao Aruba Oekraïne Eritrea Afghanistan
    Germany Belgium France England Spain Italy Poland Turkey Morocco Syria Ukraine Flanders
    Vlaanderen Brussel Brussels Parijs Paris Londen London Berlijn Berlin Dublin Luxemburg
    Ziekenhuis Huis House School College Universiteit University Stichting Foundation Museum
    Theater Centrum Center Centre I'm Voor Na Bij Om Als Over Naar Tot Vanaf Namens Heijn Jumbo
    Lidl Aldi Philips Centric Strava Ring Eufy Llama Mistral Woonnet Municipality Province
    Sociaal Domein Social Domain Sir Madam Claude Gemini Grok Perplexity India China Japan
    Zaken Company Hoi Hallo Hey Beste Dear Geachte Herr Frau Monsieur Madame Señor Señora Senhor Senhora
    Arabisch Arabic Turks Turkish Pools Polish English Oekraïens Ukrainian Russisch
    Russian Farsi Dari Pashto Somalisch Somali Tigrinya Amhaars Amharic Koerdisch Kurdish
    Berbers Tamazight Spaans Spanish French Duits German Chinees Chinese Mandarijn
    Mandarin Vietnamees Vietnamese Roemeens Romanian Bulgaars Bulgarian Portugees Portuguese
    Papiaments Sranantongo Hindi Urdu Nederlands Dutch Fries Frisian Thuis Justice Burgemeester
    Onderwerp Subject Virginia Oregon Ohio Iowa Dakota Carolina Georgia Washington Ierland
    Ireland Aan Autoriteit Persoonsgegevens Waterschap Kreis Sie Hoogheemraadschap Wetterskip
    Omgevingsdienst Veiligheidsregio Bibliotheek Library Noordzee Waddenzee IJsselmeer
    Markermeer Israël Israel Kenia Kenya Libanon""".split()
)


_CAPITALISED = re.compile(
    r"(?<![\w@.-])((?:[" + _UP + r"]\.\s?){1,3}(?:" + _TUSSEN + r"\s){0,3})?(" + _WORD + r")"
    r"((?:[ ]" + _TUSSEN + r"){0,3}[ ]" + _WORD + r"(?:[ ]" + _WORD + r")?)?"
)
# Two or three capitalised words right before or after other personal data, in a record
# such as "Oksana Melnyk, oksana@…" or "912.103.504 (Ilias Ait Taleb)": a name even when no
# list knows it.
_PAIR = r"(" + _WORD + r"(?:[ ](?:" + _TUSSEN + r"[ ]){0,3}" + _WORD + r"){1,2})"
_NAME_BEFORE = re.compile(_PAIR + r"\s*[,(<]\s*(?:[A-Za-z.]{1,12}:?\s*)?$")
_NAME_AFTER = re.compile(r"^\s*[(,]\s*" + _PAIR + r"\s*[),]")
# One word opening a line (or a list item) right before a number or an address of a person: a
# phone list or a sample of records ("Dennis 06-23 45 67 81", "- Bosma, NL59ASNB...").
_LINE_WORD_BEFORE = re.compile(r"(?m)^[ \t]*(?:[-*•][ \t]+)?(" + _WORD + r")[ \t]*[,:]?[ \t]*$")
_CONTACT_KINDS = frozenset({"phone", "iban", "email", "bsn"})
# A line of such a list: one word, then what looks like a number or an IBAN.
_LINE_WORD_THEN_NUMBER = re.compile(
    r"(?m)^[ \t]*(?:[-*•][ \t]+)?(" + _WORD + r")[ \t]*[,:]?[ \t]*(?:[+(\d]|[A-Z]{2}[ ]?\d{2})"
)
# Labels that open a line of numbers in an organisation's lists.
_LINE_LABELS = frozenset(
    """piket spoed storing storingen receptie centrale balie meldkamer wachtdienst
    bereikbaarheidsdienst noodnummer fax tel telefoon mobiel privé prive werk kantoor thuis
    algemeen secretariaat helpdesk servicedesk bank rekening iban bsn email e-mail mail""".split()
)
# A compound that ends like a street (Houtmanstraat, Pololaan): never a person. Only the
# unmistakable endings, and only inside a word: "Van der Laan" and "Achterberg" are people.
_STREET_END = re.compile(
    r"[a-zà-ÿ](?:straat|laan|weg|plein|gracht|kade|singel|dreef|steeg|plantsoen|allee)$"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|[\"'(]\s*)$")
# Years of birth: a full date in a year at least this long ago is taken for a date of birth
# (deadlines and decisions are recent or future).
_BIRTH_YEARS_AGO = 14
_FULL_DATE = re.compile(r"(?<![\w.-])" + _DATE + r"(?![\w-]|\.\d)", re.I)
# A full date right after a person's name is their date of birth, also a child's ("Sterre,
# 14-07-2012", "Senait Habte (2011-06-09)"), which _BIRTH_YEARS_AGO would leave.
_DATE_AFTER_NAME = re.compile(r"(?:,[ \t]*|[ \t]*[(|;][ \t]*)" + _DATE + r"(?![\w-]|\.\d)", re.I)
# Where the text speaks of dates of birth, a space is separator enough ("names and dob like
# 'liam van der zee 2016-09-03'").
_DATE_AFTER_NAME_SPACED = re.compile(r"[ \t]+" + _DATE + r"(?![\w-]|\.\d)", re.I)
_SPEAKS_OF_BIRTH = re.compile(
    r"(?i)\b(?:(?:geboren|geboortedat\w*|dob|date of birth|birth ?dates?|birthdays?|born|"
    r"verjaardag\w*)\b|geb\.|d\.o\.b)"
)
# Dates of this year and last are more often a meeting's or a deadline than a child's birth.
_RECENT_YEARS = 2
# (Also a date and a time: "02-03-2025 23:51" reads as a ten-digit number.)
_LOOKS_LIKE_DATE = re.compile(r"\(?\s*\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}(?:\s*$|\s+\d{1,2}$)")


def _deduce_folder() -> Path:
    # Found without importing deduce: its import calls logging.basicConfig(stream=sys.stdout,
    # level=DEBUG), which would route every library's debug lines (Slack's carry message
    # bodies) to stdout and disable the server's own logging configuration.
    spec = importlib.util.find_spec("deduce")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the deduce package is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


_LOOKUP = _deduce_folder() / "data" / "lookup" / "src"


def _deduce_list(*parts: str) -> frozenset[str]:
    """One of deduce's word lists (its ``items.txt`` minus its ``exceptions.txt``, if any)."""
    folder = _LOOKUP.joinpath(*parts)

    def lines(name: str) -> set[str]:
        f = folder / name
        if not f.is_file():
            return set()
        return {w.strip() for w in f.read_text(encoding="utf-8").splitlines() if w.strip()}

    return frozenset(lines("items.txt") - lines("exceptions.txt"))


# First names and surnames of the other origins of people living in the Netherlands
# (Ukrainian, Syrian, Eritrean, Turkish, Surinamese, ...), which deduce's Dutch lists lack;
# written for this bot without ordinary Dutch or English words (see bot/data/README.md).
_OWN_NAMES = Path(__file__).parent / "data"


def _own_list(name: str) -> frozenset[str]:
    text = (_OWN_NAMES / name).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


class _FirstNames(frozenset[str]):
    """The first names, where a double name counts when both its parts do: "Dirk-Willem",
    "Kim-Ling", "Anne-Marie"."""

    def __contains__(self, word: object) -> bool:
        if super().__contains__(word):
            return True
        if not isinstance(word, str) or "-" not in word:
            return False
        parts = word.split("-")
        return len(parts) == 2 and all(
            len(p) > 1 and super(_FirstNames, self).__contains__(p.capitalize()) for p in parts
        )


@lru_cache(maxsize=1)
def name_lists() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """First names (a double name counts, see ``_FirstNames``) and surnames (deduce's and our
    own), and common Dutch words (deduce's whitelist, lower case)."""
    common = _deduce_list("whitelist", "lst_common_word")
    return (
        _FirstNames(_deduce_list("names", "lst_first_name") | _own_list("first_names.txt")),
        _deduce_list("names", "lst_surname")
        | _own_list("surnames.txt")
        | _own_list("word_surnames.txt"),
        frozenset(w.lower() for w in common),
    )


# First names that also open an ordinary sentence ("May we…", "Wil je…", "Just…", "Mark the…").
_START_WORDS = frozenset(
    """Wil Ben Can May Just Will Mark Hope Grace Bill Rose Frank Guy Joy Faith Dawn Summer Sunny
    Chase King Angel Mercy Ray Penny Amber Crystal Ruby Jade Iris Lily Daisy Violet Holly Ivy Sue
    Art Pat Case Lane Ever Trust Review Victor Major Page Sterling Hunter Noble Rich Reed Wade
    Young Price Hall Deal Chance Roos Bas Hoop Mei Juni Maart Sterre Zon Storm Ster Dirk Erin
    River Sky Ocean Forest Rain Snow Meadow Brook Field
    My An A I The Our Your His Her Its Their We You He She It This That These Those What Who How
    Why When Where Which Could Should Would Is Are Was Were Do Does Did Please Thanks Thank Hi
    Hello Dear Also So But And Or If As At In On For With To From Of Ok Okay Yes No Kind Best
    Regards Sorry Quick Question Hey""".split()
)
_AFTER_NAME = re.compile(r"\s*[,)]|\s+\(|\s+[a-zß-ÿ]")


def _name_at_start(word: str, text: str, end: int) -> bool:
    """A listed first name opening a sentence or a parenthesis ("Priya wil…", "(Dylan, 15)"):
    a name unless it is also a word that opens ordinary sentences."""
    return word not in _START_WORDS and bool(_AFTER_NAME.match(text, end))


def _possessor(word: str) -> str | None:
    """The owner in a possessive ("Sarah's", "Kees'"), else None."""
    for ending in ("'s", "’s", "'"):
        if word.endswith(ending) and len(word) > len(ending) + 1:
            return word[: -len(ending)]
    return None


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """Dutch municipalities, provinces, regions and residences (deduce's lists): after "van"
    or "from" these are where someone comes from, not who."""
    parts = ("lst_municipality", "lst_province", "lst_region", "lst_residence")
    return frozenset().union(*(_deduce_list("locations", "lst_placename", p) for p in parts))


def _listed_names(text: str) -> Iterable[Span]:
    """Names from the lists: a first name (with what follows), or initials and a surname."""
    first, _, common = name_lists()
    for m in _CAPITALISED.finditer(text):
        initials, word, rest = m.group(1), m.group(2), m.group(3)
        if word in _NOT_NAMES or (word.lower() in common and not _surname_initials(initials)):
            continue  # (after "J.P." or "J. de" a common word is a surname: "J.P. de Graaf")
        if _STREET_END.search(m.group(0)):
            continue  # "Willem van Noortstraat"
        if rest and _not_a_name(rest):
            if initials:
                yield (m.start(), m.end(2), "name")  # "J.P. de Graaf van Team Data"
            continue  # "Jeroen Bosch Ziekenhuis"
        # (Only the characters just before: searching the whole text before was quadratic.)
        at_start = m.start() == 0 or bool(
            _SENTENCE_START.search(text, max(0, m.start() - 40), m.start())
        )
        base = _possessor(word)
        if base is not None and not initials:
            # "Fatima's aanvraag", "Kees' dochter": a listed first name that owns something is
            # a person, also where a sentence starts.
            if base in first and base not in _START_WORDS and base not in _NOT_NAMES:
                yield (m.start(2), m.start(2) + len(base), "name")
            continue
        if initials and initials.replace(" ", "").upper() in _LEGAL_FORMS:
            continue  # "Visser Beveiliging B.V. Moet ...": a legal form, not initials
        if initials:
            # Initials before a capitalised word that is not an ordinary word: "A. Haddou",
            # "G. van der Heijden". A surname list would miss most surnames of our residents.
            yield (m.start(), m.end(), "name")
        elif word in first and (initial := _INITIAL_AFTER.match(text, m.end(2))) is not None:
            yield (m.start(), initial.end(), "name")  # "Sanne W.": a first name and an initial
        elif word in first and (rest or not at_start or _name_at_start(word, text, m.end(2))):
            yield (
                m.start(),
                m.end() if rest and not _not_a_name(rest.strip()) else m.end(2),
                "name",
            )
        # A surname alone is not taken: too often it is an ordinary word.


# A project's or an operation's name is no person: "het project Athena", "operatie Hermes".
_THING_BEFORE = re.compile(
    r"(?i:\b(?:project|projectnaam|programma|programme|operatie|operation|pilot|codenaam|"
    r"code name|werknaam|working title|"
    # Things given a first name: a chatbot, a ship, a project ("chatbot 'Sanne'", "vessel
    # 'Jacob Jan'", "onze chatbot heet Sanne", "a chatbot called Robin").
    r"(?:chat)?bot|assistent|assistant|avatar|robot|vessel|ship|schip|\w*vrachtschip|boot|"
    r"boat|projectteam|projectplan|sensornetwerk|storm|orkaan|hurricane)"
    r"(?:[ \t]+(?:heet|hete|called|named|genaamd|met de naam|with the name|vernoemd naar))?"
    # An app, a system or a tool only with a word that names it ("de app heet BoaApp"): "the
    # system Mark Bakker configured" names its maker.
    r"|\b(?:app|systeem|system|tool|model|netwerk|network)[ \t]+(?:heet|hete|called|named|"
    r"genaamd|met de naam|with the name))[ \t]+['‘\"“]?$"
)
# A thing named after someone, said after the name ("de johan cruijff arena", "the Pieter
# Jelles-school").
_THING_AFTER = re.compile(
    r"(?i:-?(?:arena|stadion|stadium|school|college|lyceum|ziekenhuis|hospital|museum|brug|"
    r"bridge|tunnel|plein|park|zaal|hal|hall|huis|prijs|prize|fonds|fund|stichting|foundation|"
    r"academie|academy|kazerne|gebouw|building|theater|theatre|bibliotheek|library|centrum|"
    r"centre|center|gemaal|sluis)\b)"
)


def _surname_initials(initials: str | None) -> bool:
    """Initials that make the next word a surname even when it is a common word: two or more
    ("J.P. Graaf") or one with a tussenvoegsel ("J. de Graaf"); not "plan B. Welke"."""
    if not initials:
        return False
    letters = sum(c.isupper() for c in initials)
    return letters >= 2 or any(w in _TUSSEN_WORDS for w in initials.lower().split())


# A company's legal form after its name: "Visser Beveiliging B.V." is no person.
_LEGAL_FORMS = frozenset({"B.V.", "N.V.", "V.O.F.", "C.V."})
_COMPANY_AFTER = re.compile(
    r"(?:[ ][A-Z][\w&-]*){0,2}[ ](?:B\.V\.|B\.V\b|BV\b|N\.V\.|NV\b|V\.O\.F\.|VOF\b|Holding\b|"
    r"Groep\b|Group\b|Ltd\b|GmbH\b|Inc\b|LLC\b|& Zn\b|& Zonen\b|"
    # Places and institutions named after someone: "de Titus Brandsma school", "Johan Cruijff
    # Arena", "het Albert Schweitzer ziekenhuis".
    r"(?i:school|college|lyceum|gymnasium|arena|stadion|ziekenhuis|hospital|brug|bridge|tunnel|"
    r"sluis|museum|kerk|church|park|plein|huis|zaal|hal|centrum|stichting|fonds|prijs|award)\b)"
)
# The same as the last part of one word: "de Nelson Mandelabrug", "het Anne Frankhuis".
# (Not -huis, -kerk or -sluis: Oosterhuis, Ouwerkerk and Van der Sluis are surnames.)
_THING_ENDINGS = ("brug", "tunnel", "school", "college", "plein", "park", "arena", "stadion")
_INITIAL_AFTER = re.compile(rf"[ ][{_UP}]\.(?![\w.])")


@dataclass
class Redacted:
    """A text with its personal data replaced, and how many of each kind were left out."""

    text: str
    kinds: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


def _iban_ok(s: str) -> bool:
    # The IBAN's own check (mod 97) only, not each country's account check: a number that
    # passes it is an account number to leave out, also with a slip in the national part.
    return bool(stdnum_iban.is_valid(s.replace(" ", ""), check_country=False))


def _bsn_ok(s: str) -> bool:
    digits = re.sub(r"\D", "", s)
    return len(digits) == 9 and bool(stdnum_bsn.is_valid(digits))


_BSN_NAMED = re.compile(r"(?i:\bbsn|burgerservicenummer|sofinummer|citizen service number)")
# Right after its name a BSN may be grouped any way ("BSN: 51 93 24 262").
_BSN_CUED = re.compile(
    # ("BSN: 51 93 24 262", "bsn-nummer:", "Zijn BSN is", "Burgerservicenummer (BSN):",
    # "BSN van de cliënt:", "BSN:" and the number on the next line.)
    r"(?i:\bbsn|burgerservicenummer|sofinummer|citizen service number)"
    # (Dashes only between a BSN's groups: "12-03-2024" after "BSN gewijzigd op" is a date.)
    r"[^\d\n]{0,25}?(?:\n[ \t]*)?(\d(?:[ .]?\d){7,8}|\d{3}-\d{3}-\d{3}|\d{4}-\d{2}-\d{3})"
    r"(?![\w]|[.,-]\d)"
)


def _row_fields(text: str, pos: int) -> int:
    """How many commas the line at ``pos`` holds (a CSV row has two or more)."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text.count(",", start, end if end != -1 else len(text))


# Digits said in words, as speech-to-text writes a dictated number: "nul zes een twee ...".
_DIGIT_WORDS = {
    "nul": "0", "een": "1", "één": "1", "twee": "2", "drie": "3", "vier": "4", "vijf": "5",
    "zes": "6", "zeven": "7", "acht": "8", "negen": "9", "zero": "0", "oh": "0", "one": "1",
    "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9",
}  # fmt: skip
_NUMBER_WORDS = {**_DIGIT_WORDS, **_PAIR_WORDS}
_SPOKEN_DIGITS = re.compile(
    r"(?i)(?<![\w-])((?:(?:"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")(?:[ ,-]+|$|(?=[.;:!?)\n]))){5,12})"
)


def _spoken_numbers(text: str) -> Iterable[Span]:
    """A phone number or a BSN said digit by digit in words: ten digits from "nul" (a Dutch
    number) are a phone number, nine that pass the elfproef a BSN."""
    for m in _SPOKEN_DIGITS.finditer(text):
        said = m.group(1).rstrip(" ,-")
        digits = "".join(_NUMBER_WORDS[w.lower()] for w in re.split(r"[ ,-]+", said) if w)
        end = m.start(1) + len(said)
        if len(digits) == 10 and digits.startswith("0"):
            yield (m.start(1), end, "phone")
        elif len(digits) == 9 and _bsn_ok(digits):
            yield (m.start(1), end, "bsn")


def _bsn_spans(text: str) -> Iterable[Span]:
    """BSNs: nine digits (plain, grouped, or a CSV field) that pass the elfproef and are not
    an organisation's number."""
    # (A field of nine digits is a BSN only where the text names BSNs: "2023,100000009,12"
    # is an amount. A number before it on a row of fields is the row's, not a decimal.)
    named = _BSN_NAMED.search(text) is not None
    fields = (
        m
        for m in (_BSN_FIELD.finditer(text) if named else ())
        if _row_fields(text, m.start()) >= 2
        or not _DECIMAL_BEFORE.search(text, max(0, m.start() - 5), m.start())
    )
    for m in (*_BSN.finditer(text), *fields):
        if _bsn_ok(m.group(1)) and not _ORGANISATION_NUMBER.search(
            text, max(0, m.start() - 40), m.start()
        ):
            yield (m.start(1), m.end(1), "bsn")
    # Named a BSN, eight or nine digits are one even when the elfproef fails: a typo in a
    # real number, or one made up, is still not ours to keep (found by a user trial).
    for m in _BSN_CUED.finditer(text):
        if not _ORGANISATION_NUMBER.search(text, max(0, m.start() - 40), m.start()):
            yield (m.start(1), m.end(1), "bsn")


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
    prefix = re.match(r"/(\d{1,2})\b", text[start + len(s) : start + len(s) + 3])
    if prefix is not None and int(prefix.group(1)) < 32:
        try:
            ipaddress.ip_network(f"{s}/{prefix.group(1)}", strict=True)
            return False  # "10.0.0.0/8": a network range, not one device
        except ValueError:
            pass  # "192.168.1.23/24": a device's address in its network
    before = text[max(0, start - 40) : start]
    if _VERSION_BEFORE.search(before[-24:]):
        return False  # "versie 5.1.12.104" is a version, not an address
    if (then := _VERSION_THEN.search(before)) and _VERSION_BEFORE.search(
        text[max(0, start - len(before) + then.start() - 24) : start - len(before) + then.start()]
    ):
        return False  # "... geüpdatet van 5.2.0.118 naar 5.3.1.204"
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


# Capital tussenvoegsels that open a surname ("De Boer", "Van Dijk"); not "Het" ("Het
# Waterschapshuis").
_NAME_TUSSEN = frozenset({"de", "van", "der", "den", "ter", "ten", "te", "el", "al", "la", "le"})


def _not_a_name(s: str) -> bool:
    """Words after a cue that are an organisation or an instrument, not a person. A capital
    tussenvoegsel before a surname ("De Boer") is part of the name, not a sentence's "De"."""
    words = s.split()
    return any(
        w.rstrip(".") in _NOT_NAMES
        for i, w in enumerate(words)
        if not (i == 0 and w.lower() in _NAME_TUSSEN and len(words) > 1)
    )


# Forms of address: the name follows on the same line ("Geachte heer, mevrouw,\nEr hangt ..."
# is a salutation, then a sentence). After a closing or a list's heading it may be the next.
_SAME_LINE_CUES = frozenset(
    """mevrouw mevr. mw. mw meneer dhr. dhr heer mr. mrs. mrs ms. ms mr dr. drs. ir. dear
    beste geachte hoi hi hallo""".split()
)


def _cued_name(m: re.Match[str]) -> bool:
    # "van dhr. Bouzid": a form of address after the cue is the cue that counts.
    cue, name = ("dhr." if m.group("hon") else m.group("cue").lower()), m.group("name")
    if "\n" in m.string[m.end("cue") : m.start("name")] and (
        m.group("hon") or cue in _SAME_LINE_CUES or cue == "de heer" or _is_role(cue)
    ):
        return False
    first, surnames, _ = name_lists()
    single = " " not in name.strip() and "." not in name
    if (
        single
        and "\n" in m.string[m.end("cue") : m.start("name")]
        and name not in first
        and name not in surnames
    ):
        return False  # "Beste adviseur,\n\nHierbij ...", "mijn vader\nNaam: ...": a new line
    if cue.endswith(_ROLES_BEFORE_THINGS) and single and name not in first and name not in surnames:
        return False  # "applicatiebeheerder Nedap", "jurist Omgevingsrecht": a vendor or a team
    if _is_role(cue) and _a_team(name, single):
        return False  # "teamleider Parkeren", "Projectleider Veilige Wijk": a team, not a person
    if cue in _WEAK_CUES and single and name not in first and name not in surnames:
        return False  # "van Centric", "from Vilans": after "van" one unknown word is a maker
    if _STREET_END.search(name):
        return False  # "de Cornelis Houtmanstraat"
    if cue in _WEAK_CUES:
        # "van de Belastingdienst", "from Flanders", "aan Amersfoort": after a weak cue an
        # article or a place name means an organisation or where someone is from. (After
        # "dhr." a place-like surname such as Achterberg is still a name.)
        if name[:1].islower() or name in _places():
            return False
    elif cue in _ORG_AFTER and name[:1].islower():
        return False
    elif name.startswith("van ") and (name[4:] in _places() or _known_word(name[4:].lower())):
        return False  # "collega van Amersfoort": where the colleague works
    return not _not_a_name(name)


def _a_team(name: str, single: bool) -> bool:
    """Whether what follows a role names a team, a portfolio or a thing rather than a person:
    one word that is no surname but an ordinary word, a portfolio or an area ("teamleider
    Parkeren", "coördinator Jeugdzorg", "jongerenwerker Oost"); words that no name list holds
    and are all ordinary ("Projectleider Veilige Wijk"); or an article ("de Instagram")."""
    first, surnames, _ = name_lists()
    words = name.split()
    # (A portfolio: Digitalisering, Burgerzaken, Informatiebeleid.)
    portfolio = name.endswith(("zaken", "ing", "heid", "beleid")) or name in _AREAS
    if single and name not in surnames and (portfolio or _ordinary_word(name.lower())):
        return True
    if words[0] in ("de", "het"):
        return True
    # ("Teamleider Bibliotheek Hellendoorn": a word and a place name an organisation.)
    return not any(w in surnames or w in first for w in words) and all(
        _ordinary_word(w.lower()) or w in _places() for w in words
    )


Span = tuple[int, int, str]


def _regex_spans(
    pattern: re.Pattern[str],
    text: str,
    kind: str,
    ok: Callable[[re.Match[str]], bool],
    group: int | str,
) -> Iterable[Span]:
    for m in pattern.finditer(text):
        if ok(m):
            yield (m.start(group), m.end(group), kind)


# A name with the name someone goes by in brackets: "J.W. (Jan-Willem) Hofstede", "ria (maria)
# schoenmaker" (lower case only when both given names are known ones).
_ALIASED = re.compile(
    rf"(?<![\w.])((?:[{_UP}]\.\s?){{1,4}}\s?\(([{_UP}][a-zà-ÿ]+(?:-[{_UP}][a-zà-ÿ]+)?)\)"
    rf"[ ](?:{_TUSSEN}[ ]){{0,3}}[{_UP}][{_LOW}'-]+)(?![\w-])"
)
# (Letters only at the start: with the apostrophe in _LOW, "a'a'a'..." would start a scan to
# the end of the text after every apostrophe.)
_ALIASED_LOWER = re.compile(
    rf"(?<![\w.'])(([a-zà-ÿ]+)[ ]\(([a-zà-ÿ]+)\)[ ](?:{_TUSSEN}[ ]){{0,3}}[a-zà-ÿ][{_LOW}-]+)(?![\w-])"
)
_ALIASED_CAPITAL = re.compile(
    rf"(?<![\w.'])(([{_UP}][a-zà-ÿ]+)[ ]\(([{_UP}][a-zà-ÿ]+)\)[ ](?:{_TUSSEN}[ ]){{0,3}}[{_UP}][{_LOW}-]+)(?![\w-])"
)


def _aliased_names(text: str) -> list[Span]:
    """Names written with an alias in brackets (see ``_ALIASED``)."""
    first, _, common = name_lists()

    def given(word: str) -> bool:  # a first name that is no ordinary word ("zomer", "winter")
        return word.capitalize() in first and word.lower() not in common

    out = [(m.start(1), m.end(1), "name") for m in _ALIASED.finditer(text) if given(m.group(2))]
    out += [
        (m.start(1), m.end(1), "name")
        for pattern in (_ALIASED_LOWER, _ALIASED_CAPITAL)
        for m in pattern.finditer(text)
        if given(m.group(2)) and given(m.group(3))
    ]
    return out


# A person's login in a log line or a form ("user=mbouzidi", "gebruiker a.jovanovic") and a
# name posted in a URL ("naam=Jordy+Tromp"): logins are made of names, so they identify.
_ACCOUNT = re.compile(
    r"(?<![\w])(?i:user(?:name)?|gebruiker(?:snaam)?|login|(?:beheer)?account|uid|samaccountname)"
    # ("account PZH\m.elidrissi": a Windows domain before the login; "user kvisser01", a login
    # with digits or a dot or underscore in it after a space.)
    r"(?:[ \t]*[=:][ \t]*(?:[A-Za-z]{2,15}\\)?"
    r"|[ \t]+(?:[A-Za-z]{2,15}\\|(?=[a-z][a-z.'_-]*(?:\.|_|\d))))"
    # (Then the line ends, a field ends or the next key follows: "user: what is my bsn" is a
    # chat transcript's speaker, not a login.)
    r"([a-z][a-z0-9.'_-]{2,30}[a-z0-9])(?![\w@.-])"
    r"(?=[ \t]*(?:$|[,;|)\]\n&\"]|[ \t]\w+[=:]|[ \t](?:\(|heeft|has|had|opened|exported|logged|"
    r"opende|exporteerde|logde)))",
    re.M,
)
# A chat mention written as a handle: "@Priya.Sharma", "@arjun" (not "@channel").
_HANDLE = re.compile(r"(?<![\w@.])@([a-z][a-z0-9_-]{1,30}|[A-Z][a-z]+\.[A-Z][a-z]+)(?![\w@-]|\.\w)")
_NOT_A_HANDLE = frozenset("all here channel everyone team iedereen allen".split())
# A user's own folder: "H:\Gebruikers\sietse.zijlstra\Downloads", "/home/jdevries/".
_USER_FOLDER = re.compile(
    r"(?i:[\\/](?:users|gebruikers|home|profiles|profielen)[\\/])([a-z][a-z0-9.'_-]{2,30})(?=[\\/])"
)
_NOT_A_LOGIN = frozenset(
    "admin administrator root system service svc test guest anonymous unknown null none beheer "
    "beheerder scanner backup monitor nobody daemon default onbekend public shared".split()
)
_POSTED_NAME = re.compile(
    r"(?<![\w])(?i:naam|name|voornaam|achternaam|fullname|full_name|first_name|last_name)="
    r"([A-Za-zÀ-ÿ](?:%[0-9A-Fa-f]{2}|[A-Za-zÀ-ÿ'+-]){1,60})(?=[&\s\"]|$)"
)


# A header of a table or an export names the columns that hold names: "achternaam;voornaam;
# adres" above "YILMAZ;Mehmet;Schoolstraat 3". Every row's cell in such a column is a name.
_NAME_COLUMNS = frozenset(
    "naam achternaam voornaam voornamen roepnaam tussenvoegsel voorletters geslachtsnaam "
    "name surname lastname last_name firstname first_name given_name fullname full_name "
    "familienaam aanvrager client cliënt klant bewoner huurder deelnemer medewerker "
    "contactpersoon".split()
)
# What may follow "met eh" or "meneer eh" that is no name.
_NOT_SPOKEN_NAMES = frozenset(
    "ik ja nee wij we mijn onze de het een die dat dit deze hoe wat wie waar wanneer gemeente "
    "afdeling provincie team balie mevrouw meneer".split()
)
_SEPARATORS = (";", "\t", "|", ",")


def _column_names(text: str) -> Iterable[Span]:
    """Cells under a header that names them (see _NAME_COLUMNS), in ;, tab, | or , tables."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    columns: list[int] = []
    sep = ""
    for i, line in enumerate(lines):
        cells = line.split(sep) if sep else []
        if columns and len(cells) > max(1, max(columns)):
            start = offsets[i]
            pos = 0
            for k, cell in enumerate(cells):
                value = cell.strip()
                if (
                    k in columns
                    and value
                    and re.fullmatch(rf"[{_UP}{_LOW}][{_UP}{_LOW}.' -]*", value)
                    and not _not_a_name(value)
                ):
                    at = start + pos + cell.index(value)
                    yield (at, at + len(value), "name")
                pos += len(cell) + len(sep)
            continue
        columns, sep = [], ""
        for candidate in _SEPARATORS:
            heads = [c.strip().lower().replace(" ", "_") for c in line.split(candidate)]
            if len(heads) >= 3 and all(re.fullmatch(r"[a-zë_.]+", h) for h in heads if h):
                found = [k for k, h in enumerate(heads) if h in _NAME_COLUMNS]
                if found:
                    columns, sep = found, candidate
                    break


# A surname in capitals, as registers and forms write it: "A.B. EL AMRANI", "officer S.
# HOEKSTRA", "Thomas VAN ROOIJEN", "VAN DER LINDEN, HENDRIK", "SABAJO-PINAS, G.".
_CAPS_TUSSEN = r"(?:(?:VAN DER|VAN DEN|VAN DE|VAN|DE|DER|DEN|TER|TEN|EL|AL|LE|LA)[ ])"
_CAPS_SURNAME = r"[A-ZÀ-ÖØ-Þ]{3,}(?:-[A-ZÀ-ÖØ-Þ]{3,})?"
_CAPS_NAME = re.compile(
    rf"(?<![\w.])((?:[A-Z]\.){{1,4}}[ ]?{_CAPS_TUSSEN}?{_CAPS_SURNAME})(?![\w-])"
    rf"|(?<![\w.])([A-Z][a-zà-ÿ]{{2,}}(?:-[A-Z][a-zà-ÿ]+)?[ ]{_CAPS_TUSSEN}?{_CAPS_SURNAME})(?![\w-])"
    rf"|(?<![\w.])({_CAPS_TUSSEN}?{_CAPS_SURNAME},[ ](?:(?:[A-Z]\.){{1,4}}|[A-Z]{{3,}}))(?![\w-])"
)


def _caps_names(text: str) -> Iterable[Span]:
    """Names with a surname in capitals (see _CAPS_NAME): after initials or a listed first
    name, or before them; an acronym the knowledge uses (DPIA, IAMA, AVG) is no surname."""
    first = name_lists()[0]
    pos = 0
    # (A refused match is searched again one word on: "Ook SABAJO-PINAS, G." is no first
    # name and a capital surname, but holds the inverted name after it.)
    while (m := _CAPS_NAME.search(text, pos)) is not None:
        group = m.lastindex or 0
        found = m.group(group)
        words = re.findall(r"[A-ZÀ-ÖØ-Þ]{3,}", found)
        after = found.split(", ")[-1]  # group 3: the initials or the first name
        refused = (
            any(w.title() in _NOT_NAMES or w.lower() in _NOT_NAMES for w in words)
            or (group == 2 and found.split()[0] not in first)
            or (group == 3 and "." not in after and after.title() not in first)
        )
        if refused:
            pos = text.find(" ", m.start(group)) + 1 or len(text)
            continue
        yield (m.start(group), m.end(group), "name")
        pos = m.end(group)


# Chinese, Korean and Vietnamese names put the family name first, then one or two given
# syllables: "Zhang Wei", "Chen Li Na", "Park Min-jun", "Vo Thi Hanh", "KIM Ji-woo".
_EAST_ASIAN_SURNAMES = frozenset(
    """zhang wang li liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo gao zheng
    liang xie song tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye
    cheng wei su lu ding ren shen yao cui zhong tan wong chan leung cheung lau ng kwok lam tsang
    kim lee park choi jung kang cho yoon jang lim oh seo shin kwon hwang ahn yoo hong jeon ko
    moon nguyen tran le pham hoang phan vu vo dang bui do ho ngo duong ly truong""".split()
)
_EAST_ASIAN_NAME = re.compile(
    r"(?<![\w.-])([A-Z][a-z]{1,6}|[A-Z]{2,6})((?:[ ][A-Z][a-z]{1,5}(?:-[a-z]{2,5})?){1,2})(?![\w-])"
)


def _east_asian_names(text: str) -> Iterable[Span]:
    """A listed family name and one or two given syllables that are no ordinary words."""
    for m in _EAST_ASIAN_NAME.finditer(text):
        if m.group(1).lower() not in _EAST_ASIAN_SURNAMES:
            continue
        given = m.group(2).split()
        # (Given syllables are short and may be Dutch words, "Zhang Wei", "Chen Li Na"; a
        # longer word is no syllable, "Park Lane", and a function word never, "Do Not".)
        if any(
            (len(g) > 3 and _ordinary_word(g.lower()))
            or g.lower() in NL_STOP
            or g.lower() in EN_STOP
            or g in _places()
            for g in given
        ):
            continue
        yield (m.start(1), m.end(2), "name")


def _account_names(text: str) -> Iterable[Span]:
    """Logins, users' folders, handles and names posted in a URL (see _ACCOUNT, _USER_FOLDER,
    _HANDLE, _POSTED_NAME)."""
    for m in (*_ACCOUNT.finditer(text), *_USER_FOLDER.finditer(text)):
        # (A service account with a number is still one: "admin01", "svc_backup".)
        if re.sub(r"[\d_.-]+$", "", m.group(1).lower()) not in _NOT_A_LOGIN:
            yield (m.start(1), m.end(1), "name")
    for m in _HANDLE.finditer(text):
        if m.group(1).lower() not in _NOT_A_HANDLE:
            yield (m.start(1), m.end(1), "name")
    for m in _POSTED_NAME.finditer(text):
        yield (m.start(1), m.end(1), "name")


def _cued_names(text: str) -> Iterable[Span]:
    """Names after a cue (``_NAME``, ``_cued_name``). A refused match is searched again from
    its cue's end: its words may hold the next cue ("Beste leerplichtambtenaar,\nLeerling
    Noah Wijaya")."""
    pos = 0
    while (m := _NAME.search(text, pos)) is not None:
        if _cued_name(m):
            yield (m.start("name"), m.end("name"), "name")
            pos = m.end()
        else:
            pos = m.end("cue")


# "Sevda Yılmaz van de Ampèrestraat 41": a person from a street (when a first name opens it).
_FROM_STREET = re.compile(
    r"\svan\s(?:de|het|den|'t)\s(?=[A-Z][\wà-ÿ'-]*(?:" + _STREET_SUFFIX + r")\s\d)"
)


def _street_spans(text: str) -> Iterable[Span]:
    """Streets with a house number (see ``_STREET``), without the words before "aan de" or
    "op de" that name who lives there (or "van de" after a first name)."""
    first = name_lists()[0]
    for m in _STREET.finditer(text):
        cuts = list(_LIVES_ON.finditer(m.group(0)))
        if not cuts and m.group(0).split()[0] in first:
            cuts = list(_FROM_STREET.finditer(m.group(0)))
        if not cuts:
            yield (m.start(), m.end(), "address")
            continue
        yield (m.start() + cuts[-1].end(), m.end(), "address")
        # Who lives there is a name, without a trade or form of address before it ("Boer
        # Hendriks", "Familie Bulut", "Kwekerij De Vries"): a surname beside an address
        # identifies someone.
        who = m.group(0)[: cuts[-1].start()].split()
        while who and who[0].rstrip(".").lower() in _BEFORE_A_RESIDENT:
            who = who[1:]
        # ("wonende te Utrecht aan de Lange Nieuwstraat 61": the town, not who lives there.)
        if who and all(w in _places() for w in who):
            who = []
        if who:
            start = m.start() + m.group(0).index(who[0])
            yield (start, m.start() + cuts[-1].start(), "name")


def _written_numbers(text: str, found: list[Span]) -> list[Span]:
    """The personal data written with figures: IBANs, BSNs, IP addresses, dates of birth,
    licence plates, phone numbers, streets with a house number and postcodes (``found``:
    what was found before, for the plate that follows a plate)."""
    spans: list[Span] = []
    spans += _iban_spans(text)
    spans += _bsn_spans(text)
    spans += _regex_spans(_IPV4, text, "ip", lambda m: _ip_ok(text, m.start(1), m.group(1)), 1)
    spans += _regex_spans(_BIRTH, text, "birthdate", lambda m: True, 1)
    spans += _regex_spans(_BIRTH_COMPACT, text, "birthdate", lambda m: True, 1)
    if _SPEAKS_OF_BIRTH.search(text):
        spans += _regex_spans(_COMPACT_DATE_FIELD, text, "birthdate", lambda m: True, 1)
    # (Before the dates of any year below: only a date said to be a birth opens a list.)
    spans += _listed_births(text, [*found, *spans])
    cutoff = date.today().year - _BIRTH_YEARS_AGO
    spans += _regex_spans(
        _FULL_DATE, text, "birthdate", lambda m: _year_of(m.group(1)) in range(1900, cutoff), 1
    )
    spans += _regex_spans(_PLATE, text, "plate", lambda m: any(c.isalpha() for c in m.group(1)), 1)
    spans += _regex_spans(_PLATE_BARE, text, "plate", lambda m: True, 1)
    if _VEHICLE.search(text):
        spans += _regex_spans(_PLATE_ANY, text, "plate", lambda m: _vehicle_plate(text, m), 1)
    spans += [
        (nxt.start(1), nxt.end(1), "plate")
        for _, end, kind in [*found, *spans]
        if kind == "plate" and (nxt := _NEXT_PLATE.match(text, end)) is not None
    ]
    matches = (
        phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.POSSIBLE)
        if _PHONE_POSSIBLE.search(text)
        else ()
    )
    for m in matches:
        # Only what is written like a phone number (0..., +..., 00..., (0...)): counts such as
        # "45.000" or case numbers such as "2024-0012" must stay for the triage.
        if (
            _PHONE_START.match(m.raw_string)
            and not _LOOKS_LIKE_DATE.match(m.raw_string)
            and not _inside_a_token(text, m.start, m.end)
            and _phone_length_ok(m.raw_string)
            # ("22:00 – 22-03-2025 02:00": a time's minutes, not a phone number's "00".)
            and not (m.start >= 2 and text[m.start - 1] == ":" and text[m.start - 2].isdigit())
        ):
            # "(06-12345678)": the bracket before is the sentence's, not the number's "(010)".
            start = m.start + (text[m.start] == "(" and ")" not in text[m.start : m.end])
            spans.append((start, m.end, "phone"))
    spans += _street_spans(text)
    spans += _regex_spans(_ADDRESS_CUED, text, "address", lambda m: True, 1)
    spans += _regex_spans(_ADDRESS_FIELD, text, "address", lambda m: True, 1)
    spans += _regex_spans(_STREET_LOWER, text, "address", lambda m: True, 1)
    spans += _regex_spans(_STREET_CAPS, text, "address", lambda m: True, 1)
    spans += _regex_spans(_STREET_PREFIXED, text, "address", lambda m: True, 1)
    spans += _regex_spans(_RUE_NUMBER_FIRST, text, "address", lambda m: True, 1)
    spans += _regex_spans(_STREET_CSV, text, "address", lambda m: True, 1)
    for lived in _NUMBER_LIVED_AT.finditer(text):
        group = 1 if lived.group(1) is not None else 2
        spans.append((lived.start(group), lived.end(group), "address"))
    # (Not a postcode and its town: "1016 LC Amsterdam" ends like a street, but is a place.)
    spans += _regex_spans(
        _STREET_NUMBER_FIRST, text, "address", lambda m: m.group(1).split()[-1] not in _places(), 1
    )
    # A P.O. box is an organisation's address ("Postbus 16200, 3500 CE Utrecht").
    spans += _regex_spans(
        _POSTCODE, text, "postcode", lambda m: not _POSTBUS.search(text, 0, m.start()), 0
    )
    spans += _regex_spans(_UK_POSTCODE, text, "postcode", lambda m: True, 1)
    return spans


def find_personal_data(text: str) -> list[Span]:
    """Every piece of personal data in ``text`` as (start, end, kind), without overlaps
    (the earlier and longer span wins)."""
    spans: list[Span] = []
    spans += _regex_spans(_EMAIL, text, "email", lambda m: True, 0)
    spans += _regex_spans(_EMAIL_HIDDEN, text, "email", lambda m: True, 0)
    spans += _regex_spans(
        _SPOKEN_BIRTH,
        text,
        "birthdate",
        lambda m: (
            m.group(1).split()[0].lower() in _NUMBER_WORDS
            or m.group(1).split()[0].lower() in ("eerste", "dertigste")
        ),
        1,
    )
    spans += _spoken_numbers(text)
    spans += _regex_spans(_IPV6, text, "ip", lambda m: _ipv6_ok(m.group(1)), 1)
    spans += _regex_spans(_PLATE_CUED, text, "plate", lambda m: _cued_plate(m.group(1)), 1)
    spans += _regex_spans(_STREET_SPOKEN, text, "address", lambda m: True, 1)
    spans += _regex_spans(_LIVES_AT_SPOKEN, text, "address", lambda m: True, 1)
    # Most questions hold no digit, and then no number, date, plate, address or postcode
    # written in figures: their patterns are skipped (about half of the work for such a text).
    if _HAS_DIGIT.search(text):
        spans += _written_numbers(text, spans)
    # Names last: where a name and an address or number overlap, the other reading wins.
    names = list(_cued_names(text))
    names += _listed_names(text)
    names += _contact_names(text)
    names += _mentions(text)
    names += _said_names(text)
    names += _lower_said_names(text)
    names += _lower_full_names(text)
    names += _inverted_names(text)
    names += _cell_names(text)
    names += _bare_chat_writers(text)
    names += _list_names(text)
    names += _signed_names(text)
    names += _dash_list_names(text)
    names += _signature_names(text)
    names += _chat_writers(text)
    names += _aliased_names(text)
    names += _account_names(text)
    names += _column_names(text)
    names += _caps_names(text)
    names += _east_asian_names(text)
    names += [
        (m.start(1), m.end(1), "name")
        for m in _SPOKEN_NAME.finditer(text)
        if m.group(1).split()[-1].lower() not in _NOT_SPOKEN_NAMES
    ]
    names += list(_coordinated(text, names))
    names += list(_repeated(text, names))
    out = _without_overlaps(spans)
    out += _postcodes_after_streets(text, out)
    out += _streets_before_postcodes(text, out)
    names += _names_beside(text, out)
    # After a postcode comes the town ("1931 VL Egmond aan Zee"), never a person.
    towns = [
        (e, town.end())
        for s, e, kind in out
        if kind == "postcode" and (town := _TOWN.match(text, e)) is not None
    ]
    names = [n for n in names if not any(a <= n[0] < b for a, b in towns)]
    names = [n for n in names if not _COMPANY_AFTER.match(text, n[1])]
    names = _without_things(text, names)
    taken = [(s, e) for s, e, _ in out]
    names = [_before_the_other(text, n, taken) for n in _without_overlaps(names)]
    names = [_without_affiliation(text, n) for n in names]
    out += [n for n in names if n[0] < n[1] and not any(n[0] < e and s < n[1] for s, e in taken)]
    out += _births_after_names(text, out)
    out.sort()
    return out


# A five-digit postcode right after a street and its number: German and other foreign
# addresses near the border ("Grenzweg 4, 46395 Bocholt"). Alone, five digits are a count.
_FOREIGN_POSTCODE = re.compile(
    rf",?[ \t]+(\d{{5}}|\d{{2}}-\d{{3}})[ \t]+(?=[{_UP}])"
    # Four digits (Belgium) only before a town and the end of the address: "2600 Berchem,";
    # not "2021 Anja Mulder belde", "1500 Euro per maand".
    rf"|,?[ \t]+(\d{{4}})[ \t]+(?=({_WORD}(?:[ -]{_WORD})?)[ \t]*(?:[,.;)|\n]|$))"
)


_BELGIAN_BOX = re.compile(r"\s(?:bus|bte|boîte|boite)\s?\d")


def _postcodes_after_streets(text: str, found: list[Span]) -> list[Span]:
    """Foreign postcodes written right after a street address found already."""
    out: list[Span] = []
    for start, end, kind in found:
        m = _FOREIGN_POSTCODE.match(text, end) if kind == "address" else None
        if m is None:
            continue
        if m.group(1) is not None:  # five digits, or Polish "80-827"
            if not _POSTCODE.match(text, m.start(1)):
                out.append((m.start(1), m.end(1), "postcode"))
        # Four, before a town; a first name there makes it a year before a person ("2021
        # Anja Mulder.", "2023 Lotte."), unless the address is Belgian by its box number
        # ("Kapelstraat 17 bus 2, 2960 Brecht") or the town a known place.
        elif (
            m.group(3).split()[0] not in name_lists()[0]
            or _BELGIAN_BOX.search(text, start, end)
            or m.group(3).strip() in _places()
        ):
            out.append((m.start(2), m.end(2), "postcode"))
    return out


# A street of any name and its number right before a postcode ("Buitenwatersloot 301, 2613 TD
# Delft"): the postcode says it is an address, whatever the street's name ends in.
_STREET_BEFORE_POSTCODE = re.compile(
    # (Also a street that starts with a preposition or an article, "Aan de Kapel 3", "In de
    # Kamp 12", "'t Zand 21", one named after a year, "Plein 1944 12", and a unit or a floor.)
    rf"(?:(?<=[\s(:])|^)((?:(?:[{_UP}][{_LOW}]+|'t)[ \t](?:(?:de|het|den|der|van|'t)[ \t])?){{0,2}}"
    rf"[{_UP}][{_LOW}]{{2,}}(?:[ \t](?:19|20)\d\d)?[ \t]\d{{1,5}}"
    rf"(?:[ \t]?[a-zA-Z]\b|-\d{{1,4}}|[ \t]?(?:bis|hs|rd)\b)?" + _FLOOR + r"),?[ \t]+$"
)


def _streets_before_postcodes(text: str, found: list[Span]) -> list[Span]:
    """Addresses right before a postcode found already (see _STREET_BEFORE_POSTCODE)."""
    out: list[Span] = []
    taken = [(s, e) for s, e, _ in found]
    for start, _, kind in found:
        if kind != "postcode":
            continue
        m = _STREET_BEFORE_POSTCODE.search(text, max(0, start - 60), start)
        if m is None or any(m.start(1) < e and s < m.end(1) for s, e in taken):
            continue
        # (A village's name is often its main street's: "Zuideinde 212, 2991 LL" is an
        # address; a place alone before a postcode has no house number.)
        if _POSTBUS.search(text, 0, m.end(1) + 1):
            continue
        out.append((m.start(1), m.end(1), "address"))
    return out


# (Not after a comma: "geb. 01-02-1980, 12-03-2024 ingeschreven" goes on to another date.)
_NEXT_DATE = re.compile(r"\s*(?:/|en|and|&)\s*" + _DATE + r"(?![\w-]|\.\d)", re.I)


def _listed_births(text: str, found: list[Span]) -> list[Span]:
    """The other dates of a list after one cue ("geb. 11 okt. 2015 en 4 jan. 2018")."""
    out: list[Span] = []
    for _, end, kind in found:
        while kind == "birthdate" and (m := _NEXT_DATE.match(text, end)) is not None:
            out.append((m.start(1), m.end(1), "birthdate"))
            end = m.end(1)
    return out


def _births_after_names(text: str, found: list[Span]) -> list[Span]:
    """Dates of birth written right after a name, whatever the year (see _DATE_AFTER_NAME)."""
    taken = [(s, e) for s, e, _ in found]
    births: list[Span] = []
    for start_, end, kind in found:
        # (Spaced only: the birth word shortly before the name, "names, dob and bsn like
        # 'liam van der zee 2016-09-03'", not anywhere in a long text.)
        near = _SPEAKS_OF_BIRTH.search(text, max(0, start_ - 120), start_) is not None
        date_ = (
            (
                _DATE_AFTER_NAME.match(text, end)
                or (near and _DATE_AFTER_NAME_SPACED.match(text, end))
                or None
            )
            if kind == "name"
            else None
        )
        if date_ is None or _year_of(date_.group(1)) > date.today().year - _RECENT_YEARS:
            continue
        start, stop = date_.start(1), date_.end(1)
        if not any(start < e and s < stop for s, e in taken):
            births.append((start, stop, "birthdate"))
    return births


_AFFILIATION = re.compile(r"[ ](?:van|of|from)[ ]([\w'-]+)")


# The first word of a municipal or provincial department after "van": "Jade van Beleid",
# "Khadija van Juridische Zaken", "de ambtenaar van Openbare Ruimte".
_DEPARTMENTS = frozenset(
    """beleid juridische openbare financiën financien communicatie inkoop facilitair burgerzaken
    vergunningen handhaving welzijn onderwijs economie verkeer milieu sociaal dienstverlening
    bedrijfsvoering informatievoorziening informatiebeheer klantcontact publiekszaken
    stadsbeheer stadsontwikkeling ruimtelijke belastingen personeelszaken""".split()
)


def _without_affiliation(text: str, name: Span) -> Span:
    """A name that runs on into where the person works, cut before it: "Sanne de Jong van
    Inkoop", "Sjoerd Wijbenga van It Fryske Gea". A surname after "van" stays ("Jan van
    Dijk"): only a team, an acronym or an organisation that no name list holds ends it."""
    start, end, kind = name
    first, surnames, _ = name_lists()
    for m in _AFFILIATION.finditer(text, start, end):
        word = m.group(1)
        if word in surnames or word in first or m.start() == start:
            continue
        # (Not any dictionary word: Leeuwen, Wijk and Berg are surnames after "van"; the
        # teams' names are longer.)
        team = len(word) >= 6 and word.lower() in domain_words.load()
        # ("Jade van Beleid", "Khadija van Juridische Zaken": the name of a department.)
        team = team or word.lower() in _DEPARTMENTS or word.lower() in _UNIT_WORDS
        if word.isupper() or word in _NOT_NAMES or team:
            return (start, m.start(), kind)
    return name


def _named_thing(span: str) -> bool:
    """A capitalised run whose last word names a bridge, a school or a square ("Nelson
    Mandelabrug"): a thing named after someone."""
    words = span.split()
    return (
        len(words) > 1
        and words[-1][:1].isupper()
        and words[-1].lower().endswith(_THING_ENDINGS)
        and words[-1] not in name_lists()[1]
    )


_ADDRESSED = re.compile(
    r"(?i:\b(?:mevrouw|meneer|mevr\.?|mw\.?|dhr\.?|mr\.?|mrs\.?|ms\.?|dear|beste|collega)\s+)$"
)


def _without_things(text: str, names: list[Span]) -> list[Span]:
    """``names`` less the things named after someone ("de Titus Brandsma school", "chatbot
    'Sanne'") and every other mention of such a name ("... Sanne had hem verteld"), except a
    mention with a form of address ("mevrouw Anna")."""
    things = [n for n in names if _a_thing(text, n)]
    starts = {t[0] for t in things}
    for n in sorted(names, key=lambda n: -n[0]):  # "Pieter" before "Jelles-school"
        if n[1] in starts or n[1] + 1 in starts:
            things.append(n)
            starts.add(n[0])
    named = {text[t[0] : t[1]].strip(_QUOTES) for t in things}
    inside = {i for t in things for i in range(t[0], t[1])}
    return [
        n
        for n in names
        if (
            text[n[0] : n[1]].strip(_QUOTES) not in named
            or _ADDRESSED.search(text, max(0, n[0] - 12), n[0]) is not None
        )
        and n[0] not in inside
        and n[1] - 1 not in inside
    ]


def _a_thing(text: str, name: Span) -> bool:
    """Whether a name found at ``name`` names a thing: a bridge or school named after someone,
    a chatbot or a ship given a first name."""
    start, end, _ = name
    found = text[start:end]
    return (
        _named_thing(found)
        or found.lower().endswith(tuple(f"-{w}" for w in _THING_ENDINGS))
        or _THING_BEFORE.search(text, max(0, start - 50), start) is not None
        or _THING_AFTER.match(text, end + (text[end : end + 1] == " ")) is not None
    )


def _before_the_other(text: str, name: Span, taken: list[tuple[int, int]]) -> Span:
    """A name that runs into an address or a number found after its start, cut where that
    begins, without the tussenvoegsels left hanging ("mw yildiz van de lange nieuwstraat 17":
    "yildiz"). Empty when nothing of it is left."""
    start, end, kind = name
    cut = min((s for s, e in taken if start < s < end), default=end)
    if cut == end:
        return name
    words = list(re.finditer(r"\S+", text[start:cut]))
    while words and words[-1].group().lower() in _TUSSEN_WORDS:
        words.pop()
    return (start, start + (words[-1].end() if words else 0), kind)


# Someone the writer talked with, as people type it, also in lower case ("gesproken met sanne
# de wit en daan", "spoke with Yonas Tekle"), or after a form of address in lower case
# ("mevrouw kromodimedjo"). What follows is a name only when its words are no ordinary words.
_CONTACT = re.compile(
    r"(?<![\w])(?:(?:gesproken|gebeld|gesprek|overleg|overlegd|afgesproken|gemaild|contact|"
    r"sprak|spreek|spreekt|belde|mailde|geappt|appte)(?:\s+(?:gehad|vandaag|net|gisteren|vanochtend|"
    r"vanmiddag|even|ook|al|nog))*\s+met|heb(?:\s+ik)?(?:\s+(?:vandaag|net|gisteren|"
    r"vanochtend|even))?\s+met|(?:spoke|speaking|talked|talking|met|meeting|chatted|call)"
    r"\s+(?:with|to|w/)|heet|heette|heten|genaamd|named|onder wie|among whom|"
    # Who introduces themselves or is introduced ("ik ben joyce ...", "this is Oksana ...",
    # "hij noemde zich 'Dirk'"), whose message it is, and who someone's partner is.
    r"(?P<intro>ik\s+ben|i\s+am|i'm|this\s+is|my\s+name\s+is|mijn\s+naam\s+is)|"
    # A greeting to someone, or "it's ..." opening a message ("hoi ayşe", "its ollie from").
    # (Only opening a line or the message: "per dag Handhaving" is no greeting.)
    r"(?:^|(?<=\n)|(?<=^['\"‘“])|(?<=\n['\"‘“])|(?<=[\w,]\s)(?=it'?s\s))"
    r"(?P<greet>(?:hoi|hallo|goedemorgen|goedemiddag|goedenavond),?\s+met|"
    r"hoi|hi|hey|hallo|dag|beste|dear|"
    r"it'?s(?=\s+\w+\s+(?:from|here|van|hier)\b)),?|"
    r"(?P<alias>noemde\s+zich|noemt\s+zich|calls\s+(?:himself|herself)|"
    r"called\s+(?:himself|herself))|"
    r"(?:complaint|message|mail|e-mail|email|letter)\s+from|"
    r"(?:klacht|bericht|mail|e-mail|brief)\s+van|een\s+van\s+hen,|één\s+van\s+hen,|"
    r"one\s+of\s+them,|(?:zijn|haar)\s+(?:vrouw|man|partner|echtgenote|echtgenoot)|"
    r"(?:his|her)\s+(?:wife|husband|partner)|"
    r"(?P<role>(?:cliënt|client|klant|bewoner|bewoonster|inwoner|melder|aanvrager|klager|"
    r"buurman|buurvrouw|collega|zoon|dochter|moeder|vader|oma|opa|zus|zusje|broer|broertje|"
    r"jongste|oudste|voorzitter|son|daughter|mother|father|sister|brother|"
    r"voornaam|achternaam|roepnaam|geslachtsnaam|voornamen|mama|papa|"
    r"t\.n\.v\.|tnv|ten\s+name\s+van)(?:\s*:)?|"
    r"(?:naam|name|contactpersoon|behandelaar|surname|last\s+name|family\s+name|"
    r"given\s+names?|first\s+name)\s*:)|"
    r"(?P<hon>mevrouw|meneer|mevr\.?|mw\.?|dhr\.?|mrs\.?|ms\.?|mr\.))\s+['‘\"“]?",
    re.I,
)
# Verbs that follow a name and are also listed first names ("Meneer Bulut wil ...").
_VERBS_AFTER_NAME = frozenset(
    """wil wilde heeft had is was zegt zei vraagt vroeg belt belde mailt mailde kan kon moet mag
    gaat ging komt kwam krijgt kreeg woont werkt meldt meldde vindt vond wants has says asks
    called will appte stuurde stuurt schreef schrijft klaagt klaagde""".split()
)
# After a lower-case first word only verbs of saying and doing make it a name: "june was busy",
# "max is 3 dagen" are no people.
_LOWER_SAID_VERBS = _VERBS_AFTER_NAME - frozenset(
    "is was has had will kan kon mag moet gaat ging komt kwam".split()
)
_LONG_WORD = 8
_QUOTES = "'‘\"“"
_TOKEN = re.compile(rf"[{_UP}a-zß-öø-ÿĀ-ſ][{_UP}{_LOW}]*(?:-[{_UP}{_LOW}]+)*(?![\w@])")
_TUSSEN_WORDS = frozenset(
    "van de der den het 't ’t ter ten te el al von da dos le la op v. v.d.".split()
)
# Never (part of) a name: abbreviations that end a name in a record ("geb.", "fam.") and
# offices people are addressed by ("mevrouw de wethouder").
_NEVER_NAME_WORDS = frozenset(
    """geb fam dhr mw mevr mr dr drs ir prof tel nr wethouder burgemeester gedeputeerde
    voorzitter minister griffier secretaris directeur commissaris staatssecretaris
    mvg mvgr gr grt groetjes cheers thx thanks bvd klant owner eigenaar mama papa""".split()
)
_HONORIFICS = frozenset(
    """mr mrs ms miss dr drs ir mw mevr mevrouw meneer dhr heer prof herr frau monsieur madame mme
    señor señora senhor senhora""".split()
)
# Words before a resident's name that are no part of it ("Boer Hendriks aan de ...", "Familie
# Bulut", "Kwekerij De Vries"): forms of address, and trades and households.
_BEFORE_A_RESIDENT = _HONORIFICS | frozenset(
    "boer boerin familie fam kwekerij boerderij bakkerij camping maatschap".split()
)
_AND_WORD = re.compile(r"\s+(?:en|and|&)\s+")
_AND = re.compile(r"\s*,\s*|" + _AND_WORD.pattern)
_MENTION = re.compile(
    r"(?<![\w@])@(" + _WORD + r"(?:[ ](?:" + _TUSSEN + r"[ ]){0,3}" + _WORD + r"){0,2})"
)


def _name_word(word: str) -> bool:
    """A word that can be (part of) a name here: no ordinary Dutch or English word (unless a
    listed first name), no acronym, no organisation, place or instrument."""
    first, _, common = name_lists()
    low = word.lower()
    if len(word) < 2 or word.isupper() or word in _NOT_NAMES or low in _TUSSEN_WORDS:
        return False
    if low in _NEVER_NAME_WORDS:
        return False
    if "-" in word:  # "gert-jan", "el-amrani" and "al-khatib" are names, "wifi-tellingen" is not
        parts = [part for part in word.split("-") if part]
        if len(parts) > 1 and parts[0].lower() in {"el", "al"}:
            parts = parts[1:]
        if len(parts) > 2:  # "tjon-a-fong": a letter between two names
            parts = [parts[0], *(part for part in parts[1:-1] if len(part) > 1), parts[-1]]
        return all(_name_word(part) for part in parts)
    if word.capitalize() in first or low in first:
        return True
    return (
        low not in common
        and not _known_word(low)
        and word not in _places()
        # (A word of the domain typed in lower case; capitalised it may be a surname: Horst.)
        and not (word.islower() and low in domain_words.load())
    )


def _ordinary_word(low: str) -> bool:
    """Whether a lower-case word is a common or known Dutch or English word, or one of the
    domain's own (bot/data/domain_words.txt)."""
    return low in name_lists()[2] or _known_word(low) or low in domain_words.load()


@lru_cache(maxsize=8192)
def _known_word(low: str) -> bool:
    return bool(dictionary.is_known(low, "nl") or dictionary.is_known(low, "en"))


# Short words that open a phrase, never a name in lower case (An, My and Al are names).
_FUNCTION_WORDS = frozenset(
    """a an the my your our his her their its this that een de het mijn jouw onze ons zijn
    haar hun dit dat deze die al also ook not niet just net nu now here hier""".split()
)


def _opens_a_phrase(text: str, word: str, end: int) -> bool:
    """Whether ``word`` (in lower case, ending at ``end``) is a short function word that opens
    a phrase rather than a name: "an officer", "my IBAN"; but "an de vries", "an peeters"
    (a tussenvoegsel or a listed surname next) are a person's."""
    if word not in _FUNCTION_WORDS:
        return False
    nxt = _TOKEN.match(text, end + 1) if text.startswith(" ", end) else None
    if nxt is None:
        return True
    following = nxt.group(0)
    return not (following in _TUSSEN_WORDS or following.title() in name_lists()[1])


# Words for a part of an organisation: after "van" they say where someone works.
_UNIT_WORDS = frozenset(
    "team afdeling dienst sector cluster unit bureau directie domein department".split()
)


def _name_run(text: str, pos: int, after_address: bool) -> int | None:
    """The end of a name that starts at ``pos``, or None: one to three name words, or a first
    name, tussenvoegsels and a surname ("sanne de wit"), which ends it. After a form of
    address it may start with the tussenvoegsels ("mevrouw van dijk")."""
    end, words, tussen = None, 0, False
    while words < 3:
        m = _TOKEN.match(text, pos)
        if m is None:
            break
        word = m.group(0)
        low = word.lower()
        # A possessive is not part of the name ("Dimitrov's"), and ends it.
        possessive = low.endswith("'s")
        stop = m.end() - 2 if possessive else m.end()
        if low in _NEVER_NAME_WORDS:
            break
        if (
            not words
            and _opens_a_phrase(text, word, m.end())
            and not (after_address and low in _TUSSEN_WORDS)
        ):
            break  # "Ivan Petrov and my IBAN": My is a name, "my" is not
        if low in _TUSSEN_WORDS and (words == 1 or (after_address and not words) or tussen):
            tussen = True  # the surname after it may be an ordinary word: "de wit"
        elif tussen:
            if word.isupper() or word in _NOT_NAMES:
                break
            if (
                word.islower()
                and not (after_address and words == 0)
                # A long ordinary word is a department, not a surname ("de wit" is one).
                and len(word) >= _LONG_WORD
                and (_known_word(low) or low in domain_words.load())
                and word.title() not in name_lists()[1]
            ):
                break  # "Femke van de afdeling": an ordinary word is no surname here
            if low in _UNIT_WORDS or low in _DEPARTMENTS:
                break  # "Maaike van team Omgevingswet": where she works, not her surname
            return stop
        elif _name_word(word.removesuffix("'s")) and not (words and low in _VERBS_AFTER_NAME):
            words, end = words + 1, stop
            if possessive:
                break
        elif after_address and not words and word.capitalize() in name_lists()[1]:
            # After a form of address a listed surname is one even where it is also a word
            # ("mrs. rood", "dhr bakker"); what follows it is not ("dhr bakker van facilitair").
            return stop
        else:
            break
        if not (text.startswith(" ", m.end()) and m.end() + 1 < len(text)):
            break
        pos = m.end() + 1
    return end if words else None


def _two_unknown_words(text: str, head: re.Match[str]) -> bool:
    """Whether the word ``head`` and the next are both no known words ("yazan al-khatib")."""
    nxt = _TOKEN.match(text, head.end() + 1) if text.startswith(" ", head.end()) else None
    return nxt is not None and not any(
        part.lower() in _TUSSEN_WORDS
        or any(_known_word(w.lower()) for w in part.split("-") if w.lower() not in _TUSSEN_WORDS)
        for part in (head.group(0), nxt.group(0))
    )


_SURNAME_FIELD = re.compile(r"(?:achternaam|geslachtsnaam|surname|last\s+name|family\s+name)")


def _contact_names(text: str) -> Iterable[Span]:
    """Names after a contact verb or a form of address, and the names joined to them by
    "en", "and" or a comma."""
    first, _, common = name_lists()
    for m in _CONTACT.finditer(text):
        if m.group(0)[-1] in _QUOTES and m.group("alias") is None:
            continue  # "de chatbot heet 'Fryske Helper'": a quoted name is a thing's
        # A surname's field may start with the tussenvoegsels ("Achternaam: van den Broek").
        surname_field = bool(
            m.group("role") and _SURNAME_FIELD.match(m.group("role").lstrip().lower())
        )
        pos, after_address = m.end(), m.group("hon") is not None or surname_field
        # After a role ("client", "bewoner") a lower-case word is a name only when it is a
        # listed first name: "client john miller", not "client alvast".
        intro = m.group("intro") is not None
        greet = m.group("greet") is not None
        if greet and "\n" in text[m.start() : m.end()]:
            continue  # "Hoi,\n\nHierbij ...": the greeting's line ends before the next word
        strict = m.group("role") is not None or intro or greet
        for _ in range(4):
            head = _TOKEN.match(text, pos)
            if (
                strict
                and head
                and head.group(0).islower()
                and head.group(0).title() not in first
                and not (surname_field and head.group(0) in _TUSSEN_WORDS)
                # "ik ben yazan al-khatib": two words that are no words are a name
                and not (intro and _two_unknown_words(text, head))
            ):
                break
            if intro and head and head.group(0).islower() and head.group(0) in common:
                break  # "ik ben aan het testen": a listed first name that is a common word
            if (
                head
                and _opens_a_phrase(text, head.group(0), head.end())
                and not ((after_address or surname_field) and head.group(0) in _TUSSEN_WORDS)
            ):
                break  # "I'm an officer", "Ivan Petrov and my IBAN": An and My are names too
            if (
                (greet or m.group("role") is not None)
                and head
                and head.group(0).islower()
                and not (surname_field and head.group(0) in _TUSSEN_WORDS)
                and (
                    head.group(0) in common
                    or head.group(0).title() in _START_WORDS
                    or head.group(0) in _VERBS_AFTER_NAME
                    or len(head.group(0)) < 3
                    or head.group(0) in domain_words.load()
                )
            ):
                break  # "hey, can u tell me", "haar zoon wil": a word, not a first name
            end = _name_run(text, pos, after_address)
            if end is None:
                break
            if (
                greet
                and text[m.start() - 1 : m.start()] in _QUOTES
                and any(q in text[end - 1 : end + 1] for q in (*_QUOTES, "’", "”"))
            ):
                break  # "a chat service called 'Hey Noor'": a thing's name
            yield (pos, end, "name")
            joined = _AND.match(text, end)
            if joined is None:
                break
            pos, after_address = joined.end(), False
            # After a comma only a capital or a listed first name goes on: "miller, bsn ..."
            nxt = _TOKEN.match(text, pos)
            lower = nxt is not None and nxt.group(0).islower()
            if (
                "," in joined.group(0)
                and lower
                and nxt
                and (nxt.group(0).title() not in first or _known_word(nxt.group(0)))
            ):
                break  # "mevrouw Pinas, wil weten": a first name that is also a word


# A surname or first name from the lists opening a sentence, then what people do ("Visser
# heeft gevraagd", "Roos vroeg me"): a person. ("De Koning heeft" may be the King: not taken.)
_SAID = re.compile(
    rf"(?:^|(?<=[.!?]\s)|(?<=\n))({_WORD})"
    r"\s+(?:heeft|zei|zegt|vroeg|vraagt|belde|belt|mailde|mailt|stuurde|stuurt|wil|wilde|"
    r"vindt|vond|gaf|geeft|meldt|meldde|schreef|schrijft|said|asked|says|asks|wants|wanted|"
    r"called|emailed|thinks|wrote)\b"
)
# A list item that opens with a name, then a role or a task: "- Hüseyin Çelik (CISO)",
# "1. Fatma Yilmaz: belt de leverancier".
# A name as it opens a line: up to three words, joined by spaces only.
_LINE_NAME = (
    rf"(?:(?:De|Van|Ter|Ten|Van de|Van der|Van den)[ ])?{_WORD}"
    rf"(?:[ ](?:{_TUSSEN}[ ]){{0,3}}{_WORD}){{0,2}}"
)
_LISTED = re.compile(
    rf"(?m)^[ \t]*(?:(?:[-•*]|\d{{1,2}}[.)])[ \t]+(?P<item>)|(?=[{_UP}]))"
    rf"({_LINE_NAME})"
    r"(?=[ \t]*\(|(?(item)[ \t]*(?::|,|[ \t]-[ \t])))"
)
# A signature in lower case at the end of a line: "gr bas", "groetjes, fenna".
_SIGNED = re.compile(
    r"(?im)(?<![\w])(?:gr|grt|groet|groetjes|groeten|mvg|cheers|thx|thanks)[,.!]?[ \t]+"
)


# A pasted chat: a time, then who wrote the line ("[10:01] joost: ...", "10:02 - Saskia de
# Wit: ..."). Whoever writes is a person, also in lower case.
_CHAT_LINE = re.compile(
    # The time may come with a date or a day ("[18/03/2026 21:15]", "[Yesterday 15:33]",
    # "[14:02, 3/10/2025]").
    r"(?m)^[ \t]*(?:\[(?:[\w/.-]{2,12},?[ ])?\d{1,2}:\d{2}(?::\d{2})?(?:,?[ ][\w/.-]{2,12})?\]"
    r"|\d{1,2}:\d{2}(?::\d{2})?)"
    r"[ \t]*(?:-[ \t]*)?"
    rf"((?:[{_UP}{_LOW}][{_LOW}]+[ ](?:{_TUSSEN}[ ]){{0,3}})?[{_UP}{_LOW}][{_LOW}-]+)[ \t]*:"
)
_CHAT_MENTION = re.compile(
    r"(?<![\w])(?:van|aan|met|bij|voor|naar|from|with|to|ask)\s+([a-z]{3,})\b"
)
_CHAT_ADDRESS = _HONORIFICS | frozenset(
    {"juf", "meester", "meneer", "mevrouw", "coach", "mama", "papa", "oma", "opa", "tante", "oom"}
)
_CHAT_NOT_WRITERS = frozenset("ik jij me you bot system systeem assistant user gebruiker".split())


def _chat_writers(text: str) -> Iterable[Span]:
    """Who wrote each line of a pasted chat (see ``_CHAT_LINE``), and, since a chat is
    written in lower case, a listed first name after "van", "aan" or "met" in it ("map van
    dennis", "vraag het aan fleur")."""
    first, _, common = name_lists()
    writers = [m for m in _CHAT_LINE.finditer(text) if m.group(1).lower() not in _CHAT_NOT_WRITERS]
    for m in writers:
        if not _not_a_name(m.group(1)):
            # A form of address opening the writer's name is not part of it ("Juf Marieke").
            head, _, rest = m.group(1).partition(" ")
            low = m.group(1).lower()
            if (
                not rest
                and m.group(1).title() not in first
                and (_known_word(low) or low in domain_words.load())
            ):
                continue  # "10:00 Opening: ...": an agenda's item, not who wrote
            skip = len(head) + 1 if rest and head.lower().rstrip(".") in _CHAT_ADDRESS else 0
            yield (m.start(1) + skip, m.end(1), "name")
    if len(writers) < 2:
        return
    for m in _CHAT_MENTION.finditer(text):
        word = m.group(1)
        if word.title() in first and word not in common and word.title() not in _START_WORDS:
            yield (m.start(1), m.end(1), "name")


# A sentence typed in lower case that opens with a first name ("jan de boer belde net").
_LOWER_START = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))(?=[a-z])")


def _lower_said_names(text: str) -> Iterable[Span]:
    """A listed first name (with what follows) opening a lower-case sentence, then a verb:
    "jan de boer belde net", "fatima wil weten"."""
    first, _, common = name_lists()
    for m in _LOWER_START.finditer(text):
        head = _TOKEN.match(text, m.start())
        name = head.group(0) if head is not None else ""
        if name.title() not in first or name in common or name.title() in _START_WORDS:
            continue  # ("just had a call": a word that opens sentences)
        end = _name_run(text, m.start(), False)
        verb = _TOKEN.match(text, end + 1) if end is not None else None
        if end is not None and verb is not None and verb.group(0) in _LOWER_SAID_VERBS:
            yield (m.start(), end, "name")


# A name typed in lower case: a word and what follows it ("gerben postma", "karin de lange"),
# or an initial and a surname ("j. van der heijden").
# (A lookahead, so that "klager hessel bouma" is tried at "hessel" too, not only at "klager".)
_LOWER_PAIR = re.compile(
    r"(?<![\w@.'-])(?=([a-zß-öø-ÿ]+|[a-z]\.)[ ]((?:(?:van|de|der|den|ter|ten|te|el|al)[ ]){0,3})"
    r"([a-zß-öø-ÿ][a-zß-öø-ÿ'-]+)(?![\w@-]|\.\w))"
)


def _lower_full_names(text: str) -> Iterable[Span]:
    """Full names typed in lower case: a listed first name (no ordinary word, none that opens
    sentences) or an initial, then a listed surname that is no common word ("gerben postma"),
    or tussenvoegsels and a surname or a word that is no ordinary word ("karin de lange",
    "j. van der heijden")."""
    first, surnames, common = name_lists()
    for m in _LOWER_PAIR.finditer(text):
        head, tussen, last = m.group(1), m.group(2), m.group(3)
        if head.endswith("."):
            if not (tussen or len(last) > 3):
                continue  # "p. 12", "z. ook": an initial needs a real surname
        elif (
            len(head) < 3
            or head.title() not in first
            or head in common
            or head.title() in _START_WORDS
            or head in domain_words.load()
        ):
            continue  # ("ai tool": a listed first name of two letters, and a domain word)
        listed = last.title() in surnames or last in surnames
        if tussen:
            # A first name that is also a word ("kader van de ...") needs a listed surname.
            ok = listed or (_name_word(last) and (head.endswith(".") or not _known_word(head)))
        else:
            ok = listed and last not in common and last not in _TUSSEN_WORDS
        if ok and last not in _NEVER_NAME_WORDS:
            yield (m.start(1), m.end(3), "name")


# A name written surname first, as registers and address books do: "Ramdin, A.K.", "van der
# Veen, J.", "Jansen-de Vries, H.", "Hoekstra, Marc" (then the line or the cell ends).
_SURNAME_PART = rf"[{_UP}][{_LOW}]+"
_INVERTED = re.compile(
    rf"(?<![\w.@-])((?:(?i:van|de|der|den|ter|ten|el|al)[ ]){{0,3}}{_SURNAME_PART}"
    rf"(?:-(?:(?:de|van|der|den)[ ])?{_SURNAME_PART})?),[ ]?"
    rf"(?:((?:[A-Z]\.[ ]?){{1,4}})(?![\w])|({_SURNAME_PART})(?=[ \t]*(?:$|[|;(\n\"<\[]|[:.,](?:[ \t]|$))))",
    re.MULTILINE,
)


# A greeting or a sign-off before a first name is no surname: "Thanks, Jolien", "cc Ahmed, Lotte".
_SIGN_OFFS = frozenset(
    "thanks thank thx cheers regards groetjes groeten groet gr grt mvg dank bedankt hoi hi hallo "
    "dag beste dear cc bcc ps".split()
)
# What may stand before a name at the start of its line: a list's bullet or a chat's time.
_LINE_START = re.compile(r"[ \t]*(?:[-*•][ \t]+|\[[\d:. ]+\][ \t]*|\d{1,2}:\d{2}[ \t]+)?")


def _inverted_names(text: str) -> Iterable[Span]:
    """Names written surname first, with initials or a listed first name after the comma."""
    first, surnames, _ = name_lists()
    for m in _INVERTED.finditer(text):
        surname, initials, given = m.group(1), m.group(2), m.group(3)
        single = " " not in surname and "-" not in surname
        if _not_a_name(surname) or surname.isupper() or (single and surname in _places()):
            continue  # ("Utrecht, B.": a place; "van der Veen" is a name, Veen a place too)
        if surname.lower() in _SIGN_OFFS:
            continue  # "Mvg, F. Ahmadzai": a closing, then the name
        if initials is None and not (given in first and given not in _START_WORDS):
            continue
        # (At the start of a line, a list item or a chat line, "Mol, Sterre" with a first name
        # after the comma is a person even when the surname is also a word.)
        listed = (
            initials is None
            and surname.lower() not in _SIGN_OFFS
            and _LINE_START.fullmatch(text, text.rfind("\n", 0, m.start(1)) + 1, m.start(1))
            is not None
        )
        if single and surname not in surnames and _ordinary_word(surname.lower()) and not listed:
            continue  # "Burgerzaken, A.", "Bijlage, A.": a word, then an initial
        end = m.end(2) if initials is not None else m.end(3)
        yield (m.start(1), end if text[end - 1] != " " else end - 1, "name")


def _said_names(text: str) -> Iterable[Span]:
    """Names opening a sentence before a verb of saying or asking (see ``_SAID``)."""
    first, surnames, _ = name_lists()
    for m in _SAID.finditer(text):
        last = m.group(1).split()[-1]
        if last in _START_WORDS or _not_a_name(m.group(1)):
            continue
        if last in surnames or last in first:
            yield (m.start(1), m.end(1), "name")


def _list_names(text: str) -> Iterable[Span]:
    """A name opening a list item (see ``_LISTED``)."""
    first, _, _ = name_lists()
    for m in _LISTED.finditer(text):
        name = m.group(2)
        words = [w for w in name.split() if w.lower() not in _TUSSEN_WORDS]
        tussen_form = name.split()[0].lower() in _NAME_TUSSEN and len(words) == 1
        if not (len(words) >= 2 or tussen_form) or _not_a_name(name):
            continue
        if words[0] in first or all(_name_word(w) for w in words):
            yield (m.start(2), m.end(2), "name")


# Lines that open with a name, a dash and a status in lower case, as in a list of interviews or
# candidates ("Vermeulen – gesprek dinsdag", "De Groot – tbc"): two such lines make a list.
_DASH_LINE = re.compile(rf"(?m)^[ \t]*({_LINE_NAME})[ \t]+[–—-][ \t]+(?=[a-z0-9])")


def _has_ordinary_word(words: Iterable[str]) -> bool:
    """Whether one of a would-be name's words is an organisation, an ordinary word or a place."""
    _, _, common = name_lists()
    return any(w in _NOT_NAMES or w.lower() in common or w in _places() for w in words)


def _dash_list_names(text: str) -> Iterable[Span]:
    """Names opening the lines of a list (see ``_DASH_LINE``)."""
    lines = list(_DASH_LINE.finditer(text))
    if len(lines) < 2:
        return
    for m in lines:
        name = m.group(1)
        words = [w for w in name.split() if w.lower() not in _TUSSEN_WORDS]
        if not _has_ordinary_word(words) and not _not_a_name(name):
            yield (m.start(1), m.end(1), "name")


# A closing line, then the writer's name on a line of its own ("Gr,\nMichiel", "Met
# vriendelijke groet,\n\nDrs. Maarten IJzerman").
_SIGNATURE = re.compile(
    r"(?im)^[ \t]*(?:met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?|hartelijke groet(?:en)?|"
    r"groet(?:en|jes)?|gr|grt|mvg|kind regards|best regards|warm regards|regards|best|cheers|"
    r"yours faithfully|yours sincerely|sincerely|"
    r"thanks|thank you|many thanks|dank|bedankt)[,.!]?[ \t]*\r?\n(?:[ \t]*\r?\n)?[ \t]*"
    r"(?:(?:drs|dr|ir|mr|prof|ing)\.?[ \t]+)?"
    rf"((?-i:(?:[{_UP}]\.[ ]?){{0,3}}{_WORD}(?:[ ](?:{_TUSSEN}[ ]){{0,3}}{_WORD}){{0,2}}))"
    r"[ \t]*(?=\r?\n|$)"
)


def _signature_names(text: str) -> Iterable[Span]:
    """The name under a closing line (see ``_SIGNATURE``)."""
    for m in _SIGNATURE.finditer(text):
        words = [w for w in m.group(1).split() if w.lower() not in _TUSSEN_WORDS]
        initials_left_out = (w for w in words if not w.endswith("."))
        if not _has_ordinary_word(initials_left_out) and not _not_a_name(m.group(1)):
            yield (m.start(1), m.end(1), "name")


def _signed_names(text: str) -> Iterable[Span]:
    """A name after a greeting at the end of a line (see ``_SIGNED``)."""
    for m in _SIGNED.finditer(text):
        end = _name_run(text, m.end(), False)
        if end is not None and (end == len(text) or text[end] in "\r\n"):
            yield (m.end(), end, "name")


def _repeated(text: str, names: list[Span]) -> Iterable[Span]:
    """Every other occurrence of a name found once, and of its surname alone ("dhr. Hakimi
    ... Hakimi zei", "Hamid Rachidi ... Rachidi", "Siti Rahayu Wibowo ... Wibowo"), or its
    first name alone ("From: Oliver Grant ... Oliver" as the signature)."""
    first, _, common = name_lists()
    forms: set[str] = set()
    for start, end, _ in names:
        full = text[start:end]
        forms.add(full)
        parts = full.split()
        if sum(w.lower() not in _TUSSEN_WORDS for w in parts) > 1:  # a first name and a surname
            last, head = parts[-1], parts[0]
            if last[:1].isupper() and last.lower() not in common and not _known_word(last.lower()):
                forms.add(last)
            if head in first and head not in _START_WORDS and head.lower() not in common:
                forms.add(head)
            elif head.islower() and head.capitalize() in first and _also_in_lower_case(head):
                forms.add(head)  # "samantha de graaf ... samantha"
        rest = " ".join(parts[1:])
        if len(parts) > 1 and rest[:1].isupper() and (len(parts) > 2 or _name_word(rest)):
            forms.add(rest)
        elif len(parts) > 2 and parts[1] in _NAME_TUSSEN and parts[-1][:1].isupper():
            forms.add(rest)  # "Gerrit de Vries": "de Vries" (and "De Vries") alone
    for form in list(forms):
        if form.split()[0] in _NAME_TUSSEN and " " in form:
            forms.add(form[0].upper() + form[1:])  # "de Vries" also as "De Vries"
    for form in forms:
        if len(form) < 3:
            continue
        # In lower case too ("Jessica ... hoi jessica"), unless a word of it is an ordinary
        # word in lower case ("Will", "Mark", "Roos").
        flags = re.IGNORECASE if _also_in_lower_case(form) else 0
        for m in re.finditer(rf"(?<![\w@.]){re.escape(form)}(?![\w])", text, flags):
            yield (m.start(), m.end(), "name")


# First names that are also English words: in lower case they are the word ("will", "hope").
_ENGLISH_WORD_NAMES = frozenset(
    "will mark may june hope grace faith rose lily iris jade dawn joy summer april august amber "
    "ruby pearl ivy holly rob bill pat sue jack frank drew gene guy chase chance hunter art don "
    "ray sky storm brook bob penny sandy rusty patience honor victor earl dean max floor robin "
    "milan victoria jordan rosa".split()
)


def _also_in_lower_case(form: str) -> bool:
    """Whether a name found once also counts in lower case elsewhere in the text: when none
    of its words is, in lower case, an ordinary Dutch word, a common word, a word of the
    domain or an English word that is also a first name."""
    _, _, common = name_lists()
    for w in form.split():
        low = w.lower()
        if low in _TUSSEN_WORDS:
            continue
        if (
            low in common
            or w in _places()
            or low in _ENGLISH_WORD_NAMES
            or low in domain_words.load()
            or dictionary.is_known(low, "nl")
        ):
            return False
    return True


# A first name and "en" before another name: "Kees en Anja Mulder".
_FIRST_AND = re.compile(rf"(?<![\w-])({_WORD})\s+(?:en|and|&)\s+$")


def _coordinated(text: str, names: list[Span]) -> Iterable[Span]:
    """A name joined to a name found otherwise: "Yonas Tekle and Rania Haddad", and a first
    name before one: "Kees en Anja Mulder"."""
    first, _, common = name_lists()
    for start, end, _ in names:
        joined = _AND_WORD.match(text, end)
        if joined is not None and (stop := _name_run(text, joined.end(), False)) is not None:
            yield (joined.end(), stop, "name")
        before = _FIRST_AND.search(text, max(0, start - 30), start)
        if (
            before is not None
            and before.group(1) in first
            and before.group(1).lower() not in common
            and before.group(1) not in _START_WORDS
        ):
            yield (before.start(1), before.end(1), "name")


# A table's or a CSV's cell that holds only a name: "| Shurendy Cijntje |", "10460\tŞeyma Doğan\t".
_CELL_SEPARATORS = re.compile(r"[|\t;]")
_CELL_NAME = re.compile(rf"[ ]*({_WORD}(?:[ ](?:{_TUSSEN}[ ]){{0,3}}{_WORD}){{1,3}})[ ]*$")


def _cell_names(text: str) -> Iterable[Span]:
    """Names alone in a cell of a table or a CSV row (a line with two separators or more):
    two to four capitalised words, the first a listed first name or the last a listed
    surname, none an organisation's or a place's."""
    first, surnames, _ = name_lists()
    pos = 0
    for line in text.split("\n"):
        if len(_CELL_SEPARATORS.findall(line)) >= 2:
            start = 0
            for sep in [*_CELL_SEPARATORS.finditer(line), None]:
                end = sep.start() if sep is not None else len(line)
                cell = _CELL_NAME.fullmatch(line, start, end)
                if cell is not None:
                    words = cell.group(1).split()
                    if (
                        (words[0] in first or words[-1] in surnames)
                        and not _not_a_name(cell.group(1))
                        and not any(w in _places() for w in words)
                    ):
                        yield (pos + cell.start(1), pos + cell.end(1), "name")
                start = end + 1 if sep is not None else end
        pos += len(line) + 1


# A chat pasted without times: "jeroen: zag je dat ...", "maria.costa: that's ...".
_BARE_CHAT_LINE = re.compile(
    r"(?m)^[ \t]*([a-zà-ÿ][\w.-]{1,30}|[A-Z][a-zà-ÿ]{1,30}(?:-[A-Z][a-zà-ÿ]{1,30})?):[ \t]+\S"
)


def _bare_chat_writers(text: str) -> Iterable[Span]:
    """Who wrote the lines of a chat pasted without times: two lines or more whose writer is a
    listed first name, or a user name that starts with one ("maria.costa")."""
    first, _, common = name_lists()
    found = []
    for m in _BARE_CHAT_LINE.finditer(text):
        head = re.split(r"[.\-_]", m.group(1))[0]
        if (
            head.title() in first
            and head.lower() not in common
            and head.title() not in _START_WORDS
            and not _known_word(m.group(1).lower())
        ):
            found.append((m.start(1), m.end(1), "name"))
    if len(found) >= 2:
        yield from found


def _mentions(text: str) -> Iterable[Span]:
    """A chat mention: "@Marta Kowalczyk"."""
    for m in _MENTION.finditer(text):
        words = [w for w in m.group(1).split() if w.lower() not in _TUSSEN_WORDS]
        if all(_name_word(w) or (w.istitle() and not _not_a_name(w)) for w in words):
            yield (m.start(1), m.end(1), "name")


_TOWN = re.compile(
    rf"[ \t]+{_WORD}(?:[ \t](?:(?:aan|op|bij|in|den|de|van|a/d)[ \t])?{_WORD}){{0,2}}"
)


def _names_beside(text: str, found: list[Span]) -> Iterable[Span]:
    """Names that stand beside other personal data in a record (see ``_NAME_BEFORE``)."""
    for start, end, kind in found:
        if kind == "postcode":
            continue  # "2509 LP Den Haag": after a postcode comes a place
        if kind in _CONTACT_KINDS and (line := _line_word_before(text, start)) is not None:
            yield line
        before = _NAME_BEFORE.search(text, max(0, start - 80), start)
        after = _NAME_AFTER.match(text, end, min(len(text), end + 80))
        for m in (before, after):
            if m is None:
                continue
            start, pair = m.start(1), m.group(1)
            # A form of address or a role opening it is not the name: "Mr Burak Çelik",
            # "Statushouder Yonas Tesfamariam".
            head = pair.split()[0]
            first, surnames, _ = name_lists()
            if head.rstrip(".").lower() in _NEVER_NAME_WORDS | _HONORIFICS or (
                len(head) >= 6  # short ones may be names no list has ("Cor Hagen")
                and _known_word(head.lower())
                and head not in first
                and head not in surnames
            ):
                start, pair = start + len(head) + 1, pair[len(head) + 1 :]
                if " " not in pair:
                    continue
            words = [w for w in pair.split() if w[:1].isupper()]
            if _has_ordinary_word(words):
                continue
            if not _STREET_END.search(pair):
                yield (start, start + len(pair), "name")


def _line_word_before(text: str, start: int) -> Span | None:
    """The one word that opens the line of a number at ``start``, when it is a person's
    name: a listed first name or surname, or an unknown word spelt as no Dutch or English
    word is ("Gülşen"); not a label such as "Mobiel", "Spoed" or "Helpdesk"."""
    line_start = text.rfind("\n", 0, start) + 1
    m = _LINE_WORD_BEFORE.match(text, line_start, start)
    if m is None:
        return None
    word = m.group(1)
    if word in _places() or word.lower() in _LINE_LABELS:
        return None  # "Pijnacker 06-...", "Piket 06-...": an office or a duty, not a person
    first, surnames, _ = name_lists()
    # ("Bank: NL69 ...", "Mobiel 06-...": a listed surname that is also a word is a label.)
    listed = (word in first or (word in surnames and not _known_word(word.lower()))) and (
        word not in _START_WORDS
    )
    if word.lower() in _NEVER_NAME_WORDS or _not_a_name(word):
        return None
    # A word no list knows, spelt as no Dutch or English word is ("Gülşen"), only in a list
    # whose other lines open with a listed first name: alone, or among places, it may as well
    # be a place abroad ("Zürich: +41 ...").
    foreign = (
        not word.isascii()
        and not _known_word(word.lower())
        and not _has_ordinary_word([word])
        and any(w != word and w in first for w in _LINE_WORD_THEN_NUMBER.findall(text))
    )
    if listed or foreign:
        return (m.start(1), m.end(1), "name")
    return None


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """The earliest and, among equals, longest spans, none overlapping another."""
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if out and span[0] < out[-1][1]:
            continue
        out.append(span)
    return out


def _inside_a_token(text: str, start: int, end: int) -> bool:
    """Digits inside a longer token (a reference such as "T-3c0612345678ab") are no phone."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    joined = before in "-_" and start > 1 and text[start - 2].isalnum()
    return before.isalnum() or joined or after.isalnum()


def _phone_length_ok(raw: str) -> bool:
    """Whether a number written like a phone number is long enough to be one: with a
    leading 0 at least nine digits ("02324567", a ship's ENI number, is none); after 00 a
    country code and at least nine digits, not a third 0 ("0001234567", a serial number, and
    "006255115", an RSIN, are none); after + any length phonenumbers accepts."""
    digits = re.sub(r"\D", "", raw)
    if raw.lstrip(" (").startswith("+"):
        return True
    if digits.startswith("00"):  # 00, a country code and the number: eleven digits or more
        return not digits.startswith("000") and len(digits) >= 11
    return len(digits) >= 9


def _cued_plate(s: str) -> bool:
    """A plate after "kenteken": plate-like, and when typed with spaces no group of it a
    word ("kenteken van de bus 2" is no plate)."""
    groups = s.split()
    # (Letters between two groups of digits are a side code, not a word: "12 ab 34".)
    flanked = len(groups) == 3 and groups[0].isdigit() and groups[2].isdigit()
    return _plate_like(s) and (
        (_side_code(s) and not _VOWELS.search(s))
        or len(groups) == 1
        or flanked
        or not any(g.isalpha() and len(g) > 1 and _known_word(g.lower()) for g in groups)
    )


def _side_code(s: str) -> bool:
    """Whether ``s`` has the shape of a Dutch side code ("tn 08 kg", "XZ18BN", "k 64 bds");
    written without separators, the shape alone must tell the groups apart."""
    shape = "".join("L" if c.isalpha() else "D" if c.isdigit() else "-" for c in s)
    shape = shape.replace(" ", "-")
    if "-" in shape:
        return shape in _SIDE_CODES
    return shape in {c.replace("-", "") for c in _SIDE_CODES}


def _vehicle_plate(text: str, m: re.Match[str]) -> bool:
    """A side code in any case with a word for a vehicle shortly before it on its line, its
    letters without vowels as on every Dutch plate since 1973 (so no word: "auto op 12 05",
    "artikel 35 AVG 3")."""
    s = m.group(1)
    if not _side_code(s) or _VOWELS.search(s):
        return False
    if any(g.lower() in _NOT_PLATE_LETTERS for g in re.findall(r"[A-Za-z]+", s)):
        return False
    # (Shortly before it, or right after it: "xz 18 bn stond fout geparkeerd", "Auto:\nxz 18 bn".)
    start, end = m.start(1), m.end(1)
    return _VEHICLE.search(text, max(0, start - 120), min(len(text), end + 40)) is not None


def _plate_like(s: str) -> bool:
    """Six letters and digits, both kinds present: how every Dutch side code is built."""
    chars = s.replace("-", "").replace(" ", "")
    return len(chars) == 6 and any(c.isalpha() for c in chars) and any(c.isdigit() for c in chars)


def _year_of(s: str) -> int:
    years = [int(y) for y in re.findall(r"\d{4}", s)]
    short = re.search(r"'(\d{2})\b", s)
    if not years and short:  # "3 mrt '61": of the last century when not yet reached
        yy, now = int(short.group(1)), date.today().year
        years = [2000 + yy if 2000 + yy <= now else 1900 + yy]
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
