import type { Step } from '../../../../main/services/pipeline/recipe';
import { ParamField } from './param-field';
import { paramFields } from './param-fields';
import type { Issue } from './use-recipe-check';

interface StepParamsFormProps {
  step: Step;
  issues: readonly Issue[];
  /** "steps.3.params" */
  pathPrefix: string;
  onChange: (key: string, value: unknown) => void;
}

/** The step's parameters as a form generated from its schema. */
export function StepParamsForm({ step, issues, pathPrefix, onChange }: StepParamsFormProps) {
  const fields = paramFields(step.kind);
  const params = step.params as Record<string, unknown>;
  if (fields.length === 0) return <p className="hint">This step has no parameters.</p>;
  return (
    <div className="param-grid">
      {fields.map((f) => (
        <ParamField
          key={f.key}
          field={f}
          value={params[f.key]}
          issues={issues.filter((i) => i.path === `${pathPrefix}.${f.key}` || i.path.startsWith(`${pathPrefix}.${f.key}.`))}
          onChange={(v) => onChange(f.key, v)}
        />
      ))}
    </div>
  );
}
