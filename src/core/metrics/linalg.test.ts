import { describe, expect, it } from 'vitest';
import { createRng } from '../data/random.ts';
import { cholesky, solveLower, solveLowerTransposed, symmetricEigen } from './linalg.ts';

function randomSymmetric(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      a[i * n + j] = rng() * 2 - 1;
      a[j * n + i] = a[i * n + j];
    }
  }
  return a;
}

describe('symmetricEigen', () => {
  it('finds the hand-computed eigenpairs of [[2, 1], [1, 2]]: 3 along (1, 1), 1 along (1, -1)', () => {
    const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[0][0])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[0][0] * vectors[0][1]).toBeCloseTo(0.5, 12);
    expect(vectors[1][0] * vectors[1][1]).toBeCloseTo(-0.5, 12);
  });

  it('satisfies A v = λ v with orthonormal vectors and descending values (random 20 x 20)', () => {
    const n = 20;
    const a = randomSymmetric(n, 3);
    const { values, vectors } = symmetricEigen(a, n);
    for (let i = 1; i < n; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
    for (let e = 0; e < n; e++) {
      for (let r = 0; r < n; r++) {
        let av = 0;
        for (let k = 0; k < n; k++) av += a[r * n + k] * vectors[e][k];
        expect(av).toBeCloseTo(values[e] * vectors[e][r], 10);
      }
      for (let f = 0; f < n; f++) {
        const dot = vectors[e].reduce((s, v, k) => s + v * vectors[f][k], 0);
        expect(dot).toBeCloseTo(e === f ? 1 : 0, 10);
      }
    }
  });

  it('handles a diagonal and a zero matrix', () => {
    expect(Array.from(symmetricEigen(Float64Array.of(1, 0, 0, 0, 5, 0, 0, 0, 3), 3).values)).toEqual([5, 3, 1]);
    expect(Array.from(symmetricEigen(new Float64Array(4), 2).values)).toEqual([0, 0]);
  });
});

describe('cholesky and triangular solves', () => {
  it('factors [[4, 2], [2, 3]] as L = [[2, 0], [1, √2]] and solves through it', () => {
    const l = cholesky(Float64Array.of(4, 2, 2, 3), 2);
    expect(l[0]).toBeCloseTo(2, 12);
    expect(l[1]).toBe(0);
    expect(l[2]).toBeCloseTo(1, 12);
    expect(l[3]).toBeCloseTo(Math.SQRT2, 12);
    // L y = (2, 1 + √2) -> y = (1, 1); Lᵀ x = (3, √2) -> x = (1, 1).
    const y = solveLower(l, 2, [2, 1 + Math.SQRT2]);
    expect(y[0]).toBeCloseTo(1, 12);
    expect(y[1]).toBeCloseTo(1, 12);
    const x = solveLowerTransposed(l, 2, [3, Math.SQRT2]);
    expect(x[0]).toBeCloseTo(1, 12);
    expect(x[1]).toBeCloseTo(1, 12);
  });

  it('rejects a matrix that is not positive definite', () => {
    expect(() => cholesky(Float64Array.of(1, 2, 2, 1), 2)).toThrow(/positive definite/);
  });
});
