// The chat page: one room over the /chat Socket.IO namespace (CONTRACT.md §4).
//
// Every message body is plain text and is only ever written with textContent.
// Sends are idempotent: each gets a client_msg_id (crypto.randomUUID) and is
// resent with the same id until the server acknowledges it, including after a
// reconnect or a page reload (unsent messages wait in sessionStorage). On every
// (re)connect the page joins with the last id it has, so nothing is missed.
import { io } from "/static/vendor/socket.io.esm.min.js";
import { formatDateTime, gettext, locale, ngettext } from "./i18n.js";

const root = document.getElementById("room");
const roomId = Number(root.dataset.roomId);
const isMember = root.dataset.member === "true";
const myHandle = root.dataset.handle || "";
const ACK_TIMEOUT_MS = 10000;
const PENDING_KEY = `hearth:pending:${roomId}`;

// Words the page writes, in one place, in the page's language (static/js/i18n.js).
const TEXT = {
  reactionHeart: gettext("Heart"),
  reactionMeToo: gettext("Me too"),
  reactionHug: gettext("Hug"),
  reactionThanks: gettext("Thanks"),
  reactionCount: (label, count) =>
    ngettext("%(label)s: %(num)d so far", "%(label)s: %(num)d so far", count, { label }),
  systemAuthor: "Hearth",
  roundHint: gettext("Answer in your own words whenever you like, or pass. Both are fine."),
  newMessages: (count) => ngettext("%(num)d new message below", "%(num)d new messages below", count),
  hintKeyboard: gettext("Enter sends; Shift+Enter starts a new line. Take your time."),
  hintTouch: gettext("Write as much as you like; tap Send when you're ready."),
};

// Reactions are labelled in words, never only by an emoji, so they read the same
// on a machine without a colour-emoji font and to a screen reader.
const REACTIONS = [
  { kind: "heart", label: TEXT.reactionHeart },
  { kind: "me_too", label: TEXT.reactionMeToo },
  { kind: "hug", label: TEXT.reactionHug },
  { kind: "thanks", label: TEXT.reactionThanks },
];

// Dates and times in the reader's own time zone (the browser's) and the page's language.
const LOCALE = locale;
const TIME_FORMAT = { hour: "numeric", minute: "2-digit" };
const FULL_FORMAT = { dateStyle: "full", timeStyle: "short" };
const DAY_FORMAT = { weekday: "short", day: "numeric", month: "short" };
const DAY_FORMAT_YEAR = { ...DAY_FORMAT, year: "numeric" };
const RELATIVE_DAY = new Intl.RelativeTimeFormat(LOCALE, { numeric: "auto" });

const el = {
  connection: document.getElementById("connection"),
  roomState: document.getElementById("room-state"),
  members: document.getElementById("member-list"),
  messages: document.getElementById("messages"),
  live: document.getElementById("live"),
  notice: document.getElementById("notice"),
  round: document.getElementById("round"),
  roundText: document.getElementById("round-text"),
  newMessages: document.getElementById("new-messages"),
  bar: document.querySelector(".room__bar"),
  dock: document.querySelector(".room__dock"),
  hint: document.getElementById("composer-hint"),
  pass: document.getElementById("pass-button"),
  seat: document.getElementById("seat-toggle"),
  composer: document.getElementById("composer"),
  input: document.getElementById("composer-input"),
  crisis: document.getElementById("crisis-panel"),
  crisisText: document.getElementById("crisis-text"),
  crisisList: document.getElementById("crisis-list"),
  reportDialog: document.getElementById("report-dialog"),
  reportForm: document.getElementById("report-form"),
  reportQuote: document.getElementById("report-quote"),
  reportResult: document.getElementById("report-result"),
  concernDialog: document.getElementById("concern-dialog"),
  concernForm: document.getElementById("concern-form"),
  concernAbout: document.getElementById("concern-about"),
  concernResult: document.getElementById("concern-result"),
};

const state = {
  lastId: 0,
  rendered: new Map(), // message id -> <li>
  pending: new Map(), // client_msg_id -> {body, li, status}
  mine: new Set(), // "messageId:kind" reactions I left in this page
  muted: new Set(),
  members: [],
  seat: null,
  status: "open",
  reportingId: null,
  round: null, // {message_id, text} of the open round
  latestPromptId: 0,
  unseen: 0, // messages that arrived while the reader was scrolled up
};

