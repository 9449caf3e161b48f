// The REST side of `./gateway bench --compare`: sends messages through
// POST /api/sessions/{id}/messages at a set rate, round robin over the sessions, each with its
// owner's token, over keep-alive connections, and counts the accepted (202) sends per session.
//
// argv[2]: a JSON file {url, sessions: [{sessionId, token}], rate, seconds, connections}
// stdout:  "RESULT {accepted: [per session], failed, firstError, sendMs, p99Ms}" when done
//          (the 202 answers' own latency is reported too, as p50/p99 in ms).
import { Agent, request } from "node:http";
import { readFileSync } from "node:fs";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const url = new URL(config.url);
const agent = new Agent({ keepAlive: true, maxSockets: config.connections });
const accepted = new Array(config.sessions.length).fill(0);
const answerMs = [];
let failed = 0;
let firstError;
let inFlight = 0;

function send(index, n) {
  const session = config.sessions[index];
  const body = JSON.stringify({ to: "+6281234567890", text: `bench ${n}` });
  const started = performance.now();
  inFlight++;
  return new Promise((resolve) => {
    const req = request({
      agent, host: url.hostname, port: url.port, method: "POST",
      path: `/api/sessions/${encodeURIComponent(session.sessionId)}/messages`,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), authorization: `Bearer ${session.token}` },
    }, (res) => {
      res.resume();
      res.on("end", () => {
        inFlight--;
        if (res.statusCode === 202) {
          accepted[index]++;
          answerMs.push(performance.now() - started);
        } else {
          failed++;
          firstError ??= `HTTP ${res.statusCode}`;
        }
        resolve();
      });
    });
    req.on("error", (err) => {
      inFlight--;
      failed++;
      firstError ??= err.message;
      resolve();
    });
    req.end(body);
  });
}

const total = config.rate * config.seconds;
const pending = [];
const started = performance.now();
let sent = 0;
await new Promise((resolve) => {
  const tick = () => {
    const due = Math.min(total, Math.floor(((performance.now() - started) * config.rate) / 1000));
    for (; sent < due; sent++) pending.push(send(sent % config.sessions.length, sent));
    if (sent >= total) resolve();
    else setTimeout(tick, 2);
  };
  tick();
});
const sendMs = Math.round(performance.now() - started);
await Promise.all(pending);
answerMs.sort((a, b) => a - b);
const pct = (p) => (answerMs.length ? Math.round(answerMs[Math.min(answerMs.length - 1, Math.floor(answerMs.length * p))]) : -1);
process.stdout.write(`RESULT ${JSON.stringify({ accepted, failed, firstError, sendMs, answerP50Ms: pct(0.5), answerP99Ms: pct(0.99) })}\n`);
agent.destroy();
process.exit(0);
