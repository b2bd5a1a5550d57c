"""The ``advisor`` and ``review`` commands' arguments.

Apart from their handlers (:mod:`bot.cli_workspace`), which need the storage and the review
desk: registering the commands imports neither, so a command such as ``ethiekbot triage``
starts without them (its cold start)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from bot.config import Settings
from bot.workspace_terms import RISKS, ROLES, STATUSES


def _handler(name: str) -> Callable[[argparse.Namespace, Settings], int]:
    """The handler ``name`` of :mod:`bot.cli_workspace`, imported when the command runs."""

    def run(args: argparse.Namespace, settings: Settings) -> int:
        from bot import cli_workspace

        handler: Callable[[argparse.Namespace, Settings], int] = getattr(cli_workspace, name)
        return handler(args, settings)

    run.__name__ = name
    return run


def register(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Add ``advisor`` and ``review`` to the ``ethiekbot`` parser."""
    a = sub.add_parser("advisor", help="who may use the advisor's workspace")
    asub = a.add_subparsers(dest="advisor_command", required=True, parser_class=parser_class)
    ai = asub.add_parser("invite", help="print a one-time sign-in link (24 hours)")
    ai.add_argument("email")
    ai.add_argument("--role", choices=ROLES, default="adviseur")
    ai.add_argument("--by", help="who invites (for the audit log)")
    ai.add_argument(
        "--url",
        help="the server's address for the link, e.g. http://127.0.0.1:8791 "
        "(default: ETHIEKBOT_PUBLIC_URL, else ETHIEKBOT_HOST and ETHIEKBOT_PORT)",
    )
    ai.set_defaults(func=_handler("cmd_advisor_invite"))
    al = asub.add_parser("list", help="list the advisors")
    al.add_argument("--json", action="store_true")
    al.set_defaults(func=_handler("cmd_advisor_list"))
    ar = asub.add_parser("remove", help="remove an advisor and end their sessions")
    ar.add_argument("email")
    ar.add_argument("--by")
    ar.set_defaults(func=_handler("cmd_advisor_remove"))
    ak = asub.add_parser("link", help="link an advisor to their Slack or Teams id")
    ak.add_argument("email")
    ak.add_argument("--slack", metavar="U…")
    ak.add_argument("--teams", metavar="AAD-ID")
    ak.add_argument("--by")
    ak.set_defaults(func=_handler("cmd_advisor_link"))

    r = sub.add_parser("review", help="the advisor's review of logged triages")
    rsub = r.add_subparsers(dest="review_command", required=True, parser_class=parser_class)
    rl = rsub.add_parser("list", help="the queue, newest first")
    rl.add_argument("--status", choices=STATUSES)
    rl.add_argument("--risk", choices=RISKS)
    rl.add_argument(
        "--waiting",
        action="store_true",
        help="only triages where an employee's message waits for an advisor's answer",
    )
    rl.add_argument("--limit", type=int, default=50)
    rl.add_argument("--json", action="store_true")
    rl.set_defaults(func=_handler("cmd_review_list"))
    rs = rsub.add_parser("show", help="one triage with the advisor's review")
    rs.add_argument("id")
    rs.add_argument("--json", action="store_true")
    rs.add_argument("--by")
    rs.set_defaults(func=_handler("cmd_review_show"))
    rt = rsub.add_parser("set", help="change the status of a triage")
    rt.add_argument("id")
    rt.add_argument("--status", required=True)
    rt.add_argument("--to", help="referred to whom (with --status doorverwezen)")
    rt.add_argument("--note")
    rt.add_argument("--by")
    rt.set_defaults(func=_handler("cmd_review_set"))
    rn = rsub.add_parser("note", help="add a note to a triage")
    rn.add_argument("id")
    rn.add_argument("text", nargs="+")
    rn.add_argument("--by")
    rn.set_defaults(func=_handler("cmd_review_note"))
    rx = rsub.add_parser("export", help="the queue as CSV or JSON (standard output or --out)")
    rx.add_argument("--format", choices=["csv", "json"], default="csv")
    rx.add_argument("--status", choices=STATUSES)
    rx.add_argument("--risk", choices=RISKS)
    rx.add_argument("--out", metavar="FILE")
    rx.add_argument("--by")
    rx.set_defaults(func=_handler("cmd_review_export"))
    rp = rsub.add_parser("promote", help="publish a triage as a case in the organisation's folder")
    rp.add_argument("id")
    rp.add_argument("--case-id", help="the case's id (default: from the title)")
    rp.add_argument("--title")
    rp.add_argument(
        "--lesson",
        action="append",
        help="a lesson every employee will read (required, repeatable; notes stay internal)",
    )
    rp.add_argument("--by")
    rp.set_defaults(func=_handler("cmd_review_promote"))
    rw = rsub.add_parser(
        "withdraw", help="take an own case out of the library, with a reason (audited)"
    )
    rw.add_argument("case_id")
    rw.add_argument("--reason", nargs="+", required=True)
    rw.add_argument("--by")
    rw.set_defaults(func=_handler("cmd_review_withdraw"))
    ra = rsub.add_parser("audit", help="the audit log, newest first")
    ra.add_argument("--id", help="only this triage")
    ra.add_argument("--limit", type=int, default=200)
    ra.add_argument("--json", action="store_true")
    ra.set_defaults(func=_handler("cmd_review_audit"))
