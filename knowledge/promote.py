"""Growing the knowledge: a reviewed triage becomes a case, and the organisation's contacts.

The advisor drafts a case from a logged triage (:func:`draft_case`), edits it, and publishes it
(:func:`publish_case`) into the organisation's own folder (``ETHIEKBOT_KNOWLEDGE_LOCAL``), as
``cases/<id>.yaml``. Validation is the loader's own (:func:`knowledge.loader.parse_text` and
:func:`knowledge.loader.case_references`), so the workspace says exactly what
``ethiekbot knowledge check`` would say about the file. Writes are atomic: a reader (another
process, the next reload) sees the old file or the new one, never half of one::

    >>> from knowledge.promote import slugify
    >>> slugify("Vulgraadsensoren in afvalbakken (Gemeente Ede)")
    'vulgraadsensoren-in-afvalbakken-gemeente-ede'
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from knowledge.loader import (
    DATA_DIR,
    Knowledge,
    Problem,
    case_references,
    parse_text,
)
from knowledge.schema import ID_PATTERN, Case, ContactsFile, Lang, Provenance

if TYPE_CHECKING:  # only for the optional arguments; knowledge does not import dialogs at run time
    from dialogs.models import Outcome, Review
    from knowledge.triage import Advisor

_MAX_SLUG = 60
_MAX_TITLE = 90
# Where a signal of each kind goes in a case.
_SIGNAL_FIELD = {"technology": "technologies", "data": "data", "group": "stakeholders"}


class PromotionError(Exception):
    """A case or contacts file was refused; ``problems`` says where and why.

    The problems have the wording of ``ethiekbot knowledge check``.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# --- drafting -------------------------------------------------------------------------------


