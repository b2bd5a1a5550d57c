"""The loader's error reports: every broken file gives *file, place, reason*, no traceback."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from knowledge.loader import DATA_DIR, KnowledgeError, Problem, load


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of the shipped knowledge that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def problems_of(data_dir: Path, local_dir: Path | None = None) -> list[Problem]:
    with pytest.raises(KnowledgeError) as exc:
        load(data_dir, local_dir)
    problems = exc.value.problems
    assert problems, "a KnowledgeError must say what is wrong"
    # The exception message is the readable list of problems.
    assert str(exc.value) == "\n".join(str(p) for p in problems)
    return problems


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {path.name}: the test data moved"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_no(path: Path, needle: str) -> int:
    """1-based number of the first line of ``path`` that contains ``needle``."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


def test_the_copy_itself_loads(data: Path) -> None:
    """Control: the copy is valid, so each problem below comes from the one thing we broke."""
    k = load(data)
    assert len(k.cases) == len(load().cases)


# --- broken files ---------------------------------------------------------------------------


def test_invalid_yaml_reports_line_and_column(data: Path) -> None:
    values = data / "values.yaml"
    bad = "    nonsense: a: b"
    replace(values, "  - id: autonomie\n", f"  - id: autonomie\n{bad}\n")
    line = line_no(values, bad)
    column = bad.index("a:") + 2  # 1-based column of the second colon

    problems = problems_of(data)

    # One syntax error gives one problem, not a cascade of "unknown value" errors.
    assert problems == [Problem("values.yaml", f"line {line}, column {column}", problems[0].reason)]
    assert problems[0].reason.startswith("not valid YAML")
    assert "mapping values are not allowed" in problems[0].reason


def test_case_naming_an_unknown_value(data: Path) -> None:
    case = data / "cases" / "syri-fraudedetectie.yaml"
    text = case.read_text(encoding="utf-8")
    start = text.index("values_against:")
    match = re.compile(r"- value: ([a-z-]+)").search(text, start)
    assert match is not None
    case.write_text(text[: match.start(1)] + "eerlijkheid" + text[match.end(1) :])

    problems = problems_of(data)

    assert problems == [
        Problem(
            "cases/syri-fraudedetectie.yaml",
            "values_against[0].value",
            "unknown value 'eerlijkheid'",
        )
    ]


def test_case_naming_an_unknown_instrument(data: Path) -> None:
    replace(
        data / "cases" / "ammoniak-sensoren.yaml",
        "instrument: begeleidingsethiek",
        "instrument: hackathon",
    )
    assert problems_of(data) == [
        Problem("cases/ammoniak-sensoren.yaml", "instrument", "unknown instrument 'hackathon'")
    ]


def test_case_file_whose_id_differs_from_its_name(data: Path) -> None:
    (data / "cases" / "ammoniak-sensoren.yaml").rename(data / "cases" / "ammoniak.yaml")

    [problem] = problems_of(data)

    assert Path(problem.file).name == "ammoniak.yaml"
    assert problem.place == "id"
    assert "'ammoniak-sensoren'" in problem.reason
    assert "file name" in problem.reason


def test_missing_required_value(data: Path) -> None:
    values = data / "values.yaml"
    text = values.read_text(encoding="utf-8")
    start = text.index("  - id: gezondheid\n")
    end = text.find("\n  - id:", start + 1)
    values.write_text(text[:start] + (text[end + 1 :] if end != -1 else ""))

    problems = problems_of(data)

    assert Problem("values.yaml", "gezondheid", "required value is missing") in problems
    # Files that still name the value are reported too, each as the file that names it.
    naming = {p.file for p in problems if p.reason == "unknown value 'gezondheid'"}
    assert "signals.yaml" in naming
    assert any(f.startswith("cases/") for f in naming)
    assert all(
        p.file in ("values.yaml", "signals.yaml") or p.file.startswith("cases/") for p in problems
    )


def test_missing_required_field_in_a_case(data: Path) -> None:
    replace(data / "cases" / "ammoniak-sensoren.yaml", "\nsource:", "\n# source:")
    assert problems_of(data) == [
        Problem("cases/ammoniak-sensoren.yaml", "line 1, source", "Field required")
    ]


