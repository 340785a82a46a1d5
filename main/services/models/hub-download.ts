/**
 * Downloads a Hugging Face Hub model into the workspace, as
 * `<workspace>/models/<org>--<name>/`: config, tokenizer files and safetensors
 * weights only (never pickled .bin/.pt), pinned to the commit the listing names,
 * resumable (HTTP Range into `.part` files in a hidden staging folder), and each
 * file checked against the Hub's size and hash before the folder appears.
 *
 * Offline by default: nothing in Langbridge touches the network unless the user
 * asks for a download explicitly (this function, behind `models:download` and
 * `langbridge models download`). Training, import and everything else read local
 * folders only, and a model downloaded here is used from disk from then on.
 *
 * The staging folder `<modelsDir>/.<org>--<name>.partial/` encodes the state in
 * file names: `<file>.part` is being downloaded, `<file>` has been verified, and
 * `download.json` names the repo and commit the parts belong to.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, statfs, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { LangbridgeError, type ErrorCode } from '../../api/errors';
import { pidAlive as alive } from '../pid-alive';

/*
 * ErrorCode has no code for "the network or the Hub is unavailable" nor for "the
 * bytes do not match the Hub's hash" yet: both use 'internal' with a message in
 * words. Change these two lines when the enum grows.
 */
const NETWORK_CODE: ErrorCode = 'unavailable';
const INTEGRITY_CODE: ErrorCode = 'integrity';

export interface DownloadProgress {
  /** listing: asking the Hub for the file list; checking: hashing bytes kept from an earlier attempt. */
  step: 'listing' | 'checking' | 'downloading' | 'finishing' | 'done';
  done: number;
  total: number;
  unit: 'bytes';
  file?: string;
}

export interface DownloadOptions {
  /** A Hub model id, `org/name`. */
  repo: string;
  /** Branch, tag or commit; default `main`. */
  revision?: string;
  /** `<workspace>/models`; the model lands in `<modelsDir>/<org>--<name>`. */
  modelsDir: string;
  /** Default: HF_ENDPOINT, else https://huggingface.co. */
  endpoint?: string;
  /** Default: HF_TOKEN. Needed for gated and private models. */
  token?: string;
  /** Replace an existing `<modelsDir>/<org>--<name>` (default: refuse). */
  overwrite?: boolean;
  /** Cancels; the bytes downloaded so far are kept and the next call resumes from them. */
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** The least time between two progress reports (default 200 ms); the first and last are always sent. */
  progressIntervalMs?: number;
  fetchImpl?: typeof fetch;
}

export interface DownloadedFile {
  path: string;
  size: number;
  sha256: string;
}

export interface DownloadResult {
  /** The model folder. */
  path: string;
  repo: string;
  revision: string;
  /** The commit the files come from. */
  commit: string;
  files: DownloadedFile[];
  /** Bytes of all files. */
  bytes: number;
  /** Bytes that were already on disk from an earlier, interrupted attempt. */
  resumedBytes: number;
}

/** A file to download, as the Hub lists it. */
export interface PlannedFile {
  path: string;
  size: number;
  /** LFS files: the content's sha256. Others are checked by their git blob id. */
  sha256: string | null;
  blobId: string | null;
}

const HubSibling = z.object({
  rfilename: z.string(),
  size: z.number().int().nonnegative().optional(),
  blobId: z.string().optional(),
  lfs: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().nonnegative() }).nullish(),
});
const HubListing = z.object({
  // Goes into URLs and onto disk: hex only.
  sha: z.string().regex(/^[0-9a-f]{40,64}$/),
  siblings: z.array(HubSibling),
});
export type HubListing = z.infer<typeof HubListing>;

const Manifest = z.object({
  repo: z.string(),
  revision: z.string(),
  commit: z.string(),
  files: z.array(z.object({ path: z.string(), size: z.number(), sha256: z.string().nullable(), blobId: z.string().nullable() })),
});
type Manifest = z.infer<typeof Manifest>;

const MANIFEST = 'download.json';
export const SOURCE_FILE = '.langbridge-source.json';

