/**
 * All items of a request, in a fixed order (benchmark, then the builder's
 * order), and their digest: the same corpus, dataset and request give the
 * same digest, which is how a model already evaluated on these items is
 * found again (eval_runs.items_hash / items_digest).
 */
import { createHash } from 'node:crypto';
import { LangbridgeError } from '../../../api/errors';
import type { Benchmark } from '../../../api/eval-schemas';
import type { Db } from '../../../../db/open';
import { belebeleItems, mmmluItems, xcopaItems } from './choice-items';
import { floresItems } from './flores-items';
import { heldOutPairItems, heldOutTextItems, type DatasetFolder } from './heldout-items';
import type { EvalItemSpec, ItemOptions } from './types';

/** What to import (or build) when a benchmark has no items. */
const HINT: Record<Benchmark, string> = {
  flores: 'import Flores-200 (`langbridge import PATH/flores200_dataset --format flores`) with at least two of the chosen languages',
  belebele: 'import Belebele files (`--format belebele`) for the chosen languages',
  xcopa: 'import XCOPA files (`--format xcopa`) for the chosen languages',
  mmmlu: 'import MMMLU CSV files (`--format mmmlu`) for the chosen languages',
  'heldout-pairs': 'build a dataset version from a corpus with parallel pairs (the pipeline holds out a share of each language pair)',
  'heldout-bpc': 'build a dataset version (the pipeline holds out a share of each language\'s documents)',
};

export async function buildItems(db: Db, benchmarks: Benchmark[], o: ItemOptions, dataset: DatasetFolder | null): Promise<EvalItemSpec[]> {
  const out: EvalItemSpec[] = [];
  for (const b of benchmarks) {
    let items: EvalItemSpec[];
    if (b === 'flores') items = floresItems(db, o);
    else if (b === 'belebele') items = belebeleItems(db, o);
    else if (b === 'xcopa') items = xcopaItems(db, o);
    else if (b === 'mmmlu') items = mmmluItems(db, o);
    else {
      if (!dataset) throw new LangbridgeError('bad-input', `${b} scores a dataset version's held-out data, and there is none: build one on the Pipeline page, or name one with --dataset.`);
      items = b === 'heldout-pairs' ? heldOutPairItems(dataset, o) : await heldOutTextItems(dataset, o);
    }
    if (!items.length) {
      const where = o.langs.length ? ` for ${o.langs.join(', ')}` : '';
      const ds = b.startsWith('heldout') && dataset ? ` in dataset #${dataset.id}` : ' in the corpus';
      throw new LangbridgeError('not-found', `There is nothing to evaluate for ${b}${where}${ds}: ${HINT[b]}.`);
    }
    out.push(...items);
  }
  return out;
}

/** The items as the trainer and the scorer see them, hashed: any change to a prompt, reference or gold gives another digest. */
export function itemsDigest(items: EvalItemSpec[]): string {
  const h = createHash('sha256');
  for (const it of items) h.update(JSON.stringify([it.item, it.benchmark, it.subset, it.reference, it.meta.gold ?? null]) + '\n');
  return h.digest('hex');
}
