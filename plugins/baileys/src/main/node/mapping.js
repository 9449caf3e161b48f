// Pure mapping functions of the worker: Baileys' shapes in, protocol shapes out. No Baileys
// import here, so `node --test` runs them without a bundle or a network.

/** The protocol version every line carries as "v". */
export const PROTOCOL_VERSION = 1;

/** How long Baileys shows a QR code: 60 s for the first of a linking attempt, 20 s for each later one. */
export const FIRST_QR_TTL_MS = 60_000;
export const LATER_QR_TTL_MS = 20_000;

// Baileys' DisconnectReason codes (see its Types/index.d.ts).
const LOGGED_OUT = 401;
const TIMED_OUT = 408; // both "connection lost" and "QR refs attempts ended"
const REPLACED = 440;
const RESTART_REQUIRED = 515;

/**
 * @param {unknown} error lastDisconnect.error from a connection.update
 * @returns {number|undefined} the Boom status code, if any
 */
export function statusCodeOf(error) {
  const code = error?.output?.statusCode ?? error?.statusCode;
  return Number.isInteger(code) ? code : undefined;
}

/**
 * What to do when a socket closed without being asked to.
 *
 * @param {number|undefined} statusCode the disconnect code
 * @param {{qrShown?: boolean, message?: string}} state whether this connection showed QR codes,
 *        and the error's message
 * @returns {{restart: true} | {restart: false, reason: string}} restart at once (515, normal right
 *          after a scan), or end the session with a gateway reason: LOGGED_OUT, REPLACED,
 *          QR_TIMEOUT or CONNECTION_LOST
 */
export function closeDecision(statusCode, state = {}) {
  switch (statusCode) {
    case RESTART_REQUIRED:
      return { restart: true };
    case LOGGED_OUT:
      return { restart: false, reason: 'LOGGED_OUT' };
    case REPLACED:
      return { restart: false, reason: 'REPLACED' };
    case TIMED_OUT:
      // The same code means "QR attempts used up" only while QR codes were showing.
      if (state.qrShown && /attempts ended/i.test(state.message ?? '')) {
        return { restart: false, reason: 'QR_TIMEOUT' };
      }
      return { restart: false, reason: 'CONNECTION_LOST' };
    default:
      return { restart: false, reason: 'CONNECTION_LOST' };
  }
}

/**
 * Splits a jid: "628123:4@s.whatsapp.net" → {user: "628123", device: 4, server: "s.whatsapp.net"}.
 *
 * @param {string|undefined|null} jid
 * @returns {{user: string, device?: number, server: string}|undefined}
 */
export function splitJid(jid) {
  if (typeof jid !== 'string') return undefined;
  const at = jid.indexOf('@');
  if (at <= 0) return undefined;
  const server = jid.slice(at + 1);
  let user = jid.slice(0, at);
  let device;
  const colon = user.indexOf(':');
  if (colon >= 0) {
    device = Number(user.slice(colon + 1));
    user = user.slice(0, colon);
  }
  const underscore = user.indexOf('_'); // agent suffix
  if (underscore >= 0) user = user.slice(0, underscore);
  return device === undefined ? { user, server } : { user, device, server };
}

/** @returns {boolean} whether the jid addresses a user by phone number */
export function isPhoneJid(jid) {
  const j = splitJid(jid);
  return !!j && (j.server === 's.whatsapp.net' || j.server === 'c.us' || j.server === 'hosted') && /^[0-9]{5,20}$/.test(j.user);
}

/** @returns {boolean} whether the jid addresses a user by LID */
export function isLidJid(jid) {
  const j = splitJid(jid);
  return !!j && (j.server === 'lid' || j.server === 'hosted.lid');
}

/**
 * @param {string|undefined|null} jid a phone-number jid, e.g. "6281234567890:12@s.whatsapp.net"
 * @returns {string|null} "+6281234567890", or null when the jid is not a phone number (a LID, a group)
 */
export function jidToPhone(jid) {
  return isPhoneJid(jid) ? '+' + splitJid(jid).user : null;
}

/** @returns {string|null} the LID user part with its server ("123@lid"), device dropped */
export function lidOf(jid) {
  if (!isLidJid(jid)) return null;
  const j = splitJid(jid);
  return `${j.user}@${j.server}`;
}

