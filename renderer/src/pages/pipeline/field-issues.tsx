import type { Issue } from './use-recipe-check';

/** The recipe check's problems with one field or fieldset, announced as they appear; nothing when there is none. */
export function FieldIssues({ issues, id }: { issues: readonly Issue[]; id?: string }) {
  if (issues.length === 0) return null;
  return (
    <p id={id} className="field-error" role="alert">
      {issues.map((i) => (
        <span key={i.path + i.message}>
          <code>{i.path}</code>: {i.message}
        </span>
      ))}
    </p>
  );
}
