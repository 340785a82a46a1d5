import { useState } from 'react';
import type { Source } from '../../../../main/api/schemas';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { plural } from '../../format';
import { useCorpus } from './corpus-context';

type State = { kind: 'idle' } | { kind: 'confirm' } | { kind: 'deleting' } | { kind: 'failed'; error: unknown };

/** Delete with an inline confirmation that says what will go. */
export function DeleteSourceButton({ source }: { source: Source }) {
  const { refresh } = useCorpus();
  const [state, setState] = useState<State>({ kind: 'idle' });

  async function remove() {
    setState({ kind: 'deleting' });
    try {
      await client.call('corpus:delete-source', { sourceId: source.id });
      setState({ kind: 'idle' });
      refresh();
    } catch (error) {
      setState({ kind: 'failed', error });
    }
  }

  if (state.kind === 'confirm' || state.kind === 'deleting') {
    return (
      <div className="confirm" role="group" aria-label={`Confirm deletion of ${source.name}`}>
        <span>
          Delete {source.name} and its {plural(source.documents, 'document')}
          {source.pairs ? ` and ${plural(source.pairs, 'pair')}` : ''}?
        </span>
        <button type="button" className="button danger" onClick={remove} disabled={state.kind === 'deleting'}>
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
      <button
        type="button"
        className="button subtle"
        aria-label={`Delete ${source.name}`}
        onClick={() => setState({ kind: 'confirm' })}
      >
        Delete
      </button>
      {state.kind === 'failed' ? <ErrorMessage error={state.error} prefix="Could not delete:" /> : null}
    </div>
  );
}
