// Profile wizard: progressive enhancement for the server-rendered steps.
// Without this script every step is a plain form that saves and moves on.
// With it: interest search and a summary of what is chosen, a character counter, time zone
// detection, and saving each step through PATCH /api/v1/profile.

import { gettext, ngettext } from "./i18n.js";

const form = document.querySelector("[data-wizard-form]");

function announce(text) {
  const status = form && form.querySelector("[data-save-status]");
  if (status) status.textContent = text;
}

// --- interests: search, sections, the summary of what is chosen ---------------

// Words the script writes; the same sentences as the server-rendered step
// (templates/profiles/_step_interests.html), so both read alike in every language.
const TEXT = {
  shown: (count) => ngettext("%(num)d interest shown.", "%(num)d interests shown.", count),
  chosen: (count) => ngettext("%(num)d chosen.", "%(num)d chosen.", count),
  tooMany: (count, most) =>
    ngettext(
      "%(num)d chosen. %(most)d is the most; please untick %(extra)d.",
      "%(num)d chosen. %(most)d is the most; please untick %(extra)d.",
      count,
      { most, extra: count - most },
    ),
  groupChosen: (count) => ngettext("%(num)d chosen", "%(num)d chosen", count),
  yourChoices: gettext("Your choices:"),
};

function setUpInterests(root) {
  const tools = root.querySelector("[data-interest-tools]");
  if (!tools) return;
  const search = tools.querySelector("[data-interest-search]");
  const countLine = tools.querySelector("[data-interest-count]");
  const chosenLine = root.querySelector("[data-interest-chosen]");
  const summary = root.querySelector("[data-interest-summary]");
  const empty = root.querySelector("[data-interest-empty]");
  const groups = [...root.querySelectorAll("[data-category-group]")];
  // Which sections the person opened themselves, to put back when the search is cleared.
  let openBefore = null;
  tools.hidden = false;

  const normalise = (text) => text.toLocaleLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");

  function filter() {
    const words = normalise(search.value.trim()).split(/\s+/).filter(Boolean);
    if (words.length && !openBefore) openBefore = new Set(groups.filter((g) => g.open));
    let shown = 0;
    for (const group of groups) {
      let inGroup = 0;
      const groupName = normalise(group.querySelector(".interest-group__name").textContent);
      for (const chip of group.querySelectorAll(".chip")) {
        const text = normalise(chip.textContent) + " " + groupName;
        const match = words.every((word) => text.includes(word));
        // Chosen interests stay visible so nobody loses track of them.
        const keep = match || chip.querySelector("input").checked;
        chip.hidden = !keep;
        if (keep) inGroup += 1;
        if (match) shown += 1;
      }
      group.hidden = inGroup === 0;
      // While searching, every section with a match is open; afterwards, as before.
      if (words.length) group.open = inGroup > 0;
      else if (openBefore) group.open = openBefore.has(group) || group.querySelector("input:checked") !== null;
    }
    if (!words.length) openBefore = null;
    empty.hidden = shown > 0;
    countLine.textContent = words.length ? TEXT.shown(shown) : "";
  }

  const most = Number(chosenLine.dataset.most) || 20;
  function updateChosen() {
    const boxes = [...root.querySelectorAll('input[name="interests"]:checked')];
    const chosen = boxes.length;
    chosenLine.textContent = chosen > most ? TEXT.tooMany(chosen, most) : TEXT.chosen(chosen);
    for (const group of groups) {
      const inGroup = group.querySelectorAll('input[name="interests"]:checked').length;
      group.querySelector("[data-group-count]").textContent = inGroup ? TEXT.groupChosen(inGroup) : "";
    }
    if (!chosen) {
      summary.textContent = summary.dataset.empty;
      return;
    }
    const items = boxes.map((box) => {
      const item = document.createElement("span");
      item.className = "interest-summary__item";
      item.textContent = box.closest(".chip").textContent.trim();
      return item;
    });
    const label = document.createElement("span");
    label.className = "interest-summary__label";
    label.textContent = TEXT.yourChoices;
    summary.replaceChildren(label, " ", ...items);
  }

  search.addEventListener("input", filter);
  // Enter in the search box should not submit the step.
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault();
  });
  root.addEventListener("change", (event) => {
    if (event.target.name === "interests") updateChosen();
  });
}

// --- about: character counter -------------------------------------------------

function setUpAbout(root) {
  const textarea = root.querySelector("#about");
  const counter = root.querySelector("[data-about-count]");
  if (!textarea || !counter) return;
  const max = Number(textarea.getAttribute("maxlength"));
  const update = () => {
    counter.textContent = gettext("%(used)s of %(max_about)s characters", {
      used: textarea.value.trim().length,
      max_about: max,
    });
  };
  textarea.addEventListener("input", update);
  update();
}

// --- time zone detection ------------------------------------------------------

