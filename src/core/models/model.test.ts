import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend/select.ts';
import { createRng, randomNormal } from '../data/random.ts';
import { evaluateModel } from './evaluate.ts';
import { disposeModel, modelFromBundle, modelToBundle, predictProbabilities, predictRows, trainModel, type LabelledRows } from './model.ts';
import { TrainingAborted } from './train.ts';
import type { TrainOptions } from './types.ts';

const wasmPath = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + sep;

const FEATURES = ['f0', 'f1', 'f2', 'f3', 'f4', 'f5'];

/**
 * Songs of `segments` rows each. With `separable`, each label has its own mean; otherwise every song is one random
 * point (labels carry no signal) and its segments are near-identical copies of it.
 */
function songs(labels: string[], perLabel: number, segments: number, seed: number, separable: boolean): LabelledRows {
  const rng = createRng(seed);
  const rows: LabelledRows['rows'] = [];
  labels.forEach((label, c) => {
    for (let s = 0; s < perLabel; s++) {
      const centre = FEATURES.map((_, j) => randomNormal(rng) * (separable ? 0.6 : 3) + (separable ? 3 * Math.cos(c + j * (c + 1)) : 0));
      const song = `${label.replace('/', '-')}.${String(s).padStart(5, '0')}`;
      for (let k = 0; k < segments; k++) {
        // Variances are positive and skewed, like the GTZAN *_var columns, to exercise the log transform.
        const features = Float64Array.from(centre, (v, j) => (j === 5 ? Math.exp(v / 2) : v + randomNormal(rng) * 0.05));
        rows.push({ file: `${song}.${k}.wav`, group: song, label, features });
      }
    }
  });
  return { featureNames: FEATURES, rows };
}

const fast: Omit<TrainOptions, 'seed'> = { fit: { epochs: 30, patience: 8 }, hidden: [16] };
const quickMembers = [
  { kind: 'mlp', seed: 0 },
  { kind: 'logreg', seed: 0 },
  { kind: 'knn', seed: 0 },
  { kind: 'extra-trees', seed: 0 },
];

beforeAll(async () => {
  await selectBackend({ force: 'wasm', wasmPath });
});

describe('save and load', () => {
  const data = songs(['a', 'b', 'c'], 8, 2, 11, true);
  const probe = data.rows.slice(0, 12).map((r) => r.features);

  for (const kind of ['logreg', 'mlp', 'knn', 'svm', 'ensemble']) {
    it(`${kind}: a loaded bundle predicts exactly what the trained model did`, async () => {
      const { model } = await trainModel(data, kind, { seed: 1, ...fast, members: quickMembers });
      const before = await predictProbabilities(model, probe);
      const bundle = await modelToBundle(model, { name: kind, featureSetVersion: 'test', segmentSeconds: 3, backend: 'wasm' });
      expect(bundle.metadata.kind).toBe(kind);
      expect(bundle.metadata.labels).toEqual(['a', 'b', 'c']);
      expect(Object.keys(bundle.files)).toContain('model.json');
      const loaded = await modelFromBundle(bundle);
      expect((await predictProbabilities(loaded, probe)).top).toEqual(before.top);
      // The top-level model.json + weights load with plain tf.loadLayersModel.
      const json = JSON.parse(new TextDecoder().decode(bundle.files['model.json'])) as tf.io.ModelJSON;
      const weights = bundle.files['weights.bin'];
      const plain = await tf.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: json.modelTopology,
          weightSpecs: json.weightsManifest[0].weights,
          weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
        }),
      );
      // k-NN: a score per reference row; svm: 3 pairwise decision values for each of its 3 settings; else classes.
      expect(plain.outputs[0].shape[1]).toBe(kind === 'knn' ? data.rows.length : kind === 'svm' ? 9 : 3);
      plain.dispose();
      disposeModel(model);
      disposeModel(loaded);
    });
  }
});

