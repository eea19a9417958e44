import { describe, expect, it } from 'vitest';
import { createRng, randomNormal } from '../../data/random.ts';
import { getModelKind } from '../registry.ts';
import { decodeForest, encodeForest, forestKind, forestProba, growForest, type Forest } from './forest.ts';

function matrix(rows: number[][]): Float64Array {
  return Float64Array.from(rows.flat());
}

describe('growForest', () => {
  it('splits two rows once, on the only feature that varies, into two pure one-hot leaves', () => {
    // The second feature is constant and can never be split on.
    const forest = growForest(matrix([[0, 7], [1, 7]]), 2, Int32Array.of(0, 1), 2, { trees: 25, seed: 1, balanceClasses: true });
    expect(forest.roots).toEqual(Int32Array.from({ length: 25 }, (_, t) => 3 * t));
    for (const root of forest.roots) {
      expect(forest.feature[root]).toBe(0);
      expect(forest.threshold[root]).toBeGreaterThanOrEqual(0);
      expect(forest.threshold[root]).toBeLessThan(1);
      // Left child right after the split, right child where `next` says; leaves point at one-hot rows 0 and 1.
      expect(forest.next[root]).toBe(root + 2);
      expect([forest.feature[root + 1], forest.next[root + 1], forest.feature[root + 2], forest.next[root + 2]]).toEqual([0xffff, 0, 0xffff, 1]);
    }
    expect(forest.leafTable).toEqual(Float32Array.of(1, 0, 0, 1));
    expect(forestProba(forest, [0, 7])).toEqual([1, 0]);
    expect(forestProba(forest, [1, 7])).toEqual([0, 1]);
  });

  it('grows until every leaf is pure, so it fits its training rows, using only features that vary', () => {
    const xs = [0, 0.25, 0.5, 0.75, 1, 2, 2.5, 3, 3.5, 4, 1.2, 1.7];
    const y = Int32Array.from(xs, (v, i) => (i >= 10 ? 1 - (v < 1.5 ? 0 : 1) : v < 1.5 ? 0 : 1));
    const forest = growForest(matrix(xs.map((v) => [v, 7])), 2, y, 2, { trees: 25, seed: 1, balanceClasses: true });
    expect(forest.feature.every((f) => f === 0 || f === 0xffff)).toBe(true);
    expect(forest.leafTable.length).toBe(4);
    xs.forEach((v, i) => expect(forestProba(forest, [v, 7])).toEqual(y[i] === 0 ? [1, 0] : [0, 1]));
  });

  it('keeps rows that no feature can tell apart in one leaf with their weighted class shares', () => {
    // Identical rows of classes 0, 0, 1: no split is possible. With balanced weights class 1 counts twice as much
    // (weights n/(K·n_c): 3/4 for class 0 and 3/2 for class 1), so the leaf holds 1/2 and 1/2.
    const x = matrix([[1, 1], [1, 1], [1, 1]]);
    const y = Int32Array.of(0, 0, 1);
    const balanced = growForest(x, 2, y, 2, { trees: 3, seed: 0, balanceClasses: true });
    expect(forestProba(balanced, [1, 1])).toEqual([0.5, 0.5]);
    const plain = growForest(x, 2, y, 2, { trees: 3, seed: 0, balanceClasses: false });
    const [p0, p1] = forestProba(plain, [1, 1]);
    expect(p0).toBeCloseTo(2 / 3, 6);
    expect(p1).toBeCloseTo(1 / 3, 6);
    // One leaf per tree, each pointing at one new table row after the two one-hot rows.
    expect(Array.from(plain.feature)).toEqual([0xffff, 0xffff, 0xffff]);
    expect(Array.from(plain.next)).toEqual([2, 3, 4]);
  });

  it('gives the same forest for the same seed and a different one for another', () => {
    const rng = createRng(5);
    const x = Float64Array.from({ length: 60 * 4 }, () => randomNormal(rng));
    const y = Int32Array.from({ length: 60 }, (_, i) => i % 3);
    const a = growForest(x, 4, y, 3, { trees: 10, seed: 2, balanceClasses: true });
    const b = growForest(x, 4, y, 3, { trees: 10, seed: 2, balanceClasses: true });
    const c = growForest(x, 4, y, 3, { trees: 10, seed: 3, balanceClasses: true });
    expect(encodeForest(a)).toEqual(encodeForest(b));
    expect(encodeForest(a)).not.toEqual(encodeForest(c));
  });

  it('reports the trees grown every 50 trees and after the last', () => {
    const x = Float64Array.of(0, 1, 2, 3);
    const grown: number[] = [];
    growForest(x, 1, Int32Array.of(0, 0, 1, 1), 2, { trees: 120, seed: 1, balanceClasses: false, onTrees: (n) => grown.push(n) });
    expect(grown).toEqual([50, 100, 120]);
  });

  it('learns classes that need two features (XOR of signs), where no single split helps', () => {
    const rng = createRng(9);
    const point = () => [randomNormal(rng), randomNormal(rng), randomNormal(rng)];
    const label = (p: number[]) => (p[0] * p[1] > 0 ? 1 : 0);
    const train = Array.from({ length: 400 }, point);
    const test = Array.from({ length: 200 }, point);
    const forest = growForest(matrix(train), 3, Int32Array.from(train, label), 2, { trees: 100, seed: 0, balanceClasses: true });
    const correct = test.filter((p) => {
      const [q0, q1] = forestProba(forest, p);
      return (q1 > q0 ? 1 : 0) === label(p);
    }).length;
    expect(correct / test.length).toBeGreaterThan(0.85);
  });
});

