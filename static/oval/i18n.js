/*
 * The pages' words in the reader's language (English or Dutch). Django's JavaScript catalogue
 * (/jsi18n/, a classic script every page loads before its modules) installs gettext and friends as
 * globals; should it fail to load, the English words stay and nothing else changes. Every module
 * takes its words from here, so that the fallback lives once. Times and numbers are never
 * translated: they keep the sport's format ("1:12.31") in every language.
 */
const catalogue = window;

export const gettext = catalogue.gettext || ((text) => text);

export const ngettext = catalogue.ngettext || ((singular, plural, count) => (count === 1 ? singular : plural));

/* interpolate("%(n)s laps", {n: 3}, true) or interpolate("%s of %s", [1, 4]). */
export const interpolate = catalogue.interpolate || ((format, values, named) => (named
  ? format.replace(/%\(\w+\)s/g, (match) => String(values[match.slice(2, -2)]))
  : format.replace(/%s/g, () => String(values.shift()))));
