"""The lemma table: the dictionary forms of the words the lexicon's terms use.

A word the knowledge uses is taken as it stands (see :mod:`knowledge.signals`), so that
neither loading the library nor a question needs simplemma's dictionaries. A term such as
*zelfstandig aanstuurt* (or *adressen* in a count of addresses) puts its words in that
vocabulary, and without this table a question saying *aanstuurt* would no longer meet the term
*aansturen* (nor *adressen* the term *adres*). The table holds, for every such word whose
dictionary form differs, that form; it is generated from the lexicon and checked against it by
the tests::

    .venv/bin/python -m knowledge.lemmas      # rewrite knowledge/data/lemmas.json
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from knowledge.schema import Signal
from knowledge.text import EN_STOP, NL_STOP, lemma

TABLE = Path(__file__).parent / "data" / "lemmas.json"


def term_words(signals: Iterable[Signal]) -> set[str]:
    """The words of the lexicon's terms and phrases (without function words)."""
    found: set[str] = set()
    for s in signals:
        for raw in s.terms:
            found.update(raw.replace("=", "").split())  # ("=" marks a whole word)
    return found - NL_STOP - EN_STOP


# Words whose dictionary form means something else in a question: "zorgen dat" (make sure) is
# no care, "bepaalde aanvragen" (certain) no deciding, "betrokken" (involved) no participation,
# "verantwoord" (responsible) no records, "openbare ruimte" no open data, "drukken" no crowds,
# "mapje" a folder, not a map; and English words the Dutch dictionary reads ("name" -> naam).
_OTHER_MEANING = frozenset(
    """zorgen bepaalde betrokken verantwoord openbare drukken mapje name spots starts counts
    polling piloted staffed scripted""".split()
)


def build(signals: Iterable[Signal]) -> dict[str, str]:
    """The table for a lexicon: each term word whose dictionary form differs (and means the
    same here), with it."""
    table = {}
    for w in sorted(term_words(signals) - _OTHER_MEANING):
        base = lemma(w)
        if base != w:
            table[w] = base
    return table


@lru_cache(maxsize=1)
def load(path: Path = TABLE) -> Mapping[str, str]:
    """The shipped table (empty when the file is missing)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {str(k): str(v) for k, v in data.items()}


def main() -> None:
    """Rewrite the table from the shipped lexicon."""
    from knowledge.loader import load as load_knowledge

    table = build(load_knowledge().signals.values())
    TABLE.write_text(
        json.dumps(table, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"{TABLE}: {len(table)} words")


if __name__ == "__main__":
    main()
