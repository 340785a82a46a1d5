import type { CallInput, CallName, CallOutput, EventName, EventPayload } from '../../../main/api/contract';
import { ClientError } from './client-error';
import { createElectronTransport } from './electron-transport';
import { createHttpTransport } from './http-transport';
import type { FileToPathOptions, Transport } from './transport';

export { ClientError } from './client-error';
export type { FileToPathOptions } from './transport';

export interface Client {
  readonly transport: 'electron' | 'http';
  /** Resolves with the call's value; rejects with a ClientError carrying the ApiError. */
  call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>>;
  /** Subscribes to a contract event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void;
  /** A path the services can open: the file's own path in Electron, an uploaded copy in the browser. */
  fileToPath(file: File, options?: FileToPathOptions): Promise<string>;
}

export function createClient(transport: Transport): Client {
  return {
    transport: transport.kind,
    async call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> {
      const result = await transport.call(name, input);
      if (!result.ok) throw new ClientError(result.error);
      // The front door has already checked the value against the contract's output schema.
      return result.value as CallOutput<K>;
    },
    on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void {
      return transport.on(event, cb as (payload: unknown) => void);
    },
    fileToPath(file, options = {}) {
      return transport.fileToPath(file, options);
    },
  };
}

/** The renderer's one client; the transport is chosen once, at start-up. */
export const client: Client = createClient(createElectronTransport() ?? createHttpTransport());

/** The sentence to show for anything thrown by a call. */
export function errorMessage(err: unknown): string {
  if (err instanceof ClientError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** True when a call failed because the user cancelled it. */
export function isCancelled(err: unknown): boolean {
  return err instanceof ClientError && err.code === 'cancelled';
}
