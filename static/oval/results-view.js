/*
 * The board's result list: once a race is closed (state "final") the board shows the whole list
 * instead of the last pair, and goes back to the pairs if the race is reopened.
 *
 * The list is the server's (GET /api/races/<id>/results, timing/results.py): ranks, gaps,
 * records and the reasons of DNS/DNF/DQ are shown as sent, never worked out here. It is fetched
 * once per race version; a failed fetch is retried while the race stays final, and the pairs
 * stay up until the list has arrived, so the screen is never blank.
 */
import { gettext } from "./i18n.js";
import { fill, h, standingRow } from "./show.js";

const RETRY_MS = 2000;

function resultRow(r) {
  const el = standingRow(r, { row: "li", cell: "span", className: `standing result-row${r.rank ? "" : " unranked"}`, rank: r.rank ?? "" });
  if (r.note) el.append(h("span", "reason", r.note));
  return el;
}

function render(section, list) {
  const rows = [...list.ranked, ...list.unranked];
  const ol = h("ol", "standings result-rows", rows.map(resultRow));
  // Two columns share each row's height; a reason adds a short line. The stylesheet sizes the
  // type so that this many lines fill the board's middle band, whatever the size of the field.
  const perColumn = Math.max(1, Math.ceil(rows.length / 2));
  ol.style.setProperty("--rows", perColumn);
  ol.style.setProperty("--lines", perColumn + 0.6 * rows.filter((r) => r.note).length);
  fill(section, [
    h("h2", "", [
      gettext("Result list"),
      h("span", list.official ? "official-mark official" : "official-mark unofficial", list.official ? gettext("official") : gettext("UNOFFICIAL")),
    ]),
    ol,
  ]);
  section.dataset.version = list.version;
}

/* Follows the race state on `root` (#board); `update(state)` after every change. */
export function resultsView(root, raceId) {
  const section = root.querySelector("#results"); // root may not be in the document yet (screen.js)
  let wanted = null; // the version whose list should be on screen, or null for the pairs
  let shown = null;
  let retry = null;

  async function load(version) {
    clearTimeout(retry);
    try {
      const response = await fetch(`/api/races/${raceId}/results`, { cache: "no-store" });
      if (!response.ok) throw new Error(`results: HTTP ${response.status}`);
      const list = await response.json();
      if (wanted === null || list.version < wanted) return; // reopened meanwhile, or an older copy
      render(section, list);
      shown = list.version;
      section.hidden = false;
      root.dataset.view = "results";
    } catch (e) {
      if (wanted === version) retry = setTimeout(() => wanted === version && load(version), RETRY_MS);
    }
  }

  return {
    update(state) {
      if (state.race.state !== "final") {
        wanted = null;
        clearTimeout(retry);
        section.hidden = true;
        root.dataset.view = "pairs";
        return;
      }
      if (wanted === state.version) return;
      wanted = state.version;
      if (shown !== state.version) load(state.version);
    },
  };
}
