"""The workspace's HTML: a layout, the queue, a triage's page, the audit log, sign-in.

Server-rendered, no scripts: forms post and redirect, so it works with the keyboard alone and
under a strict Content-Security-Policy. Every value from storage is escaped here; an employee's
or advisor's text never becomes markup (notes are Markdown rendered by the escaping
:func:`dialogs.markdown.to_html`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from bot.edge import HTML_CSP
from bot.review import CORRECTION_FIELDS, REFERRALS, VERDICTS, TriageView
from bot.storage.audit import AuditEntry
from bot.storage.review import RISKS, SIGNALS, STATUSES, QueueFilter, QueueRow
from dialogs.markdown import to_html
from dialogs.render import step_title
from dialogs.texts import t

CSP = HTML_CSP
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    # Not "no-referrer": under it Chromium sends "Origin: null" with every form post, which the
    # sign-in guard's same-origin check (rightly) refuses. "same-origin" still sends nothing
    # to other sites.
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",  # an employee's text is not kept in a shared browser cache
}

STATUS_LABEL = {
    "nieuw": "Nieuw",
    "in-behandeling": "In behandeling",
    "doorverwezen": "Doorverwezen",
    "afgerond": "Afgerond",
}
REFERRAL_LABEL = {
    "fg": "Functionaris gegevensbescherming (FG)",
    "ciso": "CISO",
    "ethische-commissie": "Ethische commissie",
    "jurist": "Jurist",
    "anders": "Anders (zie notitie)",
}
SIGNAL_LABEL = {
    "personal-data": "Persoonsgegevens",
    "dpia": "DPIA waarschijnlijk of verplicht",
    "ai-prohibited": "AI-verordening: verboden",
    "ai-high-risk": "AI-verordening: hoog risico",
    "ai-transparency": "AI-verordening: transparantie",
    "iama": "IAMA",
    "kia": "KIA (kinderen)",
    "outside-eea": "Buiten de EER",
}
FIELD_LABEL = {
    "risk": "Risico",
    "instrument": "Instrument",
    "verdict-willen": "Oordeel Willen we het?",
    "verdict-mag": "Oordeel Mag het?",
    "verdict-kan": "Oordeel Kan het?",
}


def e(value: object) -> str:
    """Escape for HTML text and attributes."""
    return escape("" if value is None else str(value), quote=True)


def layout(
    title: str, body: str, csrf: str | None, who: str | None, status: int = 200
) -> web.Response:
    """A whole page: skip link, navigation, sign-out, main."""
    nav = ""
    if who is not None:
        nav = (
            '<nav aria-label="Werkplek"><ul>'
            '<li><a href="/advisor/">Wachtrij</a></li>'
            '<li><a href="/advisor/overview">Overzicht</a></li>'
            '<li><a href="/advisor/projects">Projecten</a></li>'
            '<li><a href="/advisor/cases">Eigen casussen</a></li>'
            '<li><a href="/advisor/contacts">Contacten</a></li>'
            '<li><a href="/advisor/advisors">Adviseurs</a></li>'
            '<li><a href="/advisor/audit">Auditlog</a></li>'
            "</ul>"
            f'<form method="post" action="/advisor/logout" class="signout">'
            f'<input type="hidden" name="csrf" value="{e(csrf)}">'
            f'<span>{e(who)}</span> <button type="submit">Afmelden</button></form></nav>'
        )
    html = (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)} · Ethiekbot werkplek</title>"
        '<link rel="icon" href="data:,">'
        '<link rel="stylesheet" href="/advisor/static/workspace.css"></head><body>'
        '<a class="skip" href="#main">Naar de inhoud</a>'
        f'<header><p class="brand">Ethiekbot · werkplek ethiekadviseur</p>{nav}</header>'
        f'<main id="main" tabindex="-1"><h1>{e(title)}</h1>{body}</main></body></html>'
    )
    return web.Response(text=html, content_type="text/html", status=status, headers=HEADERS)


def message_page(
    nl: str, en: str, status: int, csrf: str | None = None, signed_in: bool = False
) -> web.Response:
    """A page with one message (refusals, errors); with ``csrf`` (someone signed in who may
    not be here) a button to sign out; ``signed_in`` (an advisor who asked for something
    that is not there) a way back to the queue."""
    body = f'<p role="alert">{e(nl)}</p><p lang="en">{e(en)}</p>'
    if signed_in:
        body += '<p><a href="/advisor/">Terug naar de wachtrij</a></p>'
    elif csrf:
        body += (
            f'<form method="post" action="/advisor/logout">{_hidden(csrf)}'
            '<button type="submit">Afmelden</button></form>'
        )
    else:
        body += '<p><a href="/advisor/signin">Aanmelden</a></p>'
    return layout("Ethiekbot", body, None, None, status)


def signin_page(oidc: bool, next_path: str, error: str | None = None) -> web.Response:
    """How to sign in: the organisation's account (OIDC) or an invite link."""
    parts = []
    if error:
        parts.append(f'<p role="alert" class="error">{e(error)}</p>')
    if oidc:
        parts.append(
            f'<p><a class="button" href="/advisor/oidc/start?{urlencode({"next": next_path})}">'
            "Aanmelden met je organisatie-account</a></p>"
        )
    parts.append(
        "<p>Heb je een uitnodigingslink gekregen? Open die link om je aan te melden. "
        "Nog geen link? Vraag de beheerder van Ethiekbot om er een.</p>"
        '<p lang="en">Got an invite link? Open it to sign in.</p>'
    )
    return layout("Aanmelden", "".join(parts), None, None)


