"""Cleaning, folding, splitting and language detection of free-text questions."""

from __future__ import annotations

import unicodedata

import pytest

from knowledge.text import (
    DUTCH_NUMBERS,
    MAX_CHARS,
    clause_starts,
    clean,
    content_stems,
    denied_words,
    detect_language,
    fold,
    other_language,
    stem,
    words,
)


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\u200b", "\x7f", "\ufeff", "\u2028"])
def test_clean_removes_control_characters(char: str) -> None:
    result = clean(f"Drones{char}boven weilanden")
    assert char not in result.text
    assert result.removed_control is True
    # The words on either side survive.
    assert result.text.startswith("Drones") and result.text.endswith("boven weilanden")


def test_clean_of_an_ansi_escape_leaves_no_escape_character() -> None:
    result = clean("\x1b[31mrood\x1b[0m alarm")
    assert "\x1b" not in result.text
    assert "rood" in result.text and "alarm" in result.text


def test_clean_keeps_newlines_and_tabs_become_spaces() -> None:
    result = clean("Eerste regel\nTweede\tregel\r\nDerde regel")
    assert result.text == "Eerste regel\nTweede regel\nDerde regel"
    assert result.removed_control is False
    assert result.truncated is False


def test_clean_collapses_runs_of_spaces_and_blank_lines_and_strips() -> None:
    result = clean("  Drones   boven\n\n\n\n\nweilanden  ")
    assert result.text == "Drones boven\n\nweilanden"


def test_clean_leaves_ordinary_text_alone() -> None:
    text = "Mogen we camera's gebruiken in het café? Ja/nee: 50% zegt ‘ja’."
    result = clean(text)
    assert result == type(result)(text, False, False)


def test_clean_truncates_long_text() -> None:
    long = "abcdefghij" * 5_000  # 50,000 characters, no spaces
    result = clean(long)
    assert result.truncated is True
    assert len(result.text) == MAX_CHARS == 20_000
    assert long.startswith(result.text)


def test_clean_does_not_truncate_at_the_limit() -> None:
    exact = "a" * MAX_CHARS
    assert clean(exact).truncated is False
    assert clean(exact + "b").truncated is True
    assert clean("abc def", max_chars=3).text == "abc"


def test_clean_of_only_whitespace_and_controls_is_empty() -> None:
    assert clean(" \n\t\x00\u200b  ").text == ""


def test_fold_strips_accents_and_lowers() -> None:
    assert fold("Geïnteresseerd") == "geinteresseerd"
    assert fold("CAFÉ één coöperatie") == "cafe een cooperatie"
    assert fold("privé") == fold("prive")


def test_fold_drops_every_combining_mark_and_nothing_else() -> None:
    """Every character of the Basic Multilingual Plane, folded, has no combining mark left and
    keeps each character that is not one (the regex class must not lose or add any)."""
    every = "".join(chr(cp) for cp in range(0x20, 0x10000) if not 0xD800 <= cp < 0xE000)
    expected = "".join(
        c for c in unicodedata.normalize("NFKD", every.lower()) if not unicodedata.combining(c)
    )
    assert fold(every) == expected


def test_words_folds_and_keeps_apostrophes() -> None:
    assert words("Camera's op het Marktplein!") == ["camera's", "op", "het", "marktplein"]
    assert words("m’n telefoon") == ["m'n", "telefoon"]


def test_words_splits_hyphenated_words_into_parts_too() -> None:
    assert words("Een ML-model") == ["een", "ml-model", "ml", "model"]
    assert words("wifi-telling en e-mail") == [
        "wifi-telling",
        "wifi",
        "telling",
        "en",
        "e-mail",
        "e",
        "mail",
    ]


def test_words_ignores_punctuation_only() -> None:
    assert words("... !!! ---") == []


@pytest.mark.parametrize(
    "text",
    [
        "Mogen we drones inzetten om te controleren of de weilanden bloemrijk zijn?",
        "Wij willen weten hoe we dit het beste kunnen aanpakken met de collega's van het team.",
    ],
)
def test_detect_language_dutch(text: str) -> None:
    assert detect_language(text) == "nl"
    assert detect_language(text, default="en") == "nl"


