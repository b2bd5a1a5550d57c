"""The advisor's workspace on the real server (loopback): every route guarded, invite links,
sessions, CSRF, the queue and a triage's actions, the reply reaching the web chat, OIDC
sign-in against a real mock provider, and the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from adapters.web import conversation_id
from bot.config import Settings
from bot.server import DISPATCHER_KEY
from bot.service import ConversationService
from knowledge.triage import Advisor
from tests.adapters.advisor.helpers import CAMERAS, Server, employee_answers, sign_in, start
from tests.adapters.advisor.test_oidc import ADVISOR_GROUP, _serve_provider, _set_user
from tests.advice import ask_advice

CHAT = "Een chatbot die inwoners helpt met vragen over afvalinzameling."

pytestmark = pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning")


def advisor_routes(app: web.Application) -> list[tuple[str, str]]:
    out = []
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter") or ""
        if path.startswith("/advisor") and route.method != "HEAD":
            out.append(
                (
                    route.method,
                    path.replace("{outcome_id}", "T-0123456789")
                    .replace("{token}", "x" * 30)
                    .replace("{name}", "workspace.css"),
                )
            )
    return out


PUBLIC = ("/advisor/login/", "/advisor/signin", "/advisor/oidc/", "/advisor/static/")


async def test_every_advisor_route_is_refused_without_a_session_and_for_a_non_advisor(
    server: Server,
) -> None:
    routes = [r for r in advisor_routes(server.runner.app) if not r[1].startswith(PUBLIC)]
    assert len(routes) >= 15
    oid = await server.service.call(ask_advice, server.service, CAMERAS)
    async with server.browser() as anon:
        for method, path in routes:
            async with anon.request(method, path, allow_redirects=False) as resp:
                body = await resp.text()
                if path.startswith("/advisor/api/") or path.endswith((".csv", ".json")):
                    assert resp.status == 401, (method, path)
                else:
                    assert resp.status == 302, (method, path)
                    assert resp.headers["Location"].startswith("/advisor/signin?next=")
                assert oid not in body and "gezichtsherkenning" not in body
    # Signed in through an identity provider, but not an advisor: 403, never data.
    store = server.service.store
    sid = await server.service.call(store.create_session, "burger@prov.nl", "geen")
    async with server.browser() as outsider:
        outsider.cookie_jar.update_cookies({"ethiekbot_advisor": sid})
        for method, path in routes:
            async with outsider.request(method, path, allow_redirects=False) as resp:
                assert resp.status == 403, (method, path)
                assert "gezichtsherkenning" not in await resp.text()


async def test_invite_links_are_single_use_and_sign_out_ends_the_session(server: Server) -> None:
    store = server.service.store
    token = await server.service.call(store.create_invite, "ad@prov.nl", "adviseur")
    async with server.browser() as first:
        async with first.get(f"/advisor/login/{token}", allow_redirects=False) as resp:
            assert resp.status == 200  # a scanner opening the link signs nobody in
        async with first.get("/advisor/api/me") as resp:
            assert resp.status == 401
        async with first.post(f"/advisor/login/{token}", allow_redirects=False) as resp:
            assert resp.status == 303
        async with first.get("/advisor/", allow_redirects=False) as resp:
            assert resp.status == 200 and "Wachtrij" in await resp.text()
            assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
        async with server.browser() as second:
            async with second.post(f"/advisor/login/{token}", allow_redirects=False) as resp:
                assert resp.status == 403 and "al gebruikt" in await resp.text()
            async with second.get("/advisor/api/me") as resp:
                assert resp.status == 401
        async with first.get("/advisor/api/me") as resp:
            csrf = (await resp.json())["csrf"]
        async with first.post(
            "/advisor/logout", data={"csrf": csrf}, allow_redirects=False
        ) as resp:
            assert resp.status == 303
        async with first.get("/advisor/api/me") as resp:
            assert resp.status == 401
    audit = await server.service.call(store.audit_entries)
    assert [x.action for x in reversed(audit)] == ["aangemeld", "afgemeld"]


async def test_csrf_and_origin_are_checked_on_every_post(server: Server) -> None:
    oid = await server.service.call(ask_advice, server.service, CAMERAS)
    async with server.browser() as browser:
        csrf = await sign_in(server, browser)
        path = f"/advisor/outcomes/{oid}/note"
        async with browser.post(path, data={"text": "zonder token"}, allow_redirects=False) as resp:
            assert resp.status == 403
        async with browser.post(
            path, data={"text": "x", "csrf": "fout"}, allow_redirects=False
        ) as resp:
            assert resp.status == 403
        headers = {"Origin": "https://evil.example"}
        async with browser.post(
            path, data={"text": "x", "csrf": csrf}, headers=headers, allow_redirects=False
        ) as resp:
            assert resp.status == 403
        async with browser.post(
            path, data={"text": "met token", "csrf": csrf}, allow_redirects=False
        ) as resp:
            assert resp.status == 303
    notes = await server.service.call(server.service.store.entries, oid, "notitie")
    assert [n.body["text"] for n in notes] == ["met token"]


async def test_the_advisor_works_a_triage_and_the_reply_reaches_the_web_chat(
    server: Server,
) -> None:
    service = server.service
    async with server.browser() as employee:
        async with employee.post("/api/session") as resp:
            session = (await resp.json())["session"]
        oid = await service.call(
            ask_advice, service, CAMERAS, conversation_id(session), conversation_id(session), "web"
        )
        async with server.browser() as browser:
            csrf = await sign_in(server, browser)
            async with browser.get(
                "/advisor/api/outcomes", params={"q": "gezichtsherkenning"}
            ) as resp:
                items = (await resp.json())["items"]
            assert [i["id"] for i in items] == [oid]
            async with browser.get("/advisor/api/outcomes", params={"risk": "extreem"}) as resp:
                assert resp.status == 400 and "Unknown risk" in (await resp.json())["error"]["en"]
            async with browser.get("/advisor/", params={"status": "nieuw"}) as resp:
                page = await resp.text()
            assert oid in page and "<script" not in page
            # The terminal's triages can be filtered too (a user trial missed the option).
            assert '<option value="console">' in page
            async with browser.get(f"/advisor/outcomes/{oid}") as resp:
                detail = await resp.text()
                assert resp.status == 200 and "gezichtsherkenning" in detail
                # The steps by their names, not their keys (a user trial saw "willen: onbekend").
                assert "Mag het?" in detail and "<strong>mag</strong>" not in detail
            for action, form in (
                ("status", {"status": "in-behandeling"}),
                ("assign", {"email": "ad@prov.nl"}),
                ("note", {"text": "Eerst **FG** <script>x</script>"}),
                ("correct", {"field": "risk", "revised": "hoog", "reason": "Biometrie"}),
                ("reply", {"text": "Kun je me bellen over het station?"}),
            ):
                async with browser.post(
                    f"/advisor/outcomes/{oid}/{action}",
                    data={**form, "csrf": csrf},
                    allow_redirects=False,
                ) as resp:
                    assert resp.status == 303, (action, await resp.text())
                    assert resp.headers["Location"] == f"/advisor/outcomes/{oid}?ok={action}"
            async with browser.post(
                f"/advisor/outcomes/{oid}/status", data={"status": "doorverwezen", "csrf": csrf}
            ) as resp:
                assert resp.status == 400 and "Doorverwijzen naar wie" in await resp.text()
            # A refused correction says what does not fit in words, and keeps the reason typed.
            async with browser.post(
                f"/advisor/outcomes/{oid}/correct",
                data={
                    "field": "risk",
                    "revised": "groen",
                    "reason": "Geen <b>biometrie</b>",
                    "csrf": csrf,
                },
            ) as resp:
                page = await resp.text()
                assert resp.status == 400 and "past niet bij het risico" in page
                assert "Geen &lt;b&gt;biometrie&lt;/b&gt;</textarea>" in page
            async with browser.get(f"/advisor/outcomes/{oid}") as resp:
                page = await resp.text()
            assert "&lt;script&gt;" in page and "<script>x" not in page
            assert "<strong>FG</strong>" in page
            async with browser.get(f"/advisor/api/outcomes/{oid}") as resp:
                data = await resp.json()
            assert data["status"] == "in-behandeling" and data["assigned_to"] == "ad@prov.nl"
        await server.runner.app[DISPATCHER_KEY].run_once()
        async with employee.post("/api/inbox", json={"session": session}) as resp:
            replies = (await resp.json())["replies"]
        assert len(replies) == 1 and "Kun je me bellen" in replies[0]["text"]
        async with employee.post("/api/inbox", json={"session": session}) as resp:
            assert (await resp.json())["replies"] == []  # shown once
        # The employee's report shows the advisor's judgement beside the bot's.
        async with employee.post(f"/api/report/{oid}", json={"session": session}) as resp:
            report = await resp.text()
        assert "herzien door de ethiekadviseur op" in report and "Biometrie" in report
        assert "Kun je me bellen" in report
    actions = [x.action for x in await service.call(service.store.audit_entries, oid)]
    assert {"geopend", "status", "toegewezen", "notitie", "correctie", "antwoord"} <= set(actions)
    assert actions.count("geopend") == 3  # two page views and one API read


async def test_oidc_sign_in_with_the_advisor_group(tmp_path: Path, advisor: Advisor) -> None:
    import socket

    with socket.socket() as s:  # the redirect URI needs the port before the server starts
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with _serve_provider() as provider:
        settings = Settings(
            db_path=tmp_path / "o.db",
            port=port,
            oidc_issuer=provider.url,
            oidc_client_id="ethiekbot",
            oidc_client_secret="s3cret",
            oidc_advisor_group=ADVISOR_GROUP,
        )
        server = await start(settings, advisor)
        try:
            for sub, groups, expected in (
                ("sanne", [ADVISOR_GROUP], 200),
                ("piet", ["other"], 403),
            ):
                async with server.browser() as browser:
                    await _set_user(browser, provider, sub, email=f"{sub}@prov.nl", groups=groups)
                    begin = "/advisor/oidc/start?next=/advisor/audit"
                    async with browser.get(begin, allow_redirects=False) as resp:
                        assert resp.status == 302
                        authorize = resp.headers["Location"]
                    assert "code_challenge_method=S256" in authorize
                    async with browser.post(
                        authorize, data={"sub": sub}, allow_redirects=False
                    ) as resp:
                        callback = resp.headers["Location"]
                    assert callback.startswith(f"http://127.0.0.1:{port}/advisor/oidc/callback?")
                    # The callback only works in the browser that started the sign-in.
                    async with server.browser() as other:
                        async with other.get(callback, allow_redirects=False) as resp:
                            assert resp.status == 200 and "verlopen" in await resp.text()
                        async with other.get("/advisor/api/me") as resp:
                            assert resp.status == 401
                    async with browser.get(callback, allow_redirects=False) as resp:
                        assert resp.status == 303, await resp.text()
                        assert resp.headers["Location"] == "/advisor/audit"  # where it was going
                    async with browser.get("/advisor/api/me") as resp:
                        assert resp.status == expected
                    if expected == 403:  # not an advisor, but can still sign out
                        async with browser.get("/advisor/") as resp:
                            page = await resp.text()
                        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
                        assert resp.status == 403 and csrf
                        async with browser.post(
                            "/advisor/logout", data={"csrf": csrf.group(1)}, allow_redirects=False
                        ) as resp:
                            assert resp.status == 303
                    # The callback cannot be used twice.
                    async with browser.get(callback, allow_redirects=False) as resp:
                        assert resp.status == 200 and "verlopen of al gebruikt" in await resp.text()
        finally:
            await server.runner.cleanup()
            server.service.close()


def test_cli_invite_list_review_and_audit(
    tmp_path: Path,
    advisor: Advisor,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.cli import main

    db = tmp_path / "cli.db"
    monkeypatch.setenv("ETHIEKBOT_DB", str(db))
    assert main(["advisor", "invite", "ad@prov.nl", "--role", "beheerder"]) == 0
    printed = capsys.readouterr()
    link = printed.out.strip()
    assert re.fullmatch(r"http://127\.0\.0\.1:3978/advisor/login/[A-Za-z0-9_-]{40,}", link)
    # Found by a user trial: the server ran on another port; the command says what it assumed.
    assert "ETHIEKBOT_PUBLIC_URL" in printed.err and "--url" in printed.err
    # ... and --url gives the server's own address (a second trial asked for it).
    assert main(["advisor", "invite", "ad@prov.nl", "--url", "http://127.0.0.1:8791/"]) == 0
    printed = capsys.readouterr()
    assert printed.out.startswith("http://127.0.0.1:8791/advisor/login/")
    assert "ETHIEKBOT_PUBLIC_URL" not in printed.err
    with pytest.raises(SystemExit) as bad:
        main(["advisor", "invite", "ad@prov.nl", "--url", "127.0.0.1:8791"])
    assert bad.value.code == 2 and "--url" in capsys.readouterr().err
    # Invited is not yet an advisor, but the list says who is waiting to sign in.
    assert main(["advisor", "list"]) == 0
    listed = capsys.readouterr().out
    assert "ad@prov.nl\tuitgenodigd, nog niet aangemeld" in listed
    assert "Nog geen adviseurs" not in listed
    service = ConversationService.from_settings(Settings(db_path=db), advisor)
    oid = ask_advice(service, CAMERAS)
    service.store.add_advisor("ad@prov.nl", "beheerder")
    service.close()
    assert main(["review", "list", "--json"]) == 0
    (item,) = json.loads(capsys.readouterr().out)
    assert {
        "id",
        "created",
        "channel",
        "risk",
        "status",
        "handed_over",
        "instrument",
        "assigned_to",
    } <= set(item)
    assert (
        main(
            ["review", "set", oid, "--status", "afgerond", "--note", "Klaar", "--by", "ad@prov.nl"]
        )
        == 0
    )
    assert main(["review", "show", oid, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert shown["status"] == "afgerond"
    for argv in (["review", "set", oid, "--status", "klaar"], ["review", "show", "T-ffffffffff"]):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 2
    assert "Onbekende status" in capsys.readouterr().err
    assert main(["review", "audit", "--json"]) == 0
    actions = [x["action"] for x in json.loads(capsys.readouterr().out)]
    assert actions[:3] == ["geopend", "status", "notitie"] and "uitnodiging" in actions


async def test_only_a_beheerder_decides_who_is_an_advisor(server: Server) -> None:
    store = server.service.store
    async with server.browser() as adviseur:
        csrf = await sign_in(server, adviseur, "ad@prov.nl")
        async with adviseur.get("/advisor/advisors") as resp:
            page = await resp.text()
        assert resp.status == 200 and "ad@prov.nl" in page and "Maak aanmeldlink" not in page
        async with adviseur.post(
            "/advisor/advisors/invite", data={"csrf": csrf, "email": "x@prov.nl"}
        ) as resp:
            assert resp.status == 403
    await server.service.call(store.add_advisor, "baas@prov.nl", "beheerder")
    async with server.browser() as baas:
        csrf = await sign_in(server, baas, "baas@prov.nl")
        data = {"csrf": csrf, "email": "nieuw@prov.nl", "role": "adviseur"}
        async with baas.post("/advisor/advisors/invite", data=data) as resp:
            page = await resp.text()
        link = re.search(r"http://[^<\s]+/advisor/login/[A-Za-z0-9_-]+", page)
        assert resp.status == 200 and link
        async with server.browser() as nieuw:
            path = link.group(0).split("/advisor/", 1)[1]
            async with nieuw.post(f"/advisor/{path}", allow_redirects=False) as resp:
                assert resp.status == 303
        data = {"csrf": csrf, "email": "ad@prov.nl", "role": "beheerder"}
        async with baas.post("/advisor/advisors/role", data=data) as resp:
            assert resp.status == 200
        assert (await server.service.call(store.get_advisor, "ad@prov.nl")).role == "beheerder"
        data = {"csrf": csrf, "email": "nieuw@prov.nl"}
        async with baas.post("/advisor/advisors/remove", data=data) as resp:
            assert resp.status == 200
        assert await server.service.call(store.get_advisor, "nieuw@prov.nl") is None
        async with baas.post(
            "/advisor/advisors/remove", data={**data, "email": "baas@prov.nl"}
        ) as resp:
            assert resp.status == 400  # not yourself
    actions = [x.action for x in await server.service.call(store.audit_entries)]
    assert {"uitnodiging", "adviseur-toegevoegd", "adviseur-verwijderd"} <= set(actions)


async def test_odd_form_bodies_get_a_clear_answer_never_a_500(server: Server) -> None:
    oid = await server.service.call(ask_advice, server.service, CAMERAS)
    async with server.browser() as browser:
        csrf = await sign_in(server, browser)
        path = f"/advisor/outcomes/{oid}/note"
        bad = b"csrf=" + csrf.encode() + b"&text=%ff%fe\xff"
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        async with browser.post(path, data=bad, headers=headers, allow_redirects=False) as resp:
            assert resp.status in (400, 403)
        form = aiohttp.FormData()
        form.add_field("csrf", csrf)
        form.add_field("text", b"<script>", filename="x.txt", content_type="text/plain")
        async with browser.post(path, data=form, allow_redirects=False) as resp:
            assert resp.status == 400 and "De notitie is leeg" in await resp.text()
        async with browser.post(
            f"/advisor/outcomes/{oid}/status", data={"csrf": csrf, "status": "x" * 100_000}
        ) as resp:
            assert resp.status == 400
        # Found by benchmarks/fuzz_bench.py: an unknown charset gave 500.
        bogus = {"Content-Type": "application/x-www-form-urlencoded; charset=bogus"}
        body = f"csrf={csrf}&text=hallo"
        async with browser.post(path, data=body, headers=bogus, allow_redirects=False) as resp:
            assert resp.status in (400, 403)
    notes = await server.service.call(server.service.store.entries, oid, "notitie")
    assert notes == []


@pytest.mark.parametrize(
    ("action", "field", "value"),
    [
        ("status", "status", "bogus"),
        ("assign", "email", "nobody@example.org"),
        ("note", "text", ""),
        ("reply", "text", ""),
        ("correct", "field", "x"),
    ],
)
async def test_a_bad_form_for_an_unknown_triage_is_a_404_not_a_500(
    server: Server, action: str, field: str, value: str
) -> None:
    # Found by benchmarks/fuzz_bench.py: the refusal tried to show a triage that is not there.
    async with server.browser() as browser:
        csrf = await sign_in(server, browser)
        async with browser.post(
            f"/advisor/outcomes/T-000000/{action}",
            data={"csrf": csrf, field: value},
            allow_redirects=False,
        ) as resp:
            assert resp.status == 404, await resp.text()
            assert "T-000000" in await resp.text()


async def test_the_employees_message_is_signed_without_a_made_up_name(server: Server) -> None:
    """A product trial read "Medewerker (medewerker)" above an employee's answer."""
    service = server.service
    oid = await service.call(ask_advice, service, CAMERAS)
    await employee_answers(server, oid, "Morgen na tienen kan ik.")
    async with server.browser() as browser:
        await sign_in(server, browser)
        async with browser.get(f"/advisor/outcomes/{oid}") as resp:
            page = await resp.text()
    assert "Morgen na tienen kan ik." in page
    assert "<strong>Medewerker</strong>," in page and "(medewerker)" not in page


