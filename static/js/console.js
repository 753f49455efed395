// The moderator console: live queue, room activity, read-only room watching and
// one-click actions. Pages work without this file (plain forms); this adds the
// live channel (/mod) and turns action forms into fetch calls with X-CSRFToken.
// Text from the server is only ever set with textContent.
import { io } from "/static/vendor/socket.io.esm.min.js";
import { gettext } from "./i18n.js";

const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
const statusLine = document.querySelector("[data-console-status]");
const queueList = document.querySelector("[data-queue]");
const queueTemplate = document.getElementById("queue-item-template");
const roomsTable = document.querySelector("[data-rooms]");
const watchList = document.querySelector("[data-watch-room]");
const statsData = document.getElementById("stats-data");

function say(text) {
  if (statusLine) statusLine.textContent = text;
}

// The queue's kinds and statuses arrive as English identifiers; these are their words.
const KIND_LABELS = {
  crisis: gettext("Crisis"),
  report: gettext("Report"),
  concern: gettext("Concern"),
  filter: gettext("Automatic filter"),
};
const STATUS_LABELS = {
  open: gettext("open"),
  acknowledged: gettext("acknowledged"),
  resolved: gettext("resolved"),
  dismissed: gettext("dismissed"),
};
const kindLabel = (kind) => KIND_LABELS[kind] ?? kind;
const statusLabel = (status) => STATUS_LABELS[status] ?? status;
const TRY_AGAIN = () => gettext("That didn't work; please try again.");
const UNREACHABLE = () => gettext("We couldn't reach Hearth. Please try again.");

// --- live channel --------------------------------------------------------------

const socket = io("/mod", { withCredentials: true });

socket.on("connect", () => {
  say(gettext("Live: new items appear here as they come in."));
  if (watchList) startWatching();
});
socket.on("disconnect", () => say(gettext("Reconnecting… nothing is lost; the queue keeps everything.")));
socket.on("connect_error", () => say(gettext("Live updates are unavailable. Reload the page to see new items.")));

// --- queue -------------------------------------------------------------------------

const filters = new URLSearchParams(window.location.search);

function matchesFilters(item) {
  const kind = filters.get("kind");
  const severity = filters.get("severity");
  const room = filters.get("room_id");
  if (kind && item.kind !== kind) return false;
  if (severity && String(item.severity) !== severity) return false;
  if (room && String(item.room_id) !== room) return false;
  return true;
}

function refreshCount() {
  if (!queueList) return;
  const count = queueList.querySelectorAll("[data-item-id]").length;
  const counter = document.querySelector("[data-queue-count]");
  if (counter) counter.textContent = String(count);
  const empty = document.querySelector("[data-queue-empty]");
  if (empty) empty.hidden = count > 0;
}

function cardFor(item) {
  const fragment = queueTemplate.content.cloneNode(true);
  const card = fragment.querySelector("li");
  const field = (name) => card.querySelector(`[data-field="${name}"]`);
  card.dataset.itemId = String(item.id);
  card.dataset.kind = item.kind;
  card.dataset.severity = String(item.severity);
  card.dataset.roomId = String(item.room_id);
  card.dataset.createdAt = item.created_at;
  card.classList.add(`queue-item--${item.kind}`, `severity-border--${item.severity}`);
  field("severity").textContent = gettext("Severity %(level)s of 4", { level: item.severity });
  field("severity").classList.add(`severity--${item.severity}`);
  field("kind").textContent = kindLabel(item.kind);
  field("room").textContent = item.room_name || gettext("room %(id)s", { id: item.room_id });
  field("room").href = `/mod/rooms/${item.room_id}`;
  field("created").textContent = `${item.created_at.slice(0, 16).replace("T", " ")} UTC`;
  field("created").dateTime = item.created_at;
  field("excerpt").textContent = item.excerpt;
  field("review").href = `/mod/items/${item.id}`;
  card.querySelector("[data-status]").textContent = statusLabel(item.status || "open");
  const ack = card.querySelector("[data-ack]");
  ack.hidden = item.status && item.status !== "open";
  ack.addEventListener("click", () => acknowledge(item.id, ack));
  if (item.overdue) {
    card.classList.add("queue-item--overdue");
    card.setAttribute("data-overdue", "");
    card.querySelector("[data-overdue-flag]").hidden = false;
  }
  const remove = card.querySelector("[data-remove-form]");
  const care = card.querySelector("[data-care-actions]");
  const other = card.querySelector("[data-other-actions]");
  if (item.kind === "crisis" || item.kind === "concern") {
    wireCareActions(care, item.id);
    if (item.message_id && !item.message_removed) other.append(remove);
    else other.remove();
  } else {
    care.remove();
    other.remove();
  }
  if (item.message_id && !item.message_removed) {
    remove.querySelector('[name="message_id"]').value = String(item.message_id);
    const input = remove.querySelector('[name="reason"]');
    input.id = `remove-reason-${item.id}`;
    remove.querySelector("label").htmlFor = input.id;
    wireActionForm(remove);
  } else {
    remove.remove();
  }
  return card;
}