def slugify(text: str) -> str:
    """A case id from a title: lower-case ascii words joined by hyphens, at most 60 characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > _MAX_SLUG:
        cut = slug[:_MAX_SLUG]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug


def _both(text: str) -> dict[str, str]:
    # The schema wants Dutch and English; the draft starts with the triage's text in both, for
    # the advisor to translate, so a draft is never refused only for a missing translation.
    return {"nl": text, "en": text}


def _pair(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


def _one_line(text: str) -> str:
    # One item per line in the editor, so an item itself has no line breaks.
    return " ".join(text.split())


def _title_from(description: str) -> str:
    first = re.split(r"(?<=[.!?])\s", _one_line(description), maxsplit=1)[0].rstrip(".!? ")
    if len(first) <= _MAX_TITLE:
        return first
    return first[:_MAX_TITLE].rsplit(" ", 1)[0] + "…"


def _judgements(lines: Sequence[Any], outcome: Outcome) -> list[dict[str, Any]]:
    # A line the triage took from a similar case ends with "(bij <its title>)": it is about
    # that case, not this project, so it is left out of the draft.
    borrowed = tuple(f" {c['title']})" for c in outcome.cases if c.get("title"))
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for line in lines:
        if line.value in seen or (borrowed and line.because.endswith(borrowed)):
            continue
        seen.add(line.value)
        out.append({"value": line.value, "because": _both(_one_line(line.because))})
    return out


def _signal_hints(advisor: Advisor, outcome: Outcome) -> dict[str, list[str]]:
    """Technologies, data and stakeholders from the signals of the description, and their ids."""
    hits = advisor.triage(outcome.description, lang=None).signals
    hints: dict[str, list[str]] = {"technologies": [], "data": [], "stakeholders": []}
    for sid in sorted(hits):
        signal = hits[sid].signal
        target = _SIGNAL_FIELD.get(signal.kind)
        if target is not None:
            hints[target].append(signal.label.get(outcome.lang))
    hints["signals"] = sorted(hits)
    return hints


def _instrument_name(iid: str, outcome: Outcome, advisor: Advisor | None, lang: Lang) -> str:
    for inst in outcome.instruments:
        if inst.get("id") == iid and inst.get("name"):
            return str(inst["name"])
    if advisor is not None and iid in advisor.knowledge.instruments:
        return advisor.knowledge.instruments[iid].name.get(lang)
    return iid


_FIELD_NAMES = {
    "risk": ("Risico", "Risk"),
    "instrument": ("Instrument", "Instrument"),
    "verdict-willen": ("Willen we het?", "Is it desirable?"),
    "verdict-mag": ("Mag het?", "Is it allowed?"),
    "verdict-kan": ("Kan het?", "Is it possible?"),
}


def draft_case(
    outcome: Outcome,
    lessons: Sequence[str] = (),
    case_id: str | None = None,
    title: str | None = None,
    organisation: str | None = None,
    *,
    advisor: Advisor | None = None,
    review: Review | None = None,
) -> dict[str, Any]:
    """A case draft in the shape of ``cases/*.yaml``, prefilled from a logged triage.

    The description becomes the question, the purpose joins the summary, the two columns
    become the values for and against, the recommended instrument the instrument used, and
    ``lessons`` (written by the advisor for publication, one line each) the lessons; an
    advisor's internal notes never are. With ``advisor`` the description's signals
    fill technologies, data and stakeholders, and their ids make later similar questions find
    the case; with ``review`` the advisor's corrections are the decisions, and a corrected
    instrument is the instrument used. Texts start equal in Dutch and English, for the advisor
    to translate. The id is ``case_id`` or a slug of the title.
    """
    lang = outcome.lang
    the_title = _one_line(title) if title else _title_from(outcome.description)
    current = review.current() if review is not None else {}

    summary_nl = summary_en = outcome.description.strip()
    if outcome.purpose:
        summary_nl += f"\n\nDoel: {outcome.purpose.strip()}"
        summary_en += f"\n\nPurpose: {outcome.purpose.strip()}"

    instrument: str | None = outcome.instruments[0]["id"] if outcome.instruments else None
    if "instrument" in current:
        instrument = current["instrument"].revised
    if instrument:
        name = _instrument_name(instrument, outcome, advisor, lang)
        approach = _pair(
            f"Triage met Ethiekbot (kenmerk {outcome.id}); ingezet instrument: {name}.",
            f"Triaged with Ethiekbot (reference {outcome.id}); instrument used: {name}.",
        )
    else:
        approach = _pair(
            f"Triage met Ethiekbot (kenmerk {outcome.id}).",
            f"Triaged with Ethiekbot (reference {outcome.id}).",
        )

    decisions = [
        _pair(
            f"{_FIELD_NAMES[c.field][0]} herzien van {c.original} naar {c.revised}: "
            f"{_one_line(c.reason)}",
            f"{_FIELD_NAMES[c.field][1]} revised from {c.original} to {c.revised}: "
            f"{_one_line(c.reason)}",
        )
        for c in current.values()
    ]
    hints = (
        _signal_hints(advisor, outcome)
        if advisor is not None
        else {"technologies": [], "data": [], "stakeholders": [], "signals": []}
    )
    return {
        "id": case_id if case_id is not None else (slugify(the_title) or slugify(outcome.id)),
        "title": _both(the_title),
        "organisation": organisation or "",
        "year": str(outcome.created_at.year),
        "question": _both(outcome.description.strip()),
        "summary": _pair(summary_nl, summary_en),
        "technologies": hints["technologies"],
        "data": hints["data"],
        "stakeholders": hints["stakeholders"],
        "values_for": _judgements(outcome.desirable, outcome),
        "values_against": _judgements(outcome.undesirable, outcome),
        "instrument": instrument,
        "approach": approach,
        "lessons": [_both(_one_line(n)) for n in lessons if n.strip()],
        "source": f"Ethiekbot, triage {outcome.id}",
        "signals": hints["signals"],
        "decisions": decisions,
    }


# --- validating and publishing --------------------------------------------------------------


def case_yaml(data: Mapping[str, Any]) -> str:
    """The YAML text of a case, its keys in the schema's order (unknown keys last)."""
    order = list(Case.model_fields)
    ordered = {k: data[k] for k in order if k in data}
    ordered.update({k: v for k, v in data.items() if k not in ordered})
    return yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=100)


def _case_file(data: Mapping[str, Any]) -> str:
    cid = data.get("id")
    if isinstance(cid, str) and re.fullmatch(ID_PATTERN, cid):
        return f"cases/{cid}.yaml"
    return "cases/(new case).yaml"


def _check_case(
    text: str, name: str, knowledge: Knowledge, replace: bool
) -> tuple[Case | None, list[Problem]]:
    problems: list[Problem] = []
    case = parse_text(text, name, Case, problems)
    if case is None:
        return None, problems
    problems.extend(
        case_references(case, knowledge.values, knowledge.instruments, knowledge.signals)
    )
    if not replace and case.id in knowledge.cases:
        problems.append(Problem(name, "id", "duplicate case id"))
    if len(case.id) > MAX_CASE_ID:
        problems.append(Problem(name, "id", f"longer than {MAX_CASE_ID} characters"))
    return case, problems


def _yaml_or_problem(data: Mapping[str, Any], name: str) -> tuple[str, list[Problem]]:
    try:
        return case_yaml(data), []
    except yaml.YAMLError as exc:  # e.g. an object YAML cannot hold
        return "", [Problem(name, "", f"cannot be written as YAML: {exc}")]


def validate_case(
    data: Mapping[str, Any], knowledge: Knowledge, *, replace: bool = False
) -> list[str]:
    """What is wrong with a case draft, in the words of ``ethiekbot knowledge check``.

    The schema (with the line in the YAML that would be written), the values, instrument and
    signals it names, and an id that is already a case (unless ``replace``). Empty: valid.
    """
    name = _case_file(data)
    text, problems = _yaml_or_problem(data, name)
    if not problems:
        problems = _check_case(text, name, knowledge, replace)[1]
    return [str(p) for p in problems]


def write_atomically(path: Path, text: str, *, replace: bool) -> None:
    """Write ``text`` to ``path`` through a temporary file beside it, never leaving half a file.

    Without ``replace`` an existing file is never overwritten, also not one another process
    wrote a moment ago: the temporary file is hard-linked into place, which fails if the name
    is taken.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        tmp.chmod(0o644)  # mkstemp makes it private; the server may run as another user
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise
            except OSError:  # pragma: no cover - a file system without hard links
                if path.exists():
                    raise FileExistsError(str(path)) from None
                os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    with contextlib.suppress(OSError):  # make the rename itself durable where the OS allows
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def publish_case(
    data: Mapping[str, Any],
    local_dir: Path,
    knowledge: Knowledge,
    provenance: Provenance | None,
    *,
    replace: bool = False,
) -> Path:
    """Validate a case and write it as ``local_dir/cases/<id>.yaml``; return that path.

    ``provenance`` (which triage, by whom, when) is written into the case. Raises
    :class:`PromotionError` with the problems when the case is not valid, or when its id is
    already a case (in ``knowledge`` or on disk) and ``replace`` is not set. The knowledge in
    use does not change: reload it (:func:`knowledge.reload.fresh_advisor`) to use the case.
    """
    full = dict(data)
    if provenance is not None:  # (a case written by hand and edited later has none)
        full["provenance"] = provenance.model_dump(mode="json")
    name = _case_file(full)
    text, problems = _yaml_or_problem(full, name)
    case = None
    if not problems:
        case, problems = _check_case(text, name, knowledge, replace)
    if problems or case is None:
        raise PromotionError([str(p) for p in problems])
    path = local_dir / "cases" / f"{case.id}.yaml"
    try:
        write_atomically(path, text, replace=replace)
    except FileExistsError:
        raise PromotionError([str(Problem(name, "id", "duplicate case id"))]) from None
    return path


# The longest case id: a file name every store and instance accepts (bot/knowledge_sync.py).
MAX_CASE_ID = 80


def own_case_path(local_dir: Path, case_id: str) -> Path | None:
    """The file of one of the organisation's own cases, or None when there is none by that id
    (a shipped case, or an id that is no case id at all)."""
    if len(case_id) > MAX_CASE_ID or not re.fullmatch(ID_PATTERN, case_id):
        return None
    path = local_dir / "cases" / f"{case_id}.yaml"
    return path if path.is_file() else None


def case_fields(text: str) -> dict[str, Any]:
    """A case file's fields as the case form takes them (a mapping, empty when unreadable)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def read_own_case(path: Path) -> dict[str, Any]:
    """:func:`case_fields` of an own case's file (empty when it cannot be read)."""
    try:
        return case_fields(path.read_text(encoding="utf-8"))
    except OSError:
        return {}


# --- contacts -------------------------------------------------------------------------------

_CONTACTS_HEADER = """\
# De contactpersonen van je eigen organisatie. Een contact met hetzelfde id als een ingebouwd
# contact vervangt dat; een nieuw id voegt er een toe. Vul e-mail, telefoon en (eventueel) een
# naam in bij de rollen hieronder.
# Your own organisation's contacts. A contact with the id of a built-in one replaces it; a new
# id adds one. Fill in e-mail, phone and (optionally) a person for the roles below.
"""


def read_contacts(local_dir: Path, knowledge_dir: Path | None = None) -> str:
    """The organisation's ``contacts.yaml`` text, or a template to start from.

    The template holds the built-in contacts that are roles without an address (the ones an
    organisation fills in with its own people), so saving it unchanged changes nothing.
    """
    local = local_dir / "contacts.yaml"
    if local.is_file():
        return local.read_text(encoding="utf-8")
    builtin = yaml.safe_load(((knowledge_dir or DATA_DIR) / "contacts.yaml").read_text("utf-8"))
    roles = [c for c in builtin.get("contacts", []) if not c.get("email")]
    body = yaml.safe_dump({"contacts": roles}, allow_unicode=True, sort_keys=False, width=100)
    return _CONTACTS_HEADER + body


def contacts_problems(text: str, name: str = "contacts.yaml") -> list[str]:
    """What is wrong with a contacts file's text, in the words of ``ethiekbot knowledge check``."""
    problems: list[Problem] = []
    parsed = parse_text(text, name, ContactsFile, problems)
    seen: set[str] = set()
    for contact in parsed.contacts if parsed else []:
        if contact.id in seen:  # the loader's wording for a duplicate id within one file
            problems.append(Problem(name, contact.id, "duplicate contact id"))
        seen.add(contact.id)
    return [str(p) for p in problems]


def save_contacts(local_dir: Path, text: str, knowledge_dir: Path | None = None) -> None:
    """Validate and atomically write the organisation's ``contacts.yaml`` in ``local_dir``.

    Raises :class:`PromotionError` with the problems; nothing is written then. The file is
    named in the problems as ``knowledge check`` names it (its path, unless it lies inside
    ``knowledge_dir``).
    """
    path = local_dir / "contacts.yaml"
    root = knowledge_dir or DATA_DIR
    name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    problems = contacts_problems(text, name)
    if problems:
        raise PromotionError(problems)
    write_atomically(path, text, replace=True)
