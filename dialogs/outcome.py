"""From a conversation to an outcome: verdicts per step, the two columns, next steps."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from dialogs.models import (
    ConversationState,
    Outcome,
    QuestionAnswer,
    StepVerdict,
    ValueLine,
    Verdict,
)
from dialogs.texts import mid_sentence, t
from knowledge.loader import Knowledge
from knowledge.quickscan import ANSWERED, DPIA_LABELS, Finding, MagHet, cite, quick_scan
from knowledge.schema import Lang, StepId, SubQuestion
from knowledge.triage import Advisor, Triage

# The fact a "ja" to a drietrap question with these ``answered_by`` keys stands for (the other
# keys are DPIA criteria: ``crit-<criterion>``).
_ANSWER_FACT = {
    "personal-data": "identifies",
    "children": "minors",
    "outside-eea": "non-eea-storage",
}

# Answers to the quick scan's own questions (law.yaml) and to the organisation route
# (organisation.yaml) are kept under these prefixes, beside the drietrap questions' ids.
LAW_ANSWER = "law:"
ORG_ANSWER = "org:"
# Without the route, the outcome of an organisation question gives the advice of this many
# themes.
_ORG_ADVICE = 3


def questions_by_id(k: Knowledge) -> dict[str, tuple[StepId, SubQuestion]]:
    """Every drietrap question by id, with the id of its step."""
    return {q.id: (s.id, q) for s in k.drietrap.steps for q in s.questions}


def question_texts(k: Knowledge, lang: Lang) -> dict[str, str]:
    """The text of every question an answer can belong to, by the key the answer is kept
    under: the drietrap's questions and the quick scan's (``law:<rule>``)."""
    texts = {q.id: q.ask.get(lang) for s in k.drietrap.steps for q in s.questions}
    texts.update({LAW_ANSWER + r.id: r.ask.get(lang) for r in k.law.rules if r.ask is not None})
    if k.organisation is not None:
        texts.update({ORG_ANSWER + th.id: th.check.get(lang) for th in k.organisation.themes})
    return texts


def _organisation(tr: Triage, state: ConversationState, lang: Lang) -> list[dict[str, Any]]:
    """The organisation themes for the outcome: those the route asked, with the answer, or
    (only the advice asked) the most relevant few."""
    asked = [q[2:] for q in state.queue if q.startswith("o:")]
    themes = [th for th in tr.organisation if th.id in asked] or tr.organisation[:_ORG_ADVICE]
    out: list[dict[str, Any]] = []
    for th in themes:
        a = state.answers.get(ORG_ANSWER + th.id)
        out.append(
            {
                "id": th.id,
                "title": th.title.get(lang),
                "check": th.check.get(lang),
                "answer": a.answer if a is not None else None,
                "advice": [x.get(lang) for x in th.advice],
                "source": th.source,
            }
        )
    return out


def law_answers(state: ConversationState) -> dict[str, bool]:
    """The user's ja / nee to the quick scan's questions, by rule id."""
    return {
        key.removeprefix(LAW_ANSWER): a.answer == "ja"
        for key, a in state.answers.items()
        if key.startswith(LAW_ANSWER) and a.answer in ("ja", "nee")
    }


def scan_with_answers(tr: Triage, state: ConversationState, k: Knowledge) -> MagHet:
    """The quick scan of the description, run again with the answers to its own questions and
    completed with the user's "ja" to the drietrap's Mag-het questions.

    Returns a new scan: the triage's own (possibly cached and shared) is left untouched.
    """
    qs = questions_by_id(k)
    # A "ja" to a drietrap question is a fact the law can build on ("personal data: ja" plus
    # the drone the description named gives the DPIA criteria).
    facts: set[str] = set()
    for qid, ans in state.answers.items():
        if ans.answer == "ja" and not ans.derived and qid in qs:
            q = qs[qid][1]
            facts.update(_ANSWER_FACT.get(key, "crit-" + key) for key in q.answered_by)
            if q.adds:
                facts.add("crit-" + q.adds)
    scan = quick_scan(tr.signals, k.law, law_answers(state), facts)
    have = {f.key for f in scan.dpia}
    for qid, ans in state.answers.items():
        if ans.answer != "ja" or ans.derived or qid not in qs:
            continue
        q = qs[qid][1]
        answered = t("your_answer", state.lang)
        if q.adds and q.adds not in have:
            scan.dpia.append(Finding(q.adds, DPIA_LABELS[q.adds], [answered]))
            have.add(q.adds)
        if "personal-data" in q.answered_by and not scan.personal_data:
            scan.personal_data = [answered]
        if "children" in q.answered_by and not scan.children:
            scan.children = [answered]
        if "outside-eea" in q.answered_by and not scan.outside_eea:
            scan.outside_eea = [answered]
    return scan


def _contradicted(scan: MagHet, state: ConversationState, k: Knowledge, lang: Lang) -> list[str]:
    """Where the user answered "klopt niet" to what the description itself raised (children,
    a transfer outside the EEA, ...): the signal stays, and the outcome says so and why,
    rather than ignoring the answer without a word."""
    raised = scan_keys(scan)
    questions = questions_by_id(k)
    out: list[str] = []
    for qid, ans in state.answers.items():
        found = questions.get(qid)
        if found is None or ans.answer != "nee" or ans.derived:
            continue
        question = found[1]
        if raised.intersection(question.answered_by):
            out.append(t("answer_contradicts", lang, question=question.ask.get(lang)))
    return out


def scan_keys(scan: MagHet) -> set[str]:
    """The quick-scan keys the description already answers (for skipping those questions):
    the DPIA criteria found, and those the description hints at (a drone is new technology
    even before anyone said it films people)."""
    keys: set[str] = {f.key for f in scan.dpia}
    keys.update(f.removeprefix("crit-") for f in scan.facts if f.startswith("crit-"))
    if scan.personal_data:
        keys.add("personal-data")
    if scan.children:
        keys.add("children")
    if scan.outside_eea:
        keys.add("outside-eea")
    return keys


def scan_evidence(scan: MagHet, keys: Iterable[str]) -> list[str]:
    """The words of the description behind quick-scan ``keys`` (see :func:`scan_keys`), so a
    question assumed answered can say why ("kinderen")."""
    words: list[str] = []
    for key in keys:
        # (What sets a finding apart comes first in its evidence: one word says it best.)
        if key == "children":
            words += scan.children[:2]
        elif key == "outside-eea":
            words += scan.outside_eea[:2]
        elif key == "personal-data":
            words += scan.personal_data[:1]
        else:
            words += [f.because[0] for f in scan.dpia if f.key == key and f.because]
    return list(dict.fromkeys(w for w in words if w != ANSWERED))[:3]


def _is_concern(q: SubQuestion, a: QuestionAnswer) -> bool:
    return q.answer == "ja-nee" and a.answer == q.concern_if


def _verdict_willen(state: ConversationState, k: Knowledge, lang: Lang) -> StepVerdict:
    qs = questions_by_id(k)
    reasons: list[str] = []
    concerns = [v for v, a in state.value_answers.items() if a.answer == "zorg"]
    unknown = [v for v, a in state.value_answers.items() if a.answer == "weet-niet"]
    for vid in concerns:
        note = state.value_answers[vid].note
        name = k.values[vid].name.get(lang)
        reasons.append(
            f"{'zorg' if lang == 'nl' else 'concern'}: {name}" + (f" ({note})" if note else "")
        )
    noodzaak = state.answers.get("noodzaak")
    if noodzaak and "noodzaak" in qs and _is_concern(qs["noodzaak"][1], noodzaak):
        reasons.append(
            "data of technologie is misschien niet nodig"
            if lang == "nl"
            else "data or technology may not be needed"
        )
    if unknown:
        names = ", ".join(k.values[v].name.get(lang) for v in unknown)
        reasons.append(("nog onbekend: " if lang == "nl" else "still unknown: ") + names)
    answered = [a for a in state.value_answers.values() if a.answer != "overgeslagen"]
    verdict: Verdict
    if not answered and not reasons:
        # No value discussed and no doubt about the need (a skipped question is no answer):
        # nothing to call the project desirable on yet.
        verdict = "onbekend"
        reasons = [t("not_yet", lang)]
    elif len(concerns) >= 3:
        verdict = "rood"
    elif concerns or (noodzaak and reasons) or len(unknown) >= 2:
        verdict = "oranje"
    else:
        verdict = "groen"
        reasons.append(
            "geen zorgen bij de besproken waarden"
            if lang == "nl"
            else "no concerns about the values discussed"
        )
    return StepVerdict(step="willen", verdict=verdict, reasons=reasons)


def _verdict_mag(
    scan: MagHet, state: ConversationState, walked: bool, k: Knowledge, lang: Lang
) -> StepVerdict:
    reasons: list[str] = []
    level = scan.ai_act_level
    verdict: Verdict
    grondslag = state.answers.get("grondslag")
    if level == "prohibited":
        verdict = "rood"
        reasons.append(
            "mogelijk een verboden AI-praktijk"
            if lang == "nl"
            else "possibly a prohibited AI practice"
        )
    elif (
        level in ("high-risk", "transparency")
        or scan.dpia_likely
        or scan.outside_eea
        or (scan.children and scan.personal_data)
    ):
        # Each of these is a duty or a risk to settle before going on, whether or not the
        # Mag-het questions were walked (a new user saw the quick take's art. 50 vanish).
        verdict = "oranje"
        if scan.dpia_required and scan.personal_data:
            # One item of the AP list decides: say "required" with the item, as the quick take
            # does, not "likely".
            refs = "; ".join(cite(f.ref, lang) for f in scan.dpia_required)
            reasons.append(t("dpia_required", lang, items=refs))
        elif scan.dpia_likely:
            reasons.append(t("dpia_likely", lang))
        if level == "high-risk":
            reasons.append(
                "hoog-risicogebied van de AI-verordening"
                if lang == "nl"
                else "high-risk area of the AI Act"
            )
        for f in scan.ai_act:
            if f.key == "transparency":
                reasons.append(f.cited(lang))
        if scan.outside_eea:
            reasons.append(
                "doorgifte buiten de EER" if lang == "nl" else "transfer outside the EEA"
            )
        if scan.children and scan.personal_data:
            reasons.append(_rule_label(k, "kia-children", lang))
    elif not walked:
        verdict = "onbekend"
        reasons.append(t("not_yet", lang))
        if not scan.personal_data and "observation" in scan.facts:
            reasons.append(t("mag_check_people", lang))
    elif grondslag is None or grondslag.answer in ("weet-niet", "overgeslagen"):
        verdict = "oranje"
        reasons.append(
            "de wettelijke grondslag is nog niet duidelijk"
            if lang == "nl"
            else "the legal basis is not clear yet"
        )
    elif scan.questions:
        verdict = "oranje"  # (what is still open is said below)
    else:
        verdict = "groen"
        reasons.append(
            "geen zware signalen; blijf de FG betrekken"
            if lang == "nl"
            else "no heavy signals; keep the DPO involved"
        )
    human = state.answers.get("mens-in-de-lus")
    if level == "high-risk" and human is not None and human.answer == "nee":
        # A high-risk AI system needs a person who oversees it (AI Act art. 14, 26(2)): its
        # absence is what to change first, not one point among others.
        verdict = "rood"
        reasons.insert(0, t("no_human_oversight", lang))
    if scan.dpia and not scan.dpia_likely:
        reasons.append(
            ("DPIA-criterium: " if lang == "nl" else "DPIA criterion: ")
            + "; ".join(f.label.get(lang) for f in scan.dpia)
        )
    # What the text leaves open, the quick take asked, and an answer of "weet niet" leaves
    # open, stays in the advice whichever way the verdict went.
    if scan.questions:
        items = "; ".join(q.label.get(lang) for q in scan.questions)
        reasons.append(t("law_open", lang, items=items))
    return StepVerdict(step="mag", verdict=verdict, reasons=reasons)


def _rule_label(k: Knowledge, rule_id: str, lang: Lang) -> str:
    """How the law file names a rule's finding (one wording for the quick scan and here)."""
    return next(r.label.get(lang) for r in k.law.rules if r.id == rule_id)


