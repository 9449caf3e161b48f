// Load generator for `./gateway bench --compare --idle`: opens many authenticated socket.io-client
// sockets at a steady rate, each joined to one session room (as the frontend guide does: auth.token,
// "connected", join_session, session_joined and the session_status_changed snapshot), then holds
// them idle while the server's pings come and go, and finally checks that every socket is still
// connected and that an event published to every room reached every socket.
//
// Protocol (one JSON document per line):
//   argv[2]  a JSON file: {url, clients: [{token, sessionId}], rate (sockets opened per second),
//            maxInFlight (handshakes under way at most)}
//   stdout   "READY {opened, joined, failed, firstError, connectMs, pingIntervalMs, pingTimeoutMs}"
//            once every socket has its snapshot (or has failed);
//            "RESULT {...}" after "CHECK"
//   stdin    "CHECK {events}": every socket should get `events` message_status_updated events;
//            waits for them (at most 30 s), then reports alive sockets, disconnects, the pings each
//            socket saw and how many sockets got all the events.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { io } from "socket.io-client";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const clients = [];   // {socket, pings, received, disconnected}
let disconnects = 0;
let firstDisconnectReason;
let pingIntervalMs;
let pingTimeoutMs;
let totalReceived = 0;

function send(kind, value) {
  process.stdout.write(`${kind} ${JSON.stringify(value)}\n`);
}

function openClient({ token, sessionId }) {
  return new Promise((resolve) => {
    const socket = io(config.url, { auth: { token }, transports: ["websocket"], forceNew: true, reconnection: false, timeout: 30_000 });
    const client = { socket, pings: 0, received: 0, disconnected: false };
    clients.push(client);
    let done = false;
    const finish = (result) => { if (!done) { done = true; resolve(result); } };
    // The engine's handshake: the ping interval and timeout this server announces.
    socket.io.on("open", () => {
      const engine = socket.io.engine;
      pingIntervalMs ??= engine._pingInterval ?? engine.pingInterval;
      pingTimeoutMs ??= engine._pingTimeout ?? engine.pingTimeout;
    });
    socket.io.on("ping", () => client.pings++);
    socket.on("message_status_updated", () => { client.received++; totalReceived++; });
    socket.on("disconnect", (reason) => {
      client.disconnected = true;
      disconnects++;
      firstDisconnectReason ??= reason;
      finish({ ok: false, error: `disconnect: ${reason}` });
    });
    socket.on("connect_error", (err) => finish({ ok: false, error: err.message }));
    socket.on("connected", () => socket.emit("join_session", sessionId));
    socket.on("error", (err) => finish({ ok: false, error: `error: ${err?.code} ${err?.message}` }));
    socket.on("session_status_changed", (event) => { if (event.sessionId === sessionId) finish({ ok: true }); });
  });
}

// Steady ramp: socket i is opened at start + i / rate, unless maxInFlight handshakes are under way
// (then it waits for one of them: a server that falls behind is not flooded).
async function connectAll() {
  const started = Date.now();
  const results = [];
  let next = 0;
  let inFlight = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(config.clients.length, Math.floor(((Date.now() - started) * config.rate) / 1000) + 1);
      while (next < due && inFlight < config.maxInFlight) {
        inFlight++;
        openClient(config.clients[next++]).then((r) => {
          inFlight--;
          results.push(r);
          if (results.length === config.clients.length) resolve();
        });
      }
      if (next < config.clients.length) setTimeout(tick, 5);
    };
    tick();
  });
  const failed = results.filter((r) => !r.ok);
  send("READY", {
    opened: clients.length,
    joined: results.length - failed.length,
    failed: failed.length,
    firstError: failed[0]?.error,
    connectMs: Date.now() - started,
    pingIntervalMs,
    pingTimeoutMs,
  });
}

function waitForEvents(events) {
  return new Promise((resolve) => {
    const deadline = Date.now() + 30_000;
    const check = () => {
      const all = clients.every((c) => c.disconnected || c.received >= events);
      if (all || Date.now() > deadline) resolve();
      else setTimeout(check, 20);
    };
    check();
  });
}

await connectAll();
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.startsWith("CHECK ")) continue;
  const { events } = JSON.parse(line.slice(6));
  await waitForEvents(events);
  const pings = clients.map((c) => c.pings);
  send("RESULT", {
    clients: clients.length,
    alive: clients.filter((c) => c.socket.connected && !c.disconnected).length,
    disconnects,
    firstDisconnectReason,
    pingsMin: Math.min(...pings),
    pingsMax: Math.max(...pings),
    gotAll: clients.filter((c) => c.received >= events).length,
    received: totalReceived,
  });
  break;
}
clients.forEach((c) => c.socket.close());
// Closing sockets answers their pending requests; do not wait on stragglers.
setTimeout(() => process.exit(0), 2000).unref();
