import { useId, useState } from 'react';
import type { MixturePlanSchema } from '../../../../main/api/pipeline-schemas';
import { formatCompact, formatDecimal, formatInt } from '../../format';
import { languageLabel } from '../../languages';
import { useCorpus } from '../corpus/corpus-context';

type PlannedStage = MixturePlanSchema['stages'][number];

/** Rows drawn at first: all pair directions of a large corpus would be thousands. */
const FIRST_ROWS = 40;

/** "eng_Latn-swh_Latn": a translation direction, not a language. */
function isPair(lang: string): boolean {
  return lang.includes('-');
}

function epochs(n: number): string {
  return n >= 0.01 || n === 0 ? `${formatDecimal(n)}×` : '< 0.01×';
}

/** Planned tokens per language, as bars, with the passes over its data; languages held at maxEpochs stand out. */
export function LanguagePlanTable({ stage }: { stage: PlannedStage }) {
  const { languages } = useCorpus();
  const [group, setGroup] = useState('');
  const [all, setAll] = useState(false);
  const filterId = useId();
  const order = new Map(stage.groups.map((g, i) => [g.id, i]));
  const labels = new Map(stage.groups.map((g) => [g.id, g.label]));
  const rows = stage.languages
    .filter((l) => !group || l.group === group)
    // Languages before pair directions (there are many more of those), then by group and planned tokens.
    .sort(
      (a, b) =>
        Number(isPair(a.lang)) - Number(isPair(b.lang)) ||
        (order.get(a.group) ?? 0) - (order.get(b.group) ?? 0) ||
        b.plannedTokens - a.plannedTokens,
    );
  const shown = all ? rows : rows.slice(0, FIRST_ROWS);
  const max = Math.max(1, ...rows.map((l) => l.plannedTokens));
  const capped = stage.languages.filter((l) => l.capped).length;
  const groupsWithLanguages = stage.groups.filter((g) => stage.languages.some((l) => l.group === g.id));

  return (
    <div className="language-plan">
      <div className="inline-row">
        <span className="field-inline">
          <label htmlFor={filterId}>Group</label>
          <select
            id={filterId}
            value={group}
            onChange={(e) => {
              setGroup(e.target.value);
              setAll(false);
            }}
          >
            <option value="">All groups</option>
            {groupsWithLanguages.map((g) => (
              <option key={g.id} value={g.id}>
                {g.label}
              </option>
            ))}
          </select>
        </span>
        {capped > 0 ? (
          <span className="badge badge-warn">
            {capped} capped at the epoch limit
          </span>
        ) : null}
      </div>
      <div className="table-scroll plan-table-scroll">
        <table className="data-table compact sticky-head" aria-label={`${stage.name}: planned tokens per language`}>
          <thead>
            <tr>
              <th scope="col">Language</th>
              <th scope="col">Group</th>
              <th scope="col">Planned tokens</th>
              <th scope="col" className="num">Epochs</th>
              <th scope="col" className="num">Available</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((l) => (
              <tr key={`${l.group}-${l.lang}`} className={l.capped ? 'capped' : undefined} data-lang={l.lang}>
                <th scope="row">
                  {isPair(l.lang) ? <code>{l.lang}</code> : languageLabel(l.lang, languages)}
                </th>
                <td className="muted small">{labels.get(l.group) ?? l.group}</td>
                <td className="bar-cell">
                  <span className="bar" style={{ width: `${(100 * l.plannedTokens) / max}%` }} aria-hidden="true" />
                  <span className="bar-value">{formatInt(l.plannedTokens)}</span>
                </td>
                <td className="num" title={`needs ${formatDecimal(l.neededEpochs)} epochs for its share`}>
                  {epochs(l.epochs)}
                  {l.capped ? <span className="badge badge-warn">capped</span> : null}
                </td>
                <td className="num">{formatCompact(l.availableTokens)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!all && rows.length > FIRST_ROWS ? (
        <button type="button" className="button" onClick={() => setAll(true)}>
          Show all {formatInt(rows.length)}
        </button>
      ) : null}
    </div>
  );
}
