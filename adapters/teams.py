"""Microsoft Teams: the advisor as a Bot Framework bot. The only module that imports botbuilder.

* ``POST /api/messages`` on our aiohttp server, through botbuilder's ``CloudAdapter`` with
  ``ConfigurationBotFrameworkAuthentication`` (``MICROSOFT_APP_ID``, ``MICROSOFT_APP_PASSWORD``,
  ``MICROSOFT_APP_TYPE``, ``MICROSOFT_APP_TENANT_ID``). Without an app id, authentication is off
  for local development (the server says so at start).
* Personal chats, group chats and channels (a mention starts the conversation; replies stay in
  the thread). State keyed per tenant and conversation. A welcome when the bot is added.
* Replies as Adaptive Cards 1.5 (the highest Teams renders): text as RichTextBlocks whose
  TextRuns never interpret Markdown, so user text stays literal; choices as ``Action.Submit``
  whose data feeds the engine. Typing works for every step as well.
* Every conversation's ``ConversationReference`` is stored durably, so the bot can write to it
  later with ``continue_conversation`` (reminders rely on this).

Behaving well: the request is authenticated before the turn (any token fault is a 401, never a
500); a malformed body or a missing Content-Type gets 400; the serviceUrl must be one of Bot
Framework's hosts (with authentication) or plainly this machine (without); an activity
delivered twice is processed once (its id, durably); the request is acknowledged with 202 and
the turn runs after it; outgoing calls to the connector are retried with backoff and logged,
and never crash the turn. Without an app id the endpoint exists only with
``ETHIEKBOT_TEAMS_LOCAL=1`` on a loopback address.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web
from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    CallerIdConstants,
    ChannelAccount,
    ConversationReference,
)
from botframework.connector.auth import AuthenticationConstants
from yarl import URL

from bot.config import Settings
from bot.edge import read_json
from bot.service import ConversationService
from dialogs.markdown import inline_runs
from dialogs.models import Choice, Inbound, Reply
from dialogs.render import folded_outcome

log = logging.getLogger("ethiekbot.teams")


def _speed_up_msrest() -> None:
    """Make msrest's retry policy cheap to build: botbuilder builds two connector clients per
    incoming activity, and each builds a ``ClientRetryPolicy`` whose ``__init__`` tests 999
    status codes against a 500-item *list* (about 7 ms of CPU: most of a turn). As a frozenset
    the same codes come out in 0.1 ms (``safe_codes`` is used nowhere else)."""
    try:
        from msrest.universal_http.requests import ClientRetryPolicy
    except ImportError:  # pragma: no cover - a future msrest
        return
    codes = getattr(ClientRetryPolicy, "safe_codes", None)
    if isinstance(codes, list):
        ClientRetryPolicy.safe_codes = frozenset(codes)  # type: ignore[assignment]


_speed_up_msrest()

CHANNEL = "teams"
CARD_VERSION = "1.5"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_LIMIT_BYTES = 28 * 1024  # Teams refuses messages over about 28 KB
CHOICE_KEY = "ethiekbot_choice"
FILE_CONSENT_TYPE = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO_TYPE = "application/vnd.microsoft.teams.card.file.info"
# Where Teams asks a bot to upload a file the person accepted (their OneDrive for Business).
UPLOAD_HOSTS = ("*.sharepoint.com", "*.sharepoint.us", "*.sharepoint-mil.us", "*.sharepoint.cn")
# How long a shutdown waits for the Teams turns in flight (platforms kill after about 30 s).
SHUTDOWN_GRACE_S = 15.0
SEND_ATTEMPTS = 3


# --- rendering ----------------------------------------------------------------------------------


# The verdict marks of dialogs.render and the colour Teams gives each (the mark's shape and
# the verdict's word stay beside it, so the colour is never the only cue).
_MARK_COLOUR = {"●": "Good", "▲": "Warning", "■": "Attention", "○": "Default"}
_VERDICT_LINE = re.compile(r"^- ([●▲■○]) (?=\*\*)")
# Room left in a message for the activity around its card (ids, summary, addresses).
_ACTIVITY_ROOM = 2048


def _rich_line(
    line: str, prefix: str = "", lead: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    runs: list[dict[str, Any]] = []
    if prefix:
        runs.append({"type": "TextRun", "text": prefix})
    runs.extend(lead or [])
    for text, bold, italic in inline_runs(line):
        run: dict[str, Any] = {"type": "TextRun", "text": text}
        if bold:
            run["weight"] = "Bolder"
        if italic:
            run["italic"] = True
        runs.append(run)
    return {"type": "RichTextBlock", "inlines": runs or [{"type": "TextRun", "text": " "}]}


def _mark_run(mark: str) -> dict[str, Any]:
    run: dict[str, Any] = {"type": "TextRun", "text": mark, "color": _MARK_COLOUR[mark]}
    if mark == "○":
        run["isSubtle"] = True
    return run


def body_for(md: str, marks: bool = False) -> list[dict[str, Any]]:
    """Our Markdown subset as Adaptive Card elements (RichTextBlocks). With ``marks``, a
    verdict line's mark (● ▲ ■ ○) gets its colour."""
    body: list[dict[str, Any]] = []
    gap = False
    for line in md.split("\n"):
        stripped = line.strip()
        if not stripped:
            gap = True
            continue
        if stripped.startswith("|") and stripped.replace("|", "").replace("-", "").strip() == "":
            continue  # a table's separator row
        verdict = _VERDICT_LINE.match(line) if marks else None
        if verdict:
            mark = verdict.group(1)
            element = _rich_line(line[verdict.end() - 1 :], "• ", [_mark_run(mark)])
        elif line.startswith("  - "):
            element = _rich_line(line[4:], "    ◦ ")
        elif line.startswith("- "):
            element = _rich_line(line[2:], "• ")
        elif line.startswith("#"):
            element = _rich_line("**" + line.lstrip("#").strip() + "**")
        elif stripped.startswith("|"):
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            element = _rich_line(" · ".join(cells))
        else:
            element = _rich_line(line)
        if gap and body:
            element["spacing"] = "Medium"
        gap = False
        body.append(element)
    return body


