// The reference server of `./gateway bench --compare`: what a team would otherwise write for this
// job, a bare socket.io 4.8 server on Node, in memory. It serves the parts of the contract the
// bench drives, shaped like the gateway's:
//   - the Socket.IO handshake with {auth: {token}} (a token known from the config), "connected",
//     join_session -> the session's room, session_joined and the session_status_changed snapshot;
//   - POST /api/sessions/{id}/messages {to, text} -> 202 {messageId, status: "PENDING"}, then
//     message_status_updated SENT, DELIVERED and READ to the session's room, each ackDelayMs after
//     the previous one (the gateway's simulator timing in the bench);
//   - GET /stats -> {heapUsed, rss} after a full GC (run with --expose-gc).
// Compression stays off, as in the gateway (socket.io's default for websocket).
//
// argv[2]: a JSON file {port, ackDelayMs, sessions: [{sessionId, token, userId}]}.
// stdout:  "LISTENING {port}" once it accepts connections.
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { Server } from "socket.io";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const owners = new Map(); // token -> {userId, sessionId}
for (const s of config.sessions) owners.set(s.token, s);
const sessionOwner = new Map(config.sessions.map((s) => [s.sessionId, s.token]));

const timestamp = (ms = Date.now()) => new Date(ms).toISOString();

function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function statusUpdate(sessionId, messageId, status) {
  const now = Date.now();
  const payload = { sessionId, messageId, status };
  if (status === "DELIVERED" || status === "READ") payload.deliveredAt = timestamp(now);
  payload.timestamp = timestamp(now);
  io.to(sessionId).emit("message_status_updated", payload);
}

function ack(sessionId, messageId) {
  setTimeout(() => {
    statusUpdate(sessionId, messageId, "SENT");
    setTimeout(() => {
      statusUpdate(sessionId, messageId, "DELIVERED");
      setTimeout(() => statusUpdate(sessionId, messageId, "READ"), config.ackDelayMs);
    }, config.ackDelayMs);
  }, config.ackDelayMs);
}

const MESSAGES = /^\/api\/sessions\/([^/]+)\/messages$/;

const http = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/stats") {
    if (global.gc) global.gc();
    const m = process.memoryUsage();
    return json(res, 200, { heapUsed: m.heapUsed, rss: m.rss });
  }
  const match = req.method === "POST" ? MESSAGES.exec(req.url) : null;
  if (!match) return json(res, 404, { error: { code: "NOT_FOUND", message: "Not found" } });
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const token = (req.headers.authorization || "").replace(/^Bearer /, "");
    const sessionId = decodeURIComponent(match[1]);
    if (sessionOwner.get(sessionId) !== token) {
      return json(res, 404, { error: { code: "SESSION_NOT_FOUND", message: "Session not found" } });
    }
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return json(res, 400, { error: { code: "VALIDATION_ERROR", message: "Malformed JSON" } });
    }
    if (typeof body?.to !== "string" || typeof body?.text !== "string") {
      return json(res, 400, { error: { code: "VALIDATION_ERROR", message: "to and text are required" } });
    }
    const messageId = randomUUID();
    json(res, 202, { messageId, status: "PENDING" });
    ack(sessionId, messageId);
  });
});
http.keepAliveTimeout = 30_000;

const io = new Server(http, { serveClient: false, transports: ["websocket", "polling"], perMessageDeflate: false, httpCompression: false });
io.use((socket, next) => {
  const owner = owners.get(socket.handshake.auth?.token);
  if (!owner) return next(Object.assign(new Error("Authentication failed"), { data: { code: "AUTH_FAILED" } }));
  socket.data.owner = owner;
  next();
});
io.on("connection", (socket) => {
  socket.emit("connected", { message: "Connected to WhatsApp Gateway", userId: socket.data.owner.userId, timestamp: timestamp() });
  socket.on("join_session", (data) => {
    const sessionId = typeof data === "string" ? data : data?.sessionId;
    if (sessionOwner.get(sessionId) !== socket.data.owner.token) {
      socket.emit("error", { message: "Invalid session ID or access denied", code: "INVALID_SESSION" });
      return;
    }
    socket.join(sessionId);
    socket.emit("session_joined", { sessionId, message: "Joined session room successfully", timestamp: timestamp() });
    socket.emit("session_status_changed", { sessionId, status: "CONNECTED", timestamp: timestamp() });
  });
  socket.on("leave_session", (data) => socket.leave(typeof data === "string" ? data : data?.sessionId));
});

http.listen(config.port, "127.0.0.1", () => {
  process.stdout.write(`LISTENING ${JSON.stringify({ port: http.address().port })}\n`);
});
// The bench closes our stdin when it is done (or dies): leave then, never outlive it.
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
