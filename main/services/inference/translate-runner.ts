/**
 * Runs one translation job where it is called: in the inference worker for
 * the app and the CLI, on the calling thread in unit tests. It holds what is
 * slow to build (the loaded model, the translation memories, the database
 * connection) across jobs.
 *
 * A job: cut the input into sentences (plain text line by line, or USFM
 * around its markers), and for each sentence retrieve k examples, build the
 * few-shot prompt, decode, and report the sentence; then put the document
 * back together and, for a file, write it.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { LangbridgeError } from '../../api/errors';
import type { MemoryExample, TranslatedSegment } from '../../api/translate-schemas';
import { openDatabase, type Db } from '../../../db/open';
import { firstInvalidByte } from '../corpus/line-reader';
import { assemble, planSentences, type DocumentPlan } from './document-plan';
import { decode } from './decode';
import { loadOnnxModel, type LoadedModel, type OnnxDtype } from './onnx-model';
import { buildPrompt } from './prompt';
import { planPlainText } from './sentences';
import { MemoryCache } from './translation-memory';
import { planUsfm } from './usfm-plan';

export interface TranslateTask {
  jobId: string;
  dbPath: string;
  modelDir: string;
  dtype: OnnxDtype;
  from: string;
  to: string;
  beams: number;
  examples: number;
  maxNewTokens: number;
  input: { kind: 'text'; text: string } | { kind: 'file'; path: string; format: 'text' | 'usfm'; out: string | null };
}

export interface TaskResult {
  format: 'text' | 'usfm';
  text: string;
  segments: TranslatedSegment[];
  out: string | null;
  memoryPairs: number;
  seconds: number;
  generatedTokens: number;
}

export type RunnerEvent =
  | { type: 'token'; segment: number; text: string }
  | { type: 'segment'; total: number; segment: TranslatedSegment }
  | { type: 'progress'; step: string; done: number; total: number; unit: string };

/** Reads a file to translate as UTF-8, refusing (with its name and line) bytes that are not. */
function readText(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new LangbridgeError('not-found', `Cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (err as Error).message}.`, path);
  }
  const bad = firstInvalidByte(bytes);
  if (bad < bytes.length) {
    const line = bytes.subarray(0, bad).toString('latin1').split('\n').length;
    throw new LangbridgeError('encoding-error', `line ${line} of ${path} is not valid UTF-8; save the file as UTF-8 and try again.`, path, line);
  }
  return bytes.toString('utf8');
}

/** Writes next to the destination, then renames: a cancelled or failed job never leaves half a file. */
function writeAtomically(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.part`);
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export class TranslateRunner {
  private model: LoadedModel | null = null;
  private loading: Promise<LoadedModel> | null = null;
  private readonly memories = new MemoryCache();
  private db: { path: string; db: Db } | null = null;

  private async loadModel(dir: string, dtype: OnnxDtype): Promise<LoadedModel> {
    if (this.model && this.model.dir === dir && this.model.dtype === dtype) return this.model;
    // One model at a time: a 0.5B model takes 2 GB in fp32.
    await this.model?.dispose();
    this.model = null;
    this.loading = loadOnnxModel(dir, dtype);
    try {
      this.model = await this.loading;
    } finally {
      this.loading = null;
    }
    return this.model;
  }

  private database(path: string): Db {
    if (this.db?.path !== path) {
      this.db?.db.close();
      this.db = { path, db: openDatabase(path, { readonly: true }) };
    }
    return this.db.db;
  }

  async run(task: TranslateTask, emit: (e: RunnerEvent) => void, signal: AbortSignal): Promise<TaskResult> {
    const started = performance.now();
    const cancelled = () => {
      if (signal.aborted) throw new LangbridgeError('cancelled', 'The translation was cancelled.');
    };
    const format = task.input.kind === 'file' ? task.input.format : 'text';
    let source = task.input.kind === 'file' ? readText(task.input.path) : task.input.text;
    const bom = source.startsWith('\uFEFF') ? '\uFEFF' : '';
    source = source.slice(bom.length);
    const plan: DocumentPlan = format === 'usfm' ? planUsfm(source, task.from, task.to) : planPlainText(source, task.from, task.to);
    const sentences = planSentences(plan);

    emit({ type: 'progress', step: 'loading the model', done: 0, total: sentences.length, unit: 'sentences' });
    const model = await this.loadModel(task.modelDir, task.dtype);
    cancelled();
    emit({ type: 'progress', step: 'indexing the translation memory', done: 0, total: sentences.length, unit: 'sentences' });
    const memory = this.memories.get(this.database(task.dbPath), task.dbPath, task.from, task.to);

    const segments: TranslatedSegment[] = [];
    // A sentence repeated in a document (a refrain, a heading) is translated once.
    const done = new Map<string, Omit<TranslatedSegment, 'index'>>();
    let generated = 0;
    for (const [index, text] of sentences.entries()) {
      cancelled();
      let seg = done.get(text);
      if (!seg) {
        seg = await this.translateSentence(model, memory.search(text, task.examples), text, task, signal, (t) => emit({ type: 'token', segment: index, text: t }));
        generated += seg.tokens;
        done.set(text, seg);
      } else emit({ type: 'token', segment: index, text: seg.output });
      const segment = { index, ...seg };
      segments.push(segment);
      emit({ type: 'segment', total: sentences.length, segment });
      emit({ type: 'progress', step: 'translating', done: index + 1, total: sentences.length, unit: 'sentences' });
    }
    const text = bom + assemble(plan, segments.map((s) => s.output));
    let out: string | null = null;
    if (task.input.kind === 'file' && task.input.out) {
      cancelled();
      writeAtomically(task.input.out, text);
      out = task.input.out;
    }
    return {
      format,
      text,
      segments,
      out,
      memoryPairs: memory.size,
      seconds: Math.round(performance.now() - started) / 1000,
      generatedTokens: generated,
    };
  }

  private async translateSentence(
    model: LoadedModel,
    found: MemoryExample[],
    text: string,
    task: TranslateTask,
    signal: AbortSignal,
    onText: (t: string) => void,
  ): Promise<Omit<TranslatedSegment, 'index'>> {
    const prompt = buildPrompt(task.from, task.to, text, found, model.encode, { maxPositions: model.maxPositions, maxNewTokens: task.maxNewTokens });
    const r = await decode(model.step, model.codec, prompt.ids, {
      maxNewTokens: task.maxNewTokens,
      beams: task.beams,
      stopAtLineEnd: true,
      eosTokenIds: model.eosTokenIds,
      signal,
      onText,
    });
    return {
      source: text,
      output: r.text,
      confidence: r.confidence,
      probability: Math.exp(r.confidence),
      tokens: r.tokens.length,
      stop: r.stop,
      examples: prompt.examples,
    };
  }

  async close(): Promise<void> {
    await this.loading?.catch(() => undefined);
    await this.model?.dispose();
    this.model = null;
    this.db?.db.close();
    this.db = null;
  }
}
