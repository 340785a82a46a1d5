import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LangbridgeError } from '../../main/api/errors';
import { downloadModel, parseRepoId, type DownloadOptions, type DownloadProgress } from '../../main/services/models/hub-download';
import { tempDir } from './helpers/workspace';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const gitBlobId = (b: Buffer) => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');

interface FakeRepo {
  sha: string;
  files: Record<string, { data: Buffer; lfs: boolean }>;
  /** A status for every resolve request (gated, private), with the Hub's X-Error-Code. */
  resolveStatus?: { status: number; errorCode?: string };
}

/** What the hook may do with a file request: nothing (serve normally), or take over the response. */
type Hook = (file: string, res: ServerResponse, data: Buffer, start: number) => boolean;

/** A hook that serves the first `bytes` of the weights once, then drops the connection. */
function dropWeightsAfter(hub: FakeHub, bytes: number): Hook {
  const hook: Hook = (file, res, data) => {
    if (file !== 'model.safetensors') return false;
    hub.hook = null;
    res.writeHead(200, { 'Content-Length': data.length });
    res.write(data.subarray(0, bytes), () => res.destroy());
    return true;
  };
  return hook;
}

/**
 * A Hugging Face Hub in miniature: the model listing with `?blobs=true`, and
 * `resolve/<commit>/<file>`, LFS files redirected to a "CDN" path as the Hub
 * does, with Range support.
 */
class FakeHub {
  readonly repos = new Map<string, FakeRepo>();
  readonly requests: Array<{ url: string; range?: string; auth?: string }> = [];
  hook: Hook | null = null;
  /** The bytes served for a file, when they should differ from the listed ones. */
  serveAs: ((file: string, data: Buffer) => Buffer) | null = null;
  private readonly server: Server;
  private readonly held = new Set<ServerResponse>();

  constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const r of this.held) r.destroy();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  /** Keeps a response open (a stalled connection) until stop(). */
  hold(res: ServerResponse): void {
    this.held.add(res);
  }

  fileRequests(file: string) {
    return this.requests.filter((r) => (r.url.includes('/resolve/') || r.url.startsWith('/cdn/')) && r.url.endsWith(`/${file}`));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url!, 'http://x');
    this.requests.push({ url: url.pathname + url.search, range: req.headers.range, auth: req.headers.authorization });
    const listing = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(url.pathname);
    if (listing) return this.listing(res, listing[1]!, decodeURIComponent(listing[2]!), url.searchParams.get('blobs') === 'true');
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([0-9a-f]+)\/(.+)$/.exec(url.pathname);
    if (resolve) {
      const repo = this.repos.get(resolve[1]!);
      const file = decodeURIComponent(resolve[3]!);
      if (!repo) return this.fail(res, 404, 'RepoNotFound');
      if (repo.resolveStatus) return this.fail(res, repo.resolveStatus.status, repo.resolveStatus.errorCode);
      if (resolve[2] !== repo.sha) return this.fail(res, 404, 'RevisionNotFound');
      const f = repo.files[file];
      if (!f) return this.fail(res, 404, 'EntryNotFound');
      if (f.lfs) {
        res.writeHead(302, { Location: `/cdn/${resolve[1]}/${sha256(f.data)}/${file}` }).end();
        return;
      }
      return this.serve(req, res, file, f.data);
    }
    const cdn = /^\/cdn\/([^/]+\/[^/]+)\/[0-9a-f]+\/(.+)$/.exec(url.pathname);
    const f = cdn ? this.repos.get(cdn[1]!)?.files[cdn[2]!] : undefined;
    if (cdn && f) return this.serve(req, res, cdn[2]!, f.data);
    this.fail(res, 404);
  }

  private listing(res: ServerResponse, repoId: string, revision: string, blobs: boolean): void {
    const repo = this.repos.get(repoId);
    if (!repo) return this.fail(res, 404, 'RepoNotFound');
    if (revision !== 'main' && revision !== repo.sha) return this.fail(res, 404, 'RevisionNotFound');
    const siblings = Object.entries(repo.files).map(([rfilename, f]) =>
      !blobs
        ? { rfilename }
        : f.lfs
          ? { rfilename, size: f.data.length, blobId: createHash('sha1').update(rfilename).digest('hex'), lfs: { sha256: sha256(f.data), size: f.data.length, pointerSize: 134 } }
          : { rfilename, size: f.data.length, blobId: gitBlobId(f.data) },
    );
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ _id: 'x', id: repoId, private: false, gated: false, sha: repo.sha, siblings }));
  }

  private serve(req: IncomingMessage, res: ServerResponse, file: string, listed: Buffer): void {
    const data = this.serveAs?.(file, listed) ?? listed;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    if (this.hook?.(file, res, data, start)) return;
    if (m && start >= data.length) return this.fail(res, 416);
    const body = data.subarray(start);
    const headers: Record<string, string | number> = { 'Content-Length': body.length, 'Accept-Ranges': 'bytes' };
    if (m) headers['Content-Range'] = `bytes ${start}-${data.length - 1}/${data.length}`;
    res.writeHead(m ? 206 : 200, headers).end(body);
  }

  private fail(res: ServerResponse, status: number, errorCode?: string): void {
    res.writeHead(status, errorCode ? { 'X-Error-Code': errorCode } : {}).end(`error ${status}`);
  }
}

