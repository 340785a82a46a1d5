import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LanguageStats } from '../../../../main/api/schemas';
import { formatCompact, formatInt } from '../../format';
import { shortName } from '../../languages';

const ROW_HEIGHT = 46;

interface Datum {
  label: string;
  characters: number;
  tokens: number;
  tokensEstimated: boolean;
}

function labelOf(l: LanguageStats): string {
  return l.name && l.name !== l.code ? `${shortName(l.name)} (${l.code})` : l.code;
}

/** Grouped horizontal bars, one group per language: long names stay readable and the list can grow. */
export function LanguageChart({ languages }: { languages: readonly LanguageStats[] }) {
  const data: Datum[] = languages.map((l) => ({
    label: labelOf(l),
    characters: l.characters,
    tokens: l.tokens,
    tokensEstimated: l.tokensEstimated,
  }));
  const height = Math.max(160, data.length * ROW_HEIGHT + 70);
  return (
    <figure className="language-chart" aria-label="Characters and tokens per language" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 8 }} barGap={2}>
          <CartesianGrid horizontal={false} stroke="#e3e6ea" />
          <XAxis type="number" tickFormatter={(v: number) => formatCompact(v)} stroke="#6b7280" fontSize={12} />
          <YAxis type="category" dataKey="label" width={190} stroke="#6b7280" fontSize={12} interval={0} />
          <Tooltip
            formatter={(value, name, item) => {
              const n = typeof value === 'number' ? formatInt(value) : String(value);
              const estimated = name === 'Tokens' && (item.payload as Datum).tokensEstimated;
              return [estimated ? `≈ ${n}` : n, name];
            }}
          />
          <Legend verticalAlign="top" height={28} iconType="square" />
          <Bar dataKey="characters" name="Characters" fill="#2f6f9f" radius={[0, 3, 3, 0]} isAnimationActive={false} />
          <Bar dataKey="tokens" name="Tokens" fill="#e0913a" radius={[0, 3, 3, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
