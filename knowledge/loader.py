"""Load and check the advisor's knowledge: YAML files, validated, cross-referenced.

The shipped files live in ``knowledge/data``. An organisation may keep a local folder
(``ETHIEKBOT_KNOWLEDGE_LOCAL``) beside them without touching the shipped files: a
``contacts.yaml`` there overrides or adds contacts by id (its own people and e-mail addresses),
and ``cases/*.yaml`` there add past cases or replace shipped ones by id.

Every problem is reported as *file, place, reason*, never as a traceback::

    >>> from knowledge.loader import load
    >>> k = load()
    >>> sorted(k.instruments)[:2]
    ['begeleidingsethiek', 'codio']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from knowledge import parse_cache
from knowledge.schema import (
    UNCLEAR_QUESTION,
    Case,
    CheckpointKind,
    CheckpointsFile,
    Contact,
    ContactsFile,
    Drietrap,
    Instrument,
    InstrumentRule,
    InstrumentsFile,
    LawFile,
    OrganisationFile,
    RulesFile,
    Signal,
    SignalsFile,
    Value,
    ValuesFile,
)

DATA_DIR = Path(__file__).parent / "data"

# The ids other parts of the bot rely on (issue 2): a missing one is an error, not a surprise.
REQUIRED_VALUES = (
    "effectiviteit",
    "autonomie",
    "gelijkwaardigheid",
    "inclusie",
    "transparantie",
    "privacy",
    "verantwoording",
    "duurzaamheid",
    "veiligheid",
    "betrokkenheid",
    "gezondheid",
    "betrouwbaarheid",
)
REQUIRED_INSTRUMENTS = (
    "codio",
    "deda",
    "begeleidingsethiek",
    "moreel-beraad",
    "iama",
    "demm",
    "workshop-goed-digitaal-bestuur",
)

try:  # libyaml is several times faster; it ships in PyYAML's wheels
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - only without libyaml
    _Loader = yaml.SafeLoader

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the knowledge: where, and why."""

    file: str
    place: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.place}" if self.place else self.file
        return f"{where}: {self.reason}"


class KnowledgeError(Exception):
    """The knowledge could not be loaded; ``problems`` says where and why."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Knowledge:
    """Everything the advisor knows, by id."""

    values: dict[str, Value]
    drietrap: Drietrap
    instruments: dict[str, Instrument]
    cases: dict[str, Case]
    contacts: dict[str, Contact]
    signals: dict[str, Signal]
    rules: list[InstrumentRule]
    law: LawFile = field(default_factory=lambda: LawFile(rules=[]))
    organisation: OrganisationFile | None = None
    checkpoints: dict[str, CheckpointKind] = field(default_factory=dict)
    sources: list[Path] = field(default_factory=list)


def _line_of(text: str, loc: Iterable[int | str]) -> str:
    """``line N`` of the YAML node at pydantic's ``loc``, found by walking the composed tree."""
    try:
        node: Any = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:  # pragma: no cover - parse errors are reported before validation
        return ""
    for key in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(key, str):
            node = next((v for k, v in node.value if k.value == key), node)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
    return f"line {node.start_mark.line + 1}" if node is not None else ""


def _place(loc: Sequence[int | str]) -> str:
    out = ""
    for key in loc:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def parse_text(text: str, name: str, model: type[M], problems: list[Problem]) -> M | None:
    """Parse and validate the YAML ``text`` of the file ``name`` as ``model``.

    Problems (not YAML, empty, schema errors with their line) are appended to ``problems`` with
    the wording of ``ethiekbot knowledge check``; the workspace uses this for what an advisor
    typed, so both say the same.
    """
    try:
        raw = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(name, place, f"not valid YAML: {reason}"))
        return None
    if raw is None:
        problems.append(Problem(name, "", "the file is empty"))
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            loc = err["loc"]
            line = _line_of(text, loc)
            place = ", ".join(p for p in (line, _place(loc)) if p)
            problems.append(Problem(name, place, err["msg"]))
        return None


def _read(path: Path, model: type[M], problems: list[Problem], root: Path) -> M | None:
    name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(name, "", f"cannot be read ({exc.__class__.__name__}: {exc})"))
        return None
    # Only the shipped knowledge is cached: an organisation's own files name its people
    # (contacts, the advisor who promoted a case) and are read afresh each time.
    cacheable = path.is_relative_to(root)
    found = parse_cache.cached(name, text, model) if cacheable else None
    if found is not None:
        return found
    item = parse_text(text, name, model, problems)
    if item is not None and cacheable:
        parse_cache.remember(name, text, item)
    return item


