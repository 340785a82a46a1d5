import { client } from '../../api/client';
import { ConfirmDeleteButton } from '../../components/confirm-delete-button';

/** Deletes a saved recipe (a shadowed preset comes back) after an inline confirmation. */
export function DeleteRecipeButton({ name, shadowsPreset, onDeleted }: { name: string; shadowsPreset: boolean; onDeleted: () => void }) {
  return (
    <ConfirmDeleteButton
      label="Delete saved recipe"
      what={`the saved recipe ${name}`}
      question={`Delete the saved recipe “${name}”${shadowsPreset ? ' (the preset of that name comes back)' : ''}?`}
      action={() => client.call('pipeline:delete-recipe', { name })}
      onDone={onDeleted}
    />
  );
}
