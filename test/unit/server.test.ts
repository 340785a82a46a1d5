import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Langbridge } from '../../main/services/langbridge';
import { serve, type RunningServer } from '../../main/server/server';
import { fixture } from './helpers/importer';
import { tempDir } from './helpers/workspace';

let running: { server: RunningServer; lb: Langbridge } | null = null;

async function start(): Promise<{ server: RunningServer; lb: Langbridge; base: string }> {
  const lb = new Langbridge(tempDir());
  const renderer = tempDir();
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Langbridge</title>');
  mkdirSync(join(renderer, 'assets'));
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  const server = await serve(lb, { port: 0, rendererDir: renderer });
  running = { server, lb };
  return { server, lb, base: `http://127.0.0.1:${server.port}` };
}

afterEach(async () => {
  if (running) {
    await running.server.close();
    running.lb.close();
    running = null;
  }
});

/** A raw request, so tests can send any Host header or path. */
function raw(port: number, path: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, headers: res.headers }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

describe('langbridge serve', () => {
  it('prints a URL on 127.0.0.1 that carries the token', async () => {
    const { server } = await start();
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{32}$`));
  });

  it('refuses requests without the token or with a wrong one', async () => {
    const { server, base } = await start();
    const none = await fetch(`${base}/api/call/corpus:stats`, { method: 'POST', body: '{}' });
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const wrong = await fetch(`${base}/api/call/corpus:stats`, { method: 'POST', body: '{}', headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(401);
    const ok = await fetch(`${base}/api/call/corpus:stats`, { method: 'POST', body: '{}', headers: { authorization: `Bearer ${server.token}` } });
    expect(await ok.json()).toMatchObject({ ok: true, value: { languages: [] } });
  });

  it('serves the renderer with the token, sets a same-site cookie and a CSP', async () => {
    const { server, base } = await start();
    const page = await fetch(`${base}/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(page.headers.get('set-cookie')).toMatch(/lb_token=.*HttpOnly; SameSite=Strict/);
    const asset = await fetch(`${base}/assets/app.js`, { headers: { cookie: `lb_token=${server.token}` } });
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
  });

  it('refuses other Host names (DNS rebinding) and cross-site origins', async () => {
    const { server } = await start();
    const rebound = await raw(server.port, `/api/call/corpus:stats?token=${server.token}`, { host: `evil.example:${server.port}` }, 'POST', '{}');
    expect(rebound.status).toBe(403);
    const cross = await raw(server.port, `/api/call/corpus:stats?token=${server.token}`, { origin: 'http://evil.example', host: `127.0.0.1:${server.port}` }, 'POST', '{}');
    expect(cross.status).toBe(403);
  });

  it('keeps static paths inside the renderer folder', async () => {
    const { server } = await start();
    const host = { host: `127.0.0.1:${server.port}` };
    // Encoded slashes survive URL parsing and decode to '../': refused.
    const encoded = await raw(server.port, `/..%2f..%2f..%2fetc%2fpasswd?token=${server.token}`, host);
    expect(encoded.status).toBe(403);
    // Dot segments are resolved by the URL parser before the file lookup: the app page comes back, not the file.
    const dots = await raw(server.port, `/%2e%2e/%2e%2e/%2e%2e/etc/passwd?token=${server.token}`, host);
    expect(dots.body).not.toMatch(/root:/);
    expect(dots.body).toMatch(/<title>Langbridge/);
  });

  it('answers bad JSON and unknown calls with readable errors', async () => {
    const { server, base } = await start();
    const auth = { authorization: `Bearer ${server.token}` };
    const bad = await fetch(`${base}/api/call/corpus:stats`, { method: 'POST', body: '{nope', headers: auth });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
    const unknown = await fetch(`${base}/api/call/corpus:nothing`, { method: 'POST', body: '{}', headers: auth });
    expect(((await unknown.json()) as { error: unknown }).error).toMatchObject({ code: 'not-found' });
    const big = await fetch(`${base}/api/call/corpus:search`, { method: 'POST', body: JSON.stringify({ query: 'x'.repeat(2_000_000) }), headers: auth });
    expect(big.status).toBe(400);
  });

  it('uploads a file into the workspace, imports it and streams progress events', async () => {
    const { server, base, lb } = await start();
    const auth = { authorization: `Bearer ${server.token}` };
    const up = await fetch(`${base}/api/upload?name=${encodeURIComponent('../../swahili lines.txt')}`, {
      method: 'POST',
      body: readFileSync(fixture('text', 'swahili-lines.txt')),
      headers: auth,
    });
    const { value } = (await up.json()) as { value: { path: string } };
    expect(value.path.startsWith(lb.workspace.uploadsDir)).toBe(true);
    expect(value.path.endsWith('swahili lines.txt')).toBe(true);

    const events = await fetch(`${base}/api/events?token=${server.token}`);
    const reader = events.body!.getReader();
    const seen: string[] = [];
    const reading = (async () => {
      const dec = new TextDecoder();
      for (;;) {
        const { value: chunk, done } = await reader.read();
        if (done) return;
        seen.push(dec.decode(chunk));
        if (seen.join('').includes('corpus:changed')) return;
      }
    })();
    const imp = await fetch(`${base}/api/call/corpus:import`, {
      method: 'POST',
      body: JSON.stringify({ paths: [value.path], lang: 'sw', jobId: 'job-1' }),
      headers: auth,
    });
    expect(await imp.json()).toMatchObject({ ok: true, value: { documents: 3, name: 'swahili lines.txt' } });
    await reading;
    const text = seen.join('');
    expect(text).toMatch(/event: jobs:progress\ndata: \{"jobId":"job-1"/);
    expect(text).toMatch(/"state":"finished"/);
    expect(text).toMatch(/event: corpus:changed/);
    await reader.cancel();
  });
});
