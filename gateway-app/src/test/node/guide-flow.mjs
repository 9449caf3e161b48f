// The frontend guide's "Expected User Flow", steps 1-10, against a running gateway with the
// simulator engine, using the guide's own client calls. Exits 0 when every step happened.
//
//   GATEWAY_PASSWORD=... node guide-flow.mjs
// Environment: GATEWAY_URL (default http://localhost:8080), GATEWAY_SOCKET_URL (default
// http://localhost:8000), GATEWAY_USER (default admin), GATEWAY_PASSWORD (required),
// GATEWAY_TRANSPORTS (default "websocket,polling").
import { io } from "socket.io-client";

const http = process.env.GATEWAY_URL ?? "http://localhost:8080";
const socketUrl = process.env.GATEWAY_SOCKET_URL ?? "http://localhost:8000";
const username = process.env.GATEWAY_USER ?? "admin";
const password = process.env.GATEWAY_PASSWORD;
const transports = (process.env.GATEWAY_TRANSPORTS ?? "websocket,polling").split(",");
if (!password) {
  console.error("Set GATEWAY_PASSWORD (the admin password printed at first start, or yours).");
  process.exit(2);
}

const deadline = setTimeout(() => fail("timed out after 60 s"), 60_000);
function fail(why) {
  console.error(`✗ ${why}`);
  process.exit(1);
}
function step(n, text) {
  console.log(`✓ ${n}. ${text}`);
}
async function api(method, path, token, body) {
  const res = await fetch(http + path, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}
function once(socket, event, predicate = () => true) {
  return new Promise((resolve) => {
    const handler = (data) => {
      if (predicate(data)) {
        socket.off(event, handler);
        resolve(data);
      }
    };
    socket.on(event, handler);
  });
}
const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

// 1. User logs in -> gets JWT token
const login = await api("POST", "/api/auth/login", null, { username, password });
if (login.status !== 200) fail(`login answered ${login.status}: ${JSON.stringify(login.json)}`);
const token = login.json.token;
step(1, `logged in as ${login.json.user.username}`);

// 2. User creates session -> gets sessionId from API
const created = await api("POST", "/api/sessions", token, { name: `Guide flow ${new Date().toISOString()}` });
if (created.status !== 201) fail(`create session answered ${created.status}`);
const sessionId = created.json.sessionId;
if (!sessionId.startsWith(login.json.user.id)) fail(`sessionId ${sessionId} does not start with the user id`);
step(2, `created session ${sessionId}`);

// 3. Frontend connects to Socket.IO (the guide's exact options)
const socket = io(socketUrl, { auth: { token }, transports });
socket.on("error", (e) => fail(`socket error: ${JSON.stringify(e)}`));
socket.on("connect_error", (e) => fail(`connect_error: ${e.message}`));
const connected = await once(socket, "connected");
if (connected.userId !== login.json.user.id || !iso.test(connected.timestamp)) fail(`bad connected payload ${JSON.stringify(connected)}`);
step(3, `connected over ${socket.io.engine.transport.name}: "${connected.message}"`);

// 4-5. Frontend joins the session room; backend confirms
const joined = once(socket, "session_joined");
const initial = once(socket, "session_status_changed");
socket.emit("join_session", sessionId);
const j = await joined;
if (j.sessionId !== sessionId) fail(`joined the wrong room ${j.sessionId}`);
step(4, "sent join_session");
step(5, `session_joined: "${j.message}", current status ${(await initial).status}`);

// 6-7. User clicks "Connect"; the worker generates a QR
const qr = once(socket, "qr_code_updated");
const start = await api("POST", `/api/sessions/${sessionId}/start`, token);
if (start.status !== 202) fail(`start answered ${start.status}`);
step(6, "POST /start accepted");
const q = await qr;
if (q.status !== "QR_REQUIRED" || !q.qrCode.startsWith("2@") || !iso.test(q.timestamp)) fail(`bad QR payload ${JSON.stringify(q)}`);
step(7, `qr_code_updated: ${q.qrCode.slice(0, 24)}… (attempt ${q.attempt})`);

// 8-9. The user scans with WhatsApp (the simulator's scan action); WhatsApp connects
const linked = once(socket, "session_status_changed", (d) => d.status === "CONNECTED");
const scan = await api("POST", `/api/sessions/${sessionId}/actions/scan`, token,
  { phoneNumber: "+6281234567890", displayName: "John Doe" });
if (scan.status !== 200) fail(`scan answered ${scan.status}`);
step(8, "QR scanned");
const c = await linked;
if (c.phoneNumber !== "+6281234567890" || c.displayName !== "John Doe") fail(`bad CONNECTED payload ${JSON.stringify(c)}`);
step(9, `session_status_changed: CONNECTED as ${c.displayName} (${c.phoneNumber})`);

// 10. Ready for messaging: send one and watch its ticks
const statuses = [];
const read = once(socket, "message_status_updated", (d) => { statuses.push(d.status); return d.status === "READ"; });
const sent = await api("POST", `/api/sessions/${sessionId}/messages`, token, { to: "+6289876543210", text: "Hello from the guide flow" });
if (sent.status !== 202) fail(`send answered ${sent.status}`);
await read;
if (statuses.join(",") !== "SENT,DELIVERED,READ") fail(`message statuses ${statuses}`);
step(10, `ready for messaging: message ${sent.json.messageId} went ${statuses.join(" → ")}`);

socket.emit("leave_session", sessionId);
await api("POST", `/api/sessions/${sessionId}/stop`, token);
if (process.env.GATEWAY_KEEP_SESSION !== "true") await api("DELETE", `/api/sessions/${sessionId}`, token);
clearTimeout(deadline);
socket.close();
console.log("Guide flow complete.");
