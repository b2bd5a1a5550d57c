"""The workspace's editors for a case draft and for the organisation's contacts, as HTML.

:func:`render_case_form` turns a draft (the shape of ``cases/*.yaml``, see
:func:`knowledge.promote.draft_case`) into an accessible form fragment; :func:`parse_case_form`
turns the posted form back into that shape. Every value is HTML-escaped; there are no inline
scripts or styles, so the page keeps a strict Content-Security-Policy. Lists are one item per
line; a bilingual list (lessons, decisions) is two textareas whose lines pair up by position.

Posted fields: ``csrf``, ``intent`` (``check`` or ``publish``, from the two buttons), and the
draft's fields (``id``, ``title-nl``, ``title-en``, ..., ``values_for-0-value``,
``values_for-0-nl``, ``values_for-0-en``, ...).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape
from itertools import zip_longest
from typing import Any

from knowledge.schema import Lang

_LANGS: tuple[Lang, ...] = ("nl", "en")
_TEXT_FIELDS = ("title", "question", "summary", "approach")
_LINE_FIELDS = ("technologies", "data", "stakeholders", "signals")
_TEXT_LIST_FIELDS = ("lessons", "decisions")
_JUDGEMENT_FIELDS = ("values_for", "values_against")
_SCALAR_FIELDS = ("id", "organisation", "year", "instrument", "source")
_EMPTY_ROWS = 2  # room to add values without scripts; saving shows two new empty rows again

_L: dict[str, tuple[str, str]] = {
    "problems": ("De casus kan zo niet worden gepubliceerd:", "The case cannot be published:"),
    "contacts_problems": (
        "De contactpersonen kunnen zo niet worden opgeslagen:",
        "The contacts cannot be saved:",
    ),
    "required": ("verplicht", "required"),
    "lang-nl": ("Nederlands", "Dutch"),
    "lang-en": ("Engels", "English"),
    "one_per_line": ("Eén per regel.", "One per line."),
    "pair_lines": (
        "Eén per regel; regel 1 in het Nederlands hoort bij regel 1 in het Engels.",
        "One per line; line 1 in Dutch goes with line 1 in English.",
    ),
    "sec-case": ("Casus", "Case"),
    "sec-question": ("Vraag en samenvatting", "Question and summary"),
    "sec-what": ("Techniek, data en betrokkenen", "Technology, data and stakeholders"),
    "sec-values_for": ("Waarden: wenselijk omdat", "Values: desirable because"),
    "sec-values_against": ("Waarden: onwenselijk omdat", "Values: undesirable because"),
    "sec-approach": ("Aanpak", "Approach"),
    "sec-lessons": ("Lessen en besluiten", "Lessons and decisions"),
    "sec-source": ("Bron", "Source"),
    "id": ("Kenmerk van de casus", "Case id"),
    "id-hint": (
        "Kleine letters, cijfers en streepjes, bijvoorbeeld vulgraadsensoren-afval. Wordt de "
        "bestandsnaam.",
        "Lower-case letters, digits and hyphens, for example fill-level-sensors. Becomes the "
        "file name.",
    ),
    "title": ("Titel", "Title"),
    "organisation": ("Organisatie", "Organisation"),
    "year": ("Jaar", "Year"),
    "year-hint": ("Bijvoorbeeld 2026 of 2024-heden; leeg als onbekend.", "E.g. 2026 or 2024-now."),
    "question": ("Vraag", "Question"),
    "summary": ("Samenvatting", "Summary"),
    "technologies": ("Technologieën", "Technologies"),
    "data": ("Data", "Data"),
    "stakeholders": ("Betrokkenen", "Stakeholders"),
    "signals": ("Signalen (kenmerken)", "Signals (ids)"),
    "signals-hint": (
        "Eén per regel. Later gestelde vragen met deze signalen vinden deze casus eerder.",
        "One per line. Later questions with these signals find this case sooner.",
    ),
    "value": ("Waarde", "Value"),
    "value-id": ("Waarde (kenmerk, bijvoorbeeld privacy)", "Value (id, for example privacy)"),
    "because": ("Omdat", "Because"),
    "instrument": ("Ingezet instrument (kenmerk)", "Instrument used (id)"),
    "instrument-hint": ("Bijvoorbeeld iama of moreel-beraad; leeg als geen.", "E.g. iama."),
    "approach": ("Aanpak", "Approach"),
    "lessons": ("Lessen", "Lessons"),
    "decisions": ("Besluiten", "Decisions"),
    "source": ("Bron", "Source"),
    "provenance": (
        "Gepromoveerd uit triage {outcome_id} door {by} op {at}.",
        "Promoted from triage {outcome_id} by {by} on {at}.",
    ),
    "check": ("Controleren", "Check"),
    "publish": ("Publiceren", "Publish"),
    "contacts": ("Contactpersonen (contacts.yaml)", "Contacts (contacts.yaml)"),
    "contacts-hint": (
        "In YAML, zoals het ingebouwde contacts.yaml. Een contact met het kenmerk van een "
        "ingebouwd contact vervangt dat.",
        "In YAML, like the built-in contacts.yaml. A contact with the id of a built-in one "
        "replaces it.",
    ),
    "save": ("Opslaan", "Save"),
}


def _t(key: str, lang: Lang) -> str:
    nl, en = _L[key]
    return nl if lang == "nl" else en


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


# --- which field a problem is about --------------------------------------------------------

_LINE_PREFIX = re.compile(r"^line \d+(, column \d+)?(, )?")


def _place_of(problem: str) -> str:
    """The place in a problem ``file: place: reason`` (without the line number)."""
    parts = problem.split(": ", 2)
    place = parts[1] if len(parts) == 3 else ""
    return _LINE_PREFIX.sub("", place)


def _controls_of(place: str) -> list[str]:
    """The names of the form controls a problem's place points to (none: the form as a whole)."""
    tokens = re.findall(r"[A-Za-z_]+|\[\d+\]", place)
    if not tokens:
        return []
    key, rest = tokens[0], tokens[1:]
    langs = [t for t in rest if t in _LANGS] or list(_LANGS)
    if key in _TEXT_FIELDS or key in _TEXT_LIST_FIELDS:
        return [f"{key}-{lang}" for lang in langs]
    if key in _LINE_FIELDS or key in _SCALAR_FIELDS:
        return [key]
    if key in _JUDGEMENT_FIELDS and rest and rest[0].startswith("["):
        row = f"{key}-{rest[0][1:-1]}"
        if "value" in rest:
            return [f"{row}-value"]
        return [f"{row}-{lang}" for lang in langs]
    return []


