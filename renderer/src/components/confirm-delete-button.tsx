import { useState, type ReactNode } from 'react';
import { ErrorMessage } from './error-message';

type State = { kind: 'idle' } | { kind: 'confirm' } | { kind: 'deleting' } | { kind: 'failed'; error: unknown };

interface ConfirmDeleteButtonProps {
  /** The button's text. */
  label?: string;
  /** The button's accessible name, where its text alone does not say what goes. */
  ariaLabel?: string;
  /** What goes, as the confirmation names it: "Confirm deletion of {what}". */
  what: string;
  /** The confirmation's question: what will go, in words. */
  question: ReactNode;
  /** Deletes; its answer is not used. A rejection shows as "Could not delete: …". */
  action: () => Promise<unknown>;
  /** Called once the deletion has succeeded. */
  onDone: () => void;
}

/** A Delete button that asks first, inline (Delete / Keep), then deletes and reports a failure where it happened. */
export function ConfirmDeleteButton({ label = 'Delete', ariaLabel, what, question, action, onDone }: ConfirmDeleteButtonProps) {
  const [state, setState] = useState<State>({ kind: 'idle' });

  async function remove() {
    setState({ kind: 'deleting' });
    try {
      await action();
      setState({ kind: 'idle' });
      onDone();
    } catch (error) {
      setState({ kind: 'failed', error });
    }
  }

  if (state.kind === 'confirm' || state.kind === 'deleting') {
    const deleting = state.kind === 'deleting';
    return (
      <div className="confirm" role="group" aria-label={`Confirm deletion of ${what}`}>
        <span>{question}</span>
        <button type="button" className="button danger" onClick={() => void remove()} disabled={deleting}>
          {deleting ? 'Deleting…' : 'Delete'}
        </button>
        <button type="button" className="button" onClick={() => setState({ kind: 'idle' })} disabled={deleting}>
          Keep
        </button>
      </div>
    );
  }
  return (
    <div>
      <button type="button" className="button subtle" aria-label={ariaLabel} onClick={() => setState({ kind: 'confirm' })}>
        {label}
      </button>
      {state.kind === 'failed' ? <ErrorMessage error={state.error} prefix="Could not delete:" /> : null}
    </div>
  );
}
