import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS_TICK, ChartFigure, TOOLTIP_STYLE } from './ChartFigure.tsx';
import { SERIES_COLORS } from './palette.ts';

export interface EpochPoint {
  epoch: number;
  loss: number;
  acc: number;
  valLoss?: number;
  valAcc?: number;
}

const CHART_HEIGHT = 220;

/**
 * Loss and accuracy per epoch, training vs validation. Redraws without animation, so it can be fed a growing
 * history while training runs.
 */
export function TrainingCurves({ history }: { history: readonly EpochPoint[] }) {
  const hasValidation = history.some((h) => h.valLoss !== undefined || h.valAcc !== undefined);
  const last = history[history.length - 1];
  const summary = last
    ? `Epoch ${last.epoch}: training loss ${last.loss.toFixed(3)}, accuracy ${(last.acc * 100).toFixed(1)}%` +
      (last.valLoss !== undefined ? `; validation loss ${last.valLoss.toFixed(3)}` : '') +
      (last.valAcc !== undefined ? `, accuracy ${(last.valAcc * 100).toFixed(1)}%` : '') +
      '.'
    : 'No epoch finished yet.';
  const data = history.map((h) => ({ ...h }));
  return (
    <div className="muzo-chart-pair">
      <ChartFigure title="Loss per epoch" description={`Training${hasValidation ? ' and validation' : ''} loss. ${summary}`}>
        <LineChart responsive style={{ width: '100%', height: CHART_HEIGHT }} data={data} margin={{ top: 5, right: 12, bottom: 5, left: 0 }} title="Loss per epoch">
          <CartesianGrid />
          <XAxis dataKey="epoch" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={AXIS_TICK} />
          <YAxis tick={AXIS_TICK} width={44} domain={[0, 'auto']} tickFormatter={(v: number) => v.toFixed(2)} />
          <Tooltip {...TOOLTIP_STYLE} formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} labelFormatter={(e) => `Epoch ${e}`} />
          <Legend itemSorter={null} />
          <Line name="training" dataKey="loss" stroke={SERIES_COLORS.train} dot={false} isAnimationActive={false} strokeWidth={2} />
          {hasValidation && (
            <Line name="validation" dataKey="valLoss" stroke={SERIES_COLORS.validation} dot={false} isAnimationActive={false} strokeWidth={2} strokeDasharray="5 3" />
          )}
        </LineChart>
      </ChartFigure>
      <ChartFigure title="Accuracy per epoch" description={`Training${hasValidation ? ' and validation' : ''} accuracy. ${summary}`}>
        <LineChart responsive style={{ width: '100%', height: CHART_HEIGHT }} data={data} margin={{ top: 5, right: 12, bottom: 5, left: 0 }} title="Accuracy per epoch">
          <CartesianGrid />
          <XAxis dataKey="epoch" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={AXIS_TICK} />
          <YAxis tick={AXIS_TICK} width={44} domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
          <Tooltip {...TOOLTIP_STYLE} formatter={(v) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : String(v))} labelFormatter={(e) => `Epoch ${e}`} />
          <Legend itemSorter={null} />
          <Line name="training" dataKey="acc" stroke={SERIES_COLORS.train} dot={false} isAnimationActive={false} strokeWidth={2} />
          {hasValidation && (
            <Line name="validation" dataKey="valAcc" stroke={SERIES_COLORS.validation} dot={false} isAnimationActive={false} strokeWidth={2} strokeDasharray="5 3" />
          )}
        </LineChart>
      </ChartFigure>
    </div>
  );
}
