"""The aiohttp application: health check, web chat, and (when configured) the channel adapters.

``ethiekbot serve`` runs it. Without any channel credentials it is the embedded default: the web
chat on loopback, SQLite in ``./data``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from aiohttp import web

from adapters import advisor as advisor_workspace
from adapters import web as web_chat
from adapters.web import SERVICE_KEY
from bot.config import Settings
from bot.edge import (
    bounded_bodies,
    error_boundary,
    forwarded_client,
    origin_guard,
    security_headers,
)
from bot.logs import configure_logging
from bot.outbox import Dispatcher
from bot.service import ConversationService

log = logging.getLogger("ethiekbot")

PURGE_INTERVAL_S = 6 * 3600
REMINDER_INTERVAL_S = 60.0
DISPATCHER_KEY: web.AppKey[Dispatcher] = web.AppKey("dispatcher", Dispatcher)


async def healthz(request: web.Request) -> web.Response:
    """Liveness: 200 when the process serves requests."""
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """Readiness: 200 when the database answers and no migration is pending, else 503 (a
    load balancer then sends no traffic here)."""
    service = request.app[SERVICE_KEY]
    try:
        state = await service.call_aside(service.store.readiness)
    except Exception as exc:  # a database that does not answer: not ready, and why (by class)
        log.warning("readyz: database not reachable (%s)", type(exc).__name__)
        return web.json_response({"status": "unavailable", "database": "down"}, status=503)
    ready = not state["pending"]
    body = {"status": "ok" if ready else "unavailable", **state}
    return web.json_response(body, status=200 if ready else 503)


def log_purge(counts: dict[str, int]) -> None:
    """Log what a retention purge removed: counts per kind, never content."""
    if any(counts.values()):
        log.info("retention purge: %s", ", ".join(f"{k}={v}" for k, v in counts.items() if v))


def create_app(settings: Settings, service: ConversationService) -> web.Application:
    """The application with every route mounted. The caller owns ``service``."""
    # Typed text is cut at 20,000 characters by the engine; 1 MB leaves room for JSON overhead.
    app = web.Application(
        client_max_size=1024 * 1024,
        middlewares=[
            error_boundary,
            *([forwarded_client] if settings.behind_proxy else []),
            origin_guard(settings.public_url),
            bounded_bodies,
        ],
    )
    app.on_response_prepare.append(security_headers)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    web_chat.setup(app, service)
    dispatcher = Dispatcher(service)
    app[DISPATCHER_KEY] = dispatcher
    dispatcher.register("web", web_chat.WebInbox())
    if settings.slack_enabled:
        from adapters import slack  # imported only when configured: the SDK is heavy

        dispatcher.register("slack", slack.setup(app, settings, service))
    if settings.teams_enabled:
        from adapters import teams

        dispatcher.register("teams", teams.setup(app, settings, service))
    advisor_workspace.setup(app, settings, service, dispatcher)

    async def deliveries(app: web.Application) -> AsyncIterator[None]:
        # Everything the bot sends unasked goes out from here; a turn that enqueues something
        # (a notification) wakes the loop from the worker thread.
        loop = asyncio.get_running_loop()

        def wake() -> None:
            loop.call_soon_threadsafe(dispatcher.wake)

        service.advisor_chat.on_enqueue = wake
        tasks = [
            asyncio.create_task(dispatcher.run_forever()),
            asyncio.create_task(remind(service, dispatcher)),
        ]
        yield
        service.advisor_chat.on_enqueue = None
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    app.cleanup_ctx.append(deliveries)

    async def housekeeping(app: web.Application) -> AsyncIterator[None]:
        # Retention is a promise in the privacy statement: purge at start and every six hours.
        async def loop() -> None:
            while True:
                try:
                    counts = await service.call(
                        service.store.purge, settings.state_days, settings.retention_days
                    )
                except Exception:  # logged; the next round tries again
                    log.exception("retention purge failed")
                else:
                    log_purge(counts)
                await asyncio.sleep(PURGE_INTERVAL_S)

        task = asyncio.create_task(loop())
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    app.cleanup_ctx.append(housekeeping)
    return app


async def remind(service: ConversationService, dispatcher: Dispatcher) -> None:
    """The scheduler: every minute, the checkpoints whose 09:00 has come go into the outbox
    (once each, also with several schedulers on one database), and the dispatcher sends them."""
    from bot.checkpoints import enqueue_due

    while True:
        try:
            knowledge = service.engine.advisor.knowledge
            if await service.call(enqueue_due, service.store, knowledge):
                dispatcher.wake()
        except Exception:  # logged; the next round tries again
            log.exception("reminder round failed")
        await asyncio.sleep(REMINDER_INTERVAL_S)


def run(settings: Settings, service: ConversationService) -> None:
    """Serve until interrupted, printing where."""
    configure_logging()
    app = create_app(settings, service)
    url = f"http://{settings.host}:{settings.port}/"
    print(f"Ethiekbot draait op {url}  (web chat; Ctrl-C om te stoppen)", flush=True)
    print(f"Database: {settings.database_shown}", flush=True)
    sign_in = "OpenID Connect" if settings.oidc_enabled else "ethiekbot advisor invite EMAIL"
    print(f"Werkplek ethiekadviseur: {url}advisor/ (aanmelden: {sign_in})", flush=True)
    if not service.engine.policy.staffed():
        # The bot promises a person only where one can answer; say what makes it true.
        print(
            "Nog geen ethiekadviseur aangemeld: de bot belooft dan geen mens. Nodig er een uit "
            "met `ethiekbot advisor invite EMAIL`.",
            flush=True,
        )
    if not (settings.controller and settings.dpo_contact):
        print(
            "De privacyverklaring noemt nog geen verwerkingsverantwoordelijke en FG: zet "
            "ETHIEKBOT_CONTROLLER en ETHIEKBOT_DPO_CONTACT.",
            flush=True,
        )
    if settings.slack_enabled:
        mode = "Socket Mode" if settings.slack_app_token else f"{url}slack/events"
        print(f"Slack: aan ({mode})", flush=True)
    else:
        print("Slack: uit (zet SLACK_BOT_TOKEN en SLACK_SIGNING_SECRET of SLACK_APP_TOKEN)")
    if settings.microsoft_app_id:
        print(f"Teams: aan, {url}api/messages (authenticatie aan, app {settings.microsoft_app_id})")
    elif settings.teams_local_allowed:
        print(
            f"Teams: {url}api/messages ZONDER authenticatie (ETHIEKBOT_TEAMS_LOCAL=1): alleen voor "
            "lokaal ontwikkelen; alleen een serviceUrl http://127.0.0.1:POORT/ wordt geaccepteerd",
            flush=True,
        )
    elif settings.teams_local:
        print(
            "Teams: uit. ETHIEKBOT_TEAMS_LOCAL=1 werkt alleen als de server op een loopback-adres "
            f"luistert (nu {settings.host}); zet anders MICROSOFT_APP_ID",
            flush=True,
        )
    else:
        print("Teams: uit (zet MICROSOFT_APP_ID, of ETHIEKBOT_TEAMS_LOCAL=1 voor lokaal testen)")
    serve_app(app, settings.host, settings.port)


def serve_app(app: web.Application, host: str, port: int) -> None:
    """Serve ``app`` until interrupted, on uvloop where it is installed (the benchmarks' echo
    baselines use this too, so every server compared runs on the same event loop)."""
    loop_factory = _fast_loop_factory()
    if loop_factory is None:
        web.run_app(app, host=host, port=port, print=None)
        return
    # run_app owns the loop it is given: it runs it, shuts it down and closes it.
    loop = loop_factory()
    asyncio.set_event_loop(loop)
    web.run_app(app, host=host, port=port, print=None, loop=loop)


def _fast_loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's event loop where it is installed (Linux, macOS): the server's HTTP handling
    runs on the loop, and uvloop does that work in C. None elsewhere."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - e.g. Windows
        return None
    return uvloop.new_event_loop