def _verdict_kan(state: ConversationState, k: Knowledge, lang: Lang) -> StepVerdict:
    kan = next(s for s in k.drietrap.steps if s.id == "kan")
    reasons: list[str] = []
    concerns = 0
    unknown = 0
    answered = 0
    infeasible = False
    for q in kan.questions:
        a = state.answers.get(q.id)
        if a is None or a.answer == "overgeslagen":
            continue
        answered += 1
        if a.answer == "weet-niet":
            unknown += 1
            reasons.append(f"{q.ask.get(lang)} → {t('choice_weet_niet', lang).lower()}")
        elif _is_concern(q, a):
            concerns += 1
            infeasible = infeasible or q.id == "haalbaarheid"
            said = t("answer_" + a.answer, lang)
            reasons.append(f"{q.ask.get(lang)} → {said}" + (f" ({a.note})" if a.note else ""))
    verdict: Verdict
    if not answered:
        verdict, reasons = "onbekend", [t("not_yet", lang)]
    elif infeasible or concerns >= 3:
        verdict = "rood"
    elif concerns or unknown:
        verdict = "oranje"
    else:
        verdict = "groen"
        reasons.append(
            "haalbaar volgens je antwoorden" if lang == "nl" else "feasible by your answers"
        )
    return StepVerdict(step="kan", verdict=verdict, reasons=reasons)


