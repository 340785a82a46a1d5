import type Database from 'better-sqlite3';
import { Batcher, openScratch } from './scratch';

/**
 * The write phase's scratch state, on disk so that a stage of any size is
 * realised and shuffled in bounded memory: the training units of every
 * (group, language), streamed back in a seeded order per pass, and the
 * picks of a stage, streamed back in the stage's shuffled order. Units and
 * picks are separate files because picks are written while units are read
 * (one connection cannot do both, see db/scan-ledger.ts).
 */

export interface UnitRow {
  /** The item's index in the scan ledger. */
  index: number;
  kind: 'document' | 'pair';
  id: number;
  sourceId: number;
  chars: number;
  store: number;
  tokens: number;
}

type Raw = [number, number, number, number, number, number, number];
const toUnit = (r: Raw): UnitRow => ({ index: r[0], kind: r[1] === 1 ? 'pair' : 'document', id: r[2], sourceId: r[3], chars: r[4], store: r[5], tokens: r[6] });

export class UnitStore {
  private readonly db: Database.Database;
  private readonly batch: Batcher;
  private readonly ins: Database.Statement;
  private indexed = false;

  /** orderKey(salt, index): the seeded order key the pipeline sorts units by (main/services/pipeline/rng.ts). */
  constructor(path: string, orderKey: (salt: number, n: number) => number) {
    this.db = openScratch(path);
    this.db.exec(`CREATE TABLE units (ukey INTEGER NOT NULL, idx INTEGER NOT NULL, kind INTEGER NOT NULL, id INTEGER NOT NULL, source INTEGER NOT NULL, chars INTEGER NOT NULL, store INTEGER NOT NULL, tokens INTEGER NOT NULL)`);
    this.db.function('order_key', { deterministic: true }, (salt, n) => orderKey(Number(salt), Number(n)));
    this.batch = new Batcher(this.db);
    this.ins = this.db.prepare(`INSERT INTO units VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  /** ukey: the caller's number for a (group, language). */
  add(ukey: number, u: UnitRow): void {
    this.batch.tick();
    this.ins.run(ukey, u.index, u.kind === 'pair' ? 1 : 0, u.id, u.sourceId, u.chars, u.store, u.tokens);
  }

  /** The units of one (group, language) in the order orderKey(salt, index) gives (drain before adding). */
  *ordered(ukey: number, salt: number): Generator<UnitRow> {
    this.batch.commit();
    if (!this.indexed) {
      // Built once, after the bulk insert: cheaper than maintaining it row by row.
      this.db.exec('CREATE INDEX units_by_key ON units (ukey)');
      this.indexed = true;
    }
    const rows = this.db.prepare(`SELECT idx, kind, id, source, chars, store, tokens FROM units WHERE ukey = ? ORDER BY order_key(?, idx)`).raw().iterate(ukey, salt) as Iterable<Raw>;
    for (const r of rows) yield toUnit(r);
  }

  close(): void {
    this.batch.commit();
    this.db.close();
  }
}

export interface PickRow {
  unit: UnitRow;
  /** The (group, language) number the unit was added under. */
  ukey: number;
  /** 0 for a unit's first use in the stage, 1 for its first repetition, … */
  epoch: number;
}

export class PickStore {
  private readonly db: Database.Database;
  private readonly batch: Batcher;
  private readonly ins: Database.Statement;
  private seq = 0;

  constructor(path: string) {
    this.db = openScratch(path);
    this.db.exec(
      `CREATE TABLE picks (seq INTEGER PRIMARY KEY, stage INTEGER NOT NULL, key INTEGER NOT NULL, ukey INTEGER NOT NULL, epoch INTEGER NOT NULL,
        idx INTEGER NOT NULL, kind INTEGER NOT NULL, id INTEGER NOT NULL, source INTEGER NOT NULL, chars INTEGER NOT NULL, store INTEGER NOT NULL, tokens INTEGER NOT NULL)`,
    );
    this.batch = new Batcher(this.db);
    this.ins = this.db.prepare(`INSERT INTO picks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  /** Adds a pick to a stage; `key(seq)` gives its place in the stage's order from its sequence number. */
  add(stage: number, key: (seq: number) => number, p: PickRow): void {
    this.batch.tick();
    const seq = this.seq++;
    const u = p.unit;
    this.ins.run(seq, stage, key(seq), p.ukey, p.epoch, u.index, u.kind === 'pair' ? 1 : 0, u.id, u.sourceId, u.chars, u.store, u.tokens);
  }

  count(stage: number): number {
    this.batch.commit();
    return this.db.prepare(`SELECT COUNT(*) FROM picks WHERE stage = ?`).pluck().get(stage) as number;
  }

  /** A stage's picks in its shuffled order. */
  *shuffled(stage: number): Generator<PickRow> {
    this.batch.commit();
    const rows = this.db.prepare(`SELECT ukey, epoch, idx, kind, id, source, chars, store, tokens FROM picks WHERE stage = ? ORDER BY key, seq`).raw().iterate(stage) as Iterable<number[]>;
    for (const r of rows) yield { ukey: r[0]!, epoch: r[1]!, unit: toUnit(r.slice(2) as Raw) };
  }

  close(): void {
    this.batch.commit();
    this.db.close();
  }
}
