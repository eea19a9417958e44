import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../backend/select.ts';
import { createRng, randomNormal } from '../../data/random.ts';
import { disposeModel, modelFromBundle, modelToBundle, predictProbabilities, trainModel, type LabelledRows } from '../model.ts';

const N_FRAMES = 4;
const N_MELS = 128;

/** Log-mel patches in dB: 'low' songs have energy in the lowest 32 bands, 'high' songs in the highest 32. */
function patches(seed: number): LabelledRows {
  const rng = createRng(seed);
  const rows: LabelledRows['rows'] = [];
  for (const label of ['high', 'low']) {
    for (let s = 0; s < 4; s++) {
      for (let k = 0; k < 2; k++) {
        const features = new Float32Array(N_FRAMES * N_MELS);
        for (let f = 0; f < N_FRAMES; f++) {
          for (let m = 0; m < N_MELS; m++) {
            const loud = label === 'low' ? m < 32 : m >= 96;
            features[f * N_MELS + m] = (loud ? -20 : -60) + 5 * randomNormal(rng);
          }
        }
        rows.push({ file: `${label}.${s}.${k}.wav`, group: `${label}.${s}`, label, features });
      }
    }
  }
  return { featureNames: ['logmel'], rows };
}

beforeAll(async () => {
  await selectBackend({ workload: 'conv' });
});

describe('cnn', () => {
  // The cpu backend's convolutions are slow, so this only checks the plumbing: a short fit off wasm and the round trip.
  it('trains on log-mel patches off wasm, and a loaded bundle predicts the same', async () => {
    expect(tf.getBackend()).not.toBe('wasm');
    const data = patches(1);
    const { model, history } = await trainModel(data, 'cnn', { seed: 0, fit: { epochs: 2, patience: 2 }, validationFraction: 0 });
    expect(history).toHaveLength(2);
    expect(history.every((h) => Number.isFinite(h.loss))).toBe(true);
    const probe = data.rows.map((r) => r.features);
    const before = await predictProbabilities(model, probe);
    const bundle = await modelToBundle(model, { name: 'cnn', featureSetVersion: 'test', segmentSeconds: 3, backend: tf.getBackend() });
    expect(bundle.metadata.input).toBe('logmel');
    const loaded = await modelFromBundle(bundle);
    const after = await predictProbabilities(loaded, probe);
    after.top.forEach((p, i) => p.forEach((v, c) => expect(v).toBeCloseTo(before.top[i][c], 5)));
    disposeModel(model);
    disposeModel(loaded);
  });
});
