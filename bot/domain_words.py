"""The knowledge's own words, which are never (part of) a person's name.

The redactor takes an unknown lower-case word after a first name and a tussenvoegsel for a
surname ("karin de lange"). Words of the ethics domain that no dictionary the redactor reads
knows ("collega kees van handhaving", "marloes van privacy") are in the lexicon of the
knowledge; this list holds those words (of four letters or more, not listed as names), made
from the lexicon and checked against it by the tests::

    .venv/bin/python -m bot.domain_words      # rewrite bot/data/domain_words.txt
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from knowledge.lemmas import term_words
from knowledge.schema import Signal

WORDS = Path(__file__).parent / "data" / "domain_words.txt"


def build(signals: Iterable[Signal], names: frozenset[str]) -> list[str]:
    """The lexicon's words that can be told from names: alphabetic, four letters or more, and
    not in ``names`` (first names and surnames, capitalised)."""
    return sorted(
        w
        for w in term_words(signals)
        if len(w) >= 4 and w.isalpha() and w.capitalize() not in names
    )


@lru_cache(maxsize=1)
def load(path: Path = WORDS) -> frozenset[str]:
    """The shipped list (empty when the file is missing)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return frozenset()
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def main() -> None:
    """Rewrite the list from the shipped lexicon and the redactor's name lists."""
    from bot.privacy import name_lists
    from knowledge.loader import load as load_knowledge

    first, surnames, _ = name_lists()
    found = build(load_knowledge().signals.values(), first | surnames)
    WORDS.write_text("\n".join(found) + "\n", encoding="utf-8")
    print(f"{WORDS}: {len(found)} words")


if __name__ == "__main__":
    main()
