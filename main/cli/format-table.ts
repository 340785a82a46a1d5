import type { CorpusStats, Source } from '../api/schemas';

function pad(s: string, n: number, right = false): string {
  // Pads by code points so non-Latin names line up as well as a terminal allows.
  const len = [...s].length;
  return len >= n ? s : right ? ' '.repeat(n - len) + s : s + ' '.repeat(n - len);
}

export function table(headers: string[], rows: string[][], rightAlign: boolean[] = []): string {
  const widths = headers.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i], rightAlign[i])).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const num = (n: number) => n.toLocaleString('en-US');

export function statsTable(s: CorpusStats): string {
  const rows = s.languages.map((l) => [
    l.code,
    l.name,
    num(l.documents),
    num(l.pairs),
    num(l.characters),
    num(l.words),
    (l.tokensEstimated ? '≈' : '') + num(l.tokens),
    l.fertility === null ? '-' : l.fertility.toFixed(2),
  ]);
  const t = table(
    ['language', 'name', 'documents', 'pairs', 'characters', 'words', 'tokens', 'tokens/word'],
    rows,
    [false, false, true, true, true, true, true, true],
  );
  return `${t}\n\n${num(s.totals.sources)} sources, ${num(s.totals.documents)} documents, ${num(s.totals.pairs)} pairs, ${num(s.totals.tokens)} tokens (${s.tokenizer}).`;
}

export function sourcesTable(sources: Source[]): string {
  return table(
    ['id', 'name', 'format', 'languages', 'documents', 'pairs', 'license', 'imported'],
    sources.map((s) => [
      String(s.id),
      s.name,
      s.format,
      s.languages.join(' '),
      num(s.documents),
      num(s.pairs),
      s.license ?? '',
      s.importedAt.slice(0, 16).replace('T', ' '),
    ]),
    [true, false, false, false, true, true, false, false],
  );
}
