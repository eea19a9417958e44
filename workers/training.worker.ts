/**
 * The training worker: a thin comlink adapter over workers/training.ts. One training job at a time; `cancel()`
 * aborts it (the job rejects with an AbortError, and any model saved before stays untouched).
 */
import { expose, type ProxyOrClone } from 'comlink';
import type { ModelBundle } from '../src/core/models/bundle.ts';
import { Predictor, trainAndEvaluate, type TrainingProgress, type TrainingRequest, type TrainingResult } from './training.ts';

let job: AbortController | null = null;
let predictor: Predictor | null = null;

const trainingApi = {
  async train(request: TrainingRequest, onProgress: ProxyOrClone<(p: TrainingProgress) => void>): Promise<TrainingResult> {
    job?.abort();
    const controller = new AbortController();
    job = controller;
    try {
      return await trainAndEvaluate(request, (p) => void (onProgress as (p: TrainingProgress) => void)(p), controller.signal);
    } finally {
      if (job === controller) job = null;
    }
  },
  cancel(): void {
    job?.abort();
  },
  async load(bundle: ModelBundle, wasmPath: string): Promise<string[]> {
    const next = await Predictor.load(bundle, wasmPath);
    predictor?.dispose();
    predictor = next;
    return next.labels;
  },
  async predictSongs(features: Float64Array, segmentsPerSong: number[]) {
    if (!predictor) throw new Error('no model loaded');
    return predictor.predictSongs(features, segmentsPerSong);
  },
};

export type TrainingApi = typeof trainingApi;

expose(trainingApi);
