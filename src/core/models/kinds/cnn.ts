/**
 * A small convolutional network on log-mel patches (src/core/features logMelPatches: 128 mel bands x frames, in dB,
 * flattened frame-major). Trains on any backend: the training loop computes Conv2D gradients itself where the
 * backend lacks them (wasm; see cnnConv.ts), and the backend selector's 'conv' workload says so. Input normalization (one global mean and standard deviation, fit on
 * the training rows) is stored in preprocessing.
 */
import * as tf from '@tensorflow/tfjs';
import { N_MELS } from '../../features/analysis.ts';
import { layersModelFromFiles, layersModelToFiles } from '../layers-io.ts';
import { DEFAULT_FIT_OPTIONS, fitModel, layerSeed, type FitData, type FitOptions } from '../train.ts';
import type { Classifier, ModelKind, SavedPart, TrainingSet, TrainOptions, TrainOutcome } from '../types.ts';
import { innerValidation, predictLayers } from './dense.ts';

/** The featureNames of a CNN's data and bundle: its rows are whole log-mel patches, not named features. */
export const LOGMEL_FEATURE_NAMES: readonly string[] = ['logmel'];

interface PatchNormalization {
  kind: 'global';
  mean: number;
  std: number;
  nFrames: number;
  nMels: number;
}

function fitNormalization(rows: ArrayLike<number>[], nMels: number): PatchNormalization {
  let sum = 0;
  let sumSq = 0;
  let count = 0;
  for (const r of rows) {
    for (let i = 0; i < r.length; i++) {
      sum += r[i];
      sumSq += r[i] * r[i];
    }
    count += r.length;
  }
  const mean = sum / count;
  const std = Math.sqrt(Math.max(sumSq / count - mean * mean, 0));
  return { kind: 'global', mean, std: std > 1e-9 ? std : 1, nFrames: rows[0].length / nMels, nMels };
}

function normalize(p: PatchNormalization, rows: ArrayLike<number>[]): Float32Array {
  const width = p.nFrames * p.nMels;
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => {
    if (r.length !== width) throw new Error(`expected log-mel patches of ${p.nFrames} x ${p.nMels}, got ${r.length} values`);
    for (let j = 0; j < width; j++) out[i * width + j] = (r[j] - p.mean) / p.std;
  });
  return out;
}

function buildCnn(nFrames: number, nMels: number, numClasses: number, seed: number): tf.LayersModel {
  const init = (i: number) => tf.initializers.heNormal({ seed: layerSeed(seed, i) });
  return tf.sequential({
    layers: [
      tf.layers.reshape({ targetShape: [nFrames, nMels, 1], inputShape: [nFrames * nMels] }),
      // Halve time and frequency resolution first (3 s: 130 x 128 -> 65 x 64): a quarter of the convolution work.
      tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(0) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dropout({ rate: 0.3 }),
      tf.layers.dense({ units: numClasses, kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(seed, 3) }) }),
      tf.layers.activation({ activation: 'softmax' }),
    ],
  });
}

class CnnClassifier implements Classifier {
  readonly kind = 'cnn';
  constructor(
    readonly labels: string[],
    readonly normalization: PatchNormalization,
    readonly model: tf.LayersModel,
  ) {}

  predictProba(rows: ArrayLike<number>[]): Promise<number[][]> {
    return predictLayers(this.model, normalize(this.normalization, rows), this.normalization.nFrames * this.normalization.nMels);
  }

  async save(prefix: string): Promise<SavedPart> {
    return {
      kind: this.kind,
      labels: this.labels,
      preprocessing: { normalization: this.normalization },
      files: await layersModelToFiles(this.model, prefix),
    };
  }

  dispose(): void {
    this.model.dispose();
  }
}

function isNormalization(value: unknown): value is PatchNormalization {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return p.kind === 'global' && Number.isFinite(p.mean) && Number.isFinite(p.std) && Number.isInteger(p.nFrames) && Number.isInteger(p.nMels);
}

export const cnnKind: ModelKind = {
  kind: 'cnn',
  description: 'convolutional network on log-mel patches',
  workload: 'conv',
  trainsInEpochs: true,
  standalone: true,
  input: 'logmel',
  async train(set: TrainingSet, options: TrainOptions): Promise<TrainOutcome> {
    const split = innerValidation(set, options.validationFraction ?? 0.15, options.seed + 1);
    const normalization = fitNormalization(split.train.map((i) => set.rows[i]), N_MELS);
    if (!Number.isInteger(normalization.nFrames)) throw new Error(`log-mel rows must hold ${N_MELS} bands per frame`);
    const fitOptions: FitOptions = {
      ...DEFAULT_FIT_OPTIONS,
      // Each epoch costs seconds on 2 cores: a higher rate than the dense models' and a short patience (the inner
      // validation loss of a 12-song music/speech run was still falling after 60 epochs at 1e-3).
      batchSize: 32,
      epochs: 40,
      learningRate: 3e-3,
      patience: 8,
      lrPatience: 4,
      labelSmoothing: 0.05,
      ...options.fit,
      seed: options.seed,
      onEpoch: options.onEpoch,
      signal: options.signal,
    };
    const fitDataWith = (norm: PatchNormalization, indices: number[]): FitData => ({
      x: normalize(norm, indices.map((i) => set.rows[i])),
      y: Int32Array.from(indices, (i) => set.y[i]),
      numFeatures: norm.nFrames * N_MELS,
      numClasses: set.labels.length,
    });
    const fitData = (indices: number[]) => fitDataWith(normalization, indices);
    const build = () => buildCnn(normalization.nFrames, N_MELS, set.labels.length, options.seed);
    let model = build();
    try {
      const result = await fitModel(model, fitData(split.train), split.test.length > 0 ? fitData(split.test) : null, fitOptions);
      const details = { bestEpoch: result.bestEpoch, stoppedEarly: result.stoppedEarly, validationRows: split.test.length };
      if (!options.refitOnAll || split.test.length === 0) {
        return { classifier: new CnnClassifier(set.labels, normalization, model), history: result.history, details };
      }
      // Refit on every row (validation rows included) for the number of epochs early stopping chose.
      model.dispose();
      model = build();
      const everything = set.y.map((_, i) => i);
      const refitNormalization = fitNormalization(set.rows, N_MELS);
      const refit = await fitModel(model, fitDataWith(refitNormalization, everything), null, { ...fitOptions, epochs: result.bestEpoch });
      return {
        classifier: new CnnClassifier(set.labels, refitNormalization, model),
        history: [...result.history, ...refit.history],
        details: { ...details, refitOnAll: true, refitEpochs: result.bestEpoch },
      };
    } catch (e) {
      model.dispose();
      throw e;
    }
  },
  async load(part, files, prefix): Promise<Classifier> {
    const normalization = part.preprocessing.normalization;
    if (!isNormalization(normalization)) throw new Error(`${prefix || 'the model'}: invalid log-mel normalization`);
    return new CnnClassifier(part.labels, normalization, await layersModelFromFiles(files, prefix));
  },
};
