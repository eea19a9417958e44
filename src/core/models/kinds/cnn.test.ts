import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../backend/select.ts';
import { createRng, randomNormal } from '../../data/random.ts';
import { disposeModel, modelFromBundle, modelToBundle, predictRows, trainModel, type LabelledRows } from '../model.ts';

const N_FRAMES = 16;
const N_MELS = 128;

/**
 * Log-mel patches in dB where only the spectro-temporal shape tells the classes apart: 'rising' songs hold a band
 * of energy that climbs through the frames, 'falling' ones the same band descending (same bands, same loudness,
 * so the mean spectrum of both is alike). Each song starts its sweep at its own random band.
 */
function sweeps(seed: number, songsPerClass: number): LabelledRows {
  const rng = createRng(seed);
  const rows: LabelledRows['rows'] = [];
  for (const label of ['falling', 'rising']) {
    for (let s = 0; s < songsPerClass; s++) {
      const start = 20 + Math.floor(rng() * 60);
      for (let k = 0; k < 2; k++) {
        const features = new Float32Array(N_FRAMES * N_MELS);
        for (let f = 0; f < N_FRAMES; f++) {
          const centre = start + 3 * (label === 'rising' ? f : N_FRAMES - 1 - f);
          for (let m = 0; m < N_MELS; m++) features[f * N_MELS + m] = (Math.abs(m - centre) <= 4 ? -20 : -60) + 4 * randomNormal(rng);
        }
        rows.push({ file: `${label}.${seed}.${s}.${k}.wav`, group: `${label}.${seed}.${s}`, label, features });
      }
    }
  }
  return { featureNames: ['logmel'], rows };
}

const wasmPath = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + sep;

beforeAll(async () => {
  await selectBackend({ workload: 'conv', wasmPath });
});

describe('cnn', () => {
  it('learns rising from falling sweeps on wasm (unseen songs), and a loaded bundle predicts the same', async () => {
    expect(tf.getBackend()).toBe('wasm');
    const train = sweeps(1, 12);
    const test = sweeps(2, 8);
    const { model, history } = await trainModel(train, 'cnn', { seed: 0, fit: { epochs: 25, patience: 25, learningRate: 3e-3 }, validationFraction: 0 });
    expect(history).toHaveLength(25);
    expect(history.every((h) => Number.isFinite(h.loss))).toBe(true);
    const probe = test.rows.map((r) => r.features);
    const before = await predictRows(model, probe);
    const correct = before.filter((p, i) => p.label === test.rows[i].label).length;
    // Chance is 50%; the sweep direction is all there is to learn.
    expect(correct / probe.length).toBeGreaterThanOrEqual(0.9);
    const bundle = await modelToBundle(model, { name: 'cnn', featureSetVersion: 'test', segmentSeconds: 3, backend: tf.getBackend() });
    expect(bundle.metadata.input).toBe('logmel');
    const loaded = await modelFromBundle(bundle);
    const after = await predictRows(loaded, probe);
    after.forEach((p, i) => p.proba.forEach((v, c) => expect(v).toBeCloseTo(before[i].proba[c], 5)));
    disposeModel(model);
    disposeModel(loaded);
  });
});
