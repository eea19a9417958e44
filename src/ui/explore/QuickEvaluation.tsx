import { useEffect, useRef, useState } from 'react';
import type { FeatureDataset } from '../../core/data/dataset.ts';
import { EvaluationCharts } from './EvaluationCharts.tsx';
import { readEvaluations, type EvaluationView } from './evaluationView.ts';
import { QUICK_EVALUATION, runQuickEvaluation } from './quickEvaluationClient.ts';

type State =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'error'; message: string }
  | { status: 'ready'; views: Array<{ name: string; view: EvaluationView }>; backend: string };

const QUICK_DESCRIPTION = `k-NN on standardized features, ${QUICK_EVALUATION.testFraction * 100}% hold-out`;

/**
 * For a dataset that comes without a model evaluation: says so, and offers a quick one (a k-NN model trained on a
 * group-aware stratified hold-out, in a worker) to fill the confusion matrix and per-class charts.
 */
export function QuickEvaluation({ dataset }: { dataset: FeatureDataset }) {
  const [state, setState] = useState<State>({ status: 'idle' });
  const abort = useRef<AbortController | null>(null);

  useEffect(() => {
    setState({ status: 'idle' });
    return () => abort.current?.abort();
  }, [dataset]);

  async function run() {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setState({ status: 'running' });
    try {
      const result = await runQuickEvaluation(dataset, controller.signal);
      setState({ status: 'ready', views: readEvaluations(result.evaluation, []), backend: result.backend });
    } catch (error) {
      if (!controller.signal.aborted) setState({ status: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }

  if (state.status === 'ready') {
    return (
      <>
        {state.views.map(({ name, view }) => (
          <div key={name}>
            {state.views.length > 1 && <h5>{name}</h5>}
            <EvaluationCharts
              view={view}
              source={`Quick evaluation: ${QUICK_DESCRIPTION}, backend ${state.backend}`}
              level={state.views.length > 1 ? name : undefined}
            />
          </div>
        ))}
      </>
    );
  }
  return (
    <div>
      <p>
        No model evaluation comes with this dataset ({dataset.rows.length} rows): the charts below describe the data only. A quick evaluation
        trains a {QUICK_DESCRIPTION} model (songs never straddle train and test) to show a confusion matrix and per-class scores; train a full
        model in the Train view for better numbers.
      </p>
      <div className="row">
        <button type="button" onClick={() => void run()} disabled={state.status === 'running'}>
          Run a quick evaluation
        </button>
        {state.status === 'running' && (
          <>
            <span role="status">Evaluating…</span>
            <button
              type="button"
              onClick={() => {
                abort.current?.abort();
                setState({ status: 'idle' });
              }}
            >
              Cancel
            </button>
          </>
        )}
      </div>
      {state.status === 'error' && (
        <p role="alert" className="error-text">
          The quick evaluation failed: {state.message}
        </p>
      )}
    </div>
  );
}
