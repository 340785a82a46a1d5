import { useId } from 'react';
import { ANCHORS, clampScore } from './review-draft';

interface ScoreInputProps {
  slot: string;
  value: number | null;
  onChange: (value: number | null) => void;
}

/** A 0-100 slider with a number box and the ESA anchors under it; empty until the reviewer scores. */
export function ScoreInput({ slot, value, onChange }: ScoreInputProps) {
  const id = useId();
  const label = `Score for output ${slot}`;
  return (
    <div className="score-input">
      <div className="score-row">
        <label htmlFor={`${id}-range`} className="field-label">
          Score
        </label>
        <input
          id={`${id}-range`}
          type="range"
          min={0}
          max={100}
          step={1}
          value={value ?? 50}
          className={value === null ? 'unset' : undefined}
          aria-label={label}
          aria-valuetext={value === null ? 'not scored' : String(value)}
          onChange={(e) => onChange(clampScore(Number(e.target.value)))}
        />
        <input
          type="number"
          min={0}
          max={100}
          className="score-number"
          aria-label={`${label} (number)`}
          value={value ?? ''}
          placeholder="–"
          onChange={(e) => onChange(e.target.value === '' ? null : clampScore(Number(e.target.value)))}
        />
      </div>
      <ol className="anchors" aria-label="Score anchors">
        {ANCHORS.map((a) => (
          <li key={a.at} style={{ left: `${a.at}%` }} className={value !== null && Math.abs(value - a.at) <= 5 ? 'near' : undefined} title={a.description}>
            <span className="anchor-at">{a.at}</span>
            <span className="anchor-label">{a.label}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
