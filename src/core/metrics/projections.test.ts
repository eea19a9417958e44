import { describe, expect, it } from 'vitest';
import { createRng, randomNormal } from '../data/random.ts';
import { fitLda2d, fitPca2d, fitProjection, lda2d, pca2d, projectPoints } from './projections.ts';

function unit(v: number[]): number[] {
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

describe('pca2d', () => {
  it('finds the direction of points on a line, with explained variance ratio 1', () => {
    // Points (1, 2) + t (0.6, 0.8).
    const ts = [-3, -1, 0, 2, 7];
    const x = ts.map((t) => [1 + 0.6 * t, 2 + 0.8 * t]);
    const { points, explainedVariance, components } = pca2d(x, { standardize: false });
    expect(explainedVariance[0]).toBeCloseTo(1, 12);
    expect(explainedVariance[1]).toBeCloseTo(0, 12);
    expect(components[0][0]).toBeCloseTo(0.6, 12);
    expect(components[0][1]).toBeCloseTo(0.8, 12);
    // Coordinates along the line are t minus the mean of t (1); across it, 0.
    points.forEach(([a, b], i) => {
      expect(a).toBeCloseTo(ts[i] - 1, 12);
      expect(b).toBeCloseTo(0, 12);
    });
  });

  it('gives hand-computed variance shares for a cross: var x = 2, var y = 0.5 -> [0.8, 0.2]', () => {
    const x = [
      [2, 0],
      [-2, 0],
      [0, 1],
      [0, -1],
    ];
    const { explainedVariance, components } = pca2d(x, { standardize: false });
    expect(explainedVariance[0]).toBeCloseTo(0.8, 12);
    expect(explainedVariance[1]).toBeCloseTo(0.2, 12);
    expect(components[0][0]).toBeCloseTo(1, 12);
    expect(components[0][1]).toBeCloseTo(0, 12);
    expect(components[1][0]).toBeCloseTo(0, 12);
    expect(components[1][1]).toBeCloseTo(1, 12);
  });

  it('standardizes by default, so a feature in large units does not take over', () => {
    const rng = createRng(1);
    const x = Array.from({ length: 2000 }, () => [1000 * randomNormal(rng), randomNormal(rng)]);
    expect(pca2d(x, { standardize: false }).explainedVariance[0]).toBeGreaterThan(0.999);
    const standardized = pca2d(x).explainedVariance;
    expect(standardized[0]).toBeGreaterThan(0.45);
    expect(standardized[0]).toBeLessThan(0.55);
    expect(standardized[0] + standardized[1]).toBeCloseTo(1, 12);
  });

  it('has a deterministic sign: negating the data negates the points, not the axes', () => {
    const rng = createRng(2);
    const x = Array.from({ length: 50 }, () => [randomNormal(rng), 2 * randomNormal(rng), randomNormal(rng)]);
    const a = pca2d(x);
    expect(pca2d(x)).toEqual(a);
    const b = pca2d(x.map((row) => row.map((v) => -v)));
    b.components.forEach((axis, k) => axis.forEach((v, j) => expect(v).toBeCloseTo(a.components[k][j], 10)));
    b.points.forEach(([p, q], i) => {
      expect(p).toBeCloseTo(-a.points[i][0], 10);
      expect(q).toBeCloseTo(-a.points[i][1], 10);
    });
    for (const axis of a.components) {
      const largest = axis.reduce((best, v) => (Math.abs(v) > Math.abs(best) ? v : best), 0);
      expect(largest).toBeGreaterThan(0);
    }
  });

  it('places a new point with the fitted transform', () => {
    const x = [0, 1, 2, 3].map((t) => [1 + 0.6 * t, 2 + 0.8 * t]);
    const fit = fitPca2d(x, { standardize: false });
    // t = 10 on the same line; the mean t is 1.5.
    const [[a, b]] = projectPoints(fit, [[1 + 6, 2 + 8]]);
    expect(a).toBeCloseTo(8.5, 12);
    expect(b).toBeCloseTo(0, 12);
    expect(JSON.parse(JSON.stringify(fit))).toEqual(fit);
    expect(() => projectPoints(fit, [[1, 2, 3]])).toThrow(/expected 2/);
    expect(fitProjection('pca', x, undefined, { standardize: false })).toEqual(fit);
    expect(() => fitProjection('lda', x)).toThrow(/labels/);
    expect(fitProjection('lda', x, ['a', 'a', 'b', 'b'])).toEqual(fitLda2d(x, ['a', 'a', 'b', 'b']));
  });

  it('copes with one feature, constant features and a single row', () => {
    expect(pca2d([[1], [2], [4]]).components).toEqual([[1], [0]]);
    const constant = pca2d([
      [5, 1],
      [5, 2],
      [5, 3],
    ]);
    expect(constant.explainedVariance).toEqual([1, 0]);
    expect(pca2d([[1, 2]]).explainedVariance).toEqual([0, 0]);
    expect(() => pca2d([])).toThrow(/no rows/);
  });
});

describe('lda2d', () => {
  // Two classes with the same correlated spread: offsets (1,1), (-1,-1), (0.5,-0.5), (-0.5,0.5) around (0,0) and
  // (2,0). Within-class scatter [[5,3],[3,5]], mean difference (2,0): Fisher's axis ∝ Sw⁻¹ (2,0) ∝ (5,-3).
  const offsets = [
    [1, 1],
    [-1, -1],
    [0.5, -0.5],
    [-0.5, 0.5],
  ];
  const x = [...offsets.map(([a, b]) => [a, b]), ...offsets.map(([a, b]) => [2 + a, b])];
  const labels = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'];

  it('finds the exact Fisher direction, not the mean difference nor the largest-variance direction', () => {
    const fit = fitLda2d(x, labels, { standardize: false, ridge: 0 });
    const axis = unit(fit.components[0]);
    const expected = unit([5, -3]);
    expect(axis[0]).toBeCloseTo(expected[0], 10);
    expect(axis[1]).toBeCloseTo(expected[1], 10);
    expect(fit.explainedVariance).toEqual([1, 0]);
  });

  it('scales the axis to unit within-class variance: class means at ±5/√10', () => {
    // Within-class covariance [[5,3],[3,5]]/8; w = c (5,-3) with wᵀ Sw w = 10 c² = 1; (1,0) · w = 5/√10.
    const { points } = lda2d(x, labels, { standardize: false, ridge: 0 });
    const meanOf = (rows: [number, number][]) => rows.reduce((s, p) => s + p[0], 0) / rows.length;
    expect(meanOf(points.slice(0, 4))).toBeCloseTo(-5 / Math.sqrt(10), 10);
    expect(meanOf(points.slice(4))).toBeCloseTo(5 / Math.sqrt(10), 10);
    // Every point of a lies left of every point of b.
    expect(Math.max(...points.slice(0, 4).map((p) => p[0]))).toBeLessThan(Math.min(...points.slice(4).map((p) => p[0])));
  });

  it('falls back, for two classes, to the top principal direction of the residual as its second axis', () => {
    // In 2-D the residual of removing (5,-3) lies along (3,5).
    const fit = fitLda2d(x, labels, { standardize: false, ridge: 0 });
    const second = unit(fit.components[1]);
    const expected = unit([3, 5]);
    expect(second[0]).toBeCloseTo(expected[0], 10);
    expect(second[1]).toBeCloseTo(expected[1], 10);
  });

  it('gives the same plot with or without standardization (LDA does not depend on feature units)', () => {
    const scaled = x.map(([a, b]) => [1000 * a, b / 10]);
    const raw = lda2d(x, labels, { standardize: false, ridge: 0 }).points;
    const standardized = lda2d(scaled, labels, { ridge: 0 }).points;
    raw.forEach(([a], i) => expect(standardized[i][0]).toBeCloseTo(a, 8));
  });

  it('separates two Gaussian blobs along the discriminant, whatever the nuisance variance', () => {
    const rng = createRng(4);
    const rows: number[][] = [];
    const ys: string[] = [];
    for (let i = 0; i < 400; i++) {
      const cls = i % 2;
      // Class difference along feature 0 (spread 1); feature 1 is big nuisance noise; feature 2 correlated noise.
      const noise = randomNormal(rng);
      rows.push([cls * 6 + randomNormal(rng), 20 * randomNormal(rng), noise + 0.1 * randomNormal(rng)]);
      ys.push(cls ? 'b' : 'a');
    }
    const { points } = lda2d(rows, ys, { standardize: false });
    const threshold = 0;
    const correct = points.filter(([p], i) => (p > threshold) === (ys[i] === 'b')).length;
    expect(correct / rows.length).toBeGreaterThan(0.98);
    // PCA would pick the nuisance feature first.
    const pcaAxis = pca2d(rows, { standardize: false }).components[0];
    expect(Math.abs(pcaAxis[1])).toBeGreaterThan(0.9);
  });

  it('uses two real discriminants with three classes, ignoring a noise-only feature', () => {
    const rng = createRng(5);
    const centres = [
      [0, 0],
      [4, 0],
      [0, 3],
    ];
    const rows: number[][] = [];
    const ys: string[] = [];
    for (let i = 0; i < 300; i++) {
      const c = i % 3;
      rows.push([centres[c][0] + randomNormal(rng), centres[c][1] + randomNormal(rng), 5 * randomNormal(rng)]);
      ys.push(`c${c}`);
    }
    const fit = fitLda2d(rows, ys, { standardize: false });
    for (const axis of fit.components) expect(Math.abs(unit(axis)[2])).toBeLessThan(0.05);
    expect(fit.explainedVariance[0] + fit.explainedVariance[1]).toBeCloseTo(1, 10);
    expect(fit.explainedVariance[0]).toBeGreaterThan(fit.explainedVariance[1]);
    // Nearest class centre on the plot classifies nearly all rows.
    const points = projectPoints(fit, rows);
    const plotCentres = [0, 1, 2].map((c) => {
      const own = points.filter((_, i) => i % 3 === c);
      return [own.reduce((s, p) => s + p[0], 0) / own.length, own.reduce((s, p) => s + p[1], 0) / own.length];
    });
    const correct = points.filter((p, i) => {
      const distances = plotCentres.map((m) => Math.hypot(p[0] - m[0], p[1] - m[1]));
      return distances.indexOf(Math.min(...distances)) === i % 3;
    }).length;
    expect(correct / rows.length).toBeGreaterThan(0.9);
  });

  it('survives a singular within-class covariance (constant and duplicated features) thanks to the ridge', () => {
    const rows = [
      [0, 7, 0, 1],
      [1, 7, 1, 2],
      [5, 7, 5, 1],
      [6, 7, 6, 2],
    ];
    const { points } = lda2d(rows, ['a', 'a', 'b', 'b']);
    expect(points.flat().every(Number.isFinite)).toBe(true);
    expect(points[0][0]).toBeLessThan(points[2][0]);
    expect(points[1][0]).toBeLessThan(points[3][0]);
  });

  it('is deterministic and rejects a single class or mismatched labels', () => {
    expect(lda2d(x, labels)).toEqual(lda2d(x, labels));
    expect(() => lda2d(x, x.map(() => 'a'))).toThrow(/two classes/);
    expect(() => lda2d(x, ['a'])).toThrow(/same length/);
  });
});

describe('projection speed', () => {
  it('projects 10,000 x 57 rows (PCA and LDA, 10 classes) well under a second each', () => {
    const rng = createRng(6);
    const rows = Array.from({ length: 10_000 }, (_, i) =>
      Float64Array.from({ length: 57 }, (_, j) => randomNormal(rng) + (j === i % 10 ? 3 : 0)),
    );
    const ys = rows.map((_, i) => `c${i % 10}`);
    // CPU time, not wall time: the test machine may be busy with other suites.
    const cpuMs = (f: () => void) => {
      const before = process.cpuUsage();
      f();
      const used = process.cpuUsage(before);
      return (used.user + used.system) / 1000;
    };
    const pcaMs = cpuMs(() => pca2d(rows));
    const ldaMs = cpuMs(() => lda2d(rows, ys));
    expect(pcaMs).toBeLessThan(1000);
    expect(ldaMs).toBeLessThan(1000);
  });
});
