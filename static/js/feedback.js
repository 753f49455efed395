// The after-meeting card in a room: asked after a person's first day and then once a
// week while the room is open. It never blocks the chat: it stays hidden unless the
// server says it is due, "Not now" hides it for this week, and errors stay inside it.
import { gettext } from "./i18n.js";

const card = document.getElementById("feedback-card");

function weekKey(roomId, week) {
  return `hearth-feedback-dismissed:${roomId}:${week}`;
}

let csrfToken = null;
async function csrf() {
  if (!csrfToken) {
    const response = await fetch("/api/v1/csrf", { credentials: "same-origin" });
    csrfToken = (await response.json()).csrf_token;
  }
  return csrfToken;
}

async function start() {
  if (!card) return;
  const roomId = card.dataset.roomId;
  const url = `/api/v1/rooms/${roomId}/feedback`;
  let state;
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) return;
    state = await response.json();
  } catch {
    return;
  }
  let dismissed = false;
  try {
    dismissed = window.localStorage.getItem(weekKey(roomId, state.week_start)) === "1";
  } catch {
    dismissed = false;
  }
  // Says the question was asked, whatever the answer (tests wait for it).
  card.dataset.checked = state.due && !dismissed ? "shown" : "not-due";
  if (!state.due || dismissed) return;
  card.hidden = false;

  card.querySelector("[data-feedback-dismiss]").addEventListener("click", () => {
    try {
      window.localStorage.setItem(weekKey(roomId, state.week_start), "1");
    } catch {
      // Private browsing: it is simply asked again next time.
    }
    card.hidden = true;
    document.getElementById("composer-input")?.focus();
  });

  const form = document.getElementById("feedback-form");
  const status = document.getElementById("feedback-status");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const atEase = data.get("at_ease");
    const meetAgain = data.get("meet_again");
    if (!atEase || !meetAgain) {
      status.textContent = gettext("Please choose an answer for both questions.");
      return;
    }
    const body = { at_ease: Number(atEase), meet_again: meetAgain };
    const note = String(data.get("note") || "").trim();
    if (note) body.note = note;
    try {
      const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": await csrf() },
        body: JSON.stringify(body),
      });
      if (response.ok) {
        form.hidden = true;
        card.querySelector("[data-feedback-dismiss]").textContent = gettext("Close");
        const thanks = document.createElement("p");
        thanks.setAttribute("role", "status");
        thanks.dataset.testid = "feedback-thanks";
        thanks.textContent = gettext("Thank you. Your answer is private: the group never sees it.");
        card.append(thanks);
        return;
      }
      const problem = await response.json().catch(() => null);
      status.textContent = problem?.error?.message || gettext("That didn't send. Please try again in a moment.");
    } catch {
      status.textContent = gettext("That didn't send. Please try again in a moment.");
    }
  });
}

start();