function insertSorted(card, item) {
  const cards = [...queueList.querySelectorAll("[data-item-id]")];
  const after = cards.find((other) => {
    const otherOverdue = other.hasAttribute("data-overdue");
    if (Boolean(item.overdue) !== otherOverdue) return Boolean(item.overdue);
    const severity = Number(other.dataset.severity);
    if (severity !== item.severity) return severity < item.severity;
    return (other.dataset.createdAt || "") > item.created_at;
  });
  queueList.insertBefore(card, after ?? null);
}

// Care first: the ready-made replies fill an editable textarea; the forms post
// to the item's own URLs (a template card gets them here).
function wireCareActions(block, itemId) {
  const urls = {
    checkin: `/mod/items/${itemId}/checkin`,
    resources: `/mod/items/${itemId}/resources`,
    resolve: `/mod/items/${itemId}/resolve`,
  };
  block.querySelectorAll("[data-care-form]").forEach((form) => {
    form.action = urls[form.dataset.careForm];
  });
  block.querySelectorAll("[id]").forEach((el) => {
    const newId = el.id.replace(/-new$/, `-${itemId}`);
    block.querySelectorAll(`label[for="${el.id}"]`).forEach((label) => {
      label.htmlFor = newId;
    });
    el.id = newId;
  });
}

document.addEventListener("change", (event) => {
  const select = event.target.closest?.("[data-care-reply]");
  if (!select) return;
  const body = select.selectedOptions[0]?.dataset.body ?? "";
  const textarea = select.form?.querySelector('textarea[name="body"]');
  if (textarea) {
    textarea.value = body;
    textarea.focus();
  }
});

// --- alerts: tab title, soft sound, desktop notification ---------------------------

const baseTitle = document.title;
let unseen = 0;
const SOUND_KEY = "hearth.console.sound";
const DESKTOP_KEY = "hearth.console.desktop";
const switches = document.querySelector("[data-alert-switches]");
const soundSwitch = document.querySelector("[data-alert-sound]");
const desktopSwitch = document.querySelector("[data-alert-desktop]");
const alertHint = document.querySelector("[data-alert-hint]");

function stored(key) {
  try {
    return window.localStorage.getItem(key) === "on";
  } catch {
    return false;
  }
}

function store(key, on) {
  try {
    window.localStorage.setItem(key, on ? "on" : "off");
  } catch {
    /* private mode: the switch just won't be remembered */
  }
}

function showUnseen() {
  document.title = unseen > 0 ? `(${unseen}) ${baseTitle}` : baseTitle;
}

document.addEventListener("visibilitychange", () => {
  if (!document.hidden) {
    unseen = 0;
    showUnseen();
  }
});

