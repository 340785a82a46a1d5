import { useCallback, useState } from 'react';

const KEY = 'langbridge.reviewer';

/** The reviewer's name, remembered on this machine so a returning reviewer does not type it again. */
export function useReviewer(): [string, (name: string) => void] {
  const [name, setName] = useState(() => {
    try {
      return localStorage.getItem(KEY) ?? '';
    } catch {
      return '';
    }
  });
  const set = useCallback((value: string) => {
    setName(value);
    try {
      localStorage.setItem(KEY, value);
    } catch {
      // Storage can be off (private windows): the name then lasts for this session only.
    }
  }, []);
  return [name, set];
}
