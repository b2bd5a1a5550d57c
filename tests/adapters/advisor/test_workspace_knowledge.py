"""Growing the knowledge from the workspace and the CLI: a triage becomes a case in the
organisation's folder, refused with the knowledge check's words when invalid, and found first
by the triage of a similar later question without a restart; contacts edited the same way."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yaml

from bot.config import Settings
from knowledge.triage import Advisor
from tests.adapters.advisor.helpers import Server, sign_in, start
from tests.adapters.advisor.test_case_form import Submitted
from tests.advice import ask_advice

LIGHTS = (
    "De gemeente wil lantaarnpalen met bewegingsmelders die het licht dimmen als er niemand op "
    "straat is en feller worden als er iemand aankomt; de meldingen gaan naar een dashboard."
)
# Asked later by someone else, in other words. (Matching is lexical: a paraphrase that shares
# no word, "straatverlichting zachter laten branden", is not found; see issue 10.)
LATER = (
    "We overwegen straatlantaarns met sensoren die het licht dimmen wanneer er niemand over "
    "straat loopt."
)
NOTE = "Leg vast dat de sensoren geen beelden maken en niets per persoon bewaren."


@pytest.fixture
def local(tmp_path: Path) -> Path:
    folder = tmp_path / "eigen"
    folder.mkdir()
    return folder


@pytest.fixture
async def server(tmp_path: Path, local: Path, advisor: Advisor) -> AsyncIterator[Server]:
    s = await start(Settings(db_path=tmp_path / "k.db", port=0, knowledge_local=local), advisor)
    yield s
    await s.runner.cleanup()
    s.service.close()


def top_case(server: Server, text: str) -> str:
    return server.service.engine.advisor.triage(text).cases[0].case.id


async def test_promote_refused_then_published_and_found_first(server: Server, local: Path) -> None:
    service = server.service
    before = top_case(server, LATER)
    oid = await service.call(ask_advice, service, LIGHTS)
    await service.call(service.store.add_entry, oid, "notitie", "ad@prov.nl", {"text": NOTE})
    async with server.browser() as browser:
        csrf = await sign_in(server, browser)
        async with browser.get(f"/advisor/outcomes/{oid}/promote") as resp:
            assert resp.status == 200
            page = await resp.text()
        prefilled = Submitted(page).data
        assert "lantaarnpalen" in prefilled["question-nl"]
        # The advisor's note is for advisors only: a case's lessons reach every employee.
        assert NOTE not in page and not prefilled.get("lessons-nl")
        # Without a Dutch title: refused, with the knowledge check's words, nothing written.
        refused_form = {**prefilled, "csrf": csrf, "intent": "publish", "title-nl": ""}
        async with browser.post(f"/advisor/outcomes/{oid}/promote", data=refused_form) as resp:
            assert resp.status == 400
            refused = await resp.text()
        assert 'role="alert"' in refused and "title.nl" in refused
        assert not list(local.glob("cases/*.yaml"))
        form = {
            **prefilled,
            "csrf": csrf,
            "intent": "publish",
            "id": "slimme-lantaarnpalen",
            "title-nl": "Lantaarnpalen die dimmen met bewegingsmelders",
            "title-en": "Street lights dimmed by motion sensors",
            "organisation": "Gemeente Voorbeeld",
            "lessons-nl": "Leg vast dat de sensoren geen beelden maken.",
            "lessons-en": "Record that the sensors make no images.",
        }
        async with browser.post(
            f"/advisor/outcomes/{oid}/promote", data=form, allow_redirects=False
        ) as resp:
            assert resp.status == 303, await resp.text()
    case = yaml.safe_load((local / "cases" / "slimme-lantaarnpalen.yaml").read_text("utf-8"))
    assert case["provenance"]["outcome_id"] == oid and case["provenance"]["by"] == "ad@prov.nl"
    # Used at once by the running server: the later question in other words finds it first.
    assert before != "slimme-lantaarnpalen"
    assert top_case(server, LATER) == "slimme-lantaarnpalen"
    actions = [x.action for x in await service.call(service.store.audit_entries, oid)]
    assert "promotie" in actions


async def test_contacts_are_validated_and_saved(server: Server, local: Path) -> None:
    async with server.browser() as browser:
        csrf = await sign_in(server, browser)
        async with browser.get("/advisor/contacts") as resp:
            text = Submitted(await resp.text()).data["contacts"]
        assert "contacts" in text
        async with browser.post(
            "/advisor/contacts", data={"csrf": csrf, "contacts": "contacts: [1, 2"}
        ) as resp:
            assert resp.status == 400 and 'role="alert"' in await resp.text()
        assert not (local / "contacts.yaml").exists()
        async with browser.post(
            "/advisor/contacts", data={"csrf": csrf, "contacts": text}, allow_redirects=False
        ) as resp:
            assert resp.status == 303
    assert (local / "contacts.yaml").read_text("utf-8") == text


def test_cli_promote_and_the_server_picks_it_up(
    tmp_path: Path,
    local: Path,
    advisor: Advisor,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.cli import main
    from bot.service import ConversationService
    from knowledge.reload import KnowledgeWatcher

    db = tmp_path / "c.db"
    settings = Settings(db_path=db, knowledge_local=local)
    service = ConversationService.from_settings(settings, advisor)
    watcher = KnowledgeWatcher(local)
    oid = ask_advice(service, LIGHTS)
    monkeypatch.setenv("ETHIEKBOT_DB", str(db))
    # No folder for the organisation's knowledge: the setting is named (not "not valid").
    monkeypatch.delenv("ETHIEKBOT_KNOWLEDGE_LOCAL", raising=False)
    with pytest.raises(SystemExit) as unset:
        main(["review", "promote", oid, "--lesson", "Leg vast wie de gegevens ziet."])
    err = capsys.readouterr().err
    assert unset.value.code == 2 and "ETHIEKBOT_KNOWLEDGE_LOCAL" in err
    assert "niet geldig" not in err
    monkeypatch.setenv("ETHIEKBOT_KNOWLEDGE_LOCAL", str(local))
    # No lesson yet: refused with a clear message and exit 2.
    with pytest.raises(SystemExit) as refused:
        main(["review", "promote", oid, "--case-id", "lantaarns", "--title", "Dimmende lantaarns"])
    assert refused.value.code == 2 and "--lesson" in capsys.readouterr().err
    assert (
        main(
            [
                "review",
                "promote",
                oid,
                "--case-id",
                "lantaarns",
                "--title",
                "Dimmende lantaarns",
                "--lesson",
                NOTE,
                "--by",
                "ad@prov.nl",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.strip().endswith("cases/lantaarns.yaml")
    fresh = watcher.poll()
    assert fresh is not None
    service.engine.use_advisor(fresh)
    assert service.engine.advisor.triage(LATER).cases[0].case.id == "lantaarns"
    # Withdrawn from the command line: a reason is required, an unknown case is refused.
    with pytest.raises(SystemExit) as no_reason:
        main(["review", "withdraw", "lantaarns"])
    assert no_reason.value.code == 2 and "--reason" in capsys.readouterr().err
    with pytest.raises(SystemExit) as unknown:
        main(["review", "withdraw", "bestaat-niet", "--reason", "weg"])
    assert unknown.value.code == 2 and "Geen eigen casus" in capsys.readouterr().err
    assert main(["review", "withdraw", "lantaarns", "--reason", "Niet", "meer", "actueel"]) == 0
    assert "Ingetrokken" in capsys.readouterr().err
    assert not (local / "cases" / "lantaarns.yaml").exists()
    fresh = watcher.poll()
    assert fresh is not None and "lantaarns" not in fresh.knowledge.cases
    service.close()


async def _publish_lights(server: Server, local: Path) -> str:
    """A case in the organisation's folder, promoted from a triage (as the desk does)."""
    from bot.review import ReviewDesk

    service = server.service
    oid = await service.call(ask_advice, service, LIGHTS)
    desk = ReviewDesk(service.store, lambda: service.engine.advisor.knowledge)
    draft = await service.call(
        desk.draft_case, oid, service.engine.advisor, "slimme-lantaarnpalen", "Dimmende palen"
    )
    draft["lessons"] = [{"nl": NOTE, "en": "Record that the sensors keep nothing per person."}]
    await service.call(desk.publish_case, oid, draft, local, "ad@prov.nl")
    return str(oid)


