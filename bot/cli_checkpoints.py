"""``ethiekbot checkpoints …`` and ``ethiekbot reminders run-due``: checkpoints from the shell.

``reminders run-due`` is the scheduler's round as a one-shot (for cron and tests): everything
due at ``--now`` goes into the outbox once and is sent through the configured channels.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, date, datetime
from typing import Any

from bot.cli import EXIT_OK, UserError, command_store
from bot.config import Settings

CHANNELS = ("web", "slack", "teams", "console")


def _now(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        now = datetime.fromisoformat(value)
    except ValueError:
        raise UserError(
            f"--now {value!r} is geen ISO-tijd (bijv. 2027-03-15T09:00+01:00)"
        ) from None
    return now if now.tzinfo else now.replace(tzinfo=UTC)


def cmd_checkpoints_add(args: argparse.Namespace, settings: Settings) -> int:
    from bot.checkpoints import plan
    from bot.schedule import AMSTERDAM, DueDate, format_date, next_working_day, parse_due
    from knowledge.loader import load

    today = datetime.now(AMSTERDAM).date()
    try:
        due = date.fromisoformat(args.due)
    except ValueError:
        # As the chat reads it: "over 3 maanden", "1 maart", "in two weeks".
        read = parse_due(args.due, "nl", today)
        if not isinstance(read, DueDate):
            raise UserError(f"--due {args.due!r}: {read.nl} / {read.en}") from None
        due = read.date
    if due <= today:
        raise UserError(f"--due {args.due} ligt niet in de toekomst / is not in the future")
    kinds = {"eigen", *load(local_dir=settings.knowledge_local).checkpoints}
    if args.kind not in kinds:
        raise UserError(
            f"--kind {args.kind!r} bestaat niet / does not exist; kies / choose: "
            + ", ".join(sorted(kinds))
        )
    label = " ".join(args.label.split())
    if not label or len(label) > 200:
        raise UserError("--label is leeg of te lang (max. 200) / empty or too long")
    store = command_store(settings)
    try:
        record = store.get_outcome(args.outcome_id)
        if record is None:
            raise UserError(
                f"geen uitkomst met kenmerk {args.outcome_id} / no outcome {args.outcome_id}"
            )
        target = args.to or (store.review_row(args.outcome_id) or {}).get("conversation")
        if not target:
            raise UserError("onbekend waar de uitkomst vandaan kwam; geef --to / give --to")
        if target.split(":", 1)[0] not in CHANNELS or ":" not in target:
            raise UserError(
                f"--to {target!r}: een gesprek als slack:TEAM:KANAAL:-, teams:TENANT:GESPREK of "
                "web:SESSIE / a conversation key"
            )
        if target.startswith("teams:") and store.load_reference(target) is None:
            raise UserError(
                f"de bot is niet in Teams-gesprek {target} (nog geen bericht daar ontvangen) / "
                "the bot is not in that Teams conversation"
            )
        cid = plan(store, args.outcome_id, args.kind, label, due, target)
    finally:
        store.close()
    print(cid)
    print(
        f"Herinnering op {format_date(next_working_day(due), 'nl')} om 09:00 naar {target}.",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_checkpoints_list(args: argparse.Namespace, settings: Settings) -> int:
    store = command_store(settings)
    try:
        items = store.checkpoints(status=args.status)
    finally:
        store.close()
    if args.json:
        json.dump([c.as_json() for c in items], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    for c in items:
        print(f"{c.id}\t{c.outcome_id}\t{c.due}\t{c.status}\t{c.target}\t{c.label}")
    return EXIT_OK


def cmd_checkpoints_cancel(args: argparse.Namespace, settings: Settings) -> int:
    store = command_store(settings)
    try:
        cp = store.get_checkpoint(args.id)
        if cp is None:
            raise UserError(f"geen ijkmoment {args.id} / no checkpoint {args.id}")
        store.set_checkpoint_status(cp.id, "gestopt")
    finally:
        store.close()
    print(f"{args.id}: gestopt")
    return EXIT_OK


def cmd_reminders_run_due(args: argparse.Namespace, settings: Settings) -> int:
    from bot.service import ConversationService

    now = _now(args.now)
    if not settings.on_postgres and not settings.db_path.exists():
        raise UserError(f"geen database op {settings.db_path} (zet ETHIEKBOT_DB)")
    service = ConversationService.from_settings(settings)
    try:
        queued, sent = asyncio.run(_run_due(settings, service, now))
    finally:
        service.close()
    print(json.dumps({"now": now.isoformat(), "enqueued": queued, "sent": sent}))
    return EXIT_OK


async def _run_due(settings: Settings, service: Any, now: datetime) -> tuple[int, int]:
    from bot.checkpoints import enqueue_due
    from bot.server import DISPATCHER_KEY, create_app

    # The same application the server runs, built but not started (no background loops): its
    # dispatcher has every configured channel's sender.
    app = create_app(settings, service)
    dispatcher = app[DISPATCHER_KEY]
    queued = await service.call(enqueue_due, service.store, service.engine.advisor.knowledge, now)
    sent = await dispatcher.drain(now)  # everything due, not one batch
    return queued, sent


def register(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Add ``checkpoints`` and ``reminders`` to the ``ethiekbot`` parser."""
    c = sub.add_parser("checkpoints", help="checkpoints (ijkmomenten) of projects")
    csub = c.add_subparsers(dest="checkpoints_command", required=True, parser_class=parser_class)
    ca = csub.add_parser("add", help="plan a checkpoint for an outcome")
    ca.add_argument("outcome_id")
    ca.add_argument(
        "--due",
        required=True,
        help="YYYY-MM-DD or as in the chat ('over 3 maanden'); moves to the next working day",
    )
    ca.add_argument("--label", required=True)
    ca.add_argument("--kind", default="eigen", help="a kind from checkpoints.yaml (its checks)")
    ca.add_argument("--to", help="conversation key (default: where the outcome came from)")
    ca.set_defaults(func=cmd_checkpoints_add)
    cl = csub.add_parser("list", help="every checkpoint, by send time")
    cl.add_argument("--status")
    cl.add_argument("--json", action="store_true")
    cl.set_defaults(func=cmd_checkpoints_list)
    cc = csub.add_parser("cancel", help="stop a checkpoint's reminder")
    cc.add_argument("id")
    cc.set_defaults(func=cmd_checkpoints_cancel)
    r = sub.add_parser("reminders", help="send the reminders that are due")
    rsub = r.add_subparsers(dest="reminders_command", required=True, parser_class=parser_class)
    rr = rsub.add_parser("run-due", help="one scheduler round: enqueue and send what is due")
    rr.add_argument("--now", help="ISO date-time (default: now)")
    rr.set_defaults(func=cmd_reminders_run_due)
