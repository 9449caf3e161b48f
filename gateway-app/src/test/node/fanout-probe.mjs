// Room fan-out probe for io.wagateway.socket.RoomFanOutTest: real socket.io-client sockets, each
// joined to one session room, recording how the events the test publishes arrive.
//
// argv[2]  a JSON file: {url, clients: [{name, token, sessionId, transport, lazy?}]}
//          messageIds of the published events end in "-<n>", n = 1, 2, 3... per room
// stdout   "READY" once every client that is not lazy has joined; "JOINED <name>", "PAUSED <name>",
//          and "REPORT {name: {...}}" as answers to the commands
// stdin    "JOIN <name>": connect a lazy client and join its room
//          "REJOIN <name>": send join_session again on the client's socket; answers
//          "REJOINED <name> session_joined" or "REJOINED <name> error <code>"
//          "PAUSE <name>": stop reading the websocket's TCP socket (a slow reader)
//          "REPORT {name: expected, ...}": wait (at most 30 s) until those clients have that many
//          events, then report every client
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { io } from "socket.io-client";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const clients = new Map();

function send(kind, value) {
  process.stdout.write(`${kind} ${typeof value === "string" ? value : JSON.stringify(value)}\n`);
}

function open(spec) {
  const state = {
    socket: null, joined: false, received: 0, outOfOrder: 0, gaps: 0, firstSeq: null, lastSeq: null,
    eventsBeforeJoined: 0, sequence: [], disconnectReason: null,
  };
  clients.set(spec.name, state);
  return new Promise((resolve, reject) => {
    const socket = io(config.url, { auth: { token: spec.token }, transports: [spec.transport], forceNew: true, reconnection: false });
    state.socket = socket;
    const record = (event) => {
      if (!state.joined) state.eventsBeforeJoined++;
      const seq = Number(event.messageId.slice(event.messageId.lastIndexOf("-") + 1));
      if (state.lastSeq !== null) {
        if (seq <= state.lastSeq) state.outOfOrder++;
        else if (seq !== state.lastSeq + 1) state.gaps++;
      } else {
        state.firstSeq = seq;
      }
      state.lastSeq = seq;
      state.received++;
    };
    socket.on("message_status_updated", record);
    socket.on("message_received", record);
    // The first few events in arrival order, names only: the join's session_joined and snapshot come first.
    socket.onAny((name) => { if (state.sequence.length < 4) state.sequence.push(name); });
    socket.on("connected", () => socket.emit("join_session", spec.sessionId));
    socket.on("session_joined", () => { state.joined = true; resolve(); });
    socket.on("connect_error", (err) => reject(new Error(`${spec.name}: ${err.message}`)));
    socket.on("disconnect", (reason) => { state.disconnectReason = reason; });
  });
}

function waitFor(expected) {
  return new Promise((resolve) => {
    const deadline = Date.now() + 30_000;
    const check = () => {
      const done = Object.entries(expected).every(([name, n]) => clients.get(name).received >= n);
      if (done || Date.now() > deadline) resolve();
      else setTimeout(check, 20);
    };
    check();
  });
}

const specs = new Map(config.clients.map((c) => [c.name, c]));
await Promise.all(config.clients.filter((c) => !c.lazy).map(open));
send("READY", "");
for await (const line of createInterface({ input: process.stdin })) {
  const [command, ...rest] = line.split(" ");
  const arg = rest.join(" ");
  if (command === "JOIN") {
    await open(specs.get(arg));
    send("JOINED", arg);
  } else if (command === "REJOIN") {
    const { socket } = clients.get(arg);
    const outcome = await new Promise((resolve) => {
      const joined = () => { socket.off("error", failed); resolve("session_joined"); };
      const failed = (e) => { socket.off("session_joined", joined); resolve(`error ${e.code}`); };
      socket.once("session_joined", joined);
      socket.once("error", failed);
      socket.emit("join_session", specs.get(arg).sessionId);
    });
    send("REJOINED", `${arg} ${outcome}`);
  } else if (command === "PAUSE") {
    // engine.io-client's websocket transport on Node is the ws package; its TCP socket stops being read.
    clients.get(arg).socket.io.engine.transport.ws._socket.pause();
    send("PAUSED", arg);
  } else if (command === "REPORT") {
    await waitFor(JSON.parse(arg));
    const report = {};
    for (const [name, s] of clients) {
      const { socket, ...figures } = s;
      report[name] = figures;
    }
    send("REPORT", report);
  } else if (command === "END") {
    break;
  }
}
for (const s of clients.values()) s.socket.close();
setTimeout(() => process.exit(0), 500).unref();
