/*
 * The live connection every Oval screen shares.
 *
 * Why it is shaped like this: a screen may miss messages (a sleeping tab, a dropped socket, a
 * lost broadcast), so nothing it shows may depend on having received every one. It starts from a
 * full snapshot, applies updates only in version order, and on any doubt (a version gap, a dead
 * socket) goes back to a full snapshot. It never clears what it shows: the last state stays up
 * while it reconnects, forever, with a back-off that cannot hammer a recovering server.
 */

const MAX_BACKOFF_MS = 10000;
const FIRST_BACKOFF_MS = 500;
const DEAD_AFTER_MS = 20000; // the server sends a heartbeat every 15 s
const OFFSET_SAMPLES = 20;
const WATCH_MS = 1000;
export const MAX_DELAY_S = 600;
const DELAY_KEY = "oval.delay";

/*
 * The server's clock as seen from here. Every message carries server_time; a sample
 * server_time - Date.now() can only come out too small (the message spent time on the wire), so
 * the largest recent sample is the best estimate. After a tab sleeps or the local clock jumps,
 * old samples lie, so they are dropped and the estimate starts again from the next message.
 */
export class ServerClock {
  constructor() {
    this.samples = [];
    this.offset = 0;
  }

  sample(serverTime) {
    if (typeof serverTime !== "number") return;
    this.samples.push(serverTime - Date.now());
    if (this.samples.length > OFFSET_SAMPLES) this.samples.shift();
    this.offset = Math.max(...this.samples);
  }

  forget() {
    this.samples = []; // keep the old offset until a fresh sample replaces it
  }

  now() {
    return Date.now() + this.offset;
  }
}