const sha = (c: string) => c.repeat(40).slice(0, 40);

/** A small Qwen-shaped repo: config, tokenizer, a 300 KB "safetensors" file, and files that must be skipped. */
function qwenRepo(weights = randomBytes(300_000)): FakeRepo {
  const json = (o: unknown) => ({ data: Buffer.from(JSON.stringify(o, null, 2)), lfs: false });
  return {
    sha: sha('a1'),
    files: {
      '.gitattributes': { data: Buffer.from('*.safetensors filter=lfs\n'), lfs: false },
      'config.json': json({ architectures: ['Qwen2ForCausalLM'], hidden_size: 64 }),
      'generation_config.json': json({ max_new_tokens: 16 }),
      'tokenizer.json': { data: randomBytes(20_000), lfs: false },
      'tokenizer_config.json': json({ model_max_length: 32768 }),
      'merges.txt': { data: Buffer.from('#version: 0.2\nĠ t\n'), lfs: false },
      'README.md': { data: Buffer.from('# tiny\n'), lfs: false },
      LICENSE: { data: Buffer.from('Apache-2.0\n'), lfs: false },
      'model.safetensors': { data: weights, lfs: true },
      'pytorch_model.bin': { data: randomBytes(1000), lfs: true },
      'onnx/model.onnx': { data: randomBytes(1000), lfs: true },
      'original/model.safetensors': { data: randomBytes(1000), lfs: true },
    },
  };
}

