import { interpolate, niceTicks, ticks } from './color-scale';

/** A horizontal colour bar with its values beneath, so a colour can be read back as a number. From 0: round ticks; a diverging scale: its two ends and 0. */
export function ColorLegend({ stops, min, max, format, label }: { stops: readonly string[]; min: number; max: number; format: (v: number) => string; label: string }) {
  const gradient = `linear-gradient(to right, ${Array.from({ length: 11 }, (_, i) => interpolate(stops, i / 10)).join(', ')})`;
  return (
    <figure className="color-legend" aria-label={`${label}: from ${format(min)} to ${format(max)}`}>
      <figcaption className="muted small">{label}</figcaption>
      <div className="color-legend-bar" style={{ background: gradient }} />
      <div className="color-legend-ticks" aria-hidden="true">
        {(min === 0 ? niceTicks(max) : ticks(min, max, 3)).map((t) => (
          <span key={t}>{format(t)}</span>
        ))}
      </div>
    </figure>
  );
}
