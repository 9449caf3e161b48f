// The REST side of `./gateway bench --compare`: sends messages through
// POST /api/sessions/{id}/messages at a set rate, round robin over the sessions, each with its
// owner's token, over keep-alive connections, and counts the accepted (202) sends per session.
// One process serves every phase of a run (the warm-up, then the measurement) over the same
// connections, so the server sees no connection close or open between or during them.
//
// argv[2]: a JSON file {url, sessions: [{sessionId, token}], connections}
// stdin:   "SEND {rate, seconds}" for each phase; the connections close when stdin does
// stdout:  "RESULT {accepted: [per session], failed, firstError, sendMs, answerP50Ms, answerP99Ms}"
//          after each phase (the 202 answers' own latency, as p50/p99 in ms)
import { Agent, request } from "node:http";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const url = new URL(config.url);
const agent = new Agent({ keepAlive: true, maxSockets: config.connections });

function send(phase, index, n) {
  const session = config.sessions[index];
  const body = JSON.stringify({ to: "+6281234567890", text: `bench ${n}` });
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request({
      agent, host: url.hostname, port: url.port, method: "POST",
      path: `/api/sessions/${encodeURIComponent(session.sessionId)}/messages`,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), authorization: `Bearer ${session.token}` },
    }, (res) => {
      res.resume();
      res.on("end", () => {
        if (res.statusCode === 202) {
          phase.accepted[index]++;
          phase.answerMs.push(performance.now() - started);
        } else {
          phase.failed++;
          phase.firstError ??= `HTTP ${res.statusCode}`;
        }
        resolve();
      });
    });
    req.on("error", (err) => {
      phase.failed++;
      phase.firstError ??= err.message;
      resolve();
    });
    req.end(body);
  });
}

async function runPhase({ rate, seconds }) {
  const phase = { accepted: new Array(config.sessions.length).fill(0), answerMs: [], failed: 0, firstError: undefined };
  const total = rate * seconds;
  const pending = [];
  const started = performance.now();
  let sent = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000));
      for (; sent < due; sent++) pending.push(send(phase, sent % config.sessions.length, sent));
      if (sent >= total) resolve();
      else setTimeout(tick, 2);
    };
    tick();
  });
  const sendMs = Math.round(performance.now() - started);
  await Promise.all(pending);
  const answerMs = phase.answerMs.sort((a, b) => a - b);
  const pct = (p) => (answerMs.length ? Math.round(answerMs[Math.min(answerMs.length - 1, Math.floor(answerMs.length * p))]) : -1);
  const { accepted, failed, firstError } = phase;
  process.stdout.write(`RESULT ${JSON.stringify({ accepted, failed, firstError, sendMs, answerP50Ms: pct(0.5), answerP99Ms: pct(0.99) })}\n`);
}

for await (const line of createInterface({ input: process.stdin })) {
  if (line.startsWith("SEND ")) await runPhase(JSON.parse(line.slice(5)));
}
agent.destroy();
process.exit(0);
