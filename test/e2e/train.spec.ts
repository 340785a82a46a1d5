import type { Page } from '@playwright/test';
import { expect, results, test } from './fixtures';

/**
 * Training through the real UI: a tiny random Qwen2 on the CPU (this machine
 * and CI have no GPU), in the trainer's real Python environment (built by the
 * pytest stage of `npm test`, or `langbridge doctor --install`).
 */

async function openPage(page: Page, name: 'Train' | 'Settings'): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

test('starts a tiny CPU run from the Train page, watches the charts move, cancels it and resumes it to the end', async ({ corpus: page, server }) => {
  test.setTimeout(600_000);
  // A dataset version to train on: three languages of the UDHR sample through the marco recipe.
  await server.call('corpus:import-sample', { sample: 'udhr', langs: ['eng', 'swh', 'yor'] });
  const recipe = await server.call('pipeline:recipe', { name: 'marco' });
  await server.call('pipeline:run', { recipe });

  await openPage(page, 'Train');
  const form = page.getByRole('region', { name: 'New training run' });
  // No GPU here: the page says so and picks the CPU demo recipe for the tiny model.
  await expect(form.getByTestId('no-gpu')).toBeVisible({ timeout: 60_000 });
  await expect(form.getByLabel('Recipe')).toHaveValue('cpu-demo');
  await expect(form.getByLabel('Base model')).toHaveValue('tiny');
  await expect(form.getByLabel('Dataset version')).toHaveValue('1');
  // A short run: twelve optimizer steps (Cancel comes early in them, so it cannot race the end).
  await form.getByLabel('Stop after (steps)').fill('12');
  await form.getByRole('button', { name: 'Start training' }).click();

  const run = page.getByRole('region', { name: /^Run #1/ });
  await expect(run).toBeVisible({ timeout: 240_000 });
  await expect(run.getByTestId('run-step')).toHaveText(/^[1-3] of 12/, { timeout: 300_000 });
  const loss = run.getByRole('figure', { name: 'Training loss' });
  await expect(loss.locator('path.recharts-line-curve')).toHaveCount(1);
  // The base model's held-out evaluation (step 0) is in before the first step: one line (a dot so far) per language.
  const heldOut = run.getByRole('figure', { name: 'Held-out evaluation per language' });
  await expect(heldOut.locator('.recharts-legend-item')).toHaveCount(3);
  await expect(heldOut.locator('.recharts-line-dot')).toHaveCount(3);

  await run.getByRole('button', { name: 'Cancel' }).click();
  // "stopping…" at once, then the final state once the trainer has checkpointed and exited.
  await expect(run.locator('[data-status="stopping"]')).toBeVisible();
  await expect(run.locator('[data-status="cancelled"]')).toBeVisible({ timeout: 120_000 });
  const stoppedAt = Number((await run.getByTestId('run-step').textContent())?.split(' ')[0]);
  expect(stoppedAt).toBeGreaterThan(0);
  expect(stoppedAt).toBeLessThan(12);
  await page.screenshot({ path: results('train-cancelled.png'), fullPage: true });

  await run.getByRole('button', { name: 'Resume' }).click();
  await expect(run.locator('[data-status="running"]')).toBeVisible();
  await expect(run.locator('[data-status="succeeded"]')).toBeVisible({ timeout: 300_000 });
  await expect(run.getByTestId('run-step')).toHaveText('12 of 12');
  await expect(run.getByText(/Finished at step 12/)).toBeVisible();
  // Two evaluations now (the base model at step 0, the end): a line per language, and the base value dashed.
  await expect(heldOut.locator('path.recharts-line-curve')).toHaveCount(3);
  await expect(heldOut.locator('.recharts-reference-line')).toHaveCount(3);
  await page.screenshot({ path: results('train-succeeded.png'), fullPage: true });

  // The log tab shows the trainer's log; the run history has the final numbers.
  await run.getByRole('tab', { name: 'Log' }).click();
  await expect(run.getByLabel('Run log')).toContainText('step');
  const history = page.getByRole('region', { name: 'Runs' });
  await expect(history.getByRole('row')).toHaveCount(2);
  await expect(history.locator('tbody tr').first()).toContainText('succeeded');
  await expect(history.locator('tbody tr').first().locator('td.num').nth(1)).toHaveText('12');
});

test('the Settings page reports Python, PyTorch, the GPUs and the trainer environment', async ({ corpus: page }) => {
  await openPage(page, 'Settings');
  const doctor = page.getByRole('region', { name: 'Training on this machine' });
  await expect(doctor.getByTestId('env-state')).toHaveText(/^ready: /, { timeout: 60_000 });
  await expect(doctor.getByRole('cell', { name: 'torch', exact: true })).toBeVisible();
  await expect(doctor.locator('p.notice', { hasText: 'No CUDA GPU' })).toBeVisible();
  await page.screenshot({ path: results('settings.png'), fullPage: true });
});
