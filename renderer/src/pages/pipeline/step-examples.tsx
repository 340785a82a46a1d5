import type { LineageExample } from '../../../../main/api/pipeline-schemas';
import { langAttr } from '../../languages';

/** What a step removed, changed or flagged, with the reason in words. */
export function StepExamples({ examples, stepName }: { examples: readonly LineageExample[]; stepName: string }) {
  if (examples.length === 0) return <p className="hint">No examples: the step left every item in the sample as it was.</p>;
  return (
    <ul className="examples" aria-label={`Examples from ${stepName}`}>
      {examples.map((e) => (
        <li key={`${e.itemKind}-${e.id}-${e.code}`} className="example">
          <div className="example-meta">
            <span className={`badge action-${e.action}`}>{e.action}</span>
            <code>{e.lang}</code>
            <span className="muted small">
              {e.itemKind} #{e.id}
            </span>
          </div>
          <p className="example-reason">
            <strong>{e.message}</strong> <code className="muted">{e.code}</code>
          </p>
          <p className="example-excerpt" lang={e.lang.includes('-') ? undefined : langAttr(e.lang)} dir="auto">
            {e.excerpt}
          </p>
        </li>
      ))}
    </ul>
  );
}
