import type { EventName, EventPayload } from '../../../main/api/contract';
import type { Result } from '../../../main/api/errors';
import type { ElectronBridge } from './bridge';
import { ClientError } from './client-error';
import type { Transport } from './transport';

/** The preload's bridge, when this renderer runs inside the Electron app. */
export function createElectronTransport(): Transport | null {
  const bridge: ElectronBridge | undefined = window.langbridge;
  if (!bridge || bridge.transport !== 'electron') return null;
  return {
    kind: 'electron',
    call(name, input) {
      const fn = bridge.api[name] as ((input: unknown) => Promise<Result<unknown>>) | undefined;
      if (typeof fn !== 'function') {
        return Promise.resolve({
          ok: false,
          error: { code: 'not-found', message: `This version of Langbridge has no call named ${name}.` },
        });
      }
      return fn(input);
    },
    on(event, cb) {
      return bridge.on(event, cb as (payload: EventPayload<EventName>) => void);
    },
    async fileToPath(file) {
      const path = bridge.pathForFile(file);
      if (!path) {
        throw new ClientError({
          code: 'not-found',
          message: `${file.name} has no path on disk (was it dragged from another application?). Save it to a folder first, then import it.`,
        });
      }
      return path;
    },
  };
}
