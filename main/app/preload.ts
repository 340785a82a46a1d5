import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { callNames, eventNames, type CallName, type EventName } from '../api/contract';
import { IPC_CALL, IPC_EVENT } from './ipc-channels';

/**
 * Exposes one named function per contract call, an event subscription limited
 * to the contract's events, and the path of a dropped file. Never ipcRenderer
 * itself, never process or Node modules.
 */
const api = Object.fromEntries(
  callNames.map((name: CallName) => [name, (input: unknown) => ipcRenderer.invoke(IPC_CALL, name, input)]),
);

contextBridge.exposeInMainWorld('langbridge', {
  transport: 'electron',
  api,
  on(event: EventName, cb: (payload: unknown) => void): () => void {
    if (!eventNames.includes(event)) throw new Error(`unknown event ${String(event)}`);
    const listener = (_e: unknown, name: string, payload: unknown) => {
      if (name === event) cb(payload);
    };
    ipcRenderer.on(IPC_EVENT, listener);
    return () => ipcRenderer.removeListener(IPC_EVENT, listener);
  },
  pathForFile(file: File): string {
    return webUtils.getPathForFile(file);
  },
});