def test_missing_required_field_in_a_list_item_names_its_line(data: Path) -> None:
    instruments = data / "instruments.yaml"
    text = instruments.read_text(encoding="utf-8")
    start = text.index("  - id: deda\n")
    end = text.index("\n  - id:", start + 1)
    block = text[start:end]
    match = re.search(r"\n    more_info: .*", block)
    assert match is not None
    instruments.write_text(text[:start] + block.replace(match.group(0), "") + text[end:])

    [problem] = problems_of(data)

    index = [m.group(1) for m in re.finditer(r"\n  - id: ([a-z-]+)", "\n" + text)].index("deda")
    assert problem.file == "instruments.yaml"
    assert problem.place == (
        f"line {line_no(instruments, '  - id: deda')}, instruments[{index}].more_info"
    )
    assert problem.reason == "Field required"


def test_unknown_key_is_reported_with_its_line(data: Path) -> None:
    values = data / "values.yaml"
    replace(values, "  - id: autonomie\n", "  - id: autonomie\n    colour: blue\n")

    [problem] = problems_of(data)

    assert problem.file == "values.yaml"
    assert re.fullmatch(r"line (\d+), values\[\d+\]\.colour", problem.place)
    assert problem.place.startswith(f"line {line_no(values, 'colour: blue')},")
    assert "Extra inputs are not permitted" in problem.reason


def test_upper_case_term_is_reported_with_its_line(data: Path) -> None:
    signals = data / "signals.yaml"
    replace(signals, "terms: [drone,", "terms: [Drone,")

    [problem] = problems_of(data)

    assert problem.file == "signals.yaml"
    assert problem.place == f"line {line_no(signals, 'terms: [Drone,')}, signals[0].terms"
    assert "lower case" in problem.reason and "'Drone'" in problem.reason


def test_rule_with_an_unknown_tag(data: Path) -> None:
    replace(data / "rules.yaml", "any: [maturity]", "any: [volwassen]")
    assert problems_of(data) == [
        Problem("rules.yaml", "demm-maturity", "no signal has the id or tag 'volwassen'")
    ]


def test_rule_with_an_unknown_instrument(data: Path) -> None:
    replace(data / "rules.yaml", "instrument: demm", "instrument: demmm")
    problems = problems_of(data)
    assert Problem("rules.yaml", "demm-maturity", "unknown instrument 'demmm'") in problems


@pytest.mark.parametrize("content", ["", "# nothing here yet\n", "\n\n"])
def test_empty_file(data: Path, content: str) -> None:
    (data / "rules.yaml").write_text(content)
    assert problems_of(data) == [Problem("rules.yaml", "", "the file is empty")]


def test_empty_case_file(data: Path) -> None:
    (data / "cases" / "ammoniak-sensoren.yaml").write_text("")
    assert problems_of(data) == [Problem("cases/ammoniak-sensoren.yaml", "", "the file is empty")]


def test_duplicate_contact_id(data: Path) -> None:
    replace(data / "contacts.yaml", "  - id: cdo\n", "  - id: cio\n")
    assert problems_of(data) == [Problem("contacts.yaml", "cio", "duplicate contact id")]


def test_duplicate_value_id(data: Path) -> None:
    replace(data / "values.yaml", "  - id: gezondheid\n", "  - id: veiligheid\n")
    problems = problems_of(data)
    assert Problem("values.yaml", "veiligheid", "duplicate value id") in problems
    assert Problem("values.yaml", "gezondheid", "required value is missing") in problems


def test_duplicate_case_id(data: Path) -> None:
    shutil.copy(data / "cases" / "ammoniak-sensoren.yaml", data / "cases" / "zz-kopie.yaml")
    problems = problems_of(data)
    assert any(p.reason == "duplicate case id" and "zz-kopie.yaml" in p.file for p in problems)


def test_several_problems_are_reported_together(data: Path) -> None:
    """One run shows everything that is wrong, not just the first problem."""
    replace(data / "rules.yaml", "any: [maturity]", "any: [volwassen]")
    replace(
        data / "cases" / "ammoniak-sensoren.yaml", "instrument: begeleidingsethiek", "instrument: x"
    )
    (data / "contacts.yaml").write_text("")
    files = {p.file for p in problems_of(data)}
    assert files == {"rules.yaml", "cases/ammoniak-sensoren.yaml", "contacts.yaml"}


