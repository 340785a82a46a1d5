import Database from 'better-sqlite3';

/**
 * A scratch key-value store for one pipeline run: the cleaned texts of the
 * kept items, written once while scanning and read back in the mixture's
 * random order while shards are written. It lives in the run's temporary
 * folder and is deleted with it, so durability settings are off.
 */
export class WorkStore {
  private readonly db: Database.Database;
  private readonly put: Database.Statement;
  private readonly getStmt: Database.Statement;
  private pending: Array<[number, string]> = [];

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec('CREATE TABLE IF NOT EXISTS items (key INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    this.put = this.db.prepare('INSERT OR REPLACE INTO items (key, body) VALUES (?, ?)');
    this.getStmt = this.db.prepare('SELECT body FROM items WHERE key = ?').pluck();
  }

  /** key: the item's index in the run; body: its texts as JSON. */
  add(key: number, body: string): void {
    this.pending.push([key, body]);
    if (this.pending.length >= 2000) this.flush();
  }

  flush(): void {
    const rows = this.pending;
    this.pending = [];
    this.db.transaction(() => {
      for (const [k, b] of rows) this.put.run(k, b);
    })();
  }

  get(key: number): string | undefined {
    return this.getStmt.get(key) as string | undefined;
  }

  close(): void {
    this.db.close();
  }
}
