import { useId, useState } from 'react';
import { ChartFigure, formatPercent } from './ChartFigure.tsx';
import { heatIntensities, rowNormalize } from './confusionData.ts';

const HEAT_COLOR = '#2563eb';
/** Above this intensity, cell text switches to white to stay readable on the dark fill. */
const STRONG_INTENSITY = 0.55;

/**
 * Confusion-matrix heatmap as an HTML table (rows: true class, columns: predicted class), with a toggle between
 * raw counts and row-normalized shares. A table keeps every cell readable by screen readers.
 */
export function ConfusionMatrix({
  labels,
  matrix,
  protocol,
  title = 'Confusion matrix',
}: {
  labels: readonly string[];
  /** matrix[trueIndex][predictedIndex] = count. */
  matrix: readonly (readonly number[])[];
  /** How these predictions were obtained (shown next to the chart). */
  protocol: string;
  title?: string;
}) {
  const [mode, setMode] = useState<'counts' | 'normalized'>('counts');
  const name = useId();
  const normalized = rowNormalize(matrix);
  const shown = mode === 'counts' ? matrix : normalized;
  const intensity = heatIntensities(shown);
  const total = matrix.flat().reduce((a, b) => a + b, 0);
  const correct = matrix.reduce((a, row, i) => a + (row[i] ?? 0), 0);

  const controls = (
    <fieldset className="muzo-toggle">
      <legend>Show</legend>
      <label>
        <input type="radio" name={name} checked={mode === 'counts'} onChange={() => setMode('counts')} /> Counts
      </label>
      <label>
        <input type="radio" name={name} checked={mode === 'normalized'} onChange={() => setMode('normalized')} />{' '}
        Row-normalized
      </label>
    </fieldset>
  );

  return (
    <ChartFigure
      title={title}
      description={`Rows are the true class, columns the predicted class; ${correct} of ${total} on the diagonal (correct). Protocol: ${protocol}.`}
      controls={controls}
    >
      <div className="muzo-confusion-scroll" tabIndex={0} role="region" aria-label={`${title} (scrollable)`}>
        <table className="muzo-confusion">
          <thead>
            <tr>
              <th scope="col" className="axis-name">
                true ↓ predicted →
              </th>
              {labels.map((l) => (
                <th key={l} scope="col">
                  {l}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((trueLabel, i) => (
              <tr key={trueLabel}>
                <th scope="row">{trueLabel}</th>
                {labels.map((predLabel, j) => {
                  const count = matrix[i]?.[j] ?? 0;
                  const share = normalized[i]?.[j] ?? 0;
                  const heat = intensity[i]?.[j] ?? 0;
                  const classes = [i === j ? 'diagonal' : '', heat > STRONG_INTENSITY ? 'strong' : '', count === 0 ? 'zero' : ''].join(' ').trim();
                  return (
                    <td
                      key={predLabel}
                      className={classes || undefined}
                      style={{ background: `color-mix(in srgb, ${HEAT_COLOR} ${Math.round(heat * 100)}%, transparent)` }}
                      title={`true ${trueLabel}, predicted ${predLabel}: ${count} (${formatPercent(share)} of ${trueLabel})`}
                    >
                      {mode === 'counts' ? count : Math.round(share * 100)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {mode === 'normalized' && <p className="muzo-chart-desc">Cells show the percentage of each true class.</p>}
    </ChartFigure>
  );
}