def case_references(
    case: Case,
    values: Mapping[str, Value],
    instruments: Mapping[str, Instrument],
    signals: Mapping[str, Signal],
) -> list[Problem]:
    """A case's names that point nowhere (values, instrument, signals), as problems in its file.

    An empty mapping is not checked against: its own file already has a problem.
    """
    problems: list[Problem] = []
    file = f"cases/{case.id}.yaml"
    for col in ("values_for", "values_against"):
        for i, judgement in enumerate(getattr(case, col)):
            if values and judgement.value not in values:
                problems.append(
                    Problem(file, f"{col}[{i}].value", f"unknown value {judgement.value!r}")
                )
    if case.instrument and instruments and case.instrument not in instruments:
        problems.append(Problem(file, "instrument", f"unknown instrument {case.instrument!r}"))
    for sid in case.signals:
        if signals and sid not in signals:
            problems.append(Problem(file, "signals", f"unknown signal {sid!r}"))
    known = set(signals) | {t for s in signals.values() for t in s.tags}
    for i, group in enumerate(case.close_if):
        if signals:
            problems.extend(unknown_facts(file, f"close_if[{i}]", group, known))
    return problems


def unknown_facts(file: str, place: str, names: Iterable[str], known: set[str]) -> list[Problem]:
    """A problem for every name that no signal has as its id or one of its tags."""
    return [
        Problem(file, place, f"no signal has the id or tag {name!r}")
        for name in names
        if name not in known
    ]


def law_references(law: LawFile, known: set[str]) -> list[Problem]:
    """Names in ``law.yaml`` that point nowhere: a condition naming a fact that no signal, no
    earlier derived fact and no earlier rule provides (a rule can only build on what is above
    it), and answers naming unknown facts."""
    problems: list[Problem] = []
    available = set(known)
    answerable = {n for r in law.rules for n in (*r.if_yes, *r.if_no)}
    for derived in law.facts:
        for name in derived.names():
            if name not in available and name != derived.id and name not in answerable:
                problems.append(
                    Problem("law.yaml", f"facts.{derived.id}", f"unknown fact {name!r}")
                )
        available.add(derived.id)
    families = {r.family for r in law.rules}
    seen: set[str] = set()
    for rule in law.rules:
        if rule.id in seen:
            problems.append(Problem("law.yaml", rule.id, "duplicate rule id"))
        seen.add(rule.id)
        for name in rule.names():
            if name not in available and name not in answerable and name not in families:
                problems.append(Problem("law.yaml", rule.id, f"unknown fact {name!r}"))
        available.add(rule.id)
        available.add(rule.family)
    for rule in law.rules:
        for name in (*rule.if_yes, *rule.if_no):
            if name not in available and not any(name in d.names() for d in law.facts):
                problems.append(Problem("law.yaml", rule.id, f"answer adds unknown fact {name!r}"))
    return problems


