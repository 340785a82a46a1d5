/**
 * Pure edits of a recipe draft: each returns a new recipe and leaves the old
 * one untouched, so React sees the change and the preview can compare drafts.
 */
import { Step, type Recipe, type StepKind } from '../../../../main/services/pipeline/recipe';

type Params = Record<string, unknown>;
type Override = Record<string, unknown>;

function withSteps(recipe: Recipe, steps: Recipe['steps']): Recipe {
  return { ...recipe, steps };
}

function mapStep(recipe: Recipe, index: number, f: (s: Recipe['steps'][number]) => Recipe['steps'][number]): Recipe {
  return withSteps(
    recipe,
    recipe.steps.map((s, i) => (i === index ? f(s) : s)),
  );
}

export function moveStep(recipe: Recipe, index: number, by: -1 | 1): Recipe {
  const to = index + by;
  if (to < 0 || to >= recipe.steps.length) return recipe;
  const steps = [...recipe.steps];
  const [moved] = steps.splice(index, 1);
  if (moved) steps.splice(to, 0, moved);
  return withSteps(recipe, steps);
}

export function removeStep(recipe: Recipe, index: number): Recipe {
  return withSteps(
    recipe,
    recipe.steps.filter((_, i) => i !== index),
  );
}

/** A new step with its schema's defaults, appended at the end. */
export function addStep(recipe: Recipe, kind: StepKind): Recipe {
  return withSteps(recipe, [...recipe.steps, Step.parse({ kind })]);
}

export function setStepEnabled(recipe: Recipe, index: number, enabled: boolean): Recipe {
  return mapStep(recipe, index, (s) => ({ ...s, enabled }));
}

// The step union's params differ per kind; these edits are generic over the
// keys the form offers, and the recipe is re-checked against the schema after
// every edit, so a cast through Params is safe here.
export function setParam(recipe: Recipe, index: number, key: string, value: unknown): Recipe {
  return mapStep(recipe, index, (s) => ({ ...s, params: { ...(s.params as Params), [key]: value } }) as typeof s);
}

function overridesOf(s: Recipe['steps'][number]): Record<string, Override> {
  return s.overrides as Record<string, Override>;
}

function setOverrides(s: Recipe['steps'][number], overrides: Record<string, Override>): Recipe['steps'][number] {
  return { ...s, overrides } as typeof s;
}

export function addOverride(recipe: Recipe, index: number, lang: string): Recipe {
  return mapStep(recipe, index, (s) => (overridesOf(s)[lang] ? s : setOverrides(s, { ...overridesOf(s), [lang]: {} })));
}

export function removeOverride(recipe: Recipe, index: number, lang: string): Recipe {
  return mapStep(recipe, index, (s) => {
    const { [lang]: _gone, ...rest } = overridesOf(s);
    return setOverrides(s, rest);
  });
}

export function setOverrideParam(recipe: Recipe, index: number, lang: string, key: string, value: unknown): Recipe {
  return mapStep(recipe, index, (s) => {
    const all = overridesOf(s);
    return setOverrides(s, { ...all, [lang]: { ...(all[lang] ?? {}), [key]: value } });
  });
}

export function removeOverrideParam(recipe: Recipe, index: number, lang: string, key: string): Recipe {
  return mapStep(recipe, index, (s) => {
    const all = overridesOf(s);
    const { [key]: _gone, ...rest } = all[lang] ?? {};
    return setOverrides(s, { ...all, [lang]: rest });
  });
}

type Mixture = Recipe['mixture'];
type Stage = Mixture['stages'][number];

export function setMixture(recipe: Recipe, mixture: Partial<Mixture>): Recipe {
  return { ...recipe, mixture: { ...recipe.mixture, ...mixture } };
}

export function setStage(recipe: Recipe, index: number, stage: Partial<Stage>): Recipe {
  return setMixture(recipe, { stages: recipe.mixture.stages.map((s, i) => (i === index ? { ...s, ...stage } : s)) });
}

/** Fixed proportions on (starting from `initial`) or off (every group at its natural share). */
export function setStageProportions(recipe: Recipe, index: number, proportions: Record<string, number> | undefined): Recipe {
  return setMixture(recipe, {
    stages: recipe.mixture.stages.map((s, i) => {
      if (i !== index) return s;
      const { proportions: _old, ...rest } = s;
      return proportions ? { ...rest, proportions } : rest;
    }),
  });
}
