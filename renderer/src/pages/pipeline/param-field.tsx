import { useEffect, useId, useState } from 'react';
import { formatTuples, parseStrings, parseTuples, type FieldSpec } from './param-fields';
import { FieldIssues } from './field-issues';
import { NumberInput } from './number-input';
import type { Issue } from './use-recipe-check';

interface ParamFieldProps {
  field: FieldSpec;
  value: unknown;
  onChange: (value: unknown) => void;
  /** Problems the recipe check found for this field, with their paths. */
  issues?: readonly Issue[];
  /** Prefixes the accessible name, e.g. "zho" for an override. */
  context?: string;
  /** For a value inherited from the step (an override row shows the × beside it). */
  onRemove?: () => void;
}

function TextList({ id, value, onChange, parse, format, invalid, describedBy }: {
  id: string;
  value: unknown;
  onChange: (v: unknown) => void;
  parse: (text: string) => unknown;
  format: (value: unknown) => string;
  invalid: boolean;
  describedBy?: string;
}) {
  const [text, setText] = useState(format(value));
  const [bad, setBad] = useState(false);
  useEffect(() => {
    // Keep the user's spacing while it still means the same value.
    setText((t) => (JSON.stringify(parse(t)) === JSON.stringify(value) ? t : format(value)));
    // parse and format are module functions, stable for a field.
  }, [value]);
  return (
    <>
      <input
        id={id}
        type="text"
        value={text}
        aria-invalid={bad || invalid || undefined}
        aria-describedby={describedBy}
        onChange={(e) => {
          setText(e.target.value);
          const parsed = parse(e.target.value);
          setBad(parsed === null);
          if (parsed !== null) onChange(parsed);
        }}
      />
      {bad ? <span className="field-error">Write each entry as n:ratio, separated by commas (2:0.2, 3:0.18).</span> : null}
    </>
  );
}

/** One parameter, edited with the control its schema calls for. */
export function ParamField({ field, value, onChange, issues = [], context, onRemove }: ParamFieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const label = context ? `${field.label} (${context})` : field.label;
  const invalid = issues.length > 0;
  const off = field.nullable && value === null;
  const describedBy = invalid ? errorId : undefined;

  let control;
  switch (field.type) {
    case 'number':
      control = (
        <NumberInput
          id={id}
          value={off ? null : (value as number)}
          disabled={off}
          min={field.min}
          max={field.max}
          step={field.int ? 1 : 'any'}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          onChange={onChange}
        />
      );
      break;
    case 'boolean':
      control = (
        <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} aria-describedby={describedBy} />
      );
      break;
    case 'enum':
      control = (
        <select id={id} value={String(value)} onChange={(e) => onChange(e.target.value)} aria-describedby={describedBy}>
          {field.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
      break;
    case 'strings':
      control = off ? (
        <input id={id} type="text" value="" disabled placeholder="automatic" />
      ) : (
        <TextList id={id} value={value} onChange={onChange} parse={parseStrings} format={(v) => (Array.isArray(v) ? v.join(', ') : '')} invalid={invalid} describedBy={describedBy} />
      );
      break;
    case 'tuples':
      control = <TextList id={id} value={value} onChange={onChange} parse={parseTuples} format={formatTuples} invalid={invalid} describedBy={describedBy} />;
      break;
    default:
      control = (
        <code id={id} className="param-other">
          {JSON.stringify(value)}
        </code>
      );
  }

  return (
    <div className={`param-field param-${field.type}${invalid ? ' invalid' : ''}`} data-param={field.key}>
      <label htmlFor={id} className="param-label">
        {label}
      </label>
      <code className="param-key">{field.key}</code>
      <div className="param-control">
        {control}
        {field.nullable ? (
          <label className="param-off">
            <input
              type="checkbox"
              checked={off}
              aria-label={`${label}: off`}
              onChange={(e) => onChange(e.target.checked ? null : field.fallback)}
            />
            off
          </label>
        ) : null}
        {onRemove ? (
          <button type="button" className="icon-button small-icon" aria-label={`Remove the ${label} override`} onClick={onRemove}>
            ×
          </button>
        ) : null}
      </div>
      <FieldIssues id={errorId} issues={issues} />
    </div>
  );
}