// --- small helpers ---------------------------------------------------------------

function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function setText(node, text) {
  if (node) node.textContent = text;
}

function announce(text) {
  const line = make("p", null, text);
  el.live.append(line);
  while (el.live.childElementCount > 5) el.live.firstElementChild.remove();
}

function showNotice(text) {
  el.notice.textContent = text;
  el.notice.hidden = !text;
}

function call(event, data) {
  // Resolves with the ack, or with a timeout error shaped like one.
  return socket
    .timeout(ACK_TIMEOUT_MS)
    .emitWithAck(event, data)
    .catch(() => ({ ok: false, error: { code: "timeout", message: gettext("No answer yet. We'll keep trying.") } }));
}

function parseDate(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

function timeLabel(date) {
  return date ? formatDateTime(date, TIME_FORMAT) : "";
}

function dayKey(date) {
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

function capitalise(text) {
  return text ? text.charAt(0).toLocaleUpperCase(LOCALE) + text.slice(1) : text;
}

// "Today", "Yesterday" (in the page's language, from Intl), else "Tue 3 Dec".
function dayLabel(date, now = new Date()) {
  const midnight = (d) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((midnight(date) - midnight(now)) / 86400000);
  if (days === 0 || days === -1) return capitalise(RELATIVE_DAY.format(days, "day"));
  return formatDateTime(date, date.getFullYear() === now.getFullYear() ? DAY_FORMAT : DAY_FORMAT_YEAR);
}

// A separator before the first message of each day; rebuilt after each change
// (a catch-up can insert older messages anywhere), at most once per frame.
let daysQueued = false;
function refreshDays() {
  if (daysQueued) return;
  daysQueued = true;
  requestAnimationFrame(() => {
    daysQueued = false;
    el.messages.querySelectorAll(":scope > .day-separator").forEach((node) => node.remove());
    let previous = null;
    for (const li of el.messages.querySelectorAll(":scope > li[data-day]")) {
      if (li.dataset.day !== previous) {
        const separator = make("li", "day-separator", li.dataset.dayLabel);
        li.before(separator);
        previous = li.dataset.day;
      }
    }
  });
}

// --- rendering messages ----------------------------------------------------------

function reactionLabel(r, count) {
  return TEXT.reactionCount(r.label, count);
}

function renderReactions(li, message) {
  const bar = li.querySelector(".message__reactions");
  if (!bar) return;
  bar.replaceChildren();
  for (const r of REACTIONS) {
    const count = (message.reactions && message.reactions[r.kind]) || 0;
    const button = make("button", "reaction");
    button.type = "button";
    button.dataset.kind = r.kind;
    button.setAttribute("aria-label", reactionLabel(r, count));
    button.title = reactionLabel(r, count);
    button.setAttribute("aria-pressed", state.mine.has(`${message.id}:${r.kind}`) ? "true" : "false");
    button.append(make("span", "reaction__label", r.label));
    button.append(make("span", "reaction__count", count ? String(count) : ""));
    if (!isMember) button.disabled = true;
    button.addEventListener("click", () => react(message.id, r.kind));
    bar.append(button);
  }
}

function fillMessage(li, message) {
  li.replaceChildren();
  li.className = `message message--${message.kind}`;
  if (message.kind === "user" && message.author.handle === myHandle) li.classList.add("message--mine");
  li.dataset.id = String(message.id);
  li.dataset.author = message.author.handle;
  const date = parseDate(message.created_at);
  if (date) {
    li.dataset.day = dayKey(date);
    li.dataset.dayLabel = dayLabel(date);
  }
  const header = make("p", "message__meta");
  const spoken = message.kind === "user" || message.kind === "moderator";
  const who = make("span", "message__author", spoken ? message.author.handle : TEXT.systemAuthor);
  const when = make("time", "message__time", timeLabel(date));
  when.dateTime = message.created_at;
  if (date) when.title = formatDateTime(date, FULL_FORMAT);
  header.append(who, " ", when);
  if (message.kind === "system") header.append(" ");
  li.append(header);
  if (message.removed) {
    li.classList.add("message--removed");
    li.append(make("p", "message__body", gettext("This message was removed by a moderator.")));
    return;
  }
  // Older system lines began with an emoji; the words say it all without one.
  const body = message.kind === "system" ? message.body.replace(/^\p{Extended_Pictographic}\uFE0F?\s*/u, "") : message.body;
  li.append(make("p", "message__body", body));
  if (message.kind === "prompt" && isMember && state.round && state.round.message_id === message.id) {
    li.append(make("p", "message__note", TEXT.roundHint));
  }
  if (message.held) {
    li.classList.add("message--held");
    li.append(make("p", "message__note", gettext("Only you can see this while a moderator takes a look.")));
    return;
  }
  if (spoken) {
    const actions = make("div", "message__actions");
    actions.append(make("div", "message__reactions"));
    li.append(actions);
    renderReactions(li, message);
    if (isMember && message.kind === "user" && message.author.handle !== myHandle) {
      const report = make("button", "link-button message__report", gettext("Report…"));
      report.type = "button";
      report.setAttribute("aria-label", gettext("Report this message from %(handle)s", { handle: message.author.handle }));
      report.addEventListener("click", () => openReport(message));
      actions.append(report);
    }
  }
}

function addMessage(message, { announceIt = false } = {}) {
  state.lastId = Math.max(state.lastId, message.id);
  if (message.author && state.muted.has(message.author.handle)) return;
  let li = state.rendered.get(message.id);
  if (!li) {
    li = make("li");
    state.rendered.set(message.id, li);
    // Keep id order even if a catch-up arrives after a live message.
    const later = [...state.rendered.entries()]
      .filter(([id, node]) => id > message.id && node.isConnected)
      .sort((a, b) => a[0] - b[0])[0];
    const firstPending = el.messages.querySelector(".message--pending");
    if (later) el.messages.insertBefore(li, later[1]);
    else if (firstPending) el.messages.insertBefore(li, firstPending);
    else el.messages.append(li);
  }
  li.message = message;
  if (message.kind === "prompt") state.latestPromptId = Math.max(state.latestPromptId, message.id);
  fillMessage(li, message);
  refreshDays();
  if (state.round && state.round.message_id === message.id) renderRound(state.round);
  if (announceIt) {
    const who = message.kind === "user" ? message.author.handle : TEXT.systemAuthor;
    announce(gettext("%(who)s: %(text)s", { who, text: message.body }));
  }
}

// --- one page scroll: stay at the bottom only if the reader is there ---------------

const BOTTOM_SLACK_PX = 48;

function atBottom() {
  const page = document.scrollingElement || document.documentElement;
  return window.innerHeight + window.scrollY >= page.scrollHeight - BOTTOM_SLACK_PX;
}

function showUnseen() {
  el.newMessages.hidden = state.unseen === 0;
  el.newMessages.textContent = TEXT.newMessages(state.unseen);
}

function scrollToEnd() {
  // Instantly: a smooth scroll would fight the next message arriving.
  const page = document.scrollingElement || document.documentElement;
  window.scrollTo({ top: page.scrollHeight, behavior: "instant" });
  state.unseen = 0;
  showUnseen();
}

// Called before a change that adds to the conversation: after it, follow the new
// line if the reader was at the bottom, else count it for the "new messages" pill.
function followOrCount(wasAtBottom, added = 1) {
  if (wasAtBottom) {
    scrollToEnd();
  } else {
    state.unseen += added;
    showUnseen();
  }
}

el.newMessages.addEventListener("click", () => {
  scrollToEnd();
  el.input?.focus({ preventScroll: true });
});

window.addEventListener(
  "scroll",
  () => {
    if (state.unseen && atBottom()) {
      state.unseen = 0;
      showUnseen();
    }
  },
  { passive: true },
);

// The header and the composer cover the page's edges: tell the page how much, so
// focus and "scroll into view" stop short of them, and lift the composer above an
// on-screen keyboard that shrinks only the visual viewport.
function measureChrome() {
  const style = document.documentElement.style;
  if (el.bar) style.setProperty("--room-bar-height", `${el.bar.offsetHeight}px`);
  style.scrollPaddingTop = `${el.bar ? el.bar.offsetHeight : 0}px`;
  style.scrollPaddingBottom = `${el.dock ? el.dock.offsetHeight : 0}px`;
}

function followKeyboard() {
  const viewport = window.visualViewport;
  if (!viewport) return;
  const hidden = Math.max(0, window.innerHeight - viewport.height - viewport.offsetTop);
  document.documentElement.style.setProperty("--room-keyboard", `${Math.round(hidden)}px`);
}

if (window.ResizeObserver) {
  const observer = new ResizeObserver(measureChrome);
  if (el.bar) observer.observe(el.bar);
  if (el.dock) observer.observe(el.dock);
}
measureChrome();
if (window.visualViewport) {
  window.visualViewport.addEventListener("resize", followKeyboard);
  window.visualViewport.addEventListener("scroll", followKeyboard);
}

// --- members, seats, rounds ------------------------------------------------------

function renderMembers(members) {
  state.members = members;
  el.members.replaceChildren();
  for (const m of members) {
    const li = make("li", `member${m.online ? " member--online" : ""}`);
    li.append(make("span", "member__dot"));
    li.append(make("span", "member__handle", m.handle));
    li.append(make("span", "member__seat", m.seat === "listening" ? gettext("listening") : gettext("sharing")));
    li.append(make("span", "visually-hidden", m.online ? gettext(", here now") : gettext(", away")));
    if (isMember && m.handle !== myHandle) {
      const mute = make("button", "link-button member__mute", state.muted.has(m.handle) ? gettext("Unhide") : gettext("Hide"));
      mute.type = "button";
      mute.setAttribute("aria-label", state.muted.has(m.handle)
        ? gettext("Show %(handle)s's messages again", { handle: m.handle })
        : gettext("Hide %(handle)s's messages, only for you", { handle: m.handle }));
      mute.addEventListener("click", () => toggleMute(m.handle));
      li.append(mute);
    }
    el.members.append(li);
  }
  if (el.concernAbout) {
    const current = el.concernAbout.value;
    el.concernAbout.replaceChildren(make("option", null, gettext("I'd rather not say")));
    el.concernAbout.firstElementChild.value = "";
    for (const m of members) {
      if (m.handle === myHandle) continue;
      const option = make("option", null, m.handle);
      option.value = m.handle;
      el.concernAbout.append(option);
    }
    el.concernAbout.value = current;
  }
}

function renderSeat(seat) {
  state.seat = seat;
  if (!el.seat) return;
  const listening = seat === "listening";
  el.seat.setAttribute("aria-pressed", listening ? "true" : "false");
  el.seat.textContent = listening ? gettext("Listening — I'd like to share again") : gettext("I'd rather listen for now");
}

function renderRound(round) {
  const previous = state.round;
  state.round = round && round.text ? round : null;
  if (el.pass) el.pass.hidden = !state.round;
  if (!state.round) {
    el.round.hidden = true;
    return;
  }
  // The question shows once: as its line in the conversation, or (when that line is
  // older than what was loaded) pinned above it.
  const line = state.rendered.get(state.round.message_id);
  el.roundText.textContent = state.round.text;
  el.round.hidden = Boolean(line);
  if (!previous || previous.message_id !== state.round.message_id) {
    // The round's hint moves from the old question to the new one.
    const old = previous && state.rendered.get(previous.message_id);
    if (old && old.message) fillMessage(old, old.message);
    if (line && line.message) fillMessage(line, line.message);
  }
  if (el.pass && (!previous || previous.message_id !== state.round.message_id)) el.pass.disabled = false;
}

function renderStatus(status) {
  state.status = status;
  const texts = {
    paused: gettext("The moderators have paused this room for a moment."),
    closed: gettext("This room has closed. You can still read it."),
    forming: gettext("This room opens soon."),
  };
  el.roomState.textContent = texts[status] || "";
  el.roomState.hidden = !texts[status];
  if (el.input) el.input.disabled = status !== "open";
}

// --- connection -----------------------------------------------------------------

const socket = io("/chat", { withCredentials: true });

let joinedOnce = false;

socket.on("connect", async () => {
  setText(el.connection, gettext("Connected"));
  const wasAtBottom = !joinedOnce || atBottom();
  const before = state.rendered.size;
  const ack = await call("join", state.lastId ? { room_id: roomId, after_id: state.lastId } : { room_id: roomId });
  if (!ack.ok) {
    setText(el.connection, ack.error.message);
    return;
  }
  state.muted = new Set(ack.muted || []);
  renderStatus(ack.room.status);
  renderMembers(ack.room.members);
  renderRound(ack.room.round);
  if (ack.me && ack.me.seat) renderSeat(ack.me.seat);
  for (const m of ack.messages) addMessage(m);
  if (ack.has_more) await pageOn();
  // The first visit opens at the newest message; a reconnect's catch-up follows the
  // reader only if they were at the bottom.
  joinedOnce = true;
  followOrCount(wasAtBottom, state.rendered.size - before);
  resendPending();
});

socket.on("disconnect", (reason) => {
  if (reason === "io server disconnect") {
    setText(el.connection, gettext("You've been signed out here. Please reload the page to come back in."));
  } else {
    setText(el.connection, gettext("Reconnecting… your messages will wait and send when we're back."));
  }
});

socket.on("connect_error", (err) => {
  const code = err && err.data && err.data.code;
  if (code === "not_authenticated" || code === "banned") {
    setText(el.connection, err.data.message || gettext("Please log in again."));
  } else {
    setText(el.connection, gettext("Reconnecting…"));
  }
});

async function pageOn() {
  // Catch-up beyond 200 messages: the history API, page by page.
  for (let guard = 0; guard < 50; guard += 1) {
    const response = await fetch(`/api/v1/rooms/${roomId}/messages?after=${state.lastId}&limit=200`, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) return;
    const page = await response.json();
    for (const m of page.messages) addMessage(m);
    if (!page.has_more || page.messages.length === 0) return;
  }
}

let catchingUp = null;

async function closeGap(upTo) {
  // A broadcast was missed (prev_id is newer than anything we have): fetch what's
  // between, then remember that everything up to prev_id has been asked for.
  if (catchingUp) return catchingUp;
  catchingUp = (async () => {
    const ack = await call("join", { room_id: roomId, after_id: state.lastId });
    if (ack.ok) {
      for (const m of ack.messages) addMessage(m);
      if (ack.has_more) await pageOn();
      state.lastId = Math.max(state.lastId, upTo);
    }
  })();
  try {
    await catchingUp;
  } finally {
    catchingUp = null;
  }
}

socket.on("message", async (message) => {
  if (message.room_id !== roomId) return;
  if (typeof message.prev_id === "number" && message.prev_id > state.lastId) {
    await closeGap(message.prev_id);
  }
  const isNew = !state.rendered.has(message.id);
  const wasAtBottom = atBottom();
  if (message.client_msg_id && state.pending.has(message.client_msg_id)) {
    settlePending(message.client_msg_id);
  }
  const mine = message.author.handle === myHandle && message.kind === "user";
  addMessage(message, { announceIt: isNew && !mine });
  if (isNew) followOrCount(wasAtBottom || mine);
});

socket.on("message_removed", ({ room_id, id }) => {
  if (room_id !== roomId) return;
  const li = state.rendered.get(id);
  if (li && li.message) fillMessage(li, { ...li.message, removed: true, body: "" });
});

socket.on("reactions", ({ room_id, message_id, reactions }) => {
  if (room_id !== roomId) return;
  const li = state.rendered.get(message_id);
  if (li && li.message) {
    li.message = { ...li.message, reactions };
    renderReactions(li, li.message);
  }
});

socket.on("presence", ({ room_id, members }) => {
  if (room_id === roomId) renderMembers(members);
});

socket.on("prompt", ({ room_id, text }) => {
  if (room_id !== roomId) return;
  renderRound({ message_id: state.latestPromptId, text });
  announce(gettext("A new round: %(text)s", { text }));
});

socket.on("crisis_resources", ({ resources, text }) => {
  el.crisisText.textContent = text;
  el.crisisList.replaceChildren();
  for (const r of resources) {
    const li = make("li", "crisis-panel__item");
    li.append(make("strong", null, r.name), " ", make("span", null, r.contact), " ");
    const link = make("a", null, gettext("Website"));
    link.href = r.url;
    link.rel = "noopener noreferrer";
    link.setAttribute("aria-label", gettext("%(name)s website", { name: r.name }));
    li.append(link);
    el.crisisList.append(li);
  }
  el.crisis.hidden = false;
  el.crisis.focus();
});

socket.on("peer_guidance", ({ room_id, title, text, url }) => {
  // Someone in the room is having a hard time: a calm card in the conversation for
  // the other members. It names nobody; the server sends it at most once a day.
  if (room_id !== roomId) return;
  const wasAtBottom = atBottom();
  const li = make("li", "guidance-card");
  li.setAttribute("role", "note");
  li.dataset.testid = "peer-guidance";
  li.append(make("p", "guidance-card__title", title), make("p", "guidance-card__text", text));
  const link = make("a", "guidance-card__link", gettext("When someone shares something hard"));
  link.href = url;
  const more = make("p");
  more.append(link);
  li.append(more);
  el.messages.append(li);
  announce(text);
  followOrCount(wasAtBottom);
});

document.getElementById("crisis-close").addEventListener("click", () => {
  el.crisis.hidden = true;
  el.input?.focus();
});

socket.on("notice", ({ room_id, text }) => {
  if (room_id === undefined || room_id === null || room_id === roomId) showNotice(text);
});

socket.on("removed", ({ room_id, reason }) => {
  if (room_id !== null && room_id !== roomId) return;
  showNotice(reason || gettext("You're no longer in this room."));
  if (el.input) el.input.disabled = true;
});

// --- sending --------------------------------------------------------------------

function savePending() {
  const unsent = [...state.pending.entries()]
    .filter(([, p]) => p.status !== "refused")
    .map(([id, p]) => ({ id, body: p.body }));
  try {
    sessionStorage.setItem(PENDING_KEY, JSON.stringify(unsent));
  } catch {
    // Private mode or full storage: retries still work while the page is open.
  }
}

function pendingItem(cid, body) {
  const li = make("li", "message message--user message--mine message--pending");
  li.dataset.cid = cid;
  const meta = make("p", "message__meta");
  meta.append(make("span", "message__author", myHandle));
  li.append(meta, make("p", "message__body", body), make("p", "message__note", gettext("Sending…")));
  el.messages.append(li);
  return li;
}

function setPendingNote(cid, text, { retry = false, dismiss = false } = {}) {
  const p = state.pending.get(cid);
  if (!p) return;
  const note = p.li.querySelector(".message__note");
  note.replaceChildren(make("span", null, text));
  if (retry) {
    const button = make("button", "link-button", gettext("Retry"));
    button.type = "button";
    button.setAttribute("aria-label", gettext("Retry sending this message"));
    button.addEventListener("click", () => sendInOrder(cid));
    note.append(" ", button);
  }
  if (dismiss) {
    const button = make("button", "link-button", gettext("Dismiss"));
    button.type = "button";
    button.addEventListener("click", () => {
      p.li.remove();
      state.pending.delete(cid);
      savePending();
    });
    note.append(" ", button);
  }
  p.li.classList.toggle("message--failed", retry || dismiss);
}

function settlePending(cid) {
  const p = state.pending.get(cid);
  if (!p) return;
  p.li.remove();
  state.pending.delete(cid);
  savePending();
}

async function trySend(cid) {
  const p = state.pending.get(cid);
  if (!p || p.inFlight) return;
  if (!socket.connected) {
    setPendingNote(cid, gettext("Waiting for the connection…"));
    return;
  }
  p.inFlight = true;
  setPendingNote(cid, gettext("Sending…"));
  const ack = await call("send", { room_id: roomId, body: p.body, client_msg_id: cid });
  p.inFlight = false;
  if (ack.ok) {
    settlePending(cid);
    addMessage(ack.message);
    scrollToEnd();
    return;
  }
  const { code, message } = ack.error;
  if (code === "held_for_review") {
    settlePending(cid);
    showNotice(message);
    if (ack.error.held_message) addMessage(ack.error.held_message);
    return;
  }
  if (code === "timeout" || code === "server_error" || code === "rate_limited") {
    setPendingNote(cid, gettext("Not sent yet. %(reason)s", { reason: message }), { retry: true });
    return;
  }
  p.status = "refused";
  savePending();
  setPendingNote(cid, gettext("Not sent. %(reason)s", { reason: message }), { dismiss: true });
}

// One send at a time, so the room sees messages in the order they were written.
let sendChain = Promise.resolve();

function sendInOrder(cid) {
  sendChain = sendChain.then(() => trySend(cid)).catch(() => undefined);
  return sendChain;
}

function resendPending() {
  for (const [cid, p] of state.pending) {
    if (p.status !== "refused") sendInOrder(cid);
  }
}

function queueSend(body, cid = crypto.randomUUID()) {
  const li = pendingItem(cid, body);
  state.pending.set(cid, { body, li, status: "pending", inFlight: false });
  savePending();
  scrollToEnd();
  sendInOrder(cid);
}

function restorePending() {
  let saved = [];
  try {
    saved = JSON.parse(sessionStorage.getItem(PENDING_KEY) || "[]");
  } catch {
    saved = [];
  }
  for (const { id, body } of saved) {
    if (typeof id === "string" && typeof body === "string") {
      const li = pendingItem(id, body);
      state.pending.set(id, { body, li, status: "pending", inFlight: false });
    }
  }
}

if (el.composer) {
  el.composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = el.input.value.trim();
    if (!body) return;
    if (body.length > 2000) {
      showNotice(gettext("Messages can be up to 2000 characters. Maybe split it in two?"));
      return;
    }
    el.input.value = "";
    showNotice("");
    queueSend(body);
  });
  // On a touch keyboard Enter is a new line (there is no Shift); Send sends.
  const touch = window.matchMedia("(pointer: coarse)");
  const showHint = () => setText(el.hint, touch.matches ? TEXT.hintTouch : TEXT.hintKeyboard);
  touch.addEventListener?.("change", showHint);
  showHint();
  el.input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !touch.matches) {
      event.preventDefault();
      el.composer.requestSubmit();
    }
  });
  // The box grows with what is written (up to a limit set in CSS), then scrolls.
  const grow = () => {
    el.input.style.height = "auto";
    el.input.style.height = `${el.input.scrollHeight + 2}px`;
  };
  el.input.addEventListener("input", grow);
  el.composer.addEventListener("submit", () => requestAnimationFrame(grow));
}

