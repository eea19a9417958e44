/**
 * What the training worker does, as plain async functions (so Node tests run them too): evaluate a model kind with
 * the group-aware protocol, train it on all rows, return its ModelBundle (for IndexedDB and .zip export); load a
 * bundle and predict songs. Rows travel packed in one Float64Array (n × featureNames.length).
 */
import type { AudioAugmentationSettings } from '../src/core/audio/augment.ts';
import { selectBackend, type BackendChoice } from '../src/core/backend/select.ts';
import type { ArtistGrouping } from '../src/core/data/splits.ts';
import type { ModelBundle } from '../src/core/models/bundle.ts';
import { evaluateModel, type EvaluationResult, type EvaluationScheme } from '../src/core/models/evaluate.ts';
import { disposeModel, modelFromBundle, modelToBundle, predictionsOf, predictProbabilities, trainModel, type MuzoModel, type RowPrediction } from '../src/core/models/model.ts';
import { getModelKind } from '../src/core/models/registry.ts';
import type { EpochProgress } from '../src/core/models/train.ts';
import type { ModelKind, StepProgress, TrainOptions } from '../src/core/models/types.ts';

export interface TrainingRequest {
  kind: string;
  seed: number;
  featureNames: string[];
  /**
   * One entry per row (segment), in the order of `features`; `group` = song, or artist when grouping by artist;
   * `augmented`: a row of an augmented copy of its song (trained on, never tested).
   */
  rows: Array<{ file: string; group: string; label: string; song?: string; augmented?: boolean }>;
  /** Packed rows: Float64Array for features, Float32Array for log-mel patches (half the memory). */
  features: Float64Array | Float32Array;
  /** Evaluate first (k-fold or hold-out) or skip evaluation (null). */
  evaluation: { scheme: EvaluationScheme; grouping?: 'song' | 'artist'; artists?: ArtistGrouping } | null;
  /** How the augmented rows were made, for the protocol. */
  audioAugmentation?: AudioAugmentationSettings;
  /** Training-loop overrides (epochs, mixupAlpha, balanceClasses...). */
  fit?: TrainOptions['fit'];
  name: string;
  featureSetVersion: string;
  segmentSeconds: number | null;
  /** Folder of tfjs-backend-wasm's binaries on this origin. */
  wasmPath: string;
}

/**
 * Sent as each part (an evaluation fold, then the final model) starts without `epoch` or `step`, then once per
 * epoch, or per step of a kind that trains without epochs.
 */
export type TrainingProgress =
  | { stage: 'evaluating'; fold: number; folds: number; epoch?: EpochProgress & { part?: string }; step?: StepProgress }
  | { stage: 'training'; epoch?: EpochProgress & { part?: string }; step?: StepProgress };

export interface TrainingResult {
  bundle: ModelBundle;
  evaluation: EvaluationResult | null;
  backend: BackendChoice;
}

/** Rows of named features, or (input 'logmel') whole log-mel patches of equal size, one per row. */
function unpack(request: Pick<TrainingRequest, 'featureNames' | 'rows' | 'features'>, input: ModelKind['input']) {
  const width = input === 'logmel' ? request.features.length / Math.max(1, request.rows.length) : request.featureNames.length;
  if (!Number.isInteger(width) || request.features.length !== request.rows.length * width) {
    throw new Error(input === 'logmel' ? 'the log-mel patches do not split evenly into the rows' : 'features do not match rows × featureNames');
  }
  return {
    featureNames: request.featureNames,
    rows: request.rows.map((row, i) => ({ ...row, features: request.features.subarray(i * width, (i + 1) * width) })),
  };
}

/** Evaluates (optionally), then trains on every row; an abort rejects with an AbortError and keeps nothing. */
export async function trainAndEvaluate(
  request: TrainingRequest,
  onProgress: (progress: TrainingProgress) => void,
  signal?: AbortSignal,
): Promise<TrainingResult> {
  const kind = getModelKind(request.kind);
  const backend = await selectBackend({ workload: kind.workload, wasmPath: request.wasmPath });
  const data = unpack(request, kind.input);
  let evaluation: EvaluationResult | null = null;
  if (request.evaluation) {
    evaluation = await evaluateModel(data, {
      kind: request.kind,
      scheme: request.evaluation.scheme,
      grouping: request.evaluation.grouping,
      ...(request.evaluation.artists ? { artists: request.evaluation.artists } : {}),
      ...(request.audioAugmentation ? { audioAugmentation: request.audioAugmentation } : {}),
      seed: request.seed,
      songs: request.rows.map((r) => r.song ?? r.group),
      train: { fit: request.fit },
      signal,
      onProgress: (p) => onProgress({ stage: 'evaluating', ...p }),
    });
  }
  onProgress({ stage: 'training' });
  const { model, history, details } = await trainModel(data, request.kind, {
    seed: request.seed,
    fit: request.fit,
    refitOnAll: true,
    signal,
    onEpoch: (epoch) => onProgress({ stage: 'training', epoch }),
    onStep: (step) => onProgress({ stage: 'training', step }),
  });
  try {
    const bundle = await modelToBundle(model, {
      name: request.name,
      featureSetVersion: request.featureSetVersion,
      segmentSeconds: request.segmentSeconds,
      backend: backend.backend,
      ...(evaluation ? { evaluation: { ...evaluation } } : {}),
      history: { epochs: history, details },
    });
    return { bundle, evaluation, backend };
  } finally {
    disposeModel(model);
  }
}

/** A loaded model that predicts songs: each song's probabilities are the mean of its segments'. */
export class Predictor {
  private constructor(private readonly model: MuzoModel) {}

  static async load(bundle: ModelBundle, wasmPath: string): Promise<Predictor> {
    await selectBackend({ workload: 'dense', wasmPath });
    return new Predictor(await modelFromBundle(bundle));
  }

  get labels(): string[] {
    return this.model.labels;
  }

  /**
   * `features` packs every segment of every song (n × featureNames.length); `segmentsPerSong` says how many
   * consecutive rows belong to each song. Returns the song predictions and, per song, its segments' predictions.
   */
  async predictSongs(features: Float64Array, segmentsPerSong: number[]): Promise<Array<{ song: RowPrediction; segments: RowPrediction[] }>> {
    const width = this.model.featureNames.length;
    const rows = Array.from({ length: features.length / width }, (_, i) => features.subarray(i * width, (i + 1) * width));
    if (segmentsPerSong.reduce((a, b) => a + b, 0) !== rows.length) throw new Error('segmentsPerSong does not add up to the rows');
    const probabilities = await predictProbabilities(this.model, rows);
    const segments = predictionsOf(this.model, probabilities);
    const out: Array<{ song: RowPrediction; segments: RowPrediction[] }> = [];
    let start = 0;
    for (const count of segmentsPerSong) {
      const mean = (m: number[][]) => [m[start].map((_, c) => m.slice(start, start + count).reduce((s, r) => s + r[c], 0) / count)];
      const song = predictionsOf(this.model, {
        top: mean(probabilities.top),
        paths: probabilities.paths ? mean(probabilities.paths) : null,
      })[0];
      out.push({ song, segments: segments.slice(start, start + count) });
      start += count;
    }
    return out;
  }

  dispose(): void {
    disposeModel(this.model);
  }
}
