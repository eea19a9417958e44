import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AudioAugmentationSettings } from '../src/core/audio/augment.ts';
import { createRng, randomNormal } from '../src/core/data/random.ts';
import type { ArtistGrouping } from '../src/core/data/splits.ts';
import { Predictor, trainAndEvaluate, type TrainingProgress, type TrainingRequest } from './training.ts';

const wasmPath = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + sep;

/** Two separable classes, 10 songs each, 3 segments per song, 3 features; packed as the worker receives them. */
function request(): TrainingRequest {
  const rng = createRng(5);
  const rows: TrainingRequest['rows'] = [];
  const values: number[] = [];
  for (const [c, label] of ['calm', 'loud'].entries()) {
    for (let s = 0; s < 10; s++) {
      for (let k = 0; k < 3; k++) {
        rows.push({ file: `${label}/${s}.wav`, group: `${label}/${s}`, label });
        values.push(3 * c + randomNormal(rng), randomNormal(rng), Math.exp(c + 0.2 * randomNormal(rng)));
      }
    }
  }
  return {
    kind: 'mlp',
    seed: 3,
    featureNames: ['a', 'b', 'c_var'],
    rows,
    features: Float64Array.from(values),
    evaluation: { scheme: { kind: 'holdout', testFraction: 0.3 } },
    fit: { epochs: 20, patience: 20 },
    name: 'test',
    featureSetVersion: 'test-1',
    segmentSeconds: 3,
    wasmPath,
  };
}

describe('training worker core', () => {
  it('evaluates, trains on everything, reports progress, and returns a bundle that predicts songs', async () => {
    const stages = new Set<string>();
    const result = await trainAndEvaluate(request(), (p: TrainingProgress) => stages.add(p.stage));
    expect([...stages]).toEqual(['evaluating', 'training']);
    expect(result.backend.backend).toBe('wasm');
    expect(result.evaluation?.protocol).toMatchObject({ kind: 'holdout', grouping: 'song', level: 'song' });
    expect(result.evaluation!.top.summary.accuracy.mean).toBeGreaterThan(0.8);
    expect(result.bundle.metadata).toMatchObject({ kind: 'mlp', labels: ['calm', 'loud'], featureSetVersion: 'test-1', segmentSeconds: 3, backend: 'wasm' });

    const predictor = await Predictor.load(result.bundle, wasmPath);
    const req = request();
    // The first song of each class, 3 segments each.
    const features = Float64Array.from([...req.features.subarray(0, 9), ...req.features.subarray(30 * 3, 33 * 3)]);
    const songs = await predictor.predictSongs(features, [3, 3]);
    expect(songs.map((s) => s.song.label)).toEqual(['calm', 'loud']);
    expect(songs[0].segments).toHaveLength(3);
    const mean = songs[0].segments.reduce((s, p) => s + p.proba[0], 0) / 3;
    expect(songs[0].song.proba[0]).toBeCloseTo(mean, 6);
    predictor.dispose();
  });

  it('announces every part as it starts, so that a kind without epochs (k-NN) shows progress too', async () => {
    const events: string[] = [];
    await trainAndEvaluate({ ...request(), kind: 'knn', evaluation: { scheme: { kind: 'kfold', k: 3 } } }, (p) =>
      events.push(p.stage === 'evaluating' ? `fold ${p.fold}/${p.folds}${p.epoch ? ' epoch' : ''}` : `final${p.epoch ? ' epoch' : ''}`),
    );
    expect(events).toEqual(['fold 1/3', 'fold 2/3', 'fold 3/3', 'final']);
  });

  it('reports the steps inside each part of the SVM (settings searched, then the chosen ones trained)', async () => {
    const events: string[] = [];
    await trainAndEvaluate({ ...request(), kind: 'svm', evaluation: { scheme: { kind: 'kfold', k: 2 } } }, (p) => {
      const part = p.stage === 'evaluating' ? `fold ${p.fold}/${p.folds}` : 'final';
      events.push(p.step ? `${part} ${p.step.what} ${p.step.done}/${p.step.total}` : part);
    });
    // 7 C x 4 gamma settings, then the 3 best trained on every row of the part.
    const steps = (part: string) => [
      part,
      ...Array.from({ length: 28 }, (_, i) => `${part} choosing C and gamma ${i + 1}/31`),
      ...[29, 30, 31].map((done) => `${part} training the chosen SVMs ${done}/31`),
    ];
    expect(events).toEqual([...steps('fold 1/2'), ...steps('fold 2/2'), ...steps('final')]);
  });

  it('cancels the SVM between the steps of a part', async () => {
    const controller = new AbortController();
    let lastStep = 0;
    const run = trainAndEvaluate(
      { ...request(), kind: 'svm', evaluation: { scheme: { kind: 'kfold', k: 3 } } },
      (p) => {
        if (!p.step) return;
        lastStep = p.step.done;
        if (p.step.done === 5) controller.abort();
      },
      controller.signal,
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(lastStep).toBe(5);
  });

  it('cancels a kind without epochs between parts', async () => {
    const controller = new AbortController();
    const run = trainAndEvaluate(
      { ...request(), kind: 'svm', evaluation: { scheme: { kind: 'kfold', k: 3 } } },
      (p) => {
        if (p.stage === 'evaluating' && p.fold === 2) controller.abort();
      },
      controller.signal,
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects on abort', async () => {
    const controller = new AbortController();
    const run = trainAndEvaluate(request(), (p) => {
      if (p.stage === 'evaluating' && p.epoch?.epoch === 2) controller.abort();
    }, controller.signal);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('trains on augmented rows without testing them, and records the augmentation and artist grouping in the protocol', async () => {
    const base = request();
    const width = base.featureNames.length;
    // One augmented copy of each song's first segment, shifted slightly.
    const copies = base.rows.flatMap((r, i) => (i % 3 === 0 ? [{ ...r, augmented: true }] : []));
    const copyFeatures = base.rows.flatMap((_, i) => (i % 3 === 0 ? Array.from(base.features.subarray(i * width, (i + 1) * width), (v) => v + 0.1) : []));
    const audioAugmentation: AudioAugmentationSettings = { copies: 1, seed: 3, ranges: { stretchRate: [1, 1], semitones: [0, 0], gainDb: [0, 0], snrDb: [30, 30] } };
    const artists: ArtistGrouping = { source: 'tags', filesWithArtist: 0, filesWithoutArtist: 20 };
    const result = await trainAndEvaluate(
      {
        ...base,
        kind: 'logreg',
        rows: [...base.rows, ...copies],
        features: Float64Array.from([...base.features, ...copyFeatures]),
        evaluation: { scheme: { kind: 'holdout', testFraction: 0.3 }, grouping: 'artist', artists },
        audioAugmentation,
      },
      () => undefined,
    );
    expect([result.evaluation!.rows, result.evaluation!.augmentedRows, result.evaluation!.songs]).toEqual([60, 20, 20]);
    expect(result.evaluation!.protocol).toMatchObject({ grouping: 'artist', artists, augmentation: { audio: { copies: 1, seed: 3 } } });
    const saved = result.bundle.metadata.evaluation as { protocol: { augmentation?: unknown }; description: string };
    expect(saved.protocol.augmentation).toBeDefined();
    expect(saved.description).toContain('grouped by artist (from artist tags: 0 of 20 files; the others by song)');
  });
});
