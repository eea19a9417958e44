/**
 * Augmented copies of a song's audio train with the song and are never tested or validated on: tests that would
 * catch a copy leaking into a test fold or an inner validation split.
 */
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend/select.ts';
import { createRng, randomNormal } from '../data/random.ts';
import { DEFAULT_AUGMENTATION_RANGES } from '../audio/augment.ts';
import { evaluateModel } from './evaluate.ts';
import { innerValidation } from './kinds/dense.ts';
import type { LabelledRows } from './model.ts';

const wasmPath = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + sep;
const FEATURES = ['f0', 'f1', 'f2', 'f3'];
const LABELS = ['a', 'b', 'c', 'd'];

/**
 * 15 songs per label, 4 near-identical segments each at one random point (labels carry no signal), plus one
 * augmented copy of every song (4 segments) placed by `copyAt` from the song's point and class.
 */
function withCopies(seed: number, copyAt: (point: number[], c: number) => number[]): LabelledRows {
  const rng = createRng(seed);
  const rows: LabelledRows['rows'] = [];
  LABELS.forEach((label, c) => {
    for (let s = 0; s < 15; s++) {
      const point = FEATURES.map(() => randomNormal(rng) * 3);
      const song = `${label}.${String(s).padStart(5, '0')}`;
      const near = (centre: number[]) => Float64Array.from(centre, (v) => v + randomNormal(rng) * 0.05);
      for (let k = 0; k < 4; k++) rows.push({ file: `${song}.${k}.wav`, group: song, label, features: near(point) });
      for (let k = 0; k < 4; k++) rows.push({ file: `${song}.${k}.wav`, group: song, label, features: near(copyAt(point, c)), augmented: true });
    }
  });
  return { featureNames: FEATURES, rows };
}

/** The same rows with the copies passed off as songs of their own (the leak these tests must notice). */
function copiesAsSongs(data: LabelledRows): { data: LabelledRows; songs: string[] } {
  const rows = data.rows.map((r) => (r.augmented ? { ...r, group: `${r.group}.copy`, augmented: false } : r));
  return { data: { ...data, rows }, songs: rows.map((r) => r.group) };
}

const knn5 = { kind: 'knn', scheme: { kind: 'kfold', k: 5 }, seed: 0 } as const;

beforeAll(async () => {
  await selectBackend({ force: 'wasm', wasmPath });
});

describe('augmented copies in evaluateModel', () => {
  it('never trains on a copy of a test song: near-copies of each song score chance, not a leak', async () => {
    const data = withCopies(3, (point) => point);
    const honest = await evaluateModel(data, { ...knn5, songs: data.rows.map((r) => r.group), audioAugmentation: { copies: 1, seed: 0, ranges: DEFAULT_AUGMENTATION_RANGES } });
    const leaky = copiesAsSongs(data);
    const leak = await evaluateModel(leaky.data, { ...knn5, songs: leaky.songs });
    expect(honest.top.summary.accuracy.mean).toBeLessThan(0.45);
    expect(leak.top.summary.accuracy.mean).toBeGreaterThan(0.9);
    expect([honest.rows, honest.augmentedRows, honest.songs]).toEqual([240, 240, 60]);
    expect(honest.protocol.augmentation?.audio).toMatchObject({ copies: 1, order: ['time stretch', 'pitch shift', 'gain', 'noise'] });
    expect(honest.description).toContain('training audio augmented (1 copy per file');
  });

  it('never scores a copy: copies that give their class away do not raise the test accuracy', async () => {
    // Each copy sits at its class's own corner: a scored copy would be classified right.
    const data = withCopies(4, (_, c) => FEATURES.map((_, j) => (j === c ? 20 : 0)));
    const honest = await evaluateModel(data, { ...knn5, songs: data.rows.map((r) => r.group) });
    // Scored copies: unflagged, and scored with their song (the mean of its original and copied rows).
    const scored = await evaluateModel(copiesAsSongs(data).data, { ...knn5, songs: data.rows.map((r) => r.group) });
    expect(honest.top.summary.accuracy.mean).toBeLessThan(0.45);
    expect(scored.top.summary.accuracy.mean).toBeGreaterThan(0.75);
  });
});

describe('mixup in the protocol', () => {
  it('is recorded for a kind that trains in epochs, and not for one that never mixes (k-NN)', async () => {
    const data = withCopies(6, (point) => point);
    const songs = data.rows.map((r) => r.group);
    const mixup = { fit: { mixupAlpha: 0.2, epochs: 2 } };
    const knn = await evaluateModel(data, { ...knn5, songs, train: mixup });
    const logreg = await evaluateModel(data, { kind: 'logreg', scheme: { kind: 'holdout', testFraction: 0.2 }, seed: 0, songs, train: mixup });
    expect(knn.protocol.augmentation).toBeUndefined();
    expect(knn.description).not.toContain('mixup');
    expect(logreg.protocol.augmentation).toEqual({ mixupAlpha: 0.2 });
    expect(logreg.description).toContain('mixup α 0.2');
  });
});

describe('innerValidation', () => {
  it('validates on originals only, and trains on the copies of its training groups alone', () => {
    const data = withCopies(5, (point) => point);
    const set = {
      rows: data.rows.map((r) => r.features),
      y: data.rows.map((r) => LABELS.indexOf(r.label)),
      groups: data.rows.map((r) => r.group),
      augmented: data.rows.map((r) => r.augmented === true),
      labels: LABELS,
      featureNames: FEATURES,
    };
    const split = innerValidation(set, 0.2, 1);
    const trainGroups = new Set(split.train.map((i) => set.groups[i]));
    const testGroups = new Set(split.test.map((i) => set.groups[i]));
    expect(split.test.length).toBe(48);
    expect(split.test.every((i) => !set.augmented[i])).toBe(true);
    expect([...testGroups].some((g) => trainGroups.has(g))).toBe(false);
    // Every copy of a training song trains; no copy of a validation song does.
    const copies = set.augmented.flatMap((a, i) => (a ? [i] : []));
    expect(copies.filter((i) => trainGroups.has(set.groups[i])).every((i) => split.train.includes(i))).toBe(true);
    expect(split.train.length).toBe(2 * (240 - 48));
  });
});
