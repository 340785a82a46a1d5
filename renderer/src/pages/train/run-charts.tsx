import { useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCompact } from '../../format';
import { languageLabel } from '../../languages';
import { useCorpus } from '../corpus/corpus-context';
import type { EvalPoint, StepPoint } from './use-job-metrics';

/** At most this many points per line: a long run's chart stays fast to draw. */
const MAX_POINTS = 1200;
const COLORS = ['#2563eb', '#d97706', '#059669', '#dc2626', '#7c3aed', '#0891b2', '#be185d', '#4d7c0f', '#9333ea', '#ea580c', '#0f766e', '#6b7280'];

function thin<T>(rows: readonly T[]): T[] {
  if (rows.length <= MAX_POINTS) return [...rows];
  const stride = Math.ceil(rows.length / MAX_POINTS);
  // Every stride-th point, and always the last (the number the run is at now).
  return rows.filter((_, i) => i % stride === 0 || i === rows.length - 1);
}

function StepChart({ title, data, dataKey, format, color, log }: { title: string; data: StepPoint[]; dataKey: keyof StepPoint; format: (v: number) => string; color: string; log?: boolean }) {
  const last = data.at(-1)?.[dataKey];
  return (
    <figure className="train-chart" aria-label={title}>
      <figcaption>
        {title}
        {typeof last === 'number' ? <span className="muted tabular"> · now {format(last)}</span> : null}
      </figcaption>
      <ResponsiveContainer width="100%" height={190}>
        <LineChart data={data} margin={{ top: 6, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#e3e6ea" />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} stroke="#6b7280" fontSize={11} allowDecimals={false} />
          <YAxis stroke="#6b7280" fontSize={11} width={58} tickFormatter={format} domain={['auto', 'auto']} scale={log ? 'log' : 'auto'} />
          <Tooltip formatter={(v) => [format(Number(v)), title]} labelFormatter={(s) => `step ${String(s)}`} />
          <Line type="linear" dataKey={dataKey} stroke={color} dot={false} strokeWidth={1.6} isAnimationActive={false} connectNulls />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Held-out loss (or bits per character) per language; the base model's value (the evaluation at step 0) dashed. */
function HeldOutChart({ evals }: { evals: readonly EvalPoint[] }) {
  const [measure, setMeasure] = useState<'loss' | 'bpc'>('bpc');
  const { languages } = useCorpus();
  const label = (code: string) => languageLabel(code, languages);
  const { rows, langs, base } = useMemo(() => {
    const byStep = new Map<number, Record<string, number>>();
    const langSet = new Set<string>();
    const baseValues = new Map<string, number>();
    for (const e of evals) {
      langSet.add(e.lang);
      const row = byStep.get(e.step) ?? { step: e.step };
      row[e.lang] = e[measure];
      byStep.set(e.step, row);
      if (e.step === 0) baseValues.set(e.lang, e[measure]);
    }
    return { rows: [...byStep.values()].sort((a, b) => a.step! - b.step!), langs: [...langSet].sort(), base: baseValues };
  }, [evals, measure]);
  const title = measure === 'bpc' ? 'Held-out bits per character, per language' : 'Held-out loss (nats per token), per language';
  return (
    <figure className="train-chart wide" aria-label="Held-out evaluation per language">
      <figcaption className="chart-head">
        <span>{title}</span>
        <span className="toggle-group" role="group" aria-label="Measure">
          <button type="button" aria-pressed={measure === 'bpc'} onClick={() => setMeasure('bpc')}>
            bits/char
          </button>
          <button type="button" aria-pressed={measure === 'loss'} onClick={() => setMeasure('loss')}>
            loss
          </button>
        </span>
      </figcaption>
      {rows.length ? (
        <ResponsiveContainer width="100%" height={260}>
          <LineChart data={rows} margin={{ top: 6, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#e3e6ea" />
            <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} stroke="#6b7280" fontSize={11} allowDecimals={false} />
            <YAxis stroke="#6b7280" fontSize={11} width={48} domain={['auto', 'auto']} tickFormatter={(v: number) => v.toFixed(2)} />
            <Tooltip formatter={(v, name) => [Number(v).toFixed(3), label(String(name))]} labelFormatter={(s) => `step ${String(s)}`} />
            <Legend formatter={(v: string) => label(v)} wrapperStyle={{ fontSize: 12 }} />
            {langs.map((lang, i) => (
              <Line key={lang} type="monotone" dataKey={lang} stroke={COLORS[i % COLORS.length]} strokeWidth={1.6} dot={{ r: 2 }} isAnimationActive={false} connectNulls />
            ))}
            {langs.map((lang, i) =>
              base.has(lang) ? <ReferenceLine key={`base-${lang}`} y={base.get(lang)} stroke={COLORS[i % COLORS.length]} strokeDasharray="5 4" strokeOpacity={0.7} ifOverflow="extendDomain" /> : null,
            )}
          </LineChart>
        </ResponsiveContainer>
      ) : (
        <p className="muted chart-empty">No evaluation yet: the base model is evaluated before the first step, then every eval interval.</p>
      )}
      {base.size ? <p className="muted small">Dashed: the base model (step 0).</p> : null}
    </figure>
  );
}

export function RunCharts({ steps, evals }: { steps: readonly StepPoint[]; evals: readonly EvalPoint[] }) {
  const data = useMemo(() => thin(steps), [steps]);
  if (!steps.length && !evals.length) return <p className="muted">No steps yet: the charts start with the first optimizer step.</p>;
  return (
    <div className="train-charts">
      <StepChart title="Training loss" data={data} dataKey="loss" format={(v) => v.toFixed(3)} color="#2563eb" />
      <StepChart title="Learning rate" data={data} dataKey="lr" format={(v) => v.toExponential(1)} color="#7c3aed" />
      <StepChart title="Tokens per second" data={data} dataKey="tokens_per_s" format={(v) => formatCompact(v)} color="#059669" />
      <HeldOutChart evals={evals} />
    </div>
  );
}
