import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accountOf, closeDecision, jidToPhone, parseCommand, phoneToJid, qrExpiresAt, receiptStatus,
  statusCodeOf, toMessageIn, userReceiptStatus,
} from '../mapping.js';

const boom = (statusCode, message = 'x') => Object.assign(new Error(message), { output: { statusCode } });

test('disconnect codes map to gateway reasons', () => {
  assert.deepEqual(closeDecision(515), { restart: true });
  assert.deepEqual(closeDecision(401), { restart: false, reason: 'LOGGED_OUT' });
  assert.deepEqual(closeDecision(440), { restart: false, reason: 'REPLACED' });
  assert.deepEqual(closeDecision(428), { restart: false, reason: 'CONNECTION_LOST' });
  assert.deepEqual(closeDecision(500), { restart: false, reason: 'CONNECTION_LOST' });
  assert.deepEqual(closeDecision(undefined), { restart: false, reason: 'CONNECTION_LOST' });
});

test('408 is QR_TIMEOUT only when QR codes were showing and their attempts ended', () => {
  assert.equal(closeDecision(408, { qrShown: true, message: 'QR refs attempts ended' }).reason, 'QR_TIMEOUT');
  assert.equal(closeDecision(408, { qrShown: false, message: 'QR refs attempts ended' }).reason, 'CONNECTION_LOST');
  assert.equal(closeDecision(408, { qrShown: true, message: 'getaddrinfo ENOTFOUND web.whatsapp.com' }).reason, 'CONNECTION_LOST');
  assert.equal(closeDecision(408, {}).reason, 'CONNECTION_LOST');
});

test('status code is read from a Boom error', () => {
  assert.equal(statusCodeOf(boom(408)), 408);
  assert.equal(statusCodeOf({ statusCode: 401 }), 401);
  assert.equal(statusCodeOf(new Error('plain')), undefined);
  assert.equal(statusCodeOf(undefined), undefined);
});

test('phone-number jids become +digits; LIDs and groups do not', () => {
  assert.equal(jidToPhone('6281234567890@s.whatsapp.net'), '+6281234567890');
  assert.equal(jidToPhone('6281234567890:12@s.whatsapp.net'), '+6281234567890');
  assert.equal(jidToPhone('6281234567890@c.us'), '+6281234567890');
  assert.equal(jidToPhone('123456789012345@lid'), null);
  assert.equal(jidToPhone('123456789012345:3@lid'), null);
  assert.equal(jidToPhone('120363025246125888@g.us'), null);
  assert.equal(jidToPhone('nonsense'), null);
  assert.equal(jidToPhone(undefined), null);
});

test('recipients become user jids', () => {
  assert.equal(phoneToJid('+6281234567890'), '6281234567890@s.whatsapp.net');
  assert.equal(phoneToJid('6281234567890'), '6281234567890@s.whatsapp.net');
  assert.throws(() => phoneToJid('+62 812'), /E\.164/);
  assert.throws(() => phoneToJid('abc'), /E\.164/);
});

test('the account is reported by phone number, never by LID', () => {
  assert.deepEqual(accountOf({ id: '6281234567890:7@s.whatsapp.net', lid: '99887766554433:7@lid', name: 'Budi' }),
    { phoneNumber: '+6281234567890', displayName: 'Budi' });
  const reverse = { '99887766554433': '6281234567890' };
  assert.deepEqual(accountOf({ id: '99887766554433:7@lid', notify: 'Budi' }, (lid) => reverse[lid]),
    { phoneNumber: '+6281234567890', displayName: 'Budi' });
  assert.deepEqual(accountOf({ id: '99887766554433:7@lid', name: '~' }), { phoneNumber: null, displayName: '' });
});

test('receipts map to delivery statuses', () => {
  assert.equal(receiptStatus(0), 'FAILED');
  assert.equal(receiptStatus(1), null);
  assert.equal(receiptStatus(2), 'SENT');
  assert.equal(receiptStatus(3), 'DELIVERED');
  assert.equal(receiptStatus(4), 'READ');
  assert.equal(receiptStatus(5), 'READ');
  assert.equal(receiptStatus(undefined), null);
  assert.equal(userReceiptStatus({ receiptTimestamp: 1700000000 }), 'DELIVERED');
  assert.equal(userReceiptStatus({ receiptTimestamp: 1700000000, readTimestamp: 1700000001 }), 'READ');
  assert.equal(userReceiptStatus({ playedTimestamp: 1700000001 }), 'READ');
  assert.equal(userReceiptStatus({}), null);
});

