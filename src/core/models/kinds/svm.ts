/**
 * Support vector classifier with an RBF kernel on standardized features, as libsvm/scikit-learn's SVC: one binary
 * SVM per pair of classes, Platt-scaled and coupled into class probabilities. C and gamma are searched by a
 * group-aware stratified inner cross-validation on the training rows; the model averages the probabilities of the
 * TOP_CONFIGS best settings, because the single best one changes from split to split (the inner accuracies of the
 * leading settings differ by less than their noise). Saved as `<prefix>svm.json` (support vectors, coefficients,
 * sigmoids per setting).
 *
 * Decision values run as a small TF.js layers model on the active backend, also saved as `<prefix>model.json`
 * (plain tf.loadLayersModel gives each setting's pairwise decision values, side by side): with
 * z = -gamma |x - s|^2 <= 0, ELU(z) = exp(z) - 1, so K(x, s) = ELU(z) + 1, and the +1 folds into the bias of the
 * last Dense layer.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng, shuffleInPlace } from '../../data/random.ts';
import { maxStratifiedFolds, stratifiedGroupKFold } from '../../data/splits.ts';
import { layersModelToFiles } from '../layers-io.ts';
import { applyStandardizer, fitStandardizer, isStandardizerParams, type StandardizerParams } from '../preprocess.ts';
import { throwIfAborted } from '../train.ts';
import type { Classifier, ModelKind, SavedPart, TrainingSet, TrainOptions, TrainOutcome } from '../types.ts';
import { predictLayers } from './dense.ts';
import {
  distancesAmong,
  distancesFromMatrix,
  gatherRows,
  pairDecisions,
  pairProbabilities,
  pairVotes,
  squaredDistances,
  trainOneVsOne,
  type PairSvm,
} from './svmSolver.ts';

/** C candidates; gamma candidates as multiples of 1 / features (scikit-learn's 'scale' on standardized data). */
const C_CANDIDATES = [0.5, 1, 2, 4, 8, 16, 32];
const GAMMA_SCALES = [0.25, 0.5, 1, 2];
const TOP_CONFIGS = 3;
const INNER_FOLDS = 5;
/** Up to this many rows, one n x n distance matrix (72 MB at most) serves every pair and inner fold. */
const MAX_SHARED_DISTANCES = 3000;

/** One trained setting: a one-vs-one model over its own support vectors. */
interface SvmMember {
  C: number;
  gamma: number;
  /** Row-major standardized support vectors (the union over pairs). */
  supportVectors: number[];
  pairs: Array<{ a: number; b: number; support: number[]; coef: number[]; rho: number; A: number; B: number }>;
}

interface SvmParams {
  numFeatures: number;
  members: SvmMember[];
}

/** x -> [rows, pairs] decision values of one member, as layers (see the file comment). */
function memberDecisions(
  input: tf.SymbolicTensor,
  squares: tf.SymbolicTensor,
  member: SvmMember,
  d: number,
): { output: tf.SymbolicTensor; weights: Array<[tf.layers.Layer, tf.Tensor[]]> } {
  const m = member.supportVectors.length / d;
  const k = member.pairs.length;
  const negNormLayer = tf.layers.dense({ units: m, useBias: false });
  const crossLayer = tf.layers.dense({ units: m });
  const decisionLayer = tf.layers.dense({ units: k });
  const exponent = tf.layers.add().apply([negNormLayer.apply(squares), crossLayer.apply(input)] as tf.SymbolicTensor[]);
  const kernelMinusOne = tf.layers.activation({ activation: 'elu' }).apply(exponent);
  const output = decisionLayer.apply(kernelMinusOne) as tf.SymbolicTensor;

  const crossKernel = new Float32Array(d * m);
  const crossBias = new Float32Array(m);
  for (let s = 0; s < m; s++) {
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const v = member.supportVectors[s * d + j];
      crossKernel[j * m + s] = 2 * member.gamma * v;
      norm += v * v;
    }
    crossBias[s] = -member.gamma * norm;
  }
  const coefKernel = new Float32Array(m * k);
  const coefBias = new Float32Array(k);
  member.pairs.forEach((p, c) => {
    p.support.forEach((s, i) => (coefKernel[s * k + c] = p.coef[i]));
    coefBias[c] = p.coef.reduce((a, b) => a + b, 0) - p.rho;
  });
  return {
    output,
    weights: [
      [negNormLayer, [tf.fill([d, m], -member.gamma)]],
      [crossLayer, [tf.tensor2d(crossKernel, [d, m]), tf.tensor1d(crossBias)]],
      [decisionLayer, [tf.tensor2d(coefKernel, [m, k]), tf.tensor1d(coefBias)]],
    ],
  };
}

