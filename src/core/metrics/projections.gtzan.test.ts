import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFeaturesCsv } from '../data/csv.ts';
import { lda2d, pca2d } from './projections.ts';

const table = '../shared/data/gtzan/features_30_sec.csv';

/** Share of points whose nearest class centre on the plot is their own class's. */
function nearestCentreAccuracy(points: [number, number][], labels: string[]): number {
  const classes = [...new Set(labels)];
  const centres = classes.map((c) => {
    const own = points.filter((_, i) => labels[i] === c);
    return [own.reduce((a, p) => a + p[0], 0) / own.length, own.reduce((a, p) => a + p[1], 0) / own.length];
  });
  return (
    points.filter((p, i) => {
      const distances = centres.map((m) => Math.hypot(p[0] - m[0], p[1] - m[1]));
      return classes[distances.indexOf(Math.min(...distances))] === labels[i];
    }).length / points.length
  );
}

describe.skipIf(!existsSync(table))(`2-D projections of the GTZAN table (${table})`, () => {
  it('LDA separates the 10 genres on the plane better than PCA; unstandardized PCA is one feature', () => {
    const { rows } = parseFeaturesCsv(readFileSync(table, 'utf8'));
    const x = rows.map((r) => r.features);
    const labels = rows.map((r) => r.label);
    const pca = pca2d(x);
    const lda = lda2d(x, labels);
    const pcaAccuracy = nearestCentreAccuracy(pca.points, labels);
    const ldaAccuracy = nearestCentreAccuracy(lda.points, labels);
    // Both well above chance (10%); LDA, which looks at the labels, clearly ahead.
    expect(pcaAccuracy).toBeGreaterThan(0.25);
    expect(ldaAccuracy).toBeGreaterThan(pcaAccuracy + 0.1);
    // Standardized: no single direction holds most of the variance of 57 mixed features.
    expect(pca.explainedVariance[0]).toBeLessThan(0.5);
    // Raw: the variance features in Hz² dwarf everything else.
    expect(pca2d(x, { standardize: false }).explainedVariance[0]).toBeGreaterThan(0.9);
  });
});