async def test_the_queue_shows_the_advisors_judgement_and_a_waiting_answer(
    server: Server,
) -> None:
    """A product trial saw the bot's instrument in the queue after a correction, and could not
    tell which triages held an employee's unanswered message."""
    service = server.service
    oid = await service.call(ask_advice, service, CAMERAS)
    other = await service.call(ask_advice, service, CHAT, "c2", "u2")
    async with server.browser() as browser:
        csrf = await sign_in(server, browser)
        async with browser.post(
            f"/advisor/outcomes/{oid}/correct",
            data={"field": "instrument", "revised": "deda", "reason": "Data", "csrf": csrf},
            allow_redirects=False,
        ) as resp:
            assert resp.status == 303
        await employee_answers(server, oid, "Morgen kan ik.")
        async with browser.get("/advisor/") as resp:
            page = await resp.text()
        row = page[page.index(f"/advisor/outcomes/{oid}") :].split("</tr>", 1)[0]
        assert "De Ethische Data Assistent <small>(bot: " in row
        assert "bericht van medewerker wacht sinds" in row and "Morgen kan ik" not in page
        async with browser.get("/advisor/", params={"waiting": "ja"}) as resp:
            page = await resp.text()
        assert oid in page and other not in page
        assert '<option value="ja" selected>' in page.split('id="f-waiting"', 1)[1]
        async with browser.get("/advisor/api/outcomes", params={"waiting": "ja"}) as resp:
            items = (await resp.json())["items"]
        assert [i["id"] for i in items] == [oid] and items[0]["revised_instrument"] == "deda"
        async with browser.get("/advisor/", params={"waiting": "misschien"}) as resp:
            assert resp.status == 400 and "ja of nee" in await resp.text()
        # The history names the instruments, as the forms do.
        async with browser.get(f"/advisor/outcomes/{oid}") as resp:
            history = (await resp.text()).split('id="h-h"', 1)[1]
        assert "→ De Ethische Data Assistent</p>" in history and "→ deda" not in history


