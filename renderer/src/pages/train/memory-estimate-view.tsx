import type { MemoryEstimateResult } from '../../../../main/api/train-schemas';
import { formatBytes } from '../../format';

const PARTS: Array<{ key: keyof MemoryEstimateResult['parts']; label: string; color: string }> = [
  { key: 'weights', label: 'Weights', color: '#2563eb' },
  { key: 'gradients', label: 'Gradients', color: '#7c3aed' },
  { key: 'optimizer', label: 'Optimizer (AdamW)', color: '#d97706' },
  { key: 'activations', label: 'Activations', color: '#059669' },
  { key: 'logits', label: 'Logits', color: '#0891b2' },
  { key: 'overhead', label: 'Overhead', color: '#9ca3af' },
];

const VERDICT: Record<MemoryEstimateResult['verdict'], { text: string; tone: string }> = {
  fits: { text: 'fits', tone: 'badge-ok' },
  tight: { text: 'tight: may run out of memory', tone: 'badge-warn' },
  'does-not-fit': { text: 'will not fit', tone: 'badge-danger' },
  unknown: { text: 'device memory unknown', tone: '' },
};

/** Memory one device needs for the run, by part, against what the device has. */
export function MemoryEstimateView({ estimate, stale }: { estimate: MemoryEstimateResult; stale: boolean }) {
  if (!estimate.known)
    return <p className="muted">The memory estimate needs the model's config.json; the tiny demo model is created on the first run (a few million parameters: it fits anywhere).</p>;
  const scale = Math.max(estimate.total, estimate.available ?? 0);
  const v = VERDICT[estimate.verdict];
  return (
    <div className={`memory-estimate${stale ? ' stale' : ''}`} aria-live="polite">
      <p>
        <strong>
          {formatBytes(estimate.total)} per {estimate.device === 'cuda' ? 'GPU' : 'machine'}
        </strong>{' '}
        of {estimate.available ? formatBytes(estimate.available) : '?'} ({estimate.availableLabel}){' '}
        <span className={`badge ${v.tone}`} data-verdict={estimate.verdict}>
          {v.text}
        </span>
      </p>
      <p className="muted small">
        {(estimate.parameters / 1e6).toFixed(1)}M parameters, {estimate.trainableParameters === estimate.parameters ? 'all trained' : `${(estimate.trainableParameters / 1e6).toFixed(2)}M trained (LoRA)`}; {estimate.precision}.
      </p>
      <div className="memory-bar" role="img" aria-label={PARTS.map((p) => `${p.label} ${formatBytes(estimate.parts[p.key])}`).join(', ')}>
        {PARTS.map((p) => (
          <span key={p.key} style={{ width: `${(100 * estimate.parts[p.key]) / scale}%`, background: p.color }} title={`${p.label}: ${formatBytes(estimate.parts[p.key])}`} />
        ))}
        {estimate.available && estimate.available < scale ? <i className="memory-limit" style={{ left: `${(100 * estimate.available) / scale}%` }} title="the device's memory" /> : null}
      </div>
      <ul className="memory-legend">
        {PARTS.map((p) => (
          <li key={p.key}>
            <span className="swatch" style={{ background: p.color }} />
            {p.label} {formatBytes(estimate.parts[p.key])}
          </li>
        ))}
      </ul>
      {estimate.advice.length ? (
        <div className="notice">
          <strong>To make it fit:</strong>
          <ul>
            {estimate.advice.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
