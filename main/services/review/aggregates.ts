import { SEVERITY_WEIGHT, type Aggregates, type Severity, type SystemAggregate } from '../../api/review-schemas';
import type { JudgementFull, SpanRow } from '../../../db/queries/review';
import { meanWithInterval } from './student-t';

/** The pseudo-system of translations written by a reviewer for items without outputs (no score to aggregate). */
export const WRITTEN_SYSTEM = 'written by reviewer';

export const AGGREGATE_METHOD =
  'Mean score with a 95% Student-t interval (mean ± t(0.975, n−1)·s/√n; each saved score of an item by a reviewer is one observation). ' +
  'MQM-lite error score: severity-weighted errors (minor 1, major 5, critical 10) summed per judged item, then averaged over the judged items.';

interface Acc {
  system: string;
  srcLang: string | null;
  tgtLang: string | null;
  judgements: number;
  scores: number[];
  penalty: number;
  errors: Record<Severity, number>;
  categories: Record<string, number>;
  postEdited: number;
  accepted: number;
}

function acc(system: string, srcLang: string | null, tgtLang: string | null): Acc {
  return { system, srcLang, tgtLang, judgements: 0, scores: [], penalty: 0, errors: { minor: 0, major: 0, critical: 0 }, categories: {}, postEdited: 0, accepted: 0 };
}

function finish(a: Acc, direction: string): SystemAggregate {
  const { mean, ci } = meanWithInterval(a.scores);
  return {
    system: a.system,
    direction,
    srcLang: a.srcLang,
    tgtLang: a.tgtLang,
    judgements: a.judgements,
    scored: a.scores.length,
    meanScore: mean,
    ci,
    errorScore: a.judgements ? a.penalty / a.judgements : null,
    errors: a.errors,
    categories: a.categories,
    postEdited: a.postEdited,
    accepted: a.accepted,
  };
}

/**
 * Per system and direction (and per system over all directions): scores with
 * their interval, MQM-lite error scores and error categories; for queues of
 * two systems, how often each scored higher on the same item.
 */
export function aggregate(queueId: number | null, judgements: JudgementFull[], spans: SpanRow[]): Aggregates {
  const spansOf = new Map<number, SpanRow[]>();
  for (const s of spans) (spansOf.get(s.judgement_id) ?? spansOf.set(s.judgement_id, []).get(s.judgement_id)!).push(s);
  const groups = new Map<string, Acc>();
  const add = (key: string, make: () => Acc, j: JudgementFull) => {
    const a = groups.get(key) ?? groups.set(key, make()).get(key)!;
    a.judgements++;
    if (j.score !== null) a.scores.push(j.score);
    for (const s of spansOf.get(j.id) ?? []) {
      const sev = s.severity as Severity;
      a.penalty += SEVERITY_WEIGHT[sev];
      a.errors[sev]++;
      a.categories[s.category] = (a.categories[s.category] ?? 0) + 1;
    }
    if (j.post_edit !== null) a.postEdited++;
    if (j.accepted === 1) a.accepted++;
  };
  for (const j of judgements) {
    if (j.system === WRITTEN_SYSTEM) continue;
    add(`${j.system}\0${j.src_lang}-${j.tgt_lang}`, () => acc(j.system, j.src_lang, j.tgt_lang), j);
    add(`${j.system}\0all`, () => acc(j.system, null, null), j);
  }
  const rows = [...groups.entries()]
    .map(([key, a]) => finish(a, key.split('\0')[1]!))
    .sort((x, y) => (x.direction === 'all' ? 0 : 1) - (y.direction === 'all' ? 0 : 1) || x.direction.localeCompare(y.direction) || x.system.localeCompare(y.system));
  return { queueId, rows, comparisons: compare(judgements), method: AGGREGATE_METHOD };
}

/** Head-to-head on items where one reviewer scored both systems of a two-system queue. */
function compare(judgements: JudgementFull[]): Aggregates['comparisons'] {
  const byItem = new Map<string, JudgementFull[]>();
  for (const j of judgements) {
    if (j.score === null || j.system === WRITTEN_SYSTEM) continue;
    const key = `${j.item_id}\0${j.reviewer}`;
    (byItem.get(key) ?? byItem.set(key, []).get(key)!).push(j);
  }
  const out = new Map<string, Aggregates['comparisons'][number]>();
  for (const list of byItem.values()) {
    if (list.length !== 2) continue;
    const systems = (JSON.parse(list[0]!.outputs) as { system: string }[]).map((o) => o.system);
    const [a, b] = systems;
    const ja = list.find((j) => j.system === a);
    const jb = list.find((j) => j.system === b);
    if (!a || !b || !ja || !jb) continue;
    const direction = `${ja.src_lang}-${ja.tgt_lang}`;
    const key = `${direction}\0${a}\0${b}`;
    const c = out.get(key) ?? out.set(key, { direction, a, b, aWins: 0, bWins: 0, ties: 0 }).get(key)!;
    if (ja.score! > jb.score!) c.aWins++;
    else if (jb.score! > ja.score!) c.bWins++;
    else c.ties++;
  }
  return [...out.values()];
}