async def test_an_own_case_is_corrected_then_withdrawn(server: Server, local: Path) -> None:
    service = server.service
    oid = await _publish_lights(server, local)
    path = local / "cases" / "slimme-lantaarnpalen.yaml"
    async with server.browser() as browser:
        csrf = await sign_in(server, browser)
        async with browser.get("/advisor/cases") as resp:
            listing = await resp.text()
        assert resp.status == 200 and 'href="/advisor/cases"' in listing  # in the navigation
        assert "/advisor/cases/slimme-lantaarnpalen" in listing and oid in listing
        async with browser.get("/advisor/cases/slimme-lantaarnpalen") as resp:
            assert resp.status == 200
            form = {**Submitted(await resp.text()).data, "csrf": csrf, "intent": "publish"}
        assert form["title-nl"] == "Dimmende palen" and NOTE in form["lessons-nl"]
        before = path.read_text("utf-8")
        # Personal data in a correction, or another id: refused, the file unchanged.
        for change, expected in (
            ({"lessons-nl": "Bel Jan de Vries op 06-12345678 over de palen."}, "persoonsgegevens"),
            ({"id": "andere-palen"}, "trek de casus in"),
        ):
            async with browser.post(
                "/advisor/cases/slimme-lantaarnpalen", data={**form, **change}
            ) as resp:
                assert resp.status == 400
                assert 'role="alert"' in (page := await resp.text()) and expected in page
            assert path.read_text("utf-8") == before
        # A correction: saved in place, where it came from kept, used by the next triage.
        corrected = {**form, "title-nl": "Lantaarnpalen die dimmen met bewegingsmelders"}
        async with browser.post(
            "/advisor/cases/slimme-lantaarnpalen", data=corrected, allow_redirects=False
        ) as resp:
            assert resp.status == 303 and resp.headers["Location"] == "/advisor/cases?ok=saved"
        case = yaml.safe_load(path.read_text("utf-8"))
        assert case["title"]["nl"] == "Lantaarnpalen die dimmen met bewegingsmelders"
        assert case["provenance"]["outcome_id"] == oid
        assert top_case(server, LATER) == "slimme-lantaarnpalen"
        assert (
            service.engine.advisor.knowledge.cases["slimme-lantaarnpalen"].title.nl
            == "Lantaarnpalen die dimmen met bewegingsmelders"
        )
        # Withdrawing asks for a reason; without one nothing happens.
        async with browser.post(
            "/advisor/cases/slimme-lantaarnpalen/withdraw", data={"csrf": csrf, "reason": "  "}
        ) as resp:
            assert resp.status == 400 and "Geef een reden" in await resp.text()
        assert path.exists()
        reason = "Op verzoek van Jan de Vries: hij is in de casus herkenbaar."
        async with browser.post(
            "/advisor/cases/slimme-lantaarnpalen/withdraw",
            data={"csrf": csrf, "reason": reason},
            allow_redirects=False,
        ) as resp:
            assert resp.status == 303
        assert not path.exists()
        assert "slimme-lantaarnpalen" not in service.engine.advisor.knowledge.cases
        assert top_case(server, LATER) != "slimme-lantaarnpalen"
        async with browser.get("/advisor/cases?ok=withdrawn") as resp:
            page = await resp.text()
        assert "ingetrokken" in page and "/advisor/cases/slimme-lantaarnpalen" not in page
        # A shipped case is not the organisation's to change here.
        shipped = next(iter(service.engine.advisor.knowledge.cases))
        async with browser.get(f"/advisor/cases/{shipped}") as resp:
            assert resp.status == 404
        async with browser.post(
            f"/advisor/cases/{shipped}/withdraw", data={"csrf": csrf, "reason": "weg"}
        ) as resp:
            assert resp.status == 404
        assert shipped in service.engine.advisor.knowledge.cases
    entries = await service.call(service.store.audit_entries, oid)
    by_action = {x.action: x.detail for x in entries}
    assert by_action["casus-bewerkt"] == {"case": "slimme-lantaarnpalen"}
    withdrawn = by_action["casus-ingetrokken"]
    assert withdrawn["case"] == "slimme-lantaarnpalen"
    assert "Jan de Vries" not in withdrawn["reason"] and "herkenbaar" in withdrawn["reason"]


