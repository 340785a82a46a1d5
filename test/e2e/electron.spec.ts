import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron as electron } from '@playwright/test';
import { callNames } from '../../main/api/contract';
import { expect, root, results, test } from './fixtures';

/** The Electron binary the `electron` package downloaded, or null when it did not (offline installs). */
function electronBinary(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('electron'));
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const BRIDGE_SHAPE = `(() => {
  const lb = window.langbridge;
  return { keys: Object.keys(lb).sort(), transport: lb.transport, api: Object.keys(lb.api).sort(),
           process: typeof window.process, require: typeof window.require };
})()`;

test('the desktop window opens the Corpus page and exposes only the bridge', async () => {
  const binary = electronBinary();
  test.skip(
    binary === null,
    'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD / offline): the same renderer is tested in Chromium against langbridge serve',
  );
  const workspace = await mkdtemp(join(tmpdir(), 'langbridge-electron-'));
  const app = await electron.launch({
    executablePath: binary ?? undefined,
    args: ['out/main/index.js', '--workspace', workspace],
    cwd: root,
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('heading', { level: 1, name: 'Corpus' })).toBeVisible();
    await expect(window.getByRole('navigation', { name: 'Pages' }).getByRole('link')).toHaveText(['Corpus']);
    const bridge = await window.evaluate(BRIDGE_SHAPE);
    expect(bridge).toEqual({
      keys: ['api', 'on', 'pathForFile', 'transport'],
      transport: 'electron',
      api: [...callNames].sort(),
      process: 'undefined',
      require: 'undefined',
    });
    // The page talks to the services through the bridge: the workspace shows in the sidebar.
    await expect(window.getByText(workspace)).toBeVisible();
    await window.screenshot({ path: results('electron-corpus.png') });
  } finally {
    await app.close();
    await rm(workspace, { recursive: true, force: true });
  }
});
