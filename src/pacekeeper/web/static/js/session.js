// A paced session on the phone: follows the timeline planned by the server (bursts, rests,
// micro-breaks, movement prompts), keeps the screen on, buzzes and chimes at each change, shows
// live heart rate against the ceiling, and logs the session as one activity at the end.
// Everything lives in localStorage as it happens, so closing the page loses nothing.
"use strict";

import { bluetoothAvailable, connectHeartRate, parseHeartRateMeasurement } from "./hr.js";

const STATE_KEY = "pacekeeper.session";
const QUEUE_KEY = "pacekeeper.pendingCheckins"; // app.js sends this queue when back online
const PROMPT_SHOW_MS = 60_000;
const MAX_GAP_MS = 5_000; // a reading counts for at most this long above the ceiling

const $ = (id) => document.getElementById(id);
const pagePlan = JSON.parse($("session-plan").textContent);
const ceiling = Number($("session").dataset.ceiling) || null;

let state = load();
let ticker = null;
let wakeLock = null;
let audio = null;
let promptTimer = null;

function load() {
  try { return JSON.parse(localStorage.getItem(STATE_KEY) || "null"); } catch (e) { return null; }
}
function save() { if (state) localStorage.setItem(STATE_KEY, JSON.stringify(state)); }
function clear() { state = null; localStorage.removeItem(STATE_KEY); }

