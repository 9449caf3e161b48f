// The Socket.IO endpoint against the real socket.io-client, the way the frontend guide uses it.
// Run by io.wagateway.socket.SocketIoClientTest (through `./gateway test` / `mvn install`), which
// starts the gateways and passes users, sessions and URLs in GATEWAY_SOCKETIO_TEST.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Client, ISO_MILLIS, sleep } from "./client.mjs";

const cfg = JSON.parse(process.env.GATEWAY_SOCKETIO_TEST ?? "null");
if (!cfg) throw new Error("GATEWAY_SOCKETIO_TEST is not set: run through SocketIoClientTest (./gateway test)");

const MAIN = cfg.main.socketUrl;
const { users, sessions, limits } = cfg;
const TRANSPORTS = { "websocket+polling": ["websocket", "polling"], "polling only": ["polling"] };
const BOTH = TRANSPORTS["websocket+polling"];
const POLLING = TRANSPORTS["polling only"];
/** How long "nothing more arrives" is watched for. */
const QUIET_MS = 400;
const INVALID_SESSION = { message: "Invalid session ID or access denied", code: "INVALID_SESSION" };

/** A client factory whose clients are closed when the test ends. */
function clients(t) {
  const made = [];
  t.after(() => made.forEach((c) => c.close()));
  return (url, opts) => {
    const c = new Client(url, opts);
    made.push(c);
    return c;
  };
}

const as = (user, transports = BOTH, extra = {}) => ({ auth: { token: users[user].token }, transports, ...extra });

async function post(url, body, headers = {}) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  assert.equal(res.status, 200, `${url}: ${res.status} ${text}`);
  return JSON.parse(text);
}

/** Publishes through the gateway's event bus (Java side), in order; resolves once published. */
const publish = (sessionId, body, gateway = "main") => post(`${cfg.control}/publish`, { gateway, sessionId, ...body });

const iso = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();
const messageEvent = (messageId, status = "SENT", extra = {}) =>
  ({ type: "message_status_updated", messageId, status, timestamp: iso(), ...extra });