// --- the options sheet (phone): members and actions ------------------------------
//
// One panel of members and actions: in the side column on a wide screen, moved into
// a modal <dialog> on a phone. showModal() keeps focus inside and closes on Escape;
// on close the panel goes back and focus returns to the button that opened it.

// A modal <dialog> makes the page behind it inert, but Tab from its last control
// would still leave for the browser's own toolbar: wrap it around instead.
const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function trapFocus(dialog) {
  dialog.addEventListener("keydown", (event) => {
    if (event.key !== "Tab") return;
    const items = [...dialog.querySelectorAll(FOCUSABLE)].filter((node) => node.checkVisibility?.() ?? true);
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
}

const sheet = document.getElementById("room-sheet");
const sheetBody = document.getElementById("room-sheet-body");
const sheetButton = document.getElementById("room-options");
const panel = document.getElementById("room-panel");
const side = document.getElementById("room-side");

sheetButton.addEventListener("click", () => {
  sheetBody.append(panel);
  sheet.showModal();
  sheetButton.setAttribute("aria-expanded", "true");
});
sheet.addEventListener("click", (event) => {
  // A tap on the backdrop (outside the sheet's box) closes it, as Escape does.
  const box = sheet.getBoundingClientRect();
  const outside =
    event.clientY < box.top || event.clientY > box.bottom || event.clientX < box.left || event.clientX > box.right;
  if (event.target === sheet && outside) sheet.close();
});
sheet.addEventListener("close", () => {
  side.append(panel);
  sheetButton.setAttribute("aria-expanded", "false");
  sheetButton.focus();
});

// --- reactions, seat, pass, mute ------------------------------------------------

async function react(messageId, kind) {
  const ack = await call("react", { message_id: messageId, kind });
  if (!ack.ok) {
    showNotice(ack.error.message);
    return;
  }
  const key = `${messageId}:${kind}`;
  if (ack.on) state.mine.add(key);
  else state.mine.delete(key);
  const li = state.rendered.get(messageId);
  if (li && li.message) {
    li.message = { ...li.message, reactions: ack.reactions };
    renderReactions(li, li.message);
    li.querySelector(`[data-kind="${kind}"]`)?.focus();
  }
}

el.seat?.addEventListener("click", async () => {
  const seat = state.seat === "listening" ? "sharing" : "listening";
  const ack = await call("seat", { room_id: roomId, seat });
  if (ack.ok) renderSeat(ack.seat);
  else showNotice(ack.error.message);
});

el.pass?.addEventListener("click", async () => {
  const ack = await call("pass", { room_id: roomId });
  if (!ack.ok) {
    showNotice(ack.error.message);
    return;
  }
  if (ack.message) addMessage(ack.message);
  el.pass.disabled = true;
  showNotice(gettext("You passed this round. That's okay."));
});

async function toggleMute(handle) {
  const muted = !state.muted.has(handle);
  const ack = await call("mute_member", { room_id: roomId, handle, muted });
  if (!ack.ok) {
    showNotice(ack.error.message);
    return;
  }
  state.muted = new Set(ack.muted);
  renderMembers(state.members);
  if (muted) {
    for (const [id, li] of state.rendered) {
      if (li.dataset.author === handle) {
        li.remove();
        state.rendered.delete(id);
      }
    }
    showNotice(gettext("%(handle)s's messages are hidden, only for you.", { handle }));
  } else {
    // Show their messages again: reload the recent conversation.
    el.messages.querySelectorAll("li:not(.message--pending)").forEach((li) => li.remove());
    state.rendered.clear();
    state.lastId = 0;
    const ack2 = await call("join", { room_id: roomId });
    if (ack2.ok) for (const m of ack2.messages) addMessage(m);
    showNotice(gettext("%(handle)s's messages are shown again.", { handle }));
  }
}

// --- report and concern dialogs -------------------------------------------------

const leaveDialog = document.getElementById("leave-dialog");
const leaveForm = document.getElementById("leave-form");

for (const dialog of [el.reportDialog, el.concernDialog, leaveDialog, sheet]) {
  dialog.querySelector("[data-close]").addEventListener("click", () => dialog.close());
  trapFocus(dialog);
}

document.getElementById("leave-open")?.addEventListener("click", () => {
  document.getElementById("leave-result").textContent = "";
  leaveDialog.showModal();
});

leaveForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const ack = await call("leave", { room_id: roomId });
  if (ack.ok) {
    window.location.assign(leaveForm.dataset.after || "/");
  } else {
    document.getElementById("leave-result").textContent = ack.error.message;
  }
});

