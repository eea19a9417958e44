import { releaseProxy, transfer, wrap } from 'comlink';
import type { FeatureDataset } from '../../core/data/dataset.ts';
import type { QuickEvaluationApi, QuickEvaluationResult } from '../../../workers/quickEvaluation.worker.ts';
import { TFJS_WASM_PATH } from '../classify/activeModel.ts';

/** The model kind and protocol of Explore's quick evaluation: k-NN is the fastest kind to train (~1 s on GTZAN). */
export const QUICK_EVALUATION = { kind: 'knn', testFraction: 0.2, seed: 1 } as const;

/** Evaluates a quick model on a dataset in a dedicated worker, terminated afterwards or on abort. */
export async function runQuickEvaluation(dataset: FeatureDataset, signal?: AbortSignal): Promise<QuickEvaluationResult> {
  if (signal?.aborted) throw new DOMException('evaluation cancelled', 'AbortError');
  const worker = new Worker(new URL('../../../workers/quickEvaluation.worker.ts', import.meta.url), { type: 'module', name: 'quick-evaluation' });
  const api = wrap<QuickEvaluationApi>(worker);
  const aborted = new Promise<never>((_, reject) => {
    signal?.addEventListener('abort', () => reject(new DOMException('evaluation cancelled', 'AbortError')), { once: true });
  });
  try {
    const width = dataset.featureNames.length;
    const features = new Float64Array(dataset.rows.length * width);
    dataset.rows.forEach((row, i) => features.set(row.features, i * width));
    const request = {
      ...QUICK_EVALUATION,
      featureNames: dataset.featureNames,
      rows: dataset.rows.map(({ file, group, label }) => ({ file, group, label })),
      features,
      wasmPath: new URL(TFJS_WASM_PATH, location.href).href,
    };
    return await Promise.race([api.evaluate(transfer(request, [features.buffer])), aborted]);
  } finally {
    api[releaseProxy]();
    worker.terminate();
  }
}