function newId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// The phone's clock time with its UTC offset, as the server stores it.
function localIso(ms) {
  const d = new Date(ms);
  const pad = (n) => String(Math.abs(n)).padStart(2, "0");
  const off = -d.getTimezoneOffset();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:` +
    `${pad(d.getMinutes())}:${pad(d.getSeconds())}${off >= 0 ? "+" : "-"}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`;
}

function clockText(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

// -- time on the plan ------------------------------------------------------------------------

function elapsedS(now = Date.now()) {
  if (!state) return 0;
  const upTo = state.pausedAt ?? now;
  return Math.max(0, (upTo - state.startedAtMs - state.pausedMs) / 1000);
}

function stepAt(plan, e) {
  const i = plan.steps.findIndex((s) => s.start_s <= e && e < s.end_s);
  return i < 0 ? null : { index: i, ...plan.steps[i] };
}

function activeSecondsDone(plan, e) {
  return plan.steps.filter((s) => s.kind !== "rest")
    .reduce((sum, s) => sum + Math.max(0, Math.min(e, s.end_s) - s.start_s), 0);
}

// -- cues: sound, vibration, notification ------------------------------------------------------

function chime(freqs, gap = 0.35) {
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    const t0 = audio.currentTime;
    freqs.forEach((f, i) => {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = f;
      const t = t0 + i * gap;
      gain.gain.setValueAtTime(0.0001, t); // soft attack and a long fade: calm, not a buzzer
      gain.gain.exponentialRampToValueAtTime(0.25, t + 0.04);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 1.2);
      osc.connect(gain).connect(audio.destination);
      osc.start(t);
      osc.stop(t + 1.3);
    });
  } catch (e) { /* no sound on this device */ }
}

function buzz(pattern) { if (navigator.vibrate) navigator.vibrate(pattern); }

function notify(text) {
  if (!("Notification" in window) || Notification.permission !== "granted" || !document.hidden) return;
  const options = { body: text, tag: "pacekeeper-session", renotify: true, icon: "/static/icons/icon-192.png" };
  // Chrome on Android shows notifications only through the service worker (app.js registers it).
  const viaWorker = navigator.serviceWorker && navigator.serviceWorker.controller
    ? navigator.serviceWorker.ready.then((reg) => reg.showNotification("Pacekeeper", options))
    : Promise.reject(new Error("no worker"));
  viaWorker.catch(() => {
    try { new Notification("Pacekeeper", options); } catch (e) { /* the buzz and chime still come */ }
  });
}

function cue(text, freqs, pattern) { chime(freqs); buzz(pattern); notify(text); }

async function keepAwake() {
  if (!("wakeLock" in navigator) || wakeLock) return;
  try {
    wakeLock = await navigator.wakeLock.request("screen");
    wakeLock.addEventListener("release", () => { wakeLock = null; });
  } catch (e) { wakeLock = null; } // battery saver or a hidden tab
}
function letSleep() { if (wakeLock) { wakeLock.release().catch(() => {}); wakeLock = null; } }

// -- what the page shows ----------------------------------------------------------------------

const WORDS = {
  burst: ["Active", "until rest"],
  micro_break: ["Micro-break", "stand, stretch, look away"],
  rest: ["Rest now", "of rest: lie down if you can"],
};

function showPrompt(text) {
  const el = $("prompt");
  el.textContent = text;
  el.hidden = false;
  clearTimeout(promptTimer);
  promptTimer = setTimeout(() => { el.hidden = true; }, PROMPT_SHOW_MS);
}

function render() {
  const running = state && state.status === "running";
  const paused = state && state.status === "paused";
  $("start").hidden = Boolean(state);
  $("pause").hidden = !(running || paused);
  $("stop").hidden = !(running || paused);
  $("pause").textContent = paused ? "Resume" : "Pause";
  $("session").dataset.state = state ? state.status : "ready";
  if (!state) return;
  const plan = state.plan;
  const e = elapsedS();
  const step = stepAt(plan, e);
  if (state.status === "finished" || !step) return;
  const [word, label] = WORDS[step.kind];
  $("state").textContent = paused ? `Paused · ${word}` : word;
  $("session").dataset.step = step.kind;
  $("time-left").textContent = clockText(step.end_s - e);
  $("time-label").textContent = label;
  const next = plan.steps[step.index + 1];
  $("next").textContent = next ? `Then: ${WORDS[next.kind][0].toLowerCase()}, ${clockText(next.end_s - next.start_s)}` : "Then: done";
}

function tick() {
  if (!state || state.status !== "running") return;
  const plan = state.plan;
  const e = elapsedS();
  if (e >= plan.total_s) { finish(); return; }
  const step = stepAt(plan, e);
  if (step && step.index !== state.stepIndex) {
    const first = state.stepIndex === -1;
    state.stepIndex = step.index;
    if (step.kind === "rest") {
      cue("Rest now.", [523, 392], [300, 150, 300]);
      showPrompt("Rest now. Lie down if you can.");
    } else if (step.kind === "micro_break") {
      cue("Micro-break: one minute.", [440, 587], [200, 100, 200]);
      showPrompt("Micro-break: stand up, stretch, rest your eyes for a minute.");
    } else if (!first) {
      cue("Active again, gently.", [392, 523], [200]);
      showPrompt("Back to it, gently.");
    }
  }
  plan.prompts.forEach((p, i) => {
    if (e >= p.at_s && !state.promptsDone.includes(i)) {
      state.promptsDone.push(i);
      if (e - p.at_s < 60) { // one missed while the page was closed is not worth a late buzz
        cue("Move a little.", [494], [150]);
        showPrompt("Move a little: feet, shoulders, neck.");
      }
    }
  });
  save();
  render();
}

// -- controls ---------------------------------------------------------------------------------

function start() {
  const now = Date.now();
  state = {
    plan: pagePlan, startedAtMs: now, startedIso: localIso(now), pausedMs: 0, pausedAt: null,
    status: "running", stepIndex: -1, promptsDone: [], clientId: newId(), ceiling,
    hr: { max: null, aboveMs: 0, lastAt: null, over: false },
  };
  chime([392, 523]); // also unlocks audio on this tap, so later cues can sound
  save();
  keepAwake();
  run();
}

function run() {
  clearInterval(ticker);
  ticker = setInterval(tick, 1000);
  tick();
  render();
}

function pauseOrResume() {
  if (!state) return;
  const now = Date.now();
  if (state.status === "running") {
    state.status = "paused";
    state.pausedAt = now;
    letSleep();
  } else if (state.status === "paused") {
    state.pausedMs += now - state.pausedAt;
    state.pausedAt = null;
    state.status = "running";
    keepAwake();
  }
  save();
  render();
}

function finish() {
  if (!state) return;
  const e = elapsedS();
  state.status = "finished";
  state.activeS = activeSecondsDone(state.plan, Math.min(e, state.plan.total_s));
  state.pausedAt = state.pausedAt ?? Date.now();
  clearInterval(ticker);
  letSleep();
  save();
  cue("Session done.", [523, 659, 784], [300, 100, 300]);
  showDone();
}

function showDone() {
  render();
  $("state").textContent = "Done";
  $("time-left").textContent = "";
  $("time-label").textContent = "";
  $("next").textContent = "";
  $("start").hidden = true;
  const form = $("done-form");
  const minutes = Math.max(1, Math.round(state.activeS / 60));
  const f = form.elements;
  f.kind.value = state.plan.kind;
  f.plan.value = `${state.plan.rounds} × ${state.plan.burst_min} min, rests ${state.plan.rest_min} min`;
  f.started_at.value = state.startedIso;
  f.minutes.value = String(minutes);
  f.client_id.value = state.clientId;
  f.ceiling.value = state.ceiling ? String(state.ceiling) : "";
  f.hr_max.value = state.hr.max ? String(state.hr.max) : "";
  f.hr_above_s.value = String(Math.round(state.hr.aboveMs / 1000));
  let summary = `${minutes} min active.`;
  if (state.hr.max) summary += ` Heart rate up to ${state.hr.max}; ${Math.round(state.hr.aboveMs / 1000)} s above ceiling.`;
  $("done-summary").textContent = summary;
  $("done").hidden = false;
  $("h-done").focus();
}

async function submitDone(event) {
  event.preventDefault();
  const form = event.target;
  const fields = {};
  for (const [k, v] of new FormData(form).entries()) { if (k !== "csrf_token") fields[k] = v; }
  const item = { url: form.action, csrf: form.elements.csrf_token.value, fields };
  const status = $("done-status");
  status.textContent = "Saving…";
  try {
    const resp = await fetch(item.url, {
      method: "POST", body: new URLSearchParams(fields), credentials: "same-origin",
      headers: { "X-CSRF-Token": item.csrf, "Accept": "application/json" },
    });
    if (resp.ok) { clear(); window.location.assign("/today"); return; }
    if (resp.status === 422) {
      const data = await resp.json();
      status.textContent = `Not saved: ${Object.entries(data.errors || {}).map(([k, v]) => `${k} ${v}`).join("; ")}`;
    } else {
      status.textContent = "Not saved yet. Reload the page and tap Log it again; nothing is lost.";
    }
  } catch (e) {
    // No connection: the offline queue sends it later; its client_id stops a double entry.
    const queue = (() => { try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (x) { return []; } })();
    queue.push(item);
    localStorage.setItem(QUEUE_KEY, JSON.stringify(queue));
    clear();
    status.textContent = "No connection. Saved on this phone; it will be sent automatically.";
  }
}

// -- heart rate -------------------------------------------------------------------------------

function onReading(reading) {
  const now = Date.now();
  $("hr-value").textContent = reading.contact === "lost" ? "--" : String(reading.bpm);
  if (reading.contact === "lost" || reading.bpm === 0) {
    $("hr-status").textContent = "No skin contact: wet the strap and check its fit.";
    return;
  }
  $("hr-status").textContent = "";
  const over = ceiling !== null && reading.bpm > ceiling;
  if (state && state.status !== "finished") {
    const hr = state.hr;
    hr.max = Math.max(hr.max || 0, reading.bpm);
    if (hr.over && hr.lastAt) hr.aboveMs += Math.min(now - hr.lastAt, MAX_GAP_MS);
    hr.lastAt = now;
    hr.over = over;
    save();
  }
  const alert = $("hr-alert");
  if (over && alert.hidden) {
    // At once, on the first reading over: keeping time above the ceiling short is the point.
    alert.textContent = `${reading.bpm}: above your ceiling of ${ceiling}. Slow down, sit or lie down.`;
    alert.hidden = false;
    $("session").dataset.hr = "over";
    cue("Heart rate above your ceiling.", [330, 262, 330], [400, 100, 400]);
  } else if (over) {
    alert.textContent = `${reading.bpm}: above your ceiling of ${ceiling}. Slow down, sit or lie down.`;
  } else if (!over && !alert.hidden) {
    alert.hidden = true;
    $("session").dataset.hr = "ok";
  }
}

async function connectStrap() {
  const status = $("hr-status");
  status.textContent = "Looking for a strap…";
  try {
    const device = await connectHeartRate(onReading, (name) => { status.textContent = `${name} disconnected. Tap to connect again.`; $("hr-connect").hidden = false; });
    status.textContent = `Connected: ${device.name || "heart-rate strap"}.`;
    $("hr-connect").hidden = true;
  } catch (e) {
    status.textContent = "No strap connected. The session works without one.";
  }
}

// -- start-up ---------------------------------------------------------------------------------

function offerResume() {
  const mins = Math.floor(elapsedS() / 60);
  $("resume-text").textContent = `Started at ${state.startedIso.slice(11, 16)}, ${mins} min ago${state.status === "paused" ? " (paused)" : ""}.`;
  $("resume-offer").hidden = false;
  $("resume").addEventListener("click", () => { $("resume-offer").hidden = true; if (state.status === "running") keepAwake(); run(); });
  $("resume-finish").addEventListener("click", () => { $("resume-offer").hidden = true; finish(); });
  $("resume-discard").addEventListener("click", () => { $("resume-offer").hidden = true; clear(); render(); });
}

$("start").addEventListener("click", start);
$("pause").addEventListener("click", pauseOrResume);
$("stop").addEventListener("click", finish);
$("done-form").addEventListener("submit", submitDone);
if (bluetoothAvailable()) {
  $("hr-connect").hidden = false;
  $("hr-connect").addEventListener("click", connectStrap);
}
if ("Notification" in window && Notification.permission === "default") {
  $("notify").hidden = false;
  $("notify").addEventListener("click", async () => {
    const answer = await Notification.requestPermission(); // asked only on this tap
    $("notify").hidden = true;
    $("notify-status").textContent = answer === "granted" ? "Notifications on." : "Notifications off; the buzz and chime still come.";
  });
}
document.addEventListener("visibilitychange", () => {
  if (!document.hidden && state && state.status === "running") { keepAwake(); tick(); }
});

if (state && state.status === "finished") showDone();
else if (state) { render(); offerResume(); }
else render();

// For tests and for a strap read by other means: feed raw notification bytes.
window.pacekeeperSession = {
  feedHeartRate(bytes) { const r = parseHeartRateMeasurement(bytes); onReading(r); return r; },
  state: () => state,
};
