// Runs `npm ci` unless node_modules already holds exactly what package-lock.json pins (the build
// runs this before bundling; a clean checkout always installs).
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const npm = process.argv[2] || 'npm';
const lockHash = createHash('sha256').update(readFileSync('package-lock.json')).digest('hex');
const marker = 'node_modules/.wagw-installed-lock.sha256';
if (existsSync(marker) && readFileSync(marker, 'utf8') === lockHash) {
  console.log('worker dependencies are installed as package-lock.json pins them');
} else {
  execFileSync(npm, ['ci', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { stdio: 'inherit' });
  writeFileSync(marker, lockHash);
}
