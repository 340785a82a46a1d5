import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { basename, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { ApiError, Result } from '../api/errors';
import type { Langbridge } from '../services/langbridge';

/**
 * The browser front door: the contract over HTTP JSON calls and server-sent
 * events, plus the built renderer. Binds 127.0.0.1 unless told otherwise and
 * answers only requests that carry the random token printed in the URL.
 */

export interface ServeOptions {
  port?: number;
  host?: string;
  /** Folder of the built renderer (default: out/renderer beside the built code). */
  rendererDir?: string;
  token?: string;
  maxCallBytes?: number;
  maxUploadBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.ico': 'image/x-icon',
};

function defaultRendererDir(): string {
  return fileURLToPath(new URL('../renderer/', import.meta.url));
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(data);
}

function fail(res: ServerResponse, status: number, error: ApiError): void {
  sendJson(res, status, { ok: false, error } satisfies Result<never>);
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw new Error(`request larger than ${limit} bytes`);
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function serve(lb: Langbridge, opts: ServeOptions = {}): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const rendererDir = resolve(opts.rendererDir ?? defaultRendererDir());
  const maxCall = opts.maxCallBytes ?? 1 << 20;
  const maxUpload = opts.maxUploadBytes ?? 4 * 1024 ** 3;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    process.stderr.write(
      `warning: binding ${host} makes this workspace reachable from other machines (anyone with the token can read and change it).\n`,
    );
  }
  let port = 0;
  const sse = new Set<ServerResponse>();
  const offEvents = lb.onAny((name, payload) => {
    const msg = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of sse) res.write(msg);
  });

  const allowedHost = (h: string | undefined) => {
    if (!h) return false;
    const names = new Set(['127.0.0.1', 'localhost', '[::1]', host.includes(':') ? `[${host}]` : host]);
    return [...names].some((n) => h === `${n}:${port}`);
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) fail(res, 500, { code: 'internal', message: `The server failed: ${String(err)}` });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'DENY');
    // DNS rebinding: a page on another name that resolves to 127.0.0.1 must not get in.
    if (!allowedHost(req.headers.host)) {
      fail(res, 403, { code: 'unauthorized', message: 'This server only answers requests addressed to its own address.' });
      return;
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const auth = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : undefined;
    const queryToken = url.searchParams.get('token') ?? undefined;
    const authorised = sameToken(auth, token) || sameToken(queryToken, token) || sameToken(cookie(req, 'lb_token'), token);
    if (!authorised) {
      if (url.pathname.startsWith('/api/')) {
        fail(res, 401, { code: 'unauthorized', message: 'Missing or wrong access token. Open the link that `langbridge serve` printed.' });
      } else {
        res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Langbridge: open the link that `langbridge serve` printed; it contains the access token.\n');
      }
      return;
    }
    const origin = req.headers.origin;
    if (req.method !== 'GET' && origin && !allowedHost(origin.replace(/^https?:\/\//, ''))) {
      fail(res, 403, { code: 'unauthorized', message: 'Requests from other web pages are refused.' });
      return;
    }

    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      sse.add(res);
      req.on('close', () => sse.delete(res));
      return;
    }
    if (url.pathname.startsWith('/api/call/') && req.method === 'POST') {
      const name = decodeURIComponent(url.pathname.slice('/api/call/'.length));
      let input: unknown;
      try {
        const body = await readBody(req, maxCall);
        input = body.trim() ? JSON.parse(body) : {};
      } catch (err) {
        fail(res, 400, { code: 'bad-input', message: `The request body is not valid JSON (${(err as Error).message}).` });
        return;
      }
      const result = await lb.call(name, input);
      sendJson(res, 200, result);
      return;
    }
    if (url.pathname === '/api/upload' && req.method === 'POST') {
      const name = basename(url.searchParams.get('name') ?? 'upload').replace(/[^\p{L}\p{N}._ -]/gu, '_') || 'upload';
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > maxUpload) {
        fail(res, 413, { code: 'bad-input', message: `The file is larger than the ${maxUpload} bytes this server accepts.` });
        return;
      }
      const dir = join(lb.workspace.uploadsDir, randomUUID());
      mkdirSync(dir, { recursive: true });
      const dest = join(dir, name);
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxUpload) req.destroy(new Error('upload too large'));
      });
      try {
        await pipeline(req, createWriteStream(dest));
      } catch (err) {
        await unlink(dest).catch(() => undefined);
        fail(res, 400, { code: 'bad-input', message: `The upload failed: ${(err as Error).message}.` });
        return;
      }
      sendJson(res, 200, { ok: true, value: { path: dest } });
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      fail(res, 404, { code: 'not-found', message: `No such endpoint: ${req.method} ${url.pathname}` });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      fail(res, 405, { code: 'bad-input', message: 'Method not allowed.' });
      return;
    }
    // Static renderer files; the path cannot leave rendererDir.
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    let file = resolve(rendererDir, '.' + rel);
    if (!file.startsWith(rendererDir + sep)) {
      fail(res, 403, { code: 'unauthorized', message: 'Forbidden path.' });
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(rendererDir, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Langbridge: the renderer is not built. Run `npm run build` first.\n');
      return;
    }
    const headers: Record<string, string> = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
    if (file.endsWith('.html')) {
      headers['content-security-policy'] = CSP;
      headers['cache-control'] = 'no-store';
      if (sameToken(queryToken, token)) headers['set-cookie'] = `lb_token=${token}; HttpOnly; SameSite=Strict; Path=/`;
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 4870, host, () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((r) => {
        offEvents();
        for (const res of sse) res.end();
        sse.clear();
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