/** The parts of a Hub id and the folder name it gets under models/. */
export function parseRepoId(repo: string): { org: string; name: string; folder: string } {
  const m = /^([A-Za-z0-9][\w.-]{0,95})\/([A-Za-z0-9][\w.-]{0,95})$/.exec(repo.trim());
  // The Hub forbids "--" and ".." in names; "--" would also make the folder name ambiguous.
  if (!m || /--|\.\./.test(repo) || /[.-]$/.test(m[1]!) || /[.-]$/.test(m[2]!)) {
    throw new LangbridgeError('bad-input', `"${repo}" is not a Hugging Face model id: it must look like org/name, for example Qwen/Qwen2.5-0.5B.`);
  }
  return { org: m[1]!, name: m[2]!, folder: `${m[1]}--${m[2]}` };
}

const WANTED = new Set([
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'vocab.json',
  'merges.txt',
  'special_tokens_map.json',
  'added_tokens.json',
  'chat_template.jinja',
  'model.safetensors.index.json',
  'README.md',
]);

const isWeights = (path: string) => /^[A-Za-z0-9_-][\w.-]*\.safetensors$/.test(path);

/**
 * Whether a file of the repo is downloaded: top-level config, tokenizer, licence
 * and safetensors files. Top level only, as transformers reads a model folder;
 * this also keeps every name the Hub sends a plain file name.
 */
export function isWantedFile(path: string): boolean {
  if (path.includes('/') || path.includes('\\')) return false;
  return WANTED.has(path) || isWeights(path) || /^LICEN[CS]E(\.(txt|md))?$/i.test(path);
}

/** The files to download; refuses a repo without safetensors weights. */
export function planFiles(repo: string, listing: HubListing): PlannedFile[] {
  const files = listing.siblings.filter((s) => isWantedFile(s.rfilename));
  if (!files.some((s) => isWeights(s.rfilename))) {
    const pickled = listing.siblings.filter((s) => /\.(bin|pt|pth|ckpt|h5|msgpack|onnx|gguf)$/i.test(s.rfilename)).map((s) => s.rfilename);
    throw new LangbridgeError(
      'unsupported-format',
      `${repo} has no safetensors weights${pickled.length ? ` (only ${pickled.slice(0, 3).join(', ')}${pickled.length > 3 ? ', …' : ''})` : ''}; Langbridge loads weights from safetensors only. Look for a safetensors version of this model on the Hub.`,
    );
  }
  if (!files.some((s) => s.rfilename === 'config.json')) {
    throw new LangbridgeError('unsupported-format', `${repo} has no config.json at its top level, so it is not a transformers model Langbridge can train.`);
  }
  return files.map((s) => {
    const size = s.lfs?.size ?? s.size;
    if (size === undefined || (!s.lfs && !s.blobId)) {
      throw new LangbridgeError(NETWORK_CODE, `The Hub's file list for ${repo} gives no size or hash for ${s.rfilename}; is HF_ENDPOINT a Hugging Face Hub?`);
    }
    return { path: s.rfilename, size, sha256: s.lfs?.sha256 ?? null, blobId: s.lfs ? null : (s.blobId ?? null) };
  });
}

interface Ctx {
  repo: string;
  revision: string;
  endpoint: string;
  /** Set once the listing is read; every file comes from that one commit. */
  commit: string;
  headers: Record<string, string>;
  tokenSet: boolean;
  signal?: AbortSignal;
  fetch: typeof fetch;
  total: number;
  done: number;
  report: (step: DownloadProgress['step'], file?: string, force?: boolean) => void;
}

const mb = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : `${(n / 1e6).toFixed(1)} MB`);

function cancelled(ctx: Ctx): LangbridgeError {
  return new LangbridgeError('cancelled', `The download of ${ctx.repo} was cancelled; the ${mb(ctx.done)} already downloaded are kept and the next download resumes from there.`);
}

function unreachable(ctx: Ctx, err: unknown): LangbridgeError {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (err as Error).message;
  return new LangbridgeError(
    NETWORK_CODE,
    `Cannot reach the Hugging Face Hub at ${ctx.endpoint} (${why}). Langbridge works offline; downloading a model is the one thing that needs the network: check the connection (or HF_ENDPOINT) and try again.`,
  );
}

