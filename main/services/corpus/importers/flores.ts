import { readdirSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { LangbridgeError, parseError } from '../../../api/errors';
import type { ImportContext, Importer, ImportRecord } from '../types';

type Split = 'dev' | 'devtest';
const SPLITS: Split[] = ['dev', 'devtest'];
const PIVOT = 'eng_Latn';

/** swh_Latn.devtest → code swh_Latn, split devtest. */
const FILE_NAME = /^([a-z]{3}_[A-Za-z]{4})\.(dev|devtest)$/;

interface SplitFiles {
  split: Split;
  /** Language code → file path, for the files of this split. */
  files: Map<string, string>;
}

/**
 * Flores-200: `{dev,devtest}/{lang}_{Script}.{split}`, one sentence per line,
 * line N of every file being the same sentence. Each sentence becomes an eval
 * document, and each line also a pair from the pivot language (English when
 * present) to every other language, so translation can be scored both ways
 * without a many-to-many explosion (n-1 pairs per line, not n²).
 */
export const floresImporter: Importer = {
  format: 'flores',
  sniff({ isDirectory, name, path, entries }) {
    if (!isDirectory) return 0;
    if ((name === 'dev' || name === 'devtest') && entries.some((e) => FILE_NAME.test(e))) return 0.95;
    for (const split of SPLITS) {
      if (!entries.includes(split)) continue;
      // sniff() is synchronous; one listing of one sub-folder is cheap.
      try {
        if (readdirSync(join(path, split)).some((e) => FILE_NAME.test(e))) return 0.95;
      } catch {
        // Unreadable, not a folder, or "Dev" on a case-sensitive disk: not Flores's layout.
      }
    }
    return 0;
  },
  async size(paths) {
    let total = 0;
    for (const s of await findSplits(paths[0], SPLITS)) {
      for (const f of s.files.values()) total += (await stat(f)).size;
    }
    return total;
  },
  async *read(ctx) {
    const wanted = ctx.options.splits ?? SPLITS;
    const splits = await findSplits(ctx.paths[0], wanted);
    if (splits.length === 0) {
      throw new LangbridgeError(
        'not-found',
        `${ctx.paths[0]} holds no Flores files for ${wanted.join(' or ')} (expected ${wanted
          .map((s) => `${s}/xxx_Xxxx.${s}`)
          .join(', ')}).`,
        basename(ctx.paths[0]),
      );
    }
    for (const s of splits) yield* readSplit(ctx, s);
  },
};

/** The split folders under root (or root itself when it is a dev/devtest folder). */
async function findSplits(root: string, wanted: readonly Split[]): Promise<SplitFiles[]> {
  const own = basename(root);
  const dirs: [Split, string][] =
    own === 'dev' || own === 'devtest'
      ? wanted.includes(own)
        ? [[own, root]]
        : []
      : wanted.map((s) => [s, join(root, s)]);
  const out: SplitFiles[] = [];
  for (const [split, dir] of dirs) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue; // this split is not there; the other may be
    }
    const files = new Map<string, string>();
    for (const n of names.sort()) {
      const m = FILE_NAME.exec(n);
      if (m && m[2] === split) files.set(m[1], join(dir, n));
    }
    if (files.size > 0) out.push({ split, files });
  }
  return out;
}

async function* readSplit(ctx: ImportContext, s: SplitFiles): AsyncGenerator<ImportRecord> {
  const codes = [...s.files.keys()].sort();
  const pivot = s.files.has(PIVOT) ? PIVOT : codes[0];
  const pivotPath = s.files.get(pivot)!;
  // The pivot is held in memory (a Flores file is ~300 KB) so every other
  // language can be streamed against it.
  const pivotLines: string[] = [];
  for await (const { text } of ctx.openLines(pivotPath).lines()) pivotLines.push(text);

  const base = (line: number) => ({
    role: 'eval' as const,
    ref: `flores:${s.split}:${line}`,
    meta: { benchmark: 'flores200', split: s.split, line },
    line,
  });
  for (let i = 0; i < pivotLines.length; i++) {
    const text = pivotLines[i];
    if (text.trim().length === 0) yield { kind: 'skip', reason: `empty ${pivot} sentence`, line: i + 1 };
    else yield { kind: 'document', text, lang: pivot, ...base(i + 1) };
  }

  for (const code of codes) {
    if (code === pivot) continue;
    const path = s.files.get(code)!;
    let count = 0;
    for await (const { text, line } of ctx.openLines(path).lines()) {
      count = line;
      // Past the pivot's end: keep counting so the error gives both totals.
      if (line > pivotLines.length) continue;
      if (text.trim().length === 0) {
        yield { kind: 'skip', reason: `empty ${code} sentence`, line };
        continue;
      }
      yield { kind: 'document', text, lang: code, ...base(line) };
      const src = pivotLines[line - 1];
      if (src.trim().length > 0) {
        yield { kind: 'pair', srcText: src, tgtText: text, srcLang: pivot, tgtLang: code, ...base(line) };
      }
    }
    if (count !== pivotLines.length) {
      const rel = (p: string) => `${s.split}/${basename(p)}`;
      throw parseError(
        rel(path),
        undefined,
        `has ${count} lines but ${rel(pivotPath)} has ${pivotLines.length}; Flores files of one split must be line-aligned.`,
      );
    }
  }
}