/**
 * @param {string} phone an E.164 number as the gateway gives it, "+6281234567890" (the plus optional)
 * @returns {string} the user jid, "6281234567890@s.whatsapp.net"
 * @throws {Error} when it is not 5 to 20 digits
 */
export function phoneToJid(phone) {
  const digits = typeof phone === 'string' ? phone.trim().replace(/^\+/, '') : '';
  if (!/^[0-9]{5,20}$/.test(digits)) {
    throw new Error('Recipient is not a phone number in E.164 form');
  }
  return `${digits}@s.whatsapp.net`;
}

/**
 * The linked account, from creds.me. Never reports a LID as the phone number.
 *
 * @param {{id?: string, lid?: string, name?: string, notify?: string}|undefined} me creds.me
 * @param {(lidUser: string) => string|undefined} pnForLid looks up the phone user of a LID user
 *        (Baileys' lid-mapping "<lid>_reverse" keys)
 * @returns {{phoneNumber: string|null, displayName: string}}
 */
export function accountOf(me, pnForLid = () => undefined) {
  let phoneNumber = jidToPhone(me?.id);
  if (!phoneNumber) {
    for (const jid of [me?.id, me?.lid]) {
      const lid = splitJid(jid);
      if (lid && isLidJid(jid)) {
        const pn = pnForLid(lid.user);
        if (typeof pn === 'string' && /^[0-9]{5,20}$/.test(splitJid(pn)?.user ?? pn)) {
          phoneNumber = '+' + (splitJid(pn)?.user ?? pn);
          break;
        }
      }
    }
  }
  const name = [me?.name, me?.notify, me?.verifiedName].find((n) => typeof n === 'string' && n.trim() && n !== '~');
  return { phoneNumber, displayName: name ? name.trim() : '' };
}

// proto.WebMessageInfo.Status
const WA_STATUS = { ERROR: 0, PENDING: 1, SERVER_ACK: 2, DELIVERY_ACK: 3, READ: 4, PLAYED: 5 };

/**
 * @param {number|undefined|null} waStatus a messages.update status (proto.WebMessageInfo.Status)
 * @returns {'SENT'|'DELIVERED'|'READ'|'FAILED'|null} the gateway status, or null for none (PENDING)
 */
export function receiptStatus(waStatus) {
  switch (waStatus) {
    case WA_STATUS.ERROR: return 'FAILED';
    case WA_STATUS.SERVER_ACK: return 'SENT';
    case WA_STATUS.DELIVERY_ACK: return 'DELIVERED';
    case WA_STATUS.READ:
    case WA_STATUS.PLAYED: return 'READ';
    default: return null;
  }
}

/**
 * A group receipt (message-receipt.update's receipt) as a gateway status.
 *
 * @param {{readTimestamp?: unknown, playedTimestamp?: unknown, receiptTimestamp?: unknown}|undefined} receipt
 * @returns {'DELIVERED'|'READ'|null}
 */
export function userReceiptStatus(receipt) {
  if (!receipt) return null;
  if (receipt.readTimestamp || receipt.playedTimestamp) return 'READ';
  if (receipt.receiptTimestamp) return 'DELIVERED';
  return null;
}

// Wrappers whose inner message is the one to read.
const WRAPPERS = ['ephemeralMessage', 'viewOnceMessage', 'viewOnceMessageV2', 'viewOnceMessageV2Extension',
  'documentWithCaptionMessage', 'editedMessage'];
// Parts of a message that are not its content.
const NOT_CONTENT = new Set(['messageContextInfo', 'senderKeyDistributionMessage']);
const TYPES = {
  conversation: 'text', extendedTextMessage: 'text', imageMessage: 'image', videoMessage: 'video',
  audioMessage: 'audio', documentMessage: 'document', stickerMessage: 'sticker', locationMessage: 'location',
  liveLocationMessage: 'location', contactMessage: 'contact', contactsArrayMessage: 'contact',
  reactionMessage: 'reaction', pollCreationMessage: 'poll', pollCreationMessageV3: 'poll',
};

function unwrap(message) {
  let m = message;
  for (let depth = 0; m && depth < 5; depth++) {
    const wrapper = WRAPPERS.find((w) => m[w]?.message);
    if (!wrapper) break;
    m = m[wrapper].message;
  }
  return m;
}