/** A readable error for a response the download cannot use. */
async function statusError(ctx: Ctx, res: Response, file?: string): Promise<LangbridgeError> {
  await res.body?.cancel().catch(() => {});
  const hubCode = res.headers.get('x-error-code');
  const page = `${ctx.endpoint}/${ctx.repo}`;
  const s = res.status;
  if (s === 401 || s === 403) {
    if (hubCode === 'GatedRepo') {
      return new LangbridgeError(
        'unauthorized',
        `${ctx.repo} is gated: accept its licence on ${page} while signed in, then set HF_TOKEN to an access token of that account (huggingface.co/settings/tokens) and download again.`,
      );
    }
    if (hubCode === 'RepoNotFound' && !ctx.tokenSet) {
      // The Hub answers 401 for a missing repo too, so as not to reveal private ones.
      return new LangbridgeError('not-found', `${ctx.repo} was not found on the Hub. Check the id; if it is private or gated, accept the licence on ${page} and set HF_TOKEN to an access token.`);
    }
    return new LangbridgeError(
      'unauthorized',
      ctx.tokenSet
        ? `The Hub refused HF_TOKEN for ${ctx.repo} (${s}): the token may be wrong or expired, or its account has not accepted the licence on ${page}.`
        : `${ctx.repo} is private or gated (${s}): accept the licence on ${page} and set HF_TOKEN to an access token (huggingface.co/settings/tokens), then download again.`,
    );
  }
  if (s === 404) {
    if (hubCode === 'RevisionNotFound') return new LangbridgeError('not-found', `${ctx.repo} has no revision "${ctx.revision}" on the Hub (a branch, tag or commit).`);
    if (file && hubCode !== 'RepoNotFound') return new LangbridgeError('not-found', `The Hub lists ${file} for ${ctx.repo} but does not serve it (404); try again later.`, file);
    return new LangbridgeError('not-found', `There is no model ${ctx.repo}${ctx.revision === 'main' ? '' : ` at revision "${ctx.revision}"`} on the Hub (${ctx.endpoint}). Check the id, for example Qwen/Qwen2.5-0.5B.`);
  }
  if (s === 429) return new LangbridgeError(NETWORK_CODE, `The Hub is limiting how fast this machine downloads (429): wait a few minutes and download again; it resumes where it stopped.`);
  return new LangbridgeError(NETWORK_CODE, `The Hub answered ${s} ${res.statusText} for ${file ?? `the file list of ${ctx.repo}`}: try again later; the download resumes where it stopped.`, file);
}

async function hubFetch(ctx: Ctx, url: string, extra: Record<string, string> = {}): Promise<Response> {
  if (ctx.signal?.aborted) throw cancelled(ctx);
  try {
    return await ctx.fetch(url, { headers: { ...ctx.headers, ...extra }, signal: ctx.signal, redirect: 'follow' });
  } catch (err) {
    if (ctx.signal?.aborted) throw cancelled(ctx);
    throw unreachable(ctx, err);
  }
}

async function listRepo(ctx: Ctx): Promise<HubListing> {
  const res = await hubFetch(ctx, `${ctx.endpoint}/api/models/${ctx.repo}/revision/${encodeURIComponent(ctx.revision)}?blobs=true`);
  if (!res.ok) throw await statusError(ctx, res);
  let body: unknown;
  try {
    body = await res.json();
  } catch (err) {
    if (ctx.signal?.aborted) throw cancelled(ctx);
    throw new LangbridgeError(NETWORK_CODE, `The Hub's file list for ${ctx.repo} is not JSON (${(err as Error).message}); is HF_ENDPOINT (${ctx.endpoint}) a Hugging Face Hub?`);
  }
  const r = HubListing.safeParse(body);
  if (!r.success) throw new LangbridgeError(NETWORK_CODE, `The Hub's file list for ${ctx.repo} lacks a commit or files; is HF_ENDPOINT (${ctx.endpoint}) a Hugging Face Hub?`);
  return r.data;
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch {
    return null;
  }
}

