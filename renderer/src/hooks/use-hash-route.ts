import { useEffect, useState } from 'react';

/** The page id in the address's hash (#/corpus), so a reload stays on the same page. */
export function useHashRoute(fallback: string): string {
  const read = () => window.location.hash.replace(/^#\/?/, '') || fallback;
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
    // `read` depends on nothing but `fallback`.
  }, [fallback]);
  return route;
}
