// Pacekeeper's small client script. The pages work without it; with it, a check-in made while the
// server cannot be reached is kept on this phone and sent later, exactly once.
"use strict";

(function () {
  const QUEUE_KEY = "pacekeeper.pendingCheckins";

  function readQueue() {
    try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; }
  }
  function writeQueue(items) { localStorage.setItem(QUEUE_KEY, JSON.stringify(items)); }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = new Uint8Array(16); crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  // The phone's clock time with its UTC offset, e.g. 2026-03-15T21:04:00+01:00.
  function localIso(d) {
    const pad = (n) => String(Math.abs(n)).padStart(2, "0");
    const off = -d.getTimezoneOffset();
    const sign = off >= 0 ? "+" : "-";
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:` +
      `${pad(d.getMinutes())}:${pad(d.getSeconds())}${sign}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`;
  }

  function showStatus(text) {
    const el = document.getElementById("offline-status");
    if (!el) return;
    el.textContent = text || "";
    el.hidden = !text;
  }

  function pendingMessage() {
    const n = readQueue().length;
    // The queue holds check-ins and finished paced sessions alike.
    showStatus(n ? `${n} entr${n > 1 ? "ies" : "y"} saved on this phone, waiting to be sent.` : "");
  }

  function showErrors(form, errors) {
    form.querySelectorAll(".error[id^='err-']").forEach((el) => { el.hidden = true; el.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    let first = null;
    for (const [field, reason] of Object.entries(errors)) {
      const el = document.getElementById(`err-${field}`);
      if (el) { el.textContent = reason; el.hidden = false; el.setAttribute("role", "alert"); }
      const box = document.getElementById(`tracker-${field}`) || form.querySelector(`[name="${field}"]`);
      if (box) { box.setAttribute("aria-invalid", "true"); first = first || box; }
    }
    if (first) first.scrollIntoView({ block: "center" });
  }

  async function send(item) {
    const body = new URLSearchParams(item.fields);
    const resp = await fetch(item.url, {
      method: "POST", body, credentials: "same-origin",
      headers: { "X-CSRF-Token": item.csrf, "Accept": "application/json" },
    });
    return resp;
  }

  let flushing = false;
  async function flush() {
    if (flushing) return;
    flushing = true;
    try {
      let queue = readQueue();
      for (const item of [...queue]) {
        let resp;
        try { resp = await send(item); } catch (e) { break; } // still offline
        if (resp.status === 403) {
          // The page that queued it has gone stale: fetch a current token and try once more.
          try {
            const fresh = await fetch("/api/csrf", { credentials: "same-origin" });
            if (fresh.ok) { item.csrf = (await fresh.json()).csrf_token; resp = await send(item); }
          } catch (e) { break; }
        }
        if (resp.ok || resp.status === 422) {
          // Stored (or refused for good): either way it must not be sent again.
          queue = readQueue().filter((x) => x.fields.client_id !== item.fields.client_id);
          writeQueue(queue);
        } else {
          break; // signed out or server trouble: keep it and try later
        }
      }
    } finally {
      flushing = false;
      pendingMessage();
    }
  }

  function wireCheckin(form) {
    const status = document.getElementById("checkin-status");
    form.querySelectorAll("button.clear").forEach((btn) => {
      const key = btn.dataset.clear;
      const inputs = form.querySelectorAll(`[name="${key}"]`);
      const refresh = () => { btn.hidden = ![...inputs].some((i) => (i.type === "radio" ? i.checked : i.value)); };
      inputs.forEach((i) => i.addEventListener("change", refresh));
      btn.addEventListener("click", () => { inputs.forEach((i) => { if (i.type === "radio") i.checked = false; else i.value = ""; }); refresh(); });
      refresh();
    });

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      form.elements.recorded_at.value = localIso(new Date());
      form.elements.client_id.value = newId(); // each press of Save is one submission
      const fields = {};
      for (const [k, v] of new FormData(form).entries()) { if (k !== "csrf_token") fields[k] = v; }
      const item = { url: form.dataset.api, csrf: form.elements.csrf_token.value, fields };
      const save = document.getElementById("save");
      save.disabled = true;
      status.textContent = "Saving…";
      try {
        const resp = await send(item);
        if (resp.ok) {
          const data = await resp.json();
          window.location.assign(`/today?saved=${encodeURIComponent(data.day)}`);
          return;
        }
        if (resp.status === 422) {
          const data = await resp.json();
          showErrors(form, data.errors || {});
          status.textContent = "Some answers need a look.";
        } else if (resp.status === 401) {
          status.textContent = "Please sign in again, then save.";
        } else {
          status.textContent = "The form expired. Reload the page and save again.";
        }
      } catch (e) {
        // No connection: keep it on the phone and send it when the server answers again.
        const queue = readQueue().filter((x) => x.fields.day !== fields.day);
        queue.push(item);
        writeQueue(queue);
        status.textContent = "No connection. Saved on this phone; it will be sent automatically.";
        pendingMessage();
      } finally {
        save.disabled = false;
      }
    });
  }

  function detectZone() {
    const input = document.querySelector("[data-detect-zone]");
    if (input && !input.value && window.Intl) {
      input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("checkin-form");
    if (form) wireCheckin(form);
    detectZone();
    pendingMessage();
    flush();
    if ("serviceWorker" in navigator && window.isSecureContext) {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
    }
  });
  window.addEventListener("online", flush);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) flush(); });
  // Exposed for the browser tests and for a manual "send now".
  window.pacekeeper = { flush, pending: () => readQueue().length };
})();
