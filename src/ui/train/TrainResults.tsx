import type { EvaluationResult } from '../../core/models/evaluate.ts';
import { ConfusionMatrix } from '../charts/ConfusionMatrix.tsx';
import { PerClassBars } from '../charts/PerClassBars.tsx';
import { formatPercent } from '../common/format.ts';

function plusMinus(mean: number, std: number): string {
  return `${formatPercent(mean)} ± ${formatPercent(std)}`;
}

/** The evaluation of a trained model: every number with the protocol that produced it. */
export function TrainResults({ evaluation }: { evaluation: EvaluationResult }) {
  const protocol = evaluation.description;
  const top = evaluation.top;
  const folds = top.summary.folds;
  const rows: [string, string][] = [
    ['Accuracy', formatPercent(top.pooled.accuracy)],
    ['Macro-F1', formatPercent(top.pooled.macroF1)],
    ['Top-2 accuracy', formatPercent(top.pooled.top2Accuracy)],
    ['ROC-AUC (macro, one-vs-rest)', top.pooled.rocAucMacro === null ? '—' : top.pooled.rocAucMacro.toFixed(3)],
    ['Training accuracy', formatPercent(evaluation.trainAccuracy)],
    ['Train − test gap', formatPercent(evaluation.gap)],
  ];
  if (folds > 1) {
    rows.push(['Accuracy per fold', plusMinus(top.summary.accuracy.mean, top.summary.accuracy.std)]);
    rows.push(['Macro-F1 per fold', plusMinus(top.summary.macroF1.mean, top.summary.macroF1.std)]);
  }
  if (evaluation.paths) rows.push(['Genre/subgenre accuracy', formatPercent(evaluation.paths.pooled.accuracy)]);
  return (
    <section className="card" aria-label="Results">
      <h3>Results</h3>
      <p>
        {evaluation.songs} songs, {evaluation.rows} rows
        {evaluation.augmentedRows > 0 ? ` (and ${evaluation.augmentedRows} rows of augmented copies, trained on only)` : ''}, model kind{' '}
        {evaluation.kind}. Protocol: <strong>{protocol}</strong>.
      </p>
      <div className="table-wrap">
        <table className="metrics-table">
          <caption className="visually-hidden">Evaluation metrics</caption>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Value</th>
              <th scope="col">Protocol</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([name, value]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>{value}</td>
                <td className="muted">{protocol}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="grid-2">
        <ConfusionMatrix labels={top.labels} matrix={top.pooled.confusion} protocol={protocol} />
        <PerClassBars scores={top.pooled.perClass} protocol={protocol} />
      </div>
    </section>
  );
}
