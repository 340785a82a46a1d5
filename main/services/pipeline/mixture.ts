/**
 * The mixture planner: how many tokens of each group and language go into
 * each stage, given what survived filtering (training split only). The plan
 * is computed before any shard is written, so the UI can show it and a team
 * can change the recipe before spending hours on a run; `realiseLanguage`
 * then turns one language's planned tokens into the documents to emit.
 *
 * Per stage:
 * 1. Group shares: the stage's proportions normalised to sum 1 (or, without
 *    proportions, each group's share of the available tokens). A group with
 *    no data gets 0 and its share goes to the others in proportion (warned).
 * 2. Budget: explicit, or 'auto' = the largest budget at which no language
 *    needs more than its group's maxEpochs (computed exactly, see autoBudget).
 * 3. Within a group, languages by the group's allocation (proportional,
 *    temperature or UniMax), never above maxEpochs × available. A language cut
 *    by the cap is warned and its shortfall goes to the group's uncapped
 *    languages; when every language is capped the group gets fewer tokens.
 *    Other groups keep their budgets: moving tokens across groups would
 *    silently change the data-type mix the recipe asked for.
 * 4. Integer tokens, by largest remainder over the whole stage, never above a
 *    language's cap.
 *
 * Pure: no I/O, safe in worker threads.
 */
import type { Allocation, Group, Mixture, Stage } from './recipe';
import type { Rng } from './rng';

/** What one language (or, for parallel groups, one "src_lang-tgt_lang" pair key) of one group has for training. */
export interface GroupAvailability {
  group: string;
  lang: string;
  documents: number;
  tokens: number;
  characters: number;
}

export interface PlannedGroup {
  id: string;
  label: string;
  /** The stage's requested share, normalised over all groups (before moving the share of empty groups). */
  targetShare: number;
  /** The share this group has of the tokens actually planned. */
  plannedShare: number;
  plannedTokens: number;
  availableTokens: number;
}

export interface PlannedLanguage {
  group: string;
  lang: string;
  availableTokens: number;
  plannedTokens: number;
  /** plannedTokens / availableTokens (0 without data). */
  epochs: number;
  /** Passes the allocation's target needed before the epoch cap (for UniMax: its uniform share at its turn). */
  neededEpochs: number;
  /** The epoch cap cut this language's target. */
  capped: boolean;
}

export interface StagePlan {
  name: string;
  /** Tokens: the explicit budget, or for 'auto' the tokens planned at the largest budget the epoch caps allow. */
  budget: number;
  budgetAuto: boolean;
  /** Every group of the mixture, in mixture order. */
  groups: PlannedGroup[];
  /** Every available language, by group (mixture order) then code. */
  languages: PlannedLanguage[];
  warnings: string[];
}

export interface MixturePlan {
  stages: StagePlan[];
  /** Problems not tied to one stage (availability for an unknown group). */
  warnings: string[];
}

interface LangData {
  lang: string;
  tokens: number;
}

interface GroupData {
  group: Group;
  alloc: Allocation;
  langs: LangData[];
  available: number;
  /** Within-group shares for the budget-independent methods (proportional, temperature); null for UniMax. */
  weights: number[] | null;
}

interface LangAlloc {
  /** Real tokens planned (after the cap and redistribution). */
  planned: number;
  /** Real tokens the allocation wanted before the cap. */
  target: number;
  /** maxEpochs × available. */
  cap: number;
}

/**
 * Relative floating-point slack when comparing planned tokens with a cap
 * computed another way (the auto budget divides by a share that the plan then
 * multiplies by): far above rounding error (~1e-15), far below one token for
 * any real corpus.
 */
const REL_EPS = 1e-12;

// ---------------------------------------------------------------- formatting

/** 1234567 -> "1.2M": warnings are read by people, exact numbers are in the plan. */
export function formatTokens(n: number): string {
  const units: Array<[number, string]> = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (Math.abs(n) >= size) {
      const v = n / size;
      const s = Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1).replace(/\.0$/, '');
      return `${s}${suffix}`;
    }
  }
  return String(Math.round(n));
}

/** 0.05 -> "5%", 0.125 -> "12.5%". */
function formatShare(share: number): string {
  return `${Number((share * 100).toFixed(1))}%`;
}

/** Epochs with one decimal, or two where one would print the cap itself ("needs 4.0 epochs; capped at 4"). */
function formatEpochs(x: number, cap: number): string {
  const one = x.toFixed(1);
  return Number(one) <= cap ? x.toFixed(2) : one;
}

// ---------------------------------------------------------------- allocation

function allocationFor(mixture: Mixture, group: Group): Allocation {
  return group.allocation ?? mixture.allocation;
}

