// `npm run demo`: the whole loop on the embedded sample corpus, as far as it
// exists today (issue #2: corpus). Imports the UDHR for a handful of languages,
// prints the per-language statistics (with Qwen tokenizer fertility), and runs
// a search. Later milestones add cleaning, training and evaluation steps here.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

const workspace = resolve(process.env.LANGBRIDGE_HOME ?? 'demo-workspace');
const langs = process.env.DEMO_LANGS ?? 'eng,swh,yor,quy,amh,arb,tha,khm,cmn';
mkdirSync(workspace, { recursive: true });

function step(title) {
  console.log(`\n== ${title}`);
}

function langbridge(args) {
  const r = spawnSync(process.execPath, ['bin/langbridge.js', ...args, '--workspace', workspace], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!existsSync('out/main/cli.js')) {
  step('Building Langbridge (first run)');
  const b = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

step(`1/3 Importing the Universal Declaration of Human Rights (${langs}) into ${workspace}`);
langbridge(['import', '--sample', 'udhr', '--langs', langs]);

step('2/3 Per-language statistics (tokens under the Qwen2/Qwen3 tokenizer; tokens/word = fertility)');
langbridge(['stats']);

step('3/3 Full-text search for "dignity" and a substring in Thai (written without spaces)');
langbridge(['search', 'dignity', '--limit', '3']);
langbridge(['search', 'เสรีภาพ', '--limit', '3']);

console.log(`\nDone. Browse it: npx langbridge serve --workspace ${workspace}`);
