import { Bar, BarChart, CartesianGrid, Cell, LabelList, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS_TICK, categoryAxisWidth, ChartFigure, TOOLTIP_STYLE } from './ChartFigure.tsx';
import { classColor } from './palette.ts';

const ROW_HEIGHT = 24;

/** Number of examples per class, one horizontal bar per class in the class's colour. */
export function ClassCounts({
  counts,
  unit = 'rows',
  title = 'Class counts',
}: {
  /** In the order that assigns class colours (the same order as the other charts' labels). */
  counts: ReadonlyArray<{ label: string; count: number }>;
  unit?: string;
  title?: string;
}) {
  const total = counts.reduce((a, c) => a + c.count, 0);
  const max = Math.max(0, ...counts.map((c) => c.count));
  const min = Math.min(...counts.map((c) => c.count));
  const description =
    `${total} ${unit} in ${counts.length} classes` +
    (counts.length ? (max === min ? `, ${max} each.` : `, from ${min} to ${max} per class.`) : '.');
  return (
    <ChartFigure title={title} description={description}>
      <BarChart
        responsive
        layout="vertical"
        style={{ width: '100%', height: counts.length * ROW_HEIGHT + 40 }}
        data={counts.map((c) => ({ ...c }))}
        margin={{ top: 5, right: 36, bottom: 5, left: 0 }}
        title={title}
      >
        <CartesianGrid horizontal={false} />
        <XAxis type="number" allowDecimals={false} tick={AXIS_TICK} />
        <YAxis type="category" dataKey="label" tick={AXIS_TICK} width={categoryAxisWidth(counts.map((s) => s.label))} interval={0} />
        <Tooltip {...TOOLTIP_STYLE} cursor={{ fillOpacity: 0.08 }} />
        <Bar name={unit} dataKey="count" isAnimationActive={false}>
          {counts.map((c, i) => (
            <Cell key={c.label} fill={classColor(i)} />
          ))}
          <LabelList dataKey="count" position="right" fill="currentColor" fontSize={12} />
        </Bar>
      </BarChart>
    </ChartFigure>
  );
}
