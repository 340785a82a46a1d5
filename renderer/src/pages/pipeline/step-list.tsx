import { useId, useState } from 'react';
import { STEP_KINDS, type Recipe, type StepKind } from '../../../../main/services/pipeline/recipe';
import * as edit from './recipe-edit';
import { StepItem, type StepActions } from './step-item';
import { stepLabel } from './step-labels';
import type { Issue } from './use-recipe-check';

interface StepListProps {
  recipe: Recipe;
  onChange: (recipe: Recipe) => void;
  issues: readonly Issue[];
}

/** Keys that survive reordering: the kind, numbered when a recipe repeats one. */
function stepKeys(recipe: Recipe): string[] {
  const seen = new Map<string, number>();
  return recipe.steps.map((s) => {
    const n = seen.get(s.kind) ?? 0;
    seen.set(s.kind, n + 1);
    return n ? `${s.kind}#${n}` : s.kind;
  });
}

/** The recipe's steps in order, with add, remove, reorder and per-step forms. */
export function StepList({ recipe, onChange, issues }: StepListProps) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [moved, setMoved] = useState<{ key: string; by: -1 | 1; token: number } | null>(null);
  const [adding, setAdding] = useState<StepKind | ''>('');
  const addId = useId();
  const keys = stepKeys(recipe);
  const missing = STEP_KINDS.filter((k) => !recipe.steps.some((s) => s.kind === k));

  function actionsFor(index: number, key: string): StepActions {
    return {
      toggle: (enabled) => onChange(edit.setStepEnabled(recipe, index, enabled)),
      move: (by) => {
        setMoved((m) => ({ key, by, token: (m?.token ?? 0) + 1 }));
        onChange(edit.moveStep(recipe, index, by));
      },
      remove: () => onChange(edit.removeStep(recipe, index)),
      setParam: (k, v) => onChange(edit.setParam(recipe, index, k, v)),
      addOverride: (lang) => onChange(edit.addOverride(recipe, index, lang)),
      removeOverride: (lang) => onChange(edit.removeOverride(recipe, index, lang)),
      setOverride: (lang, k, v) => onChange(edit.setOverrideParam(recipe, index, lang, k, v)),
      unsetOverride: (lang, k) => onChange(edit.removeOverrideParam(recipe, index, lang, k)),
    };
  }

  return (
    <div className="steps">
      {recipe.steps.length === 0 ? <p className="empty">No steps: the corpus goes into the mixture as it is.</p> : null}
      <ol className="step-list" aria-label="Steps">
        {recipe.steps.map((step, i) => {
          const key = keys[i] ?? String(i);
          return (
            <StepItem
              key={key}
              step={step}
              index={i}
              count={recipe.steps.length}
              expanded={expanded.has(key)}
              onExpand={(open) =>
                setExpanded((prev) => {
                  const next = new Set(prev);
                  if (open) next.add(key);
                  else next.delete(key);
                  return next;
                })
              }
              issues={issues}
              focusMove={moved?.key === key ? moved : null}
              actions={actionsFor(i, key)}
            />
          );
        })}
      </ol>
      {missing.length > 0 ? (
        <form
          className="inline-row add-step"
          onSubmit={(e) => {
            e.preventDefault();
            if (!adding) return;
            onChange(edit.addStep(recipe, adding));
            setAdding('');
          }}
        >
          <label htmlFor={addId} className="small">
            Add a step
          </label>
          <select id={addId} value={adding} onChange={(e) => setAdding(e.target.value as StepKind | '')}>
            <option value="">Choose…</option>
            {missing.map((k) => (
              <option key={k} value={k}>
                {stepLabel(k)} ({k})
              </option>
            ))}
          </select>
          <button type="submit" className="button" disabled={!adding}>
            Add step
          </button>
        </form>
      ) : null}
    </div>
  );
}