function setUpTimezone(root) {
  const select = root.querySelector("[data-timezone]");
  if (!select) return;
  let detected = "";
  try {
    detected = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return;
  }
  const option = [...select.options].find((o) => o.value === detected);
  if (!select.value && option) {
    select.value = detected;
    const hint = root.querySelector("[data-timezone-hint]");
    if (hint) {
      hint.textContent = gettext(
        "We've set this from your browser (%(zone)s). Change it if it's not right. " +
          "Only the zone is stored, never where you are.",
        { zone: detected.replaceAll("_", " ") },
      );
    }
  }
}

// --- saving a step through the API ------------------------------------------

function readPayload(root) {
  const payload = {};
  for (const spec of (root.dataset.fields || "").split(" ").filter(Boolean)) {
    const [name, kind] = spec.split(":");
    if (kind === "list") {
      const values = [...root.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
      if (name === "languages") {
        const other = root.querySelector('[name="other_language"]');
        if (other && other.value && !values.includes(other.value)) values.push(other.value);
      }
      payload[name] = values;
    } else if (kind === "text") {
      payload[name] = root.querySelector(`[name="${name}"]`).value;
    } else {
      const checked = root.querySelector(`input[name="${name}"]:checked`);
      const select = root.querySelector(`select[name="${name}"]`);
      const raw = checked ? checked.value : select ? select.value : "";
      payload[name] = raw === "" ? null : kind === "int" ? Number(raw) : raw;
    }
  }
  return payload;
}

// The same short names the server's error summary uses (profiles.routes.FIELD_LABELS).
const FIELD_LABELS = JSON.parse((form && form.dataset.fieldLabels) || "{}");

function fieldLabel(name) {
  return FIELD_LABELS[name] || name;
}

function clearErrors(root) {
  for (const line of root.querySelectorAll(".field__error")) {
    line.hidden = true;
    line.textContent = "";
  }
  for (const box of root.querySelectorAll(".field--invalid")) box.classList.remove("field--invalid");
  for (const input of root.querySelectorAll('[aria-invalid="true"]')) input.removeAttribute("aria-invalid");
  const summary = document.getElementById("form-problems");
  if (summary) summary.hidden = true;
}

function showErrors(root, fields, message) {
  const summary = document.getElementById("form-problems");
  const list = document.getElementById("form-problems-list");
  list.replaceChildren();
  // In the order the fields are on the page, whatever order the JSON keys came in.
  const order = (root.dataset.fields || "").split(" ").map((spec) => spec.split(":")[0]);
  const rank = (name) => (order.includes(name) ? order.indexOf(name) : order.length);
  const problems = Object.entries(fields || {}).sort((a, b) => rank(a[0]) - rank(b[0]));
  for (const [name, text] of problems) {
    const line = document.getElementById(`error-${name}`);
    const container = document.getElementById(`field-${name}`);
    if (line) {
      line.textContent = text;
      line.hidden = false;
    }
    if (container) {
      container.classList.add("field--invalid");
      const control = container.querySelector("textarea, select");
      if (control) control.setAttribute("aria-invalid", "true");
    }
    const item = document.createElement("li");
    if (container) {
      const link = document.createElement("a");
      link.href = `#field-${name}`;
      link.textContent = fieldLabel(name);
      item.append(link, `: ${text}`);
    } else {
      item.textContent = text;
    }
    list.append(item);
  }
  if (!list.children.length) {
    const item = document.createElement("li");
    item.textContent = message;
    list.append(item);
  }
  summary.hidden = false;
  summary.focus();
}

let csrfToken = null;

async function token() {
  if (!csrfToken) {
    const response = await fetch("/api/v1/csrf", { credentials: "same-origin" });
    csrfToken = (await response.json()).csrf_token;
  }
  return csrfToken;
}

function setUpSaving(root) {
  let sending = false;
  root.addEventListener("submit", async (event) => {
    if (!window.fetch) return; // the plain form still works
    event.preventDefault();
    if (sending) return;
    sending = true;
    const button = root.querySelector('button[type="submit"]');
    button.setAttribute("aria-disabled", "true");
    announce(gettext("Saving…"));
    try {
      const response = await fetch("/api/v1/profile", {
        method: "PATCH",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": await token() },
        body: JSON.stringify(readPayload(root)),
      });
      if (response.ok) {
        announce(gettext("Saved."));
        window.location.assign(root.dataset.next);
        return;
      }
      const body = await response.json().catch(() => ({}));
      const error = body.error || {};
      if (response.status === 400 && error.code === "invalid") {
        clearErrors(root);
        showErrors(root, error.fields, error.message);
        announce(gettext("Not saved yet."));
      } else {
        // Anything unexpected (an expired session, a lost token): let the plain form try.
        root.submit();
      }
    } catch {
      root.submit();
    } finally {
      sending = false;
      button.removeAttribute("aria-disabled");
    }
  });
}

if (form) {
  setUpInterests(form);
  setUpAbout(form);
  setUpTimezone(form);
  setUpSaving(form);
}