def _card(body: list[dict[str, Any]], choices: list[Choice] | None = None) -> dict[str, Any]:
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body,
    }
    if choices:
        card["actions"] = [
            {"type": "Action.OpenUrl", "title": c.label, "url": c.url}
            if c.url
            else {"type": "Action.Submit", "title": c.label, "data": {CHOICE_KEY: c.id}}
            for c in choices
        ]
    return card


def card_for(reply: Reply) -> dict[str, Any]:
    """A reply as one Adaptive Card 1.5 (an outcome: see :func:`outcome_card`)."""
    content = reply.content or {}
    if folded_outcome(content):
        return outcome_card(reply, content["sections"])
    return _card(body_for(reply.text), reply.choices)


def _size(node: Any) -> int:
    return len(json.dumps(node).encode())


def _section_set(section: dict[str, Any]) -> dict[str, Any]:
    """One section of the details: a button that opens it under itself (Action.ShowCard in an
    ActionSet of its own, so each opens where it stands, like a folded section)."""
    body = body_for(str(section["markdown"])) or [_rich_line(" ")]
    return {
        "type": "ActionSet",
        "spacing": "Small",
        "actions": [
            {
                "type": "Action.ShowCard",
                "title": str(section["title"])[:200],
                "card": {"type": "AdaptiveCard", "body": body},
            }
        ],
    }


def outcome_card(
    reply: Reply, folded: list[dict[str, Any]], offer: bool = True, choices: bool = True
) -> dict[str, Any]:
    """An outcome, top-down: the verdict card (marks coloured), each of the ``folded``
    sections as a button that opens it (Action.ShowCard), the offer, and the choices."""
    content = reply.content or {}
    body = body_for(str(content.get("card") or ""), marks=True)
    body.extend(_section_set(s) for s in folded)
    text = content.get("offer")
    if offer and isinstance(text, str) and text:
        offer_body = body_for(text)
        if offer_body:
            offer_body[0]["spacing"] = "Medium"
        body.extend(offer_body)
    return _card(body, reply.choices if choices else None)


