import type { Format, ImportOptions, Role } from '../../api/schemas';
import type { LineReader } from './line-reader';

/**
 * What an importer yields. Language codes are given raw (as the file or the
 * user wrote them); the runner normalises them to xxx_Scrp. `line` is the
 * 1-based line in the file the record came from, for error messages.
 */
export type ImportRecord =
  | {
      kind: 'document';
      text: string;
      lang?: string;
      role?: Role;
      ref?: string;
      meta?: Record<string, unknown>;
      line?: number;
    }
  | {
      kind: 'pair';
      srcText: string;
      tgtText: string;
      srcLang?: string;
      tgtLang?: string;
      role?: Role;
      ref?: string;
      meta?: Record<string, unknown>;
      line?: number;
    }
  /** A row that holds no text (an empty line in a data file, say): counted, not stored. */
  | { kind: 'skip'; reason: string; line?: number };

export interface ImportContext {
  /** Absolute paths: one file or folder, or two files for a Moses pair. */
  paths: string[];
  options: ImportOptions;
  lang?: string;
  srcLang?: string;
  tgtLang?: string;
  role?: Role;
  signal: AbortSignal;
  /**
   * Opens a file as decoded lines (BOM-aware, UTF-8 validated). Every reader
   * opened through the context counts towards the import's bytes-done progress.
   */
  openLines(path: string): LineReader;
  /** Reads a whole small file (metadata such as Paratext's Settings.xml) as text. */
  readSmallText(path: string): Promise<string>;
  /** Adds bytes of progress for readers that do not go through openLines (Parquet). */
  addBytes(n: number): void;
  warn(message: string): void;
}

export interface SniffInput {
  /** Absolute path of the first path given. */
  path: string;
  isDirectory: boolean;
  /** Lower-case file name. */
  name: string;
  /** Up to the first 64 KiB decoded as text ('' for folders and binary files). */
  head: string;
  /** Raw first bytes (Parquet's magic number, BOMs). */
  headBytes: Buffer;
  /** Directory listing (names only, lower case) when isDirectory. */
  entries: string[];
  /** Number of paths the user gave. */
  pathCount: number;
}

export interface Importer {
  format: Format;
  /** 0 = not this format, 1 = certainly this format. Extension and content both count. */
  sniff(input: SniffInput): number;
  /** Total bytes the import will read, for progress (defaults to the sum of the file sizes). */
  size?(paths: string[]): Promise<number>;
  read(ctx: ImportContext): AsyncIterable<ImportRecord>;
}