def _options(
    values: Iterable[str], selected: str | None, labels: dict[str, str] | None = None
) -> str:
    out = ['<option value="">(alle)</option>']
    for v in values:
        sel = " selected" if v == selected else ""
        out.append(f'<option value="{e(v)}"{sel}>{e((labels or {}).get(v, v))}</option>')
    return "".join(out)


def _instrument_name(instruments: Mapping[str, str], iid: str | None) -> str:
    """An instrument by its name ("–" for none; an id the knowledge no longer has, as it is)."""
    return instruments.get(iid or "", iid or "–")


def _field(label: str, control: str, fid: str) -> str:
    return f'<div class="field"><label for="{fid}">{e(label)}</label>{control}</div>'


def queue_page(
    rows: Sequence[QueueRow],
    f: QueueFilter,
    instruments: dict[str, str],
    channels: Sequence[str],
    next_after: str | None,
    csrf: str,
    who: str,
    error: str | None = None,
    erased: Sequence[tuple[str, str]] = (),
) -> web.Response:
    """The queue with its filters; ``erased`` lists handed-over triages their employee had
    erased (id, when), so a hand-over never silently disappears."""
    handed = "" if f.handed_over is None else ("ja" if f.handed_over else "nee")
    waiting = "" if f.waiting is None else ("ja" if f.waiting else "nee")
    form = (
        '<form method="get" action="/advisor/" class="filters" role="search" '
        'aria-label="Filter de wachtrij"><fieldset><legend>Filters</legend>'
        + _field(
            "Zoek in beschrijving",
            f'<input type="search" id="f-q" name="q" value="{e(f.q)}">',
            "f-q",
        )
        + _field(
            "Status",
            f'<select id="f-status" name="status">{_options(STATUSES, f.status, STATUS_LABEL)}</select>',
            "f-status",
        )
        + _field(
            "Risico",
            f'<select id="f-risk" name="risk">{_options(RISKS, f.risk)}</select>',
            "f-risk",
        )
        + _field(
            "Kanaal",
            f'<select id="f-channel" name="channel">{_options(channels, f.channel)}</select>',
            "f-channel",
        )
        + _field(
            "Instrument",
            f'<select id="f-instrument" name="instrument">{_options(instruments, f.instrument, instruments)}</select>',
            "f-instrument",
        )
        + _field(
            "Signaal",
            f'<select id="f-signal" name="signal">{_options(SIGNALS, f.signal, SIGNAL_LABEL)}</select>',
            "f-signal",
        )
        + _field(
            "Overgedragen",
            f'<select id="f-handed" name="handed_over">{_options(("ja", "nee"), handed)}</select>',
            "f-handed",
        )
        + _field(
            "Bericht van medewerker wacht op antwoord",
            f'<select id="f-waiting" name="waiting">{_options(("ja", "nee"), waiting)}</select>',
            "f-waiting",
        )
        + _field(
            "Vanaf (JJJJ-MM-DD)",
            f'<input type="date" id="f-from" name="from" value="{e(f.date_from)}">',
            "f-from",
        )
        + _field(
            "Tot en met", f'<input type="date" id="f-to" name="to" value="{e(f.date_to)}">', "f-to"
        )
        + '<button type="submit">Filter</button> <a href="/advisor/">Wis filters</a>'
        "</fieldset></form>"
    )
    params = filter_params(f)
    export = (
        f'<p class="exports">Exporteer deze selectie: <a href="/advisor/export.csv?{urlencode(params)}">CSV</a> · '
        f'<a href="/advisor/export.json?{urlencode(params)}">JSON</a></p>'
    )
    head = (
        '<tr><th scope="col">Kenmerk</th><th scope="col">Datum</th><th scope="col">Kanaal</th>'
        '<th scope="col">Risico</th><th scope="col">Beschrijving</th><th scope="col">Instrument</th>'
        '<th scope="col">Mag-het-signalen</th><th scope="col">Status</th>'
        '<th scope="col">Overgedragen</th><th scope="col">Wie</th></tr>'
    )
    lines = []

    for r in rows:
        signals = ", ".join(SIGNAL_LABEL.get(s, s) for s in r.signals) or "–"
        # What is in force (the advisor's correction), with the bot's judgement beside it.
        risk = e(r.risk_in_force) + (
            f" <small>(bot: {e(r.risk)})</small>" if r.revised_risk else ""
        )
        advised = e(_instrument_name(instruments, r.instrument_in_force)) + (
            f" <small>(bot: {e(_instrument_name(instruments, r.instrument))})</small>"
            if r.revised_instrument
            else ""
        )
        status = e(STATUS_LABEL.get(r.status, r.status))
        if r.waiting_since:
            status += (
                f' <strong class="waiting">bericht van medewerker wacht sinds '
                f"{e(r.waiting_since[:16].replace('T', ' '))}</strong>"
            )
        lines.append(
            f'<tr><th scope="row"><a href="/advisor/outcomes/{e(r.id)}">{e(r.id)}</a></th>'
            f"<td>{e(r.created_at[:16].replace('T', ' '))}</td><td>{e(r.channel)}</td>"
            f'<td><span class="risk risk-{e(r.risk_in_force)}">{risk}</span></td><td>{e(r.short)}</td>'
            f"<td>{advised}</td><td>{e(signals)}</td>"
            f"<td>{status}</td><td>{'ja' if r.handed_over else 'nee'}</td>"
            f"<td>{e(r.assigned_to or '–')}</td></tr>"
        )
    table = (
        f'<table class="queue"><caption>Triages, nieuwste eerst ({len(rows)} op deze pagina)</caption>'
        f"<thead>{head}</thead><tbody>{''.join(lines)}</tbody></table>"
        if rows
        else '<p class="empty">Geen triages gevonden met deze filters.</p>'
    )
    more = ""
    if next_after:
        more = f'<p><a rel="next" href="/advisor/?{urlencode({**params, "after": next_after})}">Volgende pagina</a></p>'
    err = f'<p role="alert" class="error">{e(error)}</p>' if error else ""
    gone = ""
    if erased:
        items = "".join(f"<li>{e(oid)}, {e(at[:16].replace('T', ' '))}</li>" for oid, at in erased)
        gone = (
            '<section class="erased" aria-labelledby="erased-h"><h2 id="erased-h">'
            "Verwijderd op verzoek</h2><p>Deze overgedragen triages heeft de medewerker zelf "
            "laten wissen (laatste 30 dagen). De inhoud is weg; er is niets meer te beantwoorden."
            f"</p><ul>{items}</ul></section>"
        )
    return layout(
        "Wachtrij", err + gone + form + export + table + more, csrf, who, 400 if error else 200
    )


