import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
// Importing it quietens this test process's console too, which these tests do not use.
import { NOTICE_INTERVAL_MS, throttledNotice } from '../quiet-console.js';

const guard = fileURLToPath(new URL('../quiet-console.js', import.meta.url));

test('once loaded, console output goes nowhere: stdout stays empty, stderr gets a notice without its text', () => {
  const script = `
    import ${JSON.stringify(guard)};
    const { debug } = console; // kept by a library after the guard, as debug does
    const privKey = Buffer.alloc(32, 0xa5);
    console.info('Closing session:', { currentRatchet: { ephemeralKeyPair: { privKey }, rootKey: privKey } });
    console.log('a'); console.warn('b'); console.error('Session error:' + privKey.toString('hex'));
    console.debug('c'); console.trace('d'); console.dir({ privKey }); console.table([{ privKey }]);
    console.assert(false, privKey); console.assert(true, 'not printed'); console.group('e'); console.count('f');
    debug(privKey);
    process.stdout.write('{"v":1,"type":"ready"}\\n');`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, '{"v":1,"type":"ready"}\n', 'stdout carries the protocol line only');
  assert.match(run.stderr, /^console output of a library suppressed: 1 write, \d+ characters \(not shown: it may hold keys\)\n$/,
    'one notice (the next would come a minute later), with no text of what was printed');
  assert.doesNotMatch(run.stderr, /a5|privKey|Closing/);
});

test('notices: the first at once, then at most one a minute counting what came in between', () => {
  const lines = [];
  let now = 1_000;
  const notice = throttledNotice((line) => lines.push(line), () => now);
  notice(120);
  notice(30);
  now += NOTICE_INTERVAL_MS - 1;
  notice(5);
  assert.equal(lines.length, 1);
  now += 1;
  notice(7);
  assert.deepEqual(lines, [
    'console output of a library suppressed: 1 write, 120 characters (not shown: it may hold keys)\n',
    'console output of a library suppressed: 3 writes, 42 characters (not shown: it may hold keys)\n',
  ]);
});
