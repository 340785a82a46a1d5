import { describe, expect, it } from 'vitest';
import { textImporter } from '../../main/services/corpus/importers/text';
import { collect, documents, fixture } from './helpers/importer';

describe('plain text importer', () => {
  it('makes one document per non-blank line', async () => {
    const { records } = await collect(textImporter, { paths: [fixture('text', 'swahili-lines.txt')] });
    const docs = documents(records);
    expect(docs.map((d) => d.text)).toEqual(['Habari ya asubuhi.', 'Ninapenda kusoma vitabu.', 'Karibu sana.']);
    expect(docs.map((d) => d.line)).toEqual([1, 2, 4]);
  });

  it('makes one document per paragraph, dropping CR', async () => {
    const { records } = await collect(textImporter, {
      paths: [fixture('text', 'paragraphs.txt')],
      options: { segment: 'paragraph' },
    });
    expect(documents(records).map((d) => d.text)).toEqual(['First paragraph,\nstill first.', 'Second paragraph.']);
  });
});
