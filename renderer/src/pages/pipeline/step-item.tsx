import { useEffect, useId, useRef } from 'react';
import type { Step } from '../../../../main/services/pipeline/recipe';
import { plural } from '../../format';
import { StepOverrides } from './step-overrides';
import { StepParamsForm } from './step-params-form';
import { stepLabel } from './step-labels';
import { issuesUnder, type Issue } from './use-recipe-check';

export interface StepActions {
  toggle: (enabled: boolean) => void;
  move: (by: -1 | 1) => void;
  remove: () => void;
  setParam: (key: string, value: unknown) => void;
  addOverride: (lang: string) => void;
  removeOverride: (lang: string) => void;
  setOverride: (lang: string, key: string, value: unknown) => void;
  unsetOverride: (lang: string, key: string) => void;
}

interface StepItemProps {
  step: Step;
  index: number;
  count: number;
  expanded: boolean;
  onExpand: (expanded: boolean) => void;
  issues: readonly Issue[];
  /** Set right after this step was moved with a button (a fresh token each time): focus follows it. */
  focusMove: { by: -1 | 1; token: number } | null;
  actions: StepActions;
}

function OverrideSummary({ step }: { step: Step }) {
  const entries = Object.entries(step.overrides as Record<string, Record<string, unknown>>);
  if (entries.length === 0) return null;
  const params = step.params as Record<string, unknown>;
  // Only what differs from the step's own values: that is what the override changes.
  const changes = (o: Record<string, unknown>) =>
    Object.entries(o).filter(([k, v]) => (k === 'enabled' ? v !== step.enabled : JSON.stringify(v) !== JSON.stringify(params[k])));
  return (
    <p className="step-overrides-summary small">
      <span className="muted">Overrides: </span>
      {entries.map(([lang, o], i) => {
        const changed = changes(o);
        return (
          <span key={lang}>
            {i > 0 ? ' · ' : ''}
            <code>{lang}</code>
            {changed.length > 0 ? <span className="muted"> ({changed.map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(', ')})</span> : null}
          </span>
        );
      })}
    </p>
  );
}

/** One step of the recipe: on/off, order, removal, and its form when expanded. */
export function StepItem({ step, index, count, expanded, onExpand, issues, focusMove, actions }: StepItemProps) {
  const name = stepLabel(step.kind);
  const panelId = useId();
  const upRef = useRef<HTMLButtonElement>(null);
  const downRef = useRef<HTMLButtonElement>(null);
  const mine = issuesUnder(issues, `steps.${index}`);

  useEffect(() => {
    if (focusMove === null) return;
    // Focus stays on the button that moved the step; at an end, on the one still usable.
    const preferred = focusMove.by === -1 ? upRef.current : downRef.current;
    const other = focusMove.by === -1 ? downRef.current : upRef.current;
    (preferred && !preferred.disabled ? preferred : other)?.focus();
    // Only a new move (a new token) moves focus, never a later re-render.
  }, [focusMove?.token]);

  return (
    <li className={`step-item${step.enabled ? '' : ' step-disabled'}${mine.length ? ' invalid' : ''}`} data-step-kind={step.kind}>
      <div className="step-row">
        <input type="checkbox" checked={step.enabled} aria-label={`Enable ${name}`} onChange={(e) => actions.toggle(e.target.checked)} />
        <span className="step-index muted">{index + 1}</span>
        <span className="step-name">
          <strong>{name}</strong> <code className="muted">{step.kind}</code>
        </span>
        {mine.length > 0 ? <span className="badge badge-danger">{plural(mine.length, 'problem')}</span> : null}
        <span className="step-buttons">
          <button ref={upRef} type="button" className="icon-button step-move" aria-label={`Move ${name} up`} disabled={index === 0} onClick={() => actions.move(-1)}>
            ↑
          </button>
          <button ref={downRef} type="button" className="icon-button step-move" aria-label={`Move ${name} down`} disabled={index === count - 1} onClick={() => actions.move(1)}>
            ↓
          </button>
          <button type="button" className="button" aria-expanded={expanded} aria-controls={panelId} aria-label={`Tune ${name}`} onClick={() => onExpand(!expanded)}>
            {expanded ? 'Close' : 'Tune'}
          </button>
          <button type="button" className="button subtle" aria-label={`Remove ${name}`} onClick={actions.remove}>
            Remove
          </button>
        </span>
      </div>
      {!expanded ? <OverrideSummary step={step} /> : null}
      <div id={panelId} className="step-panel" role="group" aria-label={`${name} parameters`} hidden={!expanded}>
        {expanded ? (
          <>
            <StepParamsForm step={step} issues={mine} pathPrefix={`steps.${index}.params`} onChange={actions.setParam} />
            <StepOverrides
              step={step}
              stepName={name}
              issues={mine}
              pathPrefix={`steps.${index}.overrides`}
              onAdd={actions.addOverride}
              onRemove={actions.removeOverride}
              onSet={actions.setOverride}
              onUnset={actions.unsetOverride}
            />
          </>
        ) : null}
      </div>
    </li>
  );
}
