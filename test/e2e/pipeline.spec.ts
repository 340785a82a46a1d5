import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { section } from './corpus-helpers';
import { expect, results, root, test } from './fixtures';

/** The sample dialog's default languages: nine scripts, and pairs between them. */
const SAMPLE_LANGS = ['eng', 'swh', 'yor', 'quy', 'amh', 'arb', 'tha', 'khm', 'cmn'];

function count(text: string | null): number {
  return Number((text ?? '').replace(/[^\d]/g, ''));
}

async function openPipeline(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Pipeline' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Pipeline' })).toBeVisible();
}

/** Waits until the preview shown is for the recipe as it stands (the status says so once the answer is in). */
async function previewSettled(page: Page): Promise<Locator> {
  const status = section(page, 'Preview').getByTestId('preview-status');
  await expect(status).toHaveText(/^Previewed/, { timeout: 60_000 });
  return status;
}

/** Controls without an accessible name (label, aria-label, aria-labelledby, or a button's text), as a browser-side check. */
const UNNAMED_CONTROLS = `[...document.querySelectorAll('main input, main select, main textarea, main button')]
  .filter((el) => !el.closest('[hidden]'))
  .filter((el) => !(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (el.labels && el.labels.length)
    || (el.tagName === 'BUTTON' && el.textContent.trim())))
  .map((el) => el.outerHTML.slice(0, 120))`;

function stepItem(page: Page, kind: string): Locator {
  return section(page, 'Recipe').locator(`li[data-step-kind="${kind}"]`);
}

function previewRow(page: Page, kind: string): Locator {
  return section(page, 'Preview').locator(`tbody[data-step-kind="${kind}"]`);
}

test('previews a preset, re-previews a tuned threshold, runs it and opens the dataset with its lineage', async ({ corpus: page, server }) => {
  test.setTimeout(240_000);
  await server.call('corpus:import-sample', { sample: 'udhr', langs: SAMPLE_LANGS });
  await openPipeline(page);

  const recipe = section(page, 'Recipe');
  await recipe.getByLabel('Recipe', { exact: true }).selectOption('preset:marco');
  await expect(recipe.getByText(/The Marco-LLM recipe/)).toBeVisible();
  const status = await previewSettled(page);
  await expect(status).toContainText(/in \d+\.\d s/);

  // What Gopher quality removes at the preset's 20-word minimum.
  const removed = previewRow(page, 'gopher-quality').locator('[data-field="removed"]');
  const before = count(await removed.textContent());
  expect(before).toBeGreaterThan(0);

  // Lower the minimum to 5 words: the preview re-runs by itself and removes less.
  const gopher = stepItem(page, 'gopher-quality');
  await gopher.getByRole('button', { name: 'Tune Gopher quality' }).click();
  const minWords = gopher.getByLabel('Min doc words', { exact: true });
  await expect(minWords).toHaveValue('20');
  await minWords.fill('5');
  await expect(recipe.getByText('modified')).toBeVisible();
  await expect(status).toHaveText(/^Previewing/);
  await previewSettled(page);
  await expect(removed).not.toHaveText(String(before));
  expect(count(await removed.textContent())).toBeLessThan(before);

  // The step's examples say why, in words.
  await previewRow(page, 'gopher-quality').getByRole('button', { name: 'Details of Gopher quality' }).click();
  const examples = page.getByRole('list', { name: 'Examples from Gopher quality' });
  await expect(examples.getByText(/\(minimum 5\)/).first()).toBeVisible();
  await expect(previewRow(page, 'gopher-quality').getByRole('table', { name: 'Gopher quality per language' })).toBeVisible();
  // Which copy deduplication keeps is stated with the step.
  await expect(previewRow(page, 'exact-dedup')).toContainText(/earliest imported.*is kept/);

  // Fold the step's form away again: the picture below is of the preview and the plan.
  await gopher.getByRole('button', { name: 'Tune Gopher quality' }).click();
  await expect(minWords).toBeHidden();

  // The mixture plan: groups' target and planned shares, languages with their epochs, the plan's warnings.
  const mixture = section(page, 'Mixture plan');
  await expect(mixture.getByRole('figure', { name: 'Stage I: target and planned share per group' })).toBeVisible();
  await expect(mixture.getByRole('table', { name: 'Stage I: planned tokens per language' }).locator('tr[data-lang="eng_Latn"]')).toContainText('×');
  await expect(mixture.getByRole('list', { name: 'Plan warnings' }).first()).toContainText('has no data');
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: results('pipeline-page.png'), fullPage: true });
  if (process.env.LANGBRIDGE_DOCS_SCREENSHOT) {
    // docs/pipeline-page.png is tracked: it is rewritten only on request, so test runs leave the checkout clean.
    await page.screenshot({ path: join(root, 'docs/pipeline-page.png'), fullPage: true });
  }

  // Run: progress with the step's name, then the new version in the list.
  const run = section(page, 'Run');
  await run.getByRole('button', { name: 'Run pipeline' }).click();
  await expect(run.getByRole('progressbar')).toBeVisible();
  const summary = run.getByRole('status', { name: 'Run summary' });
  await expect(summary).toContainText('Dataset marco-1 written', { timeout: 120_000 });
  await expect(run.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  const records = count((await summary.textContent())?.match(/([\d,]+) records?/)?.[1] ?? null);
  expect(records).toBeGreaterThan(0);

  const datasets = section(page, 'Dataset versions');
  const row = datasets.locator('tr[data-dataset-id]').filter({ hasText: 'marco-1' });
  await expect(row.locator('[data-field="records"]')).toHaveText(records.toLocaleString('en'));

  // Open it: manifest, the per-step report, and the lineage of what was removed.
  await row.getByRole('button', { name: 'Open marco-1' }).click();
  await expect(datasets.getByTestId('dataset-records')).toHaveText(records.toLocaleString('en'));
  await expect(datasets.getByRole('table', { name: 'Stages' })).toContainText('Stage I');
  await expect(datasets.getByRole('table', { name: 'Dataset sources' })).toContainText('UDHR');
  const lineage = datasets.getByRole('table', { name: 'Lineage rows' });
  await expect(lineage.locator('tbody tr').first()).toBeVisible();
  await datasets.getByRole('group', { name: 'Lineage filters' }).getByLabel('Step').selectOption('gopher-quality');
  await expect(lineage.locator('tbody tr').first()).toContainText('Gopher quality');
  await expect(lineage.locator('tbody tr').first()).toContainText(/minimum 5/);
  await expect(datasets.getByRole('group', { name: 'Lineage pages' })).toContainText(/Rows 1–\d+ of [\d,]+/);
  await page.screenshot({ path: results('pipeline-dataset.png'), fullPage: true });
  expect(await page.evaluate(UNNAMED_CONTROLS)).toEqual([]);
});

