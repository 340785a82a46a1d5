import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

export interface ImportOptions {
  lang?: string;
  replaceInvalid?: boolean;
}

/** Opens the import dialog and chooses `file` in it; resolves once the format has been detected. */
export async function chooseFile(page: Page, file: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import a corpus file' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('File', { exact: true }).setInputFiles(file);
  await expect(dialog.getByTestId('detection')).toBeVisible();
  return dialog;
}

/** Fills the dialog's fields and presses Start import. */
export async function startImport(dialog: Locator, options: ImportOptions = {}): Promise<void> {
  if (options.lang !== undefined) await dialog.getByRole('textbox', { name: /^Language/ }).fill(options.lang);
  if (options.replaceInvalid) await dialog.getByRole('checkbox', { name: /Replace invalid bytes/ }).check();
  await dialog.getByRole('button', { name: 'Start import' }).click();
}

/** Imports `file` through the dialog and waits for a full progress bar and the summary. */
export async function importThroughDialog(page: Page, file: string, options: ImportOptions = {}): Promise<Locator> {
  const dialog = await chooseFile(page, file);
  await startImport(dialog, options);
  await expect(dialog.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(dialog.getByRole('status', { name: 'Import summary' })).toBeVisible();
  return dialog;
}

export async function closeDialog(dialog: Locator): Promise<void> {
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
}

/** The row of the per-language table for one language code. */
export function languageRow(page: Page, code: string): Locator {
  return page.getByRole('table', { name: 'Figures per language' }).locator(`tr[data-lang="${code}"]`);
}

/**
 * The row of the per-language table for a language name. Tests that import
 * with a short code ("sw") find the row by name, not by the normalised code
 * the services choose for it.
 */
export function languageRowNamed(page: Page, name: string): Locator {
  return page
    .getByRole('table', { name: 'Figures per language' })
    .locator('tbody tr')
    .filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${name} `) }) });
}

export function section(page: Page, title: string): Locator {
  return page.locator('section', { has: page.getByRole('heading', { level: 2, name: title, exact: true }) });
}
