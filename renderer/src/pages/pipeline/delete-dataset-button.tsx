import type { DatasetSummary } from '../../../../main/api/pipeline-schemas';
import { client } from '../../api/client';
import { ConfirmDeleteButton } from '../../components/confirm-delete-button';
import { plural } from '../../format';

/** Deletes a dataset version (its row and its files) after an inline confirmation. */
export function DeleteDatasetButton({ dataset, onDeleted }: { dataset: DatasetSummary; onDeleted: () => void }) {
  return (
    <ConfirmDeleteButton
      ariaLabel={`Delete ${dataset.name}`}
      what={dataset.name}
      question={
        <>
          Delete {dataset.name}, its {plural(dataset.records, 'record')} and its files in <code>{dataset.folder}</code>?
        </>
      }
      action={() => client.call('datasets:delete', { id: dataset.id })}
      onDone={onDeleted}
    />
  );
}
