"""Re-checking a project: what changed between an earlier outcome and a new one.

At a checkpoint a project team checks its project again. :func:`recheck_state` prepares the
conversation for that: the earlier description with what changed appended, and the earlier
answers filled in, linked to the earlier outcome (``previous_outcome_id``). When the new walk is
done, :func:`compare_outcomes` names each difference in words and :func:`render_changes` turns
them into a message.

Everything here is pure: no I/O, no clock of its own, no channel.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from dialogs.markdown import escape
from dialogs.models import (
    MAX_INPUT_CHARS,
    ConversationState,
    Outcome,
    QuestionAnswer,
    ValueAnswer,
)
from dialogs.outcome import question_texts
from dialogs.texts import t
from knowledge.loader import Knowledge
from knowledge.quickscan import DPIA_LABELS
from knowledge.schema import Lang, Text
from knowledge.text import clean

# The kinds of change, in the order compare_outcomes lists them.
KINDS = (
    "risk",
    "verdict",
    "dpia-criterion",
    "signal",
    "ai-act",
    "instrument",
    "value",
    "answer",
    "value-answer",
)

_DPIA_LABELS: dict[str, Text] = {str(k): v for k, v in DPIA_LABELS.items()}  # EDPB order

# Signals named on their own; the AI Act signals are named through the AI Act level instead.
_SIGNALS = ("dpia", "personal-data", "iama", "kia", "outside-eea")

# Only this module says these; shared wording (risk, verdicts, answers) lives in dialogs.texts.
_T: dict[str, tuple[str, str]] = {
    "heading": ("Wat er veranderd is sinds de vorige toets", "What changed since the last check"),
    "nothing": (
        "Niets veranderd: risico, oordelen, signalen, instrument, waarden en antwoorden zijn "
        "gelijk gebleven.",
        "Nothing changed: risk, verdicts, signals, instrument, values and answers are the same.",
    ),
    "added": ("nieuw: {what}", "new: {what}"),
    "removed": ("vervallen: {what}", "no longer: {what}"),
    "from_to": ("{what}: {before} → {after}", "{what}: {before} → {after}"),
    "risk": ("risico {before} → {after}", "risk {before} → {after}"),
    "dpia_criterion": ("DPIA-criterium {label}", "DPIA criterion {label}"),
    "ai_act": ("AI-verordening", "AI Act"),
    "instrument": ("instrument", "instrument"),
    "none": ("geen", "none"),
    "value_added": ("nieuw op het spel: {name}", "newly at stake: {name}"),
    "value_removed": ("niet meer op het spel: {name}", "no longer at stake: {name}"),
    "question": ("Vraag “{ask}”: {before} → {after}", "Question “{ask}”: {before} → {after}"),
    "value_answer": ("Waarde {name}", "Value {name}"),
    "not_answered": ("niet beantwoord", "not answered"),
    "signal_dpia": (
        "DPIA waarschijnlijk nodig (twee of meer criteria)",
        "DPIA likely required (two or more criteria)",
    ),
    "signal_personal-data": ("signaal persoonsgegevens", "signal personal data"),
    "signal_iama": (
        "signaal IAMA (een algoritme dat mensen raakt)",
        "signal IAMA (an algorithm affecting people)",
    ),
    "signal_kia": ("signaal KIA (het raakt kinderen)", "signal KIA (it affects children)"),
    "signal_outside-eea": ("signaal gegevens buiten de EER", "signal data outside the EEA"),
    "what_changed": ("Wat er veranderd is: {text}", "What changed: {text}"),
}


def _t(key: str, lang: Lang, **kwargs: object) -> str:
    nl, en = _T[key]
    text = nl if lang == "nl" else en
    return text.format(**kwargs) if kwargs else text


class Change(BaseModel):
    """One difference between an earlier outcome and a new one.

    ``kind`` is one of :data:`KINDS`; ``key`` what changed within it (``risk``, a step id, a
    DPIA criterion, a signal id, ``ai-act``, ``instrument``, a value id, a question id);
    ``before`` and ``after`` the machine values (a risk level, verdict, AI Act level, instrument
    id, answer code or, for an open question, the typed answer), ``None`` where there was none;
    ``text`` the difference in words, plain text (may hold user text: escape it for Markdown).
    """

    model_config = ConfigDict(frozen=True)

    kind: str
    key: str
    before: str | None
    after: str | None
    text: str


def compare_outcomes(old: Outcome, new: Outcome, knowledge: Knowledge, lang: Lang) -> list[Change]:
    """Each difference from ``old`` to ``new`` in words in ``lang``; empty when nothing changed.

    Order (:data:`KINDS`): risk, the verdict per step, signals (DPIA criteria; DPIA likely,
    personal data, IAMA, KIA, outside the EEA; the AI Act level), instrument, values at stake,
    then answers that changed (drietrap questions, then the value checklist).
    """
    changes: list[Change] = []
    changes += _risk(old, new, lang)
    changes += _verdicts(old, new, knowledge, lang)
    changes += _signals(old, new, lang)
    changes += _instrument(old, new, knowledge, lang)
    changes += _values(old, new, knowledge, lang)
    changes += _answers(old, new, knowledge, lang)
    return changes


def render_changes(changes: list[Change], lang: Lang) -> str:
    """The changes as a message: a bold heading and one bullet per change (text escaped)."""
    lines = [f"**{_t('heading', lang)}**", ""]
    lines += [f"- {escape(c.text)}" for c in changes] or [f"- {_t('nothing', lang)}"]
    return "\n".join(lines)


def recheck_state(old: Outcome, what_changed: str, lang: Lang, now: datetime) -> ConversationState:
    """A conversation that checks ``old``'s project again: ready for :meth:`Engine.resume`.

    It waits at the quick take of the earlier description with what changed appended, so the
    team sees the new first impression and can walk the drietrap again. The earlier answers and
    value answers are filled in (the walk offers to keep each one); answers the earlier
    description gave are left out, as the walk derives them again from the new one. The state
    is linked to ``old`` by ``previous_outcome_id``; its outcome will be too. ``what_changed``
    is user text: cleaned like any message and cut at half of
    :data:`~dialogs.models.MAX_INPUT_CHARS`; the whole description stays within that limit by
    shortening the earlier part, so what changed is always there.
    """
    change = clean(what_changed, MAX_INPUT_CHARS // 2).text
    description = old.description
    if change:
        tail = "\n\n" + _t("what_changed", lang, text=change)
        room = max(0, MAX_INPUT_CHARS - len(tail))
        description = (old.description[:room].rstrip() + tail).strip()
    # Buttons of the earlier conversation must not work in this one.
    nonce = hashlib.sha256(f"recheck|{old.id}|{now.isoformat()}".encode()).hexdigest()[:6]
    return ConversationState(
        lang=lang,
        step="quick" if description.strip() else "describe",
        description=description or None,
        answers={qid: a for qid, a in old.answers.items() if not a.derived},
        value_answers=dict(old.value_answers),
        nonce=nonce,
        id_seed=secrets.token_hex(12),
        started_at=now,
        previous_outcome_id=old.id,
    )


# -- the parts -----------------------------------------------------------------------------------


def _risk(old: Outcome, new: Outcome, lang: Lang) -> list[Change]:
    if old.risk == new.risk:
        return []
    text = _t("risk", lang, before=_risk_word(old.risk, lang), after=_risk_word(new.risk, lang))
    return [Change(kind="risk", key="risk", before=old.risk, after=new.risk, text=text)]


def _risk_word(level: str, lang: Lang) -> str:
    return t("risk_" + level, lang) if level in ("laag", "midden", "hoog") else level


def _verdicts(old: Outcome, new: Outcome, k: Knowledge, lang: Lang) -> list[Change]:
    before = {v.step: v.verdict for v in old.verdicts}
    after = {v.step: v.verdict for v in new.verdicts}
    out: list[Change] = []
    for step in k.drietrap.steps:
        b, a = before.get(step.id, "onbekend"), after.get(step.id, "onbekend")
        if b == a:
            continue
        text = _t(
            "from_to",
            lang,
            what=step.title.get(lang),
            before=t(f"verdict_{b}", lang),
            after=t(f"verdict_{a}", lang),
        )
        out.append(Change(kind="verdict", key=step.id, before=b, after=a, text=text))
    return out


def _signals(old: Outcome, new: Outcome, lang: Lang) -> list[Change]:
    out: list[Change] = []
    old_dpia, new_dpia = _dpia_criteria(old), _dpia_criteria(new)
    for key in _ordered(_DPIA_LABELS, old_dpia.keys() | new_dpia.keys()):
        label = _DPIA_LABELS[key].get(lang) if key in _DPIA_LABELS else new_dpia.get(key)
        what = _t("dpia_criterion", lang, label=label or old_dpia.get(key, key))
        out += _appeared("dpia-criterion", key, key in old_dpia, key in new_dpia, what, lang)
    old_sig, new_sig = set(old.signal_ids()), set(new.signal_ids())
    for sid in _SIGNALS:
        out += _appeared("signal", sid, sid in old_sig, sid in new_sig, _sig(sid, lang), lang)
    b, a = _ai_level(old), _ai_level(new)
    if b != a:
        what = _t("ai_act", lang)
        text = _t("from_to", lang, what=what, before=_ai_word(b, lang), after=_ai_word(a, lang))
        out.append(Change(kind="ai-act", key="ai-act", before=b, after=a, text=text))
    return out


def _sig(sid: str, lang: Lang) -> str:
    return _t(f"signal_{sid}", lang)


def _dpia_criteria(o: Outcome) -> dict[str, str]:
    """The DPIA criteria of an outcome, by id, with their label in the outcome's language."""
    criteria = ((o.mag_het.get("dpia") or {}).get("criteria")) or []
    return {str(c.get("id")): str(c.get("label") or c.get("id")) for c in criteria}


