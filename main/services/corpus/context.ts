import { readFile, stat } from 'node:fs/promises';
import { ImportOptions } from '../../api/schemas';
import type { Role } from '../../api/schemas';
import { LangbridgeError } from '../../api/errors';
import { LineReader } from './line-reader';
import type { ImportContext } from './types';

export interface ContextInit {
  paths: string[];
  options?: Partial<ImportOptions>;
  lang?: string;
  srcLang?: string;
  tgtLang?: string;
  role?: Role;
  signal?: AbortSignal;
}

/** The context an importer reads through; it also keeps the import's counters. */
export class ImportContextImpl implements ImportContext {
  readonly paths: string[];
  readonly options: ImportOptions;
  readonly lang?: string;
  readonly srcLang?: string;
  readonly tgtLang?: string;
  readonly role?: Role;
  readonly signal: AbortSignal;
  readonly warnings: string[] = [];
  bytesDone = 0;
  private readers: LineReader[] = [];

  constructor(init: ContextInit) {
    this.paths = init.paths;
    this.options = ImportOptions.parse(init.options ?? {});
    this.lang = init.lang;
    this.srcLang = init.srcLang;
    this.tgtLang = init.tgtLang;
    this.role = init.role;
    this.signal = init.signal ?? new AbortController().signal;
  }

  openLines(path: string): LineReader {
    const r = new LineReader(path, {
      replaceInvalid: this.options.replaceInvalid,
      signal: this.signal,
      onBytes: (n) => this.addBytes(n),
    });
    this.readers.push(r);
    return r;
  }

  async readSmallText(path: string): Promise<string> {
    const s = await stat(path);
    if (s.size > 16 * 1024 * 1024) {
      throw new LangbridgeError('parse-error', `${path} is too large to be a metadata file (${s.size} bytes).`, path);
    }
    const buf = await readFile(path);
    this.addBytes(buf.length);
    return new TextDecoder('utf-8').decode(buf);
  }

  addBytes(n: number): void {
    this.bytesDone += n;
  }

  warn(message: string): void {
    // Bounded: a million bad rows should not become a million warnings.
    if (this.warnings.length < 100) this.warnings.push(message);
    else if (this.warnings.length === 100) this.warnings.push('(further warnings not shown)');
  }

  get replacedBytes(): number {
    return this.readers.reduce((n, r) => n + r.replacedBytes, 0);
  }
}
