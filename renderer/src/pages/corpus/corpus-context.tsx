import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { Language } from '../../../../main/api/schemas';
import { useCall } from '../../hooks/use-call';
import { useEvent } from '../../hooks/use-event';

interface CorpusContextValue {
  /** Bumped whenever the corpus changes; views list it in their deps to reload. */
  version: number;
  refresh: () => void;
  languages: ReadonlyMap<string, Language>;
  languageList: readonly Language[];
}

const CorpusContext = createContext<CorpusContextValue | null>(null);

export function CorpusProvider({ children }: { children: ReactNode }) {
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  // Another window, the CLI or a finished import changed the corpus.
  useEvent('corpus:changed', refresh);
  const { data } = useCall('corpus:languages', {}, [version]);
  const value = useMemo<CorpusContextValue>(() => {
    const list = data ?? [];
    return { version, refresh, languageList: list, languages: new Map(list.map((l) => [l.code, l])) };
  }, [version, refresh, data]);
  return <CorpusContext.Provider value={value}>{children}</CorpusContext.Provider>;
}

export function useCorpus(): CorpusContextValue {
  const value = useContext(CorpusContext);
  if (!value) throw new Error('useCorpus needs a CorpusProvider above it');
  return value;
}
