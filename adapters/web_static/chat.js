// Ethiekbot web chat. Bot messages arrive as HTML made by the server from escaped Markdown;
// everything the user typed is shown with textContent. No third-party code.
"use strict";
(function () {
  const log = document.getElementById("log");
  const form = document.getElementById("form");
  const input = document.getElementById("input");
  const send = document.getElementById("send");
  const langButton = document.getElementById("lang");
  let lang = localStorage.getItem("ethiekbot.lang") || (navigator.language || "nl").slice(0, 2);
  if (lang !== "en") lang = "nl";
  let session = localStorage.getItem("ethiekbot.session");
  let busy = false;

  function applyLang() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-nl]").forEach((el) => { el.textContent = el.dataset[lang]; });
    input.placeholder = input.dataset[lang + "Placeholder"];
    langButton.textContent = lang === "nl" ? "English" : "Nederlands";
    langButton.setAttribute("aria-label", lang === "nl" ? "Switch to English" : "Schakel naar Nederlands");
  }

  function addMine(text) {
    const div = document.createElement("div");
    div.className = "msg me";
    div.textContent = text;
    log.appendChild(div);
  }

  function disableOldChoices() {
    log.querySelectorAll(".choices button").forEach((b) => { b.disabled = true; });
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

  function addReply(reply) {
    const div = document.createElement("div");
    div.className = "msg bot";
    div.innerHTML = reply.html; // escaped by the server (dialogs/markdown.py)
    const content = reply.content || {};
    if (content.kind === "report" && content.outcome_id) {
      div.appendChild(downloadButton(
        "/api/report/" + encodeURIComponent(content.outcome_id),
        "ethiekbot-" + content.outcome_id + ".md",
        lang === "nl" ? "Rapport downloaden (Markdown)" : "Download report (Markdown)"));
    }
    if (content.kind === "own-data" && session) {
      div.appendChild(downloadButton(
        "/api/my-data", "mijn-gegevens-ethiekbot.json",
        lang === "nl" ? "Mijn gegevens downloaden (JSON)" : "Download my data (JSON)"));
    }
    if (content && content.kind === "checkpoints" && content.outcome_id && session) {
      div.appendChild(downloadButton(
        "/api/checkpoints/" + encodeURIComponent(content.outcome_id) + ".ics",
        "ijkmomenten-" + content.outcome_id + ".ics",
        lang === "nl" ? "Ijkmomenten in je agenda (.ics)" : "Checkpoints in your calendar (.ics)"));
    }
    if (reply.choices && reply.choices.length) {
      const row = document.createElement("div");
      row.className = "choices";
      row.setAttribute("role", "group");
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
        b.addEventListener("click", () => { addMine(c.label); post({ choice: c.id }); });
        row.appendChild(b);
      });
      div.appendChild(row);
    }
    log.appendChild(div);
  }

  function addError(text) {
    const div = document.createElement("div");
    div.className = "msg bot error";
    div.setAttribute("role", "alert");
    div.textContent = text;
    log.appendChild(div);
  }

  async function newSession() {
    const r = await fetch("/api/session", { method: "POST" });
    session = (await r.json()).session;
    localStorage.setItem("ethiekbot.session", session);
  }

  async function post(body) {
    if (busy) return;
    busy = true;
    send.disabled = true;
    disableOldChoices();
    try {
      if (!session) await newSession();
      const r = await fetch("/api/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(Object.assign({ session: session, locale: lang }, body)),
      });
      const data = await r.json();
      if (r.status === 429 && data.replies) {
        // Too many turns in a minute: the bot says how long to wait; what was typed stays.
        data.replies.forEach(addReply);
        if (body.text && !input.value) input.value = body.text;
      } else if (!r.ok) {
        if (r.status === 400 && data.error) {
          localStorage.removeItem("ethiekbot.session");
          session = null;
        }
        addError(data.error ? data.error[lang] : "Error " + r.status);
      } else {
        if (data.lang && data.lang !== lang) {
          // The conversation's language (detected or chosen) leads the page's labels.
          lang = data.lang;
          localStorage.setItem("ethiekbot.lang", lang);
          applyLang();
        }
        data.replies.forEach(addReply);
      }
    } catch (e) {
      addError(lang === "nl" ? "Geen verbinding met Ethiekbot. Probeer het opnieuw." : "No connection to Ethiekbot. Please try again.");
    } finally {
      busy = false;
      send.disabled = false;
      const last = log.lastElementChild;
      if (last) last.scrollIntoView({ block: "end" });
      input.focus();
    }
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = input.value;
    if (!text.trim()) { input.focus(); return; }
    input.value = "";
    addMine(text);
    post({ text: text });
  });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); form.requestSubmit(); }
  });
  langButton.addEventListener("click", () => {
    lang = lang === "nl" ? "en" : "nl";
    localStorage.setItem("ethiekbot.lang", lang);
    applyLang();
    addMine(lang === "en" ? "english" : "nederlands");
    post({ text: lang === "en" ? "english" : "nederlands" });
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
      if (r.ok) (await r.json()).replies.forEach(addReply);
    } catch (e) { /* offline: the messages stay on the server for the next time */ }
  }

  applyLang();
  inbox().then(() => post({ text: session ? (lang === "nl" ? "samenvatting" : "summary") : "" }));
  setInterval(inbox, 30000);
})();
