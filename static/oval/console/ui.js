/*
 * What every part of the console shares: the race as the server last described it, the pair on
 * screen, and where things are on the page. Only the server's snapshot fills `state`.
 */
import { pairByNumber } from "../show.js";

const root = document.getElementById("console");

export const ui = {
  root,
  raceId: Number(root.dataset.race),
  kind: root.dataset.kind, // "individual", "team_pursuit" or "mass_start": the console's shape
  state: null, // the last snapshot or update (live.js)
  viewPair: null, // the pair on screen; follows the race's current pair unless the official picks another
  followCurrent: true,
  editing: null, // {id, lane, time, reason} of the open correction
  live: null,
};

export const $ = (id) => document.getElementById(id);
export const part = (lane, role) => $(`lane-${lane}`).querySelector(`[data-role="${role}"]`);
export const api = (path) => `/api/races/${ui.raceId}${path}`;

/* Where an entry went, in the race's words: a team pursuit skates heats on the straights. */
const STRAIGHT = { inner: "home straight", outer: "back straight" };
export const laneName = (lane) => (ui.kind === "team_pursuit" ? STRAIGHT[lane] : lane);
export function where(pair, lane) {
  return `${ui.kind === "team_pursuit" ? "heat" : "pair"} ${pair} ${laneName(lane)}`;
}

export function viewed() {
  return ui.state ? pairByNumber(ui.state, ui.viewPair) : null;
}

/* After a write, the socket should bring its version soon; if it does not, ask for the snapshot. */
export function expect(version) {
  setTimeout(() => {
    if (ui.live && ui.live.state && ui.live.state.version < version) ui.live.resync();
  }, 800);
}