def _outcome_cards(reply: Reply) -> list[dict[str, Any]]:
    """An outcome as one card when it fits Teams' limit. When it does not, the sections too
    long to fold (the longest first) follow as cards of their own, in their order, and the
    offer with the choices comes last."""
    content = reply.content or {}
    sections = [s for s in content["sections"] if isinstance(s, dict)]
    folded = list(sections)
    limit = CARD_LIMIT_BYTES - _ACTIVITY_ROOM
    card = outcome_card(reply, folded)
    while _size(card) > limit and folded:
        folded.remove(max(folded, key=lambda s: _size(_section_set(s))))
        card = outcome_card(reply, folded)
    if _size(card) > limit:  # the card alone is too long: its text, split
        return _split(_card(body_for(reply.text), reply.choices))
    if len(folded) == len(sections):
        return [card]
    head = outcome_card(reply, folded, offer=False, choices=False)
    rest = [f"**{s['title']}**\n{s['markdown']}" for s in sections if s not in folded]
    offer = content.get("offer")
    if isinstance(offer, str) and offer:
        rest.append(offer)
    return [head, *_split(_card(body_for("\n\n".join(rest)), reply.choices))]


def cards_for(reply: Reply) -> list[dict[str, Any]]:
    """One card, or several when one would pass Teams' size limit (choices on the last)."""
    if folded_outcome(reply.content or {}):
        return _outcome_cards(reply)
    return _split(card_for(reply))


def _split(card: dict[str, Any]) -> list[dict[str, Any]]:
    """A card as it is when within the limit, else its body over several (actions on the last)."""
    if _size(card) <= CARD_LIMIT_BYTES:
        return [card]
    cards: list[dict[str, Any]] = []
    current: list[dict[str, Any]] = []
    for element in card["body"]:
        trial = {**card, "body": [*current, element]}
        trial.pop("actions", None)
        if current and _size(trial) > CARD_LIMIT_BYTES - _ACTIVITY_ROOM:
            cards.append({**card, "body": current, "actions": []})
            current = []
        current.append(element)
    cards.append({**card, "body": current})
    for c in cards[:-1]:
        c.pop("actions", None)
    return cards


def activities_for(reply: Reply) -> list[Activity]:
    """The activities that carry a reply."""
    summary = next((ln.strip("*_ ") for ln in reply.text.split("\n") if ln.strip()), "Ethiekbot")
    return [
        Activity(
            type=ActivityTypes.message,
            summary=summary[:120],
            attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=card)],
        )
        for card in cards_for(reply)
    ]


