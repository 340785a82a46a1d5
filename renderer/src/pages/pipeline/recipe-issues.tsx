import type { Issue } from './use-recipe-check';

/** The recipe check's verdict, each problem with the path of its field. */
export function RecipeIssues({ issues, valid }: { issues: readonly Issue[]; valid: boolean | null }) {
  return (
    <section className="recipe-issues" aria-labelledby="issues-title" aria-live="polite">
      <h3 id="issues-title">Problems</h3>
      {valid === null && issues.length === 0 ? <p className="muted small">Checking…</p> : null}
      {valid === true ? <p className="ok small">None: the recipe is valid.</p> : null}
      {valid !== true && issues.length > 0 ? (
        <ul className="issue-list" aria-label="Recipe problems">
          {issues.map((i) => (
            <li key={i.path + i.message}>
              <code>{i.path}</code>
              <span>{i.message}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
