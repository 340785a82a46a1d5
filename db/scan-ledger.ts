import type Database from 'better-sqlite3';
import { Batcher, openScratch } from './scratch';

/**
 * What a pipeline scan remembers of every item, on disk (db/scratch.ts) so
 * that the coordinator's memory does not grow with the corpus: one row per
 * item (its final decision, events and example excerpt), the first id of
 * each exact-dedup and pair-dedup key, and each item's MinHash bands. The
 * texts themselves stay in the workers' stores (db/work-store.ts).
 *
 * better-sqlite3 cannot run a statement on a connection while an iterator
 * on it is open, so every iterator here is drained by its caller before the
 * next write (the write phase keeps its own stores, db/mix-store.ts).
 */

export interface LedgerEvent {
  stepIndex: number;
  action: 'removed' | 'changed' | 'flagged';
  code: string;
  message: string;
}

/** What the write phase needs of a kept item. */
export interface KeptRow {
  index: number;
  kind: 'document' | 'pair';
  id: number;
  sourceId: number;
  lang: string;
  /** Code points (of a kept item: after the last step). */
  chars: number;
  /** The worker store holding its texts (-1 in a preview). */
  store: number;
}

export interface LedgerItem extends KeptRow {
  /** Code points after the last step that ran (chars: before any step). */
  finalChars: number;
  events: readonly LedgerEvent[];
  /** Whether a per-item step removed it (its excerpt then shows the removed text). */
  itemRemoved: boolean;
  /** The final removal, per-item or corpus-wide (null: kept). */
  decision: LedgerEvent | null;
  excerpt: string;
}

interface ItemRow {
  idx: number;
  kind: number;
  id: number;
  source: number;
  lang: number;
  chars: number;
  final_chars: number;
  store: number;
  item_removed: number;
  r_step: number | null;
  r_action: LedgerEvent['action'] | null;
  r_code: string | null;
  r_message: string | null;
  events: string | null;
  excerpt: string | null;
}

const NO_EVENTS: readonly LedgerEvent[] = [];

export class ScanLedger {
  private readonly db: Database.Database;
  private readonly batch: Batcher;
  private readonly langs: string[] = [];
  private readonly langIndex = new Map<string, number>();
  private count = 0;
  private readonly stmt: Record<'item' | 'exactIns' | 'exactGet' | 'pairIns' | 'pairGet' | 'band' | 'decide' | 'idOf', Database.Statement>;

  constructor(path: string) {
    this.db = openScratch(path);
    this.db.exec(`
      CREATE TABLE items (
        idx INTEGER PRIMARY KEY, kind INTEGER NOT NULL, id INTEGER NOT NULL, source INTEGER NOT NULL,
        lang INTEGER NOT NULL, chars INTEGER NOT NULL, final_chars INTEGER NOT NULL, store INTEGER NOT NULL,
        item_removed INTEGER NOT NULL, r_step INTEGER, r_action TEXT, r_code TEXT, r_message TEXT,
        events TEXT, excerpt TEXT);
      CREATE TABLE exact (key BLOB PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE pair_keys (key BLOB PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID;
      -- No index: bands are sorted once, after the scan (an index would be
      -- maintained in random order on every insert).
      CREATE TABLE bands (band INTEGER NOT NULL, value INTEGER NOT NULL, idx INTEGER NOT NULL);
    `);
    this.batch = new Batcher(this.db);
    this.stmt = {
      item: this.db.prepare(
        `INSERT INTO items VALUES (@idx, @kind, @id, @source, @lang, @chars, @final_chars, @store, @item_removed, @r_step, @r_action, @r_code, @r_message, @events, @excerpt)`,
      ),
      exactIns: this.db.prepare(`INSERT OR IGNORE INTO exact (key, id) VALUES (?, ?)`),
      exactGet: this.db.prepare(`SELECT id FROM exact WHERE key = ?`).pluck(),
      pairIns: this.db.prepare(`INSERT OR IGNORE INTO pair_keys (key, id) VALUES (?, ?)`),
      pairGet: this.db.prepare(`SELECT id FROM pair_keys WHERE key = ?`).pluck(),
      band: this.db.prepare(`INSERT INTO bands (band, value, idx) VALUES (?, ?, ?)`),
      decide: this.db.prepare(
        `UPDATE items SET r_step = @step, r_action = 'removed', r_code = @code, r_message = @message WHERE idx = @idx AND (r_step IS NULL OR r_step > @step)`,
      ),
      idOf: this.db.prepare(`SELECT id FROM items WHERE idx = ?`).pluck(),
    };
  }

  get length(): number {
    return this.count;
  }