/** Empties the staging folder unless it holds parts of this very commit; then drops files no longer planned. */
async function prepareStaging(staging: string, manifest: Manifest): Promise<void> {
  let old: Manifest | null = null;
  try {
    old = Manifest.parse(JSON.parse(await readFile(join(staging, MANIFEST), 'utf8')));
  } catch {
    // No manifest (or a broken one): nothing in the folder can be trusted.
  }
  if (!old || old.repo !== manifest.repo || old.commit !== manifest.commit) {
    await rm(staging, { recursive: true, force: true });
  }
  await mkdir(staging, { recursive: true });
  const keep = new Set([MANIFEST, ...manifest.files.flatMap((f) => [f.path, `${f.path}.part`])]);
  for (const e of await readdir(staging)) if (!keep.has(e)) await rm(join(staging, e), { recursive: true, force: true });
  await writeFile(join(staging, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
}

async function hashInto(ctx: Ctx, hashes: Hash[], path: string): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    if (ctx.signal?.aborted) throw cancelled(ctx);
    for (const h of hashes) h.update(chunk as Buffer);
  }
}

function mismatch(ctx: Ctx, f: PlannedFile, what: string, expected: string, actual: string): LangbridgeError {
  return new LangbridgeError(
    INTEGRITY_CODE,
    `${f.path} of ${ctx.repo} is damaged: its ${what} is ${actual} where the Hub says ${expected}. The bad copy was deleted; download again.`,
    f.path,
  );
}

function hashesFor(f: PlannedFile): Hash[] {
  // A git blob id is the sha1 of "blob <size>\0" followed by the content.
  return f.blobId ? [createHash('sha256'), createHash('sha1').update(`blob ${f.size}\0`)] : [createHash('sha256')];
}

/**
 * Brings one file from `<path>.part` (resuming it) to a verified `<path>` in the
 * staging folder. Returns its sha256.
 */
async function fetchFile(ctx: Ctx, staging: string, f: PlannedFile): Promise<string> {
  const part = join(staging, `${f.path}.part`);
  let have = (await sizeOf(part)) ?? 0;
  if (have > f.size) {
    // Not counted as present by the caller.
    await unlink(part);
    have = 0;
  }
  const resumed = have > 0;
  let hashes = hashesFor(f);
  if (resumed) {
    ctx.report('checking', f.path, true);
    await hashInto(ctx, hashes, part);
  }
  if (f.size === 0) await writeFile(part, '');

  let restarted = false;
  const url = `${ctx.endpoint}/${ctx.repo}/resolve/${ctx.commit}/${encodeURIComponent(f.path)}`;
  while (have < f.size) {
    const res = await hubFetch(ctx, url, have > 0 ? { Range: `bytes=${have}-` } : {});
    if (res.status !== 200 && res.status !== 206 && res.status !== 416) throw await statusError(ctx, res, f.path);
    const start = res.status === 206 ? Number(/^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '')?.[1]) : 0;
    if (res.status === 416 || (res.status === 206 && start !== have)) {
      // The range was refused, or another one was sent: start this file over, once.
      await res.body?.cancel().catch(() => {});
      if (restarted) throw new LangbridgeError(NETWORK_CODE, `The Hub would not serve ${f.path} of ${ctx.repo} (${res.status}); try again later.`, f.path);
      restarted = true;
      ctx.done -= have;
      have = 0;
      hashes = hashesFor(f);
      await unlink(part).catch(() => {});
      continue;
    }
    if (res.status === 200 && have > 0) {
      // The server ignored the range: the body is the whole file.
      ctx.done -= have;
      have = 0;
      hashes = hashesFor(f);
    }
    have = await writeBody(ctx, f, part, res, have, hashes);
    if (have < f.size) {
      throw new LangbridgeError(NETWORK_CODE, `The connection to the Hub ended after ${mb(have)} of ${mb(f.size)} of ${f.path}: download again to resume from there.`, f.path);
    }
  }

  ctx.report('checking', f.path, true);
  const actual256 = hashes[0]!.digest('hex');
  const checks: Array<[string, string | null, string]> = [
    ['sha256', f.sha256, actual256],
    ['git blob id', f.blobId, hashes[1]?.digest('hex') ?? ''],
  ];
  for (const [what, expected, actual] of checks) {
    if (expected && actual !== expected) {
      await unlink(part).catch(() => {});
      ctx.done -= f.size;
      // Bytes kept from an earlier attempt may be the bad ones: one fresh download before giving up.
      if (resumed) return fetchFile(ctx, staging, f);
      throw mismatch(ctx, f, what, expected, actual);
    }
  }
  await rename(part, join(staging, f.path));
  return actual256;
}

