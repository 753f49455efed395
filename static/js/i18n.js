// The page's language and its JavaScript strings. base.html renders the catalogue
// from the same translations as the templates (i18n.script_catalogue); in English it
// is empty and every string is its own msgid.
const element = document.getElementById("i18n-catalogue");
let catalogue = {};
try {
  catalogue = element ? JSON.parse(element.dataset.catalogue || "{}") : {};
} catch {
  catalogue = {}; // a broken catalogue must not break the page: fall back to English
}

export const locale = document.documentElement.lang || "en";
const pluralRules = new Intl.PluralRules(locale);

function interpolate(text, values) {
  if (!values) return text;
  return text.replace(/%\((\w+)\)[sd]/g, (whole, name) =>
    name in values ? String(values[name]) : whole,
  );
}

/** The translation of `msgid`, with %(name)s placeholders filled from `values`. */
export function gettext(msgid, values) {
  const text = catalogue[msgid];
  return interpolate(typeof text === "string" && text ? text : msgid, values);
}

/** The singular or plural sentence for `count`, in the page's language; %(num)d is the count. */
export function ngettext(singular, plural, count, values) {
  const forms = catalogue[singular];
  const one = pluralRules.select(count) === "one";
  let text = one ? singular : plural;
  if (Array.isArray(forms) && forms[one ? 0 : 1]) text = forms[one ? 0 : 1];
  return interpolate(text, { num: count, ...values });
}

/** Intl formatters in the page's language, so dates and numbers read naturally. */
const dateTimeFormats = new Map();

export function formatDateTime(date, options) {
  // Building a formatter is costly and chat.js formats every message's time: keep one
  // per set of options (the options objects are small literals, so JSON is a fair key).
  const key = JSON.stringify(options ?? {});
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateTimeFormats.set(key, format);
  }
  return format.format(date);
}

export function formatNumber(value, options) {
  return new Intl.NumberFormat(locale, options).format(value);
}
