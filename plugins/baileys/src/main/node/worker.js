// The baileys engine's worker: runs one Baileys socket per gateway session and speaks versioned
// JSON lines with the gateway's plugin, commands on stdin and events on stdout (see PROTOCOL.md).
// stderr is free text that the plugin logs. The worker exits when stdin closes, so it never
// outlives the gateway. It keeps no files: credentials and keys arrive with `start` and leave as
// `creds` and `keys` events, which the plugin stores in the gateway's credential store.
// First of all: console output of any library goes nowhere, stdout carries only protocol lines.
import './quiet-console.js';
import { createInterface } from 'node:readline';
import makeWASocket, { Browsers, BufferJSON, initAuthCreds, proto } from 'baileys';
import {
  PROTOCOL_VERSION, accountOf, closeDecision, parseCommand, phoneToJid, qrExpiresAt, receiptStatus,
  statusCodeOf, toMessageIn, userReceiptStatus,
} from './mapping.js';

/** @type {Map<string, Session>} */
const sessions = new Map();
// Diagnostics only (RSS measurements against a local server): where the sockets connect.
const wsUrl = process.env.WAGW_BAILEYS_WS_URL || undefined;

function emit(event) {
  // Pipes are synchronous on Linux, so lines never interleave.
  process.stdout.write(JSON.stringify({ v: PROTOCOL_VERSION, ...event }) + '\n');
}

function reply(command, fields = {}) {
  if (command.reqId !== undefined) emit({ type: 'reply', reqId: command.reqId, ok: true, ...fields });
}

function replyError(command, error) {
  const message = error instanceof Error ? error.message : String(error);
  if (command.reqId !== undefined) emit({ type: 'reply', reqId: command.reqId, ok: false, error: message });
}

/** A pino-shaped logger that forwards warnings and errors as `log` events. */
function makeLogger(sessionId, level = process.env.WAGW_BAILEYS_LOG_LEVEL || 'warn') {
  const levels = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
  const min = levels[level] ?? 40;
  const logger = { level, child: () => logger };
  for (const [name, n] of Object.entries(levels)) {
    logger[name] = (obj, msg) => {
      if (n < min) return;
      let text = typeof obj === 'string' ? obj : msg ?? '';
      const err = obj?.err ?? obj?.error;
      if (err?.message) text += (text ? ': ' : '') + err.message;
      emit({ type: 'log', sessionId, level: name, msg: text.slice(0, 2000) });
    };
  }
  return logger;
}

class Session {
  constructor(id, creds, keys) {
    this.id = id;
    this.creds = creds ? JSON.parse(creds, BufferJSON.reviver) : initAuthCreds();
    /** @type {Map<string, Map<string, unknown>>} key family → id → value */
    this.keys = new Map();
    for (const { t, id: keyId, data } of keys ?? []) {
      try {
        this.family(t).set(String(keyId), JSON.parse(data, BufferJSON.reviver));
      } catch (e) {
        // One unreadable key costs that key (Baileys re-creates sessions), not the account.
        process.stderr.write(`[${id}] skipped an unreadable stored ${t} key: ${e?.message}\n`);
      }
    }
    this.sock = null;
    this.qrAttempt = 0;
    this.logger = makeLogger(id);
  }

  family(type) {
    let f = this.keys.get(type);
    if (!f) {
      f = new Map();
      this.keys.set(type, f);
    }
    return f;
  }

  pnForLid = (lidUser) => this.keys.get('lid-mapping')?.get(`${lidUser}_reverse`);

  keyStore() {
    return {
      get: async (type, ids) => {
        const result = {};
        const family = this.keys.get(type);
        for (const id of ids) {
          let value = family?.get(id);
          if (value !== undefined && type === 'app-state-sync-key') {
            value = proto.Message.AppStateSyncKeyData.fromObject(value);
          }
          if (value !== undefined) result[id] = value;
        }
        return result;
      },
      // Baileys batches the writes of one transaction into one set(): one `keys` event each.
      set: async (data) => {
        const set = [];
        for (const type of Object.keys(data)) {
          for (const [id, value] of Object.entries(data[type] ?? {})) {
            if (value === null || value === undefined) {
              this.keys.get(type)?.delete(id);
              set.push({ t: type, id, data: null });
            } else {
              this.family(type).set(id, value);
              set.push({ t: type, id, data: JSON.stringify(value, BufferJSON.replacer) });
            }
          }
        }
        if (set.length > 0) emit({ type: 'keys', sessionId: this.id, set });
      },
    };
  }

