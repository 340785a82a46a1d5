import type { MixturePlanSchema } from '../../../../main/api/pipeline-schemas';
import type { Recipe } from '../../../../main/services/pipeline/recipe';
import { formatInt } from '../../format';
import { AllocationEditor } from './allocation-editor';
import { GroupShareChart } from './group-share-chart';
import { LanguagePlanTable } from './language-plan-table';
import * as edit from './recipe-edit';
import { StageEditor } from './stage-editor';
import { issuesUnder, type Issue } from './use-recipe-check';

interface MixturePlannerProps {
  recipe: Recipe;
  plan: MixturePlanSchema | null;
  /** The plan is for an older draft (a preview is on its way). */
  stale: boolean;
  issues: readonly Issue[];
  onChange: (recipe: Recipe) => void;
}

function Warnings({ warnings }: { warnings: readonly string[] }) {
  if (warnings.length === 0) return null;
  return (
    <ul className="warnings-list" aria-label="Plan warnings">
      {warnings.map((w) => (
        <li key={w}>{w}</li>
      ))}
    </ul>
  );
}

/** The mixture: per stage, groups' target and planned shares and each language's tokens and epochs, with the knobs that shape them. */
export function MixturePlanner({ recipe, plan, stale, issues, onChange }: MixturePlannerProps) {
  const mixture = recipe.mixture;
  return (
    <section className="card" aria-labelledby="mixture-title" aria-busy={stale}>
      <div className="card-header">
        <h2 id="mixture-title">Mixture plan</h2>
        <AllocationEditor
          allocation={mixture.allocation}
          issues={issuesUnder(issues, 'mixture.allocation')}
          onChange={(allocation) => onChange(edit.setMixture(recipe, { allocation }))}
        />
      </div>
      <p className="muted small">
        Planned over the whole corpus, with each language’s available tokens scaled by what the preview kept.
        {plan ? null : ' The plan appears with the preview.'}
      </p>
      {plan ? <Warnings warnings={plan.warnings} /> : null}
      <div className={stale ? 'stale' : undefined}>
        {mixture.stages.map((stage, i) => {
          const planned = plan?.stages[i];
          return (
            <section key={`${i}-${stage.name}`} className="stage" aria-labelledby={`stage-${i}-title`}>
              <div className="stage-header">
                <h3 id={`stage-${i}-title`}>{stage.name}</h3>
                {planned ? (
                  <span className="muted small">
                    {formatInt(planned.budget)} tokens{planned.budgetAuto ? ' (automatic budget)' : ''}
                  </span>
                ) : null}
              </div>
              <StageEditor
                stage={stage}
                groups={mixture.groups}
                planned={planned}
                issues={issuesUnder(issues, `mixture.stages.${i}`)}
                onChange={(s) => onChange(edit.setStage(recipe, i, s))}
                onProportions={(p) => onChange(edit.setStageProportions(recipe, i, p))}
              />
              {planned ? (
                <>
                  <Warnings warnings={planned.warnings} />
                  <div className="stage-plan">
                    <GroupShareChart groups={planned.groups} stageName={stage.name} />
                    <LanguagePlanTable stage={planned} />
                  </div>
                </>
              ) : null}
            </section>
          );
        })}
      </div>
    </section>
  );
}