@pytest.mark.parametrize(
    "text",
    [
        "Should we use drones to check whether the meadows are really rich in flowers?",
        "We would like to know how our team can do this in a responsible way.",
    ],
)
def test_detect_language_english(text: str) -> None:
    assert detect_language(text) == "en"
    assert detect_language(text, default="nl") == "en"


def test_detect_language_falls_back_to_the_default_without_evidence() -> None:
    assert detect_language("ChatGPT", default="nl") == "nl"
    assert detect_language("ChatGPT", default="en") == "en"


def test_stem_and_content_stems() -> None:
    # Plural and singular meet in one stem, so "weilanden" and "weiland" compare equal.
    assert stem("weilanden", "nl") == stem("weiland", "nl")
    assert stem("metingen", "nl") == stem("meting", "nl")
    assert stem("drones", "en") == stem("drone", "en")
    stems = content_stems("Mogen we de weilanden in de gaten houden?", "nl")
    assert stem("weiland", "nl") in stems
    assert "mogen" not in stems and "de" not in stems  # function words carry no meaning


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        # The words before the auxiliary, and the denied verb, in that clause only.
        (
            "Een model schat hoe snel het asfalt slijt. Personen en kentekens worden niet "
            "vastgelegd.",
            ["personen", "en", "kentekens", "vastgelegd"],
        ),
        (
            "Mensen of erven zijn op die resolutie niet te zien.",
            ["mensen", "of", "erven", "te", "zien"],
        ),
        (
            "Aan een pas of adres zijn de containers niet gekoppeld.",
            ["aan", "een", "pas", "of", "adres", "gekoppeld"],
        ),
        ("We film the road, but faces are not recorded.", ["but", "faces", "recorded"]),
        # A new subject after "en" starts a new clause; "nog niet" is "not yet".
        (
            "Een systeem met gezichtsherkenning scant bezoekers en hun namen worden niet "
            "vastgelegd.",
            ["en", "hun", "namen", "vastgelegd"],
        ),
        ("Of de beelden aan hun BSN worden gekoppeld is nog niet vastgelegd.", []),
        # Not stored is still processed; a denial without an auxiliary denies nothing before it.
        ("We filmen mensen op straat. Gezichten worden niet opgeslagen.", []),
        ("Camera's filmen mensen niet herkenbaar", []),
    ],
)
def test_a_clause_that_denies_what_it_names(text: str, denied: list[str]) -> None:
    ws = words(text)
    starts = clause_starts(text)
    assert len(starts) == len(ws)
    assert [ws[i] for i in sorted(denied_words(ws, starts))] == denied


def test_clause_starts_follow_the_words_of_hyphenated_text() -> None:
    text = "Het ML-model rekent. Maar AI-camera's filmen."
    assert len(clause_starts(text)) == len(words(text))
    starts = dict(zip(words(text), clause_starts(text), strict=True))
    assert starts["het"] and starts["maar"] and not starts["model"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pouvons-nous utiliser des caméras pour les visiteurs du marché?", "fr"),
        ("Dürfen wir Kameras auf dem Marktplatz einsetzen und die Daten speichern?", "de"),
        ("¿Podemos usar cámaras en la plaza para los visitantes del mercado?", "es"),
        ("Mogen we drones inzetten om de weilanden te controleren?", None),
        ("Can we use drones to check the farmland and store the data?", None),
        ("Les gegevens van de inwoners worden gedeeld", None),
    ],
)
def test_another_language_is_noticed(text: str, expected: str | None) -> None:
    assert other_language(text) == expected


def test_dutch_numbers_in_words_from_one_to_ninety_nine() -> None:
    assert DUTCH_NUMBERS["een"] == 1 and DUTCH_NUMBERS["negentien"] == 19
    assert DUTCH_NUMBERS["vijfentwintig"] == 25 and DUTCH_NUMBERS["negenennegentig"] == 99
    # ("tweeëntwintig" as written and as typed without the diaeresis.)
    assert DUTCH_NUMBERS["tweeëntwintig"] == DUTCH_NUMBERS["tweeentwintig"] == 22
    assert sorted(set(DUTCH_NUMBERS.values())) == list(range(1, 100))


def test_placeholders_read_in_the_readers_language() -> None:
    from knowledge.text import placeholders_for

    said = "Bel [naam] op [telefoonnummer] of mail [e-mail]"
    assert placeholders_for(said, "en") == "Bel [name] op [phone number] of mail [e-mail]"
    assert placeholders_for(said, "nl") == said
