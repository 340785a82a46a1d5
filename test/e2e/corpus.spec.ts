import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { closeDialog, chooseFile, importThroughDialog, languageRowNamed, section, startImport } from './corpus-helpers';
import { expect, fixture, results, test } from './fixtures';

test('imports files through the dialog and the sources, languages and documents follow', async ({ corpus: page }) => {
  await expect(section(page, 'Sources').getByText(/No sources yet/)).toBeVisible();

  const dialog = await importThroughDialog(page, fixture('text/swahili-lines.txt'), { lang: 'sw' });
  await expect(dialog.getByTestId('summary-documents')).toHaveText('3');
  await expect(dialog.getByTestId('summary-skipped')).toHaveText('0');
  await page.screenshot({ path: results('import-summary.png') });
  await closeDialog(dialog);

  const swahili = languageRowNamed(page, 'Swahili');
  await expect(swahili).toBeVisible();
  await expect(swahili.locator('td').first()).toHaveText('3'); // documents
  await expect(section(page, 'Sources').getByRole('row', { name: /swahili-lines\.txt/ })).toBeVisible();

  // A second file in another script: a new language appears with its counts.
  const thai = await importThroughDialog(page, fixture('text/thai.txt'), { lang: 'th' });
  await expect(thai.getByTestId('summary-documents')).toHaveText('2');
  await closeDialog(thai);
  await expect(languageRowNamed(page, 'Thai')).toBeVisible();
  await expect(languageRowNamed(page, 'Thai').locator('td').first()).toHaveText('2');
  await expect(page.getByRole('figure', { name: 'Characters and tokens per language' }).getByText(/^Thai \(/)).toBeVisible();

  const documents = section(page, 'Documents');
  await expect(documents.getByText('5 documents')).toBeVisible();
  await expect(documents.getByRole('row').filter({ hasText: 'Ninapenda kusoma vitabu.' })).toBeVisible();
  await page.screenshot({ path: results('corpus-two-imports.png'), fullPage: true });
});

test('searches substrings, in scripts without spaces too, and highlights the matches', async ({ corpus: page, server }) => {
  await server.call('corpus:import', { paths: [fixture('text/swahili-lines.txt')], lang: 'sw' });
  await server.call('corpus:import', { paths: [fixture('text/thai.txt')], lang: 'th' });
  await server.call('corpus:import', { paths: [fixture('text/chinese.txt')], lang: 'zh' });
  await page.reload();

  const search = section(page, 'Search');
  const box = search.getByRole('searchbox', { name: 'Search text' });

  await box.fill('penda');
  await expect(search.getByTestId('search-summary')).toContainText('1 match');
  await expect(search.locator('mark')).toHaveText(['penda']);

  // Thai is written without spaces between words: the substring is found inside a longer run.
  await box.fill('สิทธิ');
  await expect(search.getByTestId('search-summary')).toContainText('2 matches');
  await expect(search.locator('mark').first()).toHaveText('สิทธิ');
  await expect(search.getByTestId('search-summary')).toContainText(/ms · (trigram index|full scan)/);

  await box.fill('自由');
  await expect(search.getByTestId('search-summary')).toContainText('2 matches');
  await expect(search.locator('mark')).toHaveText(['自由', '自由']);
  await search.screenshot({ path: results('search-chinese.png') });

  // Filters narrow the results.
  const language = search.getByLabel('Language');
  const thai = await language.locator('option', { hasText: /^Thai \(/ }).getAttribute('value');
  await language.selectOption(thai ?? '');
  await expect(search.getByTestId('search-summary')).toContainText('No matches');
});

test('opens a document in the detail panel from the table and from search', async ({ corpus: page, server }) => {
  await server.call('corpus:import', { paths: [fixture('text/swahili-lines.txt')], lang: 'sw', license: 'CC0' });
  await page.reload();

  const documents = section(page, 'Documents');
  await documents.getByRole('row').filter({ hasText: 'Karibu sana.' }).click();
  const detail = page.getByRole('dialog', { name: 'Document' });
  await expect(detail).toBeVisible();
  await expect(detail.locator('.document-text')).toHaveText('Karibu sana.');
  await expect(detail).toContainText('swahili-lines.txt');
  await expect(detail).toContainText('Swahili');
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();

  await section(page, 'Search').getByRole('searchbox', { name: 'Search text' }).fill('asubuhi');
  await section(page, 'Search').getByRole('button', { name: /Habari ya asubuhi/ }).click();
  await expect(detail.locator('.document-text')).toHaveText('Habari ya asubuhi.');
});

test('a broken file fails with a sentence in the dialog, and can then be imported with replacement', async ({ corpus: page }) => {
  const dialog = await chooseFile(page, fixture('encoding/invalid-utf8.txt'));
  await startImport(dialog, { lang: 'sw' });
  const error = dialog.getByRole('alert');
  await expect(error).toBeVisible();
  await expect(error).toContainText('The import failed:');
  await expect(error).toContainText(/UTF-8/);
  await dialog.screenshot({ path: results('import-error.png') });
  // Nothing was imported.
  await expect(section(page, 'Sources').getByText(/No sources yet/)).toBeVisible();

  // The form is still there: tick "replace invalid bytes" and try again.
  await startImport(dialog, { replaceInvalid: true });
  await expect(dialog.getByRole('status', { name: 'Import summary' })).toBeVisible();
  await expect(dialog.getByText('Bytes replaced')).toBeVisible();
  await closeDialog(dialog);
  await expect(section(page, 'Sources').getByRole('row', { name: /invalid-utf8\.txt/ })).toBeVisible();
});

test('a file that is not valid for its format names the line', async ({ corpus: page }) => {
  const dialog = await chooseFile(page, fixture('jsonl/bad-line.jsonl'));
  await expect(dialog.getByLabel('Format')).toHaveValue('jsonl');
  await startImport(dialog, { lang: 'sw' });
  await expect(dialog.getByRole('alert')).toContainText(/line \d+/);
});

test('deletes a source after confirmation', async ({ corpus: page, server }) => {
  await server.call('corpus:import', { paths: [fixture('text/swahili-lines.txt')], lang: 'sw' });
  await server.call('corpus:import', { paths: [fixture('text/thai.txt')], lang: 'th' });
  await page.reload();

  const sources = section(page, 'Sources');
  await sources.getByRole('button', { name: 'Delete thai.txt' }).click();
  const confirm = sources.getByRole('group', { name: 'Confirm deletion of thai.txt' });
  await expect(confirm).toContainText('Delete thai.txt and its 2 documents?');
  await confirm.getByRole('button', { name: 'Keep' }).click();
  await expect(sources.getByRole('row', { name: /thai\.txt/ })).toBeVisible();

  await sources.getByRole('button', { name: 'Delete thai.txt' }).click();
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(sources.getByRole('row', { name: /thai\.txt/ })).toHaveCount(0);
  await expect(languageRowNamed(page, 'Thai')).toHaveCount(0);
  await expect(section(page, 'Documents').getByText('3 documents')).toBeVisible();
});

test('the progress bar follows the job and Cancel stops a long import', async ({ corpus: page, server }) => {
  // Big enough to take a few seconds, so the bar is seen on its way and Cancel lands mid-import.
  const big = join(server.workspace, 'long.txt');
  const line = 'Watu wote wamezaliwa huru, hadhi na haki zao ni sawa. Wote wamejaliwa akili na dhamiri.\n';
  await writeFile(big, line.repeat(120_000));

  const dialog = await chooseFile(page, big);
  await startImport(dialog, { lang: 'sw' });
  const bar = dialog.getByRole('progressbar');
  await expect
    .poll(async () => Number((await bar.getAttribute('aria-valuenow')) ?? -1), { timeout: 30_000 })
    .toBeGreaterThan(0);
  const seen = Number(await bar.getAttribute('aria-valuenow'));
  expect(seen).toBeLessThan(100);
  await expect(dialog).toContainText(/MB of \d/);
  await dialog.screenshot({ path: results('import-progress.png') });

  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'Import cancelled' })).toBeVisible();
  await expect(section(page, 'Sources').getByText(/No sources yet/)).toBeVisible();

  // The import worker outlives a cancelled job: the next import goes through.
  await dialog.getByRole('button', { name: 'Close' }).last().click();
  await expect(dialog).toBeHidden();
  await closeDialog(await importThroughDialog(page, fixture('text/swahili-lines.txt'), { lang: 'sw' }));
  await expect(section(page, 'Sources').getByText('swahili-lines.txt')).toBeVisible();
});