const WANTED = ['LICENSE', 'README.md', 'config.json', 'generation_config.json', 'merges.txt', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'];

describe('downloading a Hub model (downloadModel)', () => {
  let hub: FakeHub;
  let endpoint: string;
  let modelsDir: string;
  const dl = (o: Partial<DownloadOptions> = {}) => downloadModel({ repo: 'Qwen/Tiny', modelsDir, endpoint, token: '', progressIntervalMs: 0, ...o });
  const dest = () => join(modelsDir, 'Qwen--Tiny');
  const staging = () => join(modelsDir, '.Qwen--Tiny.partial');
  const failure = async (p: Promise<unknown>): Promise<LangbridgeError> => {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LangbridgeError);
    return err as LangbridgeError;
  };

  beforeEach(async () => {
    hub = new FakeHub();
    endpoint = await hub.start();
    modelsDir = join(tempDir(), 'models');
  });
  afterEach(async () => {
    await hub.stop();
  });

  it('downloads config, tokenizer and safetensors files, verified, into models/<org>--<name>', async () => {
    const repo = qwenRepo();
    hub.repos.set('Qwen/Tiny', repo);
    const progress: DownloadProgress[] = [];
    const r = await dl({ token: 'hf_secret', onProgress: (p) => progress.push(p) });

    expect(r.path).toBe(dest());
    expect(r.commit).toBe(repo.sha);
    expect(r.resumedBytes).toBe(0);
    expect(r.files.map((f) => f.path).sort()).toEqual(WANTED);
    expect(readdirSync(dest()).sort()).toEqual(['.langbridge-source.json', ...WANTED].sort());
    for (const f of r.files) {
      const onDisk = readFileSync(join(dest(), f.path));
      expect(onDisk.equals(repo.files[f.path]!.data)).toBe(true);
      expect(f.size).toBe(onDisk.length);
      expect(f.sha256).toBe(sha256(onDisk));
    }
    expect(r.bytes).toBe(WANTED.reduce((n, f) => n + repo.files[f]!.data.length, 0));
    expect(existsSync(staging())).toBe(false);
    expect(readdirSync(modelsDir)).toEqual(['Qwen--Tiny']);

    const source = JSON.parse(readFileSync(join(dest(), '.langbridge-source.json'), 'utf8'));
    expect(source).toMatchObject({ repo: 'Qwen/Tiny', revision: 'main', commit: repo.sha });
    expect(Date.parse(source.downloadedAt)).not.toBeNaN();
    expect(source.files).toHaveLength(WANTED.length);

    // The listing asks for blobs, files are pinned to the commit, pickled and nested files are never fetched.
    expect(hub.requests[0]!.url).toBe('/api/models/Qwen/Tiny/revision/main?blobs=true');
    expect(hub.requests.every((q) => q.url.startsWith('/cdn/') || q.auth === 'Bearer hf_secret')).toBe(true);
    expect(hub.requests.filter((q) => q.url.includes('/resolve/')).every((q) => q.url.includes(`/resolve/${repo.sha}/`))).toBe(true);
    expect(hub.requests.some((q) => /\.bin|onnx|original/.test(q.url))).toBe(false);

    const last = progress.at(-1)!;
    expect(last).toMatchObject({ step: 'done', done: r.bytes, total: r.bytes, unit: 'bytes' });
    expect(progress.some((p) => p.step === 'downloading' && p.file === 'model.safetensors')).toBe(true);

    // A second download of the same model is refused; with overwrite it replaces the folder.
    expect((await failure(dl())).message).toMatch(/already exists/);
    const again = await dl({ overwrite: true });
    expect(again.files).toHaveLength(WANTED.length);
    expect(readdirSync(modelsDir)).toEqual(['Qwen--Tiny']);
  });

  it('resumes an interrupted download with a Range request and ends verified', async () => {
    const repo = qwenRepo();
    hub.repos.set('Qwen/Tiny', repo);
    const half = 150_000;
    // The connection drops half-way through the weights.
    hub.hook = dropWeightsAfter(hub, half);
    const err = await failure(dl());
    expect(err.message).toMatch(/model\.safetensors/);
    expect(err.message).toMatch(/resume/);
    expect(existsSync(dest())).toBe(false);
    const part = join(staging(), 'model.safetensors.part');
    const kept = statSync(part).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(half);
    // Files finished before the break stay verified in the staging folder.
    expect(existsSync(join(staging(), 'config.json'))).toBe(true);

    const progress: DownloadProgress[] = [];
    const r = await dl({ onProgress: (p) => progress.push(p) });
    const second = hub.fileRequests('model.safetensors').at(-1)!;
    expect(second.range).toBe(`bytes=${kept}-`);
    // Only the weights are fetched again: the small files were kept.
    expect(hub.fileRequests('config.json')).toHaveLength(1);
    expect(r.resumedBytes).toBe(r.bytes - repo.files['model.safetensors']!.data.length + kept);
    expect(progress.find((p) => p.step === 'downloading')!.done).toBeGreaterThanOrEqual(r.resumedBytes);
    expect(readFileSync(join(dest(), 'model.safetensors')).equals(repo.files['model.safetensors']!.data)).toBe(true);
    expect(existsSync(staging())).toBe(false);
  });

  it('downloads a file afresh once when the bytes kept from an earlier attempt are bad', async () => {
    const repo = qwenRepo();
    hub.repos.set('Qwen/Tiny', repo);
    hub.hook = dropWeightsAfter(hub, 150_000);
    await failure(dl());
    const part = join(staging(), 'model.safetensors.part');
    const bytes = readFileSync(part);
    bytes[10] = bytes[10]! ^ 0xff;
    writeFileSync(part, bytes);
    const r = await dl();
    const requests = hub.fileRequests('model.safetensors').filter((q) => q.url.startsWith('/cdn/'));
    expect(requests.map((q) => q.range)).toEqual([undefined, `bytes=${bytes.length}-`, undefined]);
    expect(readFileSync(join(r.path, 'model.safetensors')).equals(repo.files['model.safetensors']!.data)).toBe(true);
  });

  it('starts a file over when the server ignores the Range header', async () => {
    const repo = qwenRepo();
    hub.repos.set('Qwen/Tiny', repo);
    hub.hook = (file, res, data) => {
      if (file !== 'model.safetensors') return false;
      hub.hook = (_f, res2, data2, start) => {
        if (start === 0) return false;
        res2.writeHead(200, { 'Content-Length': data2.length }).end(data2);
        return true;
      };
      res.writeHead(200, { 'Content-Length': data.length });
      res.write(data.subarray(0, 100_000), () => res.destroy());
      return true;
    };
    await failure(dl());
    const r = await dl();
    expect(hub.fileRequests('model.safetensors').at(-1)!.range).toMatch(/^bytes=\d+-$/);
    expect(readFileSync(join(r.path, 'model.safetensors')).equals(repo.files['model.safetensors']!.data)).toBe(true);
  });

  it('refuses corrupted content, naming the file and both hashes, and leaves nothing at the destination', async () => {
    const repo = qwenRepo();
    hub.repos.set('Qwen/Tiny', repo);
    hub.serveAs = (file, data) => {
      if (file !== 'model.safetensors') return data;
      const bad = Buffer.from(data);
      bad[1234] = bad[1234]! ^ 0xff;
      return bad;
    };
    const err = await failure(dl());
    const expected = sha256(repo.files['model.safetensors']!.data);
    const actual = sha256(hub.serveAs('model.safetensors', repo.files['model.safetensors']!.data));
    expect(err.file).toBe('model.safetensors');
    expect(err.message).toContain('model.safetensors');
    expect(err.message).toContain(expected);
    expect(err.message).toContain(actual);
    expect(existsSync(dest())).toBe(false);
    expect(existsSync(join(staging(), 'model.safetensors.part'))).toBe(false);

    // A small file, checked by its git blob id (another repo: this one's config.json is verified already).
    hub.repos.set('Qwen/Other', qwenRepo());
    hub.serveAs = (file, data) => (file === 'config.json' ? Buffer.from(data.toString().replace('64', '65')) : data);
    const err2 = await failure(dl({ repo: 'Qwen/Other' }));
    expect(err2.file).toBe('config.json');
    expect(err2.message).toMatch(/config\.json of Qwen\/Other is damaged: its git blob id/);
    expect(existsSync(join(modelsDir, 'Qwen--Other'))).toBe(false);
  });

  it('says in words when the model, the revision or access is missing', async () => {
    hub.repos.set('Qwen/Tiny', qwenRepo());
    const missing = await failure(dl({ repo: 'Qwen/Nope' }));
    expect(missing.code).toBe('not-found');
    expect(missing.message).toMatch(/no model Qwen\/Nope/);

    const revision = await failure(dl({ revision: 'v9' }));
    expect(revision.code).toBe('not-found');
    expect(revision.message).toMatch(/no revision "v9"/);

    hub.repos.set('meta/Gated', { ...qwenRepo(), resolveStatus: { status: 401, errorCode: 'GatedRepo' } });
    const gated = await failure(dl({ repo: 'meta/Gated' }));
    expect(gated.code).toBe('unauthorized');
    expect(gated.message).toMatch(/accept its licence on http:\/\/127\.0\.0\.1:\d+\/meta\/Gated/);
    expect(gated.message).toMatch(/HF_TOKEN/);

    hub.repos.set('me/Private', { ...qwenRepo(), resolveStatus: { status: 403 } });
    const priv = await failure(dl({ repo: 'me/Private' }));
    expect(priv.code).toBe('unauthorized');
    expect(priv.message).toMatch(/private or gated.*HF_TOKEN/);
    const refused = await failure(dl({ repo: 'me/Private', token: 'hf_wrong' }));
    expect(refused.message).toMatch(/refused HF_TOKEN/);
    expect(refused.message).not.toContain('hf_wrong');
  });

  it('refuses a repo without safetensors weights, a bad id, and an unreachable Hub', async () => {
    hub.repos.set('old/Pickled', {
      sha: sha('b2'),
      files: { 'config.json': { data: Buffer.from('{}'), lfs: false }, 'pytorch_model.bin': { data: randomBytes(1000), lfs: true } },
    });
    const pickled = await failure(dl({ repo: 'old/Pickled' }));
    expect(pickled.message).toMatch(/old\/Pickled has no safetensors weights.*pytorch_model\.bin.*safetensors only/);
    expect(hub.requests.some((q) => q.url.includes('/resolve/'))).toBe(false);

    const n = hub.requests.length;
    for (const bad of ['Qwen2.5-0.5B', 'a/b/c', '../etc', 'Qwen/--x', 'Qwen/x..y']) {
      const e = await failure(dl({ repo: bad }));
      expect(e.code).toBe('bad-input');
      expect(e.message).toMatch(/org\/name/);
    }
    expect(hub.requests.length).toBe(n);
    expect(parseRepoId('Qwen/Qwen2.5-0.5B').folder).toBe('Qwen--Qwen2.5-0.5B');

    await hub.stop();
    const offline = await failure(dl());
    expect(offline.message).toMatch(/Cannot reach the Hugging Face Hub.*ECONNREFUSED/);
    hub = new FakeHub();
    await hub.start();
  });

  it('cancels through an AbortSignal, keeps the part, and a later call resumes it', async () => {
    const repo = qwenRepo();
    hub.repos.set('Qwen/Tiny', repo);
    hub.hook = (file, res, data) => {
      if (file !== 'model.safetensors') return false;
      hub.hook = null;
      // Half the weights, then the connection stalls.
      res.writeHead(200, { 'Content-Length': data.length });
      res.write(data.subarray(0, 150_000));
      hub.hold(res);
      return true;
    };
    const ac = new AbortController();
    let stalled!: () => void;
    const reached = new Promise<void>((r) => (stalled = r));
    const running = failure(
      dl({
        signal: ac.signal,
        onProgress: (p) => {
          if (p.step === 'downloading' && p.file === 'model.safetensors') stalled();
        },
      }),
    );
    await reached;
    // A second download of the same model at the same time is refused while the first holds the lock.
    const busy = await failure(dl());
    expect(busy.code).toBe('workspace-busy');
    expect(busy.message).toMatch(/already being downloaded/);
    ac.abort();
    const err = await running;
    expect(err.code).toBe('cancelled');
    expect(err.message).toMatch(/resumes/);
    const kept = statSync(join(staging(), 'model.safetensors.part')).size;
    expect(kept).toBeGreaterThan(0);
    expect(existsSync(join(modelsDir, '.Qwen--Tiny.lock'))).toBe(false);

    const r = await dl();
    expect(hub.fileRequests('model.safetensors').at(-1)!.range).toBe(`bytes=${kept}-`);
    expect(readFileSync(join(r.path, 'model.safetensors')).equals(repo.files['model.safetensors']!.data)).toBe(true);
  });

  it('discards parts of another commit when the revision moved on', async () => {
    const first = qwenRepo();
    hub.repos.set('Qwen/Tiny', first);
    hub.hook = dropWeightsAfter(hub, 150_000);
    await failure(dl());
    expect(statSync(join(staging(), 'model.safetensors.part')).size).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(staging(), 'download.json'), 'utf8')).commit).toBe(first.sha);

    // main now points at a new commit with other weights.
    const second = qwenRepo();
    second.sha = sha('c3');
    hub.repos.set('Qwen/Tiny', second);
    const before = hub.requests.length;
    const r = await dl();
    expect(r.commit).toBe(second.sha);
    expect(r.resumedBytes).toBe(0);
    const again = hub.requests.slice(before).filter((q) => q.url.includes('/resolve/') || q.url.startsWith('/cdn/'));
    expect(again.every((q) => q.range === undefined)).toBe(true);
    expect(readFileSync(join(r.path, 'model.safetensors')).equals(second.files['model.safetensors']!.data)).toBe(true);
    expect(readFileSync(join(r.path, 'tokenizer.json')).equals(second.files['tokenizer.json']!.data)).toBe(true);
  });
});