async def test_only_the_publisher_or_a_beheerder_withdraws_a_case(
    server: Server, local: Path
) -> None:
    await _publish_lights(server, local)  # by ad@prov.nl
    path = local / "cases" / "slimme-lantaarnpalen.yaml"
    withdraw = "/advisor/cases/slimme-lantaarnpalen/withdraw"
    async with server.browser() as browser:
        csrf = await sign_in(server, browser, "collega@prov.nl")
        async with browser.get("/advisor/cases/slimme-lantaarnpalen") as resp:
            assert resp.status == 200  # another advisor may still correct it
        async with browser.get("/advisor/cases") as resp:
            listing = await resp.text()
        assert "Intrekken kan wie de casus publiceerde" in listing
        assert 'action="/advisor/cases/slimme-lantaarnpalen/withdraw"' not in listing
        async with browser.post(withdraw, data={"csrf": csrf, "reason": "Verouderd."}) as resp:
            assert resp.status == 403
            assert "Alleen wie de casus publiceerde" in await resp.text()
        assert path.exists()
    async with server.browser() as browser:
        csrf = await sign_in(server, browser, "beheer@prov.nl", "beheerder")
        async with browser.post(
            withdraw, data={"csrf": csrf, "reason": "Verouderd."}, allow_redirects=False
        ) as resp:
            assert resp.status == 303
        assert not path.exists()


