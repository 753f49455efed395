// Live notifications on every page for logged-in people: keeps a /chat socket,
// updates the bell and the tab title ("(2) My groups · Hearth"), and tells the page
// through a `hearth:notification` DOM event so any page (e.g. /groups) can react.
// socket.io-client shares one connection per namespace, so on a room page this is
// the same socket chat.js uses.
import { io } from "/static/vendor/socket.io.esm.min.js";
import { gettext, ngettext } from "./i18n.js";

const bell = document.getElementById("notification-bell");
const count = bell?.querySelector("[data-bell-count]");
const live = document.getElementById("notification-live");
const list = document.querySelector('[data-testid="notification-list"]');
const baseTitle = document.title.replace(/^\(\d+\+?\)\s*/, "");
let unread = Number(bell?.dataset.unread || 0);

function render() {
  if (!bell || !count) return;
  count.textContent = unread > 99 ? "99+" : String(unread);
  count.hidden = unread === 0;
  bell.dataset.unread = String(unread);
  bell.setAttribute("aria-label", unread ? ngettext("Notifications, %(num)d unread", "Notifications, %(num)d unread", unread) : gettext("Notifications"));
  document.title = unread ? `(${unread > 99 ? "99+" : unread}) ${baseTitle}` : baseTitle;
}

async function refresh() {
  try {
    const response = await fetch("/api/v1/notifications?unread=1&limit=1", {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) return;
    const body = await response.json();
    if (typeof body.unread === "number") {
      unread = body.unread;
      render();
    }
  } catch {
    // Offline for a moment: the next connect or visit refreshes the count.
  }
}

function addToList(notification) {
  if (!list) return;
  const item = document.createElement("li");
  item.className = "notification notification--unread";
  item.dataset.notificationId = String(notification.id);
  const link = document.createElement("a");
  link.href = notification.url;
  link.dataset.notificationLink = String(notification.id);
  link.textContent = notification.text;
  const meta = document.createElement("span");
  meta.className = "notification__meta";
  const badge = document.createElement("span");
  badge.className = "notification__new";
  badge.textContent = gettext("New");
  const time = document.createElement("time");
  time.dateTime = notification.created_at;
  time.textContent = gettext("just now");
  meta.append(badge, " · ", time);
  item.append(link, meta);
  list.prepend(item);
}

let csrfToken = null;
async function markRead(id) {
  try {
    if (!csrfToken) {
      const response = await fetch("/api/v1/csrf", { credentials: "same-origin" });
      csrfToken = (await response.json()).csrf_token;
    }
    const response = await fetch("/api/v1/notifications/read", {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify({ ids: [id] }),
    });
    if (response.ok) {
      unread = (await response.json()).unread;
      render();
    }
  } catch {
    // Not marked this time; it stays in the list as unread.
  }
}

// Opening a notification from the list marks it read (the link still navigates).
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("[data-notification-link]") : null;
  if (!link) return;
  const item = link.closest(".notification--unread");
  if (item) {
    item.classList.remove("notification--unread");
    markRead(Number(link.dataset.notificationLink));
  }
});

if (bell) {
  render();
  const socket = io("/chat", { withCredentials: true });
  // (Re)connected: anything that arrived while we were away is in the count.
  socket.on("connect", () => {
    bell.dataset.live = "true";
    refresh();
  });
  socket.on("disconnect", () => {
    bell.dataset.live = "false";
  });
  socket.on("notification", (notification) => {
    unread += 1;
    render();
    addToList(notification);
    if (live) live.textContent = gettext("New notification: %(text)s", { text: notification.text });
    document.dispatchEvent(new CustomEvent("hearth:notification", { detail: notification }));
  });
  // A tab brought back from the background, or restored from the back/forward cache.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") refresh();
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) refresh();
  });
}
