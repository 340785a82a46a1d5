import type { CallName, EventName } from '../../../main/api/contract';
import type { Result } from '../../../main/api/errors';

export interface FileToPathOptions {
  /** Upload progress in bytes (browser transport only; Electron needs no upload). */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** How the renderer reaches the services: Electron IPC or `langbridge serve` over HTTP. */
export interface Transport {
  readonly kind: 'electron' | 'http';
  call(name: CallName, input: unknown): Promise<Result<unknown>>;
  on(event: EventName, cb: (payload: unknown) => void): () => void;
  fileToPath(file: File, options: FileToPathOptions): Promise<string>;
}
