/*
 * What the board and the spectator page show the same way: times, the leads/behind rule, marks.
 *
 * The rule every screen follows: a time is green when it leads and red when it does not, and the
 * colour is never the only signal — a ▲/▼ sign goes with it, so a colour-blind spectator and a
 * washed-out stadium screen read the same thing.
 */
import { gettext } from "./i18n.js";

export const LANES = ["inner", "outer"];
export const LANE_NAMES = { inner: gettext("Inner"), outer: gettext("Outer") };
/* A team pursuit's two positions: where each team starts and finishes. */
export const STRAIGHTS = { inner: gettext("Home straight"), outer: gettext("Back straight") };
export const ARMBANDS = { inner: "white", outer: "red" };
/* A lane in words, inside a sentence ("pair 3 inner"). */
export const LANE_WORDS = { inner: gettext("inner"), outer: gettext("outer") };
/* The armbands' colours in words (ARMBANDS names the CSS classes, the same in every language). */
export const ARMBAND_NAMES = { inner: gettext("white armband"), outer: gettext("red armband") };

/* A race's state in words: the server sends "scheduled", "live" or "final". */
export function raceStateText(state) {
  return { scheduled: gettext("scheduled"), live: gettext("live"), final: gettext("final") }[state] ?? state;
}

/* Build an element: h("td", "time leads", "43.78") or h("div", "row", [child, child]). */
export function h(tag, className, content) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (content === undefined || content === null) return el;
  for (const part of Array.isArray(content) ? content : [content]) {
    if (part === null || part === undefined || part === false) continue;
    el.append(part instanceof Node ? part : document.createTextNode(String(part)));
  }
  return el;
}

/*
 * One standings row, as the board's list (li/span) and the spectator's table (tr/td) both show
 * it: rank, name with any demo mark, nation, time or status, gap to the winner, record.
 */
export function standingRow(s, { row, cell, className, rank, mark = null }) {
  const el = h(row, className, [
    h(cell, "rank", rank),
    h(cell, "name", [mark, s.name, invented(s.invented)]),
    h(cell, "nation", s.nation),
    h(cell, "time", s.time || s.status),
    h(cell, "behind", minus(s.behind)),
    h(cell, "record", s.record || ""),
  ]);
  el.dataset.pair = s.pair;
  el.dataset.lane = s.lane;
  return el;
}

/* Replace everything inside `el` in one go. */
export function fill(el, children) {
  el.replaceChildren(...children.filter(Boolean));
}

/* A running clock: tenths, truncated like every shown time ("7.3", "1:02.4"). */
export function runningTime(ms) {
  const tenths = Math.floor(Math.max(0, ms) / 100);
  const minutes = Math.floor(tenths / 600);
  const rest = tenths % 600;
  const seconds = Math.floor(rest / 10);
  const tenth = rest % 10;
  return minutes ? `${minutes}:${String(seconds).padStart(2, "0")}.${tenth}` : `${seconds}.${tenth}`;
}

/* The leads/behind class and sign of a passing (none for a disqualified skater's own times). */
export function verdict(passing) {
  if (passing.rank === null || passing.rank === undefined) return { cls: "unranked", sign: "", label: "" };
  return passing.leads
    ? { cls: "leads", sign: "▲", label: gettext("leads") }
    : { cls: "behind", sign: "▼", label: gettext("behind the leader") };
}

/* A real minus sign ("−0.17"): a hyphen is too thin to read from the stands. */
export function minus(text) {
  return text ? text.replace("-", "\u2212") : "";
}

/* The difference to the leader; empty for the very first time (nobody to compare with). */
export function diffText(passing) {
  return minus(passing.diff);
}

/* A time cell following the rule: class leads/behind, the ▲/▼ sign, the "*" of invented data. */
export function timeCell(p) {
  const v = verdict(p);
  const cell = h("td", `time ${v.cls}`, [h("span", "sign", v.sign), p.time, invented(p.invented)]);
  if (v.label) cell.title = v.label;
  cell.dataset.point = p.distance;
  return cell;
}

/*
 * One measuring point of a skater: point, time (the leads/behind rule), lap, rank, difference,
 * and an extra cell where a kind has one (a team pursuit's difference to the other team).
 */
export function splitRow(p, extra = null) {
  const row = h("tr", "split", [
    h("th", "point", `${p.distance} m`),
    timeCell(p),
    h("td", "lap", p.lap || ""),
    h("td", "rank", p.rank ?? ""),
    h("td", "diff", diffText(p) || ""),
    extra,
  ]);
  row.dataset.point = p.distance;
  return row;
}

