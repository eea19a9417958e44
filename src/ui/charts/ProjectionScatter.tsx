import { CartesianGrid, Legend, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis, type TooltipContentProps } from 'recharts';
import { AXIS_TICK, ChartFigure, TOOLTIP_STYLE } from './ChartFigure.tsx';
import { classColor } from './palette.ts';

export interface ProjectedPoint {
  x: number;
  y: number;
  label: string;
  file: string;
}

const CHART_HEIGHT = 340;

function PointTooltip({ active, payload }: TooltipContentProps) {
  const point = active ? (payload?.[0]?.payload as ProjectedPoint | undefined) : undefined;
  if (!point) return null;
  return (
    <div style={{ ...TOOLTIP_STYLE.contentStyle, padding: '0.35rem 0.5rem' }}>
      <div style={{ fontWeight: 600 }}>{point.file}</div>
      <div>{point.label}</div>
    </div>
  );
}

/**
 * A 2-D projection (PCA, LDA) of a dataset, one colour per class. Hovering a point names its file; when
 * `onPointClick` is given (the audio is at hand), clicking a point calls it, e.g. to play the file.
 */
export function ProjectionScatter({
  title,
  description,
  points,
  labels,
  xLabel,
  yLabel,
  onPointClick,
}: {
  title: string;
  description: string;
  points: readonly ProjectedPoint[];
  /** Class order, which assigns the colours (the same as the other charts). */
  labels: readonly string[];
  xLabel: string;
  yLabel: string;
  onPointClick?: (point: ProjectedPoint) => void;
}) {
  const byClass = labels.map((label) => points.filter((p) => p.label === label));
  return (
    <ChartFigure
      title={title}
      description={`${description} ${points.length} points in ${labels.length} classes.${onPointClick ? ' Click a point to play its file.' : ''}`}
    >
      <ScatterChart
        responsive
        style={{ width: '100%', height: CHART_HEIGHT, cursor: onPointClick ? 'pointer' : undefined }}
        margin={{ top: 5, right: 12, bottom: 18, left: 0 }}
        title={title}
      >
        <CartesianGrid />
        <XAxis
          type="number"
          dataKey="x"
          name={xLabel}
          tick={AXIS_TICK}
          tickFormatter={(v: number) => v.toFixed(1)}
          label={{ value: xLabel, position: 'insideBottom', offset: -12, fontSize: 12 }}
          domain={['auto', 'auto']}
        />
        <YAxis
          type="number"
          dataKey="y"
          name={yLabel}
          tick={AXIS_TICK}
          width={44}
          tickFormatter={(v: number) => v.toFixed(1)}
          label={{ value: yLabel, angle: -90, position: 'insideLeft', offset: 10, fontSize: 12 }}
          domain={['auto', 'auto']}
        />
        <ZAxis range={[28, 28]} />
        <Tooltip content={PointTooltip} cursor={false} />
        <Legend verticalAlign="top" itemSorter={null} />
        {labels.map((label, i) => (
          <Scatter
            key={label}
            name={label}
            data={byClass[i]}
            fill={classColor(i)}
            fillOpacity={0.8}
            isAnimationActive={false}
            onClick={onPointClick ? (item) => onPointClick(item.payload as ProjectedPoint) : undefined}
          />
        ))}
      </ScatterChart>
    </ChartFigure>
  );
}
