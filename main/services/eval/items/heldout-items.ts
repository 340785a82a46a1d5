/**
 * The team's own held-out data, from a dataset version's folder (its
 * manifest lists the files): held-out pairs, translated in both directions
 * (scored like Flores), and held-out texts, whose log-likelihood gives
 * bits per character per language. Neither ever entered training (see
 * main/services/pipeline/write-dataset.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parquetReadObjects } from 'hyparquet';
import { LangbridgeError } from '../../../api/errors';
import type { DatasetManifest } from '../../../api/pipeline-schemas';
import { translationPrompt, type Shot } from '../prompts';
import { firstN, type EvalItemSpec, type ItemOptions } from './types';

export interface DatasetFolder {
  id: number;
  dir: string;
  manifest: DatasetManifest;
}

export interface HeldOutPair {
  src: string;
  tgt: string;
  src_lang: string;
  tgt_lang: string;
  pair_id: number;
}

/** Lines of a JSONL file as objects, naming the file and line of any that is not JSON. */
function jsonl<T>(path: string, bytes: Buffer): T[] {
  const out: T[] = [];
  const lines = bytes.toString('utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.trim()) continue;
    try {
      out.push(JSON.parse(lines[i]!) as T);
    } catch {
      throw new LangbridgeError('bad-input', `Line ${i + 1} of ${path} is not valid JSON; the dataset version looks damaged (rebuild it from the Pipeline page).`, path, i + 1);
    }
  }
  return out;
}

function readFile(ds: DatasetFolder, rel: string): Buffer {
  const path = join(ds.dir, rel);
  if (!existsSync(path)) throw new LangbridgeError('not-found', `${path} is listed in dataset #${ds.id}'s manifest but does not exist.`, path);
  return readFileSync(path);
}

export function heldOutPairItems(ds: DatasetFolder, o: ItemOptions): EvalItemSpec[] {
  const files = ds.manifest.heldOutPairs ?? [];
  const out: EvalItemSpec[] = [];
  for (const f of files) {
    if (o.langs.length && !(o.langs.includes(f.srcLang) && o.langs.includes(f.tgtLang))) continue;
    const pairs = jsonl<HeldOutPair>(join(ds.dir, f.path), readFile(ds, f.path));
    // The first k pairs are the shots of both directions, and are not scored.
    const shotPairs = pairs.slice(0, o.shots.flores);
    const scored = firstN(pairs.slice(shotPairs.length), o.maxItems);
    for (const [src, tgt, forward] of [[f.srcLang, f.tgtLang, true], [f.tgtLang, f.srcLang, false]] as const) {
      const shots: Shot[] = shotPairs.map((p) => (forward ? { src: p.src, tgt: p.tgt } : { src: p.tgt, tgt: p.src }));
      const subset = `${src}-${tgt}`;
      for (const p of scored) {
        const source = forward ? p.src : p.tgt;
        out.push({
          item: { id: `heldout-pairs:${ds.id}:${p.pair_id}:${subset}`, type: 'generate', prompt: translationPrompt(src, tgt, source, shots), maxNewTokens: o.maxNewTokens, stop: ['\n'] },
          benchmark: 'heldout-pairs',
          subset,
          srcLang: src,
          tgtLang: tgt,
          source,
          reference: forward ? p.tgt : p.src,
          meta: { datasetId: ds.id, pairId: p.pair_id, shots: shots.length },
        });
      }
    }
  }
  return out;
}

interface HeldOutRecord {
  text: string;
  lang: string;
  origin: { id?: number } | string;
}

async function heldOutRecords(ds: DatasetFolder, rel: string): Promise<HeldOutRecord[]> {
  const bytes = readFile(ds, rel);
  if (rel.endsWith('.parquet')) {
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return (await parquetReadObjects({ file: ab })) as unknown as HeldOutRecord[];
  }
  return jsonl<HeldOutRecord>(join(ds.dir, rel), rel.endsWith('.gz') ? gunzipSync(bytes) : bytes);
}

export async function heldOutTextItems(ds: DatasetFolder, o: ItemOptions): Promise<EvalItemSpec[]> {
  const out: EvalItemSpec[] = [];
  for (const h of ds.manifest.heldOut) {
    if (o.langs.length && !o.langs.includes(h.lang)) continue;
    const records = firstN(await heldOutRecords(ds, h.path), o.maxItems);
    records.forEach((r, i) => {
      const origin = typeof r.origin === 'string' ? (JSON.parse(r.origin) as { id?: number }) : r.origin;
      const docId = origin?.id ?? i;
      out.push({
        item: { id: `heldout-bpc:${ds.id}:${h.lang}:${docId}`, type: 'loglik-text', lang: h.lang, text: r.text },
        benchmark: 'heldout-bpc',
        subset: h.lang,
        srcLang: h.lang,
        tgtLang: null,
        source: r.text,
        reference: null,
        meta: { datasetId: ds.id, documentId: docId },
      });
    });
  }
  return out;
}
