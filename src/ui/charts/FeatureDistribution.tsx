import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS_TICK, ChartFigure, formatPercent, TOOLTIP_STYLE } from './ChartFigure.tsx';
import { classColor } from './palette.ts';

export interface ClassHistogram {
  label: string;
  /** counts[b] = rows of this class whose value falls in bin b. */
  counts: readonly number[];
}

const CHART_HEIGHT = 280;

function compactNumber(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e4 || a < 1e-2)) return v.toExponential(1);
  return Number(v.toPrecision(3)).toString();
}

/**
 * One feature's distribution per class, as frequency polygons over shared bins. Each class's counts are divided
 * by the class's size, so classes of different sizes compare fairly.
 */
export function FeatureDistribution({
  featureName,
  edges,
  histograms,
}: {
  featureName: string;
  /** Bin edges, ascending: bins.length + 1 values shared by every class. */
  edges: readonly number[];
  /** In class-colour order. */
  histograms: readonly ClassHistogram[];
}) {
  const totals = histograms.map((h) => h.counts.reduce((a, b) => a + b, 0));
  const binCount = Math.max(0, edges.length - 1);
  const data = Array.from({ length: binCount }, (_, b) => ({
    center: (edges[b] + edges[b + 1]) / 2,
    shares: histograms.map((h, i) => (totals[i] > 0 ? (h.counts[b] ?? 0) / totals[i] : 0)),
  }));
  const title = `Distribution of ${featureName} per class`;
  return (
    <ChartFigure
      title={title}
      description={`Share of each class's rows in ${binCount} bins from ${compactNumber(edges[0] ?? 0)} to ${compactNumber(edges[binCount] ?? 0)}.`}
    >
      <LineChart responsive style={{ width: '100%', height: CHART_HEIGHT }} data={data} margin={{ top: 5, right: 12, bottom: 5, left: 0 }} title={title}>
        <CartesianGrid />
        <XAxis dataKey="center" type="number" domain={['dataMin', 'dataMax']} tick={AXIS_TICK} tickFormatter={compactNumber} />
        <YAxis tick={AXIS_TICK} width={44} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
        <Tooltip
          {...TOOLTIP_STYLE}
          labelFormatter={(v) => `${featureName} ≈ ${typeof v === 'number' ? compactNumber(v) : String(v)}`}
          formatter={(v) => (typeof v === 'number' ? formatPercent(v) : String(v))}
        />
        <Legend itemSorter={null} />
        {histograms.map((h, i) => (
          <Line
            key={h.label}
            name={h.label}
            dataKey={(d: (typeof data)[number]) => d.shares[i]}
            stroke={classColor(i)}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ChartFigure>
  );
}
