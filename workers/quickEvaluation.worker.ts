/**
 * A quick model evaluation for Explore's datasets that come without one: a thin comlink adapter over
 * src/core/models/evaluate.ts (group-aware, stratified hold-out), off the UI thread. Rows travel packed in one
 * transferred Float64Array (n × featureNames.length).
 */
import { expose } from 'comlink';
import { selectBackend } from '../src/core/backend/select.ts';
import { evaluateModel, type EvaluationResult } from '../src/core/models/evaluate.ts';

export interface QuickEvaluationRequest {
  kind: string;
  testFraction: number;
  seed: number;
  featureNames: string[];
  /** One entry per row, in the order of `features`. */
  rows: Array<{ file: string; group: string; label: string }>;
  features: Float64Array;
  /** Folder of tfjs-backend-wasm's binaries on this origin. */
  wasmPath: string;
}

export interface QuickEvaluationResult {
  evaluation: EvaluationResult;
  backend: string;
  backendReason: string;
}

const quickEvaluationApi = {
  async evaluate(request: QuickEvaluationRequest): Promise<QuickEvaluationResult> {
    const backend = await selectBackend({ workload: 'dense', wasmPath: request.wasmPath });
    const width = request.featureNames.length;
    const rows = request.rows.map((row, i) => ({ ...row, features: request.features.subarray(i * width, (i + 1) * width) }));
    const evaluation = await evaluateModel(
      { featureNames: request.featureNames, rows },
      { kind: request.kind, scheme: { kind: 'holdout', testFraction: request.testFraction }, seed: request.seed },
    );
    return { evaluation, backend: backend.backend, backendReason: backend.reason };
  },
};

export type QuickEvaluationApi = typeof quickEvaluationApi;

expose(quickEvaluationApi);
