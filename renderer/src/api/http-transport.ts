import type { ApiError, Result } from '../../../main/api/errors';
import { ClientError } from './client-error';
import type { FileToPathOptions, Transport } from './transport';

const TOKEN_KEY = 'langbridge.token';

/**
 * `langbridge serve` opens the page as /?token=…; keep the token for this tab
 * (sessionStorage, so a reload still works) and take it out of the address bar
 * so it does not end up in history, bookmarks or screenshots.
 */
function takeToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function failure(code: ApiError['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

const UNAUTHORIZED =
  'This page is not authorised to talk to Langbridge: open the address that `langbridge serve` printed (it ends with ?token=…).';

function isResult(body: unknown): body is Result<unknown> {
  return typeof body === 'object' && body !== null && 'ok' in body && typeof body.ok === 'boolean';
}

/** Turns an HTTP response into a Result, whatever went wrong on the way. */
function toResult(status: number, text: string): Result<unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (isResult(body)) return body;
  if (status === 401 || status === 403) return failure('unauthorized', UNAUTHORIZED);
  return failure('internal', `The Langbridge server answered HTTP ${status} without a result.`);
}

const UNREACHABLE =
  'The Langbridge server cannot be reached. Is `langbridge serve` still running? Start it again and reload this page.';

export function createHttpTransport(): Transport {
  const token = takeToken();
  const authHeaders: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};

  // One EventSource for the whole page, opened on the first subscription.
  let source: EventSource | null = null;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  function ensureSource(): EventSource {
    if (!source) source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    return source;
  }

  return {
    kind: 'http',

    async call(name, input) {
      let response: Response;
      try {
        response = await fetch(`/api/call/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...authHeaders },
          body: JSON.stringify(input ?? {}),
          credentials: 'same-origin',
        });
      } catch {
        return failure('internal', UNREACHABLE);
      }
      return toResult(response.status, await response.text());
    },

    on(event, cb) {
      let set = listeners.get(event);
      if (!set) {
        const created = new Set<(payload: unknown) => void>();
        listeners.set(event, created);
        set = created;
        ensureSource().addEventListener(event, (message: MessageEvent<string>) => {
          let payload: unknown;
          try {
            payload = JSON.parse(message.data);
          } catch {
            return; // A malformed event is the server's bug; dropping it keeps the page alive.
          }
          for (const listener of [...created]) listener(payload);
        });
      }
      set.add(cb);
      return () => {
        set.delete(cb);
      };
    },

    fileToPath(file: File, options: FileToPathOptions) {
      // XMLHttpRequest rather than fetch: fetch reports no upload progress.
      return new Promise<string>((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', `/api/upload?name=${encodeURIComponent(file.name)}`);
        for (const [k, v] of Object.entries(authHeaders)) xhr.setRequestHeader(k, v);
        xhr.setRequestHeader('Content-Type', 'application/octet-stream');
        xhr.upload.onprogress = (e) => options.onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
        xhr.onload = () => {
          const result = toResult(xhr.status, xhr.responseText);
          if (!result.ok) return reject(new ClientError(result.error));
          const value = result.value as { path?: unknown };
          if (typeof value?.path !== 'string') {
            return reject(new ClientError({ code: 'internal', message: 'The server accepted the upload but sent no path back.' }));
          }
          options.onProgress?.(file.size, file.size);
          resolve(value.path);
        };
        xhr.onerror = () => reject(new ClientError({ code: 'internal', message: UNREACHABLE }));
        xhr.onabort = () => reject(new ClientError({ code: 'cancelled', message: `Upload of ${file.name} cancelled.` }));
        if (options.signal) {
          if (options.signal.aborted) return reject(new ClientError({ code: 'cancelled', message: `Upload of ${file.name} cancelled.` }));
          options.signal.addEventListener('abort', () => xhr.abort(), { once: true });
        }
        xhr.send(file);
      });
    },
  };
}