/** Within-group shares for proportional (p_i = n_i / Σn) and temperature (q_i ∝ p_i^alpha) allocation. */
export function languageWeights(tokens: readonly number[], alloc: Allocation): number[] {
  const total = tokens.reduce((a, b) => a + b, 0);
  if (total <= 0) return tokens.map(() => 0);
  const p = tokens.map((n) => n / total);
  if (alloc.method === 'proportional') return p;
  if (alloc.method === 'temperature') {
    const q = p.map((x) => (x > 0 ? Math.pow(x, alloc.alpha) : 0));
    const sum = q.reduce((a, b) => a + b, 0);
    return q.map((x) => x / sum);
  }
  throw new Error(`languageWeights: ${alloc.method} depends on the budget`);
}

/**
 * Budget-independent shares with the epoch cap: every language gets
 * budget × weight, a language above its cap is held at the cap, and what it
 * could not take goes to the uncapped languages in proportion to their
 * weights (water-filling), until nothing is over. Whatever remains once
 * every language is capped is the group's shortfall.
 */
function allocateWeighted(budget: number, weights: readonly number[], caps: readonly number[]): LangAlloc[] {
  const out: LangAlloc[] = weights.map((w, i) => ({ planned: 0, target: budget * w, cap: caps[i] }));
  const active = new Set(weights.flatMap((w, i) => (w > 0 ? [i] : [])));
  let remaining = budget;
  for (;;) {
    const wsum = [...active].reduce((a, i) => a + weights[i], 0);
    if (active.size === 0 || wsum <= 0) break;
    const over = [...active].filter((i) => (remaining * weights[i]) / wsum > caps[i] * (1 + REL_EPS));
    if (over.length === 0) {
      for (const i of active) out[i].planned = (remaining * weights[i]) / wsum;
      break;
    }
    for (const i of over) {
      out[i].planned = caps[i];
      remaining -= caps[i];
      active.delete(i);
    }
  }
  return out;
}

/**
 * UniMax (Chung et al. 2023, Algorithm 1): from the smallest language to the
 * largest, each gets min(cap_i, remaining budget / languages left), so what a
 * small language cannot take at maxEpochs goes to the larger ones. A
 * language's target is its uniform share at its turn. Languages are visited
 * by size, ties by code, so the plan does not depend on input order.
 */
function allocateUniMax(budget: number, langs: readonly LangData[], caps: readonly number[]): LangAlloc[] {
  const out: LangAlloc[] = langs.map((_, i) => ({ planned: 0, target: 0, cap: caps[i] }));
  const order = langs.map((_, i) => i).sort((a, b) => langs[a].tokens - langs[b].tokens || cmp(langs[a].lang, langs[b].lang));
  let remaining = budget;
  order.forEach((i, k) => {
    const uniform = remaining / (order.length - k);
    out[i].target = uniform;
    out[i].planned = Math.min(uniform, caps[i]);
    remaining -= out[i].planned;
  });
  return out;
}

function cmp(a: string, b: string): number {
  // Code-unit order, not localeCompare: the plan must not depend on the machine's locale.
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The largest stage budget at which no language needs more than its group's
 * maxEpochs. For proportional and temperature allocation a language's share
 * of the stage is fixed (groupShare × weight), so each language allows
 * cap / share and the smallest wins. UniMax never exceeds a cap while the
 * group's budget fits in its total capacity (Σ cap), and fills every
 * language to the cap exactly there, so the group allows Σ cap / groupShare.
 */
function autoBudget(groups: readonly GroupData[], shares: ReadonlyMap<string, number>): number {
  let best = Infinity;
  for (const g of groups) {
    const share = shares.get(g.group.id) ?? 0;
    if (share <= 0) continue;
    const N = g.alloc.maxEpochs;
    if (g.weights === null) {
      best = Math.min(best, (N * g.available) / share);
      continue;
    }
    g.langs.forEach((l, i) => {
      const w = g.weights![i];
      if (w > 0) best = Math.min(best, (N * l.tokens) / (share * w));
    });
  }
  return Number.isFinite(best) ? best : 0;
}

/**
 * Integer tokens by largest remainder over the whole stage: the total is the
 * rounded real total, each language gets its floor plus at most one, and a
 * language at its (integer) cap never gets the extra token. Ties go to the
 * earlier language so the plan is deterministic.
 */
function integerise(planned: readonly number[], caps: readonly number[], limit: number): number[] {
  // maxEpochs × tokens may land a hair under an integer (2.3 × 100 = 229.99999999999997); that cap is 230.
  const intCaps = caps.map((c) => Math.floor(c + REL_EPS * Math.max(1, c)));
  const real = planned.map((x, i) => Math.min(x, caps[i]));
  // floor(x) <= floor(cap) <= intCap, so the floors alone never break a cap.
  const base = real.map((x) => Math.floor(x));
  // `limit`: snapping onto a cap may add a hair; an explicit budget is never exceeded for it.
  const total = Math.min(Math.round(real.reduce((a, b) => a + b, 0)), limit);
  let left = total - base.reduce((a, b) => a + b, 0);
  if (left < 0) {
    // Only when snapping pushed an explicit budget over by a token or more: take it back from the largest.
    const largest = base.map((_, i) => i).sort((x, y) => base[y] - base[x] || x - y);
    for (let k = 0; left < 0; k = (k + 1) % largest.length, left++) base[largest[k]]--;
  }
  if (left <= 0) return base;
  const order = real
    .map((x, i) => ({ i, frac: x - base[i] }))
    .filter((e) => e.frac > 0 && base[e.i] < intCaps[e.i])
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const e of order) {
    if (left === 0) break;
    base[e.i]++;
    left--;
  }
  return base;
}

