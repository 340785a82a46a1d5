import { useEffect, useId, useRef, useState } from 'react';
import type { ErrorCategory, Severity } from '../../../../main/api/review-schemas';
import { CATEGORIES, SEVERITIES } from './review-draft';

interface SpanFormProps {
  slot: string;
  /** The selected text, when the reviewer selected before pressing M; else they type it. */
  selected: string | null;
  onAdd: (span: { text: string; category: ErrorCategory; severity: Severity }) => string | null;
  onClose: () => void;
}

/**
 * Marks one error: which text (the selection, or typed), its MQM-lite
 * category and its severity. Opens with the focus on the first field it
 * needs, and gives the focus back to the output when it closes.
 */
export function SpanForm({ slot, selected, onAdd, onClose }: SpanFormProps) {
  const id = useId();
  const [text, setText] = useState(selected ?? '');
  const [category, setCategory] = useState<ErrorCategory>('accuracy/mistranslation');
  const [severity, setSeverity] = useState<Severity>('minor');
  const [error, setError] = useState<string | null>(null);
  const textRef = useRef<HTMLInputElement>(null);
  const categoryRef = useRef<HTMLSelectElement>(null);
  // With a selection the text is known: the category comes first.
  useEffect(() => (selected !== null ? categoryRef.current : textRef.current)?.focus(), [selected]);
  const submit = () => {
    const problem = onAdd({ text, category, severity });
    if (problem) setError(problem);
  };
  return (
    <form
      className="span-form"
      aria-label={`Mark an error in output ${slot}`}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-text`}>Text with the error</label>
        {selected !== null ? (
          <input type="text" id={`${id}-text`} value={text} readOnly className="span-selected" />
        ) : (
          <input
            type="text"
            id={`${id}-text`}
            ref={textRef}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="type the words as they appear (empty: an omission at the start)"
          />
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-category`}>Category</label>
        <select id={`${id}-category`} ref={categoryRef} value={category} onChange={(e) => setCategory(e.target.value as ErrorCategory)}>
          {CATEGORIES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="field severity-field">
        <legend>Severity</legend>
        <div className="segmented">
          {SEVERITIES.map((s) => (
            <label key={s.value} className={severity === s.value ? 'active' : undefined} title={s.hint}>
              <input type="radio" name={`${id}-severity`} value={s.value} checked={severity === s.value} onChange={() => setSeverity(s.value)} />
              {s.label}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="span-form-actions">
        <button type="submit" className="button primary">
          Add error
        </button>
        <button type="button" className="button quiet" onClick={onClose}>
          Cancel
        </button>
      </div>
      {error ? (
        <p className="error-message" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
