/**
 * The trainer's Python: find a Python >= 3.10, build a virtual environment
 * with native/trainer installed in it (uv when it is on PATH, else venv +
 * pip), and cache it. The environment is keyed by the trainer's
 * pyproject.toml and the base Python, so a changed pin rebuilds it and
 * every workspace (and the tests, and the demo) share one install of torch.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LangbridgeError } from '../../api/errors';

export const MIN_PYTHON: [number, number] = [3, 10];

export interface PythonFound {
  path: string;
  version: string;
}

export interface EnvProgress {
  step: string;
  done: number;
  total: number;
  unit: string;
  line?: string;
}

/** native/trainer, found by walking up from this module (source tree, built out/ folder) or from LANGBRIDGE_TRAINER_DIR. */
export function trainerDir(): string {
  if (process.env.LANGBRIDGE_TRAINER_DIR) return resolve(process.env.LANGBRIDGE_TRAINER_DIR);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'native', 'trainer');
    if (existsSync(join(candidate, 'pyproject.toml'))) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new LangbridgeError('not-found', "The trainer's sources (native/trainer) are not next to this Langbridge; set LANGBRIDGE_TRAINER_DIR to their folder.");
    dir = up;
  }
}

/**
 * The environment every trainer process gets. The venv holds the trainer's
 * dependencies (and an installed copy of it, keyed by pyproject.toml only);
 * PYTHONPATH puts this Langbridge's own native/trainer first, so the code
 * that runs is always the code beside the app, never a stale installed copy.
 */
export function trainerProcessEnv(extra: Record<string, string> = {}): Record<string, string> {
  const path = [trainerDir(), process.env.PYTHONPATH].filter(Boolean).join(process.platform === 'win32' ? ';' : ':');
  return { PYTHONPATH: path, PYTHONUNBUFFERED: '1', ...extra };
}

function pythonVersion(path: string): string | null {
  const r = spawnSync(path, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8', timeout: 15_000 });
  return r.status === 0 ? r.stdout.trim() : null;
}

const atLeast = (v: string) => {
  const [a, b] = v.split('.').map(Number) as [number, number];
  return a > MIN_PYTHON[0] || (a === MIN_PYTHON[0] && b >= MIN_PYTHON[1]);
};

/** The first Python >= 3.10 among $LANGBRIDGE_PYTHON, $PYTHON, python3, python (and py -3 on Windows). */
export function findPython(): PythonFound | null {
  const candidates = [process.env.LANGBRIDGE_PYTHON, process.env.PYTHON, 'python3', 'python', ...(process.platform === 'win32' ? ['py'] : [])].filter((c): c is string => !!c);
  for (const c of candidates) {
    const v = pythonVersion(c);
    if (v && atLeast(v)) return { path: c, version: v };
  }
  return null;
}

const venvPython = (venv: string) => (process.platform === 'win32' ? join(venv, 'Scripts', 'python.exe') : join(venv, 'bin', 'python'));

function cacheHome(): string {
  if (process.env.XDG_CACHE_HOME) return process.env.XDG_CACHE_HOME;
  if (process.platform === 'win32') return process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches');
  return join(homedir(), '.cache');
}

/** What an environment is built from: the trainer's pins and the base Python's version. */
function envKey(python: PythonFound): string {
  const pyproject = readFileSync(join(trainerDir(), 'pyproject.toml'));
  return createHash('sha256').update(pyproject).update(python.version).digest('hex').slice(0, 12);
}

/** Where the trainer's venv lives: $LANGBRIDGE_VENV, else a per-user cache folder keyed by envKey. */
export function venvDirFor(python: PythonFound): string {
  return process.env.LANGBRIDGE_VENV ? resolve(process.env.LANGBRIDGE_VENV) : join(cacheHome(), 'langbridge', `trainer-${envKey(python)}`);
}

const MARKER = 'langbridge-env.json';

/** The venv's Python if the environment is built and current, else null. */
export function readyTrainerPython(): string | null {
  const python = findPython();
  if (!python) return null;
  const venv = venvDirFor(python);
  const marker = join(venv, MARKER);
  if (!existsSync(marker)) return null;
  try {
    const m = JSON.parse(readFileSync(marker, 'utf8')) as { key: string };
    return m.key === envKey(python) && existsSync(venvPython(venv)) ? venvPython(venv) : null;
  } catch {
    return null;
  }
}

/**
 * Runs a command to its end and resolves with its stdout; each output line
 * (stdout and stderr) goes to onLine. A failure says which command, its exit
 * code and its last lines, under `code`.
 */
export function runProcess(cmd: string, args: string[], o: { onLine?: (line: string) => void; code?: 'missing-dependency' | 'internal'; env?: Record<string, string> } = {}): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(o.env ? { env: { ...process.env, ...o.env } } : {}) });
    const tail: string[] = [];
    let out = '';
    const feed = (buf: Buffer) => {
      for (const line of buf.toString('utf8').split(/\r?\n|\r/)) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 20) tail.shift();
        o.onLine?.(line);
      }
    };
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString('utf8');
      feed(b);
    });
    child.stderr.on('data', feed);
    child.on('error', (err) => rej(new LangbridgeError('missing-dependency', `Could not run ${cmd}: ${err.message}`)));
    child.on('exit', (code) =>
      code === 0 ? res(out) : rej(new LangbridgeError(o.code ?? 'missing-dependency', `${cmd} ${args.slice(0, 3).join(' ')} … failed (exit ${code}):\n${tail.join('\n')}`)),
    );
  });
}