// ---------------------------------------------------------------- planner

function collect(mixture: Mixture, availability: readonly GroupAvailability[], warnings: string[]): GroupData[] {
  const byGroup = new Map<string, Map<string, number>>(mixture.groups.map((g) => [g.id, new Map()]));
  const unknown = new Set<string>();
  for (const a of availability) {
    if (!Number.isFinite(a.tokens) || a.tokens < 0) throw new RangeError(`availability of ${a.group}/${a.lang}: tokens must be a finite number >= 0, got ${a.tokens}`);
    const langs = byGroup.get(a.group);
    if (!langs) {
      unknown.add(a.group);
      continue;
    }
    // Several rows for one language (e.g. one per source) add up.
    langs.set(a.lang, (langs.get(a.lang) ?? 0) + a.tokens);
  }
  for (const id of unknown) warnings.push(`Data counted for group "${id}" is ignored: the mixture has no such group.`);
  return mixture.groups.map((group) => {
    const alloc = allocationFor(mixture, group);
    const langs = [...byGroup.get(group.id)!.entries()].map(([lang, tokens]) => ({ lang, tokens })).sort((a, b) => cmp(a.lang, b.lang));
    const tokens = langs.map((l) => l.tokens);
    return {
      group,
      alloc,
      langs,
      available: tokens.reduce((a, b) => a + b, 0),
      weights: alloc.method === 'unimax' ? null : languageWeights(tokens, alloc),
    };
  });
}

function planStage(stage: Stage, groups: readonly GroupData[]): StagePlan {
  const warnings: string[] = [];
  const name = stage.name;

  // 1. Requested shares, normalised; then the shares of empty groups moved to the others.
  const raw = groups.map((g) => (stage.proportions ? (stage.proportions[g.group.id] ?? 0) : g.available));
  const rawTotal = raw.reduce((a, b) => a + b, 0);
  const targetShare = raw.map((r) => (rawTotal > 0 ? r / rawTotal : 0));
  const shares = new Map<string, number>();
  const liveTotal = groups.reduce((a, g, i) => a + (g.available > 0 ? targetShare[i] : 0), 0);
  groups.forEach((g, i) => {
    if (g.available > 0) {
      shares.set(g.group.id, liveTotal > 0 ? targetShare[i] / liveTotal : 0);
    } else if (targetShare[i] > 0) {
      shares.set(g.group.id, 0);
      warnings.push(
        `${name}: group "${g.group.id}" (${g.group.label}) has no data; its ${formatShare(targetShare[i])} share goes to the other groups in proportion.`,
      );
    }
  });
  if (liveTotal <= 0) warnings.push(`${name}: none of the groups it draws from has data; nothing is planned.`);

  // 2. Budget.
  const budgetAuto = stage.tokenBudget === 'auto';
  const realBudget = stage.tokenBudget === 'auto' ? autoBudget(groups, shares) : stage.tokenBudget;

  // 3. Languages within each group, in real tokens.
  const perGroup = groups.map((g) => {
    const groupBudget = realBudget * (shares.get(g.group.id) ?? 0);
    const caps = g.langs.map((l) => g.alloc.maxEpochs * l.tokens);
    const allocs = g.weights === null ? allocateUniMax(groupBudget, g.langs, caps) : allocateWeighted(groupBudget, g.weights, caps);
    // The auto budget puts the binding language on its cap up to rounding; snap it there so it reads exactly maxEpochs.
    for (const a of allocs) if (a.planned > a.cap * (1 - REL_EPS)) a.planned = a.cap;
    return { groupBudget, allocs };
  });

  // 4. Integer tokens.
  const flat = perGroup.flatMap((p) => p.allocs);
  const ints = integerise(
    flat.map((a) => a.planned),
    flat.map((a) => a.cap),
    budgetAuto ? Infinity : Math.floor(realBudget),
  );

  const languages: PlannedLanguage[] = [];
  const plannedByGroup: number[] = [];
  let k = 0;
  groups.forEach((g, gi) => {
    const N = g.alloc.maxEpochs;
    let groupPlanned = 0;
    g.langs.forEach((l, li) => {
      const a = perGroup[gi].allocs[li];
      const planned = ints[k++];
      groupPlanned += planned;
      // Half a token of slack: the integer plan may round a target that sits on the cap.
      const capped = a.target > a.cap + 0.5;
      languages.push({
        group: g.group.id,
        lang: l.lang,
        availableTokens: l.tokens,
        plannedTokens: planned,
        epochs: l.tokens > 0 ? planned / l.tokens : 0,
        neededEpochs: l.tokens > 0 ? a.target / l.tokens : 0,
        capped,
      });
      // UniMax caps small languages by design and passes their surplus on; only a group shortfall is news there.
      if (capped && g.weights !== null)
        warnings.push(
          `${l.lang} needs ${formatEpochs(a.target / l.tokens, N)} epochs in ${name}; capped at ${N} — planned ${formatTokens(planned)} of ${formatTokens(a.target)} tokens.`,
        );
    });
    plannedByGroup.push(groupPlanned);
    const want = perGroup[gi].groupBudget;
    if (g.available > 0 && groupPlanned < want - Math.max(1, g.langs.length)) {
      warnings.push(
        `${name}: group "${g.group.id}" (${g.group.label}) gets ${formatTokens(groupPlanned)} of its ${formatTokens(want)} tokens: ` +
          `all its data is used ${N} times (the epoch cap); the other groups keep their budgets.`,
      );
    }
  });

  const total = plannedByGroup.reduce((a, b) => a + b, 0);
  const budget = budgetAuto ? total : realBudget;
  if (!budgetAuto && total < budget - Math.max(1, languages.length))
    warnings.push(`${name} plans ${formatTokens(total)} of its ${formatTokens(budget)}-token budget.`);

  return {
    name,
    budget,
    budgetAuto,
    groups: groups.map((g, i) => ({
      id: g.group.id,
      label: g.group.label,
      targetShare: targetShare[i],
      plannedShare: total > 0 ? plannedByGroup[i] / total : 0,
      plannedTokens: plannedByGroup[i],
      availableTokens: g.available,
    })),
    languages,
    warnings,
  };
}