function toMillis(timestamp) {
  if (timestamp == null) return undefined;
  if (typeof timestamp === 'number') return timestamp * 1000;
  if (typeof timestamp === 'string' && /^[0-9]+$/.test(timestamp)) return Number(timestamp) * 1000;
  if (typeof timestamp === 'object' && typeof timestamp.low === 'number') {
    return ((timestamp.high >>> 0) * 2 ** 32 + (timestamp.low >>> 0)) * 1000;
  }
  if (typeof timestamp?.toNumber === 'function') return timestamp.toNumber() * 1000;
  return undefined;
}

/**
 * An incoming message as the protocol's message-in event, or null when it is none to report (our
 * own, a protocol or status message, no content).
 *
 * @param {string} sessionId the session
 * @param {object} msg a WAMessage from messages.upsert
 * @param {(lidUser: string) => string|undefined} pnForLid looks up the phone user of a LID user
 * @param {number} now fallback time in ms when the message has no timestamp
 * @returns {object|null} {type: 'message-in', sessionId, messageId, from, fromPhone?, fromLid?,
 *          fromName?, chatId, text?, messageType, timestamp}
 */
export function toMessageIn(sessionId, msg, pnForLid = () => undefined, now = Date.now()) {
  const key = msg?.key;
  if (!key || key.fromMe || !key.id || typeof key.remoteJid !== 'string') return null;
  if (key.remoteJid === 'status@broadcast' || key.remoteJid.endsWith('@newsletter')) return null;
  const content = unwrap(msg.message);
  if (!content || content.protocolMessage) return null;
  const contentKey = Object.keys(content).find((k) => !NOT_CONTENT.has(k) && content[k] != null);
  if (!contentKey) return null;

  const candidates = [key.participant, key.participantAlt, key.remoteJid, key.remoteJidAlt]
    .filter((j) => typeof j === 'string' && !j.endsWith('@g.us') && !j.endsWith('@broadcast'));
  // In a group the sender is the participant; in a chat the chat's own jid.
  const senders = key.participant ? candidates.filter((j) => j === key.participant || j === key.participantAlt) : candidates;
  let fromPhone = senders.map(jidToPhone).find(Boolean) ?? null;
  const fromLid = senders.map(lidOf).find(Boolean) ?? null;
  if (!fromPhone && fromLid) {
    const pn = pnForLid(splitJid(fromLid).user);
    const user = typeof pn === 'string' ? (splitJid(pn)?.user ?? pn) : undefined;
    if (user && /^[0-9]{5,20}$/.test(user)) fromPhone = '+' + user;
  }
  const from = fromPhone ?? fromLid ?? senders[0] ?? key.remoteJid;

  const text = content.conversation
    ?? content.extendedTextMessage?.text
    ?? content.imageMessage?.caption
    ?? content.videoMessage?.caption
    ?? content.documentMessage?.caption
    ?? content.reactionMessage?.text
    ?? undefined;
  const event = {
    type: 'message-in',
    sessionId,
    messageId: key.id,
    from,
    chatId: key.remoteJid,
    messageType: TYPES[contentKey] ?? contentKey.replace(/Message$/, ''),
    timestamp: new Date(toMillis(msg.messageTimestamp) ?? now).toISOString(),
  };
  if (fromPhone) event.fromPhone = fromPhone;
  if (fromLid) event.fromLid = fromLid;
  if (typeof msg.pushName === 'string' && msg.pushName.trim()) event.fromName = msg.pushName.trim();
  if (typeof text === 'string' && text.length > 0) event.text = text;
  return event;
}

/**
 * @param {number} attempt 1 for the first QR code of a linking attempt
 * @param {number} now the time it was shown, ms
 * @returns {number} when it expires, ms
 */
export function qrExpiresAt(attempt, now) {
  return now + (attempt <= 1 ? FIRST_QR_TTL_MS : LATER_QR_TTL_MS);
}

/**
 * Parses one command line from the gateway.
 *
 * @param {string} line the line without its newline
 * @returns {{ok: true, command: object} | {ok: false, error: string}}
 */
export function parseCommand(line) {
  let command;
  try {
    command = JSON.parse(line);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  if (!command || typeof command !== 'object' || Array.isArray(command)) return { ok: false, error: 'not an object' };
  if (command.v !== PROTOCOL_VERSION) return { ok: false, error: `unsupported protocol version ${JSON.stringify(command.v)}` };
  if (typeof command.type !== 'string') return { ok: false, error: 'no type' };
  return { ok: true, command };
}