let audio = null;
function softTone() {
  // A short, quiet two-note chime made on the spot: no sound file to ship.
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  audio = audio || new Context();
  const now = audio.currentTime;
  [523.25, 659.25].forEach((frequency, index) => {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = frequency;
    const start = now + index * 0.18;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.08, start + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.4);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start);
    oscillator.stop(start + 0.45);
  });
}

function desktopAlert(item) {
  if (!("Notification" in window) || Notification.permission !== "granted") return;
  if (!desktopSwitch?.checked || !document.hidden) return;
  // No message text: desktop notifications show on screens others may see.
  const note = new Notification(gettext("Hearth: an urgent item is waiting"), {
    body: gettext("An item needs a moderator: %(kind)s, severity %(level)s.", {
      kind: kindLabel(item.kind),
      level: item.severity,
    }),
    tag: `hearth-item-${item.id}`,
  });
  note.onclick = () => {
    window.focus();
    window.location.href = `/mod/items/${item.id}`;
  };
}

function alertFor(item) {
  if (document.hidden) {
    unseen += 1;
    showUnseen();
  }
  if (item.severity < 3) return;
  if (soundSwitch?.checked) softTone();
  desktopAlert(item);
}

if (switches && soundSwitch && desktopSwitch) {
  switches.hidden = false;
  soundSwitch.checked = stored(SOUND_KEY);
  desktopSwitch.checked = stored(DESKTOP_KEY) && window.Notification?.permission === "granted";
  soundSwitch.addEventListener("change", () => {
    store(SOUND_KEY, soundSwitch.checked);
    if (soundSwitch.checked) softTone(); // a sample, and browsers allow audio after a click
  });
  desktopSwitch.addEventListener("change", async () => {
    if (!desktopSwitch.checked) {
      store(DESKTOP_KEY, false);
      return;
    }
    if (!("Notification" in window)) {
      desktopSwitch.checked = false;
      if (alertHint) alertHint.textContent = gettext("This browser doesn't offer desktop notifications.");
      return;
    }
    const permission = await Notification.requestPermission();
    desktopSwitch.checked = permission === "granted";
    store(DESKTOP_KEY, desktopSwitch.checked);
    if (alertHint) {
      alertHint.textContent = desktopSwitch.checked
        ? gettext("Desktop notifications are on for urgent items while this tab is in the background.")
        : gettext("Desktop notifications are blocked in this browser's settings.");
    }
  });
}

function onQueueItem(item) {
  if (!queueList || !queueTemplate || !matchesFilters(item)) return;
  const existing = queueList.querySelector(`[data-item-id="${item.id}"]`);
  const card = cardFor(item);
  if (item.realerted) {
    card.classList.add("queue-item--realert");
    say(gettext("Still waiting: a severity %(level)s item needs someone.", { level: item.severity }));
  } else {
    say(gettext("New item: %(kind)s, severity %(level)s.", { kind: kindLabel(item.kind), level: item.severity }));
  }
  if (item.overdue) say(gettext("Overdue: a severity %(level)s item has waited too long.", { level: item.severity }));
  if (!existing || item.overdue) alertFor(item);
  if (existing) existing.remove();
  insertSorted(card, item);
  refreshCount();
}

function onQueueUpdate({ id, status }) {
  document.querySelectorAll(`[data-item-id="${id}"]`).forEach((card) => {
    if (status === "resolved" || status === "dismissed") {
      if (card.closest("[data-queue]")) card.remove();
    } else {
      const label = card.querySelector("[data-status]");
      if (label) label.textContent = statusLabel(status);
      card.querySelectorAll("[data-ack], [data-ack-form]").forEach((el) => {
        el.hidden = status !== "open";
      });
    }
  });
  document.querySelectorAll(`[data-ack-form][data-item-id="${id}"]`).forEach((form) => {
    form.hidden = status !== "open";
  });
  refreshCount();
}

function acknowledge(id, control) {
  if (control) control.disabled = true;
  socket.emit("ack_item", { id }, (answer) => {
    if (control) control.disabled = false;
    if (answer && answer.ok) {
      onQueueUpdate({ id, status: answer.item.status });
      say(gettext("Acknowledged."));
    } else {
      say(answer?.error?.message ?? TRY_AGAIN());
    }
  });
}

