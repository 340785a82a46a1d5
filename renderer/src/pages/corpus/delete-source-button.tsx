import type { Source } from '../../../../main/api/schemas';
import { client } from '../../api/client';
import { ConfirmDeleteButton } from '../../components/confirm-delete-button';
import { plural } from '../../format';
import { useCorpus } from './corpus-context';

/** Delete with an inline confirmation that says what will go. */
export function DeleteSourceButton({ source }: { source: Source }) {
  const { refresh } = useCorpus();
  return (
    <ConfirmDeleteButton
      ariaLabel={`Delete ${source.name}`}
      what={source.name}
      question={`Delete ${source.name} and its ${plural(source.documents, 'document')}${source.pairs ? ` and ${plural(source.pairs, 'pair')}` : ''}?`}
      action={() => client.call('corpus:delete-source', { sourceId: source.id })}
      onDone={refresh}
    />
  );
}
