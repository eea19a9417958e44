/**
 * k-nearest neighbours on standardized features. k is chosen on a group-aware inner validation split; the
 * reference set (the standardized training rows and their classes) is stored as `<prefix>knn.json`.
 *
 * Distances are computed by a one-layer TF.js model, so they run on the active backend: for a reference r,
 * 2 x·r - |r|^2 = |x|^2 - |x - r|^2, so the largest outputs are the nearest references. That model is also saved
 * as `<prefix>model.json` (plain tf.loadLayersModel gives these neighbour scores, not class probabilities).
 */
import * as tf from '@tensorflow/tfjs';
import { layersModelToFiles } from '../layers-io.ts';
import { applyStandardizer, fitStandardizer, isStandardizerParams, type StandardizerParams } from '../preprocess.ts';
import { throwIfAborted } from '../train.ts';
import type { Classifier, ModelKind, SavedPart, TrainingSet, TrainOptions, TrainOutcome } from '../types.ts';
import { innerValidation, predictLayers } from './dense.ts';

const K_CANDIDATES = [1, 3, 5, 7, 9, 11, 15, 21, 31];

interface ReferenceSet {
  k: number;
  numFeatures: number;
  /** Row-major standardized reference rows. */
  references: number[];
  classes: number[];
}

function scoringModel(references: Float32Array, numRefs: number, numFeatures: number): tf.LayersModel {
  const kernel = new Float32Array(numFeatures * numRefs);
  const bias = new Float32Array(numRefs);
  for (let r = 0; r < numRefs; r++) {
    let norm = 0;
    for (let j = 0; j < numFeatures; j++) {
      const v = references[r * numFeatures + j];
      kernel[j * numRefs + r] = 2 * v;
      norm += v * v;
    }
    bias[r] = -norm;
  }
  const model = tf.sequential({ layers: [tf.layers.dense({ units: numRefs, inputShape: [numFeatures] })] });
  const weights = [tf.tensor2d(kernel, [numFeatures, numRefs]), tf.tensor1d(bias)];
  model.layers[0].setWeights(weights);
  weights.forEach((w) => w.dispose());
  return model;
}

/** Indices of the `k` largest scores of one row (partial selection). */
function topK(scores: ArrayLike<number>, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (best.length < k || scores[i] > scores[best[best.length - 1]]) {
      let pos = Math.min(best.length, k - 1);
      if (best.length < k) best.push(i);
      while (pos > 0 && scores[best[pos - 1]] < scores[i]) {
        best[pos] = best[pos - 1];
        pos--;
      }
      best[pos] = i;
    }
  }
  return best;
}

/** Class probabilities = the share of the k nearest references in each class. */
function vote(neighbours: number[], classes: number[], numClasses: number): number[] {
  const p = new Array<number>(numClasses).fill(0);
  for (const n of neighbours) p[classes[n]] += 1 / neighbours.length;
  return p;
}

class KnnClassifier implements Classifier {
  readonly kind = 'knn';
  private readonly model: tf.LayersModel;

  constructor(
    readonly labels: string[],
    readonly standardizer: StandardizerParams,
    readonly reference: ReferenceSet,
  ) {
    this.model = scoringModel(Float32Array.from(reference.references), reference.classes.length, reference.numFeatures);
  }

  async neighbourScores(rows: ArrayLike<number>[]): Promise<number[][]> {
    return predictLayers(this.model, applyStandardizer(this.standardizer, rows), this.reference.numFeatures);
  }

  async predictProba(rows: ArrayLike<number>[]): Promise<number[][]> {
    const scores = await this.neighbourScores(rows);
    return scores.map((s) => vote(topK(s, this.reference.k), this.reference.classes, this.labels.length));
  }

  async save(prefix: string): Promise<SavedPart> {
    return {
      kind: this.kind,
      labels: this.labels,
      preprocessing: { standardizer: this.standardizer, k: this.reference.k, referenceSet: `${prefix}knn.json` },
      files: {
        ...(await layersModelToFiles(this.model, prefix)),
        [`${prefix}knn.json`]: new TextEncoder().encode(JSON.stringify(this.reference)),
      },
    };
  }

  dispose(): void {
    this.model.dispose();
  }
}

function referenceSetOf(standardizer: StandardizerParams, set: TrainingSet, indices: number[], k: number): ReferenceSet {
  return {
    k,
    numFeatures: set.featureNames.length,
    references: Array.from(applyStandardizer(standardizer, indices.map((i) => set.rows[i]))),
    classes: indices.map((i) => set.y[i]),
  };
}

function isReferenceSet(value: unknown, numClasses: number): value is ReferenceSet {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    Number.isInteger(r.k) &&
    (r.k as number) > 0 &&
    Number.isInteger(r.numFeatures) &&
    Array.isArray(r.references) &&
    Array.isArray(r.classes) &&
    r.references.length === r.classes.length * (r.numFeatures as number) &&
    r.references.every((v) => typeof v === 'number' && Number.isFinite(v)) &&
    r.classes.every((c) => Number.isInteger(c) && c >= 0 && c < numClasses)
  );
}

export const knnKind: ModelKind = {
  kind: 'knn',
  description: 'k-nearest neighbours on standardized features (k chosen by inner validation)',
  workload: 'dense',
  trainsInEpochs: false,
  standalone: true,
  input: 'features',
  async train(set: TrainingSet, options: TrainOptions): Promise<TrainOutcome> {
    throwIfAborted(options.signal);
    const split = innerValidation(set, options.validationFraction ?? 0.2, options.seed + 1);
    let k = 5;
    const accuracyByK: Record<string, number> = {};
    if (split.test.length > 0) {
      const standardizer = fitStandardizer(split.train.map((i) => set.rows[i]), set.featureNames);
      const candidates = K_CANDIDATES.filter((c) => c <= split.train.length);
      const probe = new KnnClassifier(set.labels, standardizer, referenceSetOf(standardizer, set, split.train, 1));
      const scores = await probe.neighbourScores(split.test.map((i) => set.rows[i]));
      probe.dispose();
      let bestAccuracy = -1;
      for (const c of candidates) {
        let correct = 0;
        scores.forEach((s, t) => {
          const p = vote(topK(s, c), probe.reference.classes, set.labels.length);
          if (p.indexOf(Math.max(...p)) === set.y[split.test[t]]) correct++;
        });
        accuracyByK[c] = correct / split.test.length;
        if (accuracyByK[c] > bestAccuracy) {
          bestAccuracy = accuracyByK[c];
          k = c;
        }
      }
    }
    const all = set.y.map((_, i) => i);
    const standardizer = fitStandardizer(set.rows, set.featureNames);
    const classifier = new KnnClassifier(set.labels, standardizer, referenceSetOf(standardizer, set, all, k));
    return { classifier, history: [], details: { k, validationAccuracyByK: accuracyByK } };
  },
  async load(part, files, prefix): Promise<Classifier> {
    const standardizer = part.preprocessing.standardizer;
    if (!isStandardizerParams(standardizer)) throw new Error(`${prefix || 'the model'}: invalid standardization parameters`);
    const bytes = files[`${prefix}knn.json`];
    if (!bytes) throw new Error(`the model has no ${prefix}knn.json`);
    const reference: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (!isReferenceSet(reference, part.labels.length) || reference.numFeatures !== standardizer.mean.length) {
      throw new Error(`${prefix}knn.json is not a valid reference set`);
    }
    return new KnnClassifier(part.labels, standardizer, reference);
  },
};