def filter_params(f: QueueFilter) -> dict[str, str]:
    """The filter as query parameters (the names the page and the API read)."""
    out = {
        "status": f.status,
        "risk": f.risk,
        "channel": f.channel,
        "instrument": f.instrument,
        "signal": f.signal,
        "from": f.date_from,
        "to": f.date_to,
        "q": f.q,
        "assigned_to": f.assigned_to,
    }
    if f.handed_over is not None:
        out["handed_over"] = "ja" if f.handed_over else "nee"
    if f.waiting is not None:
        out["waiting"] = "ja" if f.waiting else "nee"
    return {k: v for k, v in out.items() if v}


def _hidden(csrf: str) -> str:
    return f'<input type="hidden" name="csrf" value="{e(csrf)}">'


def _select(
    name: str,
    fid: str,
    values: Iterable[str],
    labels: dict[str, str] | None = None,
    selected: str | None = None,
    empty: str | None = None,
) -> str:
    opts = [f'<option value="">{e(empty)}</option>'] if empty is not None else []
    for v in values:
        sel = " selected" if v == selected else ""
        opts.append(f'<option value="{e(v)}"{sel}>{e((labels or {}).get(v, v))}</option>')
    return f'<select id="{fid}" name="{name}">{"".join(opts)}</select>'