def _columns(
    tr: Triage, state: ConversationState, k: Knowledge, lang: Lang
) -> tuple[list[ValueLine], list[ValueLine]]:
    desirable: list[ValueLine] = []
    undesirable: list[ValueLine] = []
    purpose = state.answers.get("doel")
    if purpose and purpose.note:
        desirable.append(
            ValueLine(
                value="effectiviteit",
                name=k.values["effectiviteit"].name.get(lang),
                because=purpose.note,
            )
        )
    case_for: dict[str, str] = {}
    case_against: dict[str, str] = {}
    # Lines taken from a similar case say so: they describe that case, not the user's project;
    # and only a case that really is alike (strength "close") lends them: a merely related one
    # put air quality into a question about a parking garage.
    close = [m for m in tr.cases[:3] if m.close]
    for m in close:
        source = ("bij " if lang == "nl" else "in ") + m.case.title.get(lang)
        for j in m.case.values_for:
            case_for.setdefault(j.value, f"{j.because.get(lang)} ({source})")
        for j in m.case.values_against:
            case_against.setdefault(j.value, f"{j.because.get(lang)} ({source})")
    walked = bool(state.value_answers)
    for vid, ans in state.value_answers.items():
        name = k.values[vid].name.get(lang)
        if ans.answer == "zorg":
            because = ans.note or case_against.get(vid) or k.values[vid].questions[0].get(lang)
            undesirable.append(ValueLine(value=vid, name=name, because=because))
        elif (
            ans.answer == "geen-zorg" and vid in case_for and all(d.value != vid for d in desirable)
        ):
            desirable.append(ValueLine(value=vid, name=name, because=case_for[vid]))
    if not walked:
        # Only the advice was asked: take the columns of the closest case, as a starting point.
        for vid, because in list(case_for.items())[:3]:
            if all(d.value != vid for d in desirable):
                desirable.append(
                    ValueLine(value=vid, name=k.values[vid].name.get(lang), because=because)
                )
        at_stake = [v.id for v in tr.values[:5]]
        for vid in at_stake:
            if vid in case_against:
                undesirable.append(
                    ValueLine(
                        value=vid, name=k.values[vid].name.get(lang), because=case_against[vid]
                    )
                )
    return desirable, undesirable


