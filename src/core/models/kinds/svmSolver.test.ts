import { describe, expect, it } from 'vitest';
import { createRng, randomNormal } from '../../data/random.ts';
import {
  couplePairwise,
  distancesAmong,
  fitPlattSigmoid,
  pairDecisions,
  pairProbabilities,
  pairVotes,
  solveBinarySvm,
  squaredDistances,
  trainOneVsOne,
} from './svmSolver.ts';

describe('solveBinarySvm', () => {
  // Linear kernel on the points -1 (class -1) and +1 (class +1): K = x x'.
  const kernel = Float64Array.from([1, -1, -1, 1]);
  const y = Int8Array.from([-1, 1]);

  it('finds the hard-margin solution: alpha = 1/2 each, rho = 0, decision(x) = x', () => {
    const svm = solveBinarySvm(kernel, 2, [0, 1], y, 10);
    expect(svm.alpha[0]).toBeCloseTo(0.5, 12);
    expect(svm.alpha[1]).toBeCloseTo(0.5, 12);
    expect(svm.rho).toBeCloseTo(0, 12);
  });

  it('stops at the box bound C when C is below the hard-margin alphas', () => {
    const svm = solveBinarySvm(kernel, 2, [0, 1], y, 0.1);
    expect(Array.from(svm.alpha)).toEqual([0.1, 0.1]);
    expect(svm.rho).toBeCloseTo(0, 12);
  });

  it('satisfies the KKT conditions on overlapping classes', () => {
    const rng = createRng(3);
    const x = Float64Array.from({ length: 40 }, (_, i) => (i < 20 ? -0.5 : 0.5) + randomNormal(rng));
    const labels = Int8Array.from({ length: 40 }, (_, i) => (i < 20 ? -1 : 1));
    const K = Float64Array.from({ length: 1600 }, (_, k) => Math.exp(-((x[Math.floor(k / 40)] - x[k % 40]) ** 2)));
    const rows = Array.from({ length: 40 }, (_, i) => i);
    const C = 1;
    const svm = solveBinarySvm(K, 40, rows, labels, C, 1e-6);
    expect(svm.alpha.reduce((s, a, i) => s + a * labels[i], 0)).toBeCloseTo(0, 9);
    rows.forEach((i) => {
      const f = rows.reduce((s, j) => s + svm.alpha[j] * labels[j] * K[i * 40 + j], -svm.rho);
      const margin = labels[i] * f;
      // Free vectors sit on the margin; vectors at 0 are outside it; vectors at C inside it.
      if (svm.alpha[i] > 1e-9 && svm.alpha[i] < C - 1e-9) expect(margin).toBeCloseTo(1, 4);
      else if (svm.alpha[i] <= 1e-9) expect(margin).toBeGreaterThan(1 - 1e-4);
      else expect(margin).toBeLessThan(1 + 1e-4);
    });
  });
});

describe('fitPlattSigmoid', () => {
  it('fits the regularized targets exactly when they are reachable: decisions -1 and 1 give A = -ln 2, B = 0', () => {
    // Targets: (1 + 1) / (1 + 2) = 2/3 for the positive row, 1 / (1 + 2) = 1/3 for the negative one.
    const { A, B } = fitPlattSigmoid([-1, 1], [false, true]);
    expect(A).toBeCloseTo(-Math.log(2), 5);
    expect(B).toBeCloseTo(0, 5);
  });
});

describe('couplePairwise', () => {
  it('recovers p from consistent pairwise probabilities r_ij = p_i / (p_i + p_j), to its stopping tolerance', () => {
    const p = [0.5, 0.3, 0.2];
    const r = p.map((pi) => p.map((pj) => pi / (pi + pj)));
    couplePairwise(r).forEach((v, i) => expect(Math.abs(v - p[i])).toBeLessThan(2e-3));
  });

  it('gives equal probabilities when every pair is a coin toss', () => {
    const r = [0, 1, 2, 3].map(() => [0.5, 0.5, 0.5, 0.5]);
    expect(couplePairwise(r)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});

describe('trainOneVsOne', () => {
  const centres = [
    [0, 0],
    [4, 0],
    [0, 4],
  ];
  const rng = createRng(5);
  const points = (count: number) =>
    centres.flatMap((c, label) => Array.from({ length: count }, () => ({ label, x: c.map((v) => v + 0.5 * randomNormal(rng)) })));
  const train = points(12);
  const test = points(5);
  const x = Float64Array.from(train.flatMap((p) => p.x));
  const y = train.map((p) => p.label);

  it('separates three blobs, by votes and by coupled Platt probabilities', () => {
    const gamma = 0.5;
    const pairs = trainOneVsOne(distancesAmong(x, 2), y, 3, { C: 1, gamma, platt: { groups: train.map((_, i) => String(i)), random: createRng(1) } });
    expect(pairs.map((p) => [p.a, p.b])).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
    const xt = Float64Array.from(test.flatMap((p) => p.x));
    const distances = squaredDistances(xt, test.length, x, train.length, 2);
    const decisions = pairDecisions(pairs, (t, r) => Math.exp(-gamma * distances[t * train.length + r]), test.length);
    decisions.forEach((dv, t) => {
      const votes = pairVotes(pairs, dv, 3);
      expect(votes.indexOf(2)).toBe(test[t].label);
      const p = pairProbabilities(pairs, dv, 3);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      expect(p.indexOf(Math.max(...p))).toBe(test[t].label);
      expect(Math.max(...p)).toBeGreaterThan(0.6);
    });
  });
});