# The employee's language, so the advisor answers in it.
LANGUAGE_NAME = {"nl": "Nederlands", "en": "Engels"}


def triage_page(
    view: TriageView,
    instruments: dict[str, str],
    advisors: Sequence[str],
    value_names: dict[str, str],
    question_texts: dict[str, str],
    csrf: str,
    who: str,
    flash: str | None = None,
    error: str | None = None,
    status: int = 200,
    project: str = "",
    kept: Mapping[str, str] | None = None,
) -> web.Response:
    """One triage: what the employee wrote and answered, the bot's outcome, and the advisor's
    status, notes, corrections, messages and deliveries, with a form for each action.
    ``kept``: what was typed in a form that was refused (its ``action`` and fields), shown
    again so nothing is lost."""
    kept = kept or {}

    def typed(action: str, field: str) -> str:
        return e(kept.get(field, "")) if kept.get("action") == action else ""

    r = view.record
    o = r.outcome
    action = f"/advisor/outcomes/{e(r.id)}"
    parts: list[str] = []
    if flash:
        parts.append(f'<p role="status" class="flash">{e(flash)}</p>')
    if error:
        parts.append(f'<p role="alert" class="error">{e(error)}</p>')
    current = view.review.current()
    facts = [
        ("Datum", r.created_at[:16].replace("T", " ") + " UTC"),
        ("Kanaal", r.channel),
        ("Taal van de medewerker", LANGUAGE_NAME.get(o.lang, o.lang)),
        (
            "Status",
            STATUS_LABEL.get(r.status, r.status)
            + (
                f" → {REFERRAL_LABEL.get(view.referred_to or '', view.referred_to)}"
                if view.referred_to
                else ""
            ),
        ),
        ("Overgedragen", "ja" if r.handed_over else "nee"),
        ("Wie", view.assigned_to or "niemand"),
        (
            "Risico (bot)",
            o.risk + (f" · herzien: {current['risk'].revised}" if "risk" in current else ""),
        ),
        (
            "Instrument (bot)",
            _instrument_name(instruments, o.instrument_id)
            + (
                f" · herzien: {_instrument_name(instruments, current['instrument'].revised)}"
                if "instrument" in current
                else ""
            ),
        ),
        ("Mag-het-signalen", ", ".join(SIGNAL_LABEL.get(s, s) for s in o.signal_ids()) or "–"),
    ]
    parts.append(
        '<dl class="facts">'
        + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in facts)
        + "</dl>"
    )
    parts.append(
        f'<section aria-labelledby="h-q"><h2 id="h-q">Vraag van de medewerker</h2><p class="usertext" lang="{e(o.lang)}">{e(o.description)}</p>'
    )
    if o.purpose:
        parts.append(f"<p><strong>Doel:</strong> {e(o.purpose)}</p>")
    parts.append("</section>")
    verdicts = "".join(
        f"<li><strong>{e(step_title(v.step, 'nl'))}</strong> {e(v.verdict)}"
        + (
            f" · <em>herzien: {e(current['verdict-' + v.step].revised)}</em>"
            if f"verdict-{v.step}" in current
            else ""
        )
        + "<ul>"
        + "".join(f"<li>{e(x)}</li>" for x in v.reasons)
        + "</ul></li>"
        for v in o.verdicts
    )
    parts.append(
        f'<section aria-labelledby="h-v"><h2 id="h-v">Oordeel per stap (bot)</h2><ul>{verdicts}</ul></section>'
    )
    answers = "".join(
        f'<tr><th scope="row">{e(question_texts.get(qid, qid))}</th><td>{e(t("answer_" + a.answer, "nl"))}</td><td>{e(a.note or "")}</td></tr>'
        for qid, a in o.answers.items()
    ) + "".join(
        f'<tr><th scope="row">{e(value_names.get(vid, vid))}</th><td>{e(t("answer_" + a.answer, "nl"))}</td><td>{e(a.note or "")}</td></tr>'
        for vid, a in o.value_answers.items()
    )
    if answers:
        parts.append(
            '<section aria-labelledby="h-a"><h2 id="h-a">Antwoorden</h2><table><caption>Vragen en waarden met het antwoord van de medewerker</caption>'
            '<thead><tr><th scope="col">Vraag of waarde</th><th scope="col">Antwoord</th><th scope="col">Toelichting</th></tr></thead>'
            f"<tbody>{answers}</tbody></table></section>"
        )
    cases = "".join(
        f"<li>{e(c.get('title'))}"
        + (f" · {e(c['organisation'])}" if c.get("organisation") else "")
        + "</li>"
        for c in o.cases
    )
    if cases:
        parts.append(
            f'<section aria-labelledby="h-c"><h2 id="h-c">Vergelijkbare casussen</h2><ul>{cases}</ul></section>'
        )
    # Actions.
    parts.append(
        '<section aria-labelledby="h-act"><h2 id="h-act">Beoordelen</h2><div class="actions">'
    )
    parts.append(
        f'<form method="post" action="{action}/status">{_hidden(csrf)}<fieldset><legend>Status</legend>'
        + _field(
            "Nieuwe status",
            _select("status", "a-status", STATUSES, STATUS_LABEL, r.status),
            "a-status",
        )
        + _field(
            "Doorverwezen naar (bij doorverwezen)",
            _select("referred_to", "a-ref", REFERRALS, REFERRAL_LABEL, view.referred_to, "–"),
            "a-ref",
        )
        + '<button type="submit">Status opslaan</button></fieldset></form>'
    )
    parts.append(
        f'<form method="post" action="{action}/assign">{_hidden(csrf)}<fieldset><legend>Toewijzen</legend>'
        + _field(
            "Adviseur",
            _select("email", "a-assign", advisors, None, view.assigned_to, "niemand"),
            "a-assign",
        )
        + '<button type="submit">Toewijzen</button></fieldset></form>'
    )
    parts.append(
        f'<form method="post" action="{action}/note">{_hidden(csrf)}<fieldset><legend>Notitie (alleen voor adviseurs)</legend>'
        + _field(
            "Notitie (Markdown)",
            f'<textarea id="a-note" name="text" rows="3" maxlength="10000" required>{typed("note", "text")}</textarea>',
            "a-note",
        )
        + '<button type="submit">Notitie toevoegen</button></fieldset></form>'
    )
    # One list, grouped by what each value can correct: a risk level, a step's verdict, or
    # an instrument (the server refuses a value that does not fit the chosen part).
    groups = (
        ("Risico", [(r, r) for r in RISKS]),
        ("Oordeel van een stap", [(v, v) for v in VERDICTS]),
        ("Instrument", list(instruments.items())),
    )
    revised_select = (
        '<select id="a-revised" name="revised">'
        + "".join(
            f'<optgroup label="{e(label)}">'
            + "".join(f'<option value="{e(v)}">{e(name)}</option>' for v, name in values)
            + "</optgroup>"
            for label, values in groups
        )
        + "</select>"
    )
    parts.append(
        f'<form method="post" action="{action}/correct">{_hidden(csrf)}<fieldset><legend>Corrigeer de bot (de medewerker ziet dit in het rapport)</legend>'
        + _field(
            "Onderdeel", _select("field", "a-field", CORRECTION_FIELDS, FIELD_LABEL), "a-field"
        )
        + _field(
            "Jouw oordeel (risico: laag/midden/hoog; oordeel: groen/oranje/rood/onbekend; of een instrument)",
            revised_select,
            "a-revised",
        )
        + _field(
            "Reden (verplicht)",
            f'<textarea id="a-reason" name="reason" rows="2" maxlength="2000" required>{typed("correct", "reason")}</textarea>',
            "a-reason",
        )
        + '<button type="submit">Correctie opslaan</button></fieldset></form>'
    )
    parts.append(
        f'<form method="post" action="{action}/reply">{_hidden(csrf)}<fieldset><legend>Antwoord aan de medewerker</legend>'
        + f'<p class="hint">Komt aan in het gesprek waarin de vraag is gesteld ({e(r.channel)}).'
        + (
            " De medewerker schreef in het Engels: antwoord in het Engels.</p>"
            if o.lang == "en"
            else "</p>"
        )
        + _field(
            "Bericht",
            f'<textarea id="a-reply" name="text" rows="4" maxlength="4000" required>{typed("reply", "text")}</textarea>',
            "a-reply",
        )
        + '<button type="submit">Versturen</button></fieldset></form>'
    )
    parts.append("</div></section>")
    # History.
    history = []
    for x in view.entries:
        when = x.at[:16].replace("T", " ")
        if x.kind == "notitie":
            history.append(
                f'<li class="note"><p><strong>Notitie</strong> van {e(x.author)}, {e(when)}</p>{to_html(str(x.body.get("text", "")))}</li>'
            )
        elif x.kind == "correctie":
            # An instrument by its name, as in the forms (not its id).
            if x.body["field"] == "instrument":
                before = _instrument_name(instruments, x.body["original"])
                after = _instrument_name(instruments, x.body["revised"])
            else:
                before, after = x.body["original"] or "–", x.body["revised"]
            history.append(
                f'<li class="correction"><p><strong>Correctie</strong> door {e(x.author)}, {e(when)}: '
                f"{e(FIELD_LABEL.get(x.body['field'], x.body['field']))} {e(before)} → {e(after)}</p>"
                f"<p>Reden: {e(x.body['reason'])}</p></li>"
            )
        else:
            # The employee is known by no name here: "Medewerker", not "Medewerker (medewerker)".
            if x.body.get("sender") == "adviseur":
                sender = f"<strong>Ethiekadviseur</strong> ({e(x.author)})"
            else:
                sender = "<strong>Medewerker</strong>"
            # The exchange is in the employee's language (for a screen reader).
            lang = f' lang="{e(o.lang)}"'
            history.append(
                f'<li class="message"><p>{sender}, {e(when)}</p><p class="usertext"{lang}>{e(x.body.get("text"))}</p></li>'
            )
    parts.append(
        '<section aria-labelledby="h-h"><h2 id="h-h">Geschiedenis</h2>'
        + (
            f'<ol class="history">{"".join(history)}</ol>'
            if history
            else "<p>Nog niets toegevoegd.</p>"
        )
        + "</section>"
    )
    deliveries = []
    for d in view.deliveries:
        state = {
            "wachtend": "wacht op verzending",
            "verstuurd": "afgeleverd",
            "mislukt": "mislukt",
            "geannuleerd": "geannuleerd",
        }.get(d.status, d.status)
        if d.channel == "web" and d.status == "verstuurd":
            # The web chat shows it when the session opens the page: say whether it did.
            state = (
                f"gezien op {d.seen_at[:16].replace('T', ' ')} UTC"
                if d.seen_at
                else "klaar; de medewerker ziet het zodra die de web chat weer opent"
            )
        retry = ""
        if d.status == "mislukt":
            retry = f'<form method="post" action="{action}/retry" class="inline">{_hidden(csrf)}<input type="hidden" name="item" value="{d.id}"><button type="submit">Opnieuw versturen</button></form>'
        err = f" · fout: {e(d.last_error)}" if d.last_error else ""
        deliveries.append(
            f"<li>{e(d.kind)} via {e(d.channel)}: <strong>{e(state)}</strong> (pogingen: {d.attempts}){err} {retry}</li>"
        )
    if deliveries:
        parts.append(
            f'<section aria-labelledby="h-d"><h2 id="h-d">Berichten verstuurd door de bot</h2><ul>{"".join(deliveries)}</ul></section>'
        )
    parts.append(project)
    parts.append(
        f'<p><a href="/advisor/api/outcomes/{e(r.id)}">Als JSON</a> · <a href="/advisor/outcomes/{e(r.id)}/register">Concept algoritmeregister</a> · <a href="/advisor/outcomes/{e(r.id)}/promote">Maak er een casus van</a></p>'
    )
    return layout(f"Triage {r.id}", "".join(parts), csrf, who, status)


