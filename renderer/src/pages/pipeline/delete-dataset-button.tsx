import { useState } from 'react';
import type { DatasetSummary } from '../../../../main/api/pipeline-schemas';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { plural } from '../../format';

type State = { kind: 'idle' } | { kind: 'confirm' } | { kind: 'deleting' } | { kind: 'failed'; error: unknown };

/** Deletes a dataset version (its row and its files) after an inline confirmation. */
export function DeleteDatasetButton({ dataset, onDeleted }: { dataset: DatasetSummary; onDeleted: () => void }) {
  const [state, setState] = useState<State>({ kind: 'idle' });

  async function remove() {
    setState({ kind: 'deleting' });
    try {
      await client.call('datasets:delete', { id: dataset.id });
      setState({ kind: 'idle' });
      onDeleted();
    } catch (error) {
      setState({ kind: 'failed', error });
    }
  }

  if (state.kind === 'confirm' || state.kind === 'deleting') {
    return (
      <div className="confirm" role="group" aria-label={`Confirm deletion of ${dataset.name}`}>
        <span>
          Delete {dataset.name}, its {plural(dataset.records, 'record')} and its files in <code>{dataset.folder}</code>?
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
      <button type="button" className="button subtle" aria-label={`Delete ${dataset.name}`} onClick={() => setState({ kind: 'confirm' })}>
        Delete
      </button>
      {state.kind === 'failed' ? <ErrorMessage error={state.error} prefix="Could not delete:" /> : null}
    </div>
  );
}
