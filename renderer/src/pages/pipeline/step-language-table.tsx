import { useState } from 'react';
import type { StepLanguageCounts } from '../../../../main/api/pipeline-schemas';
import { formatInt } from '../../format';

/** Rows drawn at first; a corpus with hundreds of pair directions shows the rest on request. */
const FIRST_ROWS = 60;

/** The headings of a step's counts (StepLanguageCounts less the language), shared with the step table. */
export function StepCountHeadings() {
  return (
    <>
      <th scope="col" className="num">Input</th>
      <th scope="col" className="num">Removed</th>
      <th scope="col" className="num">Removed chars</th>
      <th scope="col" className="num">Changed</th>
      <th scope="col" className="num">Flagged</th>
    </>
  );
}

/** A step's counts per language (and per pair direction). */
export function StepLanguageTable({ languages, stepName }: { languages: readonly StepLanguageCounts[]; stepName: string }) {
  const [all, setAll] = useState(false);
  // The languages that lost most come first: that is where a threshold bites.
  const sorted = [...languages].sort((a, b) => b.removed - a.removed || b.flagged - a.flagged || a.lang.localeCompare(b.lang));
  const rows = all ? sorted : sorted.slice(0, FIRST_ROWS);
  return (
    <div className="table-scroll step-languages">
      <table className="data-table compact sticky-head" aria-label={`${stepName} per language`}>
        <thead>
          <tr>
            <th scope="col">Language</th>
            <StepCountHeadings />
          </tr>
        </thead>
        <tbody>
          {rows.map((l) => (
            <tr key={l.lang} data-lang={l.lang}>
              <th scope="row">
                <code>{l.lang}</code>
              </th>
              <td className="num">{formatInt(l.input)}</td>
              <td className="num">
                {formatInt(l.removed)}
                {l.input > 0 && l.removed > 0 ? <span className="muted small"> ({Math.round((100 * l.removed) / l.input)}%)</span> : null}
              </td>
              <td className="num">{formatInt(l.removedChars)}</td>
              <td className="num">{formatInt(l.changed)}</td>
              <td className="num">{formatInt(l.flagged)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!all && sorted.length > FIRST_ROWS ? (
        <button type="button" className="button" onClick={() => setAll(true)}>
          Show all {formatInt(sorted.length)}
        </button>
      ) : null}
    </div>
  );
}
