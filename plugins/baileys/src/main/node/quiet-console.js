// Imported first by worker.js, so it runs before Baileys and every library it loads, and before any
// of them keeps a console method of its own (debug, for one, keeps console.debug). stdout is the
// protocol's channel: only the worker's JSON lines may go there. And what a library prints can hold
// secrets: libsignal prints a whole Signal session on console.info("Closing session:", session)
// whenever a contact re-keys, private, root and chain keys included (Node ignores the inspect()
// that was meant to hide them). stderr is no place for that either: the plugin logs it. So console
// output goes nowhere; stderr gets a fixed notice of how much was suppressed, never any of its text,
// at most one a minute.
import { Console } from 'node:console';
import { Writable } from 'node:stream';

/** At most one notice in this many milliseconds; what is suppressed in between is counted in the next. */
export const NOTICE_INTERVAL_MS = 60_000;

/**
 * Makes every printing method of `target` (log, info, warn, error, debug, trace, dir, table, assert,
 * …) print nothing: they format into a sink that only tells `notice` how many characters it got.
 *
 * @param {Console} target the console to quieten, changed in place
 * @param {(characters: number) => void} notice called once for each write the console would have made
 */
export function quietConsole(target, notice) {
  const sink = new Writable({
    decodeStrings: false,
    write(chunk, _encoding, done) {
      notice(chunk.length);
      done();
    },
  });
  // A console of its own formats as the real one would (groups, assert, count, time…), into the sink.
  const quiet = new Console({ stdout: sink, stderr: sink, colorMode: false });
  for (const name of Object.keys(target)) {
    if (name !== 'Console' && typeof target[name] === 'function' && typeof quiet[name] === 'function') {
      target[name] = quiet[name];
    }
  }
}

/**
 * A `notice` for {@link quietConsole} that writes a fixed line with counts only: the first write at
 * once, later ones at most one line per {@link NOTICE_INTERVAL_MS}, with what came in between.
 *
 * @param {(line: string) => void} write where the line goes (stderr)
 * @param {() => number} now the clock, in milliseconds
 */
export function throttledNotice(write, now = Date.now) {
  let last = -Infinity;
  let writes = 0;
  let characters = 0;
  return (length) => {
    writes++;
    characters += length;
    const t = now();
    if (t - last < NOTICE_INTERVAL_MS) return;
    last = t;
    write(`console output of a library suppressed: ${writes} write${writes === 1 ? '' : 's'}, ${characters} characters `
      + '(not shown: it may hold keys)\n');
    writes = 0;
    characters = 0;
  };
}

quietConsole(console, throttledNotice((line) => process.stderr.write(line)));