function base64url(value) {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function withBadSignature(token) {
  const [header, payload, signature] = token.split(".");
  const first = signature[0] === "A" ? "B" : "A";
  return `${header}.${payload}.${first}${signature.slice(1)}`;
}

function withAlgNone(token) {
  const payload = token.split(".")[1];
  return `${base64url({ alg: "none", typ: "JWT" })}.${payload}.`;
}

// ---- connecting ------------------------------------------------------------------------------

for (const [name, transports] of Object.entries(TRANSPORTS)) {
  test(`${name}: connect, then 'connected' exactly once with userId and an ISO timestamp`, async (t) => {
    const open = clients(t);
    const alice = open(MAIN, as("alice", transports));
    const payload = await alice.connected();
    assert.deepEqual(payload, { message: "Connected to WhatsApp Gateway", userId: users.alice.id, timestamp: payload.timestamp });
    assert.match(payload.timestamp, ISO_MILLIS);
    assert.ok(Math.abs(Date.parse(payload.timestamp) - Date.now()) < 10_000, payload.timestamp);
    assert.equal(alice.socket.io.engine.transport.name, transports[0]);
    await sleep(QUIET_MS);
    assert.deepEqual(alice.events.map((e) => e.name), ["#connect", "connected"]);
  });
}

const refusals = [
  ["no auth object", () => ({}), "Missing token"],
  ["an empty auth object", () => ({ auth: {} }), "Missing token"],
  ["an empty token", () => ({ auth: { token: "" } }), "Missing token"],
  ["a malformed token", () => ({ auth: { token: "not-a-jwt" } }), "Token is malformed"],
  ["a token with a bad signature", () => ({ auth: { token: withBadSignature(users.alice.token) } }), "Token signature is invalid"],
  ["an expired token", () => ({ auth: { token: cfg.expiredToken } }), "Token expired"],
  ["an alg:none token", () => ({ auth: { token: withAlgNone(users.alice.token) } }),
    "Token algorithm 'none' is not accepted (HS256 only)"],
];

for (const [what, options, message] of refusals) {
  test(`refused with ${what}: connect_error '${message}' UNAUTHORIZED, no event ever`, async (t) => {
    const open = clients(t);
    const refused = Object.values(TRANSPORTS).map((transports) => open(MAIN, { transports, ...options() }));
    for (const c of refused) {
      const err = await c.wait("#connect_error");
      assert.equal(err.message, message);
      assert.deepEqual(err.data, { code: "UNAUTHORIZED" });
    }
    await sleep(QUIET_MS);
    for (const c of refused) {
      assert.deepEqual(c.events.map((e) => e.name), ["#connect_error"], c.describe());
      assert.equal(c.socket.connected, false);
    }
  });
}

test("a handshake from an Origin outside the allow-list is refused; an allowed Origin connects", async (t) => {
  const open = clients(t);
  const evil = Object.values(TRANSPORTS).map((transports) =>
    open(MAIN, as("alice", transports, { extraHeaders: { Origin: "http://evil.example" } })));
  for (const c of evil) {
    const err = await c.wait("#connect_error");
    // Refused at the engine.io handshake with HTTP 403: the client reports a transport error
    // whose description is the status (polling) or ws's "Unexpected server response: 403".
    assert.match(err.message, /websocket error|xhr poll error/);
    assert.match(String(err.description?.message ?? err.description), /\b403\b/, c.describe());
  }
  const allowed = open(MAIN, as("alice", BOTH, { extraHeaders: { Origin: cfg.main.allowedOrigin } }));
  await allowed.connected();
  await sleep(QUIET_MS);
  for (const c of evil) {
    assert.deepEqual(c.appEvents(), [], c.describe());
    assert.equal(c.named("#connect").length, 0);
  }
});

// ---- rooms -----------------------------------------------------------------------------------

test("two users are isolated: B cannot join A's session and never sees A's events", async (t) => {
  const open = clients(t);
  const alice = open(MAIN, as("alice"));
  const bob = open(MAIN, as("bob", POLLING));
  await Promise.all([alice.connected(), bob.connected()]);
  await alice.join(sessions.alice1);
  await bob.join(sessions.bob1);

  for (const payload of [sessions.alice1, { sessionId: sessions.alice1 }]) {
    const from = bob.mark();
    bob.emit("join_session", payload);
    assert.deepEqual(await bob.wait("error", { from }), INVALID_SESSION);
  }

  const aliceFrom = alice.mark();
  await publish(sessions.alice1, {
    events: [
      { type: "session_status_changed", status: "CONNECTED", phoneNumber: "+6281234567890", displayName: "Alice", timestamp: iso() },
      messageEvent("for-alice"),
    ],
  });
  await publish(sessions.bob1, { events: [messageEvent("for-bob")] });
  await alice.wait("message_status_updated", { from: aliceFrom, where: (p) => p.messageId === "for-alice" });
  await bob.wait("message_status_updated", { where: (p) => p.messageId === "for-bob" });
  await sleep(QUIET_MS);
  const leaked = bob.events.filter((e) => e.payload?.sessionId === sessions.alice1 && e.name !== "error");
  assert.deepEqual(leaked, [], "bob received alice's events");
  assert.deepEqual(alice.appEvents(aliceFrom), ["session_status_changed", "message_status_updated"]);
});

test("an admin may join any user's session", async (t) => {
  const open = clients(t);
  const admin = open(MAIN, as("admin"));
  await admin.connected();
  await admin.join(sessions.bob2);
});

test("an unknown session gives INVALID_SESSION", async (t) => {
  const open = clients(t);
  const alice = open(MAIN, as("alice"));
  await alice.connected();
  for (const sessionId of ["no-such-session", `${users.alice.id}-never-created-1752508259121`]) {
    const from = alice.mark();
    alice.emit("join_session", sessionId);
    assert.deepEqual(await alice.wait("error", { from }), INVALID_SESSION);
  }
  await sleep(QUIET_MS);
  assert.deepEqual(alice.named("session_joined"), []);
});

test("wrong payload types give INVALID_PAYLOAD", async (t) => {
  const open = clients(t);
  const alice = open(MAIN, as("alice"));
  await alice.connected();
  const wrong = [[42], [[sessions.alice1]], [{}], [null], [{ sessionId: 42 }], [""], [true], []];
  for (const args of wrong) {
    const from = alice.mark();
    alice.emit("join_session", ...args);
    assert.deepEqual(await alice.wait("error", { from }),
      { message: "join_session expects the sessionId string or {sessionId}", code: "INVALID_PAYLOAD" },
      `join_session ${JSON.stringify(args)}`);
  }
  const from = alice.mark();
  alice.emit("leave_session", 42);
  assert.deepEqual(await alice.wait("error", { from }),
    { message: "leave_session expects the sessionId string or {sessionId}", code: "INVALID_PAYLOAD" });
  assert.deepEqual(alice.named("session_joined"), []);
});

test("the {sessionId} object form joins and leaves too", async (t) => {
  const open = clients(t);
  const alice = open(MAIN, as("alice", POLLING));
  await alice.connected();
  const from = alice.mark();
  alice.emit("join_session", { sessionId: sessions.alice1 });
  const joined = await alice.wait("session_joined", { from });
  assert.deepEqual(joined, { sessionId: sessions.alice1, message: "Joined session room successfully", timestamp: joined.timestamp });
  assert.match(joined.timestamp, ISO_MILLIS);
  alice.emit("leave_session", { sessionId: sessions.alice1 });
  await alice.join(sessions.alice2); // processed after the leave: the socket's events run in order
  const after = alice.mark();
  await publish(sessions.alice1, { events: [messageEvent("after-object-leave")] });
  await publish(sessions.alice2, { events: [messageEvent("control")] });
  await alice.wait("message_status_updated", { from: after, where: (p) => p.messageId === "control" });
  await sleep(QUIET_MS);
  assert.deepEqual(alice.named("message_status_updated", after).map((p) => p.messageId), ["control"]);
});

test("a late joiner at once gets session_joined, then the session's current status", async (t) => {
  const open = clients(t);
  // Events before anyone joined are not replayed; the status comes from the session service.
  await publish(sessions.alice2, { events: [messageEvent("before-join")] });
  const res = await fetch(`${cfg.main.httpUrl}/api/sessions/${sessions.alice2}`,
    { headers: { authorization: `Bearer ${users.alice.token}` } });
  assert.equal(res.status, 200);
  const session = await res.json();

  for (const transports of Object.values(TRANSPORTS)) {
    const alice = open(MAIN, as("alice", transports));
    await alice.connected();
    const from = await alice.join(sessions.alice2);
    await sleep(QUIET_MS);
    assert.deepEqual(alice.appEvents(from), ["session_joined", "session_status_changed"], alice.describe());
    const status = alice.named("session_status_changed", from)[0];
    const expected = { sessionId: sessions.alice2, status: session.status, timestamp: session.updatedAt };
    for (const optional of ["reason", "phoneNumber", "displayName"]) {
      if (session[optional] !== undefined) expected[optional] = session[optional];
    }
    assert.deepEqual(status, expected);
    assert.match(status.timestamp, ISO_MILLIS);
  }
});

test("a late joiner also gets the pending QR code, right after the status", async (t) => {
  const open = clients(t);
  const id = sessions.aliceLinking;
  const headers = { authorization: `Bearer ${users.alice.token}` };
  const early = open(MAIN, as("alice"));
  await early.connected();
  const joinedEarly = await early.join(id);
  const start = await fetch(`${cfg.main.httpUrl}/api/sessions/${id}/start`, { method: "POST", headers });
  assert.equal(start.status, 202);
  await early.wait("qr_code_updated", { from: joinedEarly }); // the simulator's first QR code is pending now

  try {
    for (const transports of Object.values(TRANSPORTS)) {
      const late = open(MAIN, as("alice", transports));
      await late.connected();
      const from = await late.join(id);
      await late.wait("qr_code_updated", { from });
      const pending = await (await fetch(`${cfg.main.httpUrl}/api/sessions/${id}/qr`, { headers })).json();
      assert.deepEqual(late.appEvents(from), ["session_joined", "session_status_changed", "qr_code_updated"], late.describe());
      assert.equal(late.named("session_status_changed", from)[0].status, "QR_REQUIRED");
      const qr = late.named("qr_code_updated", from)[0];
      assert.deepEqual(qr, { sessionId: id, qrCode: pending.qrCode, status: "QR_REQUIRED", timestamp: qr.timestamp,
        attempt: pending.attempt, expiresAt: pending.expiresAt });
      assert.match(qr.qrCode, /^2@/);
      assert.match(qr.timestamp, ISO_MILLIS);
    }
  } finally {
    await fetch(`${cfg.main.httpUrl}/api/sessions/${id}/stop`, { method: "POST", headers });
  }
});

test("message_received: the simulator's receive reaches the session's room only, stored before it is sent", async (t) => {
  const open = clients(t);
  const id = sessions.aliceInbox;
  const api = `${cfg.main.httpUrl}/api/sessions/${id}`;
  const headers = { authorization: `Bearer ${users.alice.token}` };
  const alice = open(MAIN, as("alice"));
  const alicePolling = open(MAIN, as("alice", POLLING));
  const bob = open(MAIN, as("bob"));
  await Promise.all([alice.connected(), alicePolling.connected(), bob.connected()]);
  const from = await alice.join(id);
  const fromPolling = await alicePolling.join(id);
  await bob.join(sessions.bob1);
  const bobFrom = bob.mark();
  bob.emit("join_session", id);
  assert.deepEqual(await bob.wait("error", { from: bobFrom }), INVALID_SESSION);

  assert.equal((await fetch(`${api}/start`, { method: "POST", headers })).status, 202);
  try {
    await alice.wait("qr_code_updated", { from });
    await post(`${api}/actions/scan`, { phoneNumber: "+6281111111111", displayName: "Alice Inbox" }, headers);
    await alice.wait("session_status_changed", { from, where: (p) => p.status === "CONNECTED" });
    const received = await post(`${api}/actions/receive`, { from: "+6289876543210", text: "Halo dari Node", fromName: "Siti" }, headers);
    assert.equal(received.received, true);

    const expected = (p) => ({ sessionId: id, messageId: received.messageId, from: "+6289876543210", fromName: "Siti",
      chatId: "6289876543210@s.whatsapp.net", text: "Halo dari Node", type: "text", timestamp: p.timestamp });
    const got = await alice.wait("message_received", { from, where: (p) => p.messageId === received.messageId });
    assert.deepEqual(got, expected(got));
    assert.match(got.timestamp, ISO_MILLIS);
    const gotPolling = await alicePolling.wait("message_received", { from: fromPolling });
    assert.deepEqual(gotPolling, got);

    // Stored before it was sent: the list has it as soon as a client saw it.
    const res = await fetch(`${api}/messages?direction=in`, { headers });
    assert.equal(res.status, 200);
    const listed = await res.json();
    assert.equal(listed[0].messageId, received.messageId);
    assert.equal(listed[0].timestamp, got.timestamp);
    assert.equal(listed[0].text, "Halo dari Node");
    const bobList = await fetch(`${api}/messages?direction=in`, { headers: { authorization: `Bearer ${users.bob.token}` } });
    assert.equal(bobList.status, 404);

    await sleep(QUIET_MS);
    assert.equal(alice.named("message_received", from).length, 1, alice.describe());
    assert.deepEqual(bob.named("message_received"), [], "bob received alice's inbound message");
  } finally {
    await fetch(`${api}/stop`, { method: "POST", headers });
  }
});

test("joining twice is harmless: two confirmations, each event still delivered once", async (t) => {
  const open = clients(t);
  const alice = open(MAIN, as("alice"));
  await alice.connected();
  await alice.join(sessions.alice1);
  await alice.join(sessions.alice1);
  assert.equal(alice.named("session_joined").length, 2);
  const from = alice.mark();
  await publish(sessions.alice1, { events: [messageEvent("once")] });
  await alice.wait("message_status_updated", { from });
  await sleep(QUIET_MS);
  assert.equal(alice.named("message_status_updated", from).length, 1);
});

test("leave_session stops the session's events", async (t) => {
  const open = clients(t);
  const alice = open(MAIN, as("alice"));
  await alice.connected();
  await alice.join(sessions.alice1);
  await alice.join(sessions.alice2);
  let from = alice.mark();
  await publish(sessions.alice1, { events: [messageEvent("while-joined")] });
  await alice.wait("message_status_updated", { from, where: (p) => p.messageId === "while-joined" });

  alice.emit("leave_session", sessions.alice1);
  await alice.join(sessions.alice2); // runs after the leave on the server
  from = alice.mark();
  await publish(sessions.alice1, { events: [messageEvent("after-leave")] });
  await publish(sessions.alice2, { events: [messageEvent("still-joined")] });
  await alice.wait("message_status_updated", { from, where: (p) => p.messageId === "still-joined" });
  await sleep(QUIET_MS);
  assert.deepEqual(alice.named("message_status_updated", from).map((p) => p.messageId), ["still-joined"]);
});

// ---- delivery --------------------------------------------------------------------------------

test("payloads are exactly the guide's plus the contract's additive fields, in publication order", async (t) => {
  const open = clients(t);
  const alice = open(MAIN, as("alice"));
  await alice.connected();
  await alice.join(sessions.alice1);
  const s = sessions.alice1;
  const at = iso();
  const published = [
    { type: "qr_code_updated", qrCode: "2@abc,def,ghi", attempt: 2, expiresAt: iso(20_000), timestamp: at },
    { type: "session_status_changed", status: "CONNECTED", phoneNumber: "+6281234567890", displayName: "John Doe", timestamp: at },
    { type: "message_status_updated", messageId: "msg_1", status: "SENT", timestamp: at },
    { type: "message_status_updated", messageId: "msg_1", status: "DELIVERED", deliveredAt: at, timestamp: at },
    { type: "message_status_updated", messageId: "msg_2", status: "FAILED", error: "Recipient unreachable", timestamp: at },
    { type: "session_status_changed", status: "DISCONNECTED", reason: "LOGGED_OUT", timestamp: at },
  ];
  const expected = [
    ["qr_code_updated", { sessionId: s, qrCode: "2@abc,def,ghi", status: "QR_REQUIRED", timestamp: at, attempt: 2, expiresAt: published[0].expiresAt }],
    ["session_status_changed", { sessionId: s, status: "CONNECTED", phoneNumber: "+6281234567890", displayName: "John Doe", timestamp: at }],
    ["message_status_updated", { sessionId: s, messageId: "msg_1", status: "SENT", timestamp: at }],
    ["message_status_updated", { sessionId: s, messageId: "msg_1", status: "DELIVERED", deliveredAt: at, timestamp: at }],
    ["message_status_updated", { sessionId: s, messageId: "msg_2", status: "FAILED", timestamp: at, error: "Recipient unreachable" }],
    ["session_status_changed", { sessionId: s, status: "DISCONNECTED", timestamp: at, reason: "LOGGED_OUT" }],
  ];
  const from = alice.mark();
  await publish(s, { events: published });
  await alice.wait("session_status_changed", { from, where: (p) => p.status === "DISCONNECTED" });
  const received = alice.events.filter((e) => e.index >= from).map((e) => [e.name, e.payload]);
  assert.deepEqual(received, expected);
});

test("a burst of 1,000 events for one session arrives complete and in order (websocket and polling)", async (t) => {
  const open = clients(t);
  const ws = open(MAIN, as("bob"));
  const polling = open(MAIN, as("bob", POLLING));
  await Promise.all([ws.connected(), polling.connected()]);
  const froms = [await ws.join(sessions.bob2), await polling.join(sessions.bob2)];
  await publish(sessions.bob2, { burst: 1000 });
  const wanted = Array.from({ length: 1000 }, (_, i) => `burst-${i + 1}`);
  for (const [i, c] of [ws, polling].entries()) {
    const label = i === 0 ? "websocket" : "polling";
    await c.waitCount("message_status_updated", 1000, { from: froms[i], ms: 10_000 }).catch(() => {});
    const received = c.named("message_status_updated", froms[i]).map((p) => p.messageId);
    assert.deepEqual(received, wanted, `${label}: ${received.length} events, first missing ${wanted.find((id) => !received.includes(id))}`);
  }
});

// ---- abuse limits ----------------------------------------------------------------------------

/** Bob, joined to bob1, must still get an event promptly while another socket misbehaves. */
async function assertNotStalled(bob, label) {
  const from = bob.mark();
  const started = Date.now();
  await publish(sessions.bob1, { events: [messageEvent(label)] });
  await bob.wait("message_status_updated", { from, where: (p) => p.messageId === label, ms: 2000 });
  return Date.now() - started;
}

test("rate limit: a burst over the limit gets RATE_LIMITED and is dropped; others are not stalled", async (t) => {
  const open = clients(t);
  // Polling: the 25 events travel in one POST, well under the payload limit.
  const flooder = open(MAIN, as("flooder", POLLING));
  const bob = open(MAIN, as("bob"));
  await Promise.all([flooder.connected(), bob.connected()]);
  await bob.join(sessions.bob1);
  const from = flooder.mark();
  for (let i = 0; i < 25; i++) flooder.emit("leave_session", sessions.flooder2);
  const error = await flooder.wait("error", { from });
  assert.deepEqual(error, {
    message: `Too many requests: at most ${limits.eventsPerSecond} events per second; event dropped`,
    code: "RATE_LIMITED",
  });
  assert.ok(await assertNotStalled(bob, "during-flood") < 2000);
  await sleep(1100); // the bucket refills at eventsPerSecond
  await flooder.join(sessions.flooder1);
  assert.equal(flooder.socket.connected, true);
  // One notice per second at most, not one per dropped event.
  assert.ok(flooder.named("error", from).length <= 2, flooder.describe());
});

test("rate limit: sustained flooding disconnects the socket; others are not stalled", async (t) => {
  const open = clients(t);
  // Websocket: one frame per event (over polling, 400 events would make one oversized POST).
  const flooder = open(MAIN, as("flooder", ["websocket"]));
  const bob = open(MAIN, as("bob"));
  await Promise.all([flooder.connected(), bob.connected()]);
  await bob.join(sessions.bob1);
  for (let i = 0; i < 400; i++) flooder.emit("leave_session", sessions.flooder2);
  await flooder.wait("error", { where: (p) => p.message === "Too many requests; disconnecting" });
  assert.equal(await flooder.wait("#disconnect", { ms: 8000 }), "io server disconnect");
  assert.ok(await assertNotStalled(bob, "after-flood") < 2000);
});

test("room cap: at most maxRoomsPerSocket rooms, LIMIT_EXCEEDED beyond; rejoining a room does not count", async (t) => {
  const open = clients(t);
  const carol = open(MAIN, as("carol"));
  await carol.connected();
  for (const n of [1, 2, 3]) await carol.join(sessions[`carol${n}`]);
  await carol.join(sessions.carol2);
  let from = carol.mark();
  carol.emit("join_session", sessions.carol4);
  assert.deepEqual(await carol.wait("error", { from }),
    { message: `At most ${limits.maxRoomsPerSocket} session rooms per connection`, code: "LIMIT_EXCEEDED" });
  carol.emit("leave_session", sessions.carol1);
  await carol.join(sessions.carol4);
});

test("socket cap: at most maxSocketsPerUser sockets per user; refused with connect_error LIMIT_EXCEEDED", async (t) => {
  const open = clients(t);
  const held = [];
  for (let i = 0; i < limits.maxSocketsPerUser; i++) held.push(open(MAIN, as("capped", i % 2 ? POLLING : BOTH)));
  await Promise.all(held.map((c) => c.connected()));
  const extra = open(MAIN, as("capped"));
  const err = await extra.wait("#connect_error");
  assert.equal(err.message, `Too many connections for this user (at most ${limits.maxSocketsPerUser})`);
  assert.deepEqual(err.data, { code: "LIMIT_EXCEEDED" });
  assert.deepEqual(extra.appEvents(), []);

  const bob = open(MAIN, as("bob"));
  await bob.connected(); // other users are not affected

  held[0].close();
  // The server sees the close a moment later; a bounded retry instead of a guessed sleep.
  for (let attempt = 1; ; attempt++) {
    const again = open(MAIN, as("capped"));
    const outcome = await Promise.race([again.wait("connected").then(() => "connected"), again.wait("#connect_error").then(() => "refused")]);
    if (outcome === "connected") break;
    assert.ok(attempt < 20, "a freed socket slot was never given back");
    again.close();
    await sleep(100);
  }
});

test("oversized frames are refused without disturbing other clients", async (t) => {
  const open = clients(t);
  const bob = open(MAIN, as("bob"));
  const big = "x".repeat(limits.maxPayloadBytes + 1024);
  const senders = [open(MAIN, as("alice", ["websocket"])), open(MAIN, as("alice", POLLING))];
  await Promise.all([bob.connected(), ...senders.map((c) => c.connected())]);
  await bob.join(sessions.bob1);
  for (const c of senders) c.emit("join_session", big);
  for (const c of senders) {
    const reason = await c.wait("#disconnect", { ms: 10_000 });
    assert.match(reason, /^transport (close|error)$/);
    assert.deepEqual(c.named("session_joined"), []);
  }
  assert.ok(await assertNotStalled(bob, "after-oversized") < 2000);
});

test("unknown client events are ignored", async (t) => {
  const open = clients(t);
  const alice = open(MAIN, as("alice"));
  await alice.connected();
  const from = alice.mark();
  alice.emit("no_such_event", { sessionId: sessions.alice1 });
  alice.emit("connected", "spoof");
  await alice.join(sessions.alice1);
  assert.deepEqual(alice.appEvents(from), ["session_joined", "session_status_changed"]);
});

// ---- token expiry and shutdown (the gateway with 3 s tokens) -----------------------------------

async function shortLivedToken() {
  const login = await post(`${cfg.short.httpUrl}/api/auth/login`, { username: cfg.short.username, password: cfg.short.password });
  return login;
}

test("a token that expires while connected ends the socket: error UNAUTHORIZED 'Token expired', then disconnect", async (t) => {
  const open = clients(t);
  const login = await shortLivedToken();
  const expiring = Object.values(TRANSPORTS).map((transports) =>
    open(cfg.short.socketUrl, { auth: { token: login.token }, transports }));
  await Promise.all(expiring.map((c) => c.connected()));
  for (const c of expiring) await c.join(cfg.short.sessionId);
  for (const c of expiring) {
    const error = await c.wait("error", { ms: (cfg.short.ttlSeconds + 5) * 1000 });
    assert.deepEqual(error, { message: "Token expired", code: "UNAUTHORIZED" });
    assert.equal(await c.wait("#disconnect", { ms: 5000 }), "io server disconnect");
    assert.ok(Date.now() >= Date.parse(login.expiresAt), "disconnected before the token expired");
  }
});

test("gateway shutdown disconnects clients cleanly ('io server disconnect')", async (t) => {
  const open = clients(t);
  const login = await shortLivedToken();
  const held = Object.values(TRANSPORTS).map((transports) =>
    open(cfg.short.socketUrl, { auth: { token: login.token }, transports }));
  await Promise.all(held.map((c) => c.connected()));
  const stopped = post(`${cfg.control}/shutdown`, { gateway: "short" });
  for (const c of held) assert.equal(await c.wait("#disconnect", { ms: 5000 }), "io server disconnect");
  await stopped;
});

