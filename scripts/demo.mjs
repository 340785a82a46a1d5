// `npm run demo`: the whole loop on the embedded sample corpus, as far as it
// exists today (corpus and pipeline). Imports the UDHR for a handful of
// languages, prints the per-language statistics (with Qwen tokenizer
// fertility), runs a search, then previews and runs the `marco` recipe into a
// dataset version, printing what each step removed and the mixture plan.
// Later milestones add training and evaluation here.
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

step(`1/6 Importing the Universal Declaration of Human Rights (${langs}) into ${workspace}`);
langbridge(['import', '--sample', 'udhr', '--langs', langs]);

step('2/6 Per-language statistics (tokens under the Qwen2/Qwen3 tokenizer; tokens/word = fertility)');
langbridge(['stats']);

step('3/6 Full-text search for "dignity" and a substring in Thai (written without spaces)');
langbridge(['search', 'dignity', '--limit', '3']);
langbridge(['search', 'เสรีภาพ', '--limit', '3']);

step('4/6 Dry run of the marco recipe on the first 100 documents per language: what each step would remove, and why');
langbridge(['pipeline', 'preview', '--preset', 'marco', '--sample', '100']);

step('5/6 Building a dataset version with the marco recipe (two stages, replay of the big languages, templated pairs)');
langbridge(['pipeline', 'run', '--preset', 'marco']);

step('6/6 Dataset versions in this workspace');
langbridge(['datasets']);

console.log(`\nDone. Browse it: npx langbridge serve --workspace ${workspace}`);
