import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * End-to-end tests drive the real renderer in Debian's Chromium against a real
 * `langbridge serve` (one fresh workspace per test, see fixtures.ts). Run
 * `npm run build` first: the server serves out/renderer.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  outputDir: `${root}test-results/e2e-artifacts`,
  reporter: [['list'], ['json', { outputFile: `${root}test-results/e2e.json` }]],
  use: {
    browserName: 'chromium',
    viewport: { width: 1400, height: 1000 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