def _next_steps(
    tr: Triage,
    scan: MagHet,
    state: ConversationState,
    k: Knowledge,
    lang: Lang,
    undesirable: list[ValueLine],
) -> list[str]:
    nl = lang == "nl"
    steps: list[str] = []
    if tr.instruments:
        inst = k.instruments[tr.instruments[0].id]
        pre = inst.preconditions
        # ("minimaal 3 uur; idealiter ...": the parts go on the sentence, in lower case.)
        detail = "; ".join(
            mid_sentence(x.get(lang).rstrip(".")) for x in (pre.time, pre.group) if x is not None
        )
        name = inst.name.get(lang)
        if inst.first_step is not None:
            steps.append(inst.first_step.get(lang))
        else:
            steps.append(f"Plan {name}: {detail}." if detail else f"Plan {name}.")
    if scan.ai_act_level == "prohibited":
        steps.append(
            "Stop tot een jurist heeft gekeken of dit een verboden AI-praktijk is."
            if nl
            else "Pause until a lawyer has checked whether this is a prohibited AI practice."
        )
    if scan.dpia_required and scan.personal_data:
        refs = "; ".join(cite(f.ref, lang) for f in scan.dpia_required)
        steps.append(
            f"Voer samen met de FG een DPIA uit; die is verplicht: {refs}."
            if nl
            else f"Carry out a DPIA with the DPO; it is required: {refs}."
        )
    elif scan.dpia_likely or scan.dpia:
        steps.append(
            "Vraag de FG of een DPIA nodig is." if nl else "Ask the DPO whether a DPIA is needed."
        )
    if scan.ai_act_level == "high-risk":
        steps.append(
            "Laat een jurist toetsen welke eisen de AI-verordening stelt."
            if nl
            else "Have a lawyer check the AI Act requirements."
        )
    if scan.iama:
        # (When the IAMA is the instrument planned above, only the register is left to say.)
        planned = bool(tr.instruments) and tr.instruments[0].id == "iama"
        steps.append(
            (
                "Neem het algoritme op in het algoritmeregister."
                if planned
                else "Doe een IAMA en neem het algoritme op in het algoritmeregister."
            )
            if nl
            else (
                "Add the algorithm to the algorithm register."
                if planned
                else "Run an IAMA and add the algorithm to the algorithm register."
            )
        )
    if scan.children:
        steps.append(
            "Overweeg een Kinderrechten Impact Assessment (KIA)."
            if nl
            else "Consider a children's rights impact assessment (KIA)."
        )
    if scan.outside_eea:
        steps.append(
            "Zoek uit waar de gegevens terechtkomen en welke waarborgen er zijn."
            if nl
            else "Find out where the data end up and which safeguards apply."
        )
    kan = {qid: a for qid, a in state.answers.items()}
    if kan.get("alternatief") and kan["alternatief"].answer == "ja":
        steps.append(
            "Werk het minder ingrijpende alternatief uit en vergelijk."
            if nl
            else "Work out the less invasive alternative and compare."
        )
    if kan.get("mens-in-de-lus") and kan["mens-in-de-lus"].answer in ("nee", "weet-niet"):
        steps.append(
            "Wijs een eindverantwoordelijke aan en houd een mens in de lus die kan corrigeren."
            if nl
            else "Name an accountable person and keep a human in the loop who can correct."
        )
    if kan.get("datakwaliteit") and kan["datakwaliteit"].answer in ("nee", "weet-niet"):
        steps.append(
            "Toets de kwaliteit en representativiteit van de data."
            if nl
            else "Check the quality and representativeness of the data."
        )
    if undesirable:
        names = ", ".join(u.name for u in undesirable[:3])
        steps.append(
            f"Bespreek de zorgen ({names}) met de mensen om wie het gaat."
            if nl
            else f"Discuss the concerns ({names}) with the people it concerns."
        )
    if tr.organisation and not state.value_answers and not state.answers:
        # A question about the organisation has no project checkpoints: look again in a year.
        steps.append(
            "Kijk over een jaar opnieuw waar jullie staan, bijvoorbeeld met het "
            "Volwassenheidsmodel."
            if nl
            else "Look again in a year at where you stand, for instance with the maturity model."
        )
        return steps
    steps.append(
        "Kijk opnieuw bij het volgende ijkmoment (na de verkenning, voor de aanbesteding, na de "
        "pilot)."
        if nl
        else "Look again at the next checkpoint (after exploring, before procurement, after the "
        "pilot)."
    )
    return steps