def _ai_level(o: Outcome) -> str:
    return str((o.mag_het.get("ai_act") or {}).get("level") or "none")


def _ai_word(level: str, lang: Lang) -> str:
    known = ("prohibited", "high-risk", "transparency", "ai", "none")
    return t("ai_level_" + level, lang) if level in known else level


def _appeared(
    kind: str, key: str, before: bool, after: bool, what: str, lang: Lang
) -> list[Change]:
    """A "new: …" or "no longer: …" change, or none when present in both or neither."""
    if before == after:
        return []
    if after:
        text = _t("added", lang, what=what)
        return [Change(kind=kind, key=key, before=None, after=key, text=text)]
    text = _t("removed", lang, what=what)
    return [Change(kind=kind, key=key, before=key, after=None, text=text)]


def _instrument(old: Outcome, new: Outcome, k: Knowledge, lang: Lang) -> list[Change]:
    b, a = old.instrument_id, new.instrument_id
    if b == a:
        return []
    text = _t(
        "from_to",
        lang,
        what=_t("instrument", lang),
        before=_instrument_name(old, k, lang),
        after=_instrument_name(new, k, lang),
    )
    return [Change(kind="instrument", key="instrument", before=b, after=a, text=text)]


def _instrument_name(o: Outcome, k: Knowledge, lang: Lang) -> str:
    iid = o.instrument_id
    if iid is None:
        return _t("none", lang)
    if iid in k.instruments:
        return k.instruments[iid].name.get(lang)
    return str(o.instruments[0].get("name") or iid)  # an instrument no longer in the knowledge


