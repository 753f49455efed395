// /groups updates itself when a group notification arrives (notifications.js fires
// "hearth:notification"), and when the tab comes back into view: the live part is
// re-fetched from the server and swapped in, with no reload and no flash.
import { gettext } from "./i18n.js";
const region = document.getElementById("groups-live");
const status = document.getElementById("groups-status");
const GROUP_KINDS = new Set(["group_proposed", "proposal_expiring", "group_opened", "group_changed"]);
let inFlight = null;

async function refresh(announcement) {
  if (!region) return;
  if (inFlight) return inFlight;
  inFlight = (async () => {
    try {
      const response = await fetch(region.dataset.partialUrl, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      if (!response.ok) return;
      const template = document.createElement("template");
      template.innerHTML = await response.text();
      // Keep focus where it was when the focused control still exists after the swap.
      const focusedId = document.activeElement && region.contains(document.activeElement)
        ? document.activeElement.id : null;
      region.replaceChildren(template.content);
      if (focusedId) document.getElementById(focusedId)?.focus();
      if (announcement && status) status.textContent = announcement;
      region.dataset.refreshed = String(Number(region.dataset.refreshed || 0) + 1);
    } catch {
      // Offline for a moment: the next notification or visit refreshes again.
    } finally {
      inFlight = null;
    }
  })();
  return inFlight;
}

document.addEventListener("hearth:notification", (event) => {
  const notification = event.detail || {};
  if (GROUP_KINDS.has(notification.kind)) refresh(notification.text || gettext("Your groups page was updated."));
});

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") refresh(null);
});
