/**
 * Colours for scores and differences. Pure functions of numbers, so the table,
 * the heatmaps and their legends agree, and the unit tests can pin them.
 */

type Rgb = readonly [number, number, number];

function hexToRgb(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function rgbToHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

const clamp01 = (t: number): number => (Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0);

/** Linear interpolation through evenly spaced colour stops, t in [0, 1]. */
export function interpolate(stops: readonly string[], t: number): string {
  const rgb = stops.map(hexToRgb);
  if (rgb.length === 1) return stops[0]!;
  const x = clamp01(t) * (rgb.length - 1);
  const i = Math.min(rgb.length - 2, Math.floor(x));
  const f = x - i;
  const a = rgb[i]!;
  const b = rgb[i + 1]!;
  return rgbToHex([a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f]);
}

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = hexToRgb(hex);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/**
 * Black text on light cells, white on dark ones: whichever contrasts more.
 * Pure black, not the page's near-black: only black or white guarantees the
 * WCAG 4.5:1 ratio on every mid-tone (the worst case is 4.58:1).
 */
export function textOn(background: string): '#000000' | '#ffffff' {
  const l = luminance(background);
  const onBlack = (l + 0.05) / 0.05;
  const onWhite = 1.05 / (l + 0.05);
  return onBlack >= onWhite ? '#000000' : '#ffffff';
}

/** ColorBrewer's single-hue Blues: light = low score, dark = high; readable in greyscale and by colour-blind readers. */
export const SEQUENTIAL = ['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b'] as const;

/** Loss (red) through white to gain (green), the table's own colours. */
export const LOSS = ['#ffffff', '#fbd5d0', '#f4a398', '#e0675a', '#b42318'] as const;
export const GAIN = ['#ffffff', '#d3efdc', '#9fd9b2', '#5bb57e', '#1d6b3a'] as const;

/** A score's colour on a [min, max] domain. */
export function sequentialColor(value: number, min: number, max: number): string {
  return interpolate(SEQUENTIAL, max > min ? (value - min) / (max - min) : 0);
}

/**
 * A difference's colour: green for a gain, red for a loss, deeper with size,
 * full at `saturation`. `higherIsBetter` false (bits per character) turns a
 * drop into the gain.
 */
export function deltaColor(delta: number, saturation: number, higherIsBetter = true): string {
  const gain = higherIsBetter ? delta : -delta;
  const t = clamp01(Math.abs(gain) / saturation);
  // Below 5% of the saturation a difference is painted white: no colour for noise.
  if (t < 0.05) return '#ffffff';
  return interpolate(gain > 0 ? GAIN : LOSS, t);
}

/** 1, 2, 5 × 10^k at or above v: a legend's round upper end. */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v - 1e-12) return m * p;
  return 10 * p;
}

/** `count` evenly spaced values from min to max, both ends included, for a legend's ticks. */
export function ticks(min: number, max: number, count = 5): number[] {
  if (count < 2 || max === min) return [min];
  return Array.from({ length: count }, (_, i) => min + ((max - min) * i) / (count - 1));
}

/** Round ticks from 0 to a niceCeil() value: 0-5 by 1, 0-2 by 0.5, 0-10 by 2. */
export function niceTicks(max: number): number[] {
  const lead = max / 10 ** Math.floor(Math.log10(max) + 1e-9);
  const count = Math.abs(lead - 2) < 1e-9 ? 5 : 6;
  return ticks(0, max, count);
}
