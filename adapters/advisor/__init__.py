"""The ethics advisor's workspace: an adapter like the chat channels (STYLE.md).

It turns HTTP into calls of :mod:`bot.review` and renders the answers; it decides nothing
itself. Authentication (invite links, OpenID Connect, sessions, CSRF) is the middleware in
:mod:`adapters.advisor.auth`, in front of every ``/advisor`` route.
"""

from __future__ import annotations

from aiohttp import web

from bot.config import Settings
from bot.outbox import Dispatcher
from bot.service import ConversationService


def setup(
    app: web.Application, settings: Settings, service: ConversationService, dispatcher: Dispatcher
) -> None:
    """Mount the workspace and its guard on ``app``."""
    from adapters.advisor import auth
    from adapters.advisor.routes import Workspace

    app.middlewares.append(auth.middleware(settings, service))
    Workspace(settings, service, dispatcher).mount(app)