def _unique(items: Iterable[Any], kind: str, file: str, problems: list[Problem]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        if item.id in out:
            problems.append(Problem(file, item.id, f"duplicate {kind} id"))
        out[item.id] = item
    return out


def load(data_dir: Path | None = None, local_dir: Path | None = None) -> Knowledge:
    """Load, validate and cross-check all knowledge; raise :class:`KnowledgeError` on problems."""
    root = data_dir or DATA_DIR
    problems: list[Problem] = []
    sources: list[Path] = []

    def read(rel: str, model: type[M]) -> M | None:
        path = root / rel
        sources.append(path)
        return _read(path, model, problems, root)

    values_file = read("values.yaml", ValuesFile)
    drietrap = read("drietrap.yaml", Drietrap)
    instruments_file = read("instruments.yaml", InstrumentsFile)
    contacts_file = read("contacts.yaml", ContactsFile)
    signals_file = read("signals.yaml", SignalsFile)
    rules_file = read("rules.yaml", RulesFile)
    checkpoints_file = read("checkpoints.yaml", CheckpointsFile)
    law_file = read("law.yaml", LawFile)
    organisation_file = read("organisation.yaml", OrganisationFile)

    case_paths = sorted((root / "cases").glob("*.yaml"))
    local_root = local_dir
    if local_root is not None:
        if not local_root.is_dir():
            problems.append(Problem(str(local_root), "", "local knowledge folder does not exist"))
        else:
            case_paths += sorted((local_root / "cases").glob("*.yaml"))

    cases: dict[str, Case] = {}
    for path in case_paths:
        sources.append(path)
        case = _read(path, Case, problems, root)  # a local file is named by its full path
        if case is None:
            continue
        if path.stem != case.id:
            problems.append(Problem(path.name, "id", f"id {case.id!r} differs from file name"))
        is_local = local_root is not None and path.is_relative_to(local_root)
        if case.id in cases and not is_local:
            problems.append(Problem(path.name, "id", "duplicate case id"))
        cases[case.id] = case

    values = _unique(values_file.values if values_file else [], "value", "values.yaml", problems)
    instruments = _unique(
        instruments_file.instruments if instruments_file else [],
        "instrument",
        "instruments.yaml",
        problems,
    )
    contacts = _unique(
        contacts_file.contacts if contacts_file else [], "contact", "contacts.yaml", problems
    )
    signals = _unique(
        signals_file.signals if signals_file else [], "signal", "signals.yaml", problems
    )

    if local_root is not None and (local_root / "contacts.yaml").is_file():
        sources.append(local_root / "contacts.yaml")
        local = _read(local_root / "contacts.yaml", ContactsFile, problems, root)
        for contact in local.contacts if local else []:
            contacts[contact.id] = contact

    if values_file is not None:
        for vid in REQUIRED_VALUES:
            if vid not in values:
                problems.append(Problem("values.yaml", vid, "required value is missing"))
    if instruments_file is not None:
        for iid in REQUIRED_INSTRUMENTS:
            if iid not in instruments:
                problems.append(Problem("instruments.yaml", iid, "required instrument is missing"))

    # Cross-references: a name that points nowhere is an error in the file that names it.
    for case in cases.values():
        problems.extend(case_references(case, values, instruments, signals))
    for signal in signals.values():
        for vid in signal.values:
            if values and vid not in values:
                problems.append(Problem("signals.yaml", signal.id, f"unknown value {vid!r}"))
    known_facts = {t for s in signals.values() for t in s.tags} | set(signals)
    # An instrument rule may also build on the law's reading of a question (law.yaml's
    # derived facts, rules and families), which the triage passes along.
    law_names = (
        {d.id for d in law_file.facts} | {n for r in law_file.rules for n in (r.id, r.family)}
        if law_file is not None
        else set()
    )
    # ... and on what the triage itself adds (UNCLEAR_QUESTION).
    rule_facts = known_facts | law_names | {UNCLEAR_QUESTION}
    for rule in rules_file.rules if rules_file else []:
        if instruments and rule.instrument not in instruments:
            problems.append(
                Problem("rules.yaml", rule.id, f"unknown instrument {rule.instrument!r}")
            )
        if signals:
            problems.extend(unknown_facts("rules.yaml", rule.id, rule.names(), rule_facts))
    if law_file is not None and signals:
        problems.extend(law_references(law_file, known_facts))
    if organisation_file is not None and signals:
        seen_themes: set[str] = set()
        for theme in organisation_file.themes:
            if theme.id in seen_themes:
                problems.append(Problem("organisation.yaml", theme.id, "duplicate theme id"))
            seen_themes.add(theme.id)
            problems.extend(
                unknown_facts("organisation.yaml", theme.id, theme.names(), known_facts)
            )
    if drietrap is not None:
        if sorted(drietrap.order) != ["kan", "mag", "willen"]:
            problems.append(Problem("drietrap.yaml", "order", "must name kan, mag and willen once"))
        if sorted(s.id for s in drietrap.steps) != ["kan", "mag", "willen"]:
            problems.append(Problem("drietrap.yaml", "steps", "must hold kan, mag and willen once"))
        seen: set[str] = set()
        for step in drietrap.steps:
            for q in step.questions:
                if q.id in seen:
                    problems.append(Problem("drietrap.yaml", q.id, "duplicate question id"))
                seen.add(q.id)

    if problems or values_file is None or drietrap is None:
        raise KnowledgeError(problems or [Problem(str(root), "", "knowledge incomplete")])
    rules = rules_file.rules if rules_file else []
    checkpoints = _unique(
        checkpoints_file.checkpoints if checkpoints_file else [],
        "checkpoint",
        "checkpoints.yaml",
        problems,
    )
    return Knowledge(
        values,
        drietrap,
        instruments,
        cases,
        contacts,
        signals,
        rules,
        law_file or LawFile(rules=[]),
        organisation_file,
        checkpoints,
        sources,
    )
