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

function socketUrl(raceId) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}/ws/races/${raceId}/`;
}

function fromSnapshot(msg) {
  return { version: msg.version, race: msg.race, pairs: msg.pairs, standings: msg.standings };
}

/*
 * Follows one race. `onState(state)` gets {version, race, pairs, standings} after every change;
 * `onStatus(status)` gets "connecting", "live" or "reconnecting".
 */
export class LiveRace {
  constructor(raceId, { onState, onStatus = () => {} }) {
    this.raceId = raceId;
    this.onState = onState;
    this.onStatus = onStatus;
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
    setInterval(() => this.watch(), WATCH_MS);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.wake();
    });
    return this;
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
      ws = new WebSocket(socketUrl(this.raceId));
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
    if (this.retryTimer !== null) return;
    this.setStatus(this.state ? "reconnecting" : "connecting");
    const ceiling = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** this.attempts);
    this.attempts += 1;
    const delay = ceiling / 2 + Math.random() * (ceiling / 2); // jitter: screens do not return in step
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  receive(msg) {
    this.clock.sample(msg.server_time);
    if (msg.type === "heartbeat") return;
    if (typeof msg.version !== "number") return;
    this.seen = Math.max(this.seen, msg.version);
    if (msg.type === "snapshot") {
      this.attempts = 0;
      this.setStatus("live");
      if (!this.state || msg.version >= this.state.version) this.replace(fromSnapshot(msg));
      return;
    }
    if (!this.state || msg.version <= this.state.version) return; // old news
    if (msg.version > this.state.version + 1) {
      this.resync(); // something was missed: the update alone cannot be trusted
      return;
    }
    const byNumber = new Map(msg.pairs.map((p) => [p.number, p]));
    this.replace({
      version: msg.version,
      race: msg.race,
      pairs: this.state.pairs.map((p) => byNumber.get(p.number) || p),
      standings: msg.standings || this.state.standings,
      change: msg.change,
      type: msg.type,
    });
  }

  replace(state) {
    this.state = state;
    this.onState(state);
  }

  /* Reload the HTTP snapshot (same shape); if that fails or lags behind, reconnect instead. */
  async resync() {
    if (this.resyncing) return;
    this.resyncing = true;
    try {
      for (let tries = 0; tries < 3; tries++) {
        const response = await fetch(`/api/races/${this.raceId}/`, { cache: "no-store" });
        if (!response.ok) throw new Error(`snapshot: HTTP ${response.status}`);
        const snap = await response.json();
        if (snap.version > this.state.version) this.replace(fromSnapshot(snap));
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

export function follow(raceId, handlers) {
  return new LiveRace(raceId, handlers).start();
}
