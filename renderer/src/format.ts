const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const decimal = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const formatInt = (n: number): string => integer.format(n);
export const formatCompact = (n: number): string => compact.format(n);
export const formatDecimal = (n: number): string => decimal.format(n);

export function formatBytes(n: number): string {
  if (n < 1024) return `${integer.format(n)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** Amount of work in the unit a progress event names (bytes shown as KB/MB, other units as counts). */
export function formatAmount(n: number, unit: string): string {
  if (unit === 'bytes' || unit === 'B' || unit === 'byte') return formatBytes(n);
  return `${integer.format(n)} ${unit}`;
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${integer.format(ms)} ms`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatInt(n)} ${n === 1 ? one : many}`;
}
