"""The local web chat: a page at ``/`` and a small JSON API, driven by the same engine.

API (all JSON):

* ``POST /api/session`` → ``{"session": token}``: a new anonymous conversation. The token is
  random and unguessable; it is both the conversation and the user of the web channel.
* ``POST /api/chat`` with ``{"session", "text"}`` or ``{"session", "choice"}`` (and optionally
  ``"locale": "nl"|"en"``) → ``{"replies": [{"html", "text", "choices", "content"}], "lang"}``
  (``lang``: the conversation's language, which the page follows). An outcome's ``html`` is
  folded (:func:`outcome_html`): the verdict card, each section in a closed ``<details>``,
  the offer; its ``text`` stays the whole Markdown.
* ``POST /api/report/{id}`` with ``{"session"}`` (or ``GET`` with the header
  ``X-Ethiekbot-Session``) → the report as a Markdown download, only for the session that
  produced it (404 otherwise: nobody sees what is not theirs). The token never goes into a
  URL, where it would land in browser history and server logs.

The token is the web user's only credential, so it is never stored: the conversation is kept
under :func:`conversation_id`, a hash of it.

Every reply's HTML is made by :func:`dialogs.markdown.to_html`, which escapes all user text.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import json
import re
import secrets
import weakref
from importlib import resources
from typing import Any

from aiohttp import web

from bot.edge import HTML_CSP, json_error, read_json
from bot.service import ConversationService
from dialogs.markdown import to_html, to_plain
from dialogs.models import OUTCOME_ID_PATTERN, Inbound, Reply
from dialogs.texts import t
from knowledge.schema import Lang

CHANNEL = "web"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_OUTCOME_ID = re.compile(OUTCOME_ID_PATTERN)
_STATIC = resources.files("adapters") / "web_static"

# Also set on every response by bot.edge.security_headers; here too, so that the web chat keeps
# them when mounted on an application of its own.
SECURITY_HEADERS = {
    "Content-Security-Policy": HTML_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

SESSION_HEADER = "X-Ethiekbot-Session"


def conversation_id(session: str) -> str:
    """The stored name of a web conversation: a hash of its token, never the token itself.
    (The token is 192 random bits, so a plain hash cannot be reversed by guessing.)"""
    return hashlib.sha256(session.encode()).hexdigest()[:32]


SERVICE_KEY: web.AppKey[ConversationService] = web.AppKey("service", ConversationService)


class _Locks:
    """One lock per conversation, so two requests of the same session never interleave."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    def get(self, key: str) -> asyncio.Lock:
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        return lock


LOCKS_KEY: web.AppKey[_Locks] = web.AppKey("web_locks", _Locks)


def reply_json(reply: Reply) -> dict[str, Any]:
    """A reply as the page receives it."""
    text = reply.text
    if (reply.content or {}).get("kind") == "report":
        # The page offers the report as a download; the chat shows only its first line.
        text = text.split("\n\n", 1)[0]
    return {
        "html": outcome_html(reply.content or {}) or to_html(text),
        "text": reply.text,
        "choices": [{"id": c.id, "label": c.label, "url": c.url} for c in reply.choices],
        "content": _public_content(reply.content),
    }


# The verdict marks of dialogs.render (a shape per verdict) and the verdict each stands for.
_VERDICT_OF_MARK = {"●": "groen", "▲": "oranje", "■": "rood", "○": "onbekend"}
_MARK_OF_VERDICT = {v: m for m, v in _VERDICT_OF_MARK.items()}
# A verdict line of the card as to_html renders it: "<li>● <strong>Willen we het?</strong> …".
# Only the card's own Markdown starts a list item with a mark followed by bold text (user text
# is escaped and comes later on the line), so nothing a user typed can match.
_VERDICT_ITEM = re.compile(r"<li>([●▲■○]) (?=<strong>)")
_CARD_LABEL = {"nl": "Uitkomst in het kort", "en": "Outcome at a glance"}


