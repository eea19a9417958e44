import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS_TICK, categoryAxisWidth, ChartFigure, formatPercent, TOOLTIP_STYLE } from './ChartFigure.tsx';
import { SERIES_COLORS } from './palette.ts';

export interface ClassScores {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Number of true examples of the class. */
  support?: number;
}

const ROW_HEIGHT = 44;

/** Precision, recall and F1 per class as horizontal bars (one row per class, so long names fit on a phone). */
export function PerClassBars({
  scores,
  protocol,
  title = 'Per-class precision, recall and F1',
}: {
  scores: readonly ClassScores[];
  protocol: string;
  title?: string;
}) {
  const macroF1 = scores.length ? scores.reduce((a, s) => a + s.f1, 0) / scores.length : 0;
  const best = [...scores].sort((a, b) => b.f1 - a.f1)[0];
  const worst = [...scores].sort((a, b) => a.f1 - b.f1)[0];
  const description =
    `Macro-F1 ${formatPercent(macroF1)}` +
    (best && worst ? `; best F1 ${best.label} ${formatPercent(best.f1)}, worst ${worst.label} ${formatPercent(worst.f1)}` : '') +
    `. Protocol: ${protocol}.`;
  return (
    <ChartFigure title={title} description={description}>
      <BarChart
        responsive
        layout="vertical"
        style={{ width: '100%', height: scores.length * ROW_HEIGHT + 70 }}
        data={scores.map((s) => ({ ...s }))}
        margin={{ top: 5, right: 12, bottom: 5, left: 0 }}
        barGap={1}
        title={title}
      >
        <CartesianGrid horizontal={false} />
        <XAxis type="number" domain={[0, 1]} tick={AXIS_TICK} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
        <YAxis type="category" dataKey="label" tick={AXIS_TICK} width={categoryAxisWidth(scores.map((s) => s.label))} interval={0} />
        <Tooltip {...TOOLTIP_STYLE} cursor={{ fillOpacity: 0.08 }} formatter={(v) => (typeof v === 'number' ? formatPercent(v) : String(v))} />
        <Legend itemSorter={null} />
        <Bar name="precision" dataKey="precision" fill={SERIES_COLORS.precision} isAnimationActive={false} />
        <Bar name="recall" dataKey="recall" fill={SERIES_COLORS.recall} isAnimationActive={false} />
        <Bar name="F1" dataKey="f1" fill={SERIES_COLORS.f1} isAnimationActive={false} />
      </BarChart>
    </ChartFigure>
  );
}