def _problem_ids(problems: Sequence[str], prefix: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for i, problem in enumerate(problems):
        for control in _controls_of(_place_of(problem)):
            out.setdefault(control, []).append(f"{prefix}-problem-{i}")
    return out


def _problems_block(problems: Sequence[str], prefix: str, heading: str) -> str:
    if not problems:
        return ""
    items = "".join(f'<li id="{prefix}-problem-{i}">{_e(p)}</li>' for i, p in enumerate(problems))
    return (
        f'<div class="problems" id="{prefix}-problems" role="alert">'
        f"<p>{_e(heading)}</p><ul>{items}</ul></div>"
    )


# --- controls ------------------------------------------------------------------------------


class _Form:
    """Builds labelled controls, linking each to its hint and to the problems about it."""

    def __init__(self, lang: Lang, problem_ids: Mapping[str, list[str]]) -> None:
        self.lang = lang
        self.problem_ids = problem_ids

    def _aria(self, name: str, hint_id: str | None) -> str:
        described = [*([hint_id] if hint_id else []), *self.problem_ids.get(name, [])]
        out = f' aria-describedby="{" ".join(described)}"' if described else ""
        if name in self.problem_ids:
            out += ' aria-invalid="true"'
        return out

    def control(
        self,
        name: str,
        label: str,
        value: str,
        *,
        multiline: bool = False,
        hint: str | None = None,
        required: bool = False,
        text_lang: Lang | None = None,
        rows: int = 3,
    ) -> str:
        cid = f"case-{name}"
        hint_id = f"{cid}-hint" if hint else None
        if required:  # "Titel (Nederlands, verplicht)", "Bron (verplicht)"
            word = _t("required", self.lang)
            label = f"{label[:-1]}, {word})" if label.endswith(")") else f"{label} ({word})"
        attrs = self._aria(name, hint_id)
        if required:
            attrs += ' aria-required="true"'
        if text_lang:
            attrs += f' lang="{text_lang}"'
        out = f'<div class="field"><label for="{cid}">{_e(label)}</label>'
        if hint:
            out += f'<p class="hint" id="{hint_id}">{_e(hint)}</p>'
        if multiline:
            # The newline after the tag is dropped by HTML parsers, so a value that starts
            # with a newline keeps it.
            out += (
                f'<textarea id="{cid}" name="{_e(name)}" rows="{rows}"{attrs}>\n'
                f"{_e(value)}</textarea>"
            )
        else:
            out += f'<input type="text" id="{cid}" name="{_e(name)}" value="{_e(value)}"{attrs}>'
        return out + "</div>"

    def bilingual(
        self, name: str, texts: Any, *, multiline: bool, required: bool, rows: int = 3
    ) -> str:
        texts = texts if isinstance(texts, Mapping) else {}
        return "".join(
            self.control(
                f"{name}-{lang}",
                f"{_t(name, self.lang)} ({_t(f'lang-{lang}', self.lang)})",
                str(texts.get(lang) or ""),
                multiline=multiline,
                required=required,
                text_lang=lang,
                rows=rows,
            )
            for lang in _LANGS
        )


def _lines(items: Any) -> str:
    return "\n".join(str(x) for x in items) if isinstance(items, list) else ""


def _text_lines(items: Any, lang: Lang) -> str:
    if not isinstance(items, list):
        return ""
    return "\n".join(str(x.get(lang) or "") if isinstance(x, Mapping) else "" for x in items)


def _fieldset(legend: str, body: str) -> str:
    return f"<fieldset><legend>{_e(legend)}</legend>{body}</fieldset>"


def _judgement_rows(form: _Form, column: str, judgements: Any) -> str:
    rows = [j for j in judgements if isinstance(j, Mapping)] if isinstance(judgements, list) else []
    lang = form.lang
    out = []
    for i, j in enumerate([*rows, *([{}] * _EMPTY_ROWS)]):
        raw = j.get("because")
        because: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        body = form.control(f"{column}-{i}-value", _t("value-id", lang), str(j.get("value") or ""))
        for text_lang in _LANGS:
            body += form.control(
                f"{column}-{i}-{text_lang}",
                f"{_t('because', lang)} ({_t(f'lang-{text_lang}', lang)})",
                str(because.get(text_lang) or ""),
                multiline=True,
                text_lang=text_lang,
                rows=2,
            )
        out.append(_fieldset(f"{_t('value', lang)} {i + 1}", body))
    return "".join(out)


def render_case_form(
    draft: Mapping[str, Any],
    problems: Sequence[str],
    csrf: str,
    action: str,
    lang: Lang,
    *,
    submit: str | None = None,
) -> str:
    """The case editor as an HTML fragment (a ``<form>``), in the workspace language ``lang``;
    ``submit`` names its last button (default: publish).

    ``problems`` (from :func:`knowledge.promote.validate_case` or a refused publication) are
    listed in a ``role="alert"`` block; each field they name is marked ``aria-invalid`` and
    described by them.
    """
    form = _Form(lang, _problem_ids(problems, "case"))
    line_hint = _t("one_per_line", lang)
    pair_hint = _t("pair_lines", lang)

    parts = [
        _fieldset(
            _t("sec-case", lang),
            form.control(
                "id",
                _t("id", lang),
                str(draft.get("id") or ""),
                hint=_t("id-hint", lang),
                required=True,
            )
            + form.bilingual("title", draft.get("title"), multiline=False, required=True)
            + form.control(
                "organisation", _t("organisation", lang), str(draft.get("organisation") or "")
            )
            + form.control(
                "year", _t("year", lang), str(draft.get("year") or ""), hint=_t("year-hint", lang)
            ),
        ),
        _fieldset(
            _t("sec-question", lang),
            form.bilingual("question", draft.get("question"), multiline=True, required=True)
            + form.bilingual(
                "summary", draft.get("summary"), multiline=True, required=True, rows=6
            ),
        ),
        _fieldset(
            _t("sec-what", lang),
            "".join(
                form.control(
                    name,
                    _t(name, lang),
                    _lines(draft.get(name)),
                    multiline=True,
                    hint=_t("signals-hint", lang) if name == "signals" else line_hint,
                    rows=4,
                )
                for name in _LINE_FIELDS
            ),
        ),
        *(
            _fieldset(_t(f"sec-{col}", lang), _judgement_rows(form, col, draft.get(col)))
            for col in _JUDGEMENT_FIELDS
        ),
        _fieldset(
            _t("sec-approach", lang),
            form.control(
                "instrument",
                _t("instrument", lang),
                str(draft.get("instrument") or ""),
                hint=_t("instrument-hint", lang),
            )
            + form.bilingual("approach", draft.get("approach"), multiline=True, required=True),
        ),
        _fieldset(
            _t("sec-lessons", lang),
            "".join(
                form.control(
                    f"{name}-{text_lang}",
                    f"{_t(name, lang)} ({_t(f'lang-{text_lang}', lang)})",
                    _text_lines(draft.get(name), text_lang),
                    multiline=True,
                    hint=pair_hint,
                    required=name == "lessons",
                    text_lang=text_lang,
                    rows=5,
                )
                for name in _TEXT_LIST_FIELDS
                for text_lang in _LANGS
            ),
        ),
        _fieldset(
            _t("sec-source", lang),
            form.control(
                "source", _t("source", lang), str(draft.get("source") or ""), required=True
            ),
        ),
    ]
    provenance = draft.get("provenance")
    if isinstance(provenance, Mapping):
        fields = {k: provenance.get(k, "") for k in ("outcome_id", "by", "at")}
        parts.append(f'<p class="provenance">{_e(_t("provenance", lang).format(**fields))}</p>')
    described = ' aria-describedby="case-problems"' if problems else ""
    return (
        f'<form class="case-form" method="post" action="{_e(action)}" novalidate{described}>'
        f'<input type="hidden" name="csrf" value="{_e(csrf)}">'
        f"{_problems_block(problems, 'case', _t('problems', lang))}"
        f"{''.join(parts)}"
        f'<div class="actions">'
        f'<button type="submit" name="intent" value="check">{_e(_t("check", lang))}</button>'
        f'<button type="submit" name="intent" value="publish">'
        f"{_e(submit or _t('publish', lang))}</button>"
        f"</div></form>"
    )


# --- parsing the posted form ---------------------------------------------------------------


def _field(form: Mapping[str, str], name: str) -> str:
    # Browsers post textarea line breaks as CRLF.
    return str(form.get(name) or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _split_lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _judgements(form: Mapping[str, str], column: str) -> list[dict[str, Any]]:
    pattern = re.compile(rf"^{column}-(\d+)-(value|nl|en)$")
    indices = sorted({int(m.group(1)) for k in form if (m := pattern.match(k))})
    out: list[dict[str, Any]] = []
    for i in indices:
        value = _field(form, f"{column}-{i}-value")
        because = {lang: _field(form, f"{column}-{i}-{lang}") for lang in _LANGS}
        if value or any(because.values()):
            out.append({"value": value, "because": because})
    return out


def _pairs(form: Mapping[str, str], name: str) -> list[dict[str, str]]:
    # Blank lines are dropped on both sides, so a stray one does not shift the pairs.
    nl = _split_lines(_field(form, f"{name}-nl"))
    en = _split_lines(_field(form, f"{name}-en"))
    return [{"nl": a, "en": b} for a, b in zip_longest(nl, en, fillvalue="") if a or b]


def parse_case_form(form: Mapping[str, str]) -> dict[str, Any]:
    """The posted case editor back in the shape of ``cases/*.yaml`` (a draft to validate).

    Empty rows and lines are dropped; an empty year or instrument is ``None``. Nothing is
    checked here: :func:`knowledge.promote.validate_case` says what is wrong.
    """
    draft: dict[str, Any] = {"id": _field(form, "id")}
    for name in _TEXT_FIELDS:
        draft[name] = {lang: _field(form, f"{name}-{lang}") for lang in _LANGS}
    draft["organisation"] = _field(form, "organisation")
    draft["year"] = _field(form, "year") or None
    for name in _LINE_FIELDS:
        draft[name] = _split_lines(_field(form, name))
    for column in _JUDGEMENT_FIELDS:
        draft[column] = _judgements(form, column)
    draft["instrument"] = _field(form, "instrument") or None
    for name in _TEXT_LIST_FIELDS:
        draft[name] = _pairs(form, name)
    draft["source"] = _field(form, "source")
    return draft


# --- contacts ------------------------------------------------------------------------------


def render_contacts_form(
    text: str, problems: Sequence[str], csrf: str, action: str, lang: Lang
) -> str:
    """The contacts editor: the organisation's ``contacts.yaml`` in one labelled textarea."""
    invalid = ' aria-invalid="true"' if problems else ""
    described = "contacts-yaml-hint" + (" contacts-problems" if problems else "")
    return (
        f'<form class="contacts-form" method="post" action="{_e(action)}" novalidate>'
        f'<input type="hidden" name="csrf" value="{_e(csrf)}">'
        f"{_problems_block(problems, 'contacts', _t('contacts_problems', lang))}"
        f'<div class="field"><label for="contacts-yaml">{_e(_t("contacts", lang))}</label>'
        f'<p class="hint" id="contacts-yaml-hint">{_e(_t("contacts-hint", lang))}</p>'
        f'<textarea id="contacts-yaml" name="contacts" rows="30" spellcheck="false" '
        f'aria-describedby="{described}"{invalid}>\n{_e(text)}</textarea></div>'
        f'<div class="actions"><button type="submit">{_e(_t("save", lang))}</button></div>'
        f"</form>"
    )


def parse_contacts_form(form: Mapping[str, str]) -> str:
    """The posted contacts text, with the browser's CRLF line breaks made LF."""
    text = str(form.get("contacts") or "").replace("\r\n", "\n").replace("\r", "\n")
    return text.strip("\n") + "\n" if text.strip() else ""
