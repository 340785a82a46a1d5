import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { stringify as toYaml } from 'yaml';
import { preset } from '../../main/services/pipeline/presets';
import { cli, cliPath, requireBuild, root } from './helpers/cli';
import { makeDoc, writeJsonl } from './helpers/pipeline-corpus';
import { tempDir } from './helpers/workspace';

beforeAll(requireBuild);

function workspaceWith(docs: number): string {
  const ws = tempDir();
  const files = tempDir('lb-files-');
  const eng = Array.from({ length: docs }, (_, i) => makeDoc('eng', i, 30 + (i % 60)));
  eng.push(eng[0]!);
  const swh = Array.from({ length: Math.ceil(docs / 3) }, (_, i) => makeDoc('swh', i, 30 + (i % 40)));
  for (const [name, texts, lang] of [['eng.jsonl', eng, 'en'], ['swh.jsonl', swh, 'sw']] as const) {
    const r = cli(['import', writeJsonl(files, name, [...texts]), '--lang', lang, '--workspace', ws, '--json']);
    expect(r.status, r.stderr).toBe(0);
  }
  return ws;
}

describe('the pipeline through the CLI (worker threads)', () => {
  it('previews, runs a YAML recipe on two workers, lists, shows and exports the dataset', () => {
    const ws = workspaceWith(300);
    const preview = cli(['pipeline', 'preview', '--preset', 'marco', '--sample', '50', '--workspace', ws, '--json']);
    expect(preview.status, preview.stderr).toBe(0);
    const p = JSON.parse(preview.stdout);
    expect(p.sampled).toEqual({ eng_Latn: 50, swh_Latn: 50 });
    expect(p.report.steps.map((s: { kind: string }) => s.kind)).toEqual(preset('marco').steps.map((s) => s.kind));

    const recipeFile = join(tempDir('lb-recipe-'), 'ours.yaml');
    writeFileSync(recipeFile, toYaml({ ...preset('minimal'), name: 'ours' }));
    const run = cli(['pipeline', 'run', '--recipe', recipeFile, '--workspace', ws, '--json'], { LANGBRIDGE_WORKERS: '2' });
    expect(run.status, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout);
    expect(r).toMatchObject({ datasetId: 1, name: 'ours-1', workers: 2, documentsIn: 401 });
    expect(r.steps.find((s: { kind: string }) => s.kind === 'exact-dedup').removed).toBe(1);
    expect(r.peakRssMb).toBeGreaterThan(10);

    const list = JSON.parse(cli(['datasets', '--workspace', ws, '--json']).stdout);
    expect(list.map((d: { name: string }) => d.name)).toEqual(['ours-1']);
    const shown = JSON.parse(cli(['dataset', 'show', '1', '--workspace', ws, '--json']).stdout);
    expect(shown.manifest.recipe.name).toBe('ours');
    const lineage = JSON.parse(cli(['dataset', 'lineage', '1', '--step', 'exact-dedup', '--workspace', ws, '--json']).stdout);
    expect(lineage.rows).toHaveLength(1);
    expect(lineage.rows[0]).toMatchObject({ itemKind: 'document', code: 'exact_duplicate', lang: 'eng_Latn' });

    const out = join(tempDir('lb-export-'), 'out');
    const ex = cli(['dataset', 'export', '1', '--format', 'jsonl', '--out', out, '--workspace', ws]);
    expect(ex.status, ex.stderr).toBe(0);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('# ours-1');
    expect(readdirSync(join(out, 'stage-1')).every((f) => f.endsWith('.jsonl'))).toBe(true);
  });

  it('gives the same shards with one worker as with two', () => {
    const ws = workspaceWith(200);
    const one = JSON.parse(cli(['pipeline', 'run', '--preset', 'marco', '--workspace', ws, '--json'], { LANGBRIDGE_WORKERS: '1' }).stdout);
    const two = JSON.parse(cli(['pipeline', 'run', '--preset', 'marco', '--workspace', ws, '--json'], { LANGBRIDGE_WORKERS: '2' }).stdout);
    const sums = (id: number) => {
      const m = JSON.parse(cli(['dataset', 'show', String(id), '--workspace', ws, '--json']).stdout).manifest;
      return m.stages.flatMap((s: { shards: Array<{ sha256: string }> }) => s.shards.map((x) => x.sha256));
    };
    expect(sums(one.datasetId)).toEqual(sums(two.datasetId));
  });

  it('refuses a broken recipe file naming the file and the field', () => {
    const ws = tempDir();
    const dir = tempDir('lb-recipe-');
    const bad = join(dir, 'bad.yaml');
    const recipe = preset('minimal') as unknown as { steps: Array<{ kind: string }> };
    recipe.steps[0]!.kind = 'sparkle';
    writeFileSync(bad, toYaml(recipe));
    const r = cli(['pipeline', 'run', '--recipe', bad, '--workspace', ws]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(bad);
    expect(r.stderr).toMatch(/steps\.0\.kind/);
    writeFileSync(join(dir, 'broken.json'), '{ "version": 1,');
    const j = cli(['pipeline', 'preview', '--recipe', join(dir, 'broken.json'), '--workspace', ws]);
    expect(j.status).toBe(1);
    expect(j.stderr).toMatch(/broken\.json: not valid JSON/);
  });

  it('killed mid-run, leaves no dataset, and the next start clears its temporary files', async () => {
    const ws = workspaceWith(2500);
    const child = spawn(process.execPath, [cliPath, 'pipeline', 'run', '--preset', 'marco', '--workspace', ws], {
      cwd: root,
      env: { ...process.env, LANGBRIDGE_PROGRESS_INTERVAL_MS: '10', LANGBRIDGE_WORKERS: '2' },
    });
    child.stderr.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (s: string) => {
        if (/cleaning and deduplicating [1-9]\d?%/.test(s) && child.exitCode === null) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`the run finished (code ${code}) before it could be killed`));
      });
    });
    await once(child, 'exit').catch(() => undefined);
    // The killed run's temporary folder is still there until something opens the workspace.
    const raw = new Database(join(ws, 'langbridge.db'), { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
    const list = cli(['datasets', '--workspace', ws, '--json']);
    expect(list.status, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
    expect(existsSync(join(ws, 'datasets')) ? readdirSync(join(ws, 'datasets')) : []).toEqual([]);
    // And the same run completes afterwards.
    const again = cli(['pipeline', 'run', '--preset', 'minimal', '--workspace', ws, '--json']);
    expect(again.status, again.stderr).toBe(0);
  }, 120_000);
});