/* A measuring point still to come: the row is there, empty, so the table does not jump. */
export function pendingSplitRow(distance, extra = null) {
  const row = h("tr", "split pending", [
    h("th", "point", `${distance} m`), h("td", "time", ""), h("td", "lap", ""), h("td", "rank", ""), h("td", "diff", ""),
    extra,
  ]);
  row.dataset.point = distance;
  return row;
}

/* PB and SB as a start list and the next pair show them ("PB 1:14.50 · SB 1:15.02"). */
export function bests(start) {
  const parts = [];
  if (start.pb) parts.push(h("span", "pb", [h("small", "", "PB "), start.pb]));
  if (start.sb) parts.push(h("span", "sb", [h("small", "", "SB "), start.sb]));
  return h("span", "bests", parts.length ? parts : null);
}

/* A screen must not dim or sleep; the browser drops the lock whenever the tab hides. */
export function keepAwake() {
  const ask = async () => {
    if (!("wakeLock" in navigator) || document.visibilityState !== "visible") return;
    try {
      await navigator.wakeLock.request("screen");
    } catch (e) {
      /* not allowed here (no user gesture, battery saver): the screen still works */
    }
  };
  ask();
  document.addEventListener("visibilitychange", ask);
}

/* The "*" that says a person's eyes are on invented demo data. */
export function invented(flag) {
  return flag ? h("span", "invented", "*") : null;
}

export function finishOf(start, race) {
  if (!start) return null;
  return start.passings.find((p) => p.distance === race.distance) || null;
}

/* A status worth a badge: DNS, DNF, DQ, or a fall. */
export function statusBadges(start) {
  const badges = [];
  if (start.status && start.status !== "OK") {
    const badge = h("span", `badge status status-${start.status.toLowerCase()}`, start.status);
    if (start.status_reason) badge.title = start.status_reason;
    badges.push(badge);
  }
  if (start.fell) badges.push(h("span", "badge status status-fall", gettext("FALL")));
  return badges;
}

export function recordBadge(mark) {
  return mark ? h("span", "badge record", mark) : null;
}

export function pairByNumber(state, number) {
  return state.pairs.find((p) => p.number === number) || null;
}

/*
 * The running clock of one skater: from the pair's start signal (server clock, corrected by the
 * offset) until her finish, which then stands; nothing runs before the start or after the race.
 * Returns {text, running}.
 */
export function laneClock(race, pair, start, serverNow) {
  if (!start) return { text: "", running: false };
  const finish = finishOf(start, race);
  if (finish) return { text: finish.time, running: false, finish };
  if (start.status === "DNS" || start.status === "DNF" || start.status === "DQ") {
    return { text: start.status, running: false };
  }
  if (pair.started_at === null || pair.started_at === undefined) return { text: "0.0", running: false };
  const elapsed = serverNow - pair.started_at;
  if (race.state !== "live" || elapsed > 30 * 60 * 1000) {
    const last = start.passings[start.passings.length - 1];
    return { text: last ? last.time : "", running: false };
  }
  // Never behind a time already recorded (a replay at speed, a clock offset not yet learnt).
  const last = start.passings.length ? start.passings[start.passings.length - 1].time_ms : 0;
  return { text: runningTime(Math.max(elapsed, last)), running: true };
}

/* Keep a screen's clocks moving: `tick()` runs ten times a second while the tab is visible. */
export function everyTenth(tick) {
  let last = 0;
  const frame = (t) => {
    if (t - last >= 50) {
      last = t;
      tick();
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/* Show the connection state without ever hiding what is on screen. */
export function showStatus(el, status) {
  el.dataset.status = status;
  el.textContent = {
    live: "", connecting: gettext("connecting…"), reconnecting: gettext("reconnecting…"),
    behind: gettext("behind: last results shown"),
  }[status] ?? status;
}

/* Set every [data-clock] under `root` for the current pair; touch the DOM only when it changes. */
export function updateClocks(root, state, serverNow) {
  const pair = pairByNumber(state, state.race.current_pair);
  if (!pair) return;
  for (const lane of LANES) {
    const el = root.querySelector(`[data-clock="${lane}"]`);
    if (!el) continue;
    if (el.childElementCount !== 2) el.replaceChildren(h("span", "sign"), h("span", "digits"));
    const [sign, digits] = el.children;
    const clock = laneClock(state.race, pair, pair[lane], serverNow);
    const v = clock.finish ? verdict(clock.finish) : null;
    const cls = `clock ${clock.running ? "running" : "stopped"}${v ? ` ${v.cls}` : ""}`;
    if (sign.textContent !== (v ? v.sign : "")) sign.textContent = v ? v.sign : "";
    if (digits.textContent !== clock.text) digits.textContent = clock.text;
    if (el.className !== cls) el.className = cls;
  }
}
