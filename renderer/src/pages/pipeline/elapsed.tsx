import { useEffect, useState } from 'react';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Time since `since`, ticking while mounted. */
export function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(timer);
  }, []);
  return <span className="tabular">{seconds(Math.max(0, now - since))}</span>;
}

export function formatSeconds(ms: number): string {
  return seconds(ms);
}
