"""Slack: the advisor as a Slack app. The only module that imports slack_bolt or slack_sdk.

* Events API at ``POST /slack/events`` on our own aiohttp server (bolt's ``async_dispatch``),
  or Socket Mode when ``SLACK_APP_TOKEN`` is set.
* Conversations: direct messages; a mention in a channel (the conversation continues in that
  thread, so a channel can hold several); ``/ethiek [beschrijving]`` (with text: in a DM; without:
  a modal asking for the description). State is keyed per workspace, channel and thread.
* Replies as Block Kit (``adapters/slack_blocks.py``); button clicks feed the engine as choices;
  a stale button gets a polite ephemeral reply and the answered message loses its buttons.
* App Home: what the bot does, how to start, the user's own recent triages.

Behaving well towards Slack: every request is acknowledged before the work is done; retried
events (``X-Slack-Retry-Num``) are processed once, by ``event_id`` in storage; the signature is
verified on the raw body before anything is parsed (401 for forged, missing or stale), a replayed
request is processed once, and a signed request we cannot read gets 200 (Slack retries
errors); a 429 is retried after ``Retry-After`` by
slack_sdk's retry handler; user text is escaped so it never pings; bots are ignored.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack_blocks import (
    MORE_ACTION,
    MORE_BLOCK,
    blocks_for,
    context,
    details_blocks,
    fallback_text,
)
from bot.config import Settings
from bot.service import ConversationService
from dialogs.markdown import to_slack
from dialogs.models import Inbound, Reply
from dialogs.render import outcome_sections
from dialogs.texts import t
from knowledge.schema import Lang

log = logging.getLogger("ethiekbot.slack")

CHANNEL = "slack"
CHOICE_ACTION = re.compile(r"^ethiek_choice_\d+$")
# Slack errors after which posting to that conversation can never work: the outbox gives up
# at once instead of retrying.
GONE = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "account_inactive",
        "user_not_found",
        "invalid_auth",
        "token_revoked",
    }
)
# A button that opens a link (the advisor's workspace): Slack still reports the click.
LINK_ACTION = re.compile(r"^ethiek_link_\d+$")
DESCRIBE_VIEW = "ethiek_describe"
_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")


def _from_slack(text: str) -> str:
    """Message text as the person typed it: Slack sends ``&``, ``<`` and ``>`` as entities, and
    replies escape them again, so leaving them would show ``&amp;`` for every ``&`` typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _mentions_bot(text: str, bot_user_id: str | None) -> bool:
    """Whether ``text`` mentions the bot (any user when the bot's id is unknown)."""
    return any(bot_user_id in (None, m.group(1)) for m in _MENTION.finditer(text))


def _without_bot_mention(text: str, bot_user_id: str | None) -> str:
    """The text of a mention without the bot's own ``<@U...>``; other mentions stay."""
    return _MENTION.sub(
        lambda m: "" if bot_user_id in (None, m.group(1)) else m.group(0), text
    ).strip()


# --- rendering (App Home; the messages are in adapters/slack_blocks.py) ----------------------


def home_view(records: list[Any], lang: Lang, privacy: str = "") -> View:
    """The App Home tab: what the bot does, how to start, the user's own recent triages, and
    the privacy statement (``privacy``, Markdown, made from the retention in force)."""
    nl = lang == "nl"
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text="Ethiekbot")),
        SectionBlock(text=MarkdownTextObject(text=to_slack(t("welcome", lang)))),
        SectionBlock(
            text=MarkdownTextObject(
                text=(
                    "*Zo begin je:* stuur me een direct bericht met je vraag, noem @Ethiekbot in "
                    "een kanaal (ik antwoord in de thread), of typ `/ethiek` met of zonder "
                    "beschrijving."
                    if nl
                    else "*How to start:* send me a direct message with your question, mention "
                    "@Ethiekbot in a channel (I answer in the thread), or type `/ethiek` with "
                    "or without a description."
                )
            )
        ),
        DividerBlock(),
        SectionBlock(
            text=MarkdownTextObject(text="*Je recente triages*" if nl else "*Your recent triages*")
        ),
    ]
    if not records:
        blocks.append(
            SectionBlock(text=MarkdownTextObject(text="_Nog geen._" if nl else "_None yet._"))
        )
    for r in records[:10]:
        desc = to_slack(r.outcome.description[:140].replace("\n", " "))
        status = r.status + (" · doorgegeven" if r.handed_over and nl else "")
        status += " · handed over" if r.handed_over and not nl else ""
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"`{r.id}` · {r.created_at[:10]} · risico {r.outcome.risk} · {status}\n"
                    f"{desc}"
                )
            )
        )
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text="🔒 Alleen jij ziet deze lijst. · Only you can see this list."
                )
            ]
        )
    )
    if privacy:
        blocks.append(DividerBlock())
        blocks.extend(
            SectionBlock(text=MarkdownTextObject(text=to_slack(part)))
            for part in privacy.split("\n\n")
            if part.strip()
        )
    return View(type="home", blocks=blocks)


