import type { CallInput, CallName, EventName, EventPayload } from '../../../main/api/contract';
import type { Result } from '../../../main/api/errors';
import type { CallOutput } from '../../../main/api/contract';

/**
 * What the Electron preload puts on `window.langbridge`. Named functions only:
 * the renderer never sees ipcRenderer, process or the file system.
 */
export interface ElectronBridge {
  transport: 'electron';
  api: { [K in CallName]: (input: CallInput<K>) => Promise<Result<CallOutput<K>>> };
  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void;
  pathForFile(file: File): string;
}

declare global {
  interface Window {
    langbridge?: ElectronBridge;
  }
}
