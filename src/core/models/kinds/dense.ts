/**
 * Softmax regression ('logreg') and the multi-layer perceptron ('mlp'): standardized features into a layers model
 * ending in a softmax Activation, trained by the shared loop with early stopping on a group-aware inner validation.
 */
import * as tf from '@tensorflow/tfjs';
import { splitKeepingCopiesInTraining, stratifiedGroupHoldoutWithin } from '../../data/splits.ts';
import { layersModelFromFiles, layersModelToFiles } from '../layers-io.ts';
import { applyStandardizer, fitStandardizer, isStandardizerParams, type StandardizerParams } from '../preprocess.ts';
import { DEFAULT_FIT_OPTIONS, fitModel, layerSeed, type FitData, type FitOptions } from '../train.ts';
import type { Classifier, ModelKind, SavedPart, TrainingSet, TrainOptions, TrainOutcome } from '../types.ts';

/** Predicts in chunks so that a long batch of songs never needs one huge tensor. */
const PREDICT_CHUNK = 4096;

export async function predictLayers(model: tf.LayersModel, x: Float32Array, numFeatures: number): Promise<number[][]> {
  const n = x.length / numFeatures;
  const out: number[][] = [];
  for (let start = 0; start < n; start += PREDICT_CHUNK) {
    const rows = Math.min(PREDICT_CHUNK, n - start);
    const probs = tf.tidy(() => {
      const input = tf.tensor2d(x.subarray(start * numFeatures, (start + rows) * numFeatures), [rows, numFeatures]);
      return model.predict(input) as tf.Tensor2D;
    });
    const data = await probs.data();
    const k = probs.shape[1];
    probs.dispose();
    for (let i = 0; i < rows; i++) out.push(Array.from(data.subarray(i * k, (i + 1) * k)));
  }
  return out;
}

export class DenseClassifier implements Classifier {
  constructor(
    readonly kind: string,
    readonly labels: string[],
    readonly standardizer: StandardizerParams,
    readonly model: tf.LayersModel,
  ) {}

  predictProba(rows: ArrayLike<number>[]): Promise<number[][]> {
    return predictLayers(this.model, applyStandardizer(this.standardizer, rows), this.standardizer.mean.length);
  }

  async save(prefix: string): Promise<SavedPart> {
    return {
      kind: this.kind,
      labels: this.labels,
      preprocessing: { standardizer: this.standardizer },
      files: await layersModelToFiles(this.model, prefix),
    };
  }

  dispose(): void {
    this.model.dispose();
  }
}

/**
 * hidden -> logits for `branches` independent sub-networks side by side (see train.ts TrainableStructure): one
 * branch is a plain MLP; several are a seed-bagged ensemble averaged inside the model.
 */
function buildModel(
  numFeatures: number,
  numClasses: number,
  hidden: number[],
  dropout: number,
  seed: number,
  branches: number,
): tf.LayersModel {
  const model = tf.sequential();
  hidden.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        units: units * branches,
        activation: 'relu',
        // He initialization for each branch's own fan-in (a block-diagonal kernel has `branches` times fewer inputs).
        kernelInitializer: tf.initializers.varianceScaling({ scale: i === 0 ? 2 : 2 * branches, mode: 'fanIn', distribution: 'normal', seed: layerSeed(seed, i) }),
        ...(i === 0 ? { inputShape: [numFeatures] } : {}),
      }),
    );
    if (dropout > 0) model.add(tf.layers.dropout({ rate: dropout }));
  });
  model.add(
    tf.layers.dense({
      units: numClasses * branches,
      kernelInitializer: tf.initializers.varianceScaling({
        scale: hidden.length === 0 ? 1 : branches,
        mode: 'fanAvg',
        distribution: 'uniform',
        seed: layerSeed(seed, hidden.length),
      }),
      ...(hidden.length === 0 ? { inputShape: [numFeatures] } : {}),
    }),
  );
  if (branches > 1) {
    model.add(tf.layers.reshape({ targetShape: [branches, numClasses] }));
    model.add(tf.layers.activation({ activation: 'softmax' }));
    model.add(tf.layers.globalAveragePooling1d({}));
  } else model.add(tf.layers.activation({ activation: 'softmax' }));
  return model;
}

function fitDataOf(standardizer: StandardizerParams, set: TrainingSet, indices: number[]): FitData {
  return {
    x: applyStandardizer(
      standardizer,
      indices.map((i) => set.rows[i]),
    ),
    y: Int32Array.from(indices, (i) => set.y[i]),
    numFeatures: set.featureNames.length,
    numClasses: set.labels.length,
  };
}