function decisionModel(params: SvmParams): tf.LayersModel {
  const input = tf.input({ shape: [params.numFeatures] });
  const squares = tf.layers.multiply().apply([input, input]) as tf.SymbolicTensor;
  const parts = params.members.map((member) => memberDecisions(input, squares, member, params.numFeatures));
  const outputs = parts.map((p) => p.output);
  const model = tf.model({ inputs: input, outputs: outputs.length === 1 ? outputs[0] : (tf.layers.concatenate().apply(outputs) as tf.SymbolicTensor) });
  for (const [layer, values] of parts.flatMap((p) => p.weights)) {
    layer.setWeights(values);
    values.forEach((t) => t.dispose());
  }
  return model;
}

class SvmClassifier implements Classifier {
  readonly kind = 'svm';
  private readonly model: tf.LayersModel;

  constructor(
    readonly labels: string[],
    readonly standardizer: StandardizerParams,
    readonly params: SvmParams,
  ) {
    this.model = decisionModel(params);
  }

  /** The mean over members of their coupled pairwise probabilities. */
  async predictProba(rows: ArrayLike<number>[]): Promise<number[][]> {
    const decisions = await predictLayers(this.model, applyStandardizer(this.standardizer, rows), this.params.numFeatures);
    const members = this.params.members;
    return decisions.map((dv) => {
      const mean = new Array<number>(this.labels.length).fill(0);
      let at = 0;
      for (const member of members) {
        const p = pairProbabilities(member.pairs, Float64Array.from(dv.slice(at, at + member.pairs.length)), this.labels.length);
        p.forEach((v, c) => (mean[c] += v / members.length));
        at += member.pairs.length;
      }
      return mean;
    });
  }

  async save(prefix: string): Promise<SavedPart> {
    return {
      kind: this.kind,
      labels: this.labels,
      preprocessing: {
        standardizer: this.standardizer,
        settings: this.params.members.map((m) => ({ C: m.C, gamma: m.gamma })),
        svm: `${prefix}svm.json`,
      },
      files: {
        ...(await layersModelToFiles(this.model, prefix)),
        [`${prefix}svm.json`]: new TextEncoder().encode(JSON.stringify(this.params)),
      },
    };
  }

  dispose(): void {
    this.model.dispose();
  }
}

/** Keeps only the support vectors, renumbered into one shared list. */
function memberOf(x: Float64Array, d: number, pairs: PairSvm[], C: number, gamma: number): SvmMember {
  const index = new Map<number, number>();
  const supportVectors: number[] = [];
  const compact = pairs.map((p) => ({
    a: p.a,
    b: p.b,
    support: p.support.map((row) => {
      if (!index.has(row)) {
        index.set(row, index.size);
        for (let j = 0; j < d; j++) supportVectors.push(x[row * d + j]);
      }
      return index.get(row)!;
    }),
    coef: p.coef,
    rho: p.rho,
    A: p.A ?? -1,
    B: p.B ?? 0,
  }));
  return { C, gamma, supportVectors, pairs: compact };
}

/**
 * Rows for the (C, gamma) search: every row, or on a large training set whole songs drawn at random until
 * MAX_SHARED_DISTANCES rows, so that the search keeps one shared distance matrix of bounded size.
 */
function searchRows(set: TrainingSet, seed: number): number[] {
  const all = set.y.map((_, i) => i);
  if (all.length <= MAX_SHARED_DISTANCES) return all;
  const rowsOf = new Map<string, number[]>();
  all.forEach((i) => rowsOf.set(set.groups[i], [...(rowsOf.get(set.groups[i]) ?? []), i]));
  const picked: number[] = [];
  for (const group of shuffleInPlace([...rowsOf.keys()].sort(), createRng(seed))) {
    const rows = rowsOf.get(group)!;
    if (picked.length + rows.length > MAX_SHARED_DISTANCES) continue;
    picked.push(...rows);
  }
  return picked.sort((a, b) => a - b);
}

