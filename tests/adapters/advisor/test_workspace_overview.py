"""Export, overview and the register draft in the workspace, on the real server."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from adapters.web import conversation_id
from bot.export import EXPORT_FIELDS
from knowledge.triage import Advisor
from tests.adapters.advisor.helpers import CAMERAS, Server, sign_in
from tests.advice import ask_advice

FRAUD = (
    "We willen een algoritme dat met een risicoscore voorspelt welke inwoners die een "
    "uitkering aanvragen mogelijk fraude plegen, zodat we hen extra controleren."
)
CHAT = "Een chatbot die inwoners helpt met vragen over afvalinzameling."


async def test_export_follows_the_filter_and_is_audited(server: Server) -> None:
    service = server.service
    ids = [
        await service.call(ask_advice, service, text, f"c{n}")
        for n, text in enumerate((CAMERAS, FRAUD, CHAT))
    ]
    async with server.browser() as browser:
        csrf = await sign_in(server, browser)
        await service.call(
            service.store.add_entry,
            ids[2],
            "correctie",
            "ad@prov.nl",
            {"field": "risk", "original": "laag", "revised": "midden", "reason": "x"},
        )
        async with browser.get("/advisor/export.csv") as resp:
            assert resp.status == 200 and resp.headers["Content-Type"].startswith("text/csv")
            assert "attachment" in resp.headers["Content-Disposition"]
            rows = list(csv.DictReader(io.StringIO(await resp.text())))
        assert sorted(r["id"] for r in rows) == sorted(ids)
        assert tuple(rows[0]) == EXPORT_FIELDS
        assert next(r for r in rows if r["id"] == ids[2])["risk"] == "midden"  # corrected
        async with browser.get("/advisor/export.json", params={"risk": "hoog"}) as resp:
            data = json.loads(await resp.text())
        assert {r["id"] for r in data} == {r["id"] for r in rows if r["risk"] == "hoog"}
        assert all(CAMERAS not in json.dumps(r) for r in data)  # no description
        async with browser.get("/advisor/export.json", params={"status": "weg"}) as resp:
            assert resp.status == 400
        del csrf
    audit = await service.call(service.store.audit_entries)
    exports = [x.detail for x in audit if x.action == "export"]
    assert {"format": "json", "risk": "hoog"} in exports and {"format": "csv"} in exports


async def test_overview_charts_and_tables(server: Server) -> None:
    service = server.service
    for n, text in enumerate((CAMERAS, FRAUD, CHAT)):
        await service.call(ask_advice, service, text, f"o{n}")
    async with server.browser() as browser:
        await sign_in(server, browser)
        async with browser.get("/advisor/overview") as resp:
            page = await resp.text()
        assert resp.status == 200 and page.count("<img ") == page.count("<table") >= 4
        assert "<script" not in page
        srcs = [part.split('"', 1)[0] for part in page.split('src="')[1:]]
        for src in srcs:
            async with browser.get(src) as resp:
                assert resp.status == 200 and resp.content_type == "image/svg+xml"
                assert "default-src 'none'" in resp.headers["Content-Security-Policy"]
                svg = await resp.text()
            ET.fromstring(svg)  # well-formed
            assert "<script" not in svg
        async with browser.get("/advisor/charts/bestaat-niet.svg") as resp:
            assert resp.status == 404


async def test_register_draft_page_and_downloads(server: Server) -> None:
    service = server.service
    oid = await service.call(ask_advice, service, FRAUD)
    async with server.browser() as browser:
        await sign_in(server, browser)
        async with browser.get(f"/advisor/outcomes/{oid}/register") as resp:
            page = await resp.text()
        assert resp.status == 200 and "in te vullen door het team" in page
        async with browser.get(f"/advisor/outcomes/{oid}/register.json") as resp:
            entry = json.loads(await resp.text())
        assert "name" in entry and "impacttoetsen" in entry
        async with browser.get(f"/advisor/outcomes/{oid}/register.txt") as resp:
            assert "Algoritmeregister" in await resp.text()


def test_cli_export(
    tmp_path: Path,
    advisor: Advisor,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.cli import main
    from bot.config import Settings
    from bot.service import ConversationService

    db = tmp_path / "x.db"
    service = ConversationService.from_settings(Settings(db_path=db), advisor)
    oid = ask_advice(service, FRAUD)
    service.close()
    monkeypatch.setenv("ETHIEKBOT_DB", str(db))
    assert main(["review", "export", "--format", "json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [oid]
    out = tmp_path / "t.csv"
    assert main(["review", "export", "--status", "afgerond", "--out", str(out)]) == 0
    assert out.read_text().splitlines() == [",".join(EXPORT_FIELDS)]


async def test_projects_page_and_the_employees_calendar(server: Server) -> None:
    from datetime import UTC, datetime, timedelta

    from bot.checkpoints import plan

    service = server.service
    async with server.browser() as employee:
        async with employee.post("/api/session") as resp:
            session = (await resp.json())["session"]
        oid = await service.call(
            ask_advice, service, FRAUD, conversation_id(session), conversation_id(session), "web"
        )
        soon = datetime.now(UTC).date() + timedelta(days=30)
        past = datetime.now(UTC) - timedelta(days=20)  # sent, never closed: late
        await service.call(
            plan,
            service.store,
            oid,
            "evaluatie",
            "Evaluatie",
            soon,
            f"web:{conversation_id(session)}",
        )
        late = await service.call(
            plan,
            service.store,
            oid,
            "ontwerp",
            "Ontwerp",
            past.date(),
            f"web:{conversation_id(session)}",
            past,
        )
        await service.call(service.store.set_checkpoint_status, late, "verstuurd")
        async with employee.post(f"/api/checkpoints/{oid}.ics", json={"session": session}) as resp:
            assert resp.status == 200 and resp.content_type == "text/calendar"
            ics = await resp.read()
        from icalendar import Calendar

        (event,) = [c for c in Calendar.from_ical(ics).walk("VEVENT")]
        assert "Evaluatie" in str(event["SUMMARY"]) and event.walk("VALARM")
        async with (
            server.browser() as other,
            other.post(f"/api/checkpoints/{oid}.ics", json={"session": "x" * 32}) as resp,
        ):
            assert resp.status == 404  # nobody sees what is not theirs
    async with server.browser() as browser:
        await sign_in(server, browser)
        async with browser.get("/advisor/projects") as resp:
            page = await resp.text()
        assert resp.status == 200 and "Evaluatie" in page and "te laat" in page
        async with browser.get(f"/advisor/outcomes/{oid}") as resp:
            page = await resp.text()
        assert "IJkmomenten" in page and "Ontwerp" in page