def _mark(verdict: str) -> str:
    # The shape, coloured by chat.css; hidden from screen readers, which read the word beside it.
    return (
        f'<span class="mark mark-{verdict}" aria-hidden="true">{_MARK_OF_VERDICT[verdict]}</span>'
    )


def _legend_html(lang: Lang) -> str:
    """The legend under the card with each verdict's coloured mark before its word."""
    entries = []
    for entry in to_plain(t("legend", lang)).strip().split(" · "):
        word = entry.split(":", 1)[0].strip()
        verdict = next((v for v in _MARK_OF_VERDICT if t(f"verdict_{v}", lang) == word), None)
        text = html.escape(entry)
        entries.append(f"{_mark(verdict)} {text}" if verdict else text)
    return '<p class="legend">' + " · ".join(entries) + "</p>"


def outcome_html(content: dict[str, Any]) -> str | None:
    """An outcome as the page shows it, top-down: the verdict card (marks coloured besides
    their shape and word), each section of details folded in a ``<details>``, then the offer.
    None for anything that is not an outcome with a card (the page then shows the text).

    Everything comes from the engine's Markdown through :func:`to_html`, which escapes all
    user text; titles are escaped here."""
    card, sections = content.get("card"), content.get("sections")
    if content.get("kind") != "outcome" or not isinstance(card, str) or not card.strip():
        return None
    outcome = content.get("outcome") or {}
    lang: Lang = "en" if outcome.get("lang") == "en" else "nl"
    title_md = t("outcome_title", lang)
    title = to_plain(title_md).strip()
    if card.startswith(title_md):
        card = card[len(title_md) :]
    body = _VERDICT_ITEM.sub(
        lambda m: (
            f'<li class="verdict verdict-{_VERDICT_OF_MARK[m.group(1)]}">'
            f"{_mark(_VERDICT_OF_MARK[m.group(1)])} "
        ),
        to_html(card),
    )
    body = body.replace(to_html(t("legend", lang)), _legend_html(lang))
    parts = [
        f'<div class="verdict-card" role="group" aria-label="{html.escape(_CARD_LABEL[lang])}">'
        f'<h2 class="card-title" tabindex="-1">{html.escape(title)}</h2>{body}</div>'
    ]
    for section in sections if isinstance(sections, list) else []:
        if not isinstance(section, dict):
            continue
        key, title = html.escape(str(section.get("id", ""))), html.escape(str(section.get("title")))
        parts.append(
            f'<details class="outcome-section" data-section="{key}"><summary>{title}</summary>'
            f'<div class="section-body">{to_html(str(section.get("markdown", "")))}</div></details>'
        )
    offer = content.get("offer")
    if isinstance(offer, str) and offer:
        parts.append(f'<div class="offer">{to_html(offer)}</div>')
    return "".join(parts)


def _public_content(content: dict[str, Any] | None) -> dict[str, Any] | None:
    # The page needs the kind and the report's id; the full outcome stays on the server side.
    if not content:
        return None
    out: dict[str, Any] = {"kind": content.get("kind")}
    if content.get("kind") in ("report", "checkpoints"):
        out["outcome_id"] = content.get("outcome_id")
    if content.get("kind") == "outcome":
        out["outcome_id"] = (content.get("outcome") or {}).get("id")
    return out


async def index(request: web.Request) -> web.Response:
    """The chat page."""
    body = (_STATIC / "index.html").read_text(encoding="utf-8")
    return web.Response(text=body, content_type="text/html", headers=SECURITY_HEADERS)


async def privacy(request: web.Request) -> web.Response:
    """The privacy statement, made from the settings in force (the retention periods), in
    Dutch or, with ``?lang=en`` or an English browser, in English."""
    service = request.app[SERVICE_KEY]
    policy = service.engine.policy
    wanted = request.query.get("lang") or request.headers.get("Accept-Language", "nl")[:2]
    lang: Lang = "en" if wanted.lower() == "en" else "nl"
    body = to_html(policy.statement(lang))
    title = "Privacy" if lang == "en" else "Privacyverklaring"
    page = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Ethiekbot: {title}</title></head><body><main><h1>{title}</h1>{body}</main>"
        "</body></html>"
    )
    return web.Response(text=page, content_type="text/html", headers=SECURITY_HEADERS)