test('an invalid value is named by its field path, and the preview and run wait for a valid recipe', async ({ corpus: page }) => {
  await openPipeline(page);
  await previewSettled(page);
  const recipe = section(page, 'Recipe');

  const gopher = stepItem(page, 'gopher-quality');
  await gopher.getByRole('button', { name: 'Tune Gopher quality' }).click();
  await gopher.getByLabel('Min doc words', { exact: true }).fill('-5');

  const problems = recipe.getByRole('list', { name: 'Recipe problems' });
  await expect(problems).toContainText('steps.3.params.minDocWords');
  await expect(gopher.locator('[data-param="minDocWords"] .field-error')).toContainText('steps.3.params.minDocWords');
  await expect(gopher.getByText('1 problem')).toBeVisible();
  await expect(section(page, 'Preview').getByTestId('preview-status')).toContainText('waits for a valid recipe');
  await expect(section(page, 'Run').getByRole('button', { name: 'Run pipeline' })).toBeDisabled();
  await expect(recipe.getByRole('button', { name: 'Save recipe' })).toBeDisabled();
  await recipe.screenshot({ path: results('pipeline-invalid.png') });
  expect(await page.evaluate(UNNAMED_CONTROLS)).toEqual([]);

  // "Off" is how a nullable check is switched off; back on, it is valid again.
  await gopher.getByRole('checkbox', { name: 'Min doc words: off' }).check();
  await expect(recipe.getByText('None: the recipe is valid.')).toBeVisible();
  await previewSettled(page);

  // Typing is debounced: one preview for "12", not one per keystroke.
  const previews: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/call/pipeline%3Apreview')) previews.push(r.postData() ?? '');
  });
  const stopWords = gopher.getByLabel('Min stop words', { exact: true });
  await stopWords.fill('');
  await stopWords.pressSequentially('12');
  await expect(section(page, 'Preview').getByTestId('preview-status')).toHaveText(/^Previewing/);
  await previewSettled(page);
  expect(previews).toHaveLength(1);
  expect(previews[0]).toContain('"minStopWords":12');

  // Steps move with the keyboard, and focus stays with the step.
  const up = gopher.getByRole('button', { name: 'Move Gopher quality up' });
  await up.focus();
  await page.keyboard.press('Enter');
  await expect(recipe.getByRole('list', { name: 'Steps' }).locator('> li').nth(2)).toHaveAttribute('data-step-kind', 'gopher-quality');
  await expect(up).toBeFocused();

  // Saved under its own name, the draft becomes a recipe of the workspace; a preset's name would shadow the preset.
  const name = recipe.getByRole('textbox', { name: 'Name' });
  await expect(recipe.getByText(/is a preset’s name: saving shadows the preset/)).toBeVisible();
  await name.fill('team-marco');
  await expect(recipe.getByText(/shadows the preset/)).toBeHidden();
  await recipe.getByRole('button', { name: 'Save recipe' }).click();
  await expect(recipe.getByRole('status').filter({ hasText: 'Saved “team-marco”, revision 1.' })).toBeVisible();
  await expect(recipe.getByLabel('Recipe', { exact: true })).toHaveValue('saved:team-marco');
  await expect(recipe.getByText('modified')).toBeHidden();
  await expect(stepItem(page, 'gopher-quality').getByText('3', { exact: true })).toBeVisible();

  // The JSON view applies only valid recipes, naming the field that is not.
  await recipe.getByRole('button', { name: 'JSON' }).click();
  const text = recipe.getByLabel('Recipe as JSON');
  await text.fill((await text.inputValue()).replace('"seed": 42', '"seed": -1'));
  await recipe.getByRole('button', { name: 'Apply JSON' }).click();
  await expect(recipe.getByRole('alert').filter({ hasText: 'Not applied' })).toContainText('seed');
  await recipe.screenshot({ path: results('pipeline-json.png') });
  await text.fill('{ not json');
  await recipe.getByRole('button', { name: 'Apply JSON' }).click();
  await expect(recipe.getByRole('alert').filter({ hasText: 'Not valid JSON' })).toBeVisible();
});

