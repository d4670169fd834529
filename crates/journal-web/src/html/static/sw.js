// The service worker: the app's own files, an offline page and the crisis kit (the crisis page
// with the person's lines, the coping toolbox and, only with their consent, their safety plan)
// open without a connection. It stores nothing but the addresses named here. Journal entries,
// check-ins, results and every other page always come from the server (which marks them
// `no-store`) or, offline, are not shown at all: the offline page stands in for them.
const VERSION = "__VERSION__";
const SHELL = `tj-shell-${VERSION}`;
const KIT = "tj-kit";
const PLAN = "tj-plan";
const PRECACHE = ["__PRECACHE__"];
const OFFLINE = "/offline";
const KIT_PAGES = ["/crisis", "/toolbox"];
const PLAN_PAGE = "/safety-plan";
// Pages ask for a refresh of the kit on every visit; more often than this is not needed.
const REFRESH_EVERY_MS = 5 * 60 * 1000;
let lastRefresh = { at: 0, signedIn: null };

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL);
    await cache.addAll([...PRECACHE, OFFLINE]);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("tj-shell-") && name !== SHELL) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// Worth keeping: a plain 200 from this site, not the sign-in page after a redirect.
const keepable = (res) => res && res.ok && res.type === "basic" && !res.redirected;

async function refreshKit(signedIn, force) {
  const now = Date.now();
  if (!force && lastRefresh.signedIn === signedIn && now - lastRefresh.at < REFRESH_EVERY_MS) return;
  lastRefresh = { at: now, signedIn };
  const pages = [...KIT_PAGES.map((p) => [KIT, p])];
  if (await caches.has(PLAN)) pages.push([PLAN, PLAN_PAGE]);
  for (const [name, path] of pages) {
    try {
      const res = await fetch(path, { credentials: "same-origin", cache: "no-store" });
      if (keepable(res)) await (await caches.open(name)).put(path, res);
    } catch {
      // Offline: what was kept stays.
    }
  }
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "refresh-kit") event.waitUntil(refreshKit(Boolean(data.signedIn), Boolean(data.force)));
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (PRECACHE.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname, { cacheName: SHELL }).then((hit) => hit || fetch(req)));
    return;
  }
  if (req.mode === "navigate") event.respondWith(navigate(req, url));
});

async function navigate(req, url) {
  const path = url.pathname;
  let kept = null;
  if (KIT_PAGES.includes(path)) kept = KIT;
  else if (path === PLAN_PAGE && (await caches.has(PLAN))) kept = PLAN;
  try {
    const res = await fetch(req);
    // A notice in the address ("saved") is for that moment only; the plain page is what's kept.
    if (kept && !url.search && keepable(res)) await (await caches.open(kept)).put(path, res.clone());
    return res;
  } catch {
    if (kept) {
      const hit = await caches.match(path, { cacheName: kept });
      if (hit) return hit;
    }
    const offline = await caches.match(OFFLINE, { cacheName: SHELL });
    return offline || Response.error();
  }
}
