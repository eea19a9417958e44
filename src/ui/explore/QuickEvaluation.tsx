import type { FeatureDataset } from '../../core/data/dataset.ts';

/** Shown for a dataset that comes without a model evaluation. */
export function QuickEvaluation({ dataset }: { dataset: FeatureDataset }) {
  return (
    <p>
      No model evaluation comes with this dataset ({dataset.rows.length} rows): the charts below describe the data only. Train a model on it in
      the Train view to see its confusion matrix and per-class scores.
    </p>
  );
}
