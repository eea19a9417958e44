import { describe, expect, it } from 'vitest';
import { classCounts, featureDistribution, imbalanceWarnings, quantileSorted, quartilesOf } from './featureStats.ts';

describe('quartiles', () => {
  it('interpolates linearly between ranks like numpy (hand-computed)', () => {
    // 1 2 3 4: positions 0.75, 1.5, 2.25 -> 1.75, 2.5, 3.25.
    expect(quartilesOf([4, 1, 3, 2])).toEqual({ min: 1, q1: 1.75, median: 2.5, q3: 3.25, max: 4 });
    // 10 20 30 40 50: positions 1, 2, 3 exactly.
    expect(quartilesOf([50, 10, 40, 20, 30])).toEqual({ min: 10, q1: 20, median: 30, q3: 40, max: 50 });
    expect(quartilesOf([7])).toEqual({ min: 7, q1: 7, median: 7, q3: 7, max: 7 });
    expect(quartilesOf([])).toBeNull();
    expect(quantileSorted([0, 10], 0.9)).toBeCloseTo(9, 12);
    expect(() => quantileSorted([], 0.5)).toThrow(RangeError);
  });
});

describe('featureDistribution', () => {
  it('bins every class on the same edges, the last bin closed', () => {
    const values = [0, 1, 2, 3, 4, 4, 0.5, 2.5];
    const labels = ['a', 'a', 'a', 'a', 'a', 'b', 'b', 'b'];
    const d = featureDistribution(values, labels, { bins: 4 });
    expect(d.edges).toEqual([0, 1, 2, 3, 4]);
    expect(d.classes.map((c) => c.label)).toEqual(['a', 'b']);
    // a: 0 | 1 | 2 | 3, 4 ; b: 0.5 | - | 2.5 | 4
    expect(d.classes[0].counts).toEqual([1, 1, 1, 2]);
    expect(d.classes[1].counts).toEqual([1, 0, 1, 1]);
    expect(d.classes[0].n).toBe(5);
    expect(d.classes[0].mean).toBeCloseTo(2, 12);
    expect(d.classes[1].quartiles).toEqual({ min: 0.5, q1: 1.5, median: 2.5, q3: 3.25, max: 4 });
    expect(d.skipped).toBe(0);
  });

  it('puts every value, edges included, into the bin whose edges contain it, despite rounding', () => {
    // Edges like 0.1 + 0.6 * 3 / 7 are inexact; values placed exactly on them must land in the bin they start.
    const first = featureDistribution([0.1, 0.7], ['x', 'x'], { bins: 7 });
    const values = [...first.edges, ...first.edges.map((e) => e + 1e-12).slice(0, 7), 0.33, 0.5];
    const d = featureDistribution(values, values.map(() => 'x'), { bins: 7 });
    expect(d.edges).toEqual(first.edges);
    const expected = new Array<number>(7).fill(0);
    for (const v of values) {
      const k = d.edges.findIndex((e, i) => i < 7 && v >= e && (v < d.edges[i + 1] || i === 6));
      expected[k]++;
    }
    expect(d.classes[0].counts).toEqual(expected);
    expect(expected.reduce((a, b) => a + b, 0)).toBe(values.length);
  });

  it('skips non-finite values and values outside an explicit range', () => {
    const d = featureDistribution([Number.NaN, 1, 5, Infinity, 2], ['a', 'a', 'a', 'b', 'b'], { bins: 2, range: [0, 4] });
    expect(d.edges).toEqual([0, 2, 4]);
    expect(d.skipped).toBe(3);
    expect(d.classes[0].counts).toEqual([1, 0]);
    expect(d.classes[1].counts).toEqual([0, 1]);
  });

  it('widens a constant feature to one unit around its value and reports an empty class as such', () => {
    const d = featureDistribution([3, 3, Number.NaN], ['a', 'a', 'b'], { bins: 2 });
    expect(d.edges).toEqual([2.5, 3, 3.5]);
    expect(d.classes[0].counts).toEqual([0, 2]);
    expect(d.classes[1]).toEqual({ label: 'b', n: 0, counts: [0, 0], quartiles: null, mean: null });
  });

  it('rejects bad options and mismatched lengths', () => {
    expect(() => featureDistribution([1], ['a'], { bins: 0 })).toThrow(/bins/);
    expect(() => featureDistribution([1], ['a'], { range: [2, 1] })).toThrow(/ascending/);
    expect(() => featureDistribution([1, 2], ['a'])).toThrow(/same length/);
  });
});

describe('classCounts and imbalanceWarnings', () => {
  it('counts rows and distinct songs per class', () => {
    const labels = ['rock', 'rock', 'rock', 'jazz', 'jazz'];
    const groups = ['r1', 'r1', 'r2', 'j1', 'j1'];
    expect(classCounts(labels, groups)).toEqual([
      { label: 'jazz', rows: 2, songs: 1 },
      { label: 'rock', rows: 3, songs: 2 },
    ]);
    expect(classCounts(labels)).toEqual([
      { label: 'jazz', rows: 2, songs: 2 },
      { label: 'rock', rows: 3, songs: 3 },
    ]);
  });

  it('is quiet for a balanced set of large classes (GTZAN: 10 x 100 songs)', () => {
    const counts = Array.from({ length: 10 }, (_, i) => ({ label: `g${i}`, rows: 1000, songs: 100 }));
    expect(imbalanceWarnings(counts)).toEqual([]);
  });

  it('warns above a 3x ratio and under 5 songs, naming the classes', () => {
    const counts = [
      { label: 'a', rows: 40, songs: 40 },
      { label: 'b', rows: 12, songs: 12 },
      { label: 'c', rows: 4, songs: 4 },
    ];
    const warnings = imbalanceWarnings(counts);
    expect(warnings.map((w) => w.kind)).toEqual(['ratio', 'few-songs']);
    expect(warnings[0]).toMatchObject({ ratio: 10, largest: 'a', smallest: 'c' });
    expect(warnings[1]).toMatchObject({ label: 'c', songs: 4 });
    expect(warnings[1].message).toMatch(/only 4 songs/);
    // Exactly 3x is not above the threshold.
    expect(imbalanceWarnings([counts[1], { label: 'd', rows: 4, songs: 4 }], { minSongs: 1 })).toEqual([]);
  });

  it('says a single class cannot make a classifier', () => {
    expect(imbalanceWarnings([{ label: 'a', rows: 10, songs: 10 }]).map((w) => w.kind)).toEqual(['single-class']);
  });
});
