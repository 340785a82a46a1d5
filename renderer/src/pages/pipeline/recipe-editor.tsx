import { useId, useState } from 'react';
import type { Recipe } from '../../../../main/services/pipeline/recipe';
import { DeleteRecipeButton } from './delete-recipe-button';
import { NumberInput } from './number-input';
import { RecipeIssues } from './recipe-issues';
import { RecipeJson } from './recipe-json';
import { RecipePicker, type RecipeListing } from './recipe-picker';
import { SaveRecipe } from './save-recipe';
import { StepList } from './step-list';
import { issuesUnder, type RecipeCheckState } from './use-recipe-check';

interface RecipeEditorProps {
  listings: readonly RecipeListing[];
  chosen: RecipeListing | null;
  recipe: Recipe;
  modified: boolean;
  check: RecipeCheckState;
  onChoose: (listing: RecipeListing) => void;
  onChange: (recipe: Recipe) => void;
  onSaved: (listing: RecipeListing) => void;
  onDeleted: () => void;
}

/** The recipe: which one, its steps and their parameters, its seed; saved by name, or edited as JSON. */
export function RecipeEditor({ listings, chosen, recipe, modified, check, onChoose, onChange, onSaved, onDeleted }: RecipeEditorProps) {
  const [json, setJson] = useState(false);
  const seedId = useId();
  const presetNames = listings.filter((l) => l.kind === 'preset').map((l) => l.name);
  const seedIssues = issuesUnder(check.issues, 'seed');

  return (
    <section className="card" aria-labelledby="recipe-title">
      <div className="card-header">
        <h2 id="recipe-title">Recipe</h2>
        <RecipePicker listings={listings} value={chosen ? `${chosen.kind}:${chosen.name}` : null} onChoose={onChoose} />
        {modified ? <span className="badge badge-accent">modified</span> : null}
        <button type="button" className="button" aria-pressed={json} onClick={() => setJson((j) => !j)}>
          JSON
        </button>
      </div>
      {recipe.description ? <p className="recipe-description">{recipe.description}</p> : null}
      <div className="recipe-layout">
        <div className="recipe-main">
          {json ? (
            <RecipeJson recipe={recipe} onApply={onChange} />
          ) : (
            <>
              <div className="inline-row recipe-seed">
                <label htmlFor={seedId} className="small">
                  Seed
                </label>
                <NumberInput
                  id={seedId}
                  className="narrow"
                  value={recipe.seed}
                  min={0}
                  step={1}
                  aria-invalid={seedIssues.length > 0 || undefined}
                  onChange={(seed) => onChange({ ...recipe, seed })}
                />
                <span className="hint">Sampling, held-out split and template choice follow it: the same seed gives the same dataset.</span>
              </div>
              <h3 className="steps-title">Steps</h3>
              <StepList recipe={recipe} onChange={onChange} issues={check.issues} />
            </>
          )}
        </div>
        <aside className="recipe-side" aria-label="Recipe check and saving">
          <RecipeIssues issues={check.issues} valid={check.valid} />
          <SaveRecipe recipe={recipe} valid={check.valid} presetNames={presetNames} onSaved={onSaved} />
          {chosen?.kind === 'saved' ? (
            <DeleteRecipeButton name={chosen.name} shadowsPreset={presetNames.includes(chosen.name)} onDeleted={onDeleted} />
          ) : null}
        </aside>
      </div>
    </section>
  );
}
