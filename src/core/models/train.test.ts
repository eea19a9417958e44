import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend/select.ts';
import { createRng, randomNormal } from '../data/random.ts';
import { DEFAULT_FIT_OPTIONS, fitModel, TrainingAborted, type FitData } from './train.ts';

const wasmPath = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + sep;

/** Two Gaussian classes in `d` dimensions, means ±separation on the first axis. */
function blobs(n: number, d: number, separation: number, seed: number, flipLabels = false): FitData {
  const rng = createRng(seed);
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    for (let j = 0; j < d; j++) x[i * d + j] = randomNormal(rng) + (j === 0 ? (y[i] ? separation : -separation) : 0);
    if (flipLabels) y[i] = rng() < 0.5 ? 0 : 1;
  }
  return { x, y, numFeatures: d, numClasses: 2 };
}

function smallModel(d: number, seed: number, units = 16): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units, activation: 'relu', inputShape: [d], kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
      tf.layers.dropout({ rate: 0.2 }),
      tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
      tf.layers.activation({ activation: 'softmax' }),
    ],
  });
}

async function weightsOf(model: tf.LayersModel): Promise<number[]> {
  const parts = await Promise.all(model.getWeights().map((w) => w.data()));
  return parts.flatMap((p) => Array.from(p));
}

async function validationLoss(model: tf.LayersModel, data: FitData): Promise<number> {
  const loss = tf.tidy(() => {
    const p = model.predict(tf.tensor2d(data.x, [data.y.length, data.numFeatures])) as tf.Tensor;
    return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(data.y, 'int32'), 2), tf.log(p));
  });
  const value = (await loss.data())[0];
  loss.dispose();
  return value;
}

beforeAll(async () => {
  await selectBackend({ force: 'wasm', wasmPath });
});

describe('fitModel', () => {
  const options = { ...DEFAULT_FIT_OPTIONS, epochs: 12, batchSize: 32, patience: 100 };

  it('gives identical weights for the same seed and different ones for another seed', async () => {
    const data = blobs(128, 4, 1, 1);
    const runs: number[][] = [];
    for (const seed of [7, 7, 8]) {
      const model = smallModel(4, 3);
      await fitModel(model, data, null, { ...options, seed, mixupAlpha: 0.4 });
      runs.push(await weightsOf(model));
      model.dispose();
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).not.toEqual(runs[0]);
  });

  it('learns separable classes, reports each epoch, and leaks no tensors across epochs', async () => {
    const data = blobs(200, 4, 2, 2);
    const model = smallModel(4, 5);
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const result = await fitModel(model, data, blobs(100, 4, 2, 3), {
      ...options,
      epochs: 20,
      onEpoch: () => counts.push(tf.memory().numTensors),
    });
    expect(result.history).toHaveLength(20);
    expect(result.history[19].accuracy).toBeGreaterThan(0.9);
    expect(result.history[19].valAccuracy).toBeGreaterThan(0.9);
    expect(result.history[19].etaSeconds).toBe(0);
    // The best-weights snapshot may be replaced but never accumulates.
    expect(Math.max(...counts.slice(2)) - Math.min(...counts.slice(2))).toBeLessThanOrEqual(0);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('stops early and restores the weights of the epoch with the best validation loss', async () => {
    // Random training labels: the model memorises noise, so validation loss rises after the first epochs.
    const train = blobs(64, 8, 0, 4, true);
    const validation = blobs(64, 8, 0, 5, true);
    const model = smallModel(8, 6, 64);
    const result = await fitModel(model, train, validation, {
      ...options,
      epochs: 200,
      learningRate: 0.01,
      weightDecay: 0,
      labelSmoothing: 0,
      patience: 5,
      lrPatience: 100,
      batchSize: 16,
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.history.length).toBe(result.bestEpoch + 5);
    const best = result.history[result.bestEpoch - 1].valLoss!;
    expect(Math.min(...result.history.map((h) => h.valLoss!))).toBe(best);
    expect(await validationLoss(model, validation)).toBeCloseTo(best, 4);
    model.dispose();
  });

  it('reduces the learning rate on a plateau', async () => {
    const train = blobs(64, 8, 0, 6, true);
    const model = smallModel(8, 7, 64);
    const result = await fitModel(model, train, blobs(64, 8, 0, 7, true), {
      ...options,
      epochs: 30,
      learningRate: 0.01,
      patience: 100,
      lrPatience: 3,
      lrFactor: 0.5,
    });
    expect(result.history.at(-1)!.learningRate).toBeLessThan(0.01);
    model.dispose();
  });

  it('stops on abort with TrainingAborted and frees its tensors', async () => {
    const model = smallModel(4, 8);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const run = fitModel(model, blobs(64, 4, 1, 9), blobs(32, 4, 1, 10), {
      ...options,
      epochs: 50,
      signal: controller.signal,
      onEpoch: (p) => {
        if (p.epoch === 2) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(TrainingAborted);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