def test_problem_reads_as_file_place_reason() -> None:
    assert str(Problem("values.yaml", "line 3", "oops")) == "values.yaml: line 3: oops"
    assert str(Problem("values.yaml", "", "the file is empty")) == "values.yaml: the file is empty"


# --- the local override ---------------------------------------------------------------------

LOCAL_CONTACTS = """\
contacts:
  - id: fg
    name: {nl: "FG van Provincie Voorbeeld", en: "DPO of the Example Province"}
    about: {nl: "Onze eigen FG.", en: "Our own DPO."}
    ask_when: {nl: "Bij persoonsgegevens.", en: "When personal data are involved."}
    email: "fg@provincie-voorbeeld.nl"
    person: "Anna de Vries"
  - id: lokale-helpdesk
    name: {nl: "Helpdesk informatiebeheer", en: "Information management help desk"}
    about: {nl: "Vragen over archief en data.", en: "Questions on records and data."}
    ask_when: {nl: "Bij twijfel over bewaren.", en: "When unsure about retention."}
"""


@pytest.fixture
def local(tmp_path: Path) -> Path:
    folder = tmp_path / "local"
    (folder / "cases").mkdir(parents=True)
    (folder / "contacts.yaml").write_text(LOCAL_CONTACTS, encoding="utf-8")
    shipped = (DATA_DIR / "cases" / "ammoniak-sensoren.yaml").read_text(encoding="utf-8")
    extra = shipped.replace("id: ammoniak-sensoren", "id: extra-case", 1).replace(
        "Ammoniakuitstoot real-time meten", "Eigen casus: geurmeting", 1
    )
    (folder / "cases" / "extra-case.yaml").write_text(extra, encoding="utf-8")
    return folder


def test_local_override_adds_a_case_and_overrides_a_contact(local: Path) -> None:
    shipped = load()
    k = load(local_dir=local)

    fg = k.contacts["fg"]
    assert fg.email == "fg@provincie-voorbeeld.nl"
    assert fg.person == "Anna de Vries"
    assert shipped.contacts["fg"].email is None  # the shipped role has no address
    assert "lokale-helpdesk" in k.contacts
    assert set(shipped.contacts) < set(k.contacts)  # nothing shipped got lost

    assert k.cases["extra-case"].title.nl.startswith("Eigen casus")
    assert set(k.cases) == set(shipped.cases) | {"extra-case"}
    assert local / "contacts.yaml" in k.sources
    assert local / "cases" / "extra-case.yaml" in k.sources


def test_local_case_replaces_a_shipped_case_by_id(local: Path) -> None:
    shipped = (DATA_DIR / "cases" / "ammoniak-sensoren.yaml").read_text(encoding="utf-8")
    (local / "cases" / "ammoniak-sensoren.yaml").write_text(
        shipped.replace("Ammoniakuitstoot real-time meten", "Lokale versie: ammoniak meten", 1)
    )
    k = load(local_dir=local)
    assert k.cases["ammoniak-sensoren"].title.nl.startswith("Lokale versie")


def test_nonexistent_local_folder_is_a_problem(tmp_path: Path) -> None:
    missing = tmp_path / "nergens"
    [problem] = problems_of(DATA_DIR, missing)
    assert problem.file == str(missing)
    assert "does not exist" in problem.reason


def test_broken_local_contacts_names_the_local_file(local: Path) -> None:
    replace(local / "contacts.yaml", '"fg@provincie-voorbeeld.nl"', '"fg bij provincie"')
    [problem] = problems_of(DATA_DIR, local)
    # The shipped folder also has a contacts.yaml: the report must say which one is broken.
    # (Fixed in knowledge/loader.py: a local file used to be reported as plain "contacts.yaml".)
    assert Path(problem.file) == local / "contacts.yaml"
    assert problem.place == f"line {line_no(local / 'contacts.yaml', 'fg bij')}, contacts[0].email"
    assert "not an e-mail address" in problem.reason


def test_broken_local_case_names_the_local_file(local: Path) -> None:
    (local / "cases" / "extra-case.yaml").write_text("id: extra-case\ntitle: [\n")
    [problem] = problems_of(DATA_DIR, local)
    assert Path(problem.file) == local / "cases" / "extra-case.yaml"
    assert problem.reason.startswith("not valid YAML")