test('a text from a phone-number chat becomes message-in with +digits', () => {
  const event = toMessageIn('s1', {
    key: { id: 'ABC', remoteJid: '6281234567890@s.whatsapp.net', remoteJidAlt: '99887766554433@lid', fromMe: false },
    message: { conversation: 'halo' },
    pushName: 'Siti',
    messageTimestamp: 1764614400,
  });
  assert.deepEqual(event, {
    type: 'message-in', sessionId: 's1', messageId: 'ABC', from: '+6281234567890', fromPhone: '+6281234567890',
    fromLid: '99887766554433@lid', fromName: 'Siti', chatId: '6281234567890@s.whatsapp.net', text: 'halo',
    messageType: 'text', timestamp: '2025-12-01T18:40:00.000Z',
  });
});

test('a sender known only by LID is reported by LID, or by phone once the mapping knows it', () => {
  const msg = { key: { id: 'L1', remoteJid: '99887766554433@lid', fromMe: false }, message: { extendedTextMessage: { text: 'hi' } } };
  const byLid = toMessageIn('s1', msg, () => undefined, 0);
  assert.equal(byLid.from, '99887766554433@lid');
  assert.equal(byLid.fromPhone, undefined);
  assert.equal(byLid.timestamp, '1970-01-01T00:00:00.000Z');
  const mapped = toMessageIn('s1', msg, (lid) => (lid === '99887766554433' ? '6281234567890' : undefined), 0);
  assert.equal(mapped.from, '+6281234567890');
  assert.equal(mapped.fromLid, '99887766554433@lid');
});

test('in a group the sender is the participant and the chat is the group', () => {
  const event = toMessageIn('s1', {
    key: { id: 'G1', remoteJid: '120363025246125888@g.us', participant: '99887766554433@lid',
      participantAlt: '6281234567890@s.whatsapp.net', fromMe: false },
    message: { ephemeralMessage: { message: { imageMessage: { caption: 'look' } } } },
    messageTimestamp: { low: 1764614400, high: 0 },
  });
  assert.equal(event.from, '+6281234567890');
  assert.equal(event.chatId, '120363025246125888@g.us');
  assert.equal(event.messageType, 'image');
  assert.equal(event.text, 'look');
  assert.equal(event.timestamp, '2025-12-01T18:40:00.000Z');
});

test('own, status, protocol and empty messages are not reported', () => {
  const base = { id: 'X', remoteJid: '6281234567890@s.whatsapp.net', fromMe: false };
  assert.equal(toMessageIn('s1', { key: { ...base, fromMe: true }, message: { conversation: 'a' } }), null);
  assert.equal(toMessageIn('s1', { key: { ...base, remoteJid: 'status@broadcast' }, message: { conversation: 'a' } }), null);
  assert.equal(toMessageIn('s1', { key: base, message: { protocolMessage: { type: 0 } } }), null);
  assert.equal(toMessageIn('s1', { key: base, message: { messageContextInfo: {} } }), null);
  assert.equal(toMessageIn('s1', { key: base }), null);
  const sticker = toMessageIn('s1', { key: base, message: { stickerMessage: {}, messageContextInfo: {} } });
  assert.equal(sticker.messageType, 'sticker');
  assert.equal(sticker.text, undefined);
});

test('the first QR lives 60 s, later ones 20 s', () => {
  assert.equal(qrExpiresAt(1, 1000), 61_000);
  assert.equal(qrExpiresAt(2, 1000), 21_000);
  assert.equal(qrExpiresAt(6, 0), 20_000);
});

test('commands must be versioned JSON objects with a type', () => {
  assert.deepEqual(parseCommand('{"v":1,"type":"ping","reqId":3}'), { ok: true, command: { v: 1, type: 'ping', reqId: 3 } });
  assert.equal(parseCommand('nope').ok, false);
  assert.equal(parseCommand('[1]').ok, false);
  assert.match(parseCommand('{"v":2,"type":"ping"}').error, /version 2/);
  assert.equal(parseCommand('{"v":1}').ok, false);
});
