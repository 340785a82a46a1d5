import { join } from 'node:path';
import Database from 'better-sqlite3';
import { section } from './corpus-helpers';
import { expect, fixture, results, test } from './fixtures';

/** Selects "ya" (characters 7-9) in the output, as a reviewer's mouse would; a string, as it runs in the page. */
const SELECT_YA = `(() => {
  const node = document.querySelector('[aria-label="Output A text"] span').firstChild;
  const range = document.createRange();
  range.setStart(node, 7);
  range.setEnd(node, 9);
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
})()`;

/**
 * The review flow through the real UI: a queue from a small TSV, a score, an
 * error span, a post-edit, save; then the post-edit is a pair in the corpus.
 */
test('reviews a translated file: score, error span, post-edit, and the new pair is in the corpus', async ({ page, server }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}#/review`);
  await expect(page.getByRole('heading', { level: 1, name: 'Translate & Review' })).toBeVisible();
  await page.getByRole('tab', { name: 'Review' }).click();

  // No queue yet: the form is open. A translated file, its languages, and create.
  const form = page.getByRole('form', { name: 'Create a review queue' });
  await expect(form).toBeVisible();
  await form.getByLabel('File to review', { exact: true }).setInputFiles(fixture('review/en-sw.tsv'));
  await form.getByLabel('Source language').fill('en');
  await form.getByLabel('Target language').fill('sw');
  await form.getByRole('button', { name: 'Create queue' }).click();
  // The form closes and the new queue is selected.
  await expect(form).toBeHidden();
  await expect(page.getByRole('heading', { level: 2, name: 'en-sw.tsv' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Review queues' }).getByRole('button', { name: /^en-sw\.tsv/ })).toContainText('0 of 3 reviewed');

  // The reviewer's name, once.
  await page.getByLabel('Reviewer', { exact: true }).fill('Amina');
  await page.getByRole('button', { name: 'Start reviewing' }).click();
  await expect(page.getByTestId('item-position')).toHaveText(/^Item 1 of 3/);
  const source = page.getByRole('region', { name: 'Source' });
  await expect(source.locator('.source-text')).toHaveText('Good morning.');
  await expect(page.getByLabel('Reference translation')).toHaveText('Habari za asubuhi.');

  // Keyboard first: R hides the reference, 7 scores 70, ↑ adds one.
  await page.keyboard.press('r');
  await expect(page.getByLabel('Reference translation')).toBeHidden();
  await page.keyboard.press('r');
  await page.keyboard.press('7');
  await page.keyboard.press('ArrowUp');
  const output = page.getByRole('region', { name: 'Output A' });
  await expect(output.getByLabel('Score for output A (number)')).toHaveValue('71');

  // Select "ya" in the output, press M, choose the category and severity.
  const text = output.getByLabel('Output A text');
  await expect(text).toHaveText('Habari ya asubuhi.');
  await page.evaluate(SELECT_YA);
  await page.keyboard.press('m');
  const spanForm = output.getByRole('form', { name: 'Mark an error in output A' });
  await expect(spanForm.getByLabel('Text with the error')).toHaveValue('ya');
  await expect(spanForm.getByLabel('Category')).toBeFocused();
  await spanForm.getByLabel('Category').selectOption('fluency/grammar');
  await spanForm.getByText('Major', { exact: true }).click();
  await spanForm.getByRole('button', { name: 'Add error' }).click();
  await expect(spanForm).toBeHidden();
  await expect(text.locator('mark.err.sev-major')).toHaveText('ya');
  await expect(output.getByRole('list', { name: 'Errors in output A' })).toContainText('“ya”Fluency: grammar · major');
  await page.screenshot({ path: results('review-item.png'), fullPage: true });

  // A second, typed error, then removed again: the list follows.
  await text.focus();
  await page.keyboard.press('m');
  await spanForm.getByLabel('Text with the error').fill('asubuhi');
  await page.keyboard.press('Enter');
  await expect(output.getByRole('list', { name: 'Errors in output A' }).getByRole('listitem')).toHaveCount(2);
  await output.getByRole('button', { name: /Remove error 2/ }).click();
  await expect(output.getByRole('list', { name: 'Errors in output A' }).getByRole('listitem')).toHaveCount(1);

  // E opens the post-edit box with the output in it; Ctrl+Enter saves and moves on.
  await text.focus();
  await page.keyboard.press('e');
  const postEdit = output.getByLabel('Post-edit of output A');
  await expect(postEdit).toBeFocused();
  await expect(postEdit).toHaveValue('Habari ya asubuhi.');
  await postEdit.fill('Habari za asubuhi.');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('item-position')).toHaveText(/^Item 2 of 3/);
  await expect(page.getByTestId('review-status')).toHaveText('Saved item 1; 1 pair added to the corpus.');
  await expect(page.getByRole('progressbar', { name: '1 of 3 reviewed' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Source' }).locator('.source-text')).toHaveText('I like reading books.');

  // Back with K: what was saved is there.
  await page.getByRole('region', { name: 'Source' }).click();
  await page.keyboard.press('k');
  await expect(page.getByTestId('item-position')).toHaveText(/^Item 1 of 3/);
  await expect(page.getByRole('region', { name: 'Output A' }).getByLabel('Score for output A (number)')).toHaveValue('71');
  await expect(page.getByRole('region', { name: 'Output A' }).locator('mark.err')).toHaveText('ya');

  // The help lists the shortcuts.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('Save and go to the next item');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  // Results: the mean score and the error category.
  await page.getByRole('tab', { name: 'Results' }).click();
  const table = page.getByRole('table', { name: 'Scores per system and direction' });
  await expect(table.getByRole('row', { name: /en-sw\.tsv/ })).toContainText('71.0');
  await expect(page.getByRole('table', { name: 'Errors per category' })).toContainText('Fluency: grammar');
  await page.screenshot({ path: results('review-results.png'), fullPage: true });

  // The post-edit is a pair of the corpus, under "reviewed translations".
  await page.getByRole('link', { name: 'Corpus' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Corpus' })).toBeVisible();
  await expect(section(page, 'Sources').getByRole('row', { name: /reviewed translations/ })).toContainText('review');
  const search = section(page, 'Search');
  await search.getByText('Pairs', { exact: true }).click();
  await search.getByRole('searchbox', { name: 'Search text' }).fill('za asubuhi');
  await expect(search.getByTestId('search-summary')).toContainText('1 pair');
  await expect(search.getByRole('button', { name: /Good morning\..*Habari za asubuhi\./ })).toBeVisible();
  await page.screenshot({ path: results('review-corpus-pair.png'), fullPage: true });
  expect(errors, 'uncaught errors in the page').toEqual([]);
});

/** Two evaluation runs of the same items, stored as the evaluation service stores them. */
function insertEvalRuns(workspace: string): void {
  const db = new Database(join(workspace, 'langbridge.db'));
  try {
    const run = db.prepare("INSERT INTO eval_runs (id, model_ref, model_label, items_hash, items_digest, benchmarks, config, status) VALUES (?, ?, ?, ?, 'd', '[\"flores\"]', '{}', 'succeeded')");
    run.run(1, 'tiny', 'base model', 'h1');
    run.run(2, 'run:1', 'trained model', 'h2');
    const item = db.prepare(
      "INSERT INTO eval_items (run_id, item_id, benchmark, subset, src_lang, tgt_lang, source, reference, hypothesis, score) VALUES (?, ?, 'flores', 'eng_Latn-swh_Latn', 'eng_Latn', 'swh_Latn', ?, ?, ?, 0)",
    );
    const items = [
      ['Good morning.', 'Habari za asubuhi.', 'Habari asubuhi.', 'Habari za asubuhi.'],
      ['Thank you very much.', 'Asante sana.', 'Asante.', 'Asante sana sana.'],
    ];
    items.forEach(([src, ref, base, trained], i) => {
      item.run(1, `flores:${i}`, src, ref, base);
      item.run(2, `flores:${i}`, src, ref, trained);
    });
  } finally {
    db.close();
  }
}

test('compares two systems blind, side by side, and the results name them', async ({ page, server }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  insertEvalRuns(server.workspace);
  await server.call('review:create-queue', { from: { kind: 'eval', runIds: [1, 2] } });
  await page.goto(`${server.url}#/review`);
  await page.getByRole('tab', { name: 'Review' }).click();
  await page.getByLabel('Reviewer', { exact: true }).fill('Baraka');
  await page.getByRole('button', { name: 'Start reviewing' }).click();
  await expect(page.getByTestId('item-position')).toHaveText(/^Item 1 of 2/);
  const a = page.getByRole('region', { name: 'Output A' });
  const b = page.getByRole('region', { name: 'Output B' });
  await expect(a.getByRole('heading', { name: 'System A' })).toBeVisible();
  await expect(b.getByRole('heading', { name: 'System B' })).toBeVisible();
  // Blind: the review screen never names the systems.
  await expect(page.locator('.review-screen')).not.toContainText('base model');
  await expect(page.locator('.review-screen')).not.toContainText('trained model');
  // Digits score the active output; → makes B active.
  await page.keyboard.press('4');
  await page.keyboard.press('ArrowRight');
  await expect(b.locator('.active-badge')).toBeVisible();
  await page.keyboard.press('9');
  await expect(a.getByLabel('Score for output A (number)')).toHaveValue('40');
  await expect(b.getByLabel('Score for output B (number)')).toHaveValue('90');
  await page.screenshot({ path: results('review-two-systems.png'), fullPage: true });
  // Whichever system the shuffle put on the right got the 90.
  const onRight = (await b.getByLabel('Output B text').textContent()) === 'Habari asubuhi.' ? 'base model' : 'trained model';
  const onLeft = onRight === 'base model' ? 'trained model' : 'base model';
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('item-position')).toHaveText(/^Item 2 of 2/);
  await page.getByRole('tab', { name: 'Results' }).click();
  const table = page.getByRole('table', { name: 'Scores per system and direction' });
  await expect(table.getByRole('row', { name: new RegExp(`^${onRight}`) })).toContainText('90.0');
  await expect(table.getByRole('row', { name: new RegExp(`^${onLeft}`) })).toContainText('40.0');
  await expect(page.getByText(new RegExp(`${onRight} on 1,|${onRight} scored higher on 1 `))).toBeVisible();
  await page.screenshot({ path: results('review-two-systems-results.png'), fullPage: true });
  expect(errors, 'uncaught errors in the page').toEqual([]);
});