/**
 * Splits off a group-aware stratified validation set when the data allow it (else trains on everything). Only
 * original rows are validated on: augmented copies train with their group, or are left out when it validates.
 */
export function innerValidation(set: TrainingSet, fraction: number, seed: number): { train: number[]; test: number[] } {
  const all = set.y.map((_, i) => i);
  if (fraction <= 0) return { train: all, test: [] };
  try {
    const [split] = splitKeepingCopiesInTraining(set.augmented ?? [], set.groups, (originals) => [
      stratifiedGroupHoldoutWithin(
        originals,
        set.y.map((c) => set.labels[c]),
        set.groups,
        fraction,
        seed,
      ),
    ]);
    return split;
  } catch {
    return { train: all, test: [] };
  }
}

interface DenseDefaults {
  hidden: number[];
  branches: number;
  dropout: number;
  fit: Partial<FitOptions>;
}

function denseKind(kind: string, description: string, defaults: DenseDefaults): ModelKind {
  return {
    kind,
    description,
    workload: 'dense',
    input: 'features',
    trainsInEpochs: true,
    standalone: true,
    async train(set: TrainingSet, options: TrainOptions): Promise<TrainOutcome> {
      const split = innerValidation(set, options.validationFraction ?? 0.15, options.seed + 1);
      const preprocessing = { quantileNormal: options.quantileNormal ?? false };
      const standardizer = fitStandardizer(
        split.train.map((i) => set.rows[i]),
        set.featureNames,
        preprocessing,
      );
      const hidden = kind === 'logreg' ? [] : (options.hidden ?? defaults.hidden);
      const branches = kind === 'logreg' ? 1 : (options.branches ?? defaults.branches);
      const build = () =>
        buildModel(set.featureNames.length, set.labels.length, hidden, options.dropout ?? defaults.dropout, options.seed, branches);
      const fitOptions: FitOptions = {
        ...DEFAULT_FIT_OPTIONS,
        ...defaults.fit,
        ...options.fit,
        seed: options.seed,
        onEpoch: options.onEpoch,
        signal: options.signal,
      };
      let model = build();
      try {
        const result = await fitModel(
          model,
          fitDataOf(standardizer, set, split.train),
          split.test.length > 0 ? fitDataOf(standardizer, set, split.test) : null,
          fitOptions,
        );
        const details = { bestEpoch: result.bestEpoch, stoppedEarly: result.stoppedEarly, validationRows: split.test.length };
        if (!options.refitOnAll || split.test.length === 0) {
          return { classifier: new DenseClassifier(kind, set.labels, standardizer, model), history: result.history, details };
        }
        // Refit on every row (validation rows included) for the number of epochs early stopping chose.
        model.dispose();
        model = build();
        const everything = set.y.map((_, i) => i);
        const refitStandardizer = fitStandardizer(set.rows, set.featureNames, preprocessing);
        const refit = await fitModel(model, fitDataOf(refitStandardizer, set, everything), null, { ...fitOptions, epochs: result.bestEpoch });
        return {
          classifier: new DenseClassifier(kind, set.labels, refitStandardizer, model),
          history: [...result.history, ...refit.history],
          details: { ...details, refitOnAll: true, refitEpochs: result.bestEpoch },
        };
      } catch (e) {
        model.dispose();
        throw e;
      }
    },
    async load(part, files, prefix): Promise<Classifier> {
      const standardizer = part.preprocessing.standardizer;
      if (!isStandardizerParams(standardizer)) throw new Error(`${prefix || 'the model'}: invalid standardization parameters`);
      return new DenseClassifier(kind, part.labels, standardizer, await layersModelFromFiles(files, prefix));
    },
  };
}

export const logregKind = denseKind('logreg', 'softmax regression on standardized features', {
  hidden: [],
  branches: 1,
  dropout: 0,
  fit: { learningRate: 1e-2, weightDecay: 1e-2, labelSmoothing: 0, batchSize: 64, patience: 15 },
});

export const mlpKind = denseKind('mlp', 'multi-layer perceptron (ReLU, dropout, decoupled weight decay; 5 branches averaged)', {
  hidden: [256],
  branches: 5,
  dropout: 0.5,
  fit: { batchSize: 128, learningRate: 3e-3, epochs: 100, patience: 10, lrPatience: 5 },
});
