import { useEffect, useId, useState } from 'react';
import type { Recipe } from '../../../../main/services/pipeline/recipe';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import type { RecipeListing } from './recipe-picker';

interface SaveRecipeProps {
  recipe: Recipe;
  valid: boolean | null;
  presetNames: readonly string[];
  onSaved: (listing: RecipeListing) => void;
}

type State = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; listing: RecipeListing } | { kind: 'failed'; error: unknown };

/** Saves the draft under a name; a preset's name is allowed and shadows the preset in this workspace. */
export function SaveRecipe({ recipe, valid, presetNames, onSaved }: SaveRecipeProps) {
  const id = useId();
  const [name, setName] = useState(recipe.name);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const trimmed = name.trim();
  const shadows = presetNames.includes(trimmed);

  useEffect(() => {
    // Another recipe was chosen: offer its name.
    setName(recipe.name);
  }, [recipe.name]);

  async function save() {
    setState({ kind: 'saving' });
    try {
      const listing = await client.call('pipeline:save-recipe', { recipe: { ...recipe, name: trimmed } });
      setState({ kind: 'saved', listing });
      onSaved(listing);
    } catch (error) {
      setState({ kind: 'failed', error });
    }
  }

  return (
    <form
      className="save-recipe"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3>Save</h3>
      <div className="inline-row">
        <label htmlFor={id} className="small">
          Name
        </label>
        <input id={id} type="text" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="button" disabled={!trimmed || valid !== true || state.kind === 'saving'}>
          {state.kind === 'saving' ? 'Saving…' : 'Save recipe'}
        </button>
      </div>
      {shadows ? (
        <p className="hint">
          “{trimmed}” is a preset’s name: saving shadows the preset in this workspace (the CLI’s <code>--preset {trimmed}</code> gets your
          version too) until the saved recipe is deleted.
        </p>
      ) : null}
      {state.kind === 'saved' ? (
        <p className="ok small" role="status">
          Saved “{state.listing.name}”, revision {state.listing.revision}.
        </p>
      ) : null}
      {state.kind === 'failed' ? <ErrorMessage error={state.error} prefix="Could not save:" /> : null}
    </form>
  );
}
