import { useEffect, useMemo, useState } from 'react';
import type { Recipe } from '../../../../main/services/pipeline/recipe';
import { ErrorMessage } from '../../components/error-message';
import { useCall } from '../../hooks/use-call';
import { CorpusProvider, useCorpus } from '../corpus/corpus-context';
import { DatasetsSection } from './datasets-section';
import { MixturePlanner } from './mixture-planner';
import { OtherRuns } from './other-runs';
import { PreviewPanel } from './preview-panel';
import { RecipeEditor } from './recipe-editor';
import { listingKey, type RecipeListing } from './recipe-picker';
import { RunPanel } from './run-panel';
import { usePreview, type SampleSpec } from './use-preview';
import { useRecipeCheck } from './use-recipe-check';
import './pipeline.css';

/** JSON with object keys sorted: two drafts with the same values compare equal whatever order their edits left the keys in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The recipe a page opens with: the marco preset, else whatever comes first. */
function initialListing(listings: readonly RecipeListing[]): RecipeListing | undefined {
  return listings.find((l) => l.kind === 'preset' && l.name === 'marco') ?? listings[0];
}

function PipelineView() {
  const { version: corpusVersion } = useCorpus();
  const [recipesVersion, setRecipesVersion] = useState(0);
  const recipes = useCall('pipeline:recipes', {}, [recipesVersion]);
  const [chosenKey, setChosenKey] = useState<string | null>(null);
  const [draft, setDraft] = useState<Recipe | null>(null);
  const [sample, setSample] = useState<SampleSpec>({ size: 200, mode: 'first' });

  const listings = recipes.data ?? [];
  const chosen = listings.find((l) => listingKey(l) === chosenKey) ?? null;

  function choose(listing: RecipeListing) {
    setChosenKey(listingKey(listing));
    setDraft(structuredClone(listing.recipe));
  }

  useEffect(() => {
    if (chosenKey !== null || !recipes.data) return;
    const first = initialListing(recipes.data);
    if (first) choose(first);
  }, [recipes.data, chosenKey]);

  const modified = useMemo(() => (draft && chosen ? canonical(draft) !== canonical(chosen.recipe) : false), [draft, chosen]);
  const check = useRecipeCheck(draft);
  const preview = usePreview(draft, sample, check.valid === true, corpusVersion);

  return (
    <div className="pipeline-page">
      <header className="page-header">
        <div>
          <h1>Pipeline</h1>
          <p className="muted">Clean, filter, deduplicate and mix the corpus into a dataset version, previewing every change on a sample.</p>
        </div>
      </header>
      <OtherRuns />
      <ErrorMessage error={recipes.error} prefix="Could not list the recipes:" />
      {!draft && recipes.loading ? <p className="muted">Loading the recipes…</p> : null}
      {draft ? (
        <>
          <RecipeEditor
            listings={listings}
            chosen={chosen}
            recipe={draft}
            modified={modified}
            check={check}
            onChoose={choose}
            onChange={setDraft}
            onSaved={(listing) => {
              setRecipesVersion((v) => v + 1);
              setChosenKey(listingKey(listing));
              setDraft(structuredClone(listing.recipe));
            }}
            onDeleted={() => {
              setRecipesVersion((v) => v + 1);
              setChosenKey(null);
            }}
          />
          <PreviewPanel preview={preview} sample={sample} onSample={setSample} valid={check.valid} />
          <MixturePlanner recipe={draft} plan={preview.result?.plan ?? null} stale={!preview.current} issues={check.issues} onChange={setDraft} />
          <RunPanel recipe={draft} valid={check.valid} />
        </>
      ) : null}
      <DatasetsSection />
    </div>
  );
}

export function PipelinePage() {
  return (
    <CorpusProvider>
      <PipelineView />
    </CorpusProvider>
  );
}