socket.on("queue_item", onQueueItem);
socket.on("queue_update", onQueueUpdate);

document.querySelectorAll("[data-ack-form]").forEach((form) => {
  form.addEventListener("submit", (event) => {
    if (!socket.connected) return; // the plain form post still works
    event.preventDefault();
    acknowledge(Number(form.dataset.itemId), form.querySelector("button"));
  });
});

// --- rooms overview ------------------------------------------------------------

socket.on("room_activity", (activity) => {
  const row = roomsTable?.querySelector(`[data-room-row="${activity.room_id}"]`);
  if (row) {
    row.querySelector("[data-online]").textContent = String(activity.online);
    row.querySelector("[data-messages]").textContent = String(activity.messages_last_hour);
  }
  if (watchList && Number(watchList.dataset.watchRoom) === activity.room_id) {
    const online = document.querySelector("[data-room-online]");
    const messages = document.querySelector("[data-room-messages]");
    if (online) online.textContent = String(activity.online);
    if (messages) messages.textContent = String(activity.messages_last_hour);
  }
});

// --- one-click actions -------------------------------------------------------------

function actionPayload(form) {
  const data = new FormData(form);
  const number = (value) => (/^\d+$/.test(value) ? Number(value) : value);
  const target = {};
  for (const key of ["message_id", "user_id", "room_id"]) {
    if (data.get(key)) target[key] = number(String(data.get(key)));
  }
  if (data.get("handle")) target.handle = String(data.get("handle"));
  const payload = { kind: data.get("kind"), target, reason: String(data.get("reason") ?? "") };
  if (data.get("duration_minutes")) payload.duration_minutes = number(String(data.get("duration_minutes")));
  return payload;
}

async function submitAction(form) {
  const button = form.querySelector('button[type="submit"]');
  if (button) button.disabled = true;
  try {
    const response = await fetch("/api/v1/mod/actions", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify(actionPayload(form)),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const fields = body?.error?.fields ? ` ${Object.values(body.error.fields).join(" ")}` : "";
      say(`${body?.error?.message ?? TRY_AGAIN()}${fields}`);
      return;
    }
    say(gettext("Done. It's in the audit log."));
    form.reset();
    const card = form.closest("[data-item-id]");
    if (card && body.action === "remove_message") {
      form.remove();
    } else if (!card) {
      window.location.reload();
    }
  } catch {
    say(UNREACHABLE());
  } finally {
    if (button) button.disabled = false;
  }
}

function wireActionForm(form) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitAction(form);
  });
}

document.querySelectorAll("[data-action-form]").forEach(wireActionForm);

// --- read-only room watch --------------------------------------------------------

function watchLine(message) {
  const line = document.createElement("li");
  line.className = "transcript__line";
  line.dataset.messageId = String(message.id);
  if (message.removed) line.classList.add("transcript__line--removed");
  const author = document.createElement("span");
  author.className = "transcript__author";
  author.textContent = message.author?.handle ?? "";
  const body = document.createElement("span");
  body.className = "transcript__body";
  body.textContent = message.body;
  line.append(author, " ", body);
  if (message.held) {
    const tag = document.createElement("span");
    tag.className = "tag";
    tag.textContent = gettext("held");
    line.append(" ", tag);
  }
  const mark = message.kind === "user" ? crisisMarkForm(message) : null;
  if (mark) line.append(" ", mark);
  return line;
}

// "This was a crisis" on a member's line: records a screening label and opens a
// crisis item for the message so the person gets care.
const markTemplate = document.getElementById("crisis-label-template");