async def test_the_triage_page_says_the_employees_language(server: Server) -> None:
    """A product trial answered an English-speaking employee in Dutch: the page did not say."""
    service = server.service
    oid = await service.call(
        ask_advice,
        service,
        "We want cameras with face recognition to identify people at the station.",
        "c-en",
        "u-en",
    )
    dutch = await service.call(ask_advice, service, CHAT, "c-nl", "u-nl")
    async with server.browser() as browser:
        await sign_in(server, browser)
        async with browser.get(f"/advisor/outcomes/{oid}") as resp:
            page = await resp.text()
        assert "<dt>Taal van de medewerker</dt><dd>Engels</dd>" in page
        assert "antwoord in het Engels" in page and 'class="usertext" lang="en"' in page
        async with browser.get(f"/advisor/outcomes/{dutch}") as resp:
            page = await resp.text()
        assert "<dt>Taal van de medewerker</dt><dd>Nederlands</dd>" in page
        assert "antwoord in het Engels" not in page


async def test_the_employees_answers_are_shown_in_words_not_ids(server: Server) -> None:
    """A product trial read 'geen-zorg' and 'weet-niet' in the answers table."""
    from dialogs.models import QuestionAnswer, ValueAnswer

    service = server.service
    oid = await service.call(ask_advice, service, CAMERAS)
    record = await service.call(service.store.get_outcome, oid)
    assert record is not None
    answered = record.outcome.model_copy(
        update={
            "answers": {"doel-helder": QuestionAnswer(answer="weet-niet")},
            "value_answers": {
                "privacy": ValueAnswer(answer="geen-zorg"),
                "autonomie": ValueAnswer(answer="zorg", note="Mensen kunnen niet weigeren."),
            },
        }
    )
    await service.call(service.store.log_outcome, answered, "web", "u1")
    async with server.browser() as browser:
        await sign_in(server, browser)
        async with browser.get(f"/advisor/outcomes/{oid}") as resp:
            page = await resp.text()
    table = page.split('aria-labelledby="h-a"', 1)[1].split("</table>", 1)[0]
    assert "<td>weet ik niet</td>" in table and "<td>geen zorg</td>" in table
    assert "<td>zorg</td>" in table and "geen-zorg" not in table and "weet-niet" not in table
