/*
 * The classification lines of the announcer's view: for a skater of the pair on the ice (or the
 * next pair), what she needs on this distance to lead each classification it counts in, and to
 * reach its podium, with her place and points before it. Every number and sentence is the
 * server's (GET /api/races/<id>/announcer → "classifications", from timing/classification_table.py).
 */
import { gettext, interpolate } from "./i18n.js";
import { h } from "./show.js";

/* Her targets in each classification whose next distance this race is: [{classification, target}]. */
function targetsOf(facts, raceId, pairNumber, lane) {
  if (!facts || facts.race !== raceId || !facts.classifications) return [];
  const found = [];
  for (const c of facts.classifications) {
    const t = c.targets.find((x) => x.pair === pairNumber && x.lane === lane);
    if (t) found.push({ classification: c, target: t });
  }
  return found;
}

function aim(label, t, cls) {
  const rival = t.time && t.rival ? ` (${t.rival.name})` : "";
  return h("div", `fact ${cls}`, [h("small", "", label), h("span", "", `${t.text}${rival}`)]);
}

/* "1st", "2nd" in English; Dutch writes "1e", "2e" (a translation of "%(n)sth"). */
function ordinal(n) {
  const english = n % 100 >= 11 && n % 100 <= 13 ? "th" : ["th", "st", "nd", "rd"][n % 10] || "th";
  const suffix = { st: gettext("%(n)sst"), nd: gettext("%(n)snd"), rd: gettext("%(n)srd"), th: gettext("%(n)sth") };
  return interpolate(suffix[english], { n }, true);
}

/* A block per classification for a lane card of the pair on the ice; null when none applies. */
export function classificationBlock(facts, raceId, pairNumber, lane) {
  const found = targetsOf(facts, raceId, pairNumber, lane);
  if (!found.length) return null;
  return h("div", "classif-needs", found.map(({ classification: c, target: t }) => {
    const block = h("div", "classif-target", [
      h("div", "classif-name", [
        h("b", "", c.name), " ",
        h("span", "classif-standing", [t.rank ? `${ordinal(t.rank)} · ` : "", interpolate(gettext("%(points)s pts"), { points: t.points }, true)]),
      ]),
      aim(gettext("to lead"), t.lead, "classif-lead"),
      aim(gettext("podium"), t.podium, "classif-podium"),
    ]);
    block.dataset.classification = c.id;
    return block;
  }));
}

/* One short line for a skater of the next pair: what she needs to lead, per classification. */
export function nextPairLine(facts, raceId, pairNumber, lane) {
  const found = targetsOf(facts, raceId, pairNumber, lane);
  if (!found.length) return null;
  return h("span", "classif-next", found.map(({ classification: c, target: t }) =>
    `${c.name}: ${t.rank ? `${ordinal(t.rank)}, ` : ""}${interpolate(gettext("lead %(time)s"), { time: t.lead.text }, true)}`).join(" · "));
}
