"""The real aiohttp server on loopback, with the web chat on a SQLite file: HTTP end to end."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient, TestServer

from adapters.web import SESSION_HEADER, conversation_id
from bot.config import Settings
from bot.server import create_app
from bot.service import ConversationService
from bot.storage import Store
from dialogs.engine import Engine
from dialogs.markdown import to_plain
from knowledge.triage import Advisor

DRONES = "Mogen we drones inzetten boven weilanden?"
Client = TestClient[web.Request, web.Application]
CAMERAS = "Camera's op het marktplein die drukte detecteren en bezoekers tellen"


@pytest.fixture
def service(advisor: Advisor, tmp_path: Path) -> ConversationService:
    return ConversationService(Engine(advisor), Store.open(tmp_path / "web.db"))


@pytest.fixture
async def client(service: ConversationService, tmp_path: Path) -> AsyncIterator[Client]:
    settings = Settings(db_path=tmp_path / "web.db")
    app = create_app(settings, service)
    async with TestClient(TestServer(app, host="127.0.0.1", port=0)) as c:
        yield c
    service.close()


async def session(client: Client) -> str:
    resp = await client.post("/api/session")
    assert resp.status == 200
    token = (await resp.json())["session"]
    assert isinstance(token, str) and len(token) >= 16
    return token


async def say(client: Client, token: str, **body: Any) -> list[dict[str, Any]]:
    resp = await client.post("/api/chat", json={"session": token, **body})
    assert resp.status == 200, await resp.text()
    replies: list[dict[str, Any]] = (await resp.json())["replies"]
    assert replies
    return replies


def text_of(replies: list[dict[str, Any]]) -> str:
    return "\n\n".join(to_plain(r["text"]) for r in replies)


def button(replies: list[dict[str, Any]], label: str) -> str:
    for r in reversed(replies):
        for c in r["choices"]:
            if c["label"] == label:
                return str(c["id"])
    raise AssertionError(f"no button {label!r}")


async def error_of(resp: ClientResponse, status: int) -> dict[str, str]:
    assert resp.status == status
    assert resp.content_type == "application/json"
    body = await resp.json()
    assert set(body["error"]) == {"nl", "en"}
    return dict(body["error"])


# -- the plain routes ---------------------------------------------------------------------------


async def test_healthz_on_loopback(client: Client) -> None:
    assert client.server.host == "127.0.0.1"
    assert isinstance(client.server.port, int) and client.server.port > 0
    resp = await client.get("/healthz")
    assert resp.status == 200
    assert await resp.json() == {"status": "ok"}


async def test_page_has_csp_and_the_chat(client: Client) -> None:
    resp = await client.get("/")
    assert resp.status == 200
    assert resp.content_type == "text/html"
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    page = await resp.text()
    assert "<title>Ethiekbot</title>" in page
    assert '<script src="/static/chat.js"' in page and 'id="input"' in page
    js = await client.get("/static/chat.js")
    assert js.status == 200 and js.content_type == "application/javascript"
    assert "Content-Security-Policy" in js.headers
    assert (await client.get("/static/secret.txt")).status == 404
    assert (await client.get("/static/..%2F..%2Fpyproject.toml")).status == 404


async def test_session_tokens_are_new_each_time(client: Client) -> None:
    tokens = {await session(client) for _ in range(5)}
    assert len(tokens) == 5


# -- a conversation and its report --------------------------------------------------------------


async def test_conversation_to_outcome_and_report(
    client: Client, service: ConversationService
) -> None:
    tok = await session(client)
    welcome = await say(client, tok)  # no text: the welcome
    assert welcome[0]["content"] == {"kind": "welcome"}
    quick = await say(client, tok, text=DRONES)
    assert quick[-1]["content"]["kind"] == "quick-take"
    assert "Aanpak Begeleidingsethiek" in text_of(quick)
    assert "<strong>Eerste indruk</strong>" in quick[-1]["html"]
    walk = await say(client, tok, choice=button(quick, "Drietrap doorlopen"))
    assert "Wat wil je bereiken" in text_of(walk)
    replies = await say(client, tok, text="Bloemrijke weilanden")
    for _ in range(40):
        if replies[-1]["content"] and replies[-1]["content"]["kind"] == "outcome":
            break
        replies = await say(client, tok, text="overslaan")
    outcome = replies[-1]
    assert outcome["content"]["kind"] == "outcome"
    outcome_id = outcome["content"]["outcome_id"]
    assert outcome_id.startswith("T-")
    assert "outcome" not in outcome["content"]  # the full outcome stays on the server
    assert "Uitkomst" in outcome["html"] and "Aanpak Begeleidingsethiek" in outcome["html"]

    # The token never goes into the URL: a query parameter is not a credential.
    resp = await client.get(f"/api/report/{outcome_id}", params={"session": tok})
    assert resp.status == 404
    resp = await client.post(f"/api/report/{outcome_id}", json={"session": tok})
    assert resp.status == 200
    by_header = await client.get(f"/api/report/{outcome_id}", headers={SESSION_HEADER: tok})
    assert by_header.status == 200 and await by_header.text() == await resp.text()
    assert resp.content_type == "text/markdown"
    assert resp.charset == "utf-8"
    assert resp.headers["Content-Disposition"] == (
        f'attachment; filename="ethiekbot-{outcome_id}.md"'
    )
    assert "Content-Security-Policy" in resp.headers
    report = await resp.text()
    assert report.startswith("# Ethiekbot: uitkomst van de triage")
    assert f"`{outcome_id}`" in report
    assert DRONES in report and "Bloemrijke weilanden" in report

    # The advice note as a PDF and as a printable page, for the same session only.
    pdf = await client.post(f"/api/report/{outcome_id}?format=pdf", json={"session": tok})
    assert pdf.status == 200 and pdf.content_type == "application/pdf"
    assert (await pdf.read()).startswith(b"%PDF-")
    assert pdf.headers["Content-Disposition"].endswith(f'ethiekbot-{outcome_id}.pdf"')
    page = await client.post(f"/api/report/{outcome_id}?format=html", json={"session": tok})
    assert page.status == 200 and page.content_type == "text/html"
    assert "Bloemrijke weilanden" in await page.text()
    odd = await client.post(f"/api/report/{outcome_id}?format=docx", json={"session": tok})
    assert odd.status == 400
    stranger = await session(client)
    nope = await client.post(f"/api/report/{outcome_id}?format=pdf", json={"session": stranger})
    assert nope.status == 404

    # Someone else's session, a missing session, a malformed session or id: all 404.
    other = await session(client)
    for url, params in [
        (f"/api/report/{outcome_id}", {"session": other}),
        (f"/api/report/{outcome_id}", {}),
        (f"/api/report/{outcome_id}", {"session": "kort"}),
        ("/api/report/T-0000000000", {"session": tok}),
        ("/api/report/not-an-id", {"session": tok}),
        ("/api/report/T-" + "a" * 40, {"session": tok}),
        ("/api/report/..%2F..%2Fetc%2Fpasswd", {"session": tok}),
    ]:
        resp = await client.post(url, json=params)
        assert resp.status == 404, url
        if resp.content_type == "application/json":
            await error_of(resp, 404)
    assert service.store.owns(outcome_id, "web", conversation_id(tok))
    assert not service.store.owns(outcome_id, "web", conversation_id(other))
    # The token itself is stored nowhere: only its hash names the conversation.
    dump = "\n".join(service.store.db.conn.iterdump())
    assert tok not in dump and conversation_id(tok) in dump


# -- bad requests ------------------------------------------------------------------------------


async def test_bad_json_is_a_400_json_error(client: Client) -> None:
    resp = await client.post(
        "/api/chat", data=b"{not json", headers={"Content-Type": "application/json"}
    )
    err = await error_of(resp, 400)
    assert "JSON" in err["en"]
    resp = await client.post("/api/chat", data=b"\xff\xfe\x00", headers={})
    await error_of(resp, 400)
    resp = await client.post("/api/chat", json=["a", "list"])
    await error_of(resp, 400)


@pytest.mark.parametrize(
    "token", [None, "", "kort", "x" * 65, "spaties in een token!!", 12345678901234567890, ["a"]]
)
async def test_bad_session_token_is_a_400(client: Client, token: Any) -> None:
    resp = await client.post("/api/chat", json={"session": token, "text": DRONES})
    err = await error_of(resp, 400)
    assert "session" in err["en"].lower()


@pytest.mark.parametrize("body", [{"text": 5}, {"text": ["a"]}, {"text": {"x": 1}}])
async def test_non_string_text_is_a_400(client: Client, body: dict[str, Any]) -> None:
    tok = await session(client)
    resp = await client.post("/api/chat", json={"session": tok, **body})
    err = await error_of(resp, 400)
    assert err["en"] == "Text must be a string."


async def test_bad_choice_type_is_a_400(client: Client) -> None:
    tok = await session(client)
    for choice in (7, "x" * 201):
        resp = await client.post("/api/chat", json={"session": tok, "choice": choice})
        await error_of(resp, 400)


async def test_unknown_choice_is_a_friendly_reply(
    client: Client, service: ConversationService
) -> None:
    tok = await session(client)
    await say(client, tok, text=DRONES)
    replies = await say(client, tok, choice="zomaar-iets")
    assert "Die knop hoort bij een eerder moment" in text_of(replies)
    assert "Drietrap doorlopen" in [c["label"] for c in replies[-1]["choices"]]
    state = service.store.load_state(f"web:{conversation_id(tok)}")
    assert state is not None and state.step == "quick"


async def test_very_long_text_is_cut_with_a_notice(
    client: Client, service: ConversationService
) -> None:
    tok = await session(client)
    text = ("Mogen we drones inzetten boven weilanden van boeren? " * 1000)[:50_000]
    replies = await say(client, tok, text=text)
    assert "ik heb de eerste 20.000 tekens gebruikt" in text_of(replies)
    assert "Eerste indruk" in text_of(replies)
    state = service.store.load_state(f"web:{conversation_id(tok)}")
    assert state is not None and state.description is not None
    assert len(state.description) <= 20_000


async def test_user_html_is_escaped_in_reply_html(client: Client) -> None:
    tok = await session(client)
    await say(client, tok, text=f"{DRONES} <script>alert(1)</script> **vet**")
    replies = await say(client, tok, text="samenvatting")
    summary = replies[0]
    assert "<script>" not in summary["html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **vet**" in summary["html"]


async def test_locale_starts_in_english(client: Client) -> None:
    tok = await session(client)
    replies = await say(client, tok, locale="en")
    assert "Hi! I'm" in text_of(replies)
    tok2 = await session(client)
    replies = await say(client, tok2, locale="fr")  # unknown: ignored
    assert "Hoi! Ik ben" in text_of(replies)


# -- sessions ----------------------------------------------------------------------------------


async def test_two_sessions_interleaved_never_see_each_other(
    client: Client, service: ConversationService
) -> None:
    a, b = await session(client), await session(client)
    qa = await say(client, a, text=DRONES)
    qb = await say(client, b, text=CAMERAS)
    assert "Drones en AI om subsidie" in text_of(qa)
    assert "Cameratoezicht en wifi-telling" in text_of(qb)
    await say(client, a, choice=button(qa, "Drietrap doorlopen"))
    await say(client, b, choice=button(qb, "Drietrap doorlopen"))
    await say(client, a, text="doel van sessie A: bloemrijke weilanden")
    await say(client, b, text="doel van sessie B: minder drukte")
    # A button of session A pressed in session B is stale there.
    stale = await say(client, b, choice=button(qa, "Alleen het advies"))
    assert "Die knop hoort bij een eerder moment" in text_of(stale)
    sa = text_of(await say(client, a, text="samenvatting"))
    sb = text_of(await say(client, b, text="samenvatting"))
    assert DRONES in sa and "marktplein" not in sa and "sessie B" not in sa
    assert CAMERAS in sb and "drones" not in sb.lower() and "sessie A" not in sb
    state_a = service.store.load_state(f"web:{conversation_id(a)}")
    state_b = service.store.load_state(f"web:{conversation_id(b)}")
    assert state_a is not None and state_b is not None
    assert state_a.answers["doel"].note == "doel van sessie A: bloemrijke weilanden"
    assert state_b.answers["doel"].note == "doel van sessie B: minder drukte"


async def test_concurrent_requests_on_one_session_are_serialised(
    client: Client, service: ConversationService
) -> None:
    tok = await session(client)
    await say(client, tok, text=DRONES)
    before = service.store.load_state(f"web:{conversation_id(tok)}")
    assert before is not None

    async def post(n: int) -> tuple[int, dict[str, Any]]:
        resp = await client.post("/api/chat", json={"session": tok, "text": "hulp"})
        return resp.status, await resp.json()

    results = await asyncio.gather(*(post(n) for n in range(10)))
    assert [status for status, _ in results] == [200] * 10
    after = service.store.load_state(f"web:{conversation_id(tok)}")
    assert after is not None
    # Every request saw the state the previous one left: no update was lost.
    assert after.prompt_seq == before.prompt_seq + 10
    assert after.step == "quick" and after.description == DRONES
    seqs = sorted(int(body["replies"][-1]["choices"][0]["id"].split(".")[1]) for _, body in results)
    assert seqs == list(range(before.prompt_seq + 1, before.prompt_seq + 11))
    # And the newest buttons work.
    newest = max(
        (body["replies"][-1]["choices"] for _, body in results),
        key=lambda cs: int(cs[0]["id"].split(".")[1]),
    )
    walk_id = next(c["id"] for c in newest if c["label"] == "Drietrap doorlopen")
    replies = await say(client, tok, choice=walk_id)
    assert "Wat wil je bereiken" in text_of(replies)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_serve_stops_cleanly_on_a_signal(tmp_path: Path, sig: signal.Signals) -> None:
    """`ethiekbot serve` (what `make run` starts) answers, then stops without a traceback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "ETHIEKBOT_DB": str(tmp_path / "serve.db")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        proc.send_signal(sig)
        out, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = out.decode()
    assert "Ethiekbot draait op" in text
    # A fresh database has no advisor: the operator hears what makes the promise of a
    # person true, and what the privacy statement still lacks.
    assert "Nog geen ethiekadviseur aangemeld" in text
    assert "ETHIEKBOT_CONTROLLER" in text
    assert "Traceback" not in text, text
    assert proc.returncode in (0, -sig), (proc.returncode, text)


