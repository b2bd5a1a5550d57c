"""The ``ethiekbot`` command line.

Commands::

    ethiekbot triage "Mogen we drones inzetten boven weilanden?"
    echo "Camera's op het marktplein" | ethiekbot triage --json
    ethiekbot triage --batch algoritmes.csv > uitkomsten.jsonl
    ethiekbot eval [FILE]
    ethiekbot knowledge check [--json]
    ethiekbot chat [--new] [--user ID] [--lang nl|en]
    ethiekbot report T-1a2b3c4d5e [--format md|html|pdf] [--out FILE]
    ethiekbot serve [--host 127.0.0.1] [--port 3978]
    ethiekbot db status | migrate
    ethiekbot teams-package --app-id 00000000-0000-0000-0000-000000000000 --url https://…
    ethiekbot advisor invite adviseur@provincie.nl [--role beheerder]
    ethiekbot advisor list | remove EMAIL | link EMAIL --slack U123 | --teams AAD-ID
    ethiekbot review list [--status nieuw] [--risk hoog] [--waiting] [--json]
    ethiekbot review show T-1a2b3c4d5e [--json]
    ethiekbot review set T-1a2b3c4d5e --status afgerond [--note TEXT] [--by EMAIL]
    ethiekbot review note T-1a2b3c4d5e "Besproken met de FG"
    ethiekbot review audit [--id T-…] [--json]
    ethiekbot checkpoints add T-1a2b3c4d5e --due 2027-03-15 --label "Evaluatie" [--to KEY]
    ethiekbot checkpoints list [--json] | cancel IJ-…
    ethiekbot reminders run-due [--now 2027-03-15T09:00+01:00]

Every failure a user can cause ends in one clear line on stderr and a non-zero exit, never a
traceback: 2 for bad input or usage, 1 when the knowledge itself is broken.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO, TypeVar, cast

import yaml
from pydantic import ValidationError

from bot.config import Settings
from knowledge.loader import KnowledgeError, load
from knowledge.schema import Lang
from knowledge.text import MAX_CHARS, clean

if TYPE_CHECKING:
    from bot.service import ConversationService
    from bot.storage import Store
    from knowledge.triage import Advisor

EXIT_OK, EXIT_BROKEN, EXIT_USAGE = 0, 1, 2
T = TypeVar("T")


class UserError(Exception):
    """Something the user can fix; the message says what."""


def _fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    print(f"ethiekbot: {message}", file=sys.stderr)
    raise SystemExit(code)


def _advisor(settings: Settings) -> Advisor:
    from knowledge.triage import Advisor

    return Advisor.load(local_dir=settings.knowledge_local)


# --- triage -------------------------------------------------------------------------------------


def _read_question(text: str | None, stdin: TextIO) -> str:
    if text is None:
        if stdin.isatty():
            print("Beschrijf je vraag of project (Ctrl-D om af te sluiten):", file=sys.stderr)
        text = stdin.read()
    cleaned = clean(text)
    if not cleaned.text:
        raise UserError(
            "geen vraag gegeven: beschrijf je vraag of project / no question given: describe "
            "your question or project"
        )
    return text


def cmd_triage(args: argparse.Namespace, settings: Settings) -> int:
    if args.batch:
        return _triage_batch(Path(args.batch), args, settings)
    question = _read_question(" ".join(args.text) if args.text else None, sys.stdin)
    advisor = _advisor(settings)
    result = advisor.triage(question, lang=None)
    lang: Lang = args.lang or result.language
    if args.json:
        print(json.dumps(result.to_dict(advisor.knowledge, lang), ensure_ascii=False, indent=2))
    else:
        from adapters.terminal import for_terminal, render_triage

        print(for_terminal(render_triage(result, advisor.knowledge, lang), sys.stdout))
    if len(question) > MAX_CHARS:
        print(
            f"ethiekbot: tekst ingekort tot {MAX_CHARS} tekens / text cut to {MAX_CHARS} "
            "characters",
            file=sys.stderr,
        )
    return EXIT_OK


def _rows(path: Path) -> Iterator[tuple[int, str | None, str | None, str]]:
    """(row number, id, text or None, problem) for each row of a CSV or JSON Lines file."""
    try:
        content = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise UserError(f"kan {path} niet lezen / cannot read {path}: {reason}") from None
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        for n, line in enumerate(content.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield n, None, None, f"not valid JSON ({exc.msg})"
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                yield n, None, None, "no 'text' field"
                continue
            rid = obj.get("id")
            yield n, None if rid is None else str(rid), obj["text"], ""
        return
    dialect: type[csv.Dialect] | csv.Dialect
    try:
        dialect = csv.Sniffer().sniff(content[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(content), dialect=dialect)
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if "text" not in fields:
        raise UserError(f"{path}: geen kolom 'text' / no 'text' column (found: {fields})")
    for n, row in enumerate(reader, start=2):
        norm = {(k or "").strip().lower(): v for k, v in row.items()}
        text = norm.get("text")
        if not isinstance(text, str):
            yield n, None, None, "row has no text"
            continue
        yield n, norm.get("id") or None, text, ""


class _Progress:
    """A progress bar redrawn in place (``\\r``), only when the stream is a terminal: a pipe or a
    log file gets no carriage returns, just the messages and the closing count."""

    WIDTH = 30

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self.stream = stream
        self.drawn = stream.isatty()
        self.open = False  # a bar is on the current line

    def update(self, done: int) -> None:
        """Redraw the bar at ``done`` of ``total``."""
        if not self.drawn:
            return
        filled = self.WIDTH * done // max(self.total, 1)
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{self.total}")
        self.open = done != self.total
        if not self.open:
            self.stream.write("\n")
        self.stream.flush()

    def message(self, text: str) -> None:
        """A line of its own, below the bar."""
        if self.open:
            self.stream.write("\n")
            self.open = False
        print(text, file=self.stream, flush=True)


def _triage_batch(path: Path, args: argparse.Namespace, settings: Settings) -> int:
    rows = list(_rows(path))
    advisor = _advisor(settings)
    bad = 0
    total = len(rows)
    every = max(1, total // 100)
    progress = _Progress(total, sys.stderr)
    for i, (n, rid, text, problem) in enumerate(rows, start=1):
        if text is not None and not clean(text).text:
            problem = "empty text"
        if problem or text is None:
            bad += 1
            progress.message(f"ethiekbot: {path.name} row {n}: {problem}, skipped")
        else:
            result = advisor.triage(text)
            lang: Lang = args.lang or result.language
            out = {"row": n, "id": rid, **result.to_dict(advisor.knowledge, lang)}
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        if i % every == 0 or i == total:
            progress.update(i)
    print(f"ethiekbot: {total - bad} triaged, {bad} skipped", file=sys.stderr)
    return EXIT_OK if total - bad > 0 or total == 0 else EXIT_USAGE


# --- eval ---------------------------------------------------------------------------------------


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from bot.evaluation import (
        METRICS,
        EvalFileError,
        baseline_predictor,
        default_eval_file,
        load_entries,
        score,
        triage_predictor,
    )

    path = Path(args.file) if args.file else default_eval_file()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    except (OSError, yaml.YAMLError):
        raw = None
    if isinstance(raw, list) and raw and all(isinstance(e, dict) and "expect" in e for e in raw):
        return _eval_quickscan(path, args, settings)
    try:
        entries = load_entries(path)
    except EvalFileError as exc:
        raise UserError(str(exc)) from None
    advisor = _advisor(settings)
    ours = score(entries, triage_predictor(advisor))
    base = score(entries, baseline_predictor(advisor))
    if args.json:
        print(
            json.dumps(
                {
                    "file": str(path),
                    "entries": len(entries),
                    "triage": {m: ours.rate(m) for m in METRICS},
                    "baseline": {m: base.rate(m) for m in METRICS},
                    "misses": ours.misses,
                },
                indent=2,
            )
        )
        return EXIT_OK
    print(f"{path} ({len(entries)} questions)")
    print(f"{'metric':<14}{'triage':>8}{'baseline':>10}{'n':>5}")
    for m in METRICS:
        r, b = _rate(ours.rate(m)), _rate(base.rate(m))
        print(f"{m:<14}{r:>8}{b:>10}{ours.totals.get(m, 0):>5}")
    for m in METRICS:
        if ours.misses.get(m):
            print(f"missed {m}: {', '.join(ours.misses[m])}")
    return EXIT_OK


def _eval_quickscan(path: Path, args: argparse.Namespace, settings: Settings) -> int:
    """``ethiekbot eval PROBES``: recall and precision of the quick scan per signal family."""
    from bot.evaluation import EvalFileError
    from bot.evaluation_quickscan import load_probes, overall, score_probes, triage_scan

    try:
        probes = load_probes(path)
    except EvalFileError as exc:
        raise UserError(str(exc)) from None
    families = score_probes(probes, triage_scan(_advisor(settings)))
    total = overall(families)
    if args.json:
        print(
            json.dumps(
                {
                    "file": str(path),
                    "probes": len(probes),
                    "families": {
                        n: {
                            "recall": f.recall,
                            "precision": f.precision,
                            "tp": f.tp,
                            "fp": f.fp,
                            "fn": f.fn,
                            "misses": f.misses,
                        }
                        for n, f in families.items()
                    },
                    "overall": {"recall": total.recall, "precision": total.precision},
                },
                indent=2,
            )
        )
        return EXIT_OK
    print(f"{path} ({len(probes)} probes): quick scan per signal family")
    print(f"{'family':<28}{'recall':>8}{'precision':>11}{'tp':>5}{'fp':>5}{'fn':>5}")
    for name in sorted(families):
        f = families[name]
        print(f"{name:<28}{_rate(f.recall):>8}{_rate(f.precision):>11}{f.tp:>5}{f.fp:>5}{f.fn:>5}")
    print(
        f"{'all (micro)':<28}{_rate(total.recall):>8}{_rate(total.precision):>11}"
        f"{total.tp:>5}{total.fp:>5}{total.fn:>5}"
    )
    return EXIT_OK


def _rate(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


# --- knowledge ----------------------------------------------------------------------------------


def cmd_knowledge_check(args: argparse.Namespace, settings: Settings) -> int:
    try:
        k = load(local_dir=settings.knowledge_local)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(f"ethiekbot: {problem}", file=sys.stderr)
        print(f"ethiekbot: {len(exc.problems)} problem(s) in the knowledge", file=sys.stderr)
        return EXIT_BROKEN
    if args.json:
        print(
            json.dumps(
                {
                    "values": list(k.values),
                    "instruments": list(k.instruments),
                    "cases": list(k.cases),
                    "contacts": len(k.contacts),
                }
            )
        )
    else:
        print(
            f"ok: {len(k.values)} values, {len(k.instruments)} instruments, {len(k.cases)} cases, "
            f"{len(k.contacts)} contacts, {len(k.signals)} signals, {len(k.rules)} rules, "
            f"{len(k.law.rules)} law rules"
        )
    return EXIT_OK


# --- conversation ------------------------------------------------------------------------------


def _service(settings: Settings) -> ConversationService:
    from bot.service import ConversationService

    try:
        return ConversationService.from_settings(settings)
    except OSError as exc:  # e.g. the database folder cannot be created
        raise UserError(f"database {settings.database_shown}: {exc.strerror or exc}") from None


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from adapters.console import run_chat
    from adapters.terminal import WrappingWriter

    service = _service(settings)
    try:
        if args.new:  # without it, `chat` goes on where this user's last conversation was
            service.store.delete_state(f"console:{args.user}")
        # In a terminal, replies break between words at its width; a pipe gets whole lines.
        stdout = cast(TextIO, WrappingWriter(sys.stdout)) if sys.stdout.isatty() else sys.stdout
        return run_chat(service, args.user, args.lang, sys.stdin, stdout)
    finally:
        service.close()


def cmd_db_status(args: argparse.Namespace, settings: Settings) -> int:
    """Print the database's path, its applied and pending migrations; changes nothing.
    Exit status 0 when the schema is current, 1 when migrations are pending."""
    from bot.storage.migrations import MIGRATIONS, pending
    from bot.storage.sql import Postgres, SqlDb, Sqlite

    db: SqlDb
    if settings.database_url is not None:
        db = _reach(settings, lambda: Postgres(str(settings.database)))
    else:
        path = existing_database(settings)
        db = Sqlite(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
    try:
        todo = pending(db)
    finally:
        db.close()
    print(f"database: {settings.database_shown}")
    print(f"migrations: {len(MIGRATIONS) - len(todo)} van/of {len(MIGRATIONS)} toegepast/applied")
    for name in todo:
        print(f"  nog toe te passen / pending: {name}")
    return 1 if todo else 0


def cmd_db_migrate(args: argparse.Namespace, settings: Settings) -> int:
    """Apply the pending migrations (a new database is created with all of them)."""
    from bot.storage import Store

    # Through Store.open, so migrations run under the pragmas the server uses.
    store = _reach(settings, lambda: Store.open(settings.database, settings.secret_bytes))
    applied = store.migrated
    store.close()
    print(f"database: {settings.database_shown}")
    print(f"toegepast / applied: {', '.join(applied) if applied else '-'}")
    return 0


def open_existing_store(settings: Settings) -> Store:
    """Open the database for a command that only reads it, never creating one.

    Says on stderr which database it reads, and where that path came from (``ETHIEKBOT_DB``, or
    the default ``data/ethiekbot.db`` relative to the current folder). A missing or unreadable
    file is a :class:`UserError` that says, in Dutch and English, where it looked and how to
    point at the right database; nothing is created.
    """
    from bot.storage import Store

    if settings.on_postgres:
        print(f"ethiekbot: database {settings.database_shown}", file=sys.stderr)
        return shared_store(settings)
    path = existing_database(settings)
    shown = path.resolve()
    from_env = bool(os.environ.get("ETHIEKBOT_DB"))
    source = (
        "ETHIEKBOT_DB"
        if from_env
        else "standaard, ETHIEKBOT_DB niet gezet / default, ETHIEKBOT_DB unset"
    )
    print(f"ethiekbot: database {shown} ({source})", file=sys.stderr)
    try:
        return Store.open(path, secret=settings.secret_bytes)
    except (OSError, sqlite3.DatabaseError) as exc:
        raise UserError(
            f"kan de database {shown} niet openen / cannot open the database {shown}: {exc}"
        ) from None


def _reach(settings: Settings, open_it: Callable[[], T]) -> T:
    """Open the configured database with ``open_it``; a file that cannot be opened or a
    PostgreSQL server that does not answer is a :class:`UserError` naming it (never with its
    password)."""
    try:
        return open_it()
    except (OSError, sqlite3.DatabaseError) as exc:
        raise UserError(f"database {settings.database_shown}: {exc}") from None
    except Exception as exc:  # psycopg's and the pool's errors: named by class only
        if type(exc).__module__.split(".")[0] in ("psycopg", "psycopg_pool"):
            raise UserError(
                f"kan de database {settings.database_shown} niet bereiken / cannot reach the "
                f"database {settings.database_shown}: {type(exc).__name__}"
            ) from None
        raise


def shared_store(settings: Settings) -> Store:
    """The PostgreSQL database several instances share, for a command. It is migrated by
    `ethiekbot db migrate` (or an instance starting), never as a side effect of another
    command during a rolling deploy: a schema that is behind is a :class:`UserError`."""
    from bot.storage import SchemaBehind, Store

    try:
        return _reach(settings, lambda: Store.open(settings.database, settings.secret_bytes, False))
    except SchemaBehind as exc:
        raise UserError(
            f"de database mist {len(exc.pending)} migratie(s): draai eerst `ethiekbot db "
            f"migrate` / the database lacks {len(exc.pending)} migration(s): run "
            "`ethiekbot db migrate` first"
        ) from None


def command_store(settings: Settings, must_exist: bool = True) -> Store:
    """The store for a command: the shared PostgreSQL database (:func:`shared_store`), or the
    SQLite file (created unless ``must_exist``; a missing one is a :class:`UserError`)."""
    from bot.storage import Store

    if settings.on_postgres:
        return shared_store(settings)
    if must_exist and not settings.db_path.exists():
        raise UserError(
            f"geen database op {settings.db_path} (zet ETHIEKBOT_DB) / no database at "
            f"{settings.db_path} (set ETHIEKBOT_DB)"
        )
    return Store.open(settings.database, secret=settings.secret_bytes)


def existing_database(settings: Settings) -> Path:
    """The configured database file, or a :class:`UserError` saying (in Dutch and English)
    where it looked and how to point at the right one; nothing is created."""
    path = settings.db_path
    shown = path.resolve()
    from_env = bool(os.environ.get("ETHIEKBOT_DB"))
    if not path.is_file():
        if from_env:
            raise UserError(
                f"geen database op {shown} (ETHIEKBOT_DB): controleer het pad / "
                f"no database at {shown} (ETHIEKBOT_DB): check the path"
            )
        raise UserError(
            f"geen database op {shown}: ETHIEKBOT_DB is niet gezet en in deze map staat geen "
            f"{path}. Zet ETHIEKBOT_DB=/pad/naar/ethiekbot.db, of start in de map van de server "
            f"/ no database at {shown}: ETHIEKBOT_DB is not set and this folder has no {path}. "
            "Set ETHIEKBOT_DB=/path/to/ethiekbot.db, or run from the server's folder"
        )
    return path


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    from bot.advice_note import note_for

    fmt = args.format
    out = Path(args.out) if args.out else None
    if fmt == "pdf" and out is None and sys.stdout.isatty():
        raise UserError(
            "een PDF schrijf ik niet naar de terminal: gebruik --out notitie.pdf of stuur de "
            "uitvoer door (> notitie.pdf) / not writing a binary PDF to a terminal: use "
            "--out note.pdf or redirect the output (> note.pdf)"
        )
    store = open_existing_store(settings)
    try:
        # With the advisor's corrections and messages, as the employee's download has them.
        note = note_for(
            store,
            args.id,
            lambda: load(local_dir=settings.knowledge_local),
            fmt,
            outcome_days=settings.retention_days,
        )
    finally:
        store.close()
    if note is None:
        raise UserError(
            f"geen uitkomst met kenmerk {args.id} / no outcome with reference {args.id}"
        )
    if out is not None:
        try:
            out.write_bytes(note)
        except OSError as exc:
            raise UserError(
                f"kan {out} niet schrijven / cannot write {out}: {exc.strerror or exc}"
            ) from None
        print(f"ethiekbot: notitie geschreven naar {out} / note written to {out}", file=sys.stderr)
    elif fmt == "pdf":
        sys.stdout.flush()
        sys.stdout.buffer.write(note)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(note.decode())
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.server import run

    updates = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    settings = settings.model_copy(update=updates)
    if settings.secret is None and (settings.slack_enabled or settings.microsoft_app_id):
        # Slack and Teams user ids can be enumerated: with the pseudonym key in the same
        # database, anyone holding the file could reverse the pseudonyms.
        raise UserError(
            "Slack of Teams staat aan, maar ETHIEKBOT_SECRET ontbreekt. Zet een geheime sleutel "
            "voor de pseudoniemen, bijvoorbeeld: export ETHIEKBOT_SECRET=$(python3 -c "
            "'import secrets; print(secrets.token_hex(32))') / Slack or Teams is on but "
            "ETHIEKBOT_SECRET is not set; set a secret key for the pseudonyms (see above)."
        )
    service = _service(settings)
    try:
        run(settings, service)
    except OSError as exc:  # the port is taken, or not allowed
        raise UserError(
            f"kan niet starten op {settings.host}:{settings.port}: {exc.strerror}"
        ) from None
    finally:
        service.close()
    return EXIT_OK


def cmd_teams_package(args: argparse.Namespace, settings: Settings) -> int:
    from bot.teams_package import PackageError, build

    app_id = args.app_id or settings.microsoft_app_id
    if not app_id:
        raise UserError(
            "geef de app-id van de bot: --app-id of MICROSOFT_APP_ID / give the bot's app id: "
            "--app-id or MICROSOFT_APP_ID"
        )
    try:
        out = build(app_id, Path(args.out), args.url or settings.public_url or "")
    except PackageError as exc:
        raise UserError(str(exc)) from None
    print(f"{out} (manifest.json, color.png, outline.png)")
    return EXIT_OK


# --- wiring -------------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        _fail(message)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used by the test that checks every command is documented)."""
    p = _Parser(prog="ethiekbot", description="Digitale-ethiekadviseur / digital ethics advisor")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    t = sub.add_parser("triage", help="triage one question, or a batch file")
    t.add_argument("text", nargs="*", help="the question (read from stdin when absent)")
    t.add_argument("--json", action="store_true", help="print JSON")
    t.add_argument("--lang", choices=["nl", "en"], help="output language (default: detected)")
    t.add_argument("--batch", metavar="FILE", help="CSV with a 'text' column, or JSON Lines")
    t.set_defaults(func=cmd_triage)

    e = sub.add_parser("eval", help="score the triage on a labelled YAML set")
    e.add_argument("file", nargs="?", help="labelled YAML (default: ../shared/eval/dev-cases.yaml)")
    e.add_argument("--json", action="store_true", help="print JSON")
    e.set_defaults(func=cmd_eval)

    c = sub.add_parser("chat", help="talk with the advisor in the terminal")
    c.add_argument(
        "--new",
        action="store_true",
        help="nieuw gesprek beginnen (zonder: verder met het vorige) / start a new conversation "
        "(without: resume the previous one)",
    )
    c.add_argument("--user", default="lokaal", help="who is talking (default: lokaal)")
    c.add_argument("--lang", choices=["nl", "en"], help="language to start in")
    c.set_defaults(func=cmd_chat)

    r = sub.add_parser(
        "report", help="the advice note of a logged outcome: Markdown, printable HTML or PDF"
    )
    r.add_argument("id", help="the outcome's reference, e.g. T-1a2b3c4d5e")
    r.add_argument(
        "--format", choices=["md", "html", "pdf"], default="md", help="md (default), html or pdf"
    )
    r.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    r.set_defaults(func=cmd_report)

    s = sub.add_parser("serve", help="run the server with the local web chat")
    s.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, help="port (default 3978)")
    s.set_defaults(func=cmd_serve)

    tp = sub.add_parser("teams-package", help="build the Teams app package (zip) to sideload")
    tp.add_argument("--app-id", help="the bot's Microsoft app id (default: MICROSOFT_APP_ID)")
    tp.add_argument("--out", default="build/ethiekbot-teams.zip", help="where to write the zip")
    tp.add_argument(
        "--url", help="the server's https address, for /privacy (default: ETHIEKBOT_PUBLIC_URL)"
    )
    tp.set_defaults(func=cmd_teams_package)

    k = sub.add_parser("knowledge", help="work with the knowledge files")
    ksub = k.add_subparsers(dest="knowledge_command", required=True, parser_class=_Parser)
    kc = ksub.add_parser("check", help="validate all knowledge and its cross-references")
    kc.add_argument("--json", action="store_true", help="print the ids as JSON")
    kc.set_defaults(func=cmd_knowledge_check)

    d = sub.add_parser("db", help="the database: its migrations")
    dsub = d.add_subparsers(dest="db_command", required=True, parser_class=_Parser)
    ds = dsub.add_parser("status", help="which migrations are applied and which are pending")
    ds.set_defaults(func=cmd_db_status)
    dm = dsub.add_parser("migrate", help="apply the pending migrations (creates the database)")
    dm.set_defaults(func=cmd_db_migrate)

    from bot import cli_checkpoints, cli_workspace_args

    cli_workspace_args.register(sub, _Parser)
    cli_checkpoints.register(sub, _Parser)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ethiekbot`` console script."""
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ValidationError as exc:  # one line per setting, without pydantic's links
        _fail(
            "configuration: "
            + "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        )
    except ValueError as exc:
        _fail(f"configuration: {exc}")
    try:
        code: int = args.func(args, settings)
    except UserError as exc:
        _fail(str(exc))
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(f"ethiekbot: {problem}", file=sys.stderr)
        _fail("the knowledge has problems; run `ethiekbot knowledge check`", EXIT_BROKEN)
    except BrokenPipeError:  # `ethiekbot triage --batch f | head`
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
