import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { latestVersion, migrations } from '../../db/migrations';
import { migrate, openDatabase, schemaVersion } from '../../db/open';
import { tempDir } from './helpers/workspace';

function objects(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

/** Opens a database migrated to just before `version`, then applies that one migration. */
function stepTo(version: number) {
  const db = openDatabase(join(tempDir(), 'langbridge.db'), { migrateTo: version - 1 });
  const before = objects(db);
  migrate(db, version);
  return { db, before, after: objects(db) };
}

describe('migrations', () => {
  it('are numbered in steps of 10 and end at the latest version', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => (i + 1) * 10));
    expect(latestVersion).toBe(migrations.at(-1)!.version);
  });

  it('0010 creates languages keyed by Flores-style code', () => {
    const { db, after } = stepTo(10);
    expect(after).toContain('languages');
    db.prepare("INSERT INTO languages (code, iso639_3, script, name, direction) VALUES ('swh_Latn', 'swh', 'Latn', 'Swahili', 'ltr')").run();
    expect(() => db.prepare("INSERT INTO languages (code, iso639_3, script, name, direction) VALUES ('x_Latn', 'x', 'Latn', 'X', 'up')").run()).toThrow(/CHECK/);
    expect(schemaVersion(db)).toBe(10);
  });

  it('0020 creates sources with a unique sha256', () => {
    const { db, before, after } = stepTo(20);
    expect(before).not.toContain('sources');
    expect(after).toContain('sources');
    const ins = db.prepare("INSERT INTO sources (name, format, original_path, sha256) VALUES ('a', 'text', '/a', 'abc')");
    ins.run();
    expect(() => ins.run()).toThrow(/UNIQUE/);
  });

  it('0030 creates documents and pairs that cascade with their source', () => {
    const { db, after } = stepTo(30);
    expect(after).toEqual(expect.arrayContaining(['documents', 'pairs', 'documents_lang_role', 'pairs_ref']));
    db.prepare("INSERT INTO languages (code, iso639_3, script, name, direction) VALUES ('swh_Latn', 'swh', 'Latn', 'Swahili', 'ltr')").run();
    db.prepare("INSERT INTO sources (id, name, format, original_path, sha256) VALUES (1, 'a', 'text', '/a', 'abc')").run();
    db.prepare("INSERT INTO documents (source_id, lang, ordinal, text) VALUES (1, 'swh_Latn', 1, 'Habari')").run();
    expect(() => db.prepare("INSERT INTO documents (source_id, lang, ordinal, text, role) VALUES (1, 'swh_Latn', 2, 'x', 'test')").run()).toThrow(/CHECK/);
    db.prepare('DELETE FROM sources WHERE id = 1').run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM documents').get()).toEqual({ n: 0 });
  });

  it('0040 adds trigram full-text indexes that find substrings in scripts without spaces', () => {
    const { db, after } = stepTo(40);
    expect(after).toEqual(expect.arrayContaining(['documents_fts', 'pairs_fts']));
    db.prepare("INSERT INTO languages (code, iso639_3, script, name, direction) VALUES ('tha_Thai', 'tha', 'Thai', 'Thai', 'ltr')").run();
    db.prepare("INSERT INTO sources (id, name, format, original_path, sha256) VALUES (1, 'a', 'text', '/a', 'abc')").run();
    db.prepare("INSERT INTO documents (id, source_id, lang, ordinal, text) VALUES (7, 1, 'tha_Thai', 1, 'มนุษย์ทั้งหลายเกิดมามีอิสระ')").run();
    const hit = db.prepare("SELECT rowid FROM documents_fts WHERE documents_fts MATCH '\"เกิดมา\"'").all();
    expect(hit).toEqual([{ rowid: 7 }]);
    db.prepare('DELETE FROM documents WHERE id = 7').run();
    expect(db.prepare("SELECT rowid FROM documents_fts WHERE documents_fts MATCH '\"เกิดมา\"'").all()).toEqual([]);
  });

  it('0050 adds per-source statistics removed with the source', () => {
    const { db, after } = stepTo(50);
    expect(after).toEqual(expect.arrayContaining(['source_language_stats', 'source_pair_stats']));
    db.prepare("INSERT INTO languages (code, iso639_3, script, name, direction) VALUES ('swh_Latn', 'swh', 'Latn', 'Swahili', 'ltr')").run();
    db.prepare("INSERT INTO sources (id, name, format, original_path, sha256) VALUES (1, 'a', 'text', '/a', 'abc')").run();
    db.prepare("INSERT INTO source_language_stats (source_id, lang, documents) VALUES (1, 'swh_Latn', 3)").run();
    db.prepare('DELETE FROM sources').run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM source_language_stats').get()).toEqual({ n: 0 });
  });

  it('0060 adds recipes, datasets and their lineage, which goes with its dataset', () => {
    const { db, after } = stepTo(60);
    expect(after).toEqual(expect.arrayContaining(['recipes', 'datasets', 'dataset_lineage']));
    db.prepare("INSERT INTO datasets (id, name, recipe_name, recipe, seed, status, folder) VALUES (1, 'd', 'marco', '{}', 42, 'building', 'datasets/1')").run();
    expect(() => db.prepare("INSERT INTO datasets (id, name, recipe_name, recipe, seed, status, folder) VALUES (2, 'e', 'marco', '{}', 42, 'half', 'x')").run()).toThrow(/CHECK/);
    db.prepare("INSERT INTO dataset_lineage (dataset_id, item_kind, item_id, lang, step_index, step, action, code, message) VALUES (1, 'document', 9, 'swh_Latn', 0, 'exact-dedup', 'removed', 'duplicate', 'same as #3')").run();
    db.prepare('DELETE FROM datasets').run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM dataset_lineage').get()).toEqual({ n: 0 });
  });

  it('refuses a database written by a newer version', () => {
    const path = join(tempDir(), 'langbridge.db');
    const raw = new Database(path);
    raw.pragma(`user_version = ${latestVersion + 10}`);
    raw.close();
    expect(() => openDatabase(path)).toThrow(/newer Langbridge/);
  });

  it('applies each migration in one transaction: a failing one leaves nothing behind', () => {
    const db = openDatabase(join(tempDir(), 'langbridge.db'), { migrateTo: 0 });
    const bad = [{ version: 10, name: '0010-bad', sql: 'CREATE TABLE a (x); CREATE TABLE a (y);' }];
    expect(() => migrate(db, 10, bad)).toThrow();
    expect(objects(db)).toEqual([]);
    expect(schemaVersion(db)).toBe(0);
  });

  it('opens in WAL mode with foreign keys on', () => {
    const db = openDatabase(join(tempDir(), 'langbridge.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(latestVersion);
  });
});