const onPath = (cmd: string) => spawnSync(cmd, ['--version'], { stdio: 'ignore', timeout: 10_000 }).status === 0;

/**
 * Builds (or reuses) the trainer's environment and returns its Python.
 * wheelhouse: a folder of wheels to install from without the network.
 */
export async function ensureTrainerEnv(o: { onProgress?: (p: EnvProgress) => void; wheelhouse?: string; reinstall?: boolean } = {}): Promise<string> {
  if (!o.reinstall) {
    const ready = readyTrainerPython();
    if (ready) return ready;
  }
  const python = findPython();
  if (!python) throw new LangbridgeError('missing-dependency', `Langbridge's trainer needs Python ${MIN_PYTHON.join('.')} or newer, and none was found (tried $LANGBRIDGE_PYTHON, $PYTHON, python3, python). Install Python from python.org or your package manager.`);
  const venv = venvDirFor(python);
  const src = trainerDir();
  const progress = (step: string, done: number, total: number, line?: string) => o.onProgress?.({ step, done, total, unit: 'steps', ...(line ? { line } : {}) });
  rmSync(venv, { recursive: true, force: true });
  mkdirSync(dirname(venv), { recursive: true });
  const uv = !o.wheelhouse && onPath('uv');
  progress(`creating the environment with ${uv ? 'uv' : 'venv'}`, 0, 3);
  if (uv) await runProcess('uv', ['venv', '--python', python.path, venv]);
  else await runProcess(python.path, ['-m', 'venv', venv]);
  const py = venvPython(venv);
  // pip's output names each package as it goes; count them for a progress bar (the total is only known at the end).
  let seen = 0;
  const onLine = (line: string) => {
    if (/^\s*(Collecting|Downloading|Using cached|Resolved|Prepared|Installed|Building)/i.test(line)) seen++;
    progress('installing the trainer and its packages', 1, 3, `${line.trim().slice(0, 160)} (${seen})`);
  };
  progress('installing the trainer and its packages', 1, 3);
  const offline = o.wheelhouse ? ['--no-index', '--find-links', resolve(o.wheelhouse)] : [];
  if (uv) await runProcess('uv', ['pip', 'install', '--python', py, src], { onLine });
  else await runProcess(py, ['-m', 'pip', 'install', '--disable-pip-version-check', ...offline, src], { onLine });
  progress('checking the environment', 2, 3);
  await runProcess(py, ['-m', 'langbridge_trainer', '--version'], { env: trainerProcessEnv() });
  writeFileSync(join(venv, MARKER), JSON.stringify({ key: envKey(python), python: python.version, installedAt: new Date().toISOString() }) + '\n');
  progress('ready', 3, 3);
  return py;
}
