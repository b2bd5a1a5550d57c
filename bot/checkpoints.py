"""Checkpoints (ijkmomenten): proposing them for a project, planning, and the reminder itself.

A project team registers checkpoints at the outcome (or later with ``ijkmomenten``); at 09:00
Europe/Amsterdam on the working day of each, a reminder goes to the conversation they chose,
through the outbox (once; retried; ``mislukt`` visible to the advisor). The reminder names the
project and the checkpoint, says what to check (from ``knowledge/data/checkpoints.yaml``) and
offers: re-check, a new date, done, stop reminders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.schedule import CalendarEvent, format_date, ics_calendar, next_working_day, send_time
from bot.storage import Store
from bot.storage.checkpoints import CheckpointRecord
from dialogs.markdown import escape
from dialogs.models import Choice, Outcome, Reply
from knowledge.loader import Knowledge
from knowledge.schema import Lang

CHOICE = "ijk:"  # reminder buttons: ijk:<action>:<checkpoint id>
ACTIONS = ("opnieuw", "verzet", "klaar", "stop")
PROJECT_NAME_CHARS = 80
ENQUEUE_BATCH = 500  # checkpoints per transaction of the scheduler


@dataclass(frozen=True)
class Proposal:
    """A checkpoint the bot proposes, with a date when the knowledge has a default."""

    kind: str
    label: str
    moment: str
    due: date | None


def project_name(outcome: Outcome) -> str:
    """A short name for the project: the first sentence of its description."""
    first = outcome.description.strip().split("\n", 1)[0]
    for stop in (". ", "? ", "! "):
        if stop in first:
            first = first.split(stop, 1)[0] + stop.strip()
            break
    if len(first) > PROJECT_NAME_CHARS:
        first = first[: PROJECT_NAME_CHARS - 1].rstrip() + "…"
    return first


def proposals(knowledge: Knowledge, lang: Lang, today: date) -> list[Proposal]:
    """The checkpoints of the knowledge, in order, with a proposed working day for each that
    has a default (``default_weeks`` from ``today``)."""
    out = []
    for kind in knowledge.checkpoints.values():
        due = (
            next_working_day(today + timedelta(weeks=kind.default_weeks))
            if kind.default_weeks
            else None
        )
        out.append(Proposal(kind.id, kind.label.get(lang), kind.moment.get(lang), due))
    return out


def plan(
    store: Store,
    outcome_id: str,
    kind: str,
    label: str,
    due: date,
    target: str,
    now: datetime | None = None,
    *,
    again: bool = False,
) -> str:
    """Plan one checkpoint; its reminder goes at 09:00 Amsterdam on the working day of ``due``.

    ``again``: a checkpoint of the same kind still waiting for the same project in the same
    place is moved to ``due`` instead (or left as it is on that date), so a team that saves
    its list again, as typing "ijkmomenten" invites, gets no second reminder.
    """
    if again:
        project = store.project_of(outcome_id)
        for cp in store.checkpoints(project_id=project, target=target):
            if cp.kind == kind and cp.status in ("gepland", "verzet"):
                if cp.due != due.isoformat():
                    store.reschedule(cp.id, due, send_time(due), now)
                return cp.id
    return store.add_checkpoint(outcome_id, kind, label, due, send_time(due), target, now)


def reminder(cp: CheckpointRecord, outcome: Outcome | None, knowledge: Knowledge) -> Reply:
    """The reminder message of a checkpoint, in the outcome's language."""
    lang: Lang = outcome.lang if outcome else "nl"
    nl = lang == "nl"
    kind = knowledge.checkpoints.get(cp.kind)
    name = project_name(outcome) if outcome else cp.outcome_id
    head = (
        f"**IJkmoment: {escape(cp.label)}** · project _{escape(name)}_"
        if nl
        else f"**Checkpoint: {escape(cp.label)}** · project _{escape(name)}_"
    )
    lines = [head, ""]
    if kind is not None:
        look = "Tijd om terug te kijken: " if nl else "Time to look again: "
        lines.append(look + kind.moment.get(lang) + ".")
        lines.append("")
        lines.append("**Bekijk**" if nl else "**Check**")
        signals = set(outcome.signal_ids()) if outcome else set()
        lines += [f"- {c.get(lang)}" for c in kind.checks_for(signals)]
        lines.append("")
    lines.append(
        f"Eerdere uitkomst: kenmerk `{cp.outcome_id}`."
        if nl
        else f"Earlier outcome: reference `{cp.outcome_id}`."
    )
    labels = (
        ("opnieuw", "Opnieuw toetsen", "Check again"),
        ("verzet", "Verzetten", "Postpone"),
        ("klaar", "Afgerond", "Done"),
        ("stop", "Stop herinneringen", "Stop reminders"),
    )
    return Reply(
        text="\n".join(lines),
        choices=[Choice(id=f"{CHOICE}{a}:{cp.id}", label=n if nl else e) for a, n, e in labels],
        content={"kind": "reminder", "checkpoint": cp.id, "outcome_id": cp.outcome_id},
    )


def enqueue_due(store: Store, knowledge: Knowledge, now: datetime | None = None) -> int:
    """Put every checkpoint whose time has come in the outbox (once each); how many.

    In transactions of :data:`ENQUEUE_BATCH` checkpoints, until none is left: a backlog (a
    server that was down, a day with many checkpoints) is enqueued in one round, while no
    single transaction keeps the database locked for long."""
    outcomes: dict[str, Outcome | None] = {}  # a project's checkpoints share one outcome

    def payload(cp: CheckpointRecord) -> dict[str, object]:
        if cp.outcome_id not in outcomes:
            record = store.get_outcome(cp.outcome_id)
            outcomes[cp.outcome_id] = record.outcome if record else None
        reply = reminder(cp, outcomes[cp.outcome_id], knowledge)
        return {"replies": [reply.model_dump(mode="json")], "checkpoint": cp.id}

    added = 0
    while True:
        batch = store.enqueue_due(payload, now, ENQUEUE_BATCH)
        added += batch
        if batch == 0:
            return added


def calendar(checkpoints: list[CheckpointRecord], outcome: Outcome, knowledge: Knowledge) -> bytes:
    """The project's checkpoints as an .ics file, for the team's own calendar."""
    lang = outcome.lang
    events = []
    for cp in checkpoints:
        kind = knowledge.checkpoints.get(cp.kind)
        checks = kind.checks_for(set(outcome.signal_ids())) if kind else []
        events.append(
            CalendarEvent(
                uid=f"{cp.id}@ethiekbot",
                summary=f"Ethiekbot: {cp.label} · {project_name(outcome)}",
                description="\n".join(f"- {c.get(lang)}" for c in checks)
                + f"\n\n{'Kenmerk' if lang == 'nl' else 'Reference'}: {cp.outcome_id}",
                due=date.fromisoformat(cp.due),
                url=None,
            )
        )
    return ics_calendar(events)


def when(cp: CheckpointRecord, lang: Lang) -> str:
    """The working day a reminder goes, as a person reads it."""
    return format_date(next_working_day(date.fromisoformat(cp.due)), lang)
