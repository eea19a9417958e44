import { describe, expect, it } from 'vitest';
import { createRng, randomInt, randomNormal, shuffleInPlace } from './random.ts';

function take(rng: () => number, n: number): number[] {
  return Array.from({ length: n }, () => rng());
}

describe('createRng', () => {
  it('gives the same sequence for the same seed and different ones for different seeds', () => {
    expect(take(createRng(42), 100)).toEqual(take(createRng(42), 100));
    expect(take(createRng(42), 10)).not.toEqual(take(createRng(43), 10));
    expect(take(createRng(0), 10)).not.toEqual(take(createRng(1), 10));
  });

  it('treats seeds equal modulo 2^32 and their truncations alike', () => {
    expect(take(createRng(7.9), 5)).toEqual(take(createRng(7), 5));
    expect(take(createRng(-1), 5)).toEqual(take(createRng(2 ** 32 - 1), 5));
  });

  it('rejects a non-finite seed', () => {
    expect(() => createRng(Number.NaN)).toThrow(/finite/);
  });

  it('is uniform on [0, 1): range, mean, variance and a chi-square over 20 bins', () => {
    const n = 100_000;
    const xs = take(createRng(123), n);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    expect(mean).toBeCloseTo(0.5, 2);
    expect(variance).toBeCloseTo(1 / 12, 2);
    const bins = new Array<number>(20).fill(0);
    for (const x of xs) bins[Math.floor(x * 20)]++;
    const expected = n / 20;
    const chi2 = bins.reduce((a, c) => a + (c - expected) ** 2 / expected, 0);
    // 19 degrees of freedom: the 99.9th percentile is 43.8.
    expect(chi2).toBeLessThan(43.8);
  });

  it('has no visible correlation between consecutive draws', () => {
    const xs = take(createRng(5), 50_001);
    let s = 0;
    for (let i = 0; i < 50_000; i++) s += (xs[i] - 0.5) * (xs[i + 1] - 0.5);
    const correlation = s / 50_000 / (1 / 12);
    expect(Math.abs(correlation)).toBeLessThan(0.03);
  });
});

describe('randomInt', () => {
  it('stays in [0, n) and hits every value', () => {
    const rng = createRng(9);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const k = randomInt(rng, 7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
      seen.add(k);
    }
    expect(seen.size).toBe(7);
  });

  it('rejects a non-positive or fractional n', () => {
    expect(() => randomInt(createRng(1), 0)).toThrow(RangeError);
    expect(() => randomInt(createRng(1), 2.5)).toThrow(RangeError);
  });
});

describe('shuffleInPlace', () => {
  it('permutes in place, deterministically by seed', () => {
    const a = Array.from({ length: 50 }, (_, i) => i);
    const b = [...a];
    const returned = shuffleInPlace(a, createRng(3));
    expect(returned).toBe(a);
    shuffleInPlace(b, createRng(3));
    expect(a).toEqual(b);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('makes all 6 orders of 3 items about equally likely', () => {
    const rng = createRng(11);
    const counts = new Map<string, number>();
    const trials = 60_000;
    for (let i = 0; i < trials; i++) {
      const key = shuffleInPlace(['a', 'b', 'c'], rng).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - trials / 6)).toBeLessThan(400);
  });

  it('leaves empty and one-element arrays alone', () => {
    expect(shuffleInPlace([], createRng(1))).toEqual([]);
    expect(shuffleInPlace([1], createRng(1))).toEqual([1]);
  });
});

describe('randomNormal', () => {
  it('has mean 0, variance 1 and about 68.3% of samples within one standard deviation', () => {
    const rng = createRng(77);
    const n = 100_000;
    const xs = Array.from({ length: n }, () => randomNormal(rng));
    expect(xs.every(Number.isFinite)).toBe(true);
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    const within = xs.filter((x) => Math.abs(x) < 1).length / n;
    expect(Math.abs(within - 0.6827)).toBeLessThan(0.01);
  });
});
