import Database from 'better-sqlite3';
import { LangbridgeError } from '../main/api/errors';
import { latestVersion, migrations, type Migration } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /** How long a writer waits for another process's lock before 'workspace busy'. */
  busyTimeoutMs?: number;
  /** Apply migrations up to this version only (tests). */
  migrateTo?: number;
}

/**
 * Opens a workspace database: WAL so readers never block the writer, foreign
 * keys on, a busy timeout so a second process waits instead of failing at once.
 */
export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  const db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? Number(process.env.LANGBRIDGE_BUSY_TIMEOUT_MS ?? 10_000)}`);
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode (only a power
    // loss can drop the last transactions), and much faster than FULL.
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  // A larger page cache speeds up bulk imports; bounded so RSS stays small.
  // Read-only connections (the pipeline's scan workers, one per core) read
  // sequentially, where a big cache buys nothing: 8 MiB each.
  db.pragma(opts.readonly ? 'cache_size = -8192' : 'cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > latestVersion) {
    db.close();
    throw new LangbridgeError(
      'workspace-too-new',
      `This workspace (${path}) was written by a newer Langbridge (schema ${version}; this version knows up to ${latestVersion}). Update Langbridge to open it.`,
    );
  }
  if (!opts.readonly) migrate(db, opts.migrateTo ?? latestVersion);
  return db;
}

/** Applies each pending migration in its own transaction, bumping user_version with it. */
export function migrate(db: Db, upTo: number = latestVersion, list: Migration[] = migrations): number {
  let applied = 0;
  for (const m of list) {
    if (m.version > upTo) break;
    // Checked without a lock first: a reader must not queue behind a long
    // import just to learn that the schema is already current.
    if (m.version <= (db.pragma('user_version', { simple: true }) as number)) continue;
    const run = db.transaction(() => {
      // Re-read inside the IMMEDIATE transaction: another process may have
      // migrated while we waited for the lock.
      const current = db.pragma('user_version', { simple: true }) as number;
      if (m.version <= current) return false;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
      return true;
    });
    if (run.immediate()) applied++;
  }
  return applied;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}