function socketUrl(path) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}/ws/${path}/`;
}

/*
 * What can be followed (the server's timing/topics.py): its socket and snapshot address, the
 * state a snapshot gives, and how one update moves that state on.
 */
/* Every part of a race's state, whatever its kind: a mass start adds skaters, sprints and more. */
const NOT_STATE = new Set(["type", "server_time", "change"]);
const raceState = (msg) => Object.fromEntries(Object.entries(msg).filter(([k]) => !NOT_STATE.has(k)));

const RACE = {
  path: (id) => `races/${id}`,
  fromSnapshot: raceState,
  apply(state, msg) {
    const byNumber = new Map(msg.pairs.map((p) => [p.number, p]));
    return {
      ...state,
      ...raceState(msg),
      version: msg.version,
      race: msg.race,
      // all_pairs: a start-list edit added or removed a pair, so the message holds every pair.
      pairs: msg.all_pairs ? msg.pairs : state.pairs.map((p) => byNumber.get(p.number) || p),
      standings: msg.standings || state.standings,
      change: msg.change,
      type: msg.type,
    };
  },
};

/* A schedule update is the whole schedule (a day's races): it simply replaces the state. */
const COMPETITION = {
  path: (id) => `competitions/${id}`,
  fromSnapshot: (msg) => ({
    version: msg.version, competition: msg.competition, races: msg.races, on_ice: msg.on_ice,
    venue: msg.venue, screens: msg.screens || {},
  }),
  apply: (state, msg) => ({ ...COMPETITION.fromSnapshot(msg), change: msg.change, type: msg.type }),
};

/*
 * Follows one topic. `onState(state)` gets the topic's state after every change (a race:
 * {version, race, pairs, standings}; a competition: {version, competition, races, on_ice});
 * `onStatus(status)` gets "connecting", "live", "reconnecting" or "behind" (connected, but the
 * server cannot reach its database: the picture is the last one, not the latest).
 * A screen that switches to another race calls `stop()` on the feed it no longer needs.
 */
export class LiveFeed {
  constructor(topic, id, { onState, onStatus = () => {}, onMessage = () => {}, delaySeconds = 0 }) {
    this.topic = topic;
    this.id = id;
    this.onState = onState;
    this.delayMs = clampDelay(delaySeconds) * 1000;
    this.shown = null; // the state on screen: `state` as it was `delayMs` ago
    this.queue = []; // [due (performance.now() ms), state] not yet shown
    this.queueTimer = null;
    this.onStatus = onStatus;
    this.onMessage = onMessage; // every message as it comes, for types the topic's state does not hold
    this.clock = new ServerClock();
    this.state = null;
    this.seen = -1; // the highest version any message has announced
    this.ws = null;
    this.attempts = 0;
    this.retryTimer = null;
    this.resyncing = false;
    this.lastMessage = performance.now();
    this.lastWall = Date.now();
    this.lastMono = performance.now();
  }

  start() {
    this.connect();
    this.watcher = setInterval(() => this.watch(), WATCH_MS);
    this.onVisible = () => {
      if (document.visibilityState === "visible") this.wake();
    };
    document.addEventListener("visibilitychange", this.onVisible);
    return this;
  }

  /* Close for good: no reconnect, no handler called again. */
  stop() {
    this.stopped = true;
    clearInterval(this.watcher);
    clearTimeout(this.retryTimer);
    document.removeEventListener("visibilitychange", this.onVisible);
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onmessage = null;
      ws.onclose = null;
      // Closing a socket still connecting makes the browser log an error: close it once open.
      if (ws.readyState === WebSocket.CONNECTING) ws.onopen = () => ws.close(1000, "done");
      else ws.close(1000, "done");
    }
  }

  setStatus(status) {
    if (status === this.status) return;
    this.status = status;
    this.onStatus(status);
  }

  connect() {
    this.retryTimer = null;
    this.setStatus(this.state ? "reconnecting" : "connecting");
    let ws;
    try {
      ws = new WebSocket(socketUrl(this.topic.path(this.id)));
    } catch (e) {
      this.retry();
      return;
    }
    this.ws = ws;
    this.lastMessage = performance.now();
    ws.onmessage = (event) => {
      if (ws !== this.ws) return;
      this.lastMessage = performance.now();
      let msg;
      try {
        msg = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      this.receive(msg);
    };
    ws.onclose = () => {
      if (ws !== this.ws) return;
      this.ws = null;
      this.retry();
    };
  }

  /* Give up on this socket (dead, or its history doubtful) and start a fresh one. */
  drop() {
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onmessage = null;
      ws.onclose = null;
      try {
        ws.close(4000, "resync");
      } catch (e) {
        /* already closed */
      }
    }
    this.retry();
  }

  retry() {
    if (this.retryTimer !== null || this.stopped) return;
    this.setStatus(this.state ? "reconnecting" : "connecting");
    const ceiling = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** this.attempts);
    this.attempts += 1;
    const delay = ceiling / 2 + Math.random() * (ceiling / 2); // jitter: screens do not return in step
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  receive(msg) {
    this.clock.sample(msg.server_time);
    if (msg.type === "heartbeat") return;
    if (msg.type === "database") {
      // The server cannot reach its database: what is shown stays, marked as behind, until it can.
      if (this.status === "live" || this.status === "behind") this.setStatus(msg.available ? "live" : "behind");
      return;
    }
    this.onMessage(msg);
    if (typeof msg.version !== "number") return;
    this.seen = Math.max(this.seen, msg.version);
    if (msg.type === "snapshot") {
      this.attempts = 0;
      this.setStatus("live");
      if (!this.state || msg.version >= this.state.version) this.replace(this.topic.fromSnapshot(msg));
      return;
    }
    if (!this.state || msg.version <= this.state.version) return; // old news
    if (msg.version > this.state.version + 1) {
      this.resync(); // something was missed: the update alone cannot be trusted
      return;
    }
    this.replace(this.topic.apply(this.state, msg));
  }

  replace(state) {
    if (this.stopped) return;
    this.state = state;
    if (this.delayMs === 0) {
      this.show(state);
      return;
    }
    this.queue.push([performance.now() + this.delayMs, state]);
    this.release();
  }

  show(state) {
    this.shown = state;
    this.onState(state);
  }

  /* Show every queued state whose time has come, in the order they arrived. */
  release() {
    const now = performance.now();
    while (this.queue.length && this.queue[0][0] <= now) this.show(this.queue.shift()[1]);
    clearTimeout(this.queueTimer);
    this.queueTimer = this.queue.length ? setTimeout(() => this.release(), this.queue[0][0] - now) : null;
  }

  /*
   * The moment on screen, in the server's clock: now, or `delay` seconds ago for a viewer of a TV
   * stream. Running clocks count from it, so they run exactly as late as the times they show.
   */
  now() {
    return this.clock.now() - this.delayMs;
  }

  /* Change the delay (a viewer syncing to her stream): what is queued is re-timed, nothing lost. */
  setDelay(seconds) {
    const next = clampDelay(seconds) * 1000;
    const shift = next - this.delayMs;
    this.delayMs = next;
    this.queue = this.queue.map(([due, state]) => [due + shift, state]);
    if (next === 0 && this.state && this.state !== this.shown) this.queue.push([0, this.state]);
    this.release();
  }

  /* Reload the HTTP snapshot (same shape); if that fails or lags behind, reconnect instead. */
  async resync() {
    if (this.resyncing) return;
    this.resyncing = true;
    try {
      for (let tries = 0; tries < 3; tries++) {
        const response = await fetch(`/api/${this.topic.path(this.id)}/`, { cache: "no-store" });
        if (!response.ok) throw new Error(`snapshot: HTTP ${response.status}`);
        const snap = await response.json();
        if (snap.version > this.state.version) this.replace(this.topic.fromSnapshot(snap));
        if (this.state.version >= this.seen) return;
      }
      throw new Error("snapshot keeps lagging behind the updates");
    } catch (e) {
      this.drop(); // the socket's snapshot is the other way back to the truth
    } finally {
      this.resyncing = false;
    }
  }

  watch() {
    const wall = Date.now();
    const mono = performance.now();
    // The local clock jumped, or the tab was frozen: clock samples from before are worthless.
    if (Math.abs(wall - this.lastWall - (mono - this.lastMono)) > 1000) this.clock.forget();
    this.lastWall = wall;
    this.lastMono = mono;
    if (this.ws && mono - this.lastMessage > DEAD_AFTER_MS) this.drop();
  }

  wake() {
    this.clock.forget();
    if (this.ws && performance.now() - this.lastMessage > DEAD_AFTER_MS) this.drop();
  }
}

/* A delay in whole seconds from 0 to MAX_DELAY_S; anything else (not a number, negative) is 0. */
export function clampDelay(value) {
  const n = Math.floor(Number(value));
  return Number.isFinite(n) && n > 0 ? Math.min(n, MAX_DELAY_S) : 0;
}

/*
 * The delay this page asked for: ?delay=<seconds> in its address, else what this device chose
 * last time (a phone watching the same TV stream every weekend keeps its delay).
 */
export function requestedDelay({ remember = false } = {}) {
  const asked = new URLSearchParams(location.search).get("delay");
  if (asked !== null) return clampDelay(asked);
  if (!remember) return 0;
  try {
    return clampDelay(localStorage.getItem(DELAY_KEY));
  } catch (e) {
    return 0;
  }
}

export function rememberDelay(seconds) {
  try {
    localStorage.setItem(DELAY_KEY, String(clampDelay(seconds)));
  } catch (e) {
    /* private mode: the delay still holds for this visit */
  }
}

/* Follow one race: what the board, the spectator page and the console show. */
export function follow(raceId, handlers) {
  return new LiveFeed(RACE, raceId, handlers).start();
}

/* Follow a competition's schedule: what venue screens switch on. */
export function followCompetition(competitionId, handlers) {
  return new LiveFeed(COMPETITION, competitionId, handlers).start();
}