/** Streams a response body onto the part file, hashing as it goes; returns the part's new size. */
async function writeBody(ctx: Ctx, f: PlannedFile, part: string, res: Response, have: number, hashes: Hash[]): Promise<number> {
  let fh: FileHandle | null = null;
  let size = have;
  try {
    fh = await open(part, have > 0 ? 'a' : 'w');
    if (!res.body) return size;
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      if (size + chunk.length > f.size) {
        await fh.close();
        fh = null;
        await unlink(part).catch(() => {});
        ctx.done -= size;
        throw mismatch(ctx, f, 'size', `${f.size} bytes`, `more than ${f.size} bytes`);
      }
      await fh.write(chunk);
      for (const h of hashes) h.update(chunk);
      size += chunk.length;
      ctx.done += chunk.length;
      ctx.report('downloading', f.path);
    }
    await fh.sync();
    return size;
  } catch (err) {
    if (err instanceof LangbridgeError) throw err;
    if (ctx.signal?.aborted) throw cancelled(ctx);
    if (isDiskError(err)) throw diskError(err, part);
    throw new LangbridgeError(
      NETWORK_CODE,
      `The connection to the Hub broke after ${mb(size)} of ${mb(f.size)} of ${f.path} (${(err as Error).message}): download again to resume from there.`,
      f.path,
    );
  } finally {
    await fh?.close().catch(() => {});
  }
}

const DISK_ERRORS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  EIO: 'the disk reported an input/output error',
};

function isDiskError(err: unknown): err is NodeJS.ErrnoException {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code in DISK_ERRORS;
}

function diskError(err: NodeJS.ErrnoException, path: string): LangbridgeError {
  return new LangbridgeError('internal', `Cannot write ${err.path ?? path}: ${DISK_ERRORS[err.code!]}. Free some space or choose another workspace, then download again; it resumes where it stopped.`, err.path ?? path);
}

/** One download of a repo at a time per models folder, across processes. */
async function lock(lockPath: string, repo: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(lockPath, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return () => unlink(lockPath).catch(() => {});
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (pid > 0 && alive(pid)) {
        throw new LangbridgeError('workspace-busy', `${repo} is already being downloaded into this workspace${pid === process.pid ? '' : ` by another Langbridge process (pid ${pid})`}: wait for it to finish or cancel it.`);
      }
      // Left behind by a process that died: take it over.
      await unlink(lockPath).catch(() => {});
    }
  }
  throw new LangbridgeError('workspace-busy', `Cannot lock ${lockPath} to download ${repo}; try again.`);
}


async function checkFreeSpace(dir: string, needed: number): Promise<void> {
  let free: number;
  try {
    const s = await statfs(dir);
    free = s.bavail * s.bsize;
  } catch {
    return; // Not knowable here: a full disk is reported when a write fails.
  }
  if (needed > free) {
    throw new LangbridgeError('internal', `Not enough disk space in ${dir}: the download needs ${mb(needed)} more and ${mb(free)} are free. Free some space or choose another workspace.`, dir);
  }
}

/**
 * Downloads `repo` at `revision` into `<modelsDir>/<org>--<name>`, resuming
 * whatever an earlier attempt left in the staging folder.
 */