# --- the bot ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _AuthConfig:
    """What ConfigurationBotFrameworkAuthentication reads (attribute names are botbuilder's)."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str | None
    # Only set when the token checks are pointed elsewhere (see _auth_config).
    TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL: str | None = None
    TO_BOT_FROM_CHANNEL_TOKEN_ISSUER: str | None = None
    TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL: str | None = None
    TO_CHANNEL_FROM_BOT_LOGIN_URL: str | None = None
    TO_CHANNEL_FROM_BOT_OAUTH_SCOPE: str | None = None
    OAUTH_URL: str | None = None
    CALLER_ID: str | None = None


def _auth_config(settings: Settings) -> _AuthConfig:
    """botbuilder's configuration from ours.

    With ``microsoft_openid_metadata_url`` or ``microsoft_token_issuer`` set, botbuilder takes
    its "parameterized" path, which has no defaults: without a login URL and OAuth scope the
    bot's outgoing token would be asked from MSAL's default authority (``.../common``) instead
    of the Bot Framework tenant, and every reply would fail. So the public cloud's values are
    given for everything not overridden. Without an app id (authentication off) the overrides
    are ignored: the parameterized path refuses requests without an Authorization header.
    """
    password = settings.microsoft_app_password
    base = _AuthConfig(
        APP_ID=settings.microsoft_app_id or "",
        APP_PASSWORD=password.get_secret_value() if password else "",
        APP_TYPE=settings.microsoft_app_type,
        APP_TENANTID=settings.microsoft_app_tenant_id,
    )
    overridden = settings.microsoft_openid_metadata_url or settings.microsoft_token_issuer
    if not (settings.microsoft_app_id and overridden):
        return base
    constants = AuthenticationConstants
    return dataclasses.replace(
        base,
        TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=settings.microsoft_openid_metadata_url
        or constants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL,
        TO_BOT_FROM_CHANNEL_TOKEN_ISSUER=settings.microsoft_token_issuer
        or constants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER,
        TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL=constants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL,
        TO_CHANNEL_FROM_BOT_LOGIN_URL=constants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX,
        TO_CHANNEL_FROM_BOT_OAUTH_SCOPE=constants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE,
        OAUTH_URL=constants.OAUTH_URL,
        CALLER_ID=CallerIdConstants.public_azure_channel,
    )


def _keys(activity: Activity) -> tuple[str, str]:
    """(conversation key, user) for the engine: per tenant and conversation (thread)."""
    conv = activity.conversation
    tenant = (conv.tenant_id if conv else None) or (
        (activity.channel_data or {}).get("tenant", {}).get("id") if activity.channel_data else None
    )
    tenant = tenant or "-"
    user = activity.from_property
    user_id = (user.aad_object_id or user.id) if user else "-"
    return f"{tenant}:{conv.id if conv else '-'}", f"{tenant}:{user_id}"


def _without_bot_mention(activity: Activity) -> str:
    """The message text without the mentions of the bot (group chats and channels).

    Only the mention markup that a mention entity of the bot points at is removed, once per
    entity. (botbuilder's ``remove_recipient_mention`` uses the bot's name as a pattern and
    removes it everywhere in the text, and raises on a message without recipient or text or
    with a malformed mention entity.)
    """
    text = activity.text if isinstance(activity.text, str) else ""
    bot_id = activity.recipient.id if activity.recipient is not None else None
    for entity in activity.entities or []:
        if str(getattr(entity, "type", "") or "").lower() != "mention":
            continue
        props = getattr(entity, "additional_properties", None) or {}
        mentioned = props.get("mentioned")
        if not isinstance(mentioned, dict) or bot_id is None or mentioned.get("id") != bot_id:
            continue
        markup = props.get("text")
        if not isinstance(markup, str) or not markup:
            name = mentioned.get("name")
            markup = f"<at>{name}</at>" if isinstance(name, str) and name else ""
        if markup:
            text = text.replace(markup, "", 1)
    return text.strip()


class EthiekBot(ActivityHandler):  # type: ignore[misc]
    """Turns Bot Framework activities into engine turns."""

    def __init__(self, channel: TeamsChannel) -> None:
        self.channel = channel

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        choice = None
        if isinstance(activity.value, dict) and isinstance(activity.value.get(CHOICE_KEY), str):
            # An id the bot made is short; a longer one is no choice of ours (answered as
            # "unknown choice" by the engine rather than failing the turn).
            choice = activity.value[CHOICE_KEY][:200]
        text = None if choice is not None else _without_bot_mention(activity)
        await self.channel.turn(turn_context, text=text, choice=choice)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        if turn_context.activity.name == "fileConsent/invoke":
            return InvokeResponse(status=await self.channel.file_consent(turn_context))
        return InvokeResponse(status=400)  # no other invokes: the cards use Action.Submit

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        recipient = turn_context.activity.recipient
        if recipient is not None and any(
            getattr(m, "id", None) == recipient.id for m in members_added or []
        ):
            await self.channel.turn(turn_context, text=None, choice=None)


def minimal_reference(reference: dict[str, Any]) -> dict[str, Any]:
    """What a proactive message needs of a conversation reference, and nothing else: where to
    send (service URL, channel, conversation id and tenant) and as whom (the bot's id). The
    user's name and Entra object id, the conversation's name and the activity id are dropped:
    the bot writes into the conversation, not to a person it needs to know."""
    conversation = reference.get("conversation") or {}
    kept_conversation = {
        k: conversation[k]
        for k in ("id", "tenantId", "conversationType", "isGroup")
        if conversation.get(k) is not None
    }
    bot = reference.get("bot") or {}
    out: dict[str, Any] = {
        "channelId": reference.get("channelId"),
        "serviceUrl": reference.get("serviceUrl"),
        "conversation": kept_conversation,
    }
    if bot.get("id"):
        out["bot"] = {"id": bot["id"]}
    return out


class TeamsChannel:
    """The Teams bot around one :class:`ConversationService`."""

    def __init__(self, settings: Settings, service: ConversationService) -> None:
        self.service = service
        self.app_id = settings.microsoft_app_id or ""
        self.auth_enabled = bool(self.app_id)
        config = _auth_config(settings)
        self.adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(config))
        self.adapter.on_turn_error = self._on_turn_error
        self.bot = EthiekBot(self)
        self.retry_delay = 0.5  # seconds, doubled per attempt
        self.service_hosts = settings.teams_service_hosts
        self._in_flight: set[asyncio.Task[None]] = set()
        self._closing = False  # shutting down: a failed send is not retried

    # -- turns ---------------------------------------------------------------------------------

    async def turn(self, turn_context: TurnContext, text: str | None, choice: str | None) -> None:
        """One engine turn for an incoming activity, and its replies sent back."""
        activity = turn_context.activity
        key, user = _keys(activity)
        reference = TurnContext.get_conversation_reference(activity)
        await self.service.call_in(
            f"{CHANNEL}:{key}",
            self.service.store.save_reference,
            f"{CHANNEL}:{key}",
            CHANNEL,
            minimal_reference(reference.serialize()),
        )
        msg = Inbound(
            channel=CHANNEL,
            conversation=key,
            user=user,
            text=text,
            choice=choice,
            locale="en" if (activity.locale or "").lower().startswith("en") else None,
        )
        for reply in await self.service.handle_async(msg):
            for out in activities_for(reply):
                await self._send(_sender(turn_context, out))
            content = reply.content or {}
            if content.get("kind") == "report" and _is_personal(activity):
                await self._offer_note(turn_context, str(content.get("outcome_id") or ""), key)

    # -- the advice note as a file (Teams' file consent flow, personal chats only) -------------

    async def _note_pdf(self, outcome_id: str) -> bytes | None:

        service = self.service
        return await service.call(service.advice_note, outcome_id, "pdf")

    async def _offer_note(self, turn_context: TurnContext, outcome_id: str, key: str) -> None:
        """Ask to place the PDF advice note in the person's OneDrive: Teams lets a bot send a
        file only after the person accepts it (a FileConsentCard)."""
        from bot.advice_note import filename

        pdf = await self._note_pdf(outcome_id)
        if pdf is None:
            return
        context = {"outcome_id": outcome_id}
        card = Attachment(
            content_type=FILE_CONSENT_TYPE,
            name=filename(outcome_id, "pdf"),
            content={
                "description": "Adviesnotitie / advice note (PDF)",
                "sizeInBytes": len(pdf),
                "acceptContext": context,
                "declineContext": context,
            },
        )
        offer = Activity(type=ActivityTypes.message, attachments=[card])
        await self._send(_sender(turn_context, offer))

    async def file_consent(self, turn_context: TurnContext) -> int:
        """``fileConsent/invoke``: on accept, PUT the PDF to the upload URL Teams gave and send
        a FileInfoCard pointing at it. Only for a note of this person's; the upload URL is
        checked like a serviceUrl (Microsoft's hosts with authentication, this machine
        without). Returns the invoke's status."""
        activity = turn_context.activity
        value = _object(activity.value)
        if value.get("action") != "accept":
            return 200  # declined: nothing to do
        context, info = _object(value.get("context")), _object(value.get("uploadInfo"))
        outcome_id = str(context.get("outcome_id") or "")
        _key, user = _keys(activity)
        upload_url = str(info.get("uploadUrl") or "")
        owned = await self.service.call(self.service.store.owns, outcome_id, CHANNEL, user)
        if not owned or not self.upload_url_allowed(upload_url):
            log.info("teams: file consent refused (not this conversation's note, or URL)")
            return 400
        pdf = await self._note_pdf(outcome_id)
        if pdf is None:
            return 404
        headers = {
            "Content-Length": str(len(pdf)),
            "Content-Range": f"bytes 0-{len(pdf) - 1}/{len(pdf)}",
        }
        try:
            async with (
                aiohttp.ClientSession() as http,
                http.put(upload_url, data=pdf, headers=headers) as resp,
            ):
                if resp.status >= 300:
                    log.warning("teams: advice note upload answered %d", resp.status)
                    return 502
        except aiohttp.ClientError as exc:
            log.warning("teams: advice note upload failed (%s)", type(exc).__name__)
            return 502
        done = Attachment(
            content_type=FILE_INFO_TYPE,
            content_url=str(info.get("contentUrl") or ""),
            name=str(info.get("name") or ""),
            content={"uniqueId": info.get("uniqueId"), "fileType": info.get("fileType") or "pdf"},
        )
        await self._send(
            _sender(turn_context, Activity(type=ActivityTypes.message, attachments=[done]))
        )
        return 200

    def upload_url_allowed(self, url: str) -> bool:
        """Where a file consent may make us PUT the note: with authentication, https on
        Microsoft's OneDrive/SharePoint hosts; without, only this machine (as a serviceUrl)."""
        if "\\" in url or "@" in url:
            return False
        try:
            parsed = URL(url)
        except ValueError:
            return False
        if not self.auth_enabled:
            base = str(parsed.origin()) + "/" if parsed.is_absolute() else ""
            return self.service_url_allowed(base)
        host = (parsed.host or "").lower()
        return parsed.scheme == "https" and _service_allowed("https", host, "", UPLOAD_HOSTS)

    async def _send(self, send: Callable[[], Awaitable[Any]]) -> bool:
        """Send with retries and backoff; a failure is logged, never raised into the turn."""
        delay = self.retry_delay
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                await send()
                return True
            except Exception as exc:  # the connector's errors are of many kinds
                # By class only: the connector's messages name the URL, with the conversation.
                log.warning(
                    "teams: sending failed (attempt %d/%d): %s",
                    attempt,
                    SEND_ATTEMPTS,
                    type(exc).__name__,
                )
                if self._closing:
                    break  # shutting down: the turns still in flight must end, not wait
                if attempt < SEND_ATTEMPTS:
                    await asyncio.sleep(delay)
                    delay *= 2
        log.error("teams: message not delivered after %d attempts", SEND_ATTEMPTS)
        return False

    async def _on_turn_error(self, turn_context: TurnContext, error: Exception) -> None:
        log.exception("teams: error in turn", exc_info=error)
        await self._send(
            lambda: turn_context.send_activity(
                "Er ging iets mis aan mijn kant; probeer het nog eens. · Something went wrong on "
                "my side; please try again."
            )
        )

    async def send_proactive(self, key: str, replies: list[Reply]) -> bool:
        """Write to a stored conversation later (the outbox). False when no reference is stored
        or a message was not delivered."""
        stored = await self.service.call(self.service.store.load_reference, f"{CHANNEL}:{key}")
        if stored is None:
            return False
        reference = ConversationReference().deserialize(stored)
        delivered = True

        async def callback(turn_context: TurnContext) -> None:
            nonlocal delivered
            for reply in replies:
                for out in activities_for(reply):
                    delivered = await self._send(_sender(turn_context, out)) and delivered

        await self.adapter.continue_conversation(reference, callback, self.app_id)
        return delivered

    async def send(self, conversation: str, replies: list[Reply]) -> None:
        """The outbox's way into Teams (``continue_conversation`` on the stored reference)."""
        from bot.outbox import DeliveryError

        stored = await self.service.call(
            self.service.store.load_reference, f"{CHANNEL}:{conversation}"
        )
        if stored is None:
            raise DeliveryError("teams: no stored conversation reference", permanent=True)
        if not await self.send_proactive(conversation, replies):
            raise DeliveryError("teams: not delivered")

    # -- HTTP ----------------------------------------------------------------------------------

    async def messages(self, request: web.Request) -> web.Response:
        """``POST /api/messages``: checked, authenticated and deduplicated here; acknowledged
        with 202 at once, and the turn (with its replies to the connector) runs after, so a
        slow connector never holds the request past Bot Framework's 15 seconds."""
        if "application/json" not in request.headers.get("Content-Type", ""):
            return _problem(400, "Content-Type must be application/json")
        body = await read_json(request)
        if not isinstance(body, dict) or not isinstance(body.get("type"), str):
            return _problem(400, "body is not a Bot Framework activity")
        try:
            activity = Activity().deserialize(body)
        except Exception:  # msrest raises several kinds for values of the wrong type
            return _problem(400, "body is not a Bot Framework activity")
        service_url = activity.service_url if isinstance(activity.service_url, str) else ""
        if not self.service_url_allowed(service_url):
            log.info("teams: request refused: serviceUrl not allowed")
            return _problem(401 if not self.auth_enabled else 403, "serviceUrl not allowed")
        try:
            auth = await self.adapter.bot_framework_authentication.authenticate_request(
                activity, request.headers.get("Authorization", "")
            )
        except Exception as exc:  # botbuilder raises plain exceptions for token faults
            log.info("teams: request refused: %s", exc.__class__.__name__)
            return _problem(401, "unauthorized")
        key = _conversation_key(activity)
        if key is None or not _plausible(activity):
            return _problem(400, "activity without a usable conversation or sender")
        if not self.auth_enabled and not await self._same_service_url(key, service_url):
            # Local mode: a conversation answers only where it began, so nobody on this
            # machine can post into someone else's conversation and read its replies.
            log.info("teams: request refused: conversation belongs to another serviceUrl")
            return _problem(403, "this conversation belongs to another serviceUrl")
        if isinstance(activity.id, str) and activity.id:
            seen = hashlib.sha256(f"{key}\n{activity.id}".encode()).hexdigest()[:32]
            if not await self.service.call_in(
                f"{CHANNEL}:{key}", self.service.store.first_delivery, f"teams:{seen}"
            ):
                log.info("teams: activity delivered again; dropped")
                return web.Response(status=200)
        if activity.type == ActivityTypes.invoke:
            # An invoke wants its answer in the response (a file consent: the upload's result).
            answer = await self.adapter.process_activity(auth, activity, self.bot.on_turn)
            status = answer.status if answer is not None and answer.status else 200
            return web.json_response({}, status=status)
        task = asyncio.create_task(self._process(auth, activity))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        return web.Response(status=202)

    async def _process(self, auth: Any, activity: Activity) -> None:
        try:
            await self.adapter.process_activity(auth, activity, self.bot.on_turn)
        except Exception as exc:  # logged by class; the turn error handler told the user
            log.error("teams: turn failed: %s", exc.__class__.__name__)

    async def drain(self, grace: float | None = None) -> None:
        """Wait for the turns acknowledged so far (and their replies) to finish; with
        ``grace`` (seconds), cancel what is still running after it, and log how many."""
        loop = asyncio.get_running_loop()
        deadline = None if grace is None else loop.time() + grace
        while self._in_flight:
            left = None if deadline is None else deadline - loop.time()
            if left is not None and left <= 0:
                for task in self._in_flight:
                    task.cancel()
                log.warning(
                    "teams: %d turns still running at shutdown, cancelled", len(self._in_flight)
                )
                await asyncio.gather(*list(self._in_flight), return_exceptions=True)
                return
            await asyncio.wait(list(self._in_flight), timeout=left)

    def service_url_allowed(self, url: str) -> bool:
        """With authentication: https on one of Bot Framework's service hosts. Without: only
        ``http://127.0.0.1:PORT/`` or ``http://localhost:PORT/`` (nothing else on the machine
        can be made a target). Read with yarl, the parser the HTTP client itself uses, and
        refused when Python's urlsplit reads another host."""
        if not url or len(url) > 500 or "\\" in url or not url.isascii() or url != url.strip():
            return False
        try:
            parsed = URL(url)
            split = urlsplit(url)
            split_host = split.hostname
            split_port = split.port
        except ValueError:
            return False
        host = (parsed.host or "").lower()
        if parsed.user is not None or parsed.password is not None or "@" in url:
            return False
        if host != (split_host or "").lower() or parsed.explicit_port != split_port:
            return False
        if parsed.query_string or parsed.fragment:
            return False
        if self.auth_enabled:
            port = f":{parsed.explicit_port}" if parsed.explicit_port is not None else ""
            origin = f"{parsed.scheme}://{host}{port}"
            return _service_allowed(parsed.scheme, host, origin, self.service_hosts)
        return (
            parsed.scheme == "http"
            and host in ("127.0.0.1", "localhost")
            and parsed.explicit_port is not None
            and parsed.path in ("", "/")
        )

    async def _same_service_url(self, key: str, service_url: str) -> bool:
        stored = await self.service.call(self.service.store.load_reference, f"{CHANNEL}:{key}")
        return stored is None or stored.get("serviceUrl") == service_url

    def mount(self, app: web.Application) -> None:
        """Mount ``POST /api/messages`` on our aiohttp app; at shutdown, the acknowledged
        turns finish before the app stops."""
        app.router.add_post("/api/messages", self.messages)
        app.on_shutdown.append(self._finish_turns)

    async def _finish_turns(self, app: web.Application) -> None:
        # The turns acknowledged so far finish (their replies are not retried any more, so a
        # gone connector cannot hold the shutdown), within a grace shorter than the platform's
        # kill timeout.
        self._closing = True
        await self.drain(grace=SHUTDOWN_GRACE_S)


def _sender(turn_context: TurnContext, activity: Activity) -> Callable[[], Awaitable[Any]]:
    def send() -> Awaitable[Any]:
        return turn_context.send_activity(activity)  # type: ignore[no-any-return]

    return send


def _service_allowed(scheme: str, host: str, origin: str, allowed: tuple[str, ...]) -> bool:
    # An entry is a host ("*." for subdomains), reached over https, or a whole origin
    # ("http://127.0.0.1:8080", for a connector under test).
    for pattern in allowed:
        if "://" in pattern:
            if origin == pattern.rstrip("/"):
                return True
        elif scheme != "https":
            continue
        elif pattern.startswith("*."):
            if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                return True
        elif host == pattern:
            return True
    return False


def _plausible(activity: Activity) -> bool:
    # What a turn reads of an activity, in the types it expects: anything else would fail
    # inside the turn, after the acknowledgement.
    sender = activity.from_property
    ids = [sender.id, sender.aad_object_id] if sender is not None else []
    # (Bounded so that "tenant:conversation" and "tenant:sender" fit the engine's keys.)
    if any(v is not None and not (isinstance(v, str) and len(v) <= 100) for v in ids):
        return False
    if activity.locale is not None and not isinstance(activity.locale, str):
        return False
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenants = [activity.conversation.tenant_id if activity.conversation else None]
    tenant_data = channel_data.get("tenant")
    tenants.append(tenant_data.get("id") if isinstance(tenant_data, dict) else tenant_data)
    return all(t is None or (isinstance(t, str) and len(t) <= 64) for t in tenants)


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _is_personal(activity: Activity) -> bool:
    conv = activity.conversation
    return conv is not None and (conv.conversation_type or "personal") == "personal"


def _conversation_key(activity: Activity) -> str | None:
    conv = activity.conversation
    if conv is None or not isinstance(conv.id, str) or not conv.id or len(conv.id) > 200:
        return None
    if activity.channel_data is not None and not isinstance(activity.channel_data, dict):
        return None
    try:
        return _keys(activity)[0]
    except (AttributeError, TypeError, ValueError):
        return None


def _problem(status: int, detail: str) -> web.Response:
    return web.json_response({"error": detail}, status=status)


CHANNEL_KEY: web.AppKey[TeamsChannel] = web.AppKey("teams_channel", TeamsChannel)


def setup(app: web.Application, settings: Settings, service: ConversationService) -> TeamsChannel:
    """Build the Teams channel and mount it on ``app`` (kept as ``app[CHANNEL_KEY]``, so that
    proactive messages can be sent through it)."""
    channel = TeamsChannel(settings, service)
    channel.mount(app)
    app[CHANNEL_KEY] = channel
    return channel