def test_a_case_published_from_the_command_line_is_its_publishers() -> None:
    from bot.case_library import OwnCase, published_by

    cli = "ad@prov.nl (via cli:root)"
    assert published_by(cli, "ad@prov.nl") and not published_by(cli, "ander@prov.nl")
    assert not published_by("", "")
    own = OwnCase("x", "X", "", "", "", "ad@prov.nl (via cli:root)")
    assert own.withdrawable_by("ad@prov.nl", False) and own.withdrawable_by("b@prov.nl", True)
    assert not own.withdrawable_by("b@prov.nl", False)


async def test_withdrawing_an_override_says_the_shipped_case_applies_again(
    server: Server, local: Path
) -> None:
    from knowledge.loader import DATA_DIR

    shipped = yaml.safe_load((DATA_DIR / "cases" / "ai-klantcontact.yaml").read_text("utf-8"))
    title = shipped["title"]["nl"]
    override = {**shipped, "title": {**shipped["title"], "nl": "Onze eigen versie"}}
    (local / "cases").mkdir(parents=True, exist_ok=True)
    path = local / "cases" / "ai-klantcontact.yaml"
    path.write_text(yaml.safe_dump(override, allow_unicode=True), "utf-8")
    async with server.browser() as browser:
        csrf = await sign_in(server, browser, "beheer@prov.nl", "beheerder")
        async with browser.get("/advisor/cases") as resp:
            assert "Vervangt de meegeleverde casus" in await resp.text()
        async with browser.post(
            "/advisor/cases/ai-klantcontact/withdraw",
            data={"csrf": csrf, "reason": "Toch de landelijke versie."},
        ) as resp:
            page = await resp.text()
        assert resp.status == 200 and "meegeleverde casus met hetzelfde kenmerk geldt" in page
    assert not path.exists()
    assert server.service.engine.advisor.knowledge.cases["ai-klantcontact"].title.nl == title