export async function downloadModel(o: DownloadOptions): Promise<DownloadResult> {
  const { org, name, folder } = parseRepoId(o.repo);
  const repo = `${org}/${name}`;
  const revision = o.revision?.trim() || 'main';
  const endpoint = (o.endpoint ?? process.env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(endpoint)) throw new LangbridgeError('bad-input', `"${endpoint}" is not a Hub address (HF_ENDPOINT): it must start with https:// or http://.`);
  const token = o.token ?? process.env.HF_TOKEN;
  const dest = join(o.modelsDir, folder);
  const staging = join(o.modelsDir, `.${folder}.partial`);
  const interval = o.progressIntervalMs ?? 200;

  let last = 0;
  const ctx: Ctx = {
    repo,
    revision,
    endpoint,
    commit: '',
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    tokenSet: Boolean(token),
    signal: o.signal,
    fetch: o.fetchImpl ?? fetch,
    total: 0,
    done: 0,
    report: (step, file, force = false) => {
      const now = Date.now();
      if (!o.onProgress || (!force && now - last < interval)) return;
      last = now;
      o.onProgress({ step, done: ctx.done, total: ctx.total, unit: 'bytes', ...(file ? { file } : {}) });
    },
  };

  const exists = async (p: string) => (await sizeOf(p)) !== null;
  const refuseExisting = () =>
    new LangbridgeError('bad-input', `${dest} already exists: ${repo} seems to be downloaded already. Delete that folder (or ask to overwrite it) to download it again.`, dest);
  if (!o.overwrite && (await exists(dest))) throw refuseExisting();

  try {
    await mkdir(o.modelsDir, { recursive: true });
    const release = await lock(join(o.modelsDir, `.${folder}.lock`), repo);
    try {
      ctx.report('listing', undefined, true);
      const listing = await listRepo(ctx);
      ctx.commit = listing.sha;
      const plan = planFiles(repo, listing);
      ctx.total = plan.reduce((n, f) => n + f.size, 0);
      await prepareStaging(staging, { repo, revision, commit: listing.sha, files: plan });

      // What an earlier attempt left: verified files and parts.
      for (const f of plan) {
        const verified = await sizeOf(join(staging, f.path));
        if (verified === f.size) ctx.done += f.size;
        else {
          if (verified !== null) await rm(join(staging, f.path), { force: true });
          const part = (await sizeOf(join(staging, `${f.path}.part`))) ?? 0;
          if (part <= f.size) ctx.done += part;
        }
      }
      const resumedBytes = ctx.done;
      await checkFreeSpace(o.modelsDir, ctx.total - ctx.done);
      ctx.report('downloading', undefined, true);

      // Small files first: a wrong id or a refused token shows up before the weights start.
      const order = [...plan].sort((a, b) => a.size - b.size);
      const hashes = new Map<string, string>();
      for (const f of order) {
        if ((await sizeOf(join(staging, f.path))) === f.size) {
          hashes.set(f.path, f.sha256 ?? (await sha256Of(ctx, join(staging, f.path))));
          continue;
        }
        hashes.set(f.path, await fetchFile(ctx, staging, f));
      }

      ctx.report('finishing', undefined, true);
      const files = plan.map((f) => ({ path: f.path, size: f.size, sha256: hashes.get(f.path)! }));
      const source = { repo, revision, commit: listing.sha, endpoint, downloadedAt: new Date().toISOString(), files };
      await writeFile(join(staging, SOURCE_FILE), JSON.stringify(source, null, 2) + '\n');
      await rm(join(staging, MANIFEST), { force: true });
      await moveIntoPlace(staging, dest, folder, Boolean(o.overwrite), refuseExisting);
      ctx.report('done', undefined, true);
      return { path: dest, repo, revision, commit: listing.sha, files, bytes: ctx.total, resumedBytes };
    } finally {
      await release();
    }
  } catch (err) {
    if (err instanceof LangbridgeError) throw err;
    if (isDiskError(err)) throw diskError(err, o.modelsDir);
    throw err;
  }
}

async function sha256Of(ctx: Ctx, path: string): Promise<string> {
  const h = createHash('sha256');
  await hashInto(ctx, [h], path);
  return h.digest('hex');
}

/** The staging folder becomes the model folder in one rename; an old one (with overwrite) is moved aside first. */
async function moveIntoPlace(staging: string, dest: string, folder: string, overwrite: boolean, refuse: () => LangbridgeError): Promise<void> {
  let aside: string | null = null;
  if ((await sizeOf(dest)) !== null) {
    if (!overwrite) throw refuse();
    aside = join(staging, '..', `.${folder}.old-${Date.now()}`);
    await rename(dest, aside);
  }
  try {
    await rename(staging, dest);
  } catch (err) {
    if (aside) await rename(aside, dest).catch(() => {});
    throw err;
  }
  if (aside) await rm(aside, { recursive: true, force: true });
}
