import { ConfusionMatrix } from '../charts/ConfusionMatrix.tsx';
import { formatPercent } from '../charts/ChartFigure.tsx';
import { PerClassBars } from '../charts/PerClassBars.tsx';
import type { EvaluationView } from './evaluationView.ts';

/** A model evaluation: headline metrics with their protocol, the confusion matrix and per-class scores. */
export function EvaluationCharts({ view, source, level }: { view: EvaluationView; source: string; level?: string }) {
  const suffix = level ? ` (${level})` : '';
  return (
    <div className="explore-evaluation">
      <p className="explore-metrics">
        <span>
          Accuracy{view.folds ? ' (pooled out-of-fold)' : ''} <strong>{view.accuracy !== null ? formatPercent(view.accuracy) : 'n/a'}</strong>
        </span>
        {view.folds && (
          <span>
            Mean over {view.folds.count} folds <strong>{formatPercent(view.folds.meanAccuracy)}</strong> ± {formatPercent(view.folds.stdAccuracy)}
          </span>
        )}
        <span>
          Macro-F1 <strong>{view.macroF1 !== null ? formatPercent(view.macroF1) : 'n/a'}</strong>
        </span>
        <span className="muted">
          {source}; protocol: {view.protocol}
        </span>
      </p>
      <div className="grid-2">
        <ConfusionMatrix labels={view.labels} matrix={view.confusion} protocol={view.protocol} title={`Confusion matrix${suffix}`} />
        <PerClassBars scores={view.perClass} protocol={view.protocol} title={`Per-class precision, recall and F1${suffix}`} />
      </div>
    </div>
  );
}