  /** Appends an item; its index is the number of items before it. */
  add(it: Omit<LedgerItem, 'index'>): number {
    const idx = this.count++;
    let li = this.langIndex.get(it.lang);
    if (li === undefined) {
      li = this.langs.length;
      this.langs.push(it.lang);
      this.langIndex.set(it.lang, li);
    }
    const d = it.decision;
    this.batch.tick();
    this.stmt.item.run({
      idx,
      kind: it.kind === 'pair' ? 1 : 0,
      id: it.id,
      source: it.sourceId,
      lang: li,
      chars: it.chars,
      final_chars: it.finalChars,
      store: it.store,
      item_removed: it.itemRemoved ? 1 : 0,
      r_step: d?.stepIndex ?? null,
      r_action: d?.action ?? null,
      r_code: d?.code ?? null,
      r_message: d?.message ?? null,
      events: it.events.length ? JSON.stringify(it.events) : null,
      excerpt: it.excerpt || null,
    });
    return idx;
  }

  /** Exact dedup: records `id` as the first with `key` and returns undefined, or returns the first id seen with it. */
  firstWithText(key: string, id: number): number | undefined {
    return this.first(this.stmt.exactIns, this.stmt.exactGet, key, id);
  }

  /** Pair dedup, as firstWithText. */
  firstWithPair(key: string, id: number): number | undefined {
    return this.first(this.stmt.pairIns, this.stmt.pairGet, key, id);
  }

  private first(ins: Database.Statement, get: Database.Statement, key: string, id: number): number | undefined {
    this.batch.tick();
    const k = Buffer.from(key, 'hex');
    if (ins.run(k, id).changes === 1) return undefined;
    return get.get(k) as number;
  }

  /** The MinHash bands of the item at `idx` (one 53-bit number per band). */
  addBands(idx: number, bands: readonly number[]): void {
    for (let b = 0; b < bands.length; b++) {
      this.batch.tick();
      this.stmt.band.run(b, bands[b], idx);
    }
  }

  /**
   * Each pair (first item, item) that share a band value, the first being the
   * lowest index with that value: enough links for union-find to build the
   * clusters, found by one external sort instead of a hash table per band.
   */
  *bandLinks(): Generator<[number, number]> {
    this.batch.commit();
    let band = -1;
    let value = NaN;
    let first = -1;
    for (const r of this.db.prepare(`SELECT band, value, idx FROM bands ORDER BY band, value, idx`).raw().iterate() as Iterable<[number, number, number]>) {
      if (r[0] !== band || r[1] !== value) {
        band = r[0];
        value = r[1];
        first = r[2];
      } else yield [first, r[2]];
    }
  }

  /** Records a corpus-wide removal if it comes at an earlier step than the item's current decision. */
  decide(idx: number, e: { stepIndex: number; code: string; message: string }): void {
    this.batch.tick();
    this.stmt.decide.run({ idx, step: e.stepIndex, code: e.code, message: e.message });
  }

  idOf(idx: number): number {
    return this.stmt.idOf.get(idx) as number;
  }

  /** Every item in index order (drain it before the next write). */
  *items(): Generator<LedgerItem> {
    this.batch.commit();
    for (const r of this.db.prepare(`SELECT * FROM items ORDER BY idx`).iterate() as Iterable<ItemRow>) {
      yield {
        index: r.idx,
        kind: r.kind === 1 ? 'pair' : 'document',
        id: r.id,
        sourceId: r.source,
        lang: this.langs[r.lang]!,
        chars: r.chars,
        finalChars: r.final_chars,
        store: r.store,
        events: r.events ? (JSON.parse(r.events) as LedgerEvent[]) : NO_EVENTS,
        itemRemoved: r.item_removed === 1,
        decision: r.r_step === null ? null : { stepIndex: r.r_step, action: r.r_action!, code: r.r_code!, message: r.r_message! },
        excerpt: r.excerpt ?? '',
      };
    }
  }

  /** The kept items in index order (= id order within documents, then pairs). */
  *kept(): Generator<KeptRow> {
    this.batch.commit();
    const rows = this.db.prepare(`SELECT idx, kind, id, source, lang, final_chars, store FROM items WHERE r_step IS NULL ORDER BY idx`).raw().iterate() as Iterable<number[]>;
    for (const r of rows)
      yield { index: r[0]!, kind: r[1] === 1 ? 'pair' : 'document', id: r[2]!, sourceId: r[3]!, lang: this.langs[r[4]!]!, chars: r[5]!, store: r[6]! };
  }

  /** Ids of the sources at least one kept item comes from. */
  keptSources(): Set<number> {
    this.batch.commit();
    return new Set(this.db.prepare(`SELECT DISTINCT source FROM items WHERE r_step IS NULL`).pluck().all() as number[]);
  }

  close(): void {
    this.batch.commit();
    this.db.close();
  }
}
