import { useState } from 'react';
import type { StepReport } from '../../../../main/api/pipeline-schemas';
import { StepCountHeadings } from './step-language-table';
import { StepReportRow } from './step-report-row';

interface StepReportTableProps {
  steps: readonly StepReport[];
  label: string;
}

/** What each step did: the preview's table, and a dataset version's. */
export function StepReportTable({ steps, label }: StepReportTableProps) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  if (steps.length === 0) return <p className="empty">No steps ran.</p>;
  return (
    <div className="table-scroll">
      <table className="data-table step-report-table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <StepCountHeadings />
            <th scope="col">Top reasons</th>
          </tr>
        </thead>
        {steps.map((s) => (
          <StepReportRow
            key={`${s.index}-${s.kind}`}
            step={s}
            expanded={expanded.has(s.kind)}
            onExpand={(open) =>
              setExpanded((prev) => {
                const next = new Set(prev);
                if (open) next.add(s.kind);
                else next.delete(s.kind);
                return next;
              })
            }
          />
        ))}
      </table>
    </div>
  );
}
