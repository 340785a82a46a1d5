import { open } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { basename } from 'node:path';
import { LangbridgeError } from '../../api/errors';

export interface TextLine {
  /** The line without its terminator (\n or \r\n). */
  text: string;
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line's first byte in the file. */
  offset: number;
}

export interface LineReaderOptions {
  /** Replace invalid UTF-8 with U+FFFD (and count it) instead of refusing the file. */
  replaceInvalid: boolean;
  signal?: AbortSignal;
  /** Called with the number of new bytes read, for progress. */
  onBytes?: (n: number) => void;
  chunkSize?: number;
}

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

const REPLACEMENT_BYTES = Buffer.from([0xef, 0xbf, 0xbd]);

/**
 * Reads a file as lines in constant memory (one chunk plus the longest line).
 * UTF-8 with or without BOM; UTF-16 LE/BE when the file starts with their BOM.
 * Invalid UTF-8 is an error naming the line and byte offset, unless the caller
 * asked for replacement, in which case replacedBytes counts the U+FFFD added.
 */
export class LineReader {
  encoding: Encoding = 'utf-8';
  replacedBytes = 0;
  bytesRead = 0;
  /** Number of the last line yielded. */
  lineNumber = 0;

  constructor(
    readonly path: string,
    private readonly opts: LineReaderOptions,
  ) {}

  async *lines(): AsyncGenerator<TextLine> {
    const fh = await open(this.path, 'r');
    try {
      // At least 4 bytes so the first read always holds a whole BOM; small sizes
      // are for tests that split multibyte characters across reads.
      const chunkSize = Math.max(4, this.opts.chunkSize ?? 1024 * 1024);
      let buf = Buffer.alloc(0);
      let fileOffset = 0; // file offset of buf[0]
      let first = true;
      let utf16: InstanceType<typeof TextDecoder> | null = null;
      let pendingText = ''; // UTF-16 path: decoded text not yet split
      let utf16LineStart = 2; // byte offset of the pending line: after the 2-byte BOM
      for (;;) {
        if (this.opts.signal?.aborted) throw new LangbridgeError('cancelled', 'The import was cancelled.');
        const chunk = Buffer.allocUnsafe(chunkSize);
        const { bytesRead } = await fh.read(chunk, 0, chunk.length, null);
        const eof = bytesRead === 0;
        let data = chunk.subarray(0, bytesRead);
        this.bytesRead += bytesRead;
        if (first) {
          first = false;
          if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
            data = data.subarray(3);
            fileOffset = 3;
          } else if (data[0] === 0xff && data[1] === 0xfe) {
            this.encoding = 'utf-16le';
            utf16 = new TextDecoder('utf-16le');
            data = data.subarray(2);
          } else if (data[0] === 0xfe && data[1] === 0xff) {
            this.encoding = 'utf-16be';
            utf16 = new TextDecoder('utf-16be');
            data = data.subarray(2);
          }
        }
        if (utf16) {
          this.advance(this.bytesRead);
          // UTF-16 files are rare and small, so they are split as decoded text.
          // Every UTF-16 code unit is 2 bytes, so byte offsets stay exact.
          pendingText += utf16.decode(data, { stream: !eof });
          let nl: number;
          while ((nl = pendingText.indexOf('\n')) >= 0) {
            let text = pendingText.slice(0, nl);
            if (text.endsWith('\r')) text = text.slice(0, -1);
            pendingText = pendingText.slice(nl + 1);
            this.lineNumber++;
            yield { text, line: this.lineNumber, offset: utf16LineStart };
            utf16LineStart += (nl + 1) * 2;
          }
          if (eof) {
            if (pendingText.length > 0) {
              this.lineNumber++;
              yield { text: pendingText.replace(/\r$/, ''), line: this.lineNumber, offset: utf16LineStart };
            }
            return;
          }
          continue;
        }
        buf = buf.length === 0 ? data : Buffer.concat([buf, data]);
        // Validate all complete lines of the chunk in one call: per-line checks
        // cost more than the decoding on files of short lines (JSONL).
        const lastNl = eof ? buf.length : buf.lastIndexOf(10) + 1;
        const valid = lastNl > 0 && isUtf8(buf.subarray(0, lastNl));
        let start = 0;
        for (;;) {
          const nl = buf.indexOf(10, start);
          if (nl < 0) break;
          const end = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
          this.lineNumber++;
          const text = valid ? buf.toString('utf8', start, end) : this.decode(buf, start, end, fileOffset + start);
          // Progress counts bytes handed out as lines, not bytes read ahead, so
          // it is exact even for files smaller than one read.
          this.advance(fileOffset + nl + 1);
          yield { text, line: this.lineNumber, offset: fileOffset + start };
          start = nl + 1;
        }
        if (eof) {
          if (start < buf.length) {
            const end = buf[buf.length - 1] === 13 ? buf.length - 1 : buf.length;
            this.lineNumber++;
            const text = valid ? buf.toString('utf8', start, end) : this.decode(buf, start, end, fileOffset + start);
            this.advance(this.bytesRead);
            yield { text, line: this.lineNumber, offset: fileOffset + start };
          }
          this.advance(this.bytesRead);
          return;
        }
        // Keep the unfinished last line; copy so the big chunk can be freed.
        buf = Buffer.from(buf.subarray(start));
        fileOffset += start;
      }
    } finally {
      await fh.close();
    }
  }

  private reported = 0;

  /** Reports progress up to a file offset. */
  private advance(to: number): void {
    if (to > this.reported) {
      this.opts.onBytes?.(to - this.reported);
      this.reported = to;
    }
  }

  private decode(buf: Buffer, start: number, end: number, lineOffset: number): string {
    const slice = buf.subarray(start, end);
    if (isUtf8(slice)) return slice.toString('utf8');
    if (!this.opts.replaceInvalid) {
      const bad = firstInvalidByte(slice);
      throw new LangbridgeError(
        'encoding-error',
        `line ${this.lineNumber} of ${basename(this.path)}: invalid UTF-8 at byte offset ${lineOffset + bad} (byte 0x${slice[bad]
          .toString(16)
          .padStart(2, '0')}). Save the file as UTF-8, or import it with "replace invalid bytes".`,
        basename(this.path),
        this.lineNumber,
      );
    }
    const text = slice.toString('utf8');
    // Replacements = U+FFFD in the decoded text minus those already encoded in the file.
    this.replacedBytes += countChar(text, '\uFFFD') - countBytes(slice, REPLACEMENT_BYTES);
    return text;
  }
}

function countChar(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

function countBytes(buf: Buffer, needle: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(needle); i >= 0; i = buf.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** Index of the first byte that starts an invalid UTF-8 sequence. */
export function firstInvalidByte(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let n = 0;
    if (c < 0x80) n = 0;
    else if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) n = 2;
    else if (c >= 0xf0 && c <= 0xf4) n = 3;
    else return i;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
    }
    // Overlongs, surrogates and values above U+10FFFF.
    if (c === 0xe0 && b[i + 1] < 0xa0) return i;
    if (c === 0xed && b[i + 1] > 0x9f) return i;
    if (c === 0xf0 && b[i + 1] < 0x90) return i;
    if (c === 0xf4 && b[i + 1] > 0x8f) return i;
    i += n + 1;
  }
  return b.length;
}
