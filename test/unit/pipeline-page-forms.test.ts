import { describe, expect, it } from 'vitest';
import { preset } from '../../main/services/pipeline/presets';
import { checkRecipe, STEP_KINDS } from '../../main/services/pipeline/recipe';
import { formatTuples, paramFields, parseStrings, parseTuples } from '../../renderer/src/pages/pipeline/param-fields';
import * as edit from '../../renderer/src/pages/pipeline/recipe-edit';

describe('the Pipeline page builds step forms from the recipe schema', () => {
  it('reads numbers with their bounds, nullable checks, lists and enums', () => {
    const fields = new Map(paramFields('gopher-quality').map((f) => [f.key, f]));
    expect(fields.get('minDocWords')).toMatchObject({ type: 'number', int: true, min: 0, nullable: true, fallback: 50 });
    expect(fields.get('maxSymbolWordRatio')).toMatchObject({ type: 'number', int: false, min: 0, max: 1, nullable: true });
    expect(fields.get('stopWords')).toMatchObject({ type: 'strings', nullable: true, fallback: [] });
    expect(paramFields('identify').find((f) => f.key === 'action')).toMatchObject({ type: 'enum', options: ['flag', 'drop'] });
    expect(paramFields('gopher-repetition').find((f) => f.key === 'topNGrams')).toMatchObject({ type: 'tuples', nullable: false });
    expect(paramFields('exact-dedup')).toEqual([]);
  });

  it('knows every parameter of every step kind', () => {
    for (const kind of STEP_KINDS) for (const f of paramFields(kind)) expect(f.type, `${kind}.${f.key}`).not.toBe('other');
  });

  it('writes n-gram thresholds as n:ratio text and reads them back', () => {
    expect(formatTuples([[2, 0.2], [3, 0.18]])).toBe('2:0.2, 3:0.18');
    expect(parseTuples(' 2:0.2,3 : 0.18 ,')).toEqual([[2, 0.2], [3, 0.18]]);
    expect(parseTuples('2:')).toBeNull();
    expect(parseTuples('two:0.2')).toBeNull();
    expect(parseStrings('the, and ,, of')).toEqual(['the', 'and', 'of']);
  });
});

describe('the Pipeline page edits a draft without touching the original', () => {
  it('reorders, adds, removes and tunes steps into a recipe that still validates', () => {
    const original = preset('minimal');
    const frozen = JSON.stringify(original);
    let r = edit.addStep(original, 'gopher-quality');
    r = edit.moveStep(r, 2, -1);
    r = edit.setParam(r, 1, 'minDocWords', 5);
    r = edit.addOverride(r, 1, 'swh_Latn');
    r = edit.setOverrideParam(r, 1, 'swh_Latn', 'minStopWords', null);
    expect(r.steps.map((s) => s.kind)).toEqual(['normalise', 'gopher-quality', 'exact-dedup']);
    expect(r.steps[1]!.params).toMatchObject({ minDocWords: 5 });
    expect(r.steps[1]!.overrides).toEqual({ swh_Latn: { minStopWords: null } });
    expect(checkRecipe(r).ok).toBe(true);
    expect(JSON.stringify(original)).toBe(frozen);

    r = edit.removeOverrideParam(r, 1, 'swh_Latn', 'minStopWords');
    expect(r.steps[1]!.overrides).toEqual({ swh_Latn: {} });
    r = edit.removeOverride(edit.removeStep(r, 0), 0, 'swh_Latn');
    expect(r.steps.map((s) => s.kind)).toEqual(['gopher-quality', 'exact-dedup']);
    expect(r.steps[0]!.overrides).toEqual({});
  });

  it('a moved step at an end stays where it is', () => {
    const r = preset('minimal');
    expect(edit.moveStep(r, 0, -1)).toBe(r);
    expect(edit.moveStep(r, r.steps.length - 1, 1)).toBe(r);
  });

  it('switches a stage between fixed proportions and natural shares', () => {
    const r = preset('fineweb2');
    const natural = edit.setStageProportions(r, 0, undefined);
    expect('proportions' in natural.mixture.stages[0]!).toBe(false);
    const fixed = edit.setStageProportions(natural, 0, { text: 1, parallel: 1 });
    expect(fixed.mixture.stages[0]!.proportions).toEqual({ text: 1, parallel: 1 });
    expect(checkRecipe(edit.setStage(fixed, 0, { tokenBudget: 1000 })).ok).toBe(true);
    expect(checkRecipe(edit.setStageProportions(r, 0, { text: 0, parallel: 0 })).ok).toBe(false);
  });
});
