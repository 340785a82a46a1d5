import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, results, test } from './fixtures';

/**
 * The Models page through the real UI: the tiny model exported to Hugging
 * Face format by the trainer's real exporter, listed with its files, sizes
 * and sha256 checksums (the same as on disk) and its model card; a second
 * export cancelled, leaving nothing; the export deleted with its folder.
 */
test('exports the tiny model to Hugging Face format, shows its checksums and card, cancels another export, deletes the first', async ({ corpus: page, server }) => {
  test.setTimeout(420_000);
  await server.call('train:create-tiny', {});

  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Models' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Models' })).toBeVisible();
  const models = page.getByRole('region', { name: 'Models' });
  const tinyRow = models.getByRole('row', { name: /tiny-qwen2/ });
  await expect(tinyRow).toContainText('Base model');
  await expect(tinyRow).toContainText('not evaluated');
  await page.getByRole('button', { name: 'Export tiny-qwen2' }).click();

  const form = page.getByRole('region', { name: 'Export tiny-qwen2' });
  await expect(form.getByRole('radio', { name: 'Hugging Face' })).toBeChecked();
  await form.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(form.getByRole('progressbar')).toBeVisible();
  await expect(form.getByRole('status')).toContainText('every check passed', { timeout: 300_000 });
  const folder = join(server.workspace, 'exports', 'tiny-qwen2-hf');
  await expect(form.getByRole('status')).toContainText(folder);

  const exports = page.getByRole('region', { name: 'Exports' });
  const item = exports.getByRole('listitem', { name: 'Export #1' });
  await expect(item).toContainText('tiny-qwen2');
  await expect(item).toContainText('Hugging Face');
  await expect(item).toContainText('All 2 checks passed (present, safetensors header)');
  await expect(tinyRow).toContainText('HF');
  await item.getByText(/^Files and checksums/).click();
  // The page shows what is on disk: the weights' size and sha256, byte for byte.
  const weights = readFileSync(join(folder, 'model.safetensors'));
  const row = item.getByRole('row', { name: /model\.safetensors/ });
  await expect(row).toContainText(weights.length.toLocaleString('en'));
  await expect(row).toContainText(createHash('sha256').update(weights).digest('hex'));
  await expect(item.getByRole('row', { name: /README\.md/ })).toBeVisible();
  const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as { files: Array<{ path: string; sha256: string }> };
  for (const f of manifest.files) await expect(item.getByRole('row', { name: new RegExp(`${f.path.replace(/\./g, '\\.')}.*${f.sha256}`) })).toBeVisible();

  await item.getByText('Model card (README.md)').click();
  const card = item.locator('.model-card');
  await expect(card.getByLabel('Front matter')).toContainText('- langbridge');
  await expect(card.getByRole('heading', { name: 'tiny-qwen2' })).toBeVisible();
  await expect(card).toContainText('Langbridge did not train it');
  await expect(card.getByRole('heading', { name: 'Evaluation' })).toBeVisible();
  await expect(card).toContainText('has not been evaluated in Langbridge yet');
  await page.screenshot({ path: results('models-exported.png'), fullPage: true });

  // A second export, cancelled once the exporter is at work: nothing is left, and the list is unchanged.
  await form.getByRole('radio', { name: 'GGUF' }).check({ force: true });
  await form.getByRole('button', { name: 'Export', exact: true }).click();
  // Cancel once the exporter itself is at work (its stages follow each other quickly for GGUF).
  await expect(form.getByRole('progressbar')).toHaveAccessibleName(/Loading the model|GGUF/i, { timeout: 120_000 });
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(form.getByRole('status')).toHaveText('Cancelled. Nothing was left behind.', { timeout: 60_000 });
  expect(existsSync(join(server.workspace, 'exports', 'tiny-qwen2-gguf'))).toBe(false);
  await expect(exports.getByRole('listitem', { name: /^Export #/ })).toHaveCount(1);

  await item.getByRole('button', { name: 'Delete export #1' }).click();
  await item.getByRole('group', { name: 'Confirm deletion of export #1' }).getByRole('button', { name: 'Delete' }).click();
  await expect(exports.getByText('No exports yet.')).toBeVisible();
  expect(existsSync(folder)).toBe(false);
});
