"""Fuzzing every route of the real server with generated bad requests (hypothesis).

The server runs on loopback with the web chat, the advisor's workspace, Slack (against a stub
Web API on loopback) and Teams (local mode). Each generated request must get an answer below
500, and nothing may log a traceback or the text that was sent. The budget is bounded (a few
hundred requests per test); ``benchmarks/fuzz_bench.py`` runs the long version.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import Settings
from bot.logs import FORMAT, OneLineFormatter, quiet_libraries
from bot.server import create_app
from bot.service import ConversationService
from knowledge.triage import Advisor
from tests.threaded_app import ThreadedApp

SECRET = "fuzz-signing-secret"
MARKER = "ZZgeheimZZ"  # put into generated text: it must never reach the log
BUDGET = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)

ROUTES = [
    ("GET", "/"),
    ("GET", "/privacy"),
    ("GET", "/healthz"),
    ("GET", "/static/chat.js"),
    ("POST", "/api/session"),
    ("POST", "/api/chat"),
    ("POST", "/api/inbox"),
    ("POST", "/api/my-data"),
    ("GET", "/api/report/T-0123456789ab"),
    ("POST", "/api/report/T-0123456789ab"),
    ("POST", "/api/checkpoints/T-0123456789ab.ics"),
    ("POST", "/api/messages"),
    ("POST", "/slack/events"),
    ("GET", "/advisor/"),
    ("GET", "/advisor/signin"),
    ("POST", "/advisor/signin"),
    ("GET", "/advisor/triage/T-0123456789ab"),
    ("POST", "/advisor/triage/T-0123456789ab/status"),
    ("GET", "/advisor/overview"),
]
CONTENT_TYPES = [
    None,
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=bogus",
    "application/json; charset=latin-1",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "application/vnd.api+json",
    "image/png",
    "application/json; charset=",
]
ODD_TEXT = st.sampled_from(
    [
        "⓵",
        "፩",
        "١٢",
        "9" * 5000,
        "",
        " ",
        "\u0000",
        "\ufeff",
        "\u202e",
        "𝕯𝖗𝖔𝖓𝖊𝖘",
        "<script>alert(1)</script>",
        "%s%n",
        "{{7*7}}",
        "opnieuw",
        "stop",
        "wis mijn gegevens",
        "mijn gegevens",
        "samenvatting",
        "waarom?",
        "ja",
        "nee",
        "1",
        "0",
        "-1",
        "99",
        "a" * 30_000,
    ]
)
JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=50).map(lambda s: s + MARKER),
    ODD_TEXT,
)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


@dataclass
class Server:
    app: ThreadedApp
    service: ConversationService
    log: list[str]
    session: str

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.app.port, timeout=30)
        try:
            # Header values as UTF-8 bytes: a fuzzed value need not be Latin-1.
            encoded = {k: v.encode("utf-8", "surrogatepass") for k, v in (headers or {}).items()}
            conn.request(method, path, body=body, headers=encoded)
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            conn.close()


class _Collect(logging.Handler):
    """What the server's log would show: each record through the server's own formatter."""

    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.INFO)
        self.into = into
        self.setFormatter(OneLineFormatter(FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(self.format(record))


def _slack_stub() -> web.Application:
    async def api(request: web.Request) -> web.Response:
        return web.json_response(
            {
                "ok": True,
                "user_id": "U0BOT",
                "bot_id": "B0BOT",
                "team_id": "T1",
                "ts": "1.1",
                "channel": {"id": "D1"},
            }
        )

    app = web.Application()
    app.router.add_post("/api/{method}", api)
    return app


@pytest.fixture(scope="module")
def server(advisor: Advisor, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    stub = ThreadedApp(_slack_stub, "slack-stub").start()
    db = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    config = Settings(
        db_path=db,
        secret="fuzz",
        teams_local=True,
        slack_bot_token="xoxb-fuzz",
        slack_signing_secret=SECRET,
        slack_api_url=f"{stub.url}/api/",
        limit_turns_per_user=0,
        limit_turns_per_address=0,
        limit_new_per_user=0,
        limit_new_per_address=0,
    )
    service = ConversationService.from_settings(config, advisor=advisor)
    records: list[str] = []
    handler = _Collect(records)
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)
    quiet_libraries()  # the library log levels the server runs with
    app = ThreadedApp(lambda: create_app(config, service), "fuzz-server").start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", app.port, timeout=30)
        conn.request("POST", "/api/session")
        token = json.loads(conn.getresponse().read())["session"]
        conn.close()
        yield Server(app, service, records, token)
    finally:
        app.stop()
        stub.stop()
        service.close()
        root.removeHandler(handler)
        root.setLevel(old_level)
    _assert_clean_log(records)


def _assert_clean_log(lines: list[str]) -> None:
    assert lines, "nothing was logged: the check would be empty"
    for line in lines:
        assert "\n" not in line and "Traceback" not in line, f"traceback logged: {line[:300]}"
        assert MARKER not in line, f"user text logged: {line[:300]}"


def _check(status: int, body: bytes) -> None:
    assert status < 500, f"{status}: {body[:300]!r}"
    assert b"Traceback" not in body


def _sign(body: bytes, ts: str) -> str:
    return (
        "v0="
        + hmac.new(SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    )


def _encode(value: Any) -> bytes:
    return json.dumps(value).encode("utf-8", "surrogatepass")


@BUDGET
@given(
    route=st.sampled_from(ROUTES),
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", None]),
    content_type=st.sampled_from(CONTENT_TYPES),
    body=st.one_of(st.binary(max_size=300), JSON_VALUE.map(_encode)),
    origin=st.sampled_from([None, "https://evil.example", "null"]),
)
def test_any_request_to_any_route_gets_an_answer_below_500(
    server: Server,
    route: tuple[str, str],
    method: str | None,
    content_type: str | None,
    body: bytes,
    origin: str | None,
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    if origin:
        headers["Origin"] = origin
    _check(*server.request(method or route[0], route[1], body, headers))


@BUDGET
@given(
    path=st.text(
        alphabet=st.characters(min_codepoint=33, max_codepoint=0x2FFF, exclude_characters="?#"),
        max_size=60,
    )
)
def test_any_path_gets_an_answer_below_500(server: Server, path: str) -> None:
    status, body = server.request("GET", "/" + quote(path, safe="/%.~-"))
    _check(status, body)


@BUDGET
@given(
    text=st.one_of(ODD_TEXT, st.text(max_size=300).map(lambda s: s + " " + MARKER)),
    choice=st.one_of(st.none(), ODD_TEXT, st.text(max_size=250)),
    locale=st.sampled_from([None, "nl", "en", "fr", 7, ""]),
)
def test_the_engine_answers_any_typed_text_or_choice(
    server: Server, text: str, choice: str | None, locale: object
) -> None:
    payload: dict[str, Any] = {"session": server.session, "text": text, "locale": locale}
    if choice is not None:
        payload["choice"] = choice
        payload.pop("text")
    status, body = server.request(
        "POST", "/api/chat", _encode(payload), {"Content-Type": "application/json"}
    )
    _check(status, body)
    if status == 200:
        assert json.loads(body)["replies"] is not None


SLACK_BODIES = st.one_of(
    st.binary(max_size=300),
    JSON_VALUE.map(_encode),
    st.builds(
        lambda event: _encode(
            {
                "type": "event_callback",
                "team_id": "T1",
                "event_id": f"Ev{time.time_ns()}",
                "event": event,
            }
        ),
        st.one_of(
            JSON_VALUE,
            st.fixed_dictionaries(
                {
                    "type": st.sampled_from(["message", "app_mention", "app_home_opened", 7]),
                    "channel": st.one_of(st.just("D1"), JSON_VALUE),
                    "user": st.one_of(st.just("U1"), JSON_VALUE),
                    "text": st.one_of(ODD_TEXT, JSON_VALUE),
                },
            ),
        ),
    ),
    st.builds(
        lambda payload: b"payload=" + quote(json.dumps(payload)).encode(),
        JSON_VALUE,
    ),
    st.builds(
        lambda text, user: urlencode(
            {
                "command": "/ethiek",
                "text": text,
                "user_id": user,
                "team_id": "T1",
                "channel_id": "C1",
                "trigger_id": str(time.time_ns()),
            }
        ).encode(),
        ODD_TEXT,
        st.sampled_from(["U1", "", "U" * 300]),
    ),
)


@BUDGET
@given(
    body=SLACK_BODIES,
    content_type=st.sampled_from(
        ["application/json", "application/x-www-form-urlencoded", "text/plain", None]
    ),
    signed=st.booleans(),
    timestamp=st.one_of(
        st.none(),
        st.sampled_from(["abc", "", "١٧٠٠", "9" * 5000, "-5", "1e9"]),
        st.integers(min_value=-600, max_value=600).map(lambda d: str(int(time.time()) + d)),
    ),
)
def test_slack_answers_any_request_below_500(
    server: Server, body: bytes, content_type: str | None, signed: bool, timestamp: str | None
) -> None:
    ts = timestamp if timestamp is not None else str(int(time.time()))
    headers = {"X-Slack-Request-Timestamp": ts}
    if content_type:
        headers["Content-Type"] = content_type
    if signed and ts.isascii():
        headers["X-Slack-Signature"] = _sign(body, ts)
    status, answer = server.request("POST", "/slack/events", body, headers)
    _check(status, answer)
    if not signed:
        assert status == 401


TEAMS_ACTIVITIES = st.fixed_dictionaries(
    {
        "type": st.one_of(st.sampled_from(["message", "conversationUpdate", "invoke"]), JSON_VALUE),
        "id": st.one_of(st.text(max_size=20), JSON_VALUE),
        "serviceUrl": st.sampled_from(
            [
                "http://127.0.0.1:9/",
                "http://localhost:9\\@127.0.0.1/",
                "https://evil.example/",
                "",
                "file:///etc/passwd",
                "http://127.0.0.1:9/v3/../x",
            ]
        ),
        "channelId": st.one_of(st.just("msteams"), JSON_VALUE),
        "from": st.one_of(st.just({"id": "29:u"}), JSON_VALUE),
        "conversation": st.one_of(st.just({"id": "a:1"}), JSON_VALUE),
        "recipient": st.one_of(st.just({"id": "28:bot"}), JSON_VALUE),
        "text": st.one_of(ODD_TEXT, JSON_VALUE),
        "value": JSON_VALUE,
        "entities": JSON_VALUE,
        "channelData": JSON_VALUE,
        "locale": JSON_VALUE,
    }
)


@BUDGET
@given(activity=TEAMS_ACTIVITIES)
def test_teams_answers_any_activity_below_500(server: Server, activity: dict[str, Any]) -> None:
    status, body = server.request(
        "POST", "/api/messages", _encode(activity), {"Content-Type": "application/json"}
    )
    _check(status, body)


ADVISOR_PATHS = [
    "/advisor/",
    "/advisor/audit",
    "/advisor/api/outcomes",
    "/advisor/api/outcomes/{oid}",
    "/advisor/api/audit",
    "/advisor/outcomes/{oid}",
    "/advisor/outcomes/{oid}/promote",
    "/advisor/outcomes/{oid}/register",
    "/advisor/outcomes/{oid}/register.json",
    "/advisor/outcomes/{oid}/status",
    "/advisor/outcomes/{oid}/assign",
    "/advisor/outcomes/{oid}/note",
    "/advisor/outcomes/{oid}/reply",
    "/advisor/outcomes/{oid}/correct",
    "/advisor/export.csv",
    "/advisor/export.json",
    "/advisor/overview",
    "/advisor/charts/{word}.svg",
    "/advisor/projects",
    "/advisor/advisors",
    "/advisor/advisors/{word}",
    "/advisor/contacts",
    "/advisor/logout",
]
QUERY = st.dictionaries(
    st.sampled_from(["from", "to", "after", "before", "status", "instrument", "risk", "q", "page"]),
    st.one_of(ODD_TEXT, st.text(max_size=20)),
    max_size=4,
)
FORM = st.dictionaries(
    st.sampled_from(
        ["status", "email", "text", "field", "value", "reason", "intent", "id", "year", "role"]
    ),
    st.one_of(ODD_TEXT, st.text(max_size=40).map(lambda s: s + MARKER)),
    max_size=5,
)


@pytest.fixture(scope="module")
def advisor_session(server: Server) -> tuple[str, str]:
    """(cookie, csrf) of a signed-in advisor, through the invite link as a browser does."""
    token = server.service.store.create_invite("fuzz@prov.nl", "beheerder")
    conn = http.client.HTTPConnection("127.0.0.1", server.app.port, timeout=30)
    conn.request("POST", f"/advisor/login/{token}")
    resp = conn.getresponse()
    resp.read()
    cookie = resp.getheader("Set-Cookie", "").split(";", 1)[0]
    conn.request("GET", "/advisor/api/me", headers={"Cookie": cookie})
    me = json.loads(conn.getresponse().read())
    conn.close()
    assert me["email"] == "fuzz@prov.nl"
    return cookie, str(me["csrf"])


@BUDGET
@given(
    path=st.sampled_from(ADVISOR_PATHS),
    oid=st.sampled_from(["T-000000", "T-0123456789abcdef01234567", "x", "T-" + "f" * 40]),
    word=st.sampled_from(["risk", "x", "..", "⓵", "add", "remove", ""]),
    method=st.sampled_from(["GET", "POST", "DELETE"]),
    query=QUERY,
    form=FORM,
    with_csrf=st.booleans(),
    charset=st.sampled_from(["", "; charset=utf-8", "; charset=bogus", "; charset=latin-1"]),
)
def test_the_signed_in_workspace_answers_any_request_below_500(
    server: Server,
    advisor_session: tuple[str, str],
    path: str,
    oid: str,
    word: str,
    method: str,
    query: dict[str, str],
    form: dict[str, str],
    with_csrf: bool,
    charset: str,
) -> None:
    cookie, csrf = advisor_session
    target = path.format(oid=oid, word=quote(word)) + ("?" + urlencode(query) if query else "")
    if with_csrf:
        form = {**form, "csrf": csrf}
    body = urlencode(form).encode("utf-8", "surrogatepass") if method != "GET" else b""
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded" + charset}
    status, answer = server.request(method, target, body, headers)
    _check(status, answer)


def test_the_server_is_up_after_the_fuzzing(server: Server) -> None:
    assert server.request("GET", "/healthz")[0] == 200


def test_the_log_holds_no_traceback_and_no_user_text(server: Server) -> None:
    _assert_clean_log(server.log)
