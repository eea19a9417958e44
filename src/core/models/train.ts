/**
 * The training loop shared by every layers-model kind: seeded shuffles, dropout and mixup; class weights; label
 * smoothing; decoupled weight decay (AdamW-like); early stopping on validation loss that restores the best weights;
 * learning-rate reduction on plateau; a per-epoch progress callback with ETA; cancellation by AbortSignal.
 *
 * Training works on the logits of the model's last Dense layer (a numerically stable cross-entropy) while the saved
 * model outputs probabilities; see TrainableStructure for the layer layouts it accepts.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng, shuffleInPlace, type Rng } from '../data/random.ts';
import { applyConv2dLayer } from './kinds/cnnConv.ts';

export interface EpochProgress {
  epoch: number;
  epochs: number;
  /** Mean training loss over the epoch's batches (with dropout, mixup and smoothing, as optimized). */
  loss: number;
  /** Training accuracy over the epoch's batches (against the hard label of the dominant mixup partner). */
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  learningRate: number;
  elapsedSeconds: number;
  /** Estimated seconds left if training runs every remaining epoch (early stopping may end it sooner). */
  etaSeconds: number;
}

export interface FitOptions {
  seed: number;
  epochs: number;
  /** Rows per update; capped at a quarter of the data (at least 16) so that small data sets get several updates. */
  batchSize: number;
  learningRate: number;
  /** Decoupled weight decay per step, scaled by the learning rate (AdamW); applied to kernels only. */
  weightDecay: number;
  labelSmoothing: number;
  /** Beta(alpha, alpha) mixup of training pairs; 0 = off. */
  mixupAlpha: number;
  /**
   * For a multi-branch model: each branch sees its own bootstrap sample of the rows (Poisson(1) weights, drawn once),
   * so the averaged branches form a bagged ensemble.
   */
  bagging: boolean;
  /** Weight classes inversely to their frequency (mean weight 1). */
  balanceClasses: boolean;
  /** Epochs without validation-loss improvement before stopping (needs validation data). */
  patience: number;
  /** Epochs without improvement before the learning rate is multiplied by lrFactor. */
  lrPatience: number;
  lrFactor: number;
  minLearningRate: number;
  onEpoch?: (progress: EpochProgress) => void;
  signal?: AbortSignal;
}

export const DEFAULT_FIT_OPTIONS: FitOptions = {
  seed: 0,
  epochs: 200,
  batchSize: 64,
  learningRate: 1e-3,
  weightDecay: 1e-2,
  labelSmoothing: 0.1,
  mixupAlpha: 0,
  bagging: false,
  balanceClasses: true,
  patience: 20,
  lrPatience: 8,
  lrFactor: 0.5,
  minLearningRate: 1e-5,
};

/** Row-major feature matrix and integer class targets. */
export interface FitData {
  x: Float32Array;
  y: Int32Array;
  numFeatures: number;
  numClasses: number;
}

export interface FitResult {
  history: EpochProgress[];
  /** 1-based epoch whose weights were kept (the best validation loss, or the last epoch without validation). */
  bestEpoch: number;
  stoppedEarly: boolean;
}