/** Plans every stage of the mixture over what is available for training. */
export function planMixture(mixture: Mixture, availability: readonly GroupAvailability[]): MixturePlan {
  const warnings: string[] = [];
  const groups = collect(mixture, availability, warnings);
  return { stages: mixture.stages.map((s) => planStage(s, groups)), warnings };
}

// ---------------------------------------------------------------- realisation

/**
 * The documents (indices into docTokens) to emit for one language in one
 * stage: whole passes over the documents, each pass in a fresh seeded order,
 * until the plan is met. At the first document that does not fit, it is
 * emitted only if that overshoots the plan by no more than stopping would
 * undershoot it; either way the sequence ends there, so the realised total is
 * within half a document of the plan. Skipping to a shorter document instead
 * would bias the last pass towards short documents.
 *
 * Passes never exceed ceil(plannedTokens / Σ docTokens), hence never
 * ceil(maxEpochs) for a planned language. A language with no tokens emits
 * nothing. `rng` should be the language's own stream (createRng(seed, stage,
 * lang)) so languages do not shift each other's order.
 */
export function realiseLanguage(plannedTokens: number, docTokens: readonly number[], rng: Rng): number[] {
  const out: number[] = [];
  const order = docTokens.map((_, i) => i);
  realisePasses(
    plannedTokens,
    docTokens.reduce((a, b) => a + b, 0),
    // Reshuffling the previous order is as uniform as shuffling the identity, and the sequence is still fixed by the seed.
    () => rng.shuffle(order),
    (i) => docTokens[i]!,
    (i) => out.push(i),
  );
  return out;
}

/**
 * realiseLanguage's rule over any source of passes, so a run can stream the
 * units of a language from disk in a seeded order instead of holding them:
 * `pass(n)` gives the n-th pass's order, `emit` receives each unit and its
 * pass number (= its epoch).
 */
export function realisePasses<T>(plannedTokens: number, totalTokens: number, pass: (n: number) => Iterable<T>, tokensOf: (u: T) => number, emit: (u: T, pass: number) => void): void {
  if (!Number.isFinite(plannedTokens) || plannedTokens < 0) throw new RangeError(`plannedTokens must be a finite number >= 0, got ${plannedTokens}`);
  if (plannedTokens === 0 || totalTokens <= 0) return;
  let emitted = 0;
  for (let n = 0; ; n++) {
    for (const u of pass(n)) {
      const t = tokensOf(u);
      if (emitted + t <= plannedTokens) {
        emit(u, n);
        emitted += t;
        if (emitted === plannedTokens) return;
        continue;
      }
      if (emitted + t - plannedTokens <= plannedTokens - emitted) emit(u, n);
      return;
    }
  }
}
