// The end-to-end tests drive Debian's Chromium (/usr/bin/chromium) rather than
// a browser downloaded by Playwright, so they run offline on the project's
// Debian images. Installs it with apt-get when it is missing.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const CHROMIUM = '/usr/bin/chromium';

if (existsSync(CHROMIUM)) {
  console.log(`ensure-chromium: ${CHROMIUM} is installed.`);
  process.exit(0);
}
if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) {
  console.error(`ensure-chromium: ${CHROMIUM} is missing and this is not a Debian-like system; install Chromium there by hand.`);
  process.exit(1);
}

const root = typeof process.getuid === 'function' && process.getuid() === 0;
const prefix = root ? [] : ['sudo', '-n'];
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };

function run(args) {
  const [cmd, ...rest] = [...prefix, ...args];
  console.log(`ensure-chromium: running ${[cmd, ...rest].join(' ')}`);
  const r = spawnSync(cmd, rest, { stdio: 'inherit', env });
  if (r.error) {
    console.error(`ensure-chromium: could not run ${cmd}: ${r.error.message}`);
    process.exit(1);
  }
  if (r.status !== 0) {
    console.error(`ensure-chromium: ${args.join(' ')} exited with ${r.status}${root ? '' : ' (is passwordless sudo available?)'}.`);
    process.exit(r.status ?? 1);
  }
}

console.log(`ensure-chromium: ${CHROMIUM} is missing; installing Debian's chromium package.`);
run(['apt-get', 'update']);
run(['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']);
if (!existsSync(CHROMIUM)) {
  console.error(`ensure-chromium: apt-get finished but ${CHROMIUM} is still missing.`);
  process.exit(1);
}
console.log(`ensure-chromium: installed ${CHROMIUM}.`);
