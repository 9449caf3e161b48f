// Load generator for io.wagateway.bench.Bench: holds many authenticated socket.io-client sockets,
// each joined to one session room, and measures how the events published by the bench arrive.
//
// Protocol (one JSON document per line):
//   argv[2]  a JSON file: {url, transport, clients: [{token, sessionId}], connectConcurrency, order}
//            order "sequence" (default): messageIds end in a per-room sequence number that must grow;
//            order "status": each message's statuses must go forward (SENT, DELIVERED, READ)
//   stdout   "READY {connected, joined, failed, connectMs}" once every socket has joined its room,
//            then "RESULT {...}" at the end
//   stdin    "RESET {expected}" after a warm-up: waits for that many deliveries (see waitFor),
//            forgets everything measured so far but the disconnects and answers
//            "RESET_OK {received, p99Ms, maxMs, disconnects}" (the warm-up's latency, capped at 60 s);
//            "DONE {expected}" once the bench has stopped publishing: the number of deliveries
//            this process should see; it then waits for them (see waitFor) and reports, with
//            "silent": the clients that got no delivery since the RESET.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { io } from "socket.io-client";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const MAX_LATENCY_MS = 60_000;
const histogram = new Uint32Array(MAX_LATENCY_MS + 1); // latency in ms -> count
const sockets = [];
let received = 0;
let outOfOrder = 0;
let disconnects = 0; // since the clients joined: one lost in the warm-up gets nothing while measured
const disconnectReasons = {};
let firstAt = 0;
let lastAt = 0;
const RANK = { PENDING: 0, SENT: 1, DELIVERED: 2, READ: 3, FAILED: 4 };
const FINAL = 3;

function send(kind, value) {
  process.stdout.write(`${kind} ${JSON.stringify(value)}\n`);
}

function openClient({ token, sessionId }) {
  return new Promise((resolve) => {
    const socket = io(config.url, { auth: { token }, transports: [config.transport], forceNew: true, reconnection: false, timeout: 20_000 });
    sockets.push(socket);
    let lastSeq = -1;
    const ranks = new Map(); // order "status": messageId -> last status rank, until its final status
    socket.got = 0; // deliveries since the last RESET
    socket.gotEver = 0;
    socket.on("message_status_updated", (event) => {
      const now = Date.now();
      socket.got++;
      socket.gotEver++;
      const latency = Math.min(MAX_LATENCY_MS, Math.max(0, now - Date.parse(event.timestamp)));
      histogram[latency]++;
      received++;
      if (firstAt === 0) firstAt = now;
      lastAt = now;
      if (config.order === "status") {
        const rank = RANK[event.status] ?? -1;
        if (rank <= (ranks.get(event.messageId) ?? 0)) outOfOrder++;
        if (rank >= FINAL) ranks.delete(event.messageId);
        else ranks.set(event.messageId, rank);
        return;
      }
      const seq = Number(event.messageId.slice(event.messageId.lastIndexOf("-") + 1));
      if (seq <= lastSeq) outOfOrder++;
      lastSeq = seq;
    });
    socket.on("disconnect", (reason) => {
      disconnects++;
      disconnectReasons[reason] = (disconnectReasons[reason] ?? 0) + 1;
    });
    socket.on("connect_error", (err) => resolve({ ok: false, error: err.message }));
    socket.on("session_joined", () => resolve({ ok: true }));
    socket.on("connected", () => socket.emit("join_session", sessionId));
  });
}

async function connectAll() {
  const started = Date.now();
  const results = [];
  let next = 0;
  async function lane() {
    while (next < config.clients.length) {
      const client = config.clients[next++];
      results.push(await openClient(client));
    }
  }
  await Promise.all(Array.from({ length: config.connectConcurrency }, lane));
  const failed = results.filter((r) => !r.ok);
  send("READY", {
    connected: sockets.filter((s) => s.connected).length,
    joined: results.length - failed.length,
    failed: failed.length,
    firstError: failed[0]?.error,
    connectMs: Date.now() - started,
  });
}

// Waits for `expected` deliveries while they keep coming: until none has come for QUIET_MS (or
// MAX_WAIT_MS have passed). A fixed wait counted as lost what a server still had queued (messages
// waiting for their engine arrive late, and the latency measured from each ack does not show it).
const QUIET_MS = 15_000;
const MAX_WAIT_MS = 300_000;
function waitFor(expected) {
  return new Promise((resolve) => {
    const start = Date.now();
    const check = () => {
      const now = Date.now();
      const quiet = now - Math.max(start, lastAt);
      if (received >= expected || quiet > QUIET_MS || now - start > MAX_WAIT_MS) resolve();
      else setTimeout(check, 20);
    };
    check();
  });
}

// The latency (ms) at or below which that share of the deliveries so far came (1: the largest).
function percentile(share) {
  const rank = Math.ceil(share * received);
  let seen = 0;
  for (let ms = 0; ms <= MAX_LATENCY_MS; ms++) {
    seen += histogram[ms];
    if (seen >= rank && seen > 0) return ms;
  }
  return 0;
}

const cpuAtStart = process.cpuUsage();
await connectAll();
let cpuAfterConnect = process.cpuUsage(cpuAtStart); // after a RESET: the CPU used until then
for await (const line of createInterface({ input: process.stdin })) {
  if (line.startsWith("RESET ")) {
    await waitFor(JSON.parse(line.slice(6)).expected);
    const seen = received;
    const warmup = { received: seen, p99Ms: percentile(0.99), maxMs: percentile(1), disconnects };
    histogram.fill(0);
    sockets.forEach((x) => { x.got = 0; });
    received = outOfOrder = firstAt = lastAt = 0;
    cpuAfterConnect = process.cpuUsage(cpuAtStart);
    send("RESET_OK", warmup);
    continue;
  }
  if (!line.startsWith("DONE ")) continue;
  const { expected } = JSON.parse(line.slice(5));
  await waitFor(expected);
  const cpu = process.cpuUsage(cpuAtStart);
  const buckets = [];
  histogram.forEach((count, ms) => { if (count) buckets.push([ms, count]); });
  send("RESULT", {
    expected, received, outOfOrder, disconnects, disconnectReasons, firstAt, lastAt, buckets,
    // Clients that got nothing while measured (and of them, nothing since they joined), connected or not.
    silent: sockets.filter((x) => x.got === 0).length,
    silentSinceJoined: sockets.filter((x) => x.gotEver === 0).length,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    cpuConnectMs: Math.round((cpuAfterConnect.user + cpuAfterConnect.system) / 1000),
  });
  break;
}
sockets.forEach((s) => s.close());
// Closing sockets answers their pending requests; do not wait on stragglers.
setTimeout(() => process.exit(0), 2000).unref();
