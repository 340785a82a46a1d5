import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MixturePlanSchema } from '../../../../main/api/pipeline-schemas';
import { formatInt } from '../../format';

type PlannedGroup = MixturePlanSchema['stages'][number]['groups'][number];

const ROW_HEIGHT = 40;

interface Datum {
  label: string;
  target: number;
  planned: number;
  plannedTokens: number;
  availableTokens: number;
}

/** Each group's target share beside the share the plan could give it. */
export function GroupShareChart({ groups, stageName }: { groups: readonly PlannedGroup[]; stageName: string }) {
  const data: Datum[] = groups.map((g) => ({
    label: g.label,
    target: Math.round(g.targetShare * 1000) / 10,
    planned: Math.round(g.plannedShare * 1000) / 10,
    plannedTokens: g.plannedTokens,
    availableTokens: g.availableTokens,
  }));
  const height = Math.max(140, data.length * ROW_HEIGHT + 64);
  return (
    <figure className="plan-chart" aria-label={`${stageName}: target and planned share per group`} style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 20, bottom: 4, left: 8 }} barGap={2}>
          <CartesianGrid horizontal={false} stroke="#e3e6ea" />
          <XAxis type="number" unit="%" stroke="#6b7280" fontSize={12} domain={[0, (max: number) => Math.max(10, Math.ceil(max / 10) * 10)]} />
          <YAxis type="category" dataKey="label" width={150} stroke="#6b7280" fontSize={12} interval={0} />
          <Tooltip
            formatter={(value, name, item) => {
              const d = item.payload as Datum;
              const pct = `${String(value)}%`;
              return name === 'Planned' ? [`${pct} · ${formatInt(d.plannedTokens)} of ${formatInt(d.availableTokens)} tokens`, name] : [pct, name];
            }}
          />
          <Legend verticalAlign="top" height={26} iconType="square" />
          <Bar dataKey="target" name="Target" fill="#9bb7cf" radius={[0, 3, 3, 0]} isAnimationActive={false} />
          <Bar dataKey="planned" name="Planned" fill="#1f5f8b" radius={[0, 3, 3, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
