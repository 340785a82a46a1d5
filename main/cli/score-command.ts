/**
 * `langbridge score`: BLEU, chrF or chrF++ of a hypothesis file against one or
 * more reference files, with sacrebleu 2.6.0's scores and signatures. Needs no
 * workspace. Files are UTF-8, one segment per line, split on "\n" only (a
 * "\r" before it is dropped, a final newline ends the last line), unlike
 * Python's splitlines(), which would also split on U+2028 and friends.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { LangbridgeError, parseError } from '../api/errors';
import {
  BLEU_TOKENIZERS,
  chrfName,
  corpusBleu,
  corpusChrf,
  pyFixed,
  sentenceBleu,
  sentenceChrf,
  type BleuOptions,
  type BleuResult,
  type BleuTokenizer,
  type ChrfOptions,
  type ChrfResult,
  type Smoothing,
} from '../services/eval/metrics';

type Metric = 'bleu' | 'chrf' | 'chrf++';

/** One segment per line; names the file (and the line, for bad UTF-8) when it cannot be read. */
export function readSegments(file: string): string[] {
  const path = resolve(file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new LangbridgeError('not-found', `No such file: ${path}`, path);
    if (code === 'EISDIR') throw new LangbridgeError('bad-input', `${path} is a folder; give a text file with one segment per line`, path);
    throw new LangbridgeError('bad-input', `Cannot read ${path}: ${(err as Error).message}`, path);
  }
  if (bytes.length === 0) return [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    // Find the line so the user can fix it.
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          decoder.decode(bytes.subarray(start, i));
        } catch {
          throw parseError(path, line, 'not valid UTF-8 text');
        }
        line++;
        start = i + 1;
      }
    }
    throw parseError(path, undefined, 'not valid UTF-8 text');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a byte-order mark is not part of the first segment
  if (text.endsWith('\n')) text = text.slice(0, -1);
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

function bleuJson(r: BleuResult, width: number) {
  return {
    score: r.score,
    signature: r.signature,
    counts: r.counts,
    totals: r.totals,
    precisions: r.precisions,
    bp: r.bp,
    sys_len: r.sysLen,
    ref_len: r.refLen,
    text: bleuLine(r, width),
  };
}

/** sacrebleu's text format: `BLEU|<signature> = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)`. */
function bleuLine(r: BleuResult, width: number): string {
  const prec = r.precisions.map((p) => pyFixed(p, 1)).join('/');
  const ratio = r.refLen ? r.sysLen / r.refLen : 0;
  return `BLEU|${r.signature} = ${pyFixed(r.score, width)} ${prec} (BP = ${pyFixed(r.bp, 3)} ratio = ${pyFixed(ratio, 3)} hyp_len = ${r.sysLen} ref_len = ${r.refLen})`;
}

function chrfLine(r: ChrfResult, width: number): string {
  return `${chrfName(r.beta, r.wordOrder)}|${r.signature} = ${pyFixed(r.score, width)}`;
}

interface ScoreOpts {
  metric: Metric;
  hyp: string;
  ref: string[];
  tokenize: BleuTokenizer;
  smooth: Smoothing;
  smoothValue?: string;
  lowercase?: boolean;
  sentence?: boolean;
  json?: boolean;
  width: string;
}

function score(o: ScoreOpts): void {
  const hyps = readSegments(o.hyp);
  const refs = o.ref.map((file) => {
    const lines = readSegments(file);
    if (lines.length !== hyps.length) {
      throw new LangbridgeError(
        'bad-input',
        `${resolve(o.hyp)} has ${hyps.length} lines but ${resolve(file)} has ${lines.length}: each line of the hypotheses must match the same line of every reference file`,
        resolve(file),
      );
    }
    return lines;
  });
  const width = Number(o.width);
  if (!Number.isInteger(width) || width < 0 || width > 16) throw new LangbridgeError('bad-input', `--width must be a whole number from 0 to 16, got "${o.width}"`);
  const smoothValue = o.smoothValue === undefined ? undefined : Number(o.smoothValue);
  if (smoothValue !== undefined && !Number.isFinite(smoothValue)) throw new LangbridgeError('bad-input', `--smooth-value must be a number, got "${o.smoothValue}"`);

  if (o.metric === 'bleu') {
    const bo: BleuOptions = { tokenize: o.tokenize, smooth: o.smooth, smoothValue, lowercase: Boolean(o.lowercase) };
    if (o.sentence) {
      const rs = hyps.map((h, i) =>
        sentenceBleu(
          h,
          refs.map((r) => r[i]),
          bo,
        ),
      );
      if (o.json) console.log(JSON.stringify(rs.map((r) => bleuJson(r, width)), null, 2));
      else for (const r of rs) console.log(bleuLine(r, width));
    } else {
      const r = corpusBleu(hyps, refs, bo);
      console.log(o.json ? JSON.stringify(bleuJson(r, width), null, 2) : bleuLine(r, width));
    }
    return;
  }
  const co: ChrfOptions = { wordOrder: o.metric === 'chrf++' ? 2 : 0, lowercase: Boolean(o.lowercase) };
  const out = (r: ChrfResult) => ({ score: r.score, signature: r.signature, name: chrfName(r.beta, r.wordOrder), text: chrfLine(r, width) });
  if (o.sentence) {
    const rs = hyps.map((h, i) =>
      sentenceChrf(
        h,
        refs.map((r) => r[i]),
        co,
      ),
    );
    if (o.json) console.log(JSON.stringify(rs.map(out), null, 2));
    else for (const r of rs) console.log(chrfLine(r, width));
  } else {
    const r = corpusChrf(hyps, refs, co);
    console.log(o.json ? JSON.stringify(out(r), null, 2) : chrfLine(r, width));
  }
}

export function addScoreCommand(program: Command): void {
  program
    .command('score')
    .description('score a file of translations against reference files: BLEU, chrF or chrF++, equal to sacrebleu 2.6.0')
    .addOption(new Option('--metric <metric>', 'bleu, chrf or chrf++').choices(['bleu', 'chrf', 'chrf++']).default('bleu'))
    .requiredOption('--hyp <file>', 'the system output, one segment per line (UTF-8)')
    .requiredOption('--ref <files...>', 'reference file(s), line-aligned with --hyp; repeat --ref or list several for multiple references')
    .addOption(new Option('--tokenize <name>', 'BLEU tokenizer').choices([...BLEU_TOKENIZERS]).default('13a'))
    .addOption(new Option('--smooth <method>', 'BLEU smoothing').choices(['exp', 'floor', 'add-k', 'none']).default('exp'))
    .option('--smooth-value <x>', 'BLEU smoothing value for floor (default 0.1) and add-k (default 1)')
    .option('--lowercase', 'case-insensitive scoring')
    .option('--sentence', 'one score per line (sentence BLEU uses effective order, as sacrebleu does)')
    .option('--width <n>', 'decimals in the text output', '2')
    .option('--json', 'print JSON: { score, signature } plus, for BLEU, counts, totals, precisions, bp, sys_len, ref_len')
    .action((o: ScoreOpts) => score(o));
}
