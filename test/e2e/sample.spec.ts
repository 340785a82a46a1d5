import { join } from 'node:path';
import { languageRow, section } from './corpus-helpers';
import { expect, root, results, test } from './fixtures';

/** Browser-side checks, written as strings: this file is type-checked without the DOM library. */
const FONTS_LOADED = `document.fonts.ready.then(() => ({
  ethiopic: document.fonts.check('16px "Noto Sans Ethiopic"', 'ሰብአዊ'),
  arabic: document.fonts.check('16px "Noto Sans Arabic"', 'حقوق'),
  thai: document.fonts.check('16px "Noto Sans Thai"', 'มนุษย์'),
  khmer: document.fonts.check('16px "Noto Sans Khmer"', 'មនុស្ស'),
  han: document.fonts.check('16px "Noto Sans SC"', '人人'),
  latin: document.fonts.check('16px "Noto Sans"', 'Ẹnì'),
}))`;

test('the UDHR sample imports through the UI and every script renders with a bundled font', async ({ corpus: page }) => {
  await page.getByRole('button', { name: 'Sample corpus…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sample corpus' });
  await expect(dialog.getByRole('textbox', { name: 'Languages' })).toHaveValue('eng, swh, yor, quy, amh, arb, tha, khm, cmn');
  await dialog.getByRole('button', { name: 'Add sample corpus' }).click();
  await expect(dialog.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100', { timeout: 60_000 });
  await expect(dialog.getByRole('status', { name: 'Sample import summary' })).toContainText('in 9 languages');
  await dialog.getByRole('button', { name: 'Done' }).click();

  for (const code of ['eng_Latn', 'swh_Latn', 'yor_Latn', 'quy_Latn', 'amh_Ethi', 'arb_Arab', 'tha_Thai', 'khm_Khmr', 'cmn_Hans']) {
    await expect(languageRow(page, code)).toBeVisible();
  }

  // Right-to-left: Arabic rows are laid out right to left.
  const documents = section(page, 'Documents');
  await documents.getByLabel('Language').selectOption('arb_Arab');
  const arabicCell = documents.locator('.doc-row[data-doc-id] .c-text').first();
  await expect(arabicCell).toHaveAttribute('dir', 'rtl');
  await expect(arabicCell).toHaveCSS('direction', 'rtl');
  await documents.screenshot({ path: results('documents-arabic.png') });

  // The detail of an Amharic article shows its aligned translations in every script.
  await documents.getByLabel('Language').selectOption('amh_Ethi');
  await documents.locator('.doc-row[data-doc-id]').nth(9).click();
  const detail = page.getByRole('dialog', { name: 'Document' });
  await expect(detail.getByText('Aligned texts')).toBeVisible();
  await expect(detail.locator('.aligned li')).toHaveCount(8);
  const fonts = await page.evaluate(FONTS_LOADED);
  expect(fonts).toEqual({ ethiopic: true, arabic: true, thai: true, khmer: true, han: true, latin: true });
  await page.screenshot({ path: results('detail-all-scripts.png') });
  await page.keyboard.press('Escape');

  // The picture for the README (LANGBRIDGE_DOCS_SCREENSHOT=1): the page with the sample in, and a search with highlights.
  await documents.getByLabel('Language').selectOption('');
  await section(page, 'Search').getByRole('searchbox', { name: 'Search text' }).fill('dignity');
  await expect(section(page, 'Search').locator('mark').first()).toHaveText(/dignity/i);
  await page.evaluate('window.scrollTo(0, 0)');
  // docs/corpus-page.png is tracked: it is rewritten only on request, so test runs leave the checkout clean.
  const picture = process.env.LANGBRIDGE_DOCS_SCREENSHOT ? join(root, 'docs/corpus-page.png') : results('corpus-page.png');
  await page.screenshot({ path: picture, fullPage: true });
});
