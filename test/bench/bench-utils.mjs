// Helpers shared by the benchmarks and their corpus generators.
import { readdirSync, readFileSync } from 'node:fs';

/** Sum of VmRSS (kB) over `rootPid` and its descendants (without the root when skipRoot), or 0 when gone. */
export function treeRssKb(rootPid, skipRoot = false) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(name));
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    if (!(skipRoot && pid === rootPid)) {
      try {
        const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (m) total += Number(m[1]);
      } catch {
        // exited
      }
    }
    for (const c of children.get(pid) ?? []) stack.push(c);
  }
  return total;
}

/** `--docs N --out FILE --seed S` for a corpus generator; `defaultOut(docs)` when --out is not given. */
export function parseGeneratorArgs(argv, { defaultDocs, defaultSeed, defaultOut, script }) {
  const opts = { docs: defaultDocs, out: null, seed: defaultSeed };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--docs') opts.docs = Number(val().replace(/[_,]/g, ''));
    else if (a === '--out') opts.out = val();
    else if (a === '--seed') opts.seed = Number(val());
    else if (a === '--help' || a === '-h') {
      console.log(`usage: node ${script} [--docs N] [--out FILE] [--seed S]`);
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isInteger(opts.docs) || opts.docs < 1) throw new Error('--docs must be a positive integer');
  if (!Number.isInteger(opts.seed)) throw new Error('--seed must be an integer');
  opts.out ??= defaultOut(opts.docs);
  return opts;
}
