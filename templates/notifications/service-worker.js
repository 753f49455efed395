// Hearth's service worker (served from /service-worker.js, scope /).
// It shows Web Push notifications and keeps the static shell (styles, scripts,
// icons, the offline page) for when the network is gone. It never caches API
// answers, rooms or any other page: those hold people's words.

const CACHE = "hearth-shell-" + {{ version|tojson }};
const SHELL = {{ shell|tojson }};
const OFFLINE_URL = {{ offline_url|tojson }};
const ICON_URL = {{ icon_url|tojson }};
const BADGE_URL = {{ badge_url|tojson }};
const SHELL_PATHS = new Set(SHELL);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("hearth-shell-") && name !== CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Pages always come from the network; the offline page only stands in when
    // there is no network at all. Pages themselves are never stored.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
    return;
  }
  if (!SHELL_PATHS.has(url.pathname)) return;
  // Shell files: the network first, so a deploy shows at once; the copy when offline.
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request)),
  );
});

function sameSitePath(value) {
  try {
    const url = new URL(value || "/groups", self.location.origin);
    return url.origin === self.location.origin ? url.pathname + url.search + url.hash : "/groups";
  } catch (error) {
    return "/groups";
  }
}

self.addEventListener("push", (event) => {
  let notice = {};
  try {
    notice = event.data ? event.data.json() : {};
  } catch (error) {
    notice = {};
  }
  const body = typeof notice.text === "string" && notice.text ? notice.text : "There's something new for you on Hearth.";
  event.waitUntil(
    self.registration.showNotification("Hearth", {
      body,
      icon: ICON_URL,
      badge: BADGE_URL,
      tag: typeof notice.kind === "string" ? notice.kind : "hearth",
      renotify: true,
      data: { url: sameSitePath(notice.url) },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const path = sameSitePath(event.notification.data && event.notification.data.url);
  const target = new URL(path, self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (client.url === target && "focus" in client) return client.focus();
      }
      for (const client of windows) {
        if ("navigate" in client && "focus" in client) {
          return client.focus().then(() => client.navigate(target));
        }
      }
      return self.clients.openWindow(target);
    }),
  );
});