# --- the app ------------------------------------------------------------------------------------


class SlackChannel:
    """The Slack app around one :class:`ConversationService`."""

    def __init__(self, settings: Settings, service: ConversationService) -> None:
        assert settings.slack_bot_token is not None  # the server only builds this when set
        token = settings.slack_bot_token.get_secret_value()
        self.service = service
        self.client = AsyncWebClient(
            token=token,
            base_url=_api_url(settings.slack_api_url),
            retry_handlers=[
                AsyncConnectionErrorRetryHandler(max_retry_count=2),
                AsyncRateLimitErrorRetryHandler(max_retry_count=3),
            ],
        )
        signing = settings.slack_signing_secret
        self.signing_enabled = signing is not None
        self._signing_key = signing.get_secret_value().encode() if signing else b""
        self.app = AsyncApp(
            client=self.client,  # carries the token
            signing_secret=signing.get_secret_value() if signing else None,
            # Ack first, work after: listeners run after the acknowledgement is sent.
            process_before_response=False,
            request_verification_enabled=signing is not None,
        )
        self.app_token = (
            settings.slack_app_token.get_secret_value() if settings.slack_app_token else None
        )
        self._register()

    # -- wiring --------------------------------------------------------------------------------

    def _register(self) -> None:
        app = self.app
        app.event("message")(self._on_message)
        app.event("app_mention")(self._on_mention)
        app.event("app_home_opened")(self._on_home)
        app.command("/ethiek")(self._on_command)
        app.action(CHOICE_ACTION)(self._on_choice)
        app.action(LINK_ACTION)(_ack_only)
        app.action(MORE_ACTION)(self._on_more)
        app.view(DESCRIBE_VIEW)(self._on_describe_submitted)

    async def _first_delivery(self, body: dict[str, Any], lane: str) -> bool:
        # Events are acknowledged before their listener runs; a retried delivery of an event
        # that was already handled (also before a restart) is then dropped here, off the ack path.
        # On the lane of the conversation's turns, so two events of one conversation keep their
        # order (bot/service.py).
        return await self.service.call_in(lane, self._first, body.get("event_id"))

    def _first(self, event_id: object) -> bool:
        """Whether this is the first delivery of the event (on a worker thread)."""
        if not event_id:
            return True
        first = self.service.store.first_delivery(f"slack:{event_id}")
        if not first:
            log.info("slack event %s already processed; dropped", event_id)
        return first

    # -- turns ---------------------------------------------------------------------------------

    async def _turn(
        self,
        team: str,
        channel: str,
        thread_ts: str | None,
        user: str,
        text: str | None = None,
        choice: str | None = None,
        event_id: object = None,
    ) -> list[Reply]:
        """One turn, its replies posted. With ``event_id`` the event's deduplication runs in
        the same call on the worker as the turn: one hand-over between threads, not two."""
        conversation = f"{team}:{channel}:{thread_ts or '-'}"
        msg = Inbound(
            channel=CHANNEL,
            conversation=conversation,
            user=f"{team}:{user}",
            text=text,
            choice=choice,
        )
        # The turn and its Block Kit are made on the service's worker thread: the event loop
        # stays free to acknowledge other requests.
        rendered = await self.service.call_in(_lane(team, channel), self._respond, msg, event_id)
        for reply, fallback, blocks in rendered:
            if (reply.content or {}).get("kind") == "stale":
                await self.client.chat_postEphemeral(
                    channel=channel, user=user, text=fallback, blocks=blocks, thread_ts=thread_ts
                )
                continue
            await self._post(channel, thread_ts, fallback, blocks)
            kind = (reply.content or {}).get("kind")
            if kind == "report":
                await self._upload_note(channel, thread_ts, reply)
            elif kind == "own-data":
                await self._upload_own_data(channel, thread_ts, reply)
        replies = [reply for reply, _, _ in rendered]
        return replies

    async def _post(
        self, channel: str, thread_ts: str | None, fallback: str, blocks: list[dict[str, Any]]
    ) -> None:
        # Links in our messages are to the workspace and the privacy statement: no previews.
        await self.client.chat_postMessage(
            channel=channel,
            text=fallback,
            blocks=blocks,
            thread_ts=thread_ts,
            unfurl_links=False,
            unfurl_media=False,
        )

    async def _upload_note(self, channel: str, thread_ts: str | None, reply: Reply) -> None:
        """The advice note as a PDF in the conversation (files.uploadV2), under the report."""
        from bot.advice_note import filename

        outcome_id = str((reply.content or {}).get("outcome_id") or "")
        pdf = await self.service.call(self.service.advice_note, outcome_id, "pdf")
        if pdf is None:
            return
        english = (reply.content or {}).get("lang") == "en"
        title = f"{'Advice note' if english else 'Adviesnotitie'} {outcome_id}"
        await self._upload(channel, thread_ts, pdf, filename(outcome_id, "pdf"), title)

    async def _upload_own_data(self, channel: str, thread_ts: str | None, reply: Reply) -> None:
        """Everything kept about the person as a JSON file, like the web chat's download.
        Only into a direct message: in a channel the file would be seen by others."""
        if not channel.startswith("D"):
            return
        data = (reply.content or {}).get("data")
        body = json.dumps(data, ensure_ascii=False, indent=2).encode()
        await self._upload(channel, thread_ts, body, OWN_DATA_FILE, "Mijn gegevens / My data")

    async def _upload(
        self, channel: str, thread_ts: str | None, content: bytes, name: str, title: str
    ) -> None:
        """A file into the conversation (files.uploadV2). A failure of any kind is logged by
        class; the message it belongs to was already posted, and the turn goes on."""
        try:
            await self.client.files_upload_v2(
                channel=channel, thread_ts=thread_ts, content=content, filename=name, title=title
            )
        except Exception as exc:  # Slack's, the network's or the timeout's
            log.warning("slack: file not uploaded (%s)", type(exc).__name__)

    def _respond(
        self, msg: Inbound, event_id: object = None
    ) -> list[tuple[Reply, str, list[dict[str, Any]]]]:
        """One turn with its replies rendered: (reply, notification text, blocks as dicts);
        nothing for an event delivered before."""
        if not self._first(event_id):
            return []
        return [
            (reply, fallback_text(reply), blocks_for(reply)) for reply in self.service.handle(msg)
        ]

    async def send(self, conversation: str, replies: list[Reply]) -> None:
        """The outbox's way into Slack: ``chat.postMessage`` in the DM, channel or thread the
        conversation key names (``team:channel:thread``)."""
        from slack_sdk.errors import SlackApiError

        from bot.outbox import DeliveryError

        parts = conversation.split(":")
        if len(parts) != 3 or not parts[1]:
            raise DeliveryError("slack: not a conversation key")
        _team, channel, thread = parts
        for reply in replies:
            try:
                await self._post(
                    channel,
                    None if thread == "-" else thread,
                    fallback_text(reply),
                    blocks_for(reply),
                )
            except SlackApiError as exc:
                code = str(exc.response.get("error", "error"))
                raise DeliveryError(f"slack: {code}", permanent=code in GONE) from None

    def _is_other_bot(self, event: dict[str, Any]) -> bool:
        return bool(event.get("bot_id") or event.get("subtype") or event.get("bot_profile"))

    async def _on_message(
        self, event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        team = body.get("team_id") or event.get("team") or "-"
        if self._is_other_bot(event):
            return  # our own messages, other bots, edits and joins
        channel, user = event.get("channel"), event.get("user")
        text = _from_slack(event.get("text") or "")
        if event.get("channel_type") == "im" and channel and user:
            thread_ts = event.get("thread_ts")
            event_id = body.get("event_id")
            await self._turn(team, channel, thread_ts, user, text=text, event_id=event_id)
            return
        if not await self._first_delivery(body, _lane(team, channel)) or not channel or not user:
            return
        thread_ts = event.get("thread_ts")
        if not thread_ts or _mentions_bot(text, context.bot_user_id):
            return  # a mention is handled by app_mention; the rest of the channel is not ours
        key = f"{CHANNEL}:{team}:{channel}:{thread_ts}"
        if await self.service.call(self.service.store.load_state, key) is not None:
            await self._turn(team, channel, thread_ts, user, text=text)

    async def _on_mention(
        self, event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        team = body.get("team_id") or event.get("team") or "-"
        if self._is_other_bot(event):
            return
        thread_ts = event.get("thread_ts") or event.get("ts")
        text = _from_slack(_without_bot_mention(event.get("text") or "", context.bot_user_id))
        event_id = body.get("event_id")
        await self._turn(
            team, event["channel"], thread_ts, event["user"], text=text, event_id=event_id
        )

    async def _dm(self, user: str) -> str:
        opened = await self.client.conversations_open(users=user)
        return str(opened["channel"]["id"])

    async def _on_command(
        self, ack: Callable[..., Awaitable[None]], command: dict[str, Any]
    ) -> None:
        text = _from_slack(command.get("text") or "").strip()
        user, team = command["user_id"], command.get("team_id") or "-"
        if not text:
            await ack()
            if isinstance(command.get("trigger_id"), str):  # Slack always sends one
                await self.client.views_open(
                    trigger_id=command["trigger_id"], view=_describe_modal()
                )
            return
        await ack(
            text="Ik ga met je verder in een direct bericht. · I'll continue in a direct message."
        )
        channel = await self._dm(user)
        await self._turn(team, channel, None, user, text=text)

    async def _on_describe_submitted(
        self, ack: Callable[..., Awaitable[None]], body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        text = _dig(view, "state", "values", "describe", "text", "value")
        if not text.strip():
            await ack(
                response_action="errors",
                errors={"describe": "Beschrijf je vraag of project. · Describe your question."},
            )
            return
        await ack()
        user = _dig(body, "user", "id")
        team = _dig(body, "team", "id") or _dig(body, "user", "team_id") or "-"
        channel = await self._dm(user)
        await self._turn(team, channel, None, user, text=text)

    async def _on_choice(self, ack: Callable[..., Awaitable[None]], body: dict[str, Any]) -> None:
        await ack()
        action = body["actions"][0]  # well_formed: a list of objects, not empty
        user, team, channel, message, thread_ts = _clicked(body)
        if not channel or not user:
            return
        replies = await self._turn(team, channel, thread_ts, user, choice=action.get("value"))
        stale = any((r.content or {}).get("kind") == "stale" for r in replies)
        if message.get("ts") and not stale:
            await self._mark_answered(channel, message, action)

    async def _on_more(self, ack: Callable[..., Awaitable[None]], body: dict[str, Any]) -> None:
        """The "More details" button under an outcome: acknowledged at once; then the outcome's
        sections are posted in the same DM or thread, and the button is replaced by a note that
        they were. Only for the conversation the outcome came from (or the person who made it).
        """
        await ack()
        action = body["actions"][0]  # well_formed: a list of objects, not empty
        user, team, channel, message, thread_ts = _clicked(body)
        outcome_id = action.get("value")
        if not channel or not user or not isinstance(outcome_id, str):
            return
        key = f"{CHANNEL}:{team}:{channel}:{thread_ts or '-'}"
        rendered = await self.service.call(self._details, outcome_id, key, f"{team}:{user}")
        if rendered is None:
            await self.client.chat_postEphemeral(
                channel=channel,
                user=user,
                thread_ts=thread_ts,
                text="Deze uitkomst is niet (meer) bewaard; typ `rapport` of begin opnieuw. · "
                "This outcome is no longer kept; type `report` or start over.",
            )
            return
        fallback, blocks = rendered
        await self._post(channel, thread_ts, fallback, blocks)
        if message.get("ts"):
            kept = [b for b in message.get("blocks", []) if b.get("block_id") != MORE_BLOCK]
            at = next(
                (
                    i
                    for i, b in enumerate(message.get("blocks", []))
                    if b.get("block_id") == MORE_BLOCK
                ),
                len(kept),
            )
            note = "✔ Details hieronder · Details below"
            kept.insert(at, context(note))
            await self.client.chat_update(
                channel=channel, ts=message["ts"], blocks=kept, text=message.get("text") or "✔"
            )

    def _details(
        self, outcome_id: str, key: str, user: str
    ) -> tuple[str, list[dict[str, Any]]] | None:
        """The sections of an outcome as (notification text, blocks), when it is still kept and
        belongs to this conversation or this person; None otherwise."""
        store = self.service.store
        record = store.get_outcome(outcome_id)
        if record is None:
            return None
        row = store.review_row(outcome_id) or {}
        if row.get("conversation") != key and not store.owns(outcome_id, CHANNEL, user):
            return None
        lang = record.outcome.lang
        blocks = details_blocks(outcome_sections(record.outcome, lang), lang)
        fallback = "Details van de uitkomst" if lang == "nl" else "Details of the outcome"
        return fallback, blocks

    async def _mark_answered(
        self, channel: str, message: dict[str, Any], action: dict[str, Any]
    ) -> None:
        # Replace the buttons of the answered message by what was chosen, so they cannot be
        # clicked again by mistake. (An outcome's "More details" stays: it is no answer.)
        blocks = [
            b
            for b in message.get("blocks", [])
            if b.get("type") != "actions" or b.get("block_id") == MORE_BLOCK
        ]
        label = action.get("text", {}).get("text", "")
        blocks.append(context("✔ " + to_slack(label)))
        await self.client.chat_update(
            channel=channel, ts=message["ts"], blocks=blocks, text=message.get("text") or "✔"
        )

    async def _on_home(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        user = event["user"]
        team = body.get("team_id") or "-"
        if event.get("tab") not in (None, "home") or not await self._first_delivery(
            body, _lane(team, user)
        ):
            return
        records = await self.service.call(self.service.store.outcomes_of, CHANNEL, f"{team}:{user}")
        policy = self.service.engine.policy
        privacy = policy.statement("nl")
        await self.client.views_publish(user_id=user, view=home_view(records, "nl", privacy))

    # -- mounting ------------------------------------------------------------------------------

    async def events(self, request: web.Request) -> web.Response:
        """``POST /slack/events``: Events API, slash commands and interactivity.

        The signature is checked on the raw bytes before anything is parsed (401 when it is
        forged, missing or stale). A signed request is Slack's: whatever is wrong with it gets
        a 200 and one log line, because Slack retries anything else. A replayed slash command
        or button click (the same signature: the same body and timestamp) is acknowledged and
        dropped; a replayed event falls to the event_id check after the acknowledgement."""
        raw = await request.read()
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        if not self._signed(raw, timestamp, signature):
            log.info("slack: request refused: signature missing, forged or stale")
            return web.json_response({"error": "invalid signature"}, status=401)
        try:
            bolt_request = AsyncBoltRequest(
                body=raw.decode("utf-8"),
                query=request.query_string,
                headers={k: request.headers.getall(k) for k in request.headers},
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            # Signed but malformed: Slack would retry an error, so it gets a 200.
            log.info("slack: signed request not understood (%s); ignored", type(exc).__name__)
            return web.Response(status=200)
        if not well_formed(bolt_request.body):
            log.info("slack: signed request of an unknown shape; ignored")
            return web.Response(status=200)
        # An event is deduplicated by its event_id (which also catches Slack's own retries);
        # a slash command or an interaction has none, so its signature is recorded instead.
        if "event_id" not in bolt_request.body and not await self.service.call(
            self.service.store.first_delivery,
            "slack-sig:" + hashlib.sha256(signature.encode()).hexdigest()[:32],
        ):
            log.info("slack: replayed request dropped")
            return web.Response(status=200)
        bolt_response = await self.app.async_dispatch(bolt_request)
        if bolt_response.status >= 400 and bolt_response.status != 401:
            log.info("slack: request not handled (bolt %d); acknowledged", bolt_response.status)
            return web.Response(status=200)
        return await to_aiohttp_response(bolt_response)

    def _signed(self, raw: bytes, timestamp: str, signature: str) -> bool:
        # A well-formed timestamp first: the verifier's int() would raise on anything else.
        if not (timestamp.isascii() and timestamp.isdecimal() and len(timestamp) <= 12):
            return False
        if not signature.isascii() or len(signature) > 100:
            return False
        if abs(time.time() - int(timestamp)) > SIGNATURE_WINDOW_S:
            return False
        # Slack's scheme (v0, HMAC-SHA256 of "v0:{timestamp}:{body}") over the raw bytes, so a
        # body that is not UTF-8 is refused as unsigned rather than failing to decode.
        mac = hmac.new(self._signing_key, b"v0:" + timestamp.encode() + b":" + raw, "sha256")
        return hmac.compare_digest("v0=" + mac.hexdigest(), signature)

    def mount(self, app: web.Application) -> None:
        """Mount on our aiohttp app: the HTTP endpoint, or Socket Mode for the app's lifetime.

        The HTTP endpoint only exists with a signing secret: without one nothing could tell
        Slack's requests from anybody else's (Socket Mode needs no public endpoint)."""
        if self.signing_enabled:
            app.router.add_post("/slack/events", self.events)
        app.cleanup_ctx.append(self._web_session)
        if self.app_token:
            app.cleanup_ctx.append(self._socket_mode)

    async def _web_session(self, app: web.Application) -> AsyncIterator[None]:
        # One HTTP session for every Web API call, so connections (and their TLS handshakes)
        # are reused; without it slack_sdk opens a new session and connection per call.
        session = aiohttp.ClientSession()
        self.client.session = session
        yield
        self.client.session = None
        await session.close()

    async def _socket_mode(self, app: web.Application) -> AsyncIterator[None]:
        handler = AsyncSocketModeHandler(self.app, self.app_token)
        await handler.connect_async()  # type: ignore[no-untyped-call]
        log.info("slack: connected in Socket Mode")
        yield
        await handler.close_async()  # type: ignore[no-untyped-call]


def _lane(team: str, channel: object) -> str:
    """The worker lane of a Slack conversation: its channel (a DM, or a channel's threads)."""
    return f"{CHANNEL}:{team}:{channel}"


OWN_DATA_FILE = "mijn-gegevens-ethiekbot.json"
SIGNATURE_WINDOW_S = 5 * 60  # Slack's own limit on a request's age

# Where bolt reads a payload with .get() on the way to a listener (or to a log line): each must
# be an object (or a list of objects) when present, or bolt raises before any listener runs.
_OBJECTS = ("event", "view", "container", "message", "enterprise")
_OBJECTS_OR_IDS = ("team", "user", "channel")  # objects in interactions, ids elsewhere
_LISTS = ("authorizations", "actions")
_INTERACTIONS = {"block_actions", "view_submission", "view_closed", "shortcut", "message_action"}
_IDS = ("team_id", "user_id", "channel_id", "api_app_id", "enterprise_id")
_EVENT_STRINGS = ("type", "subtype", "text", "user", "channel", "ts", "thread_ts", "bot_id", "tab")


def well_formed(body: Any) -> bool:
    """Whether a parsed Slack request has the shape bolt relies on."""
    if not isinstance(body, dict) or not body:
        return False
    event = body.get("event", {})
    if not isinstance(event, dict):
        return False
    if any(not isinstance(event.get(k, ""), str) for k in _EVENT_STRINGS):
        return False
    if any(body.get(k) is not None and not isinstance(body[k], dict) for k in _OBJECTS):
        return False
    if any(
        body.get(k) is not None and not isinstance(body[k], (dict, str)) for k in _OBJECTS_OR_IDS
    ):
        return False
    for key in _LISTS:
        value = body.get(key)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(v, dict) for v in value)
        ):
            return False
    if not all(isinstance(body.get(k, ""), str) for k in ("type", "command", "text")):
        return False
    # Ids are short: a long one would not fit a conversation key.
    if any(not _is_id(body[k]) for k in _IDS if k in body):
        return False
    if "command" in body and not all(_is_id(body.get(k)) for k in ("user_id", "team_id")):
        return False
    if body.get("type") in _INTERACTIONS:
        # In an interaction these are objects, and the person is always named.
        if any(not _object_with_id(body.get(k)) for k in ("team", "channel", "enterprise")):
            return False
        if body.get("user") is None or not _object_with_id(body["user"]):
            return False
    view = body.get("view")
    if view is not None and not all(isinstance(view.get(k), str) for k in ("type", "callback_id")):
        return False  # bolt matches listeners on these (and Slack always sends them)
    if body.get("type") == "block_actions":
        actions = body.get("actions")
        if not actions or any(not isinstance(a.get("action_id"), str) for a in actions):
            return False
        if any(
            not isinstance(a.get("value", ""), str) or len(a.get("value", "")) > 200
            for a in actions
        ):
            return False
    return True


def _clicked(body: dict[str, Any]) -> tuple[str, str, str, dict[str, Any], str | None]:
    """Where a button was clicked: (user, team, channel, the message, its thread or None)."""
    user = _dig(body, "user", "id")
    team = _dig(body, "team", "id") or _dig(body, "user", "team_id") or "-"
    channel = _dig(body, "channel", "id") or _dig(body, "container", "channel_id")
    found = body.get("message")
    message: dict[str, Any] = found if isinstance(found, dict) else {}
    return user, team, channel, message, _dig(message, "thread_ts") or None


def _dig(node: Any, *path: str) -> str:
    """The text at ``path`` in nested objects, or "" when any step is missing or not text."""
    for key in path:
        if not isinstance(node, dict):
            return ""
        node = node.get(key)
    return node if isinstance(node, str) else ""


def _is_id(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 64


def _object_with_id(value: object) -> bool:
    # Absent, or an object whose id (if any) is a short string.
    if value is None:
        return True
    return isinstance(value, dict) and ("id" not in value or _is_id(value["id"]))


async def _ack_only(ack: Callable[..., Awaitable[None]]) -> None:
    await ack()


def _describe_modal() -> View:
    return View(
        type="modal",
        callback_id=DESCRIBE_VIEW,
        title=PlainTextObject(text="Ethiekbot"),
        submit=PlainTextObject(text="Start"),
        close=PlainTextObject(text="Annuleren"),
        blocks=[
            InputBlock(
                block_id="describe",
                label=PlainTextObject(
                    text="Beschrijf je vraag of project / Describe your question"
                ),
                element=PlainTextInputElement(
                    action_id="text",
                    multiline=True,
                    max_length=3000,
                    placeholder=PlainTextObject(
                        text="Bijv. Mogen we drones inzetten om weilanden te controleren?"
                    ),
                ),
            )
        ],
    )


def _api_url(url: str | None) -> str:
    if not url:
        return AsyncWebClient.BASE_URL
    return url if url.endswith("/") else url + "/"


def setup(app: web.Application, settings: Settings, service: ConversationService) -> SlackChannel:
    """Build the Slack channel and mount it on ``app``."""
    channel = SlackChannel(settings, service)
    channel.mount(app)
    return channel
