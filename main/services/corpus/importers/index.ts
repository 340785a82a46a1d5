import type { Format } from '../../../api/schemas';
import type { Importer } from '../types';
import { textImporter } from './text';
import { jsonlImporter } from './jsonl';
import { csvImporter, tsvImporter } from './csv';
import { parquetImporter } from './parquet';
import { mosesImporter } from './moses';
import { tmxImporter } from './tmx';
import { floresImporter } from './flores';
import { belebeleImporter } from './belebele';
import { xcopaImporter } from './xcopa';
import { mmmluImporter } from './mmmlu';
import { usfmImporter, paratextImporter } from './usfm';
import { conlluImporter } from './conllu';

/** Every importer, by format. Detection asks each one's sniff() and takes the most confident. */
export const importers: Record<Format, Importer> = {
  text: textImporter,
  jsonl: jsonlImporter,
  csv: csvImporter,
  tsv: tsvImporter,
  parquet: parquetImporter,
  moses: mosesImporter,
  tmx: tmxImporter,
  flores: floresImporter,
  belebele: belebeleImporter,
  xcopa: xcopaImporter,
  mmmlu: mmmluImporter,
  usfm: usfmImporter,
  paratext: paratextImporter,
  conllu: conlluImporter,
};
