// Ethiekbot web chat. Bot messages arrive as HTML made by the server from escaped Markdown;
// everything the user typed is shown with textContent. No third-party code.
//
// Language: until the conversation has one, the page speaks the browser's language
// (navigator.language); every /api/chat answer carries the conversation's language ("lang"),
// and from then on the page follows it (labels, aria labels, the lang attribute) until the
// user switches with the language button.
//
// Focus after a reply (new messages are announced by the log's aria-live region):
// * typed (Enter or Send): focus stays in the input, so one can type on (a number picks a choice);
// * a button in the conversation: focus moves to the newest reply: an outcome's title, else its
//   first button or link, else the input;
// * the language button keeps focus; a failed turn puts focus back where the user acted.
"use strict";
(function () {
  const root = document.documentElement;
  const header = document.querySelector("header");
  const log = document.getElementById("log");
  const status = document.getElementById("status");
  const form = document.getElementById("form");
  const input = document.getElementById("input");
  const send = document.getElementById("send");
  const langButton = document.getElementById("lang");

  // Texts the script writes itself, Dutch first.
  const TEXT = {
    nl: {
      switchTo: "English",
      switchLabel: "Switch to English",
      choices: "Keuzes",
      busy: "Ethiekbot denkt na…",
      offline: "Geen verbinding met Ethiekbot. Je bericht staat nog in het invoerveld: probeer het opnieuw.",
      offlineChoice: "Geen verbinding met Ethiekbot. Probeer het opnieuw.",
      failed: (n) => "Ethiekbot kon dit nu niet verwerken (fout " + n + "). Probeer het opnieuw.",
      report: "Rapport downloaden (Markdown)",
      note: "Adviesnotitie downloaden (PDF)",
      myData: "Mijn gegevens downloaden (JSON)",
      calendar: "Ijkmomenten in je agenda (.ics)",
      summary: "samenvatting",
    },
    en: {
      switchTo: "Nederlands",
      switchLabel: "Schakel naar Nederlands",
      choices: "Choices",
      busy: "Ethiekbot is thinking…",
      offline: "No connection to Ethiekbot. Your message is still in the input box: please try again.",
      offlineChoice: "No connection to Ethiekbot. Please try again.",
      failed: (n) => "Ethiekbot could not handle this now (error " + n + "). Please try again.",
      report: "Download report (Markdown)",
      note: "Download advice note (PDF)",
      myData: "Download my data (JSON)",
      calendar: "Checkpoints in your calendar (.ics)",
      summary: "summary",
    },
  };

  function browserLang() {
    return (navigator.language || "nl").toLowerCase().startsWith("en") ? "en" : "nl";
  }

  let session = localStorage.getItem("ethiekbot.session");
  // The conversation's language is kept with its session; without one, the browser's.
  let lang = (session && localStorage.getItem("ethiekbot.lang")) || browserLang();
  if (lang !== "en") lang = "nl";
  let busy = false;

  function applyLang() {
    root.lang = lang;
    document.querySelectorAll("[data-nl]").forEach((el) => { el.textContent = el.dataset[lang]; });
    document.querySelectorAll("[data-nl-aria-label]").forEach((el) => {
      el.setAttribute("aria-label", el.dataset[lang + "AriaLabel"]);
    });
    input.placeholder = input.dataset[lang + "Placeholder"];
    // The button speaks the language it switches to.
    langButton.textContent = TEXT[lang].switchTo;
    langButton.lang = lang === "nl" ? "en" : "nl";
    langButton.setAttribute("aria-label", TEXT[lang].switchLabel);
  }

  function setLang(value) {
    lang = value === "en" ? "en" : "nl";
    if (session) localStorage.setItem("ethiekbot.lang", lang);
    applyLang();
  }

  function addMine(text) {
    const div = document.createElement("div");
    div.className = "msg me";
    div.textContent = text;
    log.appendChild(div);
    return div;
  }

  // Disables the choices still open; returns them, so a failed turn can give them back.
  // A reminder's buttons last: they act on their checkpoint whatever the conversation does.
  function disableOldChoices() {
    const open = [...log.querySelectorAll(".choices:not(.lasting) button:not([disabled])")];
    open.forEach((b) => { b.disabled = true; });
    return open;
  }

  // A download is a POST with the session in its body: the token never goes into a URL
  // (browser history, logs, a Referer). The file arrives as a blob and is saved from there.
  function downloadButton(path, filename, label) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "download";
    b.textContent = label;
    b.addEventListener("click", async () => {
      const resp = await fetch(path, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ session: session }),
      });
      if (!resp.ok) { return; }
      const url = URL.createObjectURL(await resp.blob());
      const a = document.createElement("a");
      a.href = url;
      a.download = filename;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    });
    return b;
  }

  function addReply(reply, replyLang) {
    if ((reply.content || {}).kind === "own-data-erased") {
      // Erased on the server: what this page still shows of it goes too (the user's own
      // "ja" stays, so the page says what happened).
      [...log.children].slice(0, -1).forEach((el) => el.remove());
    }
    const div = document.createElement("div");
    div.className = "msg bot";
    const words = TEXT[replyLang === "en" || replyLang === "nl" ? replyLang : lang];
    if (replyLang === "en" || replyLang === "nl") div.lang = replyLang;
    div.innerHTML = reply.html; // escaped by the server (dialogs/markdown.py, adapters/web.py)
    const content = reply.content || {};
    if (content.kind === "outcome") div.classList.add("outcome");
    if (content.kind === "report" && content.outcome_id) {
      div.appendChild(downloadButton(
        "/api/report/" + encodeURIComponent(content.outcome_id) + "?format=pdf",
        "ethiekbot-" + content.outcome_id + ".pdf", words.note));
      div.appendChild(downloadButton(
        "/api/report/" + encodeURIComponent(content.outcome_id),
        "ethiekbot-" + content.outcome_id + ".md", words.report));
    }
    if (content.kind === "own-data" && session) {
      div.appendChild(downloadButton(
        "/api/my-data", "mijn-gegevens-ethiekbot.json", words.myData));
    }
    if (content.kind === "checkpoints" && content.outcome_id && session) {
      div.appendChild(downloadButton(
        "/api/checkpoints/" + encodeURIComponent(content.outcome_id) + ".ics",
        "ijkmomenten-" + content.outcome_id + ".ics", words.calendar));
    }
    if (reply.choices && reply.choices.length) {
      const row = document.createElement("div");
      row.className = content.kind === "reminder" ? "choices lasting" : "choices";
      row.setAttribute("role", "group");
      row.setAttribute("aria-label", words.choices);
      reply.choices.forEach((c, i) => {
        if (c.url) {
          const link = document.createElement("a");
          link.href = c.url;
          link.textContent = c.label;
          row.appendChild(link);
          return;
        }
        const b = document.createElement("button");
        b.type = "button";
        b.textContent = (i + 1) + ". " + c.label;
        b.dataset.choice = c.id;
        b.addEventListener("click", () => {
          if (busy) return;
          if (row.classList.contains("lasting")) {
            // Pressed once: this reminder is answered (a failed turn gives it back).
            row.classList.remove("lasting");
          }
          post({ choice: c.id }, "choice", addMine(c.label));
        });
        row.appendChild(b);
      });
      div.appendChild(row);
    }
    log.appendChild(div);
    return div;
  }

  function addError(text) {
    const div = document.createElement("div");
    div.className = "msg bot error";
    div.setAttribute("role", "alert");
    div.textContent = text;
    log.appendChild(div);
    return div;
  }

  async function newSession() {
    const r = await fetch("/api/session", { method: "POST" });
    session = (await r.json()).session;
    localStorage.setItem("ethiekbot.session", session);
  }

  const FOCUSABLE = "button:not([disabled]), a[href], summary";

  // Scroll and focus after a turn (see the top of this file).
  function settle(added, origin) {
    const outcome = added.find((el) => el.classList.contains("outcome"));
    const newest = added[added.length - 1];
    if (outcome) {
      // An outcome reads top-down: its verdict card starts just under the sticky header.
      const card = outcome.querySelector(".verdict-card") || outcome;
      window.scrollBy(0, card.getBoundingClientRect().top - header.getBoundingClientRect().bottom - 8);
    } else {
      const last = log.lastElementChild;
      if (last) last.scrollIntoView({ block: "end" });
    }
    if (origin === "typed" || origin === "load") {
      input.focus({ preventScroll: true });
    } else if (origin === "choice") {
      const target = (outcome && outcome.querySelector(".card-title"))
        || (newest && newest.querySelector(FOCUSABLE));
      (target || input).focus({ preventScroll: true });
    }
  }

  // Gives back what a failed turn took: the typed text to the input, the choices to click.
  function undo(body, origin, mine, disabled) {
    if (mine) mine.remove();
    disabled.forEach((b) => { b.disabled = false; });
    if (origin === "typed") {
      if (!input.value) input.value = body.text;
      input.focus({ preventScroll: true });
    } else if (origin === "choice" && disabled.length) {
      disabled[disabled.length - 1].closest(".choices").querySelector("button").focus();
    }
  }

  // One turn: ``body`` is {text} or {choice}; ``origin`` is how the user acted ("typed",
  // "choice", "lang" or "load"); ``mine`` is the message shown for it.
  async function post(body, origin, mine) {
    busy = true;
    send.disabled = true;
    status.textContent = TEXT[lang].busy;
    const disabled = disableOldChoices();
    let added = [];
    let failed = false;
    try {
      if (!session) await newSession();
      const r = await fetch("/api/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(Object.assign({ session: session, locale: lang }, body)),
      });
      let data = null;
      try { data = await r.json(); } catch (e) { data = null; }
      if (r.status === 429 && data && data.replies) {
        // Too many turns in a minute: the bot says how long to wait; what was typed stays.
        added = data.replies.map((x) => addReply(x, data.lang));
        failed = true;
      } else if (!r.ok || !data || !Array.isArray(data.replies)) {
        if (r.status === 400 && data && data.error) {
          localStorage.removeItem("ethiekbot.session");
          localStorage.removeItem("ethiekbot.lang");
          session = null;
        }
        added = [addError(data && data.error ? data.error[lang] : TEXT[lang].failed(r.status))];
        failed = true;
      } else {
        if (data.lang && data.lang !== lang) setLang(data.lang);
        else if (data.lang) localStorage.setItem("ethiekbot.lang", data.lang);
        added = data.replies.map((x) => addReply(x, data.lang));
      }
    } catch (e) {
      added = [addError(origin === "typed" ? TEXT[lang].offline : TEXT[lang].offlineChoice)];
      failed = true;
    } finally {
      busy = false;
      send.disabled = false;
      status.textContent = "";
    }
    if (failed) {
      const last = log.lastElementChild;
      if (last) last.scrollIntoView({ block: "end" });
      undo(body, origin, mine, disabled);
    } else {
      settle(added, origin);
    }
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = input.value;
    if (busy) return; // the text stays in the input until the answer is in
    if (!text.trim()) { input.focus(); return; }
    input.value = "";
    post({ text: text }, "typed", addMine(text));
  });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); form.requestSubmit(); }
  });
  langButton.addEventListener("click", () => {
    if (busy) return;
    setLang(lang === "nl" ? "en" : "nl");
    const word = lang === "en" ? "english" : "nederlands";
    post({ text: word }, "lang", addMine(word));
  });

  // Messages from the ethics advisor wait on the server until this session opens the page.
  async function inbox() {
    if (!session || busy) return;
    try {
      const r = await fetch("/api/inbox", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ session: session }),
      });
      if (r.ok) (await r.json()).replies.forEach((x) => addReply(x));
    } catch (e) { /* offline: the messages stay on the server for the next time */ }
  }

  applyLang();
  inbox().then(() => post({ text: session ? TEXT[lang].summary : "" }, "load", null));
  setInterval(inbox, 30000);
})();
