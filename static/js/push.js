// Web Push and the installable app, on every page.
// - Registers the service worker (/service-worker.js): no prompt, it only keeps the
//   static shell and shows pushes.
// - The switch on /account ([data-push-switch]) and the one-time offer after joining
//   the waiting pool ([data-push-offer]). The browser's permission prompt only ever
//   follows a click on one of them, never a page load.
import { gettext } from "./i18n.js";

const supported =
  "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
const OFFER_ANSWERED = "hearth.pushOfferAnswered";

let registration = null;
let csrfToken = null;

async function token() {
  if (!csrfToken) {
    const response = await fetch("/api/v1/csrf", { credentials: "same-origin" });
    csrfToken = (await response.json()).csrf_token;
  }
  return csrfToken;
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": await token() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = {};
  try {
    data = await response.json();
  } catch (error) {
    data = {};
  }
  if (!response.ok) {
    const message = (data.error && data.error.message) || gettext("That didn't work. Please try again in a moment.");
    throw new Error(message);
  }
  return data;
}

function keyBytes(base64url) {
  const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
}

function sameKey(subscription, key) {
  const current = subscription.options && subscription.options.applicationServerKey;
  if (!current) return true;
  const a = new Uint8Array(current);
  return a.length === key.length && a.every((byte, i) => byte === key[i]);
}

async function ready() {
  if (!registration) registration = await navigator.serviceWorker.ready;
  return registration;
}

async function currentSubscription() {
  return (await ready()).pushManager.getSubscription();
}

// True when this browser is subscribed and the server knows it for this account.
async function isOn() {
  const subscription = await currentSubscription();
  if (!subscription) return false;
  const response = await fetch("/api/v1/push/subscriptions", { credentials: "same-origin" });
  if (!response.ok) return false;
  const { endpoints } = await response.json();
  return endpoints.includes(subscription.endpoint);
}

async function turnOn() {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") {
    throw new Error(
      permission === "denied"
        ? gettext("Notifications are blocked for Hearth in this browser's settings. You can allow them there.")
        : gettext("No problem. You can switch notifications on here whenever you like."),
    );
  }
  const keyResponse = await fetch("/api/v1/push/key", { credentials: "same-origin" });
  if (!keyResponse.ok) throw new Error(gettext("Notifications on devices aren't available on this Hearth yet."));
  const key = keyBytes((await keyResponse.json()).public_key);
  const reg = await ready();
  let subscription = await reg.pushManager.getSubscription();
  if (subscription && !sameKey(subscription, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  if (!subscription) {
    subscription = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  }
  await api("POST", "/api/v1/push/subscriptions", subscription.toJSON());
}

async function turnOff() {
  const subscription = await currentSubscription();
  if (!subscription) return;
  await api("DELETE", "/api/v1/push/subscriptions", { endpoint: subscription.endpoint });
  await subscription.unsubscribe();
}

// --- /account: the switch ------------------------------------------------------------

function setUpSwitch(root) {
  const button = root.querySelector("[data-push-toggle]");
  const status = root.querySelector("[data-push-status]");
  const show = (on, text) => {
    button.hidden = false;
    button.setAttribute("aria-pressed", String(on));
    button.textContent = on ? gettext("Turn off notifications on this device") : gettext("Turn on notifications on this device");
    status.textContent = text;
  };
  if (!supported) {
    status.textContent = gettext("This browser can't show notifications from Hearth. You'll still see them under the bell.");
    return;
  }
  if (Notification.permission === "denied") {
    status.textContent = gettext("Notifications are blocked for Hearth in this browser's settings. You can allow them there.");
    return;
  }
  isOn()
    .then((on) => show(on, on ? gettext("Notifications are on for this device.") : gettext("Notifications are off for this device.")))
    .catch(() => show(false, gettext("Notifications are off for this device.")));
  button.addEventListener("click", async () => {
    const wasOn = button.getAttribute("aria-pressed") === "true";
    button.disabled = true;
    status.textContent = wasOn ? gettext("Turning notifications off…") : gettext("Turning notifications on…");
    try {
      if (wasOn) {
        await turnOff();
        show(false, gettext("Notifications are off for this device."));
      } else {
        await turnOn();
        show(true, gettext("Notifications are on for this device. We'll only send short, calm notes."));
      }
      localStorage.setItem(OFFER_ANSWERED, "1");
    } catch (error) {
      show(wasOn, error.message);
    } finally {
      button.disabled = false;
    }
  });
}

// --- /groups: the one-time offer after joining the pool -----------------------------------

function setUpOffer(root) {
  if (!supported || Notification.permission === "denied" || localStorage.getItem(OFFER_ANSWERED)) return;
  const status = root.querySelector("[data-push-status]");
  const yes = root.querySelector("[data-push-offer-yes]");
  const no = root.querySelector("[data-push-offer-no]");
  isOn()
    .then((on) => {
      if (!on) root.hidden = false;
    })
    .catch(() => {});
  yes.addEventListener("click", async () => {
    yes.disabled = true;
    no.disabled = true;
    try {
      await turnOn();
      status.textContent = gettext("Done. We'll let you know here and on this device when your group is found.");
      localStorage.setItem(OFFER_ANSWERED, "1");
      yes.hidden = true;
      no.hidden = true;
    } catch (error) {
      status.textContent = error.message;
      localStorage.setItem(OFFER_ANSWERED, "1");
      yes.hidden = true;
      no.textContent = gettext("Close");
      no.disabled = false;
    }
  });
  no.addEventListener("click", () => {
    localStorage.setItem(OFFER_ANSWERED, "1");
    root.hidden = true;
  });
}

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).catch(() => {});
}
const switchRoot = document.querySelector("[data-push-switch]");
if (switchRoot) setUpSwitch(switchRoot);
const offerRoot = document.querySelector("[data-push-offer]");
if (offerRoot) setUpOffer(offerRoot);