def _value_name(vid: str, k: Knowledge, lang: Lang) -> str:
    return k.values[vid].name.get(lang) if vid in k.values else vid


def _values(old: Outcome, new: Outcome, k: Knowledge, lang: Lang) -> list[Change]:
    out: list[Change] = []
    for vid in new.values:
        if vid not in old.values:
            text = _t("value_added", lang, name=_value_name(vid, k, lang))
            out.append(Change(kind="value", key=vid, before=None, after=vid, text=text))
    for vid in old.values:
        if vid not in new.values:
            text = _t("value_removed", lang, name=_value_name(vid, k, lang))
            out.append(Change(kind="value", key=vid, before=vid, after=None, text=text))
    return out


def _answers(old: Outcome, new: Outcome, k: Knowledge, lang: Lang) -> list[Change]:
    out: list[Change] = []
    questions = question_texts(k, lang)
    for qid in _ordered(questions, old.answers.keys() | new.answers.keys()):
        b, a = _code(old.answers.get(qid)), _code(new.answers.get(qid))
        if b == a:
            continue
        ask = questions.get(qid, qid)
        text = _t(
            "question",
            lang,
            ask=ask,
            before=_answer_word(old.answers.get(qid), lang),
            after=_answer_word(new.answers.get(qid), lang),
        )
        out.append(Change(kind="answer", key=qid, before=b, after=a, text=text))
    for vid in _ordered(k.values, old.value_answers.keys() | new.value_answers.keys()):
        b, a = _code(old.value_answers.get(vid)), _code(new.value_answers.get(vid))
        if b == a:
            continue
        text = _t(
            "from_to",
            lang,
            what=_t("value_answer", lang, name=_value_name(vid, k, lang)),
            before=_answer_word(old.value_answers.get(vid), lang),
            after=_answer_word(new.value_answers.get(vid), lang),
        )
        out.append(Change(kind="value-answer", key=vid, before=b, after=a, text=text))
    return out


def _ordered(known: Iterable[str], ids: Iterable[str]) -> list[str]:
    """``ids`` in the knowledge's order, then any the knowledge no longer has, sorted."""
    wanted = set(ids)
    first = [i for i in known if i in wanted]
    return first + sorted(wanted.difference(first))


def _code(a: QuestionAnswer | ValueAnswer | None) -> str | None:
    """What counts when comparing: the answer, and for an open question what was typed."""
    if a is None:
        return None
    return a.note if a.answer == "open" else a.answer


def _answer_word(a: QuestionAnswer | ValueAnswer | None, lang: Lang) -> str:
    if a is None:
        return _t("not_answered", lang)
    if a.answer == "open":
        return f"“{a.note}”" if a.note else t("answer_open", lang)
    return t("answer_" + a.answer, lang)
