import Database from 'better-sqlite3';

/**
 * A scratch SQLite database for one pipeline run (or preview): per-item state
 * that would otherwise grow in memory with the corpus. It lives in the run's
 * temporary folder and is deleted with it, so there is no journal and no
 * fsync; a bounded page cache is the whole memory cost, and sorts larger than
 * it spill to temporary files. ':memory:' serves previews, whose samples are
 * small.
 */
export function openScratch(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('locking_mode = EXCLUSIVE');
  // 16 MiB of pages; also what a sort may hold before it spills to disk.
  db.pragma('cache_size = -16384');
  db.pragma('temp_store = FILE');
  return db;
}

/** Batches writes into transactions of `size` statements: one per row would cost a commit each. */
export class Batcher {
  private n = 0;
  private open = false;
  constructor(
    private readonly db: Database.Database,
    private readonly size = 20_000,
  ) {}

  /** Call before each write. */
  tick(): void {
    if (!this.open) {
      this.db.exec('BEGIN');
      this.open = true;
    }
    if (++this.n >= this.size) {
      this.db.exec('COMMIT');
      this.db.exec('BEGIN');
      this.n = 0;
    }
  }

  /** Call before any read that must see the writes, and before closing. */
  commit(): void {
    if (this.open) this.db.exec('COMMIT');
    this.open = false;
    this.n = 0;
  }
}