def _contacts(scan: MagHet, k: Knowledge, lang: Lang) -> list[dict[str, Any]]:
    ids = ["ethiek-adviseur", *scan.ask(), "werkgroep-ethiek"]
    out: list[dict[str, Any]] = []
    for cid in dict.fromkeys(ids):
        c = k.contacts.get(cid)
        if c is None:
            continue
        out.append(
            {
                "id": c.id,
                "name": c.name.get(lang),
                "person": c.person,
                "email": c.email,
                "ask_when": c.ask_when.get(lang),
            }
        )
    return out


def answered(state: ConversationState, k: Knowledge, lang: Lang) -> list[dict[str, Any]]:
    """Every answer in the order it was asked, beside its question, in words: drietrap and
    law questions by their text, values by their name, notes and open answers in full. What
    was taken from the description (not asked) comes first, marked ``derived``."""
    texts = question_texts(k, lang)
    steps = {q.id: s.id for s in k.drietrap.steps for q in s.questions}
    out: list[dict[str, Any]] = []
    for key, a in state.answers.items():
        if a.derived and key in texts:
            out.append(
                _answer_line(steps.get(key, "mag"), texts[key], a.answer, a.note, True, lang)
            )
    for prompt in state.queue:
        kind, _, key = prompt.partition(":")
        if kind == "v" and (va := state.value_answers.get(key)) and key in k.values:
            name = k.values[key].name.get(lang)
            out.append(_answer_line("values", name, va.answer, va.note, False, lang))
            continue
        stored = {"q": key, "c": key, "l": LAW_ANSWER + key, "o": ORG_ANSWER + key}.get(kind)
        if stored is None or stored not in texts:
            continue
        qa = state.answers.get(stored)
        if qa is None or qa.derived:
            continue
        step = {"l": "mag", "o": "org"}.get(kind) or steps.get(key, "willen")
        out.append(_answer_line(step, texts[stored], qa.answer, qa.note, False, lang))
    return out


