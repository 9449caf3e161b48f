// A stand-in for the Baileys worker that speaks the same protocol, for the plugin's Java tests.
// It links nothing: a start without creds shows one QR code, a start with creds whose "me" has a
// phone-number jid opens at once. Everything else the tests script with stub-* commands:
//   stub-emit {lines: [string]}   writes each line to stdout as it is (malformed ones too)
//   stub-stderr {line}            writes a line to stderr
//   stub-dump {reqId}             replies with what each session was started with
//   stub-config {send?: ok|error|silent, pair?: ok|silent}  how later sends and pairs are answered
//   stub-hang                     answers nothing any more (pings included)
//   stub-crash {code}             exits at once
// With WAGW_BAILEYS_STUB_HOST=1 (the host's tests, which cannot script it) a `pair` links as a phone
// would: the code, then creds with the account, one key of every family, and the connection open;
// and a start with creds says on stderr which key families it was given back.
import { createInterface } from 'node:readline';

const sessions = new Map();
const started = {}; // sessionId → how many starts
let sendMode = 'ok';
let pairMode = 'ok';
let hung = false;
const hostMode = process.env.WAGW_BAILEYS_STUB_HOST === '1';
const FAMILIES = ['pre-key', 'session', 'sender-key', 'sender-key-memory', 'app-state-sync-key',
  'app-state-sync-version', 'lid-mapping', 'device-list', 'tctoken'];

const emit = (event) => process.stdout.write(JSON.stringify({ v: 1, ...event }) + '\n');
const reply = (command, fields = {}) => emit({ type: 'reply', reqId: command.reqId, ok: true, ...fields });
const refuse = (command, error) => emit({ type: 'reply', reqId: command.reqId, ok: false, error });

function phoneOf(creds) {
  const id = creds?.me?.id ?? '';
  const m = /^([0-9]+)(:[0-9]+)?@s\.whatsapp\.net$/.exec(id);
  return m ? '+' + m[1] : null;
}

const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
input.on('line', (line) => {
  if (hung) return;
  let c;
  try {
    c = JSON.parse(line);
  } catch {
    process.stderr.write('stub: malformed command\n');
    return;
  }
  switch (c.type) {
    case 'ping': emit({ type: 'pong', reqId: c.reqId }); break;
    case 'start': {
      const creds = c.creds ? JSON.parse(c.creds) : null;
      sessions.set(c.sessionId, { creds: c.creds ?? null, keys: c.keys ?? [] });
      started[c.sessionId] = (started[c.sessionId] ?? 0) + 1;
      reply(c);
      if (hostMode && creds) {
        const given = [...new Set((c.keys ?? []).map((k) => k.t))].sort().join(',');
        process.stderr.write(`[${c.sessionId}] stub started with creds and keys of ${given}\n`);
      }
      emit({ type: 'connection', sessionId: c.sessionId, state: 'connecting' });
      if (phoneOf(creds)) {
        emit({ type: 'connection', sessionId: c.sessionId, state: 'open', phoneNumber: phoneOf(creds), displayName: creds.me.name ?? '' });
      } else if (!creds) {
        emit({ type: 'qr', sessionId: c.sessionId, qr: `2@stub-${c.sessionId}-1,noise,identity,adv`, attempt: 1, expiresAt: Date.now() + 60000 });
      }
      break;
    }
    case 'stop':
    case 'logout':
      sessions.delete(c.sessionId);
      reply(c);
      break;
    case 'send':
      if (!sessions.has(c.sessionId)) refuse(c, 'the session is not running in the worker');
      else if (sendMode === 'error') refuse(c, 'stub refuses to send');
      else if (sendMode === 'ok') reply(c, { waMessageId: 'WA-' + c.messageId });
      break;
    case 'pair':
      if (!sessions.has(c.sessionId)) {
        refuse(c, 'the session is not running in the worker');
        break;
      }
      if (pairMode === 'silent') break; // as WhatsApp's server keeping Baileys waiting
      reply(c, { code: 'STUB1234' });
      if (hostMode) {
        const digits = c.phoneNumber.slice(1);
        emit({ type: 'creds', sessionId: c.sessionId, creds: JSON.stringify({ me: { id: `${digits}:7@s.whatsapp.net`, name: 'Stub Phone' } }) });
        // One key of every family; the session key's id is longer than a store key may be.
        emit({ type: 'keys', sessionId: c.sessionId, set: FAMILIES.map((t) => ({ t, id: t === 'session' ? 'x'.repeat(250) : '1', data: JSON.stringify({ t }) })) });
        emit({ type: 'connection', sessionId: c.sessionId, state: 'open', phoneNumber: c.phoneNumber, displayName: 'Stub Phone' });
      }
      break;
    case 'stub-emit': for (const l of c.lines) process.stdout.write(l + '\n'); break;
    case 'stub-stderr': process.stderr.write(c.line + '\n'); break;
    case 'stub-dump': reply(c, { sessions: Object.fromEntries(sessions), started, pid: process.pid }); break;
    case 'stub-config':
      sendMode = c.send ?? sendMode;
      pairMode = c.pair ?? pairMode;
      reply(c);
      break;
    case 'stub-hang': hung = true; break;
    case 'stub-crash': process.exit(c.code ?? 3); break;
    default: refuse(c, `unknown command type '${c.type}'`);
  }
});
input.on('close', () => process.exit(0));
emit({ type: 'ready', pid: process.pid, node: process.versions.node });
