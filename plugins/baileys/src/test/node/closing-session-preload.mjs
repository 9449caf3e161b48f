// Preloaded (node --import) into the real worker by RealWorkerTest: once the worker said `ready`,
// libsignal itself closes a Signal session, as it does whenever a contact re-keys, and so prints
// the whole session (private, root and chain keys) with console.info. Its key bytes are fixed
// (0xa5 0x5a …) so the test can look for them in the gateway's log. Then a `log` event says it
// is done. WAGW_BAILEYS_TEST_LIBSIGNAL names the build's node_modules/libsignal.
import { createRequire } from 'node:module';

const require = createRequire(process.env.WAGW_BAILEYS_TEST_LIBSIGNAL + '/');
const SessionRecord = require('./src/session_record.js');
const curve = require('./src/curve.js');

const secret = (first) => Buffer.from(Array.from({ length: 32 }, (_, i) => (i % 2 === 0 ? first : 0x5a)));

function closeASession() {
  const pair = curve.generateKeyPair();
  const entry = SessionRecord.createEntry();
  entry.registrationId = 4242;
  entry.currentRatchet = {
    ephemeralKeyPair: { pubKey: pair.pubKey, privKey: secret(0xa5) },
    lastRemoteEphemeralKey: pair.pubKey,
    previousCounter: 0,
    rootKey: secret(0xa5),
  };
  entry.indexInfo = { baseKey: pair.pubKey, baseKeyType: 1, closed: -1, used: Date.now(), created: Date.now(), remoteIdentityKey: pair.pubKey };
  entry.addChain(pair.pubKey, { chainKey: { counter: 0, key: secret(0xa5) }, chainType: 1, messageKeys: {} });
  const record = new SessionRecord();
  record.setSession(entry);
  record.closeSession(entry);
}

const write = process.stdout.write.bind(process.stdout);
let done = false;
process.stdout.write = (chunk, ...rest) => {
  const result = write(chunk, ...rest);
  if (!done && String(chunk).includes('"type":"ready"')) {
    done = true;
    setImmediate(() => {
      closeASession();
      write(JSON.stringify({ v: 1, type: 'log', level: 'warn', msg: 'preload: a session was closed' }) + '\n');
    });
  }
  return result;
};
