// Measures the resident memory of the bundled worker: idle, with 1 and with N sessions in one
// process, and with one process per session. WhatsApp is not reachable from build machines, so
// the sockets connect to a local WebSocket server that accepts and stays silent: each session then
// holds its socket, its auth state and Baileys' machinery, as a connecting session does.
//   node scripts/measure-rss.mjs <bundled worker.mjs> [N]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { WebSocketServer } from 'ws';

const bundle = process.argv[2];
const n = Number(process.argv[3] ?? 10);
const settleMs = 4000;

const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
await new Promise((resolve) => server.on('listening', resolve));
server.on('connection', () => {}); // accept, never answer
const url = `ws://127.0.0.1:${server.address().port}/ws/chat`;

const rssMb = (pid) => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line.split(/\s+/)[1]) / 1024);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function worker() {
  const child = spawn(process.execPath, [bundle], { env: { ...process.env, WAGW_BAILEYS_WS_URL: url, WAGW_BAILEYS_LOG_LEVEL: 'fatal' }, stdio: ['pipe', 'pipe', 'ignore'] });
  const events = [];
  const ready = new Promise((resolve) => {
    createInterface({ input: child.stdout }).on('line', (l) => {
      const e = JSON.parse(l);
      events.push(e);
      if (e.type === 'ready') resolve();
    });
  });
  const send = (c) => child.stdin.write(JSON.stringify({ v: 1, ...c }) + '\n');
  return { child, ready, send, events };
}

async function oneWorker(sessions) {
  const w = worker();
  await w.ready;
  await sleep(1000);
  for (let i = 0; i < sessions; i++) w.send({ type: 'start', sessionId: `s${i}` });
  await sleep(settleMs);
  const closed = w.events.filter((e) => e.type === 'connection' && e.state === 'close').length;
  const rss = rssMb(w.child.pid);
  w.child.stdin.end();
  await new Promise((r) => w.child.on('exit', r));
  return { rss, closed };
}

const results = {};
results.idle = await oneWorker(0);
results.one = await oneWorker(1);
results.n = await oneWorker(n);

const perSession = [];
for (let i = 0; i < n; i++) perSession.push(worker());
await Promise.all(perSession.map((w) => w.ready));
perSession.forEach((w, i) => w.send({ type: 'start', sessionId: `p${i}` }));
await sleep(settleMs + 1000);
const perProcess = perSession.map((w) => rssMb(w.child.pid));
perSession.forEach((w) => w.child.stdin.end());
await Promise.all(perSession.map((w) => new Promise((r) => w.child.on('exit', r))));
server.close();

const sum = perProcess.reduce((a, b) => a + b, 0);
console.log(`worker, no session:        ${results.idle.rss} MB`);
console.log(`worker, 1 session:         ${results.one.rss} MB`);
console.log(`worker, ${n} sessions:        ${results.n.rss} MB (${((results.n.rss - results.idle.rss) / n).toFixed(1)} MB per session; ${results.n.closed} closed early)`);
console.log(`${n} workers, 1 session each: ${sum} MB in total (${Math.min(...perProcess)}-${Math.max(...perProcess)} MB each)`);
