import type { LanguageStats } from '../../../../main/api/schemas';
import { formatDecimal, formatInt } from '../../format';
import { shortName } from '../../languages';

function Estimated({ on }: { on: boolean }) {
  return on ? (
    <abbr className="estimated" title="Extrapolated from a tokenised sample">
      ≈
    </abbr>
  ) : null;
}

/** The exact figures beside the chart, with fertility (tokens per word) per language. */
export function LanguageTable({ languages }: { languages: readonly LanguageStats[] }) {
  return (
    <div className="table-scroll">
      <table className="data-table compact language-table" aria-label="Figures per language">
        <thead>
          <tr>
            <th scope="col">Language</th>
            <th scope="col" className="num">Documents</th>
            <th scope="col" className="num">Pairs</th>
            <th scope="col" className="num">Characters</th>
            <th scope="col" className="num">Tokens</th>
            <th scope="col" className="num">
              <abbr title="Tokens per word">Fertility</abbr>
            </th>
          </tr>
        </thead>
        <tbody>
          {languages.map((l) => (
            <tr key={l.code} data-lang={l.code}>
              <th scope="row">
                {l.name && l.name !== l.code ? shortName(l.name) : ''} <code>{l.code}</code>
              </th>
              <td className="num">
                {formatInt(l.documents)}
                {l.evalDocuments ? <span className="muted small"> ({formatInt(l.evalDocuments)} eval)</span> : null}
              </td>
              <td className="num">{formatInt(l.pairs)}</td>
              <td className="num">{formatInt(l.characters)}</td>
              <td className="num">
                <Estimated on={l.tokensEstimated} />
                {formatInt(l.tokens)}
              </td>
              <td className="num">
                {l.fertility === null ? (
                  <span className="muted">—</span>
                ) : (
                  <>
                    <Estimated on={l.tokensEstimated} />
                    {formatDecimal(l.fertility)}
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
