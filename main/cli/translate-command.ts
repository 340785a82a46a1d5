/**
 * `langbridge translate`: a thin wrapper over translate:text and
 * translate:file. The translation goes to stdout (or to --out), each
 * sentence's confidence to stderr as it finishes; --json prints the whole
 * result (every sentence with its confidence and the examples it used), and
 * --segments writes one JSON line per sentence for a review queue.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command, Option } from 'commander';
import { LangbridgeError } from '../api/errors';
import type { TranslateResult } from '../api/translate-schemas';
import type { Langbridge } from '../services/langbridge';

function positiveInt(name: string, v: string | undefined, fallback: number, min: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new LangbridgeError('bad-input', `${name} must be a whole number, ${min} or more (got "${v}").`);
  return n;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** One JSON object a line per sentence, for review queues (main/services/review/translated-file.ts reads it). */
function writeSegments(path: string, r: TranslateResult): void {
  const lines = r.segments.map((s) =>
    JSON.stringify({ index: s.index, source: s.source, output: s.output, confidence: s.confidence, probability: s.probability, from: r.from, to: r.to, model: r.model.path, dtype: r.model.dtype }),
  );
  writeFileSync(resolve(path), lines.join('\n') + '\n');
}

const pct = (p: number) => `${(100 * p).toFixed(0)}%`;

function summary(r: TranslateResult): string {
  const n = r.segments.length;
  const mean = n ? r.segments.reduce((a, s) => a + s.confidence, 0) / n : 0;
  return `${n} sentence${n === 1 ? '' : 's'} (${r.from} → ${r.to}, ${r.model.dtype === 'q8' ? 'int8' : 'fp32'}) in ${r.seconds}s, ${r.generatedTokens} tokens; mean confidence ${mean.toFixed(3)} (≈ ${pct(Math.exp(mean))} per token); ${r.memoryPairs} training pairs to draw examples from`;
}

export function addTranslateCommand(program: Command, open: (o: { workspace?: string }) => Langbridge, workspaceOption: () => Option): void {
  program
    .command('translate')
    .description('translate text or a file (plain text or USFM) with an exported ONNX model, helped by examples from the corpus')
    .argument('[text]', 'the text to translate (or --file, or text on stdin)')
    .addOption(workspaceOption())
    .requiredOption('--model <ref|dir>', 'an ONNX export folder, or a model with one: tiny, ORG/NAME, run:JOB[@STEP] (see `langbridge models exports`)')
    .requiredOption('--from <lang>', 'source language (swh_Latn, sw, swh ...)')
    .requiredOption('--to <lang>', 'target language')
    .option('--file <path>', 'translate this file: plain text line by line, or USFM keeping every marker')
    .option('--format <format>', 'with --file: auto, text or usfm', 'auto')
    .option('--out <path>', 'with --file: write the translation here')
    .option('--segments <path>', 'also write one JSON line per sentence ({source, output, confidence, ...}): what `langbridge review create --from-file` reads')
    .option('--beams <n>', 'beam search with n beams (1: greedy)', '1')
    .option('--examples <k>', 'examples retrieved from the corpus for each sentence', '4')
    .option('--max-tokens <n>', 'most tokens generated for one sentence', '256')
    .option('--int8', 'use the int8 model (faster, slightly less exact)')
    .option('--json', 'print the whole result as JSON')
    .action(async (text: string | undefined, o) => {
      if (text !== undefined && o.file) throw new LangbridgeError('bad-input', 'give either TEXT or --file, not both.');
      if (o.out && !o.file) throw new LangbridgeError('bad-input', '--out goes with --file (text given on the command line is printed).');
      if (!['auto', 'text', 'usfm'].includes(o.format)) throw new LangbridgeError('bad-input', `--format must be auto, text or usfm (got "${o.format}").`);
      let input = text;
      if (input === undefined && !o.file) {
        if (process.stdin.isTTY) throw new LangbridgeError('bad-input', 'give the text to translate, --file FILE, or text on stdin.');
        input = await readStdin();
      }
      const lb = open(o);
      const jobId = randomUUID();
      const json = Boolean(o.json);
      const offSegment = lb.on('translate:segment', (e) => {
        if (json || e.jobId !== jobId) return;
        const s = e.segment;
        process.stderr.write(`[${s.index + 1}/${e.total}] confidence ${s.confidence.toFixed(3)} (${pct(s.probability)})  ${s.output}\n`);
      });
      const offProgress = lb.on('translate:progress', (p) => {
        if (!json && p.jobId === jobId && p.state === 'running' && p.step !== 'translating' && p.step !== 'queued') process.stderr.write(`${p.step}…\n`);
      });
      const stop = () => {
        lb.translate.cancel(jobId);
      };
      process.once('SIGINT', stop);
      try {
        const common = {
          model: o.model,
          from: o.from,
          to: o.to,
          beams: positiveInt('--beams', o.beams, 1, 1),
          examples: positiveInt('--examples', o.examples, 4, 0),
          maxNewTokens: positiveInt('--max-tokens', o.maxTokens, 256, 1),
          int8: Boolean(o.int8),
          jobId,
        };
        const r = o.file
          ? await lb.invoke('translate:file', { ...common, path: o.file, format: o.format, ...(o.out ? { out: o.out } : {}) })
          : await lb.invoke('translate:text', { ...common, text: input! });
        if (o.segments) writeSegments(o.segments, r);
        if (json) console.log(JSON.stringify(r, null, 2));
        else {
          if (r.out) console.log(`wrote ${r.out}`);
          else process.stdout.write(r.text.endsWith('\n') ? r.text : `${r.text}\n`);
          process.stderr.write(`${summary(r)}\n`);
        }
      } finally {
        process.off('SIGINT', stop);
        offSegment();
        offProgress();
        lb.close();
      }
    });
}
