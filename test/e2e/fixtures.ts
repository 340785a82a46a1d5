import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page } from '@playwright/test';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const fixture = (rel: string): string => join(root, 'test/fixtures', rel);
export const results = (name: string): string => join(root, 'test-results', name);

export interface Server {
  /** http://127.0.0.1:PORT/?token=TOKEN, as `langbridge serve` printed it. */
  url: string;
  origin: string;
  token: string;
  workspace: string;
  /** Calls the contract directly, for setting up state a test is not about. */
  call<T = unknown>(name: string, input: unknown): Promise<T>;
}

const URL_LINE = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]+)/;

/** Starts `langbridge serve` and resolves with the URL it prints. */
async function startServer(workspace: string): Promise<{ child: ChildProcess; url: string; origin: string; token: string }> {
  const child = spawn(process.execPath, ['bin/langbridge.js', 'serve', '--workspace', workspace, '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`langbridge serve printed no URL within 30 s.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, 30_000);
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = URL_LINE.exec(stdout);
      if (m?.[1] && m[2]) {
        clearTimeout(timer);
        resolve({ child, url: m[0], origin: m[1], token: m[2] });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`langbridge serve exited with ${code} before printing its URL.\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5_000));
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

export const test = base.extend<{ server: Server; corpus: Page }>({
  // A fresh workspace and server for every test, so tests never depend on each other.
  server: async ({}, use) => {
    const workspace = await mkdtemp(join(tmpdir(), 'langbridge-e2e-'));
    const { child, url, origin, token } = await startServer(workspace);
    const call = async <T,>(name: string, input: unknown): Promise<T> => {
      const res = await fetch(`${origin}/api/call/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(input),
      });
      const body = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
      if (!body.ok) throw new Error(`${name} failed: ${body.error?.message}`);
      return body.value as T;
    };
    try {
      await use({ url, origin, token, workspace, call });
    } finally {
      await stopServer(child);
      await rm(workspace, { recursive: true, force: true });
    }
  },
  // The Corpus page, loaded and talking to the server.
  corpus: async ({ page, server }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await expect(page.getByRole('heading', { level: 1, name: 'Corpus' })).toBeVisible();
    await expect(page.getByText(/Workspace/i).first()).toBeVisible();
    await use(page);
    expect(errors, 'uncaught errors in the page').toEqual([]);
  },
});

export { expect };