def _answer_line(
    step: str, question: str, answer: str, note: str | None, derived: bool, lang: Lang
) -> dict[str, Any]:
    # An open question's answer is what was typed; a choice is said in words.
    words = note if answer == "open" and note else t("answer_" + answer, lang)
    return {
        "step": step,
        "question": question,
        "answer": words,
        "note": None if answer == "open" else note,
        "derived": derived,
    }


def build_outcome(
    advisor: Advisor,
    state: ConversationState,
    outcome_id: str,
    now: datetime,
    triage: Triage | None = None,
) -> Outcome:
    """The outcome of the conversation so far (complete when the walk was finished).

    ``triage`` is the description's triage when the caller already has it.
    """
    k = advisor.knowledge
    lang = state.lang
    tr = triage or advisor.triage(state.description or "", lang=None)
    walked = state.step in ("walk", "outcome") and bool(state.queue)
    scan = scan_with_answers(tr, state, k)
    mag = _verdict_mag(
        scan, state, walked and any(q.startswith("q:") for q in state.queue), k, lang
    )
    mag.reasons.extend(_contradicted(scan, state, k, lang))
    verdicts = [_verdict_willen(state, k, lang), mag, _verdict_kan(state, k, lang)]
    desirable, undesirable = _columns(tr, state, k, lang)
    tensions = [
        f"{d.name} ↔ {u.name}" for d in desirable[:2] for u in undesirable[:2] if d.value != u.value
    ]
    purpose = state.answers.get("doel")
    organisation = _organisation(tr, state, lang)
    next_steps = _next_steps(tr, scan, state, k, lang, undesirable)
    # What is not in place yet comes first: the guide's first advice for each such theme.
    org_steps = [o["advice"][0] for o in organisation if o["answer"] != "ja"]
    return Outcome(
        id=outcome_id,
        lang=lang,
        created_at=now,
        description=state.description or "",
        purpose=purpose.note if purpose else None,
        verdicts=verdicts,
        desirable=desirable,
        undesirable=undesirable,
        tensions=tensions,
        cases=[
            {
                "id": m.id,
                "title": m.case.title.get(lang),
                "organisation": m.case.organisation,
                "score": round(m.score, 3),
                "strength": m.strength,
                "why": [w.get(lang) for w in m.why],
                "lesson": m.case.lessons[0].get(lang),
            }
            for m in tr.cases[:3]
        ],
        instruments=[
            {
                "id": a.id,
                "name": k.instruments[a.id].name.get(lang),
                "why": [w.get(lang) for w in a.why],
                "time": k.instruments[a.id].preconditions.time.get(lang),
                "group": (g.get(lang) if (g := k.instruments[a.id].preconditions.group) else None),
                "preparation": (
                    p.get(lang) if (p := k.instruments[a.id].preconditions.preparation) else None
                ),
                "more_info": k.instruments[a.id].more_info,
            }
            for a in tr.instruments[:2]
        ],
        values=[v.id for v in tr.values[:5]],
        mag_het=scan.to_dict(k, lang),
        risk=tr.risk,
        contacts=_contacts(scan, k, lang),
        next_steps=[*org_steps, *next_steps],
        answers=dict(state.answers),
        value_answers=dict(state.value_answers),
        complete=walked,
        previous_outcome_id=state.previous_outcome_id,
        organisation=organisation,
        answered=answered(state, k, lang),
    )
