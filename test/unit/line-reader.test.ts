import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LangbridgeError } from '../../main/api/errors';
import { LineReader, type LineReaderOptions, type TextLine } from '../../main/services/corpus/line-reader';
import { fixture } from './helpers/importer';

const SCRIPTS = ['Habari ya asubuhi.', 'ሰላም ለዓለም።', 'مرحبا بالعالم.', 'สวัสดีชาวโลก 🌍'];

async function readAll(path: string, opts: Partial<LineReaderOptions> = {}): Promise<{ lines: TextLine[]; reader: LineReader }> {
  const reader = new LineReader(path, { replaceInvalid: false, ...opts });
  const lines: TextLine[] = [];
  for await (const l of reader.lines()) lines.push(l);
  return { lines, reader };
}

const tmp = mkdtempSync(join(tmpdir(), 'langbridge-line-reader-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('LineReader', () => {
  it('reads UTF-8 in several scripts with line numbers and byte offsets', async () => {
    const { lines, reader } = await readAll(fixture('encoding', 'multiscript.txt'));
    expect(lines.map((l) => l.text)).toEqual(SCRIPTS);
    expect(lines.map((l) => l.line)).toEqual([1, 2, 3, 4]);
    const offsets = [0];
    for (const s of SCRIPTS.slice(0, -1)) offsets.push(offsets[offsets.length - 1] + Buffer.byteLength(s) + 1);
    expect(lines.map((l) => l.offset)).toEqual(offsets);
    expect(reader.encoding).toBe('utf-8');
    expect(reader.lineNumber).toBe(4);
  });

  it('drops a UTF-8 BOM and counts offsets from the file start', async () => {
    const { lines, reader } = await readAll(fixture('encoding', 'utf8-bom.txt'));
    expect(lines.map((l) => l.text)).toEqual(SCRIPTS);
    expect(lines[0].text.charCodeAt(0)).not.toBe(0xfeff);
    expect(lines[0].offset).toBe(3);
    expect(reader.encoding).toBe('utf-8');
  });

  it('decodes UTF-16 LE with a BOM and CRLF line ends', async () => {
    const { lines, reader } = await readAll(fixture('encoding', 'utf16le-bom.txt'));
    expect(reader.encoding).toBe('utf-16le');
    expect(lines.map((l) => l.text)).toEqual(SCRIPTS);
    // Byte offsets: 2 for the BOM, then 2 bytes per UTF-16 code unit.
    expect(lines[0].offset).toBe(2);
    expect(lines[1].offset).toBe(2 + (SCRIPTS[0].length + 2) * 2);
  });

  it('decodes UTF-16 BE with a BOM and no final newline', async () => {
    const { lines, reader } = await readAll(fixture('encoding', 'utf16be-bom.txt'));
    expect(reader.encoding).toBe('utf-16be');
    expect(lines.map((l) => l.text)).toEqual(SCRIPTS);
  });

  it('splits UTF-16 code units and surrogate pairs across tiny chunks', async () => {
    for (const chunkSize of [4, 5, 7]) {
      const le = await readAll(fixture('encoding', 'utf16le-bom.txt'), { chunkSize });
      expect(le.lines.map((l) => l.text)).toEqual(SCRIPTS);
      const be = await readAll(fixture('encoding', 'utf16be-bom.txt'), { chunkSize });
      expect(be.lines.map((l) => l.text)).toEqual(SCRIPTS);
    }
  });

  it('strips CR of CRLF line ends', async () => {
    const { lines } = await readAll(fixture('encoding', 'crlf.txt'));
    expect(lines.map((l) => l.text)).toEqual(SCRIPTS);
    expect(lines.some((l) => l.text.includes('\r'))).toBe(false);
  });

  it('yields the last line without a newline', async () => {
    const { lines } = await readAll(fixture('encoding', 'no-final-newline.txt'));
    expect(lines.map((l) => l.text)).toEqual(SCRIPTS);
  });

  it('yields nothing for an empty file', async () => {
    const { lines, reader } = await readAll(fixture('encoding', 'empty.txt'));
    expect(lines).toEqual([]);
    expect(reader.bytesRead).toBe(0);
  });

  it('keeps multibyte characters whole when a chunk boundary falls inside them', async () => {
    // 7 bytes never lines up with 3-byte Ethiopic/Thai or the 4-byte emoji.
    for (const chunkSize of [4, 5, 7, 13]) {
      const { lines } = await readAll(fixture('encoding', 'multiscript.txt'), { chunkSize });
      expect(lines.map((l) => l.text)).toEqual(SCRIPTS);
      const bom = await readAll(fixture('encoding', 'utf8-bom.txt'), { chunkSize });
      expect(bom.lines.map((l) => l.text)).toEqual(SCRIPTS);
      const crlf = await readAll(fixture('encoding', 'crlf.txt'), { chunkSize });
      expect(crlf.lines.map((l) => l.text)).toEqual(SCRIPTS);
    }
  });

  it('refuses invalid UTF-8 naming the line and the byte offset', async () => {
    const err = await readAll(fixture('encoding', 'invalid-utf8.txt')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LangbridgeError);
    const e = err as LangbridgeError;
    expect(e.code).toBe('encoding-error');
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/^line 3 of invalid-utf8\.txt: invalid UTF-8 at byte offset 19 \(byte 0xe9\)/);
  });

  it('reports the same offset when the bad byte sits across a chunk boundary', async () => {
    await expect(readAll(fixture('encoding', 'invalid-utf8.txt'), { chunkSize: 7 })).rejects.toThrow(
      /line 3 of invalid-utf8\.txt: invalid UTF-8 at byte offset 19/,
    );
  });

  it('yields the lines before an invalid one', async () => {
    const reader = new LineReader(fixture('encoding', 'invalid-utf8.txt'), { replaceInvalid: false });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const l of reader.lines()) seen.push(l.text);
      })(),
    ).rejects.toThrow(/line 3/);
    expect(seen).toEqual(['Habari.', 'Karibu.']);
  });

  it('replaces invalid bytes with U+FFFD and counts them when asked', async () => {
    const { lines, reader } = await readAll(fixture('encoding', 'invalid-utf8.txt'), { replaceInvalid: true });
    expect(lines.map((l) => l.text)).toEqual(['Habari.', 'Karibu.', 'Caf\uFFFD na chai.', 'Kwaheri \uFFFD\uFFFD mwisho.']);
    expect(reader.replacedBytes).toBe(3);
  });

  it('does not count a U+FFFD that the file itself contains', async () => {
    const path = join(tmp, 'real-fffd.txt');
    writeFileSync(path, Buffer.concat([Buffer.from('ok \uFFFD here\nbad '), Buffer.from([0xc3]), Buffer.from(' \uFFFD\n')]));
    const { lines, reader } = await readAll(path, { replaceInvalid: true });
    expect(lines.map((l) => l.text)).toEqual(['ok \uFFFD here', 'bad \uFFFD \uFFFD']);
    expect(reader.replacedBytes).toBe(1);
  });

  it('reads a 5 MB single line, with and without a final newline', async () => {
    const path = join(tmp, 'long-line.txt');
    const unit = 'ሰላም ለዓለም። Habari. ';
    const long = unit.repeat(Math.ceil((5 * 1024 * 1024) / Buffer.byteLength(unit)));
    writeFileSync(path, long + '\nshort\n');
    const { lines, reader } = await readAll(path);
    expect(lines).toHaveLength(2);
    expect(lines[0].text.length).toBe(long.length);
    expect(lines[0].text === long).toBe(true);
    expect(lines[1]).toEqual({ text: 'short', line: 2, offset: Buffer.byteLength(long) + 1 });
    expect(reader.bytesRead).toBe(Buffer.byteLength(long) + 7);

    writeFileSync(path, long);
    const noNewline = await readAll(path, { chunkSize: 64 * 1024 + 1 });
    expect(noNewline.lines).toHaveLength(1);
    expect(noNewline.lines[0].text === long).toBe(true);
  });

  it('reports every byte read through onBytes', async () => {
    let bytes = 0;
    await readAll(fixture('encoding', 'utf16le-bom.txt'), { onBytes: (n) => (bytes += n), chunkSize: 7 });
    expect(bytes).toBe(statSync(fixture('encoding', 'utf16le-bom.txt')).size);
  });

  it('stops with a cancelled error when the signal is aborted', async () => {
    const ac = new AbortController();
    const reader = new LineReader(fixture('encoding', 'multiscript.txt'), { replaceInvalid: false, signal: ac.signal, chunkSize: 8 });
    const seen: string[] = [];
    const run = (async () => {
      for await (const l of reader.lines()) {
        seen.push(l.text);
        ac.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen).toHaveLength(1);
  });
});