async def static(request: web.Request) -> web.Response:
    """The page's script and style (a fixed list: no path from the request reaches the disk)."""
    name = request.match_info["name"]
    types = {"chat.js": "application/javascript", "chat.css": "text/css"}
    if name not in types:
        raise web.HTTPNotFound()
    body = (_STATIC / name).read_text(encoding="utf-8")
    return web.Response(text=body, content_type=types[name], headers=SECURITY_HEADERS)


async def new_session(request: web.Request) -> web.Response:
    """Start an anonymous conversation."""
    return web.json_response({"session": secrets.token_urlsafe(24)})


async def chat(request: web.Request) -> web.Response:
    """One turn of the conversation."""
    body = await read_json(request)
    if not isinstance(body, dict):
        return json_error(400, "Ongeldige aanvraag.", "Invalid request.")
    session = body.get("session")
    if not isinstance(session, str) or not _TOKEN.match(session):
        return json_error(
            400, "Onbekende sessie; laad de pagina opnieuw.", "Unknown session; reload the page."
        )
    text, choice, locale = body.get("text"), body.get("choice"), body.get("locale")
    if text is not None and not isinstance(text, str):
        return json_error(400, "Tekst moet tekst zijn.", "Text must be a string.")
    if choice is not None and (not isinstance(choice, str) or len(choice) > 200):
        return json_error(400, "Onbekende keuze.", "Unknown choice.")
    if locale not in (None, "nl", "en"):
        locale = None
    conversation = conversation_id(session)
    msg = Inbound(
        channel=CHANNEL,
        conversation=conversation,
        user=conversation,
        text=text,
        choice=choice,
        locale=locale,
    )
    service = request.app[SERVICE_KEY]
    async with request.app[LOCKS_KEY].get(conversation):
        replies, lang = await service.call_in(
            msg.key, service.respond, msg, None, request.remote or "-"
        )
    refused = replies[0].content if replies and replies[0].content else {}
    if refused.get("kind") == "throttled":
        wait = int(refused["retry_after"])
        return web.json_response(
            {"replies": [reply_json(r) for r in replies], "lang": lang, "retry_after": wait},
            status=429,
            headers={"Retry-After": str(wait)},
        )
    return web.json_response({"replies": [reply_json(r) for r in replies], "lang": lang})


async def _session_of(request: web.Request) -> str:
    """The session token of a download: the header, or ``{"session"}`` in a POST body."""
    session = request.headers.get(SESSION_HEADER, "")
    if not session and request.method == "POST":
        body = await read_json(request)
        if isinstance(body, dict) and isinstance(body.get("session"), str):
            session = body["session"]
    return session


async def _owned(request: web.Request) -> tuple[str, str] | None:
    """(outcome id, conversation id) when the caller's session produced that outcome; None for
    anything else (a 404 to the caller: nobody learns whether someone else's exists)."""
    outcome_id = request.match_info["outcome_id"]
    session = await _session_of(request)
    service = request.app[SERVICE_KEY]
    if not _OUTCOME_ID.match(outcome_id) or not _TOKEN.match(session):
        return None
    conversation = conversation_id(session)
    if not await service.call(service.store.owns, outcome_id, CHANNEL, conversation):
        return None
    return outcome_id, conversation


async def report(request: web.Request) -> web.Response:
    """Download the advice note, only for the session that produced it: ``?format=pdf`` (the
    PDF advice note), ``html`` (a printable page) or ``md`` (Markdown, the default)."""
    from bot.advice_note import FORMATS, MEDIA_TYPES, filename

    fmt = request.query.get("format", "md")
    if fmt not in FORMATS:
        return json_error(
            400, "Onbekend formaat (md, html of pdf).", "Unknown format (md, html or pdf)."
        )
    owned = await _owned(request)
    if owned is None:
        return json_error(404, "Geen rapport gevonden.", "No report found.")
    outcome_id, _conversation = owned
    service = request.app[SERVICE_KEY]
    body = await service.call(service.advice_note, outcome_id, fmt)
    if body is None:  # erased or purged since owns() found it
        return json_error(404, "Geen rapport gevonden.", "No report found.")
    return web.Response(
        body=body,
        headers={
            "Content-Type": MEDIA_TYPES[fmt],
            "Content-Disposition": f'attachment; filename="{filename(outcome_id, fmt)}"',
            **SECURITY_HEADERS,
        },
    )


