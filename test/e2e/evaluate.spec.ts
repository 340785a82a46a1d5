import { expect, fixture, results, test } from './fixtures';

/**
 * Evaluation through the real UI: the tiny random Qwen2 and two checkpoints of
 * a two-step CPU training run, on Flores fixture sentences in three languages
 * (two items per direction, eight new tokens), in the trainer's real Python
 * environment. The scores are whatever the model produces; the test checks
 * that the page shows them and the items behind them, not their values.
 */

interface JobInfo {
  id: number;
  status: string;
}

test('evaluates the base model and two checkpoints from the Evaluate page: table, heatmap, charts and items', async ({ corpus: page, server }) => {
  test.setTimeout(480_000);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Evaluate' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Evaluate' })).toBeVisible();
  // An empty workspace: the page says how to get evaluation data, and shows no form.
  await expect(page.getByRole('heading', { name: 'Nothing to evaluate on yet' })).toBeVisible();
  await expect(page.getByText('langbridge import path/to/flores200_dataset')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Results' })).toContainText('No scores yet');
  await page.screenshot({ path: results('evaluate-empty.png'), fullPage: true });

  // A two-step training run with a checkpoint at each step, on a UDHR dataset version (set up through the contract: not what this test is about).
  await server.call('corpus:import-sample', { sample: 'udhr', langs: ['eng', 'swh', 'amh'] });
  await server.call('pipeline:run', { recipe: await server.call('pipeline:recipe', { name: 'marco' }) });
  const train = await server.call<JobInfo>('train:start', { datasetId: 1, base: 'tiny', recipe: 'cpu-demo', options: { maxSteps: 2, checkpointInterval: 1, evalInterval: 1000 } });
  // A dataset version alone offers the held-out benchmarks.
  const form = page.getByRole('region', { name: 'New evaluation' });
  await expect(form.getByRole('checkbox', { name: /Held-out pairs/ })).toBeEnabled();
  await expect(form.getByRole('checkbox', { name: /Flores-200/ })).toBeDisabled();
  await expect.poll(async () => (await server.call<JobInfo>('jobs:show', { id: train.id })).status, { timeout: 240_000 }).toBe('succeeded');
  // The Flores fixture (five languages, dev and devtest): the page notices the import on its own and picks Flores.
  await server.call('corpus:import', { paths: [fixture('flores/flores200_dataset')] });
  await expect(form.getByRole('checkbox', { name: /Flores-200/ })).toBeChecked();
  await expect(form.getByRole('checkbox', { name: /Held-out pairs/ })).not.toBeChecked();

  // The run's checkpoints (the form reloads its models when a run ends).
  const run = form.getByRole('group', { name: /^Run #1/ });
  await expect(run.getByRole('checkbox')).toHaveCount(2);
  // The newest run's last checkpoint is chosen by default; add the first one to follow the run over steps.
  await expect(run.getByRole('checkbox', { name: 'step 2' })).toBeChecked();
  await run.getByRole('checkbox', { name: 'step 1' }).check();
  await expect(form.getByRole('group', { name: 'Base models' }).getByRole('checkbox', { name: 'tiny-qwen2' })).not.toBeChecked();

  for (const code of ['eng_Latn', 'swh_Latn', 'amh_Ethi']) await form.getByRole('checkbox', { name: new RegExp(code) }).check();
  // English is replay (high-resource): marked as such.
  await expect(form.locator('label.replay', { hasText: 'eng_Latn' })).toContainText('replay');
  await form.getByLabel('Max items per language or direction').fill('2');
  await form.getByLabel('Max new tokens').fill('8');
  await form.getByLabel('Device').selectOption('cpu');
  await expect(form).toContainText('up to 12 items each');
  await form.getByRole('button', { name: 'Start evaluation' }).click();

  // One job per checkpoint, plus the base model as the reference row.
  await expect(page.getByRole('status')).toContainText('Started 3 evaluation jobs');
  const jobs = page.getByRole('region', { name: 'Evaluation jobs' });
  await expect(jobs.getByRole('listitem')).toHaveCount(3);
  await expect(jobs.locator('[data-status="succeeded"]')).toHaveCount(3, { timeout: 300_000 });
  await expect(jobs.getByRole('progressbar')).toHaveCount(0);

  // The comparison table: six directions, the base column and the two checkpoints, every trained cell with its delta.
  const resultsCard = page.getByRole('region', { name: 'Results' });
  const table = resultsCard.getByRole('table', { name: 'Flores-200 · chrF++' });
  await expect(table.locator('tbody tr')).toHaveCount(6, { timeout: 30_000 });
  await expect(table.locator('thead th')).toHaveCount(4);
  await expect(table.locator('thead')).toContainText('base');
  await expect(table.locator('thead')).toContainText('step 1');
  await expect(table.locator('td[data-verdict="reference"]')).toHaveCount(6);
  await expect(table.locator('tbody td.score-cell:not([data-verdict="reference"])').filter({ has: page.locator('.delta') })).toHaveCount(12);
  const trained = table.getByRole('button', { name: /change vs tiny-qwen2: .*95% interval/ });
  await expect(trained).toHaveCount(12);
  await expect(table.locator('tbody tr').first()).toContainText('→');
  await expect(resultsCard.getByRole('table', { name: 'Flores-200 · BLEU' })).toBeVisible();
  // English ↔ Amharic / Swahili are directions with a new language: none of them is a replay row.
  await expect(table.locator('tr.replay-row')).toHaveCount(0);

  // The heatmap: three languages, six directions with their numbers in words; the diagonal is not a direction.
  const heatmap = resultsCard.getByRole('table', { name: /from each source language \(rows\) into each target language/ });
  await expect(heatmap.locator('tbody tr')).toHaveCount(3);
  await expect(heatmap.getByRole('button', { name: /→ .*: chrF\+\+ \d+\.\d on 2 items/ })).toHaveCount(6);
  await expect(heatmap.locator('td.heatmap-diag')).toHaveCount(3);
  await expect(resultsCard.getByLabel('Model', { exact: true })).toHaveValue('run:1@2');
  await expect(resultsCard.getByRole('figure', { name: /^chrF\+\+, the same scale for every model/ })).toBeVisible();
  await resultsCard.getByRole('group', { name: 'Show' }).getByRole('button', { name: 'change vs base' }).click();
  await expect(heatmap.getByRole('button', { name: /change vs tiny-qwen2/ })).toHaveCount(6);
  await expect(resultsCard.getByRole('figure', { name: /^Change in chrF\+\+ against the base model/ })).toBeVisible();

  // Over checkpoints: a line per target language (steps 1 and 2), each with its base model dashed.
  const chart = resultsCard.getByRole('figure', { name: /^Flores-200 · chrF\+\+, mean over directions into each language over checkpoints/ });
  await expect(chart.locator('.recharts-legend-item')).toHaveCount(3);
  await expect(chart.locator('path.recharts-line-curve')).toHaveCount(3);
  await expect(chart.locator('.recharts-reference-line')).toHaveCount(3);
  await resultsCard.scrollIntoViewIfNeeded();
  await page.screenshot({ path: results('evaluate-results.png'), fullPage: true });

  // The items behind a cell: source, reference, the checkpoint's output and the base model's, each with its sentence chrF++.
  await trained.first().click();
  const drawer = page.getByRole('dialog');
  await expect(drawer).toBeVisible();
  const items = drawer.getByRole('list', { name: 'Items' }).getByRole('listitem');
  await expect(items).toHaveCount(2);
  await expect(items.first()).toContainText('Source');
  await expect(items.first()).toContainText('Reference');
  await expect(items.first()).toContainText(/Output\s*chrF\+\+ \d/);
  await expect(items.first()).toContainText(/tiny-qwen2\s*chrF\+\+ \d/);
  await page.screenshot({ path: results('evaluate-items.png') });
  await drawer.getByRole('button', { name: 'Close' }).click();
  await expect(drawer).toBeHidden();

  // The stored runs, one per model.
  await expect(page.getByRole('region', { name: 'Evaluation runs' }).locator('tbody tr')).toHaveCount(3);
});
