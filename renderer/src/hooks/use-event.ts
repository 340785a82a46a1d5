import { useEffect, useRef } from 'react';
import type { EventName, EventPayload } from '../../../main/api/contract';
import { client } from '../api/client';

/** Runs `cb` for every `name` event while the component is mounted; always the latest `cb`. */
export function useEvent<E extends EventName>(name: E, cb: (payload: EventPayload<E>) => void): void {
  const cbRef = useRef(cb);
  cbRef.current = cb;
  useEffect(() => client.on(name, (payload) => cbRef.current(payload)), [name]);
}