def audit_page(
    entries: Sequence[AuditEntry], before: int | None, csrf: str, who: str
) -> web.Response:
    """The audit log, newest first."""

    def link(oid: str | None) -> str:
        return f'<a href="/advisor/outcomes/{e(oid)}">{e(oid)}</a>' if oid else "–"

    rows = "".join(
        f"<tr><td>{e(x.at.replace('T', ' '))}</td><td>{e(x.actor)}</td><td>{e(x.action)}</td>"
        f"<td>{link(x.outcome_id)}</td>"
        f"<td>{e(', '.join(f'{k}={v}' for k, v in sorted(x.detail.items())))}</td></tr>"
        for x in entries
    )
    table = (
        '<table><caption>Wie deed wat, nieuwste eerst</caption><thead><tr><th scope="col">Wanneer (UTC)</th>'
        '<th scope="col">Wie</th><th scope="col">Actie</th><th scope="col">Triage</th><th scope="col">Details</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
    more = (
        f'<p><a rel="next" href="/advisor/audit?before={before}">Oudere</a></p>' if before else ""
    )
    return layout("Auditlog", table + more, csrf, who)


def as_dict(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """Rows with ``as_json`` as plain dicts."""
    return [r.as_json() for r in rows]


def overview_page(charts: Sequence[Any], csrf: str, who: str) -> web.Response:
    """The overview: each chart as an SVG image with its numbers as a table beside it."""
    parts = [
        "<p>Alle bewaarde triages. Elke grafiek heeft haar cijfers ook als tabel, om voor te "
        "laten lezen of over te nemen in een notitie.</p>"
    ]
    for c in charts:
        parts.append(
            f'<section class="chart" aria-labelledby="c-{e(c.id)}"><h2 id="c-{e(c.id)}">{e(c.title)}</h2>'
            f'<img src="/advisor/charts/{e(c.id)}.svg" alt="{e(c.title)}: de cijfers staan in de tabel hieronder" width="860">'
            f"{c.table_html}</section>"
        )
    return layout("Overzicht", "".join(parts), csrf, who)


def register_page(
    outcome_id: str, entry: dict[str, str], incomplete: Sequence[str], csrf: str, who: str
) -> web.Response:
    """The draft Algoritmeregister entry, field by field, with downloads."""
    from bot.register import FIELDS

    rows = "".join(
        f'<tr><th scope="row">{e(FIELDS[k][0] if k in FIELDS else k)}</th><td class="usertext">{e(v)}</td></tr>'
        for k, v in entry.items()
    )
    body = (
        f'<p>Concept uit triage <a href="/advisor/outcomes/{e(outcome_id)}">{e(outcome_id)}</a>, in de velden van de '
        "publicatiestandaard van het Algoritmeregister. Wat de bot niet kan weten staat als "
        "<em>[in te vullen door het team]</em>: het team vult aan en publiceert.</p>"
        f"<p>Nog in te vullen: {len(incomplete)} van {len(entry)} velden.</p>"
        f'<p><a href="/advisor/outcomes/{e(outcome_id)}/register.json">Download als JSON</a> · '
        f'<a href="/advisor/outcomes/{e(outcome_id)}/register.txt">Download als tekst</a></p>'
        f"<table><caption>Concept voor het Algoritmeregister</caption><tbody>{rows}</tbody></table>"
    )
    return layout(f"Algoritmeregister: concept voor {outcome_id}", body, csrf, who)


def advisors_page(
    accounts: Sequence[Any],
    manage: bool,
    link: str | None,
    error: str | None,
    csrf: str,
    who: str,
    status: int = 200,
) -> web.Response:
    """Who is an advisor; a beheerder invites, changes roles and removes here."""
    parts = []
    if error:
        parts.append(f'<p role="alert" class="error">{e(error)}</p>')
    if link:
        parts.append(
            '<div role="status" class="flash"><p>Eenmalige aanmeldlink (24 uur geldig). Deel hem '
            "alleen met de adviseur zelf; hij wordt niet nog eens getoond:</p>"
            f'<p><code class="link">{e(link)}</code></p></div>'
        )
    rows = "".join(
        f'<tr><th scope="row">{e(a.email)}</th><td>{e(a.role)}</td>'
        f"<td>{e(', '.join(x for x in (a.slack_id and 'Slack', a.teams_id and 'Teams') if x) or '–')}</td></tr>"
        for a in accounts
    )
    parts.append(
        '<table><caption>Ethiekadviseurs</caption><thead><tr><th scope="col">E-mail</th>'
        '<th scope="col">Rol</th><th scope="col">Gekoppeld</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
    if manage:
        roles = _select("role", "{fid}", ("adviseur", "beheerder"))
        for action, legend, button in (
            ("invite", "Uitnodigen", "Maak aanmeldlink"),
            ("role", "Rol wijzigen", "Rol opslaan"),
            ("remove", "Verwijderen (beëindigt ook de sessies)", "Verwijder"),
        ):
            fid = f"adv-{action}"
            role = (
                ""
                if action == "remove"
                else _field("Rol", roles.replace("{fid}", fid + "-role"), fid + "-role")
            )
            parts.append(
                f'<form method="post" action="/advisor/advisors/{action}">{_hidden(csrf)}<fieldset><legend>{e(legend)}</legend>'
                + _field(
                    "E-mailadres",
                    f'<input type="email" id="{fid}" name="email" required autocomplete="off">',
                    fid,
                )
                + role
                + f'<button type="submit">{e(button)}</button></fieldset></form>'
            )
    else:
        parts.append("<p>Alleen een beheerder beslist wie adviseur is.</p>")
    return layout("Adviseurs", "".join(parts), csrf, who, status)


CHECKPOINT_LABEL = {
    "gepland": "gepland",
    "verzet": "verzet",
    "verstuurd": "herinnering verstuurd",
    "afgerond": "afgerond",
    "gestopt": "gestopt",
    "mislukt": "mislukt",
}


def projects_page(
    rows: Sequence[Any],
    names: dict[str, str],
    now_iso: str,
    csrf: str,
    who: str,
    overdue_after: str = "",
) -> web.Response:
    """Every project with checkpoints: upcoming, overdue (its moment passed and the team did
    not close it) and failed reminders."""
    by_project: dict[str, list[Any]] = {}
    for c in rows:
        by_project.setdefault(c.project_id, []).append(c)
    parts = [
        "<p>Projecten met ijkmomenten. <strong>Te laat</strong>: het moment is voorbij en het team "
        "heeft het niet afgerond. <strong>Mislukt</strong>: de herinnering kon niet worden afgeleverd.</p>"
    ]
    if not by_project:
        parts.append('<p class="empty">Nog geen ijkmomenten gepland.</p>')
    for project, items in by_project.items():
        lines = []
        for c in items:
            # Late: the moment passed and the team did not close it. A reminder sent this
            # morning is not late yet; one waiting past its time means the scheduler missed it.
            overdue = (c.status in ("gepland", "verzet") and c.send_at < now_iso) or (
                c.status == "verstuurd" and c.send_at < overdue_after
            )
            state = CHECKPOINT_LABEL.get(c.status, c.status)
            if overdue:
                state += " · te laat"
            reason = f" ({e(c.reason)})" if c.reason else ""
            lines.append(
                f'<tr><th scope="row">{e(c.label)}</th><td>{e(c.due)}</td><td>{e(state)}{reason}</td>'
                f'<td>{e(c.channel)}</td><td><a href="/advisor/outcomes/{e(c.outcome_id)}">{e(c.outcome_id)}</a></td></tr>'
            )
        parts.append(
            f'<section aria-labelledby="p-{e(project)}"><h2 id="p-{e(project)}">{e(names.get(project, project))}</h2>'
            '<table><caption>IJkmomenten van dit project</caption><thead><tr><th scope="col">IJkmoment</th>'
            '<th scope="col">Datum</th><th scope="col">Stand</th><th scope="col">Kanaal</th><th scope="col">Triage</th></tr></thead>'
            f"<tbody>{''.join(lines)}</tbody></table></section>"
        )
    return layout("Projecten en ijkmomenten", "".join(parts), csrf, who)


def project_section(
    current_id: str, outcomes: Sequence[tuple[str, str]], checkpoints: Sequence[Any]
) -> str:
    """The project a triage belongs to: its outcomes (first triage and re-checks) and its
    checkpoints. Empty when the triage stands alone."""
    if len(outcomes) < 2 and not checkpoints:
        return ""
    history = "".join(
        f'<li>{"<strong>" if oid == current_id else ""}<a href="/advisor/outcomes/{e(oid)}">{e(oid)}</a>'
        f"{'</strong>' if oid == current_id else ''} · {e(created[:10])}{' (eerste toets)' if n == 0 else ' (opnieuw getoetst)'}</li>"
        for n, (oid, created) in enumerate(outcomes)
    )
    rows = "".join(
        f'<tr><th scope="row">{e(c.label)}</th><td>{e(c.due)}</td><td>{e(CHECKPOINT_LABEL.get(c.status, c.status))}'
        f"{' (' + e(c.reason) + ')' if c.reason else ''}</td></tr>"
        for c in checkpoints
    )
    table = (
        '<table><caption>IJkmomenten</caption><thead><tr><th scope="col">IJkmoment</th><th scope="col">Datum</th>'
        f'<th scope="col">Stand</th></tr></thead><tbody>{rows}</tbody></table>'
        if rows
        else ""
    )
    return f'<section aria-labelledby="h-p"><h2 id="h-p">Project</h2><ol class="history">{history}</ol>{table}</section>'
