"""Notifications to the advisors: which triages call for one, and what it says.

A triage with high risk, an AI Act prohibited or high-risk signal, or a hand-over notifies the
advisors in their channel(s): the advisors' Slack channel from the configuration and every
conversation registered with ``meldingen hier``. The message holds the kenmerk, the risk, the
signals and a link to the workspace; never personal data or the description. Each triage and
trigger is notified once per channel, also across restarts (the outbox's unique key).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.storage import Store
from dialogs.models import Choice, Outcome, Reply
from dialogs.texts import t

TRIGGERS = ("hoog", "ai-prohibited", "ai-high-risk", "overdracht")

_TRIGGER_TEXT = {
    "hoog": ("hoog risico", "high risk"),
    "ai-prohibited": ("AI-verordening: mogelijk verboden praktijk", "AI Act: possibly prohibited"),
    "ai-high-risk": ("AI-verordening: mogelijk hoog risico", "AI Act: possibly high-risk"),
    "overdracht": ("doorgegeven aan de ethiekadviseur", "handed over to the ethics advisor"),
}


def triggers_of(outcome: Outcome, handed_over: bool) -> list[str]:
    """The triggers this outcome meets."""
    signals = outcome.signal_ids()
    out = []
    if outcome.risk == "hoog":
        out.append("hoog")
    out += [s for s in ("ai-prohibited", "ai-high-risk") if s in signals]
    if handed_over:
        out.append("overdracht")
    return out


def notification(outcome: Outcome, trigger: str, workspace_url: str) -> Reply:
    """The message for the advisors (in Dutch: advisors work in Dutch; English follows)."""
    nl, en = _TRIGGER_TEXT[trigger]
    signals = ", ".join(outcome.signal_ids()) or "-"
    risk = t("risk_" + outcome.risk, "nl")
    text = (
        f"**Melding voor de ethiekadviseurs** · _Notification for the ethics advisors_\n\n"
        f"- Kenmerk: `{outcome.id}`\n"
        f"- Aanleiding / trigger: {nl} · _{en}_\n"
        f"- Risico: {risk}\n"
        f"- Signalen / signals: {signals}\n\n"
        f"Bekijk in de werkplek / open in the workspace: {workspace_url}"
    )
    return Reply(
        text=text,
        choices=[Choice(id="beoordeel", label="Wachtrij / queue")],
        content={"kind": "notification", "outcome_id": outcome.id, "url": workspace_url},
    )


def enqueue_notifications(
    store: Store,
    outcome: Outcome,
    triggers: Iterable[str],
    targets: Iterable[tuple[str, str]],
    base_url: str,
) -> int:
    """Put the notifications for ``triggers`` in the outbox for every (target, channel);
    returns how many are new (the rest were enqueued before)."""
    url = f"{base_url.rstrip('/')}/advisor/outcomes/{outcome.id}"
    added = 0
    targets = list(targets)
    for trigger in triggers:
        reply = notification(outcome, trigger, url)
        for target, channel in targets:
            new = store.enqueue(
                f"melding:{outcome.id}:{trigger}:{target}",
                "melding",
                channel,
                target,
                {"replies": [reply.model_dump(mode="json")]},
                outcome_id=outcome.id,
            )
            added += new is not None
    return added
