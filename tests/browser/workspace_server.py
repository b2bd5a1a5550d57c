"""The whole application with the advisor's workspace, in a background thread, with triages.

Used by ``test_advisor_workspace.py`` and by ``docs/screenshots/make_screenshots.py``. The
server is :func:`bot.server.create_app` on a SQLite file, with ``knowledge_local`` set (so the
case editor can publish), on 127.0.0.1 at a free port. The triages are real: made by the
service from a description (:func:`tests.advice.ask_advice`), as an employee makes them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from aiohttp import web

from bot.config import Settings
from bot.server import create_app
from bot.service import ConversationService
from knowledge.triage import Advisor
from tests.advice import ask_advice
from tests.threaded_app import ThreadedApp

R = TypeVar("R")

# Made-up projects: no real person or organisation is named.
HIGH_RISK = (
    "We willen camera's met gezichtsherkenning in de binnenstad om inwoners in realtime te "
    "identificeren en te volgen."
)
HANDED_OVER = (
    "We willen een algoritme dat met een risicoscore voorspelt welke inwoners die een "
    "uitkering aanvragen mogelijk fraude plegen, zodat we hen extra controleren."
)
LOW_RISK = "Mogen we drones boven weilanden laten vliegen om ammoniak te meten?"
WEB_SESSION = (
    "De gemeente wil lantaarnpalen met bewegingsmelders die het licht dimmen als er niemand op "
    "straat is; de meldingen gaan naar een dashboard."
)
# More for the screenshots' queue and overview.
DEMO = (
    "Een leerapp voor kinderen op de basisschool die hun gegevens opslaat in een Amerikaanse "
    "cloud.",
    "A chatbot on our website that answers residents' questions about waste collection.",
    "De gemeente wil vulgraadsensoren in ondergrondse afvalcontainers plaatsen, zodat de "
    "vuilniswagen alleen langskomt als een container bijna vol is.",
    "We willen met een taalmodel samenvattingen maken van bezwaarschriften voor de "
    "behandelend ambtenaar.",
)


class WorkspaceServer(ThreadedApp):
    """The real application on loopback; :meth:`call` runs a function on the service's
    worker thread (where storage calls belong) and returns its result."""

    def __init__(self, db_path: Path, knowledge_local: Path, advisor: Advisor) -> None:
        self.service: ConversationService | None = None
        self.settings = Settings(
            db_path=db_path, host="127.0.0.1", port=0, knowledge_local=knowledge_local
        )

        def build() -> web.Application:
            service = ConversationService.from_settings(self.settings, advisor=advisor)
            self.service = service
            app = create_app(self.settings, service)

            async def close(_: web.Application) -> None:
                service.close()

            app.on_cleanup.append(close)
            return app

        super().__init__(build, name="ethiekbot-workspace")

    @property
    def svc(self) -> ConversationService:
        assert self.service is not None, "the server is not started"
        return self.service

    def call(self, fn: Callable[..., R], *args: object, **kwargs: object) -> R:
        """``fn(*args, **kwargs)`` on the service's worker thread, waited for."""
        future = asyncio.run_coroutine_threadsafe(self.svc.call(fn, *args, **kwargs), self._loop)
        return future.result(timeout=60)

    def invite(self, email: str, role: str = "adviseur") -> str:
        """An invite link (a path) for ``email``, as ``ethiekbot advisor invite`` makes."""
        return "/advisor/login/" + self.call(self.svc.store.create_invite, email, role)

    def triage(self, text: str, conversation: str, hand_over: bool = False) -> str:
        """A real triage by an employee on the web channel; its outcome id."""
        return self.call(
            ask_advice,
            self.svc,
            text,
            conversation=conversation,
            user=conversation,
            hand_over=hand_over,
        )


def seed(server: WorkspaceServer, demo: bool = False) -> dict[str, str]:
    """The triages the tests (and, with ``demo``, the screenshots) use: name → outcome id."""
    # A staffed deployment: an advisor is registered, so the employee can hand over.
    server.call(server.svc.store.add_advisor, "team.adviseur@provincie.test", "adviseur")
    ids = {
        "high": server.triage(HIGH_RISK, "emp-high"),
        "handed": server.triage(HANDED_OVER, "emp-handed", hand_over=True),
        "low": server.triage(LOW_RISK, "emp-low"),
    }
    if demo:
        for i, text in enumerate(DEMO):
            ids[f"demo{i}"] = server.triage(text, f"emp-demo{i}", hand_over=i % 2 == 0)
    return ids
