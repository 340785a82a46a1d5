import type { ImportSummary } from '../../../../main/api/schemas';
import { formatInt, plural } from '../../format';
import { LangLabel } from './lang-label';

const MAX_WARNINGS = 20;

export function Warnings({ warnings }: { warnings: readonly string[] }) {
  if (warnings.length === 0) return null;
  return (
    <details className="warnings" open={warnings.length <= 5}>
      <summary>{plural(warnings.length, 'warning')}</summary>
      <ul>
        {warnings.slice(0, MAX_WARNINGS).map((w, i) => (
          <li key={i}>{w}</li>
        ))}
        {warnings.length > MAX_WARNINGS ? <li className="muted">and {formatInt(warnings.length - MAX_WARNINGS)} more</li> : null}
      </ul>
    </details>
  );
}

/** What an import added, in one glance. */
export function ImportSummaryView({ summary }: { summary: ImportSummary }) {
  return (
    <div className="summary" role="status" aria-label="Import summary">
      <p className="summary-title">
        Imported <strong>{summary.name}</strong> ({summary.format}) in {summary.seconds.toFixed(1)} s.
      </p>
      <dl className="summary-figures">
        <div>
          <dt>Documents</dt>
          <dd data-testid="summary-documents">{formatInt(summary.documents)}</dd>
        </div>
        <div>
          <dt>Pairs</dt>
          <dd data-testid="summary-pairs">{formatInt(summary.pairs)}</dd>
        </div>
        <div>
          <dt>Skipped</dt>
          <dd data-testid="summary-skipped">{formatInt(summary.skipped)}</dd>
        </div>
        {summary.replacedBytes > 0 ? (
          <div>
            <dt>Bytes replaced</dt>
            <dd>{formatInt(summary.replacedBytes)}</dd>
          </div>
        ) : null}
        <div>
          <dt>Warnings</dt>
          <dd data-testid="summary-warnings">{formatInt(summary.warnings.length)}</dd>
        </div>
      </dl>
      {summary.languages.length > 0 ? (
        <p>
          Languages:{' '}
          {summary.languages.map((code, i) => (
            <span key={code}>
              {i > 0 ? ', ' : ''}
              <LangLabel code={code} />
            </span>
          ))}
        </p>
      ) : null}
      <Warnings warnings={summary.warnings} />
    </div>
  );
}
