// Pacekeeper's service worker: keeps the app shell so the check-in and paced-session pages open
// without a connection. Pages come from the network first; static files from the cache first.
"use strict";

const CACHE = "pacekeeper-shell-v2";
// Pages kept for offline use: the last good copy is stored each time one loads.
const OFFLINE_PAGES = ["/checkin", "/session"];
const SHELL = [
  "/checkin",
  "/static/css/app.css?v=1",
  "/static/js/app.js?v=1",
  "/static/js/session.js?v=1",
  "/static/js/hr.js",
  "/static/vendor/htmx-2.0.11.min.js",
  "/static/icons/icon.svg",
  "/static/icons/icon-192.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(SHELL)).catch(() => {}).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(req).then((hit) => hit || fetch(req)));
    return;
  }
  if (req.mode === "navigate") {
    event.respondWith(
      fetch(req)
        .then((resp) => {
          if (resp.ok && OFFLINE_PAGES.includes(url.pathname) && !url.search) {
            const copy = resp.clone();
            caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
          }
          return resp;
        })
        .catch(() => caches.match(OFFLINE_PAGES.includes(url.pathname) ? url.pathname : req)
          .then((hit) => hit || caches.match("/checkin")))
    );
  }
});
