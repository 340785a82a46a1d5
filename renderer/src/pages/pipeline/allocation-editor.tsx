import { useId } from 'react';
import type { Allocation } from '../../../../main/services/pipeline/recipe';
import { FieldIssues } from './field-issues';
import { NumberInput } from './number-input';
import type { Issue } from './use-recipe-check';

const METHODS: Record<Allocation['method'], string> = {
  proportional: 'proportional (natural shares)',
  temperature: 'temperature (q ∝ p^alpha)',
  unimax: 'unimax (uniform, capped by epochs)',
};

/** How a group's tokens are shared among its languages. */
export function AllocationEditor({ allocation, issues, onChange }: { allocation: Allocation; issues: readonly Issue[]; onChange: (a: Allocation) => void }) {
  const id = useId();
  return (
    <fieldset className="allocation" aria-label="Allocation across languages">
      <span className="field-inline">
        <label htmlFor={`${id}-method`}>Allocation</label>
        <select id={`${id}-method`} value={allocation.method} onChange={(e) => onChange({ ...allocation, method: e.target.value as Allocation['method'] })}>
          {Object.entries(METHODS).map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
      </span>
      <span className="field-inline">
        <label htmlFor={`${id}-alpha`}>Alpha</label>
        <NumberInput
          id={`${id}-alpha`}
          className="narrow"
          value={allocation.alpha}
          min={0}
          max={1}
          step={0.05}
          disabled={allocation.method !== 'temperature'}
          onChange={(alpha) => onChange({ ...allocation, alpha })}
        />
      </span>
      <span className="field-inline">
        <label htmlFor={`${id}-epochs`}>Max epochs</label>
        <NumberInput id={`${id}-epochs`} className="narrow" value={allocation.maxEpochs} min={0} step={0.5} onChange={(maxEpochs) => onChange({ ...allocation, maxEpochs })} />
      </span>
      <FieldIssues issues={issues} />
    </fieldset>
  );
}