  connect() {
    this.qrAttempt = 0;
    const sock = makeWASocket({
      auth: { creds: this.creds, keys: this.keyStore() },
      logger: this.logger,
      browser: Browsers.ubuntu('Chrome'),
      markOnlineOnConnect: false,
      syncFullHistory: false,
      ...(wsUrl ? { waWebSocketUrl: wsUrl } : {}),
    });
    this.sock = sock;
    const current = () => this.sock === sock;

    sock.ev.on('creds.update', (update) => {
      if (!current()) return;
      Object.assign(this.creds, update);
      emit({ type: 'creds', sessionId: this.id, creds: JSON.stringify(this.creds, BufferJSON.replacer) });
    });

    sock.ev.on('connection.update', ({ connection, lastDisconnect, qr }) => {
      if (!current()) return;
      if (qr) {
        this.qrAttempt++;
        const now = Date.now();
        emit({ type: 'qr', sessionId: this.id, qr, attempt: this.qrAttempt, expiresAt: qrExpiresAt(this.qrAttempt, now) });
      }
      if (connection === 'connecting') {
        emit({ type: 'connection', sessionId: this.id, state: 'connecting' });
      } else if (connection === 'open') {
        this.qrAttempt = 0;
        const account = accountOf(this.creds.me, this.pnForLid);
        emit({ type: 'connection', sessionId: this.id, state: 'open', ...account });
      } else if (connection === 'close') {
        const error = lastDisconnect?.error;
        const statusCode = statusCodeOf(error);
        const message = error?.message ?? 'connection closed';
        const decision = closeDecision(statusCode, { qrShown: this.qrAttempt > 0, message });
        if (decision.restart) {
          emit({ type: 'log', sessionId: this.id, level: 'info', msg: `restart required (${statusCode}): reconnecting` });
          this.connect();
          return;
        }
        this.sock = null;
        sessions.delete(this.id);
        emit({ type: 'connection', sessionId: this.id, state: 'close', statusCode, reason: decision.reason, error: message });
      }
    });

    sock.ev.on('messages.update', (updates) => {
      if (!current()) return;
      for (const { key, update } of updates) {
        const status = key?.fromMe ? receiptStatus(update?.status) : null;
        if (status) emit({ type: 'message-status', sessionId: this.id, waMessageId: key.id, status });
      }
    });

    sock.ev.on('message-receipt.update', (updates) => {
      if (!current()) return;
      for (const { key, receipt } of updates) {
        const status = key?.fromMe ? userReceiptStatus(receipt) : null;
        if (status) emit({ type: 'message-status', sessionId: this.id, waMessageId: key.id, status });
      }
    });

    sock.ev.on('messages.upsert', ({ messages, type }) => {
      if (!current() || type !== 'notify') return;
      for (const msg of messages) {
        const event = toMessageIn(this.id, msg, this.pnForLid);
        if (event) emit(event);
      }
    });
  }

  /** Closes the socket without reporting its close. */
  close() {
    const sock = this.sock;
    this.sock = null;
    if (sock) {
      try {
        sock.end(undefined);
      } catch (e) {
        process.stderr.write(`[${this.id}] closing the socket failed: ${e?.message}\n`);
      }
    }
  }
}

async function handle(command) {
  const sessionId = command.sessionId;
  const session = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
  switch (command.type) {
    case 'ping':
      emit({ type: 'pong', reqId: command.reqId });
      return;
    case 'start': {
      if (typeof sessionId !== 'string' || !sessionId) throw new Error('start needs a sessionId');
      session?.close(); // never two sockets for one account
      sessions.delete(sessionId);
      let fresh;
      try {
        fresh = new Session(sessionId, command.creds, command.keys);
      } catch (e) {
        // Retrying cannot help: the stored state itself is broken.
        emit({ type: 'reply', reqId: command.reqId, ok: false, fatal: true, error: `stored credentials are unreadable (${e?.message})` });
        return;
      }
      sessions.set(sessionId, fresh);
      fresh.connect();
      reply(command);
      return;
    }
    case 'stop':
      session?.close();
      sessions.delete(sessionId);
      reply(command);
      return;
    case 'logout':
      if (session?.sock) {
        const sock = session.sock;
        session.sock = null; // its close is expected, not reported
        try {
          await sock.logout();
        } catch (e) {
          process.stderr.write(`[${sessionId}] logout on WhatsApp failed: ${e?.message}\n`);
          sock.end(undefined);
        }
      }
      sessions.delete(sessionId);
      reply(command);
      return;
    case 'send': {
      if (!session?.sock) throw new Error('the session is not running in the worker');
      const jid = phoneToJid(command.to);
      const sent = await session.sock.sendMessage(jid, { text: String(command.text ?? '') });
      reply(command, { waMessageId: sent?.key?.id ?? null });
      return;
    }
    case 'pair': {
      if (!session?.sock) throw new Error('the session is not running in the worker');
      if (session.creds.registered) throw new Error('the session is already linked');
      const digits = phoneToJid(command.phoneNumber).split('@')[0];
      const code = await session.sock.requestPairingCode(digits);
      reply(command, { code });
      return;
    }
    default:
      throw new Error(`unknown command type '${command.type}'`);
  }
}

const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
input.on('line', (line) => {
  if (!line.trim()) return;
  const parsed = parseCommand(line);
  if (!parsed.ok) {
    process.stderr.write(`skipped a malformed command (${parsed.error})\n`);
    return;
  }
  handle(parsed.command).catch((e) => {
    process.stderr.write(`${sessionIdPrefix(parsed.command)}${parsed.command.type} failed: ${e?.message}\n`);
    replyError(parsed.command, e);
  });
});
// The gateway went away (even by kill -9): close everything and leave.
input.on('close', () => {
  for (const session of sessions.values()) session.close();
  process.exit(0);
});
process.stdout.on('error', () => process.exit(0)); // EPIPE: nobody reads any more
process.on('uncaughtException', (e) => process.stderr.write(`uncaught: ${e?.stack ?? e}\n`));
process.on('unhandledRejection', (e) => process.stderr.write(`unhandled rejection: ${e?.stack ?? e}\n`));

function sessionIdPrefix(command) {
  return typeof command.sessionId === 'string' ? `[${command.sessionId}] ` : '';
}

emit({ type: 'ready', pid: process.pid, node: process.versions.node });
