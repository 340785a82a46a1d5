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

  it('0090 widens jobs.kind to eval keeping every training job and its metrics, and adds eval runs, scores and items', () => {
    const db = openDatabase(join(tempDir(), 'langbridge.db'), { migrateTo: 80 });
    db.prepare("INSERT INTO jobs (id, kind, name, spec, status, run_dir, live, summary) VALUES (3, 'train', 'run', '{\"a\":1}', 'succeeded', '/w/runs/3', '{\"phase\":\"ended\"}', '{\"step\":2}')").run();
    db.prepare("INSERT INTO job_steps (job_id, step, stage, tokens, loss, lr, time) VALUES (3, 1, 0, 64, 2.5, 0.001, 't1'), (3, 2, 0, 128, 2.25, 0.001, 't2')").run();
    db.prepare("INSERT INTO job_evals (job_id, step, lang, loss, bpc) VALUES (3, 2, 'swh_Latn', 2.1, 1.4)").run();
    expect(() => db.prepare("INSERT INTO jobs (kind, name, spec, status, run_dir) VALUES ('eval', 'e', '{}', 'queued', '/r')").run()).toThrow(/CHECK/);
    const jobBefore = db.prepare('SELECT * FROM jobs').all();
    migrate(db, 90);
    expect(schemaVersion(db)).toBe(90);
    expect(db.prepare('SELECT * FROM jobs').all()).toEqual(jobBefore);
    expect(db.prepare('SELECT step, loss FROM job_steps WHERE job_id = 3 ORDER BY step').all()).toEqual([{ step: 1, loss: 2.5 }, { step: 2, loss: 2.25 }]);
    expect(db.prepare('SELECT lang, bpc FROM job_evals').all()).toEqual([{ lang: 'swh_Latn', bpc: 1.4 }]);
    expect(objects(db)).toEqual(expect.arrayContaining(['jobs_status', 'eval_runs', 'eval_scores', 'eval_items']));
    expect(objects(db)).not.toContain('jobs_new');
    const id = Number(db.prepare("INSERT INTO jobs (kind, name, spec, status, run_dir) VALUES ('eval', 'e', '{}', 'queued', '/r')").run().lastInsertRowid);
    expect(() => db.prepare("INSERT INTO jobs (kind, name, spec, status, run_dir) VALUES ('export', 'x', '{}', 'queued', '/r')").run()).toThrow(/CHECK/);
    db.prepare("INSERT INTO eval_runs (id, job_id, model_ref, model_label, items_hash, items_digest, benchmarks, config, status) VALUES (1, ?, 'tiny', 'tiny-qwen2', 'h', 'd', '[\"flores\"]', '{}', 'queued')").run(id);
    db.prepare("INSERT INTO eval_scores (run_id, benchmark, subset, metric, score, n, signature) VALUES (1, 'flores', 'eng_Latn-swh_Latn', 'chrf++', 12.5, 3, 'sig')").run();
    db.prepare("INSERT INTO eval_items (run_id, item_id, benchmark, subset, src_lang, tgt_lang, source, reference, hypothesis, score, correct, meta) VALUES (1, 'flores:devtest:1:eng_Latn-swh_Latn', 'flores', 'eng_Latn-swh_Latn', 'eng_Latn', 'swh_Latn', 'Hi', 'Habari', 'Jambo', 10, NULL, '{}')").run();
    // Foreign keys still hold after the rebuild: metrics go with their job, a run outlives its job.
    db.prepare('DELETE FROM jobs WHERE id = 3').run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM job_steps').get()).toEqual({ n: 0 });
    db.prepare('DELETE FROM jobs WHERE id = ?').run(id);
    expect(db.prepare('SELECT job_id FROM eval_runs').get()).toEqual({ job_id: null });
    db.prepare('DELETE FROM eval_runs').run();
    expect(db.prepare('SELECT (SELECT COUNT(*) FROM eval_scores) + (SELECT COUNT(*) FROM eval_items) AS n').get()).toEqual({ n: 0 });
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('0100 adds review queues, items, judgements and spans that go with their queue', () => {
    const { db, before, after } = stepTo(100);
    expect(before).not.toContain('review_queues');
    expect(after).toEqual(expect.arrayContaining(['review_queues', 'review_items', 'review_judgements', 'review_spans']));
    db.prepare("INSERT INTO review_queues (id, name, kind, systems, origin) VALUES (1, 'q', 'file', '[\"a\"]', '{}')").run();
    expect(() => db.prepare("INSERT INTO review_queues (name, kind, systems, origin) VALUES ('q', 'web', '[]', '{}')").run()).toThrow(/CHECK/);
    db.prepare("INSERT INTO review_items (id, queue_id, ordinal, src_lang, tgt_lang, source, outputs, \"order\") VALUES (1, 1, 1, 'eng_Latn', 'swh_Latn', 'Hi', '[]', '[]')").run();
    const judge = db.prepare("INSERT INTO review_judgements (id, item_id, system, reviewer, score) VALUES (?, 1, 'a', 'amina', ?)");
    judge.run(1, 70);
    expect(() => judge.run(2, 70)).toThrow(/UNIQUE/); // one judgement per item, system and reviewer
    expect(() => db.prepare("INSERT INTO review_judgements (item_id, system, reviewer, score) VALUES (1, 'b', 'amina', 101)").run()).toThrow(/CHECK/);
    const span = db.prepare('INSERT INTO review_spans (judgement_id, start, "end", category, severity) VALUES (1, ?, ?, ?, ?)');
    span.run(0, 2, 'accuracy/omission', 'major');
    expect(() => span.run(0, 2, 'spelling', 'major')).toThrow(/CHECK/);
    expect(() => span.run(3, 2, 'style', 'minor')).toThrow(/CHECK/);
    expect(() => span.run(0, 2, 'style', 'fatal')).toThrow(/CHECK/);
    db.prepare('DELETE FROM review_queues').run();
    expect(db.prepare('SELECT (SELECT COUNT(*) FROM review_items) + (SELECT COUNT(*) FROM review_judgements) + (SELECT COUNT(*) FROM review_spans) AS n').get()).toEqual({ n: 0 });
  });

  it('0110 adds exports: a known format, exporting until ready', () => {
    const { db, before, after } = stepTo(110);
    expect(before).not.toContain('exports');
    expect(after).toEqual(expect.arrayContaining(['exports', 'exports_model']));
    db.prepare("INSERT INTO exports (model_ref, model_label, format, variant, path, status, pid) VALUES ('tiny', 'tiny-qwen2', 'onnx', 'fp32,int8', '/w/exports/tiny-onnx', 'exporting', 1)").run();
    expect(db.prepare('SELECT status, bytes, files FROM exports').get()).toEqual({ status: 'exporting', bytes: 0, files: '[]' });
    expect(() => db.prepare("INSERT INTO exports (model_ref, model_label, format, variant, path, status) VALUES ('tiny', 't', 'pickle', 'x', '/p', 'ready')").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO exports (model_ref, model_label, format, variant, path, status) VALUES ('tiny', 't', 'hf', 'full', '/p', 'done')").run()).toThrow(/CHECK/);
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