test('a run started elsewhere shows its progress here, and Cancel stops a run started here', async ({ corpus: page, server }) => {
  test.setTimeout(180_000);
  await server.call('corpus:import-sample', { sample: 'udhr', langs: SAMPLE_LANGS });
  await openPipeline(page);
  await previewSettled(page);

  // As the CLI or another tab would: straight through the API, while this page stays open.
  const elsewhere = server.call('pipeline:run', { recipe: await server.call('pipeline:recipe', { name: 'minimal' }), jobId: 'run-elsewhere', name: 'from-elsewhere' });
  const others = section(page, 'Runs in progress');
  await expect(others.getByRole('progressbar')).toBeVisible();
  await elsewhere;
  await expect(others).toBeHidden();
  const datasets = section(page, 'Dataset versions');
  await expect(datasets.locator('tr[data-dataset-id]').filter({ hasText: 'from-elsewhere' })).toBeVisible();

  const run = section(page, 'Run');
  await run.getByLabel('Dataset name').fill('never-written');
  await run.getByRole('button', { name: 'Run pipeline' }).click();
  await expect(run.getByRole('progressbar')).toBeVisible();
  await run.getByRole('button', { name: 'Cancel' }).click();
  await expect(run.getByRole('status').filter({ hasText: 'Run cancelled' })).toBeVisible();
  await expect(datasets.locator('tr[data-dataset-id]')).toHaveCount(1);
  await expect(datasets).not.toContainText('never-written');

  // Delete a version, after saying what goes.
  await datasets.getByRole('button', { name: 'Open from-elsewhere' }).click();
  await datasets.getByRole('button', { name: 'Delete from-elsewhere' }).click();
  const confirm = datasets.getByRole('group', { name: 'Confirm deletion of from-elsewhere' });
  await expect(confirm).toContainText(/Delete from-elsewhere, its [\d,]+ records? and its files/);
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(datasets.getByText('No dataset versions yet')).toBeVisible();
});