async def test_the_privacy_statement_follows_the_settings(
    client: Client, service: ConversationService
) -> None:
    resp = await client.get("/privacy")
    assert resp.status == 200
    body = await resp.text()
    policy = service.engine.policy
    assert f"{policy.state_days} dagen" in body and f"{policy.outcome_days} dagen" in body
    assert "mijn gegevens" in body and "wis" in body and 'lang="nl"' in body
    assert resp.headers["Content-Security-Policy"]
    english = await (await client.get("/privacy?lang=en")).text()
    assert "Your rights" in english and 'lang="en"' in english
    # AVG art. 13: who is responsible, the FG, the legal basis and the right to complain.
    for words in (
        "verwerkingsverantwoordelijke",
        "functionaris gegevensbescherming",
        "art. 6(1)(e)",
        "Autoriteit Persoonsgegevens (art. 77)",
    ):
        assert words in body, words


def test_the_privacy_statement_names_the_controller_and_the_fg_from_the_settings() -> None:
    from bot.config import Settings
    from dialogs.engine import Policy

    settings = Settings.from_env(
        {"ETHIEKBOT_CONTROLLER": "Provincie Utrecht", "ETHIEKBOT_DPO_CONTACT": "fg@example.nl"}
    )
    policy = Policy(controller=settings.controller, dpo_contact=settings.dpo_contact)
    text = policy.statement("nl")
    assert "Provincie Utrecht (verwerkingsverantwoordelijke)" in text
    assert "(FG): fg@example.nl" in text
    unset = Policy().statement("en")
    assert "has not filled in the name" in unset
    # Said once, not again for the FG (a new user read the same sentence twice).
    assert unset.count("has not filled in") == 1
    assert "(FG): that organisation's data protection officer" in unset


async def test_my_data_download_is_only_this_sessions(client: Client) -> None:
    mine = await session(client)
    theirs = await session(client)
    await say(client, mine, text="Mogen we drones inzetten om weilanden te controleren?")
    await say(client, theirs, text="Camera's op het marktplein die de drukte meten")
    shown = await say(client, mine, text="mijn gegevens")
    assert shown[-1]["content"] == {"kind": "own-data"}  # the data stay on the server side
    resp = await client.post("/api/my-data", json={"session": mine})
    assert resp.status == 200
    assert resp.headers["Cache-Control"] == "no-store"
    data = await resp.json()
    assert "weilanden" in data["conversation"]["description"]
    assert "marktplein" not in json.dumps(data)
    assert (await client.post("/api/my-data", json={"session": "x"})).status == 400
