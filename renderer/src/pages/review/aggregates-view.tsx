import { Bar, BarChart, CartesianGrid, Cell, ErrorBar, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Aggregates, SystemAggregate } from '../../../../main/api/review-schemas';
import { ErrorMessage } from '../../components/error-message';
import { useCall } from '../../hooks/use-call';
import { categoryLabel } from './review-draft';

const COLORS = ['#2563eb', '#d97706', '#059669', '#7c3aed'];
const f1 = (x: number | null) => (x === null ? '—' : x.toFixed(1));

function ScoreChart({ rows, systems }: { rows: SystemAggregate[]; systems: string[] }) {
  const data = rows
    .filter((r) => r.meanScore !== null)
    .map((r) => ({
      label: rows.some((x) => x.direction !== r.direction) ? `${r.system} · ${r.direction}` : r.system,
      system: r.system,
      mean: r.meanScore,
      // Recharts draws [below, above] the bar's value; none under two scores.
      err: r.ci ? [r.meanScore! - r.ci.low, r.ci.high - r.meanScore!] : null,
      n: r.scored,
    }));
  if (!data.length) return <p className="muted">No scores yet: the chart appears with the first scored item.</p>;
  return (
    <figure className="review-chart" aria-label="Mean score per system with 95% intervals">
      <figcaption>Mean score (0–100) with its 95% interval</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#e3e6ea" vertical={false} />
          <XAxis dataKey="label" stroke="#6b7280" fontSize={11} interval={0} />
          <YAxis domain={[0, 100]} stroke="#6b7280" fontSize={11} width={36} />
          <Tooltip formatter={(v, _n, p) => [`${Number(v).toFixed(1)} (n = ${(p.payload as { n: number }).n})`, 'mean score']} />
          <Bar dataKey="mean" isAnimationActive={false} maxBarSize={64}>
            {data.map((d) => (
              <Cell key={d.label} fill={COLORS[Math.max(0, systems.indexOf(d.system)) % COLORS.length]} />
            ))}
            <ErrorBar dataKey="err" width={8} stroke="#1c2430" strokeWidth={1.5} direction="y" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

function Categories({ rows }: { rows: SystemAggregate[] }) {
  const cats = [...new Set(rows.flatMap((r) => Object.keys(r.categories)))].sort();
  if (!cats.length) return <p className="muted small">No errors marked yet.</p>;
  return (
    <div className="table-scroll">
      <table className="data-table compact" aria-label="Errors per category">
        <thead>
          <tr>
            <th scope="col">Category</th>
            {rows.map((r) => (
              <th scope="col" key={r.system} className="num">
                {r.system}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {cats.map((c) => (
            <tr key={c}>
              <th scope="row">{categoryLabel(c)}</th>
              {rows.map((r) => (
                <td key={r.system} className="num">
                  {r.categories[c] ?? 0}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Table({ a }: { a: Aggregates }) {
  return (
    <div className="table-scroll">
      <table className="data-table compact" aria-label="Scores per system and direction">
        <thead>
          <tr>
            <th scope="col">System</th>
            <th scope="col">Direction</th>
            <th scope="col" className="num">Scored</th>
            <th scope="col" className="num">Mean</th>
            <th scope="col" className="num">95% interval</th>
            <th scope="col" className="num" title="Severity-weighted errors per judged item: minor 1, major 5, critical 10">MQM-lite per item</th>
            <th scope="col" className="num">Minor · major · critical</th>
            <th scope="col" className="num">Post-edited</th>
            <th scope="col" className="num">Accepted</th>
          </tr>
        </thead>
        <tbody>
          {a.rows.map((r) => (
            <tr key={`${r.system}-${r.direction}`}>
              <th scope="row">{r.system}</th>
              <td>{r.direction === 'all' ? 'all directions' : r.direction.replace('-', ' → ')}</td>
              <td className="num">{r.scored}</td>
              <td className="num">{f1(r.meanScore)}</td>
              <td className="num">{r.ci ? `${f1(r.ci.low)} – ${f1(r.ci.high)}` : '—'}</td>
              <td className="num">{r.errorScore === null ? '—' : r.errorScore.toFixed(2)}</td>
              <td className="num">
                {r.errors.minor} · {r.errors.major} · {r.errors.critical}
              </td>
              <td className="num">{r.postEdited}</td>
              <td className="num">{r.accepted}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Per-system and per-direction results of one queue: the chart, the table, the error categories. */
export function AggregatesView({ queueId, systems, version }: { queueId: number; systems: string[]; version: number }) {
  const { data, error } = useCall('review:aggregates', { queueId }, [queueId, version]);
  if (error) return <ErrorMessage error={error} prefix="Could not compute the results:" />;
  if (!data) return <p className="muted">Loading…</p>;
  if (!data.rows.length) return <p className="empty">Nothing judged yet in this queue.</p>;
  const directions = new Set(data.rows.filter((r) => r.direction !== 'all').map((r) => r.direction));
  // With one direction the per-direction rows repeat the 'all' rows: show them once.
  const shown = directions.size > 1 ? data.rows : data.rows.filter((r) => r.direction !== 'all');
  const overall = data.rows.filter((r) => r.direction === 'all');
  return (
    <div className="aggregates">
      <ScoreChart rows={directions.size > 1 ? data.rows.filter((r) => r.direction !== 'all') : shown} systems={systems} />
      <Table a={{ ...data, rows: shown }} />
      {data.comparisons.map((c) => (
        <p key={`${c.direction}-${c.a}`} className="small">
          {c.direction}: <strong>{c.a}</strong> scored higher on {c.aWins} items, <strong>{c.b}</strong> on {c.bWins}, ties {c.ties}.
        </p>
      ))}
      <h3>Errors by category</h3>
      <Categories rows={overall} />
      <p className="muted small">{data.method}</p>
    </div>
  );
}
