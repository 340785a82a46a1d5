import { useEffect, useState } from 'react';
import type { Recipe } from '../../../../main/services/pipeline/recipe';
import { client, errorMessage } from '../../api/client';

export interface Issue {
  /** Dotted path of the offending field, e.g. "steps.3.params.minDocWords". */
  path: string;
  message: string;
}

export interface RecipeCheckState {
  /** The verdict for this very draft; null while it is being checked. */
  valid: boolean | null;
  /** The latest issues found (kept while the next check runs, so the list does not flicker). */
  issues: readonly Issue[];
}

/** Checks every draft with `pipeline:check-recipe`, the schema the services enforce. */
export function useRecipeCheck(recipe: Recipe | null): RecipeCheckState {
  const [result, setResult] = useState<{ recipe: Recipe; ok: boolean; issues: Issue[] } | null>(null);

  useEffect(() => {
    if (!recipe) return;
    let live = true;
    client.call('pipeline:check-recipe', { recipe }).then(
      (r) => live && setResult({ recipe, ok: r.ok, issues: r.issues }),
      (err: unknown) => live && setResult({ recipe, ok: false, issues: [{ path: '(recipe)', message: `could not be checked: ${errorMessage(err)}` }] }),
    );
    return () => {
      live = false;
    };
  }, [recipe]);

  return {
    valid: result && result.recipe === recipe ? result.ok : null,
    issues: result?.issues ?? [],
  };
}

/** The issues at or under `prefix` ("steps.3"). */
export function issuesUnder(issues: readonly Issue[], prefix: string): Issue[] {
  return issues.filter((i) => i.path === prefix || i.path.startsWith(`${prefix}.`));
}
