import { useId } from 'react';
import type { StepReport } from '../../../../main/api/pipeline-schemas';
import { formatInt } from '../../format';
import { StepExamples } from './step-examples';
import { StepLanguageTable } from './step-language-table';
import { stepLabel } from './step-labels';

/** Columns of the step table, for the detail row that spans them. */
const COLUMNS = 7;

function topReasons(reasons: Record<string, number>, n = 3): Array<[string, number]> {
  return Object.entries(reasons)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n);
}

interface StepReportRowProps {
  step: StepReport;
  expanded: boolean;
  onExpand: (expanded: boolean) => void;
}

/** One step's figures, and on demand its languages, its step-specific counts and its examples. */
export function StepReportRow({ step, expanded, onExpand }: StepReportRowProps) {
  const name = stepLabel(step.kind);
  const detailId = useId();
  const t = step.totals;
  const reasons = topReasons(step.reasons);
  const more = Object.keys(step.reasons).length - reasons.length;
  const counts = Object.entries(step.counts);
  return (
    <tbody className={`step-report${step.enabled ? '' : ' step-disabled'}`} data-step-kind={step.kind}>
      <tr>
        <th scope="row">
          {/* The flex box sits inside the cell: a flex <th> stops being a table cell and loses its borders. */}
          <div className="step-report-name">
            <button type="button" className="disclosure" aria-expanded={expanded} aria-controls={detailId} aria-label={`Details of ${name}`} onClick={() => onExpand(!expanded)}>
              <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
            </button>
            <span>
              <span className="muted">{step.index + 1}.</span> {name} {!step.enabled ? <span className="badge">off</span> : null}
              <span className="muted small step-scope"> {step.scope}</span>
              {step.note ? <span className="step-note">{step.note}</span> : null}
            </span>
          </div>
        </th>
        <td className="num" data-field="input">{formatInt(t.input)}</td>
        <td className="num" data-field="removed">{formatInt(t.removed)}</td>
        <td className="num" data-field="removedChars">{formatInt(t.removedChars)}</td>
        <td className="num" data-field="changed">{formatInt(t.changed)}</td>
        <td className="num" data-field="flagged">{formatInt(t.flagged)}</td>
        <td className="reasons">
          {reasons.map(([code, n]) => (
            <span key={code} className="reason">
              <code>{code}</code> {formatInt(n)}
            </span>
          ))}
          {more > 0 ? <span className="muted small">+{more} more</span> : null}
        </td>
      </tr>
      {expanded ? (
        <tr className="step-detail-row">
          <td colSpan={COLUMNS} id={detailId}>
            <div className="step-detail">
              <div>
                <h4>Per language</h4>
                <StepLanguageTable languages={step.languages} stepName={name} />
                {counts.length > 0 ? (
                  <p className="small">
                    {counts.map(([k, v]) => (
                      <span key={k} className="reason">
                        {k} {formatInt(v)}
                      </span>
                    ))}
                  </p>
                ) : null}
                {Object.keys(step.reasons).length > reasons.length ? (
                  <p className="small">
                    All reasons:{' '}
                    {Object.entries(step.reasons).map(([code, n]) => (
                      <span key={code} className="reason">
                        <code>{code}</code> {formatInt(n)}
                      </span>
                    ))}
                  </p>
                ) : null}
              </div>
              <div>
                <h4>Examples</h4>
                <StepExamples examples={step.examples} stepName={name} />
              </div>
            </div>
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}