async def _json_session(request: web.Request) -> str | web.Response:
    """The session token from a JSON body, or the 400 that says what is wrong with it."""
    body = await read_json(request)
    session = body.get("session") if isinstance(body, dict) else None
    if not isinstance(session, str) or not _TOKEN.match(session):
        return json_error(400, "Onbekende sessie.", "Unknown session.")
    return session


async def my_data(request: web.Request) -> web.Response:
    """Everything kept about this session's person as a JSON file (``mijn gegevens``)."""
    session = await _json_session(request)
    if isinstance(session, web.Response):
        return session
    conversation = conversation_id(session)
    service = request.app[SERVICE_KEY]
    data = await service.call(
        service.own_data.export, f"{CHANNEL}:{conversation}", CHANNEL, conversation
    )
    return web.Response(
        text=json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json",
        charset="utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="mijn-gegevens-ethiekbot.json"',
            "Cache-Control": "no-store",
            **SECURITY_HEADERS,
        },
    )


async def calendar(request: web.Request) -> web.Response:
    """The checkpoints of a project as an .ics file, only for the session that planned them."""
    from bot.checkpoints import calendar as make_calendar

    owned = await _owned(request)
    if owned is None:
        return json_error(404, "Geen ijkmomenten gevonden.", "No checkpoints found.")
    outcome_id, conversation = owned
    service = request.app[SERVICE_KEY]
    store = service.store
    record = await service.call(store.get_outcome, outcome_id)
    project = await service.call(store.project_of, outcome_id)
    items = await service.call(store.checkpoints, project, None, f"{CHANNEL}:{conversation}")
    items = [c for c in items if c.status in ("gepland", "verzet")]
    if record is None or not items:
        return json_error(404, "Geen ijkmomenten gevonden.", "No checkpoints found.")
    body = make_calendar(items, record.outcome, service.engine.advisor.knowledge)
    return web.Response(
        body=body,
        content_type="text/calendar",
        charset="utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="ijkmomenten-{outcome_id}.ics"',
            **SECURITY_HEADERS,
        },
    )


async def inbox(request: web.Request) -> web.Response:
    """The ethics advisor's messages for this session not shown yet (then marked shown)."""
    session = await _json_session(request)
    if isinstance(session, web.Response):
        return session
    service = request.app[SERVICE_KEY]
    items = await service.call(service.store.take_inbox, f"{CHANNEL}:{conversation_id(session)}")
    replies = [Reply.model_validate(r) for item in items for r in item.payload["replies"]]
    return web.json_response({"replies": [reply_json(r) for r in replies]})


class WebInbox:
    """The outbox's way into the web chat: a message waits until its session opens the page
    (``POST /api/inbox``), so sending is accepting it."""

    async def send(self, conversation: str, replies: list[Reply]) -> None:
        return None


def setup(app: web.Application, service: ConversationService) -> None:
    """Mount the web chat on ``app``."""
    app[SERVICE_KEY] = service
    app[LOCKS_KEY] = _Locks()
    app.router.add_get("/", index)
    app.router.add_get("/privacy", privacy)
    app.router.add_get("/static/{name}", static)
    app.router.add_post("/api/session", new_session)
    app.router.add_post("/api/chat", chat)
    app.router.add_get("/api/report/{outcome_id}", report)
    app.router.add_post("/api/report/{outcome_id}", report)
    app.router.add_post("/api/inbox", inbox)
    app.router.add_post("/api/my-data", my_data)
    app.router.add_get("/api/checkpoints/{outcome_id}.ics", calendar)
    app.router.add_post("/api/checkpoints/{outcome_id}.ics", calendar)
