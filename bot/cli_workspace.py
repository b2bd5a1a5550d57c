"""``ethiekbot advisor …`` and ``ethiekbot review …``: the advisor's workspace from the shell.

Same calls as the web workspace (:class:`bot.review.ReviewDesk`), audited the same way; the
actor is ``--by EMAIL`` or, without it, ``cli:<login name>``.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import sys
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from bot.cli import EXIT_OK, UserError, command_store
from bot.config import Settings
from bot.review import ReviewDesk, ReviewError
from bot.storage import Store
from bot.storage.review import QueueFilter


def _actor(args: argparse.Namespace) -> str:
    try:
        login = f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name in a container
        login = "cli"
    by = getattr(args, "by", None)
    # --by names for whom; the login that ran it stays in the audit log beside it.
    return f"{str(by).lower()} (via {login})" if by else login


def _desk(store: Store, settings: Settings) -> ReviewDesk:
    from knowledge.triage import Advisor

    advisor: list[Advisor] = []

    def knowledge() -> Any:
        if not advisor:
            advisor.append(Advisor.load(local_dir=settings.knowledge_local))
        return advisor[0].knowledge

    return ReviewDesk(store, knowledge)


@contextlib.contextmanager
def _open_desk(settings: Settings) -> Iterator[ReviewDesk]:
    """The review desk on the configured database, closed after; a refusal becomes the CLI's
    clear message and exit 2."""
    store = command_store(settings)
    try:
        yield _desk(store, settings)
    except ReviewError as err:
        raise _review_error(err) from None
    finally:
        store.close()


def _review_error(err: ReviewError) -> UserError:
    return UserError(f"{err.nl} / {err.en}")


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


# -- advisor -----------------------------------------------------------------------------------


def cmd_advisor_invite(args: argparse.Namespace, settings: Settings) -> int:
    if "@" not in args.email or len(args.email) > 254:
        raise UserError(f"geen e-mailadres: {args.email} / not an e-mail address")
    base = settings.base_url
    if args.url:
        given = urlsplit(args.url.strip())
        if given.scheme not in ("http", "https") or not given.netloc or given.query:
            raise UserError(
                f"--url {args.url!r}: geef een adres als http://127.0.0.1:8791 / "
                "give an address such as http://127.0.0.1:8791"
            )
        base = args.url.strip().rstrip("/")
    store = command_store(settings, must_exist=False)
    try:
        token = store.create_invite(args.email, args.role)
        store.audit(
            _actor(args), "uitnodiging", None, {"email": args.email.lower(), "role": args.role}
        )
    finally:
        store.close()
    print(f"{base}/advisor/login/{token}")
    print(
        "Eenmalige aanmeldlink, 24 uur geldig; deel hem alleen met de adviseur zelf. · "
        "One-time sign-in link, valid 24 hours; share it only with the advisor.",
        file=sys.stderr,
    )
    if settings.public_url is None and not args.url:
        # The server may run elsewhere than this command assumes (another port, a proxy).
        print(
            f"De link gaat uit van {base}; draait de server ergens anders, geef dan --url of "
            "zet ETHIEKBOT_PUBLIC_URL (of ETHIEKBOT_PORT). · The link assumes "
            f"{base}; if the server runs elsewhere, give --url or set ETHIEKBOT_PUBLIC_URL "
            "(or ETHIEKBOT_PORT).",
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_advisor_list(args: argparse.Namespace, settings: Settings) -> int:
    store = command_store(settings, must_exist=False)
    try:
        advisors = store.advisors()
        invited = store.open_invites()
    finally:
        store.close()
    if args.json:
        _print_json([a.__dict__ for a in advisors])
        return EXIT_OK
    if not advisors and not invited:
        print("Nog geen adviseurs; maak er een met `ethiekbot advisor invite EMAIL`.")
    # Someone invited is not an advisor until they sign in with the link.
    for email, until in invited:
        print(f"{email}	uitgenodigd, nog niet aangemeld (link geldig tot {until[:16]} UTC)")
    for a in advisors:
        links = ", ".join(
            x
            for x in (a.slack_id and f"slack {a.slack_id}", a.teams_id and f"teams {a.teams_id}")
            if x
        )
        print(f"{a.email}\t{a.role}\t{links or '-'}")
    return EXIT_OK


def cmd_advisor_remove(args: argparse.Namespace, settings: Settings) -> int:
    store = command_store(settings)
    try:
        if not store.remove_advisor(args.email):
            raise UserError(f"geen adviseur {args.email} / no advisor {args.email}")
        store.audit(_actor(args), "adviseur-verwijderd", None, {"email": args.email.lower()})
    finally:
        store.close()
    print(f"{args.email} verwijderd; open sessies zijn beëindigd. · removed; sessions ended.")
    return EXIT_OK


def cmd_advisor_link(args: argparse.Namespace, settings: Settings) -> int:
    if not args.slack and not args.teams:
        raise UserError("geef --slack U… of --teams AAD-ID / give --slack or --teams")
    store = command_store(settings)
    try:
        if not store.link_advisor(args.email, slack_id=args.slack, teams_id=args.teams):
            raise UserError(f"geen adviseur {args.email} / no advisor {args.email}")
        store.audit(
            _actor(args),
            "adviseur-gekoppeld",
            None,
            {"email": args.email.lower(), "slack": bool(args.slack), "teams": bool(args.teams)},
        )
    finally:
        store.close()
    print(f"{args.email} gekoppeld; `beoordeel` werkt nu in de chat. · linked.")
    return EXIT_OK


# -- review ------------------------------------------------------------------------------------


def cmd_review_list(args: argparse.Namespace, settings: Settings) -> int:
    with _open_desk(settings) as desk:
        f = QueueFilter(status=args.status, risk=args.risk, waiting=True if args.waiting else None)
        rows = desk.queue(f, limit=args.limit)
    if args.json:
        _print_json([r.as_json() for r in rows])
        return EXIT_OK
    for r in rows:
        handed = "overgedragen" if r.handed_over else "-"
        waiting = f"\twacht sinds {r.waiting_since[:16]}" if r.waiting_since else ""
        print(
            f"{r.id}\t{r.created_at[:16]}\t{r.channel}\t{r.risk_in_force}\t{r.status}\t"
            f"{handed}\t{r.instrument_in_force or '-'}\t{r.assigned_to or '-'}\t{r.short}" + waiting
        )
    return EXIT_OK


def cmd_review_show(args: argparse.Namespace, settings: Settings) -> int:
    from bot.review import reviewed_report

    with _open_desk(settings) as desk:
        view = desk.open(args.id, _actor(args))
        if args.json:
            _print_json(view.as_json())
            return EXIT_OK
        print(f"Status: {view.record.status}  ·  Wie: {view.assigned_to or '-'}")
        sys.stdout.write(reviewed_report(desk.store, args.id, desk._knowledge) or "")
        for n in view.notes:
            print(f"\nNotitie van {n.author} ({n.at}):\n{n.body['text']}")
    return EXIT_OK


def cmd_review_set(args: argparse.Namespace, settings: Settings) -> int:
    with _open_desk(settings) as desk:
        desk.set_status(args.id, args.status, _actor(args), referred_to=args.to, note=args.note)
    print(f"{args.id}: {args.status}")
    return EXIT_OK


def cmd_review_note(args: argparse.Namespace, settings: Settings) -> int:
    with _open_desk(settings) as desk:
        desk.add_note(args.id, " ".join(args.text), _actor(args))
    print(f"{args.id}: notitie toegevoegd / note added")
    return EXIT_OK


def cmd_review_export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.export import iter_csv, iter_json

    store = command_store(settings)
    out = None
    try:
        rows = _desk(store, settings).export(
            QueueFilter(status=args.status, risk=args.risk), _actor(args), args.format
        )
        chunks = iter_csv(rows) if args.format == "csv" else iter_json(rows)
        if args.out:
            try:
                out = open(args.out, "w", encoding="utf-8", newline="")  # noqa: SIM115
            except OSError as exc:
                raise UserError(f"kan {args.out} niet schrijven: {exc.strerror}") from None
        target = out or sys.stdout
        for chunk in chunks:
            target.write(chunk)
    except ReviewError as err:
        raise _review_error(err) from None
    finally:
        if out is not None:
            out.close()
        store.close()
    return EXIT_OK


def cmd_review_promote(args: argparse.Namespace, settings: Settings) -> int:
    from knowledge.promote import PromotionError
    from knowledge.triage import Advisor

    store = command_store(settings)
    try:
        desk = _desk(store, settings)
        if settings.knowledge_local is None:
            raise UserError(
                "zet ETHIEKBOT_KNOWLEDGE_LOCAL op de map voor de eigen kennis; daar komt de "
                "casus · set ETHIEKBOT_KNOWLEDGE_LOCAL to the folder for the organisation's own "
                "knowledge; the case goes there"
            )
        if not args.lesson:
            # Notes are for advisors only; what every employee will read, the advisor writes.
            raise UserError(
                "geef de les die medewerkers lezen met --lesson (herhaalbaar); notities blijven "
                "intern · give the lesson employees will read with --lesson (repeatable); "
                "notes stay internal"
            )
        # (Loaded only once the command is known to be complete: it takes a moment.)
        advisor = Advisor.load(local_dir=settings.knowledge_local)
        draft = desk.draft_case(args.id, advisor, case_id=args.case_id, title=args.title)
        draft["lessons"] = [{"nl": x, "en": x} for x in args.lesson]
        path = desk.publish_case(args.id, draft, settings.knowledge_local, _actor(args))
    except ReviewError as err:
        raise _review_error(err) from None
    except PromotionError as err:
        raise UserError("de casus is niet geldig / the case is not valid:\n" + str(err)) from None
    finally:
        store.close()
    print(f"{path}")
    print(
        "Gepubliceerd; een draaiende server gebruikt de casus binnen enkele seconden. · "
        "Published; a running server uses it within seconds.",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_review_withdraw(args: argparse.Namespace, settings: Settings) -> int:
    from bot.case_library import CaseLibrary
    from bot.knowledge_sync import sync
    from knowledge.promote import PromotionError
    from knowledge.triage import Advisor

    store = command_store(settings)
    try:
        # (Withdrawing reads no knowledge: only the folder's file and the store.)
        library = CaseLibrary(
            store, lambda: Advisor.load(local_dir=settings.knowledge_local).knowledge
        )
        if settings.knowledge_local is not None:
            # Several instances: this folder may lag behind what the database holds.
            sync(store, settings.knowledge_local, 0)
        library.withdraw(
            args.case_id,
            " ".join(args.reason),
            settings.knowledge_local,
            _actor(args),
            any_case=True,  # whoever runs the command line operates the bot
        )
    except ReviewError as err:
        raise _review_error(err) from None
    except PromotionError as err:
        raise UserError(str(err)) from None
    finally:
        store.close()
    print(
        f"Ingetrokken: {args.case_id}; een draaiende server toont hem binnen enkele seconden niet "
        f"meer. · Withdrawn: {args.case_id}; a running server stops showing it within seconds.",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_review_audit(args: argparse.Namespace, settings: Settings) -> int:
    with _open_desk(settings) as desk:
        entries = desk.audit_log(args.id, limit=args.limit)
    if args.json:
        _print_json([x.as_json() for x in entries])
        return EXIT_OK
    for x in entries:
        print(f"{x.at}\t{x.actor}\t{x.action}\t{x.outcome_id or '-'}\t{json.dumps(x.detail)}")
    return EXIT_OK