test('a file dropped anywhere on the page opens the import dialog with it', async ({ corpus: page }) => {
  const dataTransfer = await page.evaluateHandle(`(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['Habari ya mchana.\\nAsante sana.\\n'], 'dropped.txt', { type: 'text/plain' }));
    return dt;
  })()`);
  await page.dispatchEvent('main', 'dragenter', { dataTransfer });
  await expect(page.getByText('Drop a file to import it')).toBeVisible();
  await page.dispatchEvent('main', 'dragover', { dataTransfer });
  await page.dispatchEvent('main', 'drop', { dataTransfer });

  const dialog = page.getByRole('dialog', { name: 'Import a corpus file' });
  await expect(dialog).toContainText('dropped.txt');
  await expect(dialog.getByTestId('detection')).toContainText('Plain text');
  await startImport(dialog, { lang: 'sw' });
  await expect(dialog.getByTestId('summary-documents')).toHaveText('2');
});

test('the document table renders and fetches only what is on screen', async ({ corpus: page, server }) => {
  const many = join(server.workspace, 'many.txt');
  await writeFile(many, Array.from({ length: 20_000 }, (_, i) => `Sentensi namba ${i + 1} ya majaribio.`).join('\n') + '\n');
  await server.call('corpus:import', { paths: [many], lang: 'sw' });
  const pages: number[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/call/corpus%3Adocuments')) pages.push(JSON.parse(r.postData() ?? '{}').offset as number);
  });
  await page.reload();

  const documents = section(page, 'Documents');
  await expect(documents.getByText('20,000 documents')).toBeVisible();
  const scroller = documents.locator('.doc-scroll');
  const rows = scroller.locator('.doc-row');
  await expect(rows.first()).toContainText('Sentensi namba 1 ya');
  expect(await rows.count()).toBeLessThan(60);

  await scroller.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(rows.last()).toContainText('Sentensi namba 20000 ya');
  expect(await rows.count()).toBeLessThan(60);
  // Only the first page and the pages at the end were asked for, never the 100 pages between.
  expect(pages.length).toBeLessThanOrEqual(4);
  expect(Math.max(...pages)).toBe(19_800);
});

test('an import started elsewhere shows its progress here, and the page updates when it ends', async ({ corpus: page, server }) => {
  const big = join(server.workspace, 'elsewhere.txt');
  await writeFile(big, 'Kila mtu ana haki ya kuishi, uhuru na usalama wa nafsi yake.\n'.repeat(60_000));
  // As another tab or window would: straight through the API, while this page stays open.
  const done = server.call('corpus:import', { paths: [big], lang: 'sw', jobId: 'started-elsewhere' });

  const running = section(page, 'Imports in progress');
  await expect(running.getByRole('progressbar')).toBeVisible();
  await done;
  await expect(running).toBeHidden();
  // corpus:changed refreshed the page without a reload.
  await expect(section(page, 'Sources').getByRole('row', { name: /elsewhere\.txt/ })).toBeVisible();
  await expect(languageRowNamed(page, 'Swahili').locator('td').first()).toHaveText('60,000');
});
