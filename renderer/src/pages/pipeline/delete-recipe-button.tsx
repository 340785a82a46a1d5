import { useState } from 'react';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';

type State = { kind: 'idle' } | { kind: 'confirm' } | { kind: 'deleting' } | { kind: 'failed'; error: unknown };

/** Deletes a saved recipe (a shadowed preset comes back) after an inline confirmation. */
export function DeleteRecipeButton({ name, shadowsPreset, onDeleted }: { name: string; shadowsPreset: boolean; onDeleted: () => void }) {
  const [state, setState] = useState<State>({ kind: 'idle' });

  async function remove() {
    setState({ kind: 'deleting' });
    try {
      await client.call('pipeline:delete-recipe', { name });
      setState({ kind: 'idle' });
      onDeleted();
    } catch (error) {
      setState({ kind: 'failed', error });
    }
  }

  if (state.kind === 'confirm' || state.kind === 'deleting') {
    return (
      <div className="confirm" role="group" aria-label={`Confirm deletion of the saved recipe ${name}`}>
        <span>
          Delete the saved recipe “{name}”{shadowsPreset ? ' (the preset of that name comes back)' : ''}?
        </span>
        <button type="button" className="button danger" onClick={() => void remove()} disabled={state.kind === 'deleting'}>
          {state.kind === 'deleting' ? 'Deleting…' : 'Delete'}
        </button>
        <button type="button" className="button" onClick={() => setState({ kind: 'idle' })} disabled={state.kind === 'deleting'}>
          Keep
        </button>
      </div>
    );
  }
  return (
    <div>
      <button type="button" className="button subtle" onClick={() => setState({ kind: 'confirm' })}>
        Delete saved recipe
      </button>
      {state.kind === 'failed' ? <ErrorMessage error={state.error} prefix="Could not delete:" /> : null}
    </div>
  );
}