async def test_a_correction_keeps_what_the_form_does_not_show(server: Server, local: Path) -> None:
    """close_if and key_values are not in the form; saving a correction must keep them. A
    file that cannot be read is refused with words, not a crash."""
    await _publish_lights(server, local)
    path = local / "cases" / "slimme-lantaarnpalen.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["key_values"] = ["Vertrouwen", "Legitimiteit"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    async with server.browser() as browser:
        csrf = await sign_in(server, browser)
        async with browser.get("/advisor/cases/slimme-lantaarnpalen") as resp:
            form = {**Submitted(await resp.text()).data, "csrf": csrf, "intent": "publish"}
        # "Check" says at once that the id of a published case cannot change.
        async with browser.post(
            "/advisor/cases/slimme-lantaarnpalen", data={**form, "intent": "check", "id": "x"}
        ) as resp:
            assert "trek de casus in" in await resp.text()
        async with browser.post(
            "/advisor/cases/slimme-lantaarnpalen",
            data={**form, "organisation": "Gemeente Voorbeeld"},
            allow_redirects=False,
        ) as resp:
            assert resp.status == 303, await resp.text()
        saved = yaml.safe_load(path.read_text("utf-8"))
        assert saved["organisation"] == "Gemeente Voorbeeld"
        assert saved["key_values"] == ["Vertrouwen", "Legitimiteit"]
        assert saved["provenance"] == data["provenance"]
        # A provenance someone broke by hand: refused with words (400), the file unchanged.
        broken = {**saved, "provenance": {"outcome_id": "T-x"}}
        path.write_text(yaml.safe_dump(broken, allow_unicode=True), "utf-8")
        async with browser.post("/advisor/cases/slimme-lantaarnpalen", data=form) as resp:
            assert resp.status == 400 and "niet te lezen" in await resp.text()
        assert yaml.safe_load(path.read_text("utf-8")) == broken
        # An id longer than any store accepts is no own case.
        async with browser.get("/advisor/cases/" + "a" * 90) as resp:
            assert resp.status == 404


async def test_two_advisors_editing_one_case_do_not_overwrite_each_other(
    server: Server, local: Path
) -> None:
    """The form carries the version of the file it was opened from: a save over a file that
    changed since is refused with words, and the other advisor's change stays."""
    await _publish_lights(server, local)
    path = local / "cases" / "slimme-lantaarnpalen.yaml"
    async with server.browser() as first, server.browser() as second:
        forms = []
        for browser, who in ((first, "een@prov.nl"), (second, "twee@prov.nl")):
            csrf = await sign_in(server, browser, who)
            async with browser.get("/advisor/cases/slimme-lantaarnpalen") as resp:
                page = await resp.text()
            action = re.search(r'action="(/advisor/cases/slimme-lantaarnpalen\?version=\w+)"', page)
            assert action is not None
            forms.append((action.group(1), {**Submitted(page).data, "csrf": csrf}))
        (url_1, form_1), (url_2, form_2) = forms
        saved = {**form_1, "intent": "publish", "organisation": "Gemeente Een"}
        async with first.post(url_1, data=saved, allow_redirects=False) as resp:
            assert resp.status == 303
        late = {**form_2, "intent": "publish", "organisation": "Gemeente Twee"}
        async with second.post(url_2, data=late) as resp:
            assert resp.status == 400 and "veranderd sinds je hem opende" in await resp.text()
    assert yaml.safe_load(path.read_text("utf-8"))["organisation"] == "Gemeente Een"
