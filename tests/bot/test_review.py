"""The advisor's review desk on real SQLite: queue, statuses, notes, corrections, replies,
the employee's answer, notifications exactly once, invites, sessions and the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.advisor_chat import AdvisorChatConfig
from bot.review import ANSWER_CHOICE, ReviewDesk, ReviewError
from bot.service import ConversationService
from bot.storage import Store
from bot.storage.review import QueueFilter, fts_query
from dialogs.engine import Engine
from dialogs.models import Inbound
from knowledge.triage import Advisor
from tests.advice import ask_advice

DRONES = "Mogen we drones inzetten om weilanden te controleren op mestfraude?"
CAMERAS = "We willen met camera's en gezichtsherkenning mensen op het station identificeren."
CHAT = "Een chatbot die inwoners helpt met vragen over afvalinzameling."


def make_service(
    advisor: Advisor,
    db: Path | str,
    slack_channel: str | None = None,
    notify_on: tuple[str, ...] = ("hoog", "ai-prohibited", "ai-high-risk", "overdracht"),
) -> ConversationService:
    config = AdvisorChatConfig(
        base_url="http://127.0.0.1:3978",
        notify_on=notify_on,
        slack_advisor_channel=slack_channel,
    )
    return ConversationService(Engine(advisor), Store.open(db, secret=b"k"), config)


@pytest.fixture
def service(advisor: Advisor, database: str) -> Iterator[ConversationService]:
    s = make_service(advisor, database, slack_channel="CADV")
    yield s
    s.close()


@pytest.fixture
def desk(service: ConversationService, advisor: Advisor) -> ReviewDesk:
    service.store.add_advisor("ad@prov.nl", "adviseur")
    service.store.add_advisor("b@prov.nl", "beheerder")
    return ReviewDesk(service.store, lambda: advisor.knowledge)


def test_queue_is_newest_first_with_derived_columns(
    service: ConversationService, desk: ReviewDesk
) -> None:
    t0 = datetime(2026, 1, 5, 10, tzinfo=UTC)
    a = ask_advice(service, DRONES, "c1", now=t0)
    b = ask_advice(service, CAMERAS, "c2", now=t0 + timedelta(hours=1))
    rows = desk.queue()
    assert [r.id for r in rows] == [b, a]
    cam = rows[0]
    assert cam.status == "nieuw" and not cam.handed_over and cam.channel == "web"
    assert cam.instrument  # the recommended instrument's id
    assert "ai-prohibited" in cam.signals or "ai-high-risk" in cam.signals
    assert cam.short.startswith("We willen met camera")


def test_filters_search_and_paging(service: ConversationService, desk: ReviewDesk) -> None:
    t0 = datetime(2026, 2, 1, 9, tzinfo=UTC)
    ids = [
        ask_advice(service, f"{CHAT} Wijk {n}.", f"c{n}", now=t0 + timedelta(days=n))
        for n in range(5)
    ]
    cam = ask_advice(service, CAMERAS, "cam", now=t0 + timedelta(days=10))
    assert [r.id for r in desk.queue(QueueFilter(q="gezichtsherkenning"))] == [cam]
    assert [r.id for r in desk.queue(QueueFilter(q="gezichts"))] == [cam]  # prefix match
    assert desk.queue(QueueFilter(q='"AND NEAR(*')) == []  # operators are plain text
    assert cam not in [r.id for r in desk.queue(QueueFilter(date_to="2026-02-05"))]
    day = desk.queue(QueueFilter(date_from="2026-02-03", date_to="2026-02-03"))
    assert [r.id for r in day] == [ids[2]]
    first = desk.queue(limit=2)
    second = desk.queue(limit=2, after=(first[-1].created_at, first[-1].id))
    third = desk.queue(limit=2, after=(second[-1].created_at, second[-1].id))
    assert [r.id for r in first + second + third] == [cam, *reversed(ids)]
    signal = cam_signal = desk.queue(QueueFilter(signal="ai-prohibited")) or desk.queue(
        QueueFilter(signal="ai-high-risk")
    )
    assert [r.id for r in signal] == [cam]
    assert cam_signal
    with pytest.raises(ReviewError):
        desk.queue(QueueFilter(status="klaar"))
    with pytest.raises(ReviewError):
        desk.queue(QueueFilter(date_from="5 maart"))


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('drones "NEAR" a*') == '"drones"* "NEAR"* "a"*'
    assert fts_query("  ** ") is None


def test_status_assign_note_and_audit(service: ConversationService, desk: ReviewDesk) -> None:
    oid = ask_advice(service, DRONES)
    view = desk.open(oid, "ad@prov.nl")
    assert view.reviewed_at is None
    desk.assign(oid, "ad@prov.nl", "ad@prov.nl")
    desk.set_status(oid, "in-behandeling", "ad@prov.nl", note="Eerst de FG **bellen**")
    with pytest.raises(ReviewError):
        desk.set_status(oid, "doorverwezen", "ad@prov.nl")  # to whom?
    desk.set_status(oid, "doorverwezen", "ad@prov.nl", referred_to="fg")
    with pytest.raises(ReviewError) as err:
        desk.set_status(oid, "klaar", "ad@prov.nl")
    assert "afgerond" in err.value.nl
    with pytest.raises(ReviewError):
        desk.assign(oid, "iemand@else.nl", "ad@prov.nl")
    with pytest.raises(ReviewError) as missing:
        desk.open("T-0000000000", "ad@prov.nl")
    assert missing.value.not_found
    view = desk.open(oid, "b@prov.nl")
    assert view.record.status == "doorverwezen" and view.referred_to == "fg"
    assert view.assigned_to == "ad@prov.nl" and view.reviewed_at is not None
    assert [n.body["text"] for n in view.notes] == ["Eerst de FG **bellen**"]
    actions = [(e.actor, e.action) for e in reversed(desk.audit_log(oid))]
    assert actions == [
        ("ad@prov.nl", "geopend"),
        ("ad@prov.nl", "toegewezen"),
        ("ad@prov.nl", "notitie"),
        ("ad@prov.nl", "status"),
        ("ad@prov.nl", "status"),
        ("b@prov.nl", "geopend"),
    ]
    # The audit log holds ids and field names, never the note's text.
    assert all("bellen" not in str(e.detail) for e in desk.audit_log(oid))


def test_a_correction_shows_on_the_employees_report(
    service: ConversationService, desk: ReviewDesk
) -> None:
    oid = ask_advice(service, DRONES)
    with pytest.raises(ReviewError):
        desk.correct(oid, "risk", "extreem", "te laag", "ad@prov.nl")
    with pytest.raises(ReviewError):
        desk.correct(oid, "risk", "hoog", "   ", "ad@prov.nl")  # a reason is required
    with pytest.raises(ReviewError):
        desk.correct(oid, "instrument", "geen-instrument", "x", "ad@prov.nl")
    desk.correct(oid, "risk", "hoog", "Er worden burgers <b>gefilmd</b>", "ad@prov.nl")
    desk.correct(oid, "instrument", "iama", "Algoritme met impact", "ad@prov.nl")
    view = desk.open(oid, "ad@prov.nl")
    (risk,) = [e for e in view.entries if e.kind == "correctie" and e.body["field"] == "risk"]
    assert risk.body["original"] == view.record.outcome.risk  # the bot's stays visible
    state = service.store.load_state("web:c1")
    assert state is not None
    choice = f"{state.nonce}.{state.prompt_seq}.report"
    (report, *_rest) = service.handle(
        Inbound(channel="web", conversation="c1", user="u1", choice=choice)
    )
    assert report.content and report.content["kind"] == "report"
    assert "herzien door de ethiekadviseur op" in report.text
    assert "Hoog" in report.text or "hoog" in report.text
    assert "Impact Assessment Mensenrechten en Algoritmes" in report.text  # revised, by name
    assert "\\<b\\>gefilmd" in report.text or "&lt;b&gt;" in report.text  # escaped


def test_reply_answer_and_exchange(service: ConversationService, desk: ReviewDesk) -> None:
    oid = ask_advice(service, DRONES, "c9", "u9")
    desk.reply(oid, "Kun je vertellen welke gegevens de drones vastleggen?", "ad@prov.nl")
    (item,) = [d for d in service.store.outbox_of(oid) if d.kind == "antwoord"]
    assert item.target == "web:c9" and item.status == "wachtend"
    (reply,) = item.payload["replies"]
    answer = reply["choices"][0]["id"]
    assert answer == ANSWER_CHOICE + oid
    # Someone in another conversation cannot answer for this triage.
    other = service.handle(Inbound(channel="web", conversation="zz", user="zz", choice=answer))
    assert other[0].content == {"kind": "stale"}
    prompt = service.handle(Inbound(channel="web", conversation="c9", user="u9", choice=answer))
    assert oid in prompt[0].text
    sent = service.handle(
        Inbound(
            channel="web", conversation="c9", user="u9", text="Alleen luchtfoto's van weilanden."
        )
    )
    assert "Doorgestuurd" in sent[0].text
    messages = desk.open(oid, "ad@prov.nl").review.messages
    assert [(m.sender, m.text) for m in messages] == [
        ("adviseur", "Kun je vertellen welke gegevens de drones vastleggen?"),
        ("medewerker", "Alleen luchtfoto's van weilanden."),
    ]
    # The next message is a normal turn again (the answer was taken once).
    after = service.handle(Inbound(channel="web", conversation="c9", user="u9", text="hulp"))
    assert "Doorgestuurd" not in after[0].text


def test_notifications_exactly_once_across_a_restart(advisor: Advisor, tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    service = make_service(advisor, db, slack_channel="CADV")
    service.store.add_notify_target("teams:t1:19:advisors", "teams")
    cam = ask_advice(service, CAMERAS, "c1")
    calm = ask_advice(service, CHAT, "c2")
    items = service.store.outbox_of(cam)
    assert items and {i.kind for i in items} == {"melding"}
    # One message per target, naming every trigger it meets.
    assert sorted(i.target for i in items) == ["slack:-:CADV:-", "teams:t1:19:advisors"]
    for i in items:
        text = i.payload["replies"][0]["text"]
        assert cam in text and "gezichtsherkenning" not in text  # no description
    assert service.store.outbox_of(calm) == []  # low risk, no AI signal, not handed over
    n = len(items)
    service.close()
    # The same triage finished again after a restart: nothing is notified twice.
    service = make_service(advisor, db, slack_channel="CADV")
    record = service.store.get_outcome(cam)
    assert record is not None
    service.advisor_chat.outcome_logged(record.outcome, handed_over=False)
    assert len(service.store.outbox_of(cam)) == n
    # A hand-over is a new trigger: notified once more per target.
    service.advisor_chat.outcome_logged(record.outcome, handed_over=True)
    service.advisor_chat.outcome_logged(record.outcome, handed_over=True)
    assert len(service.store.outbox_of(cam)) == n + 2  # one per target
    texts = [i.payload["replies"][0]["text"] for i in service.store.outbox_of(cam)[n:]]
    assert all("doorgegeven" in x and "hoog risico" not in x for x in texts)
    service.close()


def test_notify_here_and_review_command_only_for_linked_advisors(
    service: ConversationService, desk: ReviewDesk
) -> None:
    ask_advice(service, CAMERAS, "c1")
    msg = Inbound(channel="slack", conversation="T1:C9:-", user="T1:U123", text="meldingen hier")
    (refused,) = service.handle(msg)
    assert "alleen een ethiekadviseur" in refused.text.lower()
    assert service.store.notify_targets() == []
    assert service.store.link_advisor("ad@prov.nl", slack_id="U123")
    service.handle(msg)
    assert service.store.notify_targets() == [("slack:T1:C9:-", "slack")]
    (queue,) = service.handle(msg.model_copy(update={"text": "beoordeel"}))
    assert queue.content == {"kind": "advisor-queue"}
    assert all(c.url and c.url.startswith("http://127.0.0.1:3978/advisor/") for c in queue.choices)
    assert "gezichtsherkenning" not in queue.text  # no description in a channel
    service.handle(msg.model_copy(update={"text": "meldingen uit"}))
    assert service.store.notify_targets() == []


def test_invites_are_single_use_and_expire(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "i.db")
    t0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
    token = store.create_invite("Nieuw@Prov.nl", "beheerder", now=t0)
    assert token not in (tmp_path / "i.db").read_bytes().decode("latin-1")  # only a hash
    assert store.redeem_invite(token, now=t0 + timedelta(hours=23)) == (
        "nieuw@prov.nl",
        "beheerder",
    )
    assert store.redeem_invite(token, now=t0 + timedelta(hours=23)) is None  # used
    late = store.create_invite("laat@prov.nl", now=t0)
    assert store.redeem_invite(late, now=t0 + timedelta(hours=24, seconds=1)) is None
    assert store.get_advisor("laat@prov.nl") is None
    assert store.get_advisor("nieuw@prov.nl") is not None
    store.close()


def test_sessions_idle_timeout_and_removal(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db")
    t0 = datetime(2026, 3, 1, 8, tzinfo=UTC)
    store.add_advisor("a@prov.nl")
    sid = store.create_session("a@prov.nl", "adviseur", now=t0)
    s = store.get_session(sid, now=t0 + timedelta(hours=7))
    assert s is not None and s.is_advisor and s.csrf
    # Activity keeps it alive; eight idle hours end it.
    assert store.get_session(sid, now=t0 + timedelta(hours=11)) is not None
    assert store.get_session(sid, now=t0 + timedelta(hours=19, minutes=1)) is None
    # However active, twelve hours after signing in it ends (a stolen cookie does not live on).
    sid = store.create_session("a@prov.nl", "adviseur", now=t0)
    for hour in (4, 8, 11):
        assert store.get_session(sid, now=t0 + timedelta(hours=hour)) is not None
    assert store.get_session(sid, now=t0 + timedelta(hours=12)) is None
    sid = store.create_session("a@prov.nl", "adviseur", now=t0)
    store.remove_advisor("a@prov.nl")
    assert store.get_session(sid, now=t0) is None
    store.close()


def test_two_instances_notify_each_trigger_once(advisor: Advisor, database: str) -> None:
    import threading

    from bot.notify import enqueue_notifications

    db = database
    service = make_service(advisor, db)
    oid = ask_advice(service, CAMERAS, "c1")
    record = service.store.get_outcome(oid)
    assert record is not None
    stores = [Store.open(db, secret=b"k"), Store.open(db, secret=b"k")]
    barrier = threading.Barrier(2)
    sets = (["hoog"], ["hoog", "overdracht"])

    def run(store: Store, triggers: list[str]) -> None:
        barrier.wait()
        enqueue_notifications(store, record.outcome, triggers, [("slack:-:CX:-", "slack")], "u")

    threads = [threading.Thread(target=run, args=a) for a in zip(stores, sets, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.close()
    sent = [
        t
        for i in service.store.outbox_of(oid)
        if i.target == "slack:-:CX:-"
        for t in i.payload["triggers"]
    ]
    assert sorted(sent) == ["hoog", "overdracht"]  # each once, whoever won the race
    service.close()


def test_cli_report_shows_the_advisors_judgement(
    advisor: Advisor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.cli import main

    db = tmp_path / "r.db"
    service = make_service(advisor, db)
    oid = ask_advice(service, DRONES)
    desk = ReviewDesk(service.store, lambda: advisor.knowledge)
    desk.correct(oid, "instrument", "iama", "Algoritme met impact", "ad@prov.nl")
    service.close()
    monkeypatch.setenv("ETHIEKBOT_DB", str(db))
    monkeypatch.setenv("ETHIEKBOT_SECRET", "k")
    assert main(["report", oid]) == 0
    out = capsys.readouterr().out
    assert "herzien door de ethiekadviseur op" in out
    assert "Impact Assessment Mensenrechten en Algoritmes" in out  # named, not the id


def test_the_dispatcher_is_woken_once_the_notification_is_visible(
    advisor: Advisor, database: str
) -> None:
    """Woken inside the turn, a dispatcher on PostgreSQL would look before the turn commits,
    find nothing, and wait for its next round."""
    service = make_service(advisor, database, slack_channel="CADV")
    other = Store.open(database, secret=b"k")  # another instance's view of the database
    seen: list[int] = []
    service.advisor_chat.on_enqueue = lambda: seen.append(
        int(other.db.execute("select count(*) from outbox").fetchone()[0])
    )
    try:
        ask_advice(service, CAMERAS, "c1", hand_over=True)
        assert seen and all(n > 0 for n in seen)
    finally:
        other.close()
        service.close()


def test_a_case_with_personal_data_or_a_placeholder_is_refused(
    service: ConversationService, desk: ReviewDesk, advisor: Advisor, tmp_path: Path
) -> None:
    """A published case is shown to every employee who asks something alike: an advisor who
    typed a name and a phone number into a lesson is told where, before anything is written
    (found by a helper who tried the workspace as an advisor)."""
    from knowledge.promote import PromotionError

    oid = ask_advice(service, "Vulgraadsensoren in ondergrondse afvalcontainers", "c1")
    draft = desk.draft_case(oid, advisor, case_id="vulgraad-pd", title="Vulgraad")
    draft["lessons"] = [
        {"nl": "Overlegd met Karin Jansen (06-98765432).", "en": "Agreed with the team."},
        {"nl": "Mevrouw [naam] belde.", "en": "A resident called."},
    ]
    problems = desk.check_case(draft)
    assert any(
        p.startswith("lessons[0].nl: bevat persoonsgegevens (name, phone)") for p in problems
    )
    assert any(p.startswith("lessons[1].nl: bevat nog [naam]") for p in problems)
    assert not any("06-98765432" in p or "Karin" in p for p in problems)  # never repeated
    with pytest.raises(PromotionError):
        desk.publish_case(oid, draft, tmp_path / "kennis", "adviseur@prov.nl")
    assert not (tmp_path / "kennis" / "cases" / "vulgraad-pd.yaml").exists()
    draft["lessons"] = [{"nl": "Leg vast wie de vulgraad mag zien.", "en": "Say who sees it."}]
    assert desk.check_case(draft) == []
    desk.publish_case(oid, draft, tmp_path / "kennis", "adviseur@prov.nl")
    assert (tmp_path / "kennis" / "cases" / "vulgraad-pd.yaml").exists()


def test_an_answer_with_contact_details_says_the_advisor_cannot_see_them(
    service: ConversationService, desk: ReviewDesk
) -> None:
    oid = ask_advice(service, DRONES, "c8", "u8")
    desk.reply(oid, "Wil je iets toelichten?", "ad@prov.nl")
    (item,) = [d for d in service.store.outbox_of(oid) if d.kind == "antwoord"]
    answer = item.payload["replies"][0]["choices"][0]["id"]
    service.handle(Inbound(channel="web", conversation="c8", user="u8", choice=answer))
    sent = service.handle(
        Inbound(channel="web", conversation="c8", user="u8", text="Bel me op 06-12345678.")
    )
    text = "\n".join(r.text for r in sent)
    assert "Doorgestuurd" in text and "ook niet voor de adviseur" in text
    assert "06-12345678" not in text
    messages = desk.open(oid, "ad@prov.nl").review.messages
    assert messages[-1].text == "Bel me op [telefoonnummer]."


def test_the_queue_shows_and_filters_the_judgement_in_force(
    service: ConversationService, desk: ReviewDesk
) -> None:
    oid = ask_advice(service, DRONES, "c1")
    other = ask_advice(service, CHAT, "c2")
    bot = next(r for r in desk.queue() if r.id == oid)
    assert bot.revised_risk is None and bot.risk_in_force == bot.risk
    new_risk = "hoog" if bot.risk != "hoog" else "laag"
    new_instrument = "deda" if bot.instrument != "deda" else "iama"
    desk.correct(oid, "risk", new_risk, "Er worden burgers gefilmd", "ad@prov.nl")
    desk.correct(oid, "instrument", new_instrument, "Een data-project", "ad@prov.nl")
    row = next(r for r in desk.queue() if r.id == oid)
    assert (row.risk, row.instrument) == (bot.risk, bot.instrument)  # the bot's stays
    assert (row.risk_in_force, row.instrument_in_force) == (new_risk, new_instrument)
    assert row.as_json()["revised_instrument"] == new_instrument
    # The filters read what is in force: the corrected value finds it, the bot's no longer.
    assert oid in [r.id for r in desk.queue(QueueFilter(instrument=new_instrument))]
    assert oid not in [r.id for r in desk.queue(QueueFilter(instrument=bot.instrument))]
    assert oid in [r.id for r in desk.queue(QueueFilter(risk=new_risk))]
    assert oid not in [r.id for r in desk.queue(QueueFilter(risk=bot.risk))]
    unchanged = next(r for r in desk.queue() if r.id == other)
    assert unchanged.revised_instrument is None
    # The newest correction is the one in force.
    desk.correct(oid, "instrument", bot.instrument or "iama", "Toch niet", "ad@prov.nl")
    row = next(r for r in desk.queue() if r.id == oid)
    assert row.instrument_in_force == (bot.instrument or "iama")


def test_an_employees_answer_waits_until_an_advisor_answers_and_notifies(
    advisor: Advisor, database: str
) -> None:
    service = make_service(advisor, database, slack_channel="CADV", notify_on=("antwoord",))
    try:
        desk = ReviewDesk(service.store, lambda: advisor.knowledge)
        oid = ask_advice(service, DRONES, "c9", "u9")
        calm = ask_advice(service, CHAT, "c8", "u8")
        desk.reply(oid, "Welke gegevens leggen de drones vast?", "ad@prov.nl")
        assert desk.queue(QueueFilter(waiting=True)) == []  # the advisor wrote last
        answer = ANSWER_CHOICE + oid

        def employee_says(text: str) -> None:
            service.handle(Inbound(channel="web", conversation="c9", user="u9", choice=answer))
            service.handle(Inbound(channel="web", conversation="c9", user="u9", text=text))

        employee_says("Alleen luchtfoto's.")
        (row,) = desk.queue(QueueFilter(waiting=True))
        assert row.id == oid and row.waiting_since is not None
        employee_says("En de datum van de vlucht.")
        (again,) = desk.queue(QueueFilter(waiting=True))
        assert again.waiting_since == row.waiting_since  # waiting since the first answer
        assert calm in [r.id for r in desk.queue(QueueFilter(waiting=False))]
        # Each answer notifies the advisors once, without its text.
        notes = [i for i in service.store.outbox_of(oid) if i.kind == "melding"]
        assert len(notes) == 2
        for n in notes:
            text = n.payload["replies"][0]["text"]
            assert "de medewerker antwoordde" in text and "luchtfoto" not in text
        # The advisor's answer ends the wait.
        desk.reply(oid, "Dank je, dat is helder.", "ad@prov.nl")
        assert desk.queue(QueueFilter(waiting=True)) == []
    finally:
        service.close()


def test_migration_0017_fills_the_judgement_from_the_entries_already_there(
    advisor: Advisor, database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.storage import MIGRATIONS

    before = [m for m in MIGRATIONS if m[0] < "0017"]
    monkeypatch.setattr("bot.storage.migrations.MIGRATIONS", before)
    service = make_service(advisor, database)
    fixed = ask_advice(service, DRONES, "c1")
    waits = ask_advice(service, CHAT, "c2")
    answered = ask_advice(service, CAMERAS, "c3")
    entries = [
        (
            fixed,
            "correctie",
            "ad@prov.nl",
            '{"field": "instrument", "original": "x", "revised": "iama", "reason": "r"}',
        ),
        (
            fixed,
            "correctie",
            "ad@prov.nl",
            '{"field": "instrument", "original": "x", "revised": "deda", "reason": "r"}',
        ),
        (
            fixed,
            "correctie",
            "ad@prov.nl",
            '{"field": "risk", "original": "x", "revised": "hoog", "reason": "r"}',
        ),
        (waits, "bericht", "ad@prov.nl", '{"sender": "adviseur", "text": "a"}'),
        (waits, "bericht", "medewerker", '{"sender": "medewerker", "text": "b"}'),
        (waits, "bericht", "medewerker", '{"sender": "medewerker", "text": "c"}'),
        (answered, "bericht", "medewerker", '{"sender": "medewerker", "text": "d"}'),
        (answered, "bericht", "ad@prov.nl", '{"sender": "adviseur", "text": "e"}'),
    ]
    with service.store.db.transaction():
        for n, (oid, kind, author, body) in enumerate(entries):
            service.store.db.execute(
                "insert into review_entries (outcome_id, kind, at, author, body) "
                "values (?, ?, ?, ?, ?)",
                [oid, kind, f"2026-03-01T10:0{n}:00+00:00", author, body],
            )
    service.close()
    monkeypatch.undo()
    service = make_service(advisor, database)  # applies 0017
    try:
        rows = {r.id: r for r in service.store.queue()}
        assert (rows[fixed].revised_instrument, rows[fixed].revised_risk) == ("deda", "hoog")
        assert rows[fixed].waiting_since is None
        assert rows[waits].waiting_since == "2026-03-01T10:04:00+00:00"  # the first unanswered
        assert rows[answered].waiting_since is None
        assert rows[waits].revised_instrument is None
    finally:
        service.close()


def test_closing_a_triage_ends_the_wait_and_an_answer_about_an_erased_one_is_stale(
    advisor: Advisor, database: str
) -> None:
    """A cold review found no way to clear the mark but replying, and a crash when the
    triage was erased between the employee's choice to answer and their answer."""
    service = make_service(advisor, database, notify_on=("hoog",))  # answers not notified
    try:
        desk = ReviewDesk(service.store, lambda: advisor.knowledge)
        oid = ask_advice(service, DRONES, "c9", "u9")
        desk.reply(oid, "Welke gegevens leggen de drones vast?", "ad@prov.nl")
        answer = ANSWER_CHOICE + oid
        service.handle(Inbound(channel="web", conversation="c9", user="u9", choice=answer))
        service.handle(Inbound(channel="web", conversation="c9", user="u9", text="Alleen foto's."))
        assert [r.id for r in desk.queue(QueueFilter(waiting=True))] == [oid]
        # 'antwoord' is not among the configured triggers: no notification for it.
        assert [i for i in service.store.outbox_of(oid) if i.kind == "melding"] == []
        desk.set_status(oid, "afgerond", "ad@prov.nl")
        assert desk.queue(QueueFilter(waiting=True)) == []
        # Erased after the employee chose to answer: the answer is stale, not a crash.
        service.handle(Inbound(channel="web", conversation="c9", user="u9", choice=answer))
        assert service.store.erase_outcomes_of("web", "u9") == 1
        (reply,) = service.handle(
            Inbound(channel="web", conversation="c9", user="u9", text="Nog iets.")
        )
        assert reply.content == {"kind": "stale"}
    finally:
        service.close()