/**
 * Accuracy by pairwise voting of every (C, gamma) candidate over group-aware stratified inner folds. `allDistances`:
 * the training rows' distance matrix, when there is one (then the search uses every row).
 */
function innerAccuracies(
  x: Float64Array,
  set: TrainingSet,
  allDistances: Float64Array | null,
  seed: number,
  signal: AbortSignal | undefined,
  onSetting: (tried: number) => void,
): { folds: number; rows: number; scores: Array<{ C: number; gammaScale: number; accuracy: number }> } | null {
  const d = set.featureNames.length;
  const sample = searchRows(set, seed);
  const m = sample.length;
  const matrix = allDistances ?? squaredDistances(gatherRows(x, d, sample), m, gatherRows(x, d, sample), m, d);
  const distances = distancesFromMatrix(matrix, m);
  // Indices below are positions in `sample`.
  const originals = sample.flatMap((row, i) => (set.augmented?.[row] ? [] : [i]));
  const classOf = (i: number) => set.y[sample[i]];
  const groupOf = (i: number) => set.groups[sample[i]];
  const labels = originals.map((i) => set.labels[classOf(i)]);
  const groups = originals.map(groupOf);
  const k = Math.min(INNER_FOLDS, maxStratifiedFolds(labels, groups));
  if (k < 2) return null;
  const folds = stratifiedGroupKFold(labels, groups, k, seed);
  const numClasses = set.labels.length;
  const results: Array<{ C: number; gammaScale: number; accuracy: number }> = [];
  const foldData = folds.map((fold) => {
    const testRows = fold.test.map((j) => originals[j]);
    const testGroups = new Set(testRows.map(groupOf));
    // A test song's augmented copies must not train the inner model either.
    const trainRows = sample.flatMap((_, i) => (testGroups.has(groupOf(i)) ? [] : [i]));
    return { trainRows, testRows };
  });
  for (const C of C_CANDIDATES) {
    for (const gammaScale of GAMMA_SCALES) {
      throwIfAborted(signal);
      const gamma = gammaScale / d;
      let correct = 0;
      let total = 0;
      for (const { trainRows, testRows } of foldData) {
        const pairs = trainOneVsOne((rows) => distances(rows.map((r) => trainRows[r])), trainRows.map(classOf), numClasses, { C, gamma });
        const decisions = pairDecisions(pairs, (t, r) => Math.exp(-gamma * matrix[testRows[t] * m + trainRows[r]]), testRows.length);
        decisions.forEach((dv, t) => {
          const votes = pairVotes(pairs, dv, numClasses);
          if (votes.indexOf(Math.max(...votes)) === classOf(testRows[t])) correct++;
          total++;
        });
      }
      results.push({ C, gammaScale, accuracy: correct / total });
      onSetting(results.length);
    }
  }
  return { folds: k, rows: m, scores: results };
}

