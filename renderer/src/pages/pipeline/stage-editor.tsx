import { useId } from 'react';
import type { MixturePlanSchema } from '../../../../main/api/pipeline-schemas';
import type { Recipe } from '../../../../main/services/pipeline/recipe';
import { formatDecimal } from '../../format';
import { FieldIssues } from './field-issues';
import { NumberInput } from './number-input';
import type { Issue } from './use-recipe-check';

type Stage = Recipe['mixture']['stages'][number];
type Group = Recipe['mixture']['groups'][number];
type PlannedStage = MixturePlanSchema['stages'][number];

interface StageEditorProps {
  stage: Stage;
  groups: readonly Group[];
  planned: PlannedStage | undefined;
  issues: readonly Issue[];
  onChange: (stage: Partial<Stage>) => void;
  onProportions: (proportions: Record<string, number> | undefined) => void;
}

/** A stage's group proportions, token budget and peak learning rate. */
export function StageEditor({ stage, groups, planned, issues, onChange, onProportions }: StageEditorProps) {
  const id = useId();
  const proportions = stage.proportions;
  const total = proportions ? Object.values(proportions).reduce((a, b) => a + b, 0) : 0;
  const auto = stage.tokenBudget === 'auto';

  function fixProportions(on: boolean) {
    if (!on) return onProportions(undefined);
    // Start from what the plan gives each group now, so switching on changes nothing yet.
    const start = Object.fromEntries(
      groups.map((g) => {
        const share = planned?.groups.find((p) => p.id === g.id)?.plannedShare;
        return [g.id, share === undefined ? 1 : Math.round(share * 1000) / 10];
      }),
    );
    onProportions(start);
  }

  return (
    <fieldset className="stage-editor" aria-label={`${stage.name} settings`}>
      <div className="stage-fields">
        <label className="check">
          <input type="checkbox" checked={auto} onChange={(e) => onChange({ tokenBudget: e.target.checked ? 'auto' : Math.max(1, planned?.budget ?? 1_000_000) })} />
          Automatic token budget
        </label>
        <span className="field-inline">
          <label htmlFor={`${id}-budget`}>Token budget</label>
          <NumberInput
            id={`${id}-budget`}
            value={auto ? (planned?.budget ?? null) : (stage.tokenBudget as number)}
            disabled={auto}
            min={1}
            step={1}
            onChange={(n) => onChange({ tokenBudget: n })}
          />
        </span>
        <span className="field-inline">
          <label htmlFor={`${id}-lr`}>Peak learning rate</label>
          <NumberInput
            id={`${id}-lr`}
            value={stage.peakLr ?? null}
            placeholder="trainer default"
            onChange={(n) => onChange({ peakLr: n })}
          />
        </span>
      </div>
      <label className="check">
        <input type="checkbox" checked={proportions !== undefined} onChange={(e) => fixProportions(e.target.checked)} />
        Fixed group proportions (off: every group at its natural share)
      </label>
      {proportions ? (
        <div className="proportions" role="group" aria-label={`${stage.name} proportions`}>
          {groups.map((g) => {
            const v = proportions[g.id] ?? 0;
            return (
              <span key={g.id} className="proportion">
                <label htmlFor={`${id}-p-${g.id}`}>{g.label}</label>
                <NumberInput
                  id={`${id}-p-${g.id}`}
                  className="narrow"
                  value={v}
                  min={0}
                  onChange={(n) => onProportions({ ...proportions, [g.id]: n })}
                />
                <span className="muted small">{total > 0 ? `${formatDecimal((100 * v) / total)}%` : '—'}</span>
              </span>
            );
          })}
        </div>
      ) : null}
      <FieldIssues issues={issues} />
    </fieldset>
  );
}