describe('forest.bin', () => {
  const rng = createRng(4);
  const x = Float64Array.from({ length: 40 * 3 }, () => randomNormal(rng));
  const y = Int32Array.from({ length: 40 }, (_, i) => i % 4);
  const forest = growForest(x, 3, y, 4, { trees: 6, seed: 1, balanceClasses: true });

  it('round-trips every array exactly', () => {
    const back = decodeForest(encodeForest(forest), 4);
    for (const key of ['roots', 'threshold', 'feature', 'next', 'leafTable'] as const) expect(back[key]).toEqual(forest[key]);
    expect([back.numFeatures, back.numClasses]).toEqual([3, 4]);
  });

  const corrupt = (change: (f: Forest) => void): Uint8Array => {
    const copy = decodeForest(encodeForest(forest), 4);
    change(copy);
    return encodeForest(copy);
  };

  it('refuses files whose indices would leave the forest, or of the wrong size or class count', () => {
    const split = forest.feature.findIndex((f) => f !== 0xffff);
    const leaf = forest.feature.indexOf(0xffff);
    expect(() => decodeForest(encodeForest(forest), 3)).toThrow(/3 classes|4 classes/);
    expect(() => decodeForest(encodeForest(forest).subarray(0, 100), 4)).toThrow(/bytes where its header implies/);
    expect(() => decodeForest(corrupt((f) => (f.next[split] = split)), 4)).toThrow(/split points outside its tree/);
    expect(() => decodeForest(corrupt((f) => (f.next[split] = f.roots[1] + 1)), 4)).toThrow(/split points outside its tree/);
    expect(() => decodeForest(corrupt((f) => (f.feature[split] = 3)), 4)).toThrow(/split points outside its tree/);
    expect(() => decodeForest(corrupt((f) => (f.next[leaf] = 10_000)), 4)).toThrow(/leaf points outside/);
    expect(() => decodeForest(corrupt((f) => (f.leafTable[0] = NaN)), 4)).toThrow(/invalid probability/);
    expect(() => decodeForest(corrupt((f) => (f.roots[2] = f.roots[1])), 4)).toThrow(/a tree has no nodes/);
  });
});

describe('extra-trees kind', () => {
  it('is registered, trains only as an ensemble member, and its saved part loads to the same predictions', async () => {
    expect(getModelKind('extra-trees')).toBe(forestKind);
    expect(forestKind.standalone).toBe(false);
    const rows = Array.from({ length: 30 }, (_, i) => [Math.sin(i), (i % 3) + 0.1 * Math.cos(i)]);
    const set = { rows, y: rows.map((_, i) => i % 3), groups: rows.map((_, i) => `s${i}`), labels: ['a', 'b', 'c'], featureNames: ['f0', 'f1'] };
    const { classifier, details } = await forestKind.train(set, { seed: 0, trees: 12 });
    expect(details.trees).toBe(12);
    const part = await classifier.save('members/2/');
    expect(Object.keys(part.files)).toEqual(['members/2/forest.bin']);
    const loaded = await forestKind.load(part, part.files, 'members/2/');
    expect(await loaded.predictProba(rows)).toEqual(await classifier.predictProba(rows));
    // Separated classes: every training row is fit.
    const predicted = (await classifier.predictProba(rows)).map((p) => p.indexOf(Math.max(...p)));
    expect(predicted).toEqual(set.y);
  });
});