describe('two-level labels', () => {
  it('trains a genre model and a subgenre model per genre with several subgenres, and keeps them on save', async () => {
    const data = songs(['Rock/Grunge', 'Rock/Punk', 'Jazz/Bebop', 'Pop'], 6, 2, 12, true);
    const { model } = await trainModel(data, 'mlp', { seed: 2, ...fast });
    expect(model.labels).toEqual(['Jazz', 'Pop', 'Rock']);
    expect(Object.keys(model.sub)).toEqual(['Rock']);
    expect(model.subLabels).toEqual({ Jazz: ['Bebop'], Pop: [], Rock: ['Grunge', 'Punk'] });
    const probe = data.rows.map((r) => r.features);
    const predictions = await predictRows(model, probe);
    const rockRows = data.rows.map((r, i) => [r, predictions[i]] as const).filter(([r]) => r.label.startsWith('Rock/'));
    const correct = rockRows.filter(([r, p]) => `${p.label}/${p.subLabel}` === r.label).length;
    expect(correct / rockRows.length).toBeGreaterThan(0.8);
    const bundle = await modelToBundle(model, { name: 'h', featureSetVersion: 'test', segmentSeconds: 3, backend: 'wasm' });
    expect(bundle.metadata.hierarchy?.subModels).toEqual([{ genre: 'Rock', path: 'sub/0/' }]);
    const loaded = await modelFromBundle(bundle);
    expect(await predictRows(loaded, probe)).toEqual(predictions);
    disposeModel(model);
    disposeModel(loaded);
  });

  it('reports metrics at the genre and at the subgenre level', async () => {
    const data = songs(['Rock/Grunge', 'Rock/Punk', 'Jazz/Bebop', 'Jazz/Swing'], 6, 2, 13, true);
    const result = await evaluateModel(data, { kind: 'logreg', scheme: { kind: 'kfold', k: 3 }, seed: 0, train: fast });
    expect(result.top.labels).toEqual(['Jazz', 'Rock']);
    expect(result.paths?.labels).toEqual(['Jazz/Bebop', 'Jazz/Swing', 'Rock/Grunge', 'Rock/Punk']);
    expect(result.top.summary.accuracy.mean).toBeGreaterThan(0.8);
    expect(result.paths!.summary.accuracy.mean).toBeGreaterThan(0.6);
    expect(result.protocol).toMatchObject({ kind: 'kfold', k: 3, grouping: 'song', level: 'song', stratified: true });
  });
});

describe('seeds', () => {
  // Seed 0 is the default of the CLI and the app; TF.js once drew the first layer of such a model at random.
  for (const kind of ['mlp', 'logreg']) {
    it(`${kind}: seed 0 trains the same model twice, and another seed a different one`, async () => {
      const data = songs(['a', 'b', 'c'], 6, 2, 21, true);
      const probe = data.rows.map((r) => r.features);
      const runs: number[][][] = [];
      for (const seed of [0, 0, 1]) {
        const { model } = await trainModel(data, kind, { seed, ...fast, fit: { epochs: 3 } });
        runs.push((await predictProbabilities(model, probe)).top);
        disposeModel(model);
      }
      expect(runs[1]).toEqual(runs[0]);
      expect(runs[2]).not.toEqual(runs[0]);
    });
  }
});

describe('progress', () => {
  it('names the ensemble member and the subgenre model that each epoch and step belongs to', async () => {
    const data = songs(['Rock/Grunge', 'Rock/Punk', 'Jazz'], 5, 2, 8, true);
    const epochParts = new Set<string | undefined>();
    const steps: string[] = [];
    const { model } = await trainModel(data, 'ensemble', {
      seed: 1,
      ...fast,
      members: [
        { kind: 'mlp', seed: 0 },
        { kind: 'extra-trees', seed: 0 },
      ],
      trees: 60,
      onEpoch: (p) => epochParts.add(p.part),
      onStep: (p) => steps.push(`${p.part}: ${p.what} ${p.done}/${p.total}`),
    });
    expect([...epochParts]).toEqual(['member 1/2 (mlp)', 'Rock subgenres, member 1/2 (mlp)']);
    expect(steps).toEqual([
      'member 2/2 (extra-trees): growing trees 50/60',
      'member 2/2 (extra-trees): growing trees 60/60',
      'Rock subgenres, member 2/2 (extra-trees): growing trees 50/60',
      'Rock subgenres, member 2/2 (extra-trees): growing trees 60/60',
    ]);
    disposeModel(model);
  });
});

describe('evaluation protocol', () => {
  it('catches a segment leak: near-identical segments with random labels score chance only when songs stay whole', async () => {
    // 4 classes, labels unrelated to the features; each song's 4 segments are near-copies of one point.
    const data = songs(['a', 'b', 'c', 'd'], 15, 4, 14, false);
    const honest = await evaluateModel(data, { kind: 'knn', scheme: { kind: 'kfold', k: 5 }, seed: 0 });
    // A leaky protocol: every segment its own group, so a song's segments land in train and test.
    const leakyData = { ...data, rows: data.rows.map((r) => ({ ...r, group: r.file! })) };
    const leaky = await evaluateModel(leakyData, { kind: 'knn', scheme: { kind: 'kfold', k: 5 }, seed: 0, songs: data.rows.map((r) => r.file!) });
    expect(honest.top.summary.accuracy.mean).toBeLessThan(0.45);
    expect(leaky.top.summary.accuracy.mean).toBeGreaterThan(0.9);
  });
});

describe('cancel', () => {
  it('leaves the previous model untouched and frees the cancelled one', async () => {
    const data = songs(['a', 'b'], 8, 2, 15, true);
    const probe = data.rows.map((r) => r.features);
    const { model: previous } = await trainModel(data, 'mlp', { seed: 3, ...fast });
    const before = await predictProbabilities(previous, probe);
    const tensors = tf.memory().numTensors;
    const controller = new AbortController();
    const run = trainModel(data, 'mlp', {
      seed: 4,
      ...fast,
      signal: controller.signal,
      onEpoch: (p) => {
        if (p.epoch === 3) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(TrainingAborted);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(await predictProbabilities(previous, probe)).toEqual(before);
    disposeModel(previous);
  });
});