function openReport(message) {
  state.reportingId = message.id;
  el.reportQuote.textContent = gettext("%(who)s: %(text)s", { who: message.author.handle, text: message.body });
  el.reportResult.textContent = "";
  el.reportForm.reset();
  el.reportDialog.showModal();
}

el.reportForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const note = document.getElementById("report-note").value.trim();
  const data = { message_id: state.reportingId, reason: document.getElementById("report-reason").value };
  if (note) data.note = note;
  const ack = await call("report", data);
  if (ack.ok) {
    el.reportDialog.close();
    showNotice(gettext("Thank you. A moderator will take a look."));
  } else {
    el.reportResult.textContent = ack.error.message;
  }
});

document.getElementById("concern-open")?.addEventListener("click", () => {
  el.concernResult.textContent = "";
  el.concernForm.reset();
  el.concernDialog.showModal();
});

el.concernForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = { room_id: roomId };
  const about = el.concernAbout.value;
  const note = document.getElementById("concern-note").value.trim();
  if (about) data.about_handle = about;
  if (note) data.note = note;
  const ack = await call("concern", data);
  if (ack.ok) {
    el.concernDialog.close();
    showNotice(gettext("Thank you for looking out for someone. A moderator will gently check in."));
  } else {
    el.concernResult.textContent = ack.error.message;
  }
});

restorePending();