export class TrainingAborted extends Error {
  constructor() {
    super('training was cancelled');
    this.name = 'AbortError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new TrainingAborted();
}

/** A Gamma(shape, 1) sample (Marsaglia–Tsang), for Beta-distributed mixup weights. */
function sampleGamma(shape: number, rng: Rng): number {
  if (shape < 1) return sampleGamma(shape + 1, rng) * Math.pow(rng() || Number.MIN_VALUE, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      const u1 = 1 - rng();
      const u2 = rng();
      x = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

function sampleBeta(alpha: number, rng: Rng): number {
  const a = sampleGamma(alpha, rng);
  const b = sampleGamma(alpha, rng);
  return a / (a + b);
}

/** Poisson(1) counts (Knuth's method): how often each row appears in a bootstrap sample. */
function poissonWeights(count: number, rng: Rng): Float32Array {
  const out = new Float32Array(count);
  const limit = Math.exp(-1);
  for (let i = 0; i < count; i++) {
    let k = 0;
    let p = rng();
    while (p > limit) {
      k++;
      p *= rng();
    }
    out[i] = k;
  }
  return out;
}

/**
 * The initializer seed of layer `layer` of a model trained with `seed`. TF.js draws its normal initializers from
 * Math.random when the seed is 0 (it tests the seed for truthiness), so 0 maps to -1, which no other layer uses.
 */
export function layerSeed(seed: number, layer: number): number {
  const value = seed * 7919 + layer;
  return value === 0 ? -1 : value;
}

export function classWeightsOf(y: Int32Array, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const c of y) counts[c]++;
  const present = counts.filter((c) => c > 0).length;
  return counts.map((c) => (c > 0 ? y.length / (present * c) : 0));
}

/**
 * The trainable part of a model: every layer up to its last Dense layer, whose outputs are the logits of
 * `branches` independent sub-networks (branches x classes units). A one-branch model ends in a softmax Activation;
 * a multi-branch model ends in Reshape([branches, classes]) -> softmax Activation -> GlobalAveragePooling1D (the
 * mean of the branches' probabilities: a soft-voting ensemble inside one plain layers model). In a multi-branch
 * model every Dense layer after the first is block-diagonal (branch b only sees branch b's units): training keeps
 * its off-block weights at zero by masking.
 */
interface TrainableStructure {
  logitsLayer: number;
  branches: number;
  /** Per Dense layer index: the 0/1 block-diagonal mask of its kernel. */
  blockMasks: Map<number, tf.Tensor>;
}

export function blockDiagonalMask(rows: number, cols: number, blocks: number): Float32Array {
  const mask = new Float32Array(rows * cols);
  const rb = rows / blocks;
  const cb = cols / blocks;
  for (let r = 0; r < rows; r++) {
    const b = Math.floor(r / rb);
    for (let c = b * cb; c < (b + 1) * cb; c++) mask[r * cols + c] = 1;
  }
  return mask;
}

function structureOf(model: tf.LayersModel, numClasses: number): TrainableStructure {
  const dense = model.layers.map((l, i) => (l.getClassName() === 'Dense' ? i : -1)).filter((i) => i >= 0);
  if (dense.length === 0) throw new Error('the model has no Dense layer');
  const logitsLayer = dense[dense.length - 1];
  const units = (model.layers[logitsLayer].getConfig() as { units: number }).units;
  const branches = units / numClasses;
  if (!Number.isInteger(branches) || branches < 1) throw new Error(`the logits layer has ${units} units for ${numClasses} classes`);
  const tail = model.layers.slice(logitsLayer + 1).map((l) => l.getClassName());
  const expected = branches === 1 ? ['Activation'] : ['Reshape', 'Activation', 'GlobalAveragePooling1D'];
  if (tail.join() !== expected.join()) throw new Error(`the model must end with ${expected.join(' -> ')} (softmax)`);
  const blockMasks = new Map<number, tf.Tensor>();
  if (branches > 1) {
    for (const i of dense.slice(1)) {
      const [rows, cols] = model.layers[i].getWeights()[0].shape;
      blockMasks.set(i, tf.tensor2d(blockDiagonalMask(rows, cols, branches), [rows, cols]));
    }
  }
  return { logitsLayer, branches, blockMasks };
}

/** Logits [rows, branches * classes]; Dropout layers multiply by their mask when given one. */
function forwardLogits(
  model: tf.LayersModel,
  structure: TrainableStructure,
  x: tf.Tensor,
  dropoutMasks: Map<number, tf.Tensor> | null,
): tf.Tensor {
  let h = x;
  model.layers.slice(0, structure.logitsLayer + 1).forEach((layer, i) => {
    const name = layer.getClassName();
    if (name === 'InputLayer') return;
    if (name === 'Dropout') {
      const mask = dropoutMasks?.get(i);
      if (mask) h = h.mul(mask);
      return;
    }
    if (name === 'Conv2D') {
      // Through muzo's own Conv2D gradients (wasm has no Conv2DBackpropFilter); the first trainable layer's input
      // is data, which needs no gradient.
      const upstreamTrains = model.layers.slice(0, i).some((l) => l.trainableWeights.length > 0);
      const y = applyConv2dLayer(layer, h, upstreamTrains);
      if (y) {
        h = y;
        return;
      }
    }
    const blockMask = structure.blockMasks.get(i);
    if (blockMask) {
      const [kernel, bias] = layer.trainableWeights.map((w) => w.read());
      h = tf.matMul(h, kernel.mul(blockMask)).add(bias);
      if ((layer.getConfig() as { activation?: string }).activation === 'relu') h = tf.relu(h);
      return;
    }
    h = layer.apply(h) as tf.Tensor;
  });
  return h;
}

/** Inverted-dropout masks (0 or 1/(1-rate)) from the seeded generator, one per Dropout layer. */
function dropoutMasks(model: tf.LayersModel, rows: number, rng: Rng): Map<number, tf.Tensor> {
  const masks = new Map<number, tf.Tensor>();
  model.layers.forEach((layer, i) => {
    if (layer.getClassName() !== 'Dropout') return;
    const rate = (layer.getConfig() as { rate: number }).rate;
    if (rate <= 0) return;
    const width = layer.outputShape[layer.outputShape.length - 1] as number;
    const scale = 1 / (1 - rate);
    const values = new Float32Array(rows * width);
    for (let j = 0; j < values.length; j++) values[j] = rng() < rate ? 0 : scale;
    masks.set(i, tf.tensor2d(values, [rows, width]));
  });
  return masks;
}

/** Loss and accuracy of the model's own output (for several branches: their averaged probabilities). */
async function evaluateLoss(model: tf.LayersModel, x: tf.Tensor2D, y: tf.Tensor1D, numClasses: number): Promise<[number, number]> {
  const [loss, correct] = tf.tidy(() => {
    const p = (model.predict(x) as tf.Tensor).clipByValue(1e-7, 1);
    const l = tf.oneHot(y, numClasses).toFloat().mul(p.log()).sum(1).mean().neg();
    const c = tf.equal(tf.argMax(p, 1), y).sum();
    return [l, c];
  });
  const [lv, cv] = await Promise.all([loss.data(), correct.data()]);
  loss.dispose();
  correct.dispose();
  return [lv[0], cv[0] / y.shape[0]];
}

/**
 * Trains `model` in place. Without validation data, trains all epochs; with it, keeps the weights of the epoch
 * with the lowest validation loss. On abort, throws TrainingAborted (the caller discards the half-trained model).
 */
export async function fitModel(
  model: tf.LayersModel,
  train: FitData,
  validation: FitData | null,
  options: FitOptions,
): Promise<FitResult> {
  const n = train.y.length;
  if (n === 0) throw new Error('no training rows');
  const rng = createRng(options.seed);
  const structure = structureOf(model, train.numClasses);
  const dropoutRng = createRng(options.seed + 0x9e3779b9);
  const xAll = tf.tensor2d(train.x, [n, train.numFeatures]);
  const yAll = tf.tensor1d(train.y, 'int32');
  const smoothing = options.labelSmoothing;
  const targetsAll = tf.tidy(() =>
    tf.oneHot(yAll, train.numClasses).toFloat().mul(1 - smoothing).add(smoothing / train.numClasses),
  );
  const weightsPerClass = options.balanceClasses ? classWeightsOf(train.y, train.numClasses) : null;
  const sampleWeightAll = weightsPerClass ? tf.tensor1d(Array.from(train.y, (c) => weightsPerClass[c])) : null;
  const bagWeightsAll =
    options.bagging && structure.branches > 1 ? tf.tensor2d(poissonWeights(n * structure.branches, rng), [n, structure.branches]) : null;
  const xVal = validation ? tf.tensor2d(validation.x, [validation.y.length, validation.numFeatures]) : null;
  const yVal = validation ? tf.tensor1d(validation.y, 'int32') : null;
  for (const [i, mask] of structure.blockMasks) {
    const kernel = model.layers[i].trainableWeights[0].read() as tf.Variable;
    tf.tidy(() => kernel.assign(kernel.mul(mask)));
  }
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const decayed = model.trainableWeights.filter((w) => /kernel/.test(w.name)).map((w) => w.read() as tf.Variable);
  const optimizer = tf.train.adam(options.learningRate);
  const setLearningRate = (lr: number) => {
    (optimizer as unknown as { learningRate: number }).learningRate = lr;
  };
  let learningRate = options.learningRate;
  const history: EpochProgress[] = [];
  let best: { loss: number; epoch: number; weights: tf.Tensor[] } | null = null;
  let sinceBest = 0;
  let sincePlateauStart = 0;
  let plateauBest = Infinity;
  let stoppedEarly = false;
  const started = Date.now();
  const order = Array.from({ length: n }, (_, i) => i);
  // Small data sets still get several updates per epoch.
  const batchSize = Math.max(1, Math.min(options.batchSize, Math.max(16, Math.ceil(n / 4))));
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      throwIfAborted(options.signal);
      shuffleInPlace(order, rng);
      let lossSum: tf.Tensor = tf.scalar(0);
      let correctSum: tf.Tensor = tf.scalar(0);
      for (let start = 0; start < n; start += batchSize) {
        const batchIndex = order.slice(start, start + batchSize);
        const size = batchIndex.length;
        const partner = options.mixupAlpha > 0 ? shuffleInPlace([...batchIndex], rng) : null;
        const lambda = partner ? sampleBeta(options.mixupAlpha, rng) : 1;
        const [newLoss, newCorrect] = tf.tidy(() => {
          const masks = dropoutMasks(model, size, dropoutRng);
          const idx = tf.tensor1d(batchIndex, 'int32');
          let xb: tf.Tensor = tf.gather(xAll, idx);
          const yb = tf.gather(yAll, idx);
          let targets: tf.Tensor = tf.gather(targetsAll, idx);
          let weights: tf.Tensor | null = sampleWeightAll ? tf.gather(sampleWeightAll, idx) : null;
          const bag = bagWeightsAll ? tf.gather(bagWeightsAll, idx) : null;
          if (partner) {
            const pidx = tf.tensor1d(partner, 'int32');
            xb = xb.mul(lambda).add(tf.gather(xAll, pidx).mul(1 - lambda));
            targets = targets.mul(lambda).add(tf.gather(targetsAll, pidx).mul(1 - lambda));
            if (weights && sampleWeightAll) weights = weights.mul(lambda).add(tf.gather(sampleWeightAll, pidx).mul(1 - lambda));
          }
          let correct: tf.Tensor = tf.scalar(0);
          const branches = structure.branches;
          const cost = optimizer.minimize(
            () => {
              const logits = forwardLogits(model, structure, xb, masks);
              // One cross-entropy per (row, branch): the branches learn side by side, independently.
              const perBranch = logits.reshape([size * branches, train.numClasses]);
              const branchTargets = targets.expandDims(1).tile([1, branches, 1]).reshape([size * branches, train.numClasses]);
              correct = tf.keep(tf.equal(tf.argMax(logits.reshape([size, branches, train.numClasses]).mean(1), 1), yb).sum());
              const perRow = tf.losses.softmaxCrossEntropy(branchTargets, perBranch, undefined, 0, tf.Reduction.NONE).reshape([size, branches]);
              if (!weights && !bag) return perRow.mean() as tf.Scalar;
              let w: tf.Tensor = weights ? weights.expandDims(1).tile([1, branches]) : tf.onesLike(perRow);
              if (bag) w = w.mul(bag);
              return perRow.mul(w).sum().div(w.sum().add(1e-6)) as tf.Scalar;
            },
            true,
            variables,
          )!;
          if (options.weightDecay > 0) {
            const keep = 1 - learningRate * options.weightDecay;
            for (const v of decayed) v.assign(v.mul(keep));
          }
          const totals = [lossSum.add(cost.mul(size)), correctSum.add(correct)];
          correct.dispose();
          return totals;
        });
        lossSum.dispose();
        correctSum.dispose();
        lossSum = newLoss;
        correctSum = newCorrect;
      }
      const [lossData, correctData] = await Promise.all([lossSum.data(), correctSum.data()]);
      lossSum.dispose();
      correctSum.dispose();
      let valLoss: number | null = null;
      let valAccuracy: number | null = null;
      if (xVal && yVal && validation) {
        [valLoss, valAccuracy] = await evaluateLoss(model, xVal, yVal, validation.numClasses);
      }
      const elapsedSeconds = (Date.now() - started) / 1000;
      const progress: EpochProgress = {
        epoch,
        epochs: options.epochs,
        loss: lossData[0] / n,
        accuracy: correctData[0] / n,
        valLoss,
        valAccuracy,
        learningRate,
        elapsedSeconds,
        etaSeconds: (elapsedSeconds / epoch) * (options.epochs - epoch),
      };
      history.push(progress);
      options.onEpoch?.(progress);
      if (valLoss === null) continue;
      if (!best || valLoss < best.loss - 1e-5) {
        best?.weights.forEach((w) => w.dispose());
        best = { loss: valLoss, epoch, weights: variables.map((v) => tf.clone(v)) };
        sinceBest = 0;
      } else sinceBest++;
      if (valLoss < plateauBest - 1e-5) {
        plateauBest = valLoss;
        sincePlateauStart = 0;
      } else if (++sincePlateauStart >= options.lrPatience && learningRate > options.minLearningRate) {
        learningRate = Math.max(options.minLearningRate, learningRate * options.lrFactor);
        setLearningRate(learningRate);
        sincePlateauStart = 0;
      }
      if (sinceBest >= options.patience) {
        stoppedEarly = true;
        break;
      }
    }
    if (best) variables.forEach((v, i) => v.assign(best!.weights[i]));
    return { history, bestEpoch: best ? best.epoch : history.length, stoppedEarly };
  } finally {
    best?.weights.forEach((w) => w.dispose());
    optimizer.dispose();
    for (const t of [xAll, yAll, targetsAll, sampleWeightAll, bagWeightsAll, xVal, yVal, ...structure.blockMasks.values()]) t?.dispose();
  }
}