function crisisMarkForm(message) {
  if (!markTemplate) return null;
  const form = markTemplate.content.firstElementChild.cloneNode(true);
  form.action = `/mod/messages/${message.id}/crisis-label`;
  form.dataset.messageId = String(message.id);
  const context = form.querySelector("[data-mark-context]");
  if (context) {
    const handle = message.author?.handle;
    const words = handle
      ? gettext("(message from %(name)s)", { name: handle })
      : gettext("(message from a member)");
    context.textContent = ` ${words}`;
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    markCrisis(form);
  });
  return form;
}

async function markCrisis(form) {
  const button = form.querySelector('button[type="submit"]');
  if (button) button.disabled = true;
  try {
    const response = await fetch(`/api/v1/mod/messages/${form.dataset.messageId}/crisis-label`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify({ crisis: true }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      say(body?.error?.message ?? TRY_AGAIN());
      if (button) button.disabled = false;
      return;
    }
    const tag = document.createElement("span");
    tag.className = "tag";
    tag.textContent = gettext("Marked as a crisis");
    form.replaceWith(tag);
    say(gettext("Marked as a crisis. A crisis item is open for it, so they get care."));
  } catch {
    say(UNREACHABLE());
    if (button) button.disabled = false;
  }
}

function startWatching() {
  const roomId = Number(watchList.dataset.watchRoom);
  socket.emit("watch_room", { room_id: roomId }, (answer) => {
    watchList.replaceChildren();
    if (!answer || !answer.ok) {
      const line = document.createElement("li");
      line.className = "transcript__line transcript__line--hint";
      line.textContent = answer?.error?.message ?? gettext("We couldn't open this room.");
      watchList.append(line);
      return;
    }
    answer.messages.forEach((m) => watchList.append(watchLine(m)));
    if (!answer.messages.length) {
      const line = document.createElement("li");
      line.className = "transcript__line transcript__line--hint";
      line.textContent = gettext("No messages yet.");
      watchList.append(line);
    }
  });
}

socket.on("message", (message) => {
  if (!watchList || Number(watchList.dataset.watchRoom) !== message.room_id) return;
  watchList.querySelector(".transcript__line--hint")?.remove();
  watchList.append(watchLine(message));
});

// --- statistics --------------------------------------------------------------------

function drawCharts() {
  if (!statsData || typeof window.Chart === "undefined") return;
  const stats = JSON.parse(statsData.dataset.stats);
  const reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const style = getComputedStyle(document.documentElement);
  const accent = style.getPropertyValue("--accent").trim() || "#8a4b2a";
  const ok = style.getPropertyValue("--ok").trim() || "#2d6a3e";
  const danger = style.getPropertyValue("--danger").trim() || "#a12a2a";
  const text = style.getPropertyValue("--text").trim() || "#2b2622";
  window.Chart.defaults.color = text;
  const options = {
    animation: reduce ? false : undefined,
    responsive: true,
    maintainAspectRatio: false,
    scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
  };
  const series = {
    messages: [{ label: gettext("Messages"), data: stats.messages, backgroundColor: accent }],
    items: [
      { label: gettext("Opened"), data: stats.items_opened, backgroundColor: accent },
      { label: gettext("Resolved"), data: stats.items_resolved, backgroundColor: ok },
    ],
    crisis_items: [{ label: gettext("Crisis items"), data: stats.crisis_items, backgroundColor: danger }],
  };
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: stats.days, datasets: series[canvas.dataset.chart] },
      options,
    });
  });
}

drawCharts();

// --- matching panel ------------------------------------------------------------------
// After every round (any process) the server sends "matching_panel"; the panel is
// re-fetched as server-rendered HTML (escaped by the template) and swapped in.

async function refreshMatchingPanel() {
  const panel = document.querySelector("[data-matching-panel]");
  if (!panel) return;
  try {
    const response = await fetch(panel.dataset.panelUrl, { credentials: "same-origin" });
    if (!response.ok) return;
    const parsed = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = parsed.querySelector("[data-matching-panel]");
    if (fresh) panel.replaceWith(document.importNode(fresh, true));
  } catch {
    // The next round's event tries again; the page itself still works.
  }
}

socket.on("matching_panel", refreshMatchingPanel);