export const svmKind: ModelKind = {
  kind: 'svm',
  description: 'RBF support vector classifier, one-vs-one with Platt-scaled probabilities (the 3 best C and gamma by inner cross-validation, averaged)',
  workload: 'dense',
  trainsInEpochs: false,
  standalone: true,
  input: 'features',
  async train(set: TrainingSet, options: TrainOptions): Promise<TrainOutcome> {
    throwIfAborted(options.signal);
    const d = set.featureNames.length;
    const n = set.rows.length;
    const standardizer = fitStandardizer(set.rows, set.featureNames, { quantileNormal: options.quantileNormal ?? false });
    const x = Float64Array.from(applyStandardizer(standardizer, set.rows));
    const allDistances = n <= MAX_SHARED_DISTANCES ? squaredDistances(x, n, x, n, d) : null;
    const distances = allDistances ? distancesFromMatrix(allDistances, n) : distancesAmong(x, d);
    // One step per (C, gamma) setting tried, then one per chosen setting trained on every row: each trains about
    // as many pairwise SVMs on about as many rows (5 inner folds of 80%; the final ones fit Platt's sigmoids on
    // 5 folds too).
    const searchSteps = C_CANDIDATES.length * GAMMA_SCALES.length;
    const steps = searchSteps + TOP_CONFIGS;
    const inner = innerAccuracies(x, set, allDistances, options.seed + 1, options.signal, (tried) =>
      options.onStep?.({ done: tried, total: steps, what: 'choosing C and gamma' }),
    );
    // The best settings by inner accuracy; the sort is stable, so ties keep the smaller C and gamma (the smoother
    // boundary). Without inner folds: scikit-learn's defaults.
    const chosen = inner
      ? [...inner.scores].sort((a, b) => b.accuracy - a.accuracy).slice(0, TOP_CONFIGS)
      : [{ C: 1, gammaScale: 1, accuracy: NaN }];
    const members: SvmMember[] = [];
    for (const [i, setting] of chosen.entries()) {
      throwIfAborted(options.signal);
      const gamma = setting.gammaScale / d;
      const pairs = trainOneVsOne(distances, set.y, set.labels.length, {
        C: setting.C,
        gamma,
        platt: { groups: set.groups, random: createRng(options.seed + 2 + i) },
      });
      members.push(memberOf(x, d, pairs, setting.C, gamma));
      options.onStep?.({
        done: (inner ? searchSteps : steps - chosen.length) + i + 1,
        total: steps,
        what: 'training the chosen SVMs',
      });
    }
    const classifier = new SvmClassifier(set.labels, standardizer, { numFeatures: d, members });
    return {
      classifier,
      history: [],
      details: {
        settings: chosen.map((c, i) => ({
          C: c.C,
          gamma: members[i].gamma,
          supportVectors: members[i].supportVectors.length / d,
          ...(inner ? { innerAccuracy: c.accuracy } : {}),
        })),
        ...(inner ? { innerFolds: inner.folds, searchRows: inner.rows } : {}),
      },
    };
  },
  async load(part, files, prefix): Promise<Classifier> {
    const standardizer = part.preprocessing.standardizer;
    if (!isStandardizerParams(standardizer)) throw new Error(`${prefix || 'the model'}: invalid standardization parameters`);
    const bytes = files[`${prefix}svm.json`];
    if (!bytes) throw new Error(`the model has no ${prefix}svm.json`);
    const params: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (!isSvmParams(params, part.labels.length) || params.numFeatures !== standardizer.mean.length) {
      throw new Error(`${prefix}svm.json is not a valid support vector model`);
    }
    return new SvmClassifier(part.labels, standardizer, params);
  },
};

function isSvmParams(value: unknown, numClasses: number): value is SvmParams {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  const d = p.numFeatures;
  if (!Number.isInteger(d) || (d as number) <= 0 || !Array.isArray(p.members) || p.members.length === 0) return false;
  return p.members.every((member: unknown) => isSvmMember(member, d as number, numClasses));
}

function isSvmMember(value: unknown, d: number, numClasses: number): value is SvmMember {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  if (!Number.isFinite(p.C) || !Number.isFinite(p.gamma)) return false;
  if (!Array.isArray(p.supportVectors) || !p.supportVectors.every(Number.isFinite)) return false;
  const count = p.supportVectors.length / d;
  if (!Number.isInteger(count) || !Array.isArray(p.pairs) || p.pairs.length === 0) return false;
  return p.pairs.every((pair: unknown) => {
    if (typeof pair !== 'object' || pair === null) return false;
    const q = pair as Record<string, unknown>;
    const inClass = (c: unknown) => Number.isInteger(c) && (c as number) >= 0 && (c as number) < numClasses;
    return (
      inClass(q.a) &&
      inClass(q.b) &&
      Number.isFinite(q.rho) &&
      Number.isFinite(q.A) &&
      Number.isFinite(q.B) &&
      Array.isArray(q.support) &&
      Array.isArray(q.coef) &&
      q.support.length === q.coef.length &&
      q.support.every((s) => Number.isInteger(s) && s >= 0 && s < count) &&
      q.coef.every(Number.isFinite)
    );
  });
}
