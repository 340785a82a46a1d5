import { useId, useState } from 'react';
import { Recipe } from '../../../../main/services/pipeline/recipe';
import { client, errorMessage } from '../../api/client';
import type { Issue } from './use-recipe-check';

interface RecipeJsonProps {
  recipe: Recipe;
  onApply: (recipe: Recipe) => void;
}

type State = { kind: 'idle' } | { kind: 'checking' } | { kind: 'syntax'; message: string } | { kind: 'invalid'; issues: Issue[] };

/** The draft as JSON text, applied only once it is valid JSON and a valid recipe. */
export function RecipeJson({ recipe, onApply }: RecipeJsonProps) {
  const id = useId();
  const pretty = JSON.stringify(recipe, null, 2);
  const [text, setText] = useState(pretty);
  const [base, setBase] = useState(pretty);
  const [state, setState] = useState<State>({ kind: 'idle' });
  if (base !== pretty) {
    // The draft changed elsewhere (another recipe chosen): follow it unless the text holds edits.
    setBase(pretty);
    if (text === base) setText(pretty);
  }
  const dirty = text !== pretty;

  async function apply() {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      setState({ kind: 'syntax', message: errorMessage(err) });
      return;
    }
    setState({ kind: 'checking' });
    try {
      const check = await client.call('pipeline:check-recipe', { recipe: data });
      if (!check.ok) {
        setState({ kind: 'invalid', issues: check.issues });
        return;
      }
    } catch (err) {
      setState({ kind: 'syntax', message: `could not be checked: ${errorMessage(err)}` });
      return;
    }
    // The services accepted it; parsing here fills in the defaults the form shows.
    const parsed = Recipe.parse(data);
    setState({ kind: 'idle' });
    setText(JSON.stringify(parsed, null, 2));
    onApply(parsed);
  }

  return (
    <form
      className="recipe-json"
      onSubmit={(e) => {
        e.preventDefault();
        void apply();
      }}
    >
      <label htmlFor={id} className="field-label">
        Recipe as JSON
      </label>
      <textarea id={id} className="json-text" rows={24} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />
      <div className="inline-row">
        <button type="submit" className="button primary" disabled={!dirty || state.kind === 'checking'}>
          Apply JSON
        </button>
        <button
          type="button"
          className="button"
          disabled={!dirty}
          onClick={() => {
            setText(pretty);
            setState({ kind: 'idle' });
          }}
        >
          Discard changes
        </button>
        {dirty ? <span className="muted small">Not applied yet: the form and the preview still use the recipe as it was.</span> : null}
      </div>
      {state.kind === 'syntax' ? (
        <p className="error-message" role="alert">
          Not valid JSON: {state.message}
        </p>
      ) : null}
      {state.kind === 'invalid' ? (
        <div className="error-message" role="alert">
          Not applied: the recipe has {state.issues.length === 1 ? 'a problem' : `${state.issues.length} problems`}.
          <ul className="issue-list">
            {state.issues.map((i) => (
              <li key={i.path + i.message}>
                <code>{i.path}</code>
                <span>{i.message}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </form>
  );
}
