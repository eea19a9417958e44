import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../backend/select.ts';
import { createRng, randomNormal } from '../../data/random.ts';
import type { TrainingSet } from '../types.ts';
import { svmKind } from './svm.ts';

const wasmPath = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + sep;

/** Class c lies on a ring of radius c + 1 (not linearly separable); 3 rows per song. */
function rings(songsPerClass: number, seed: number): TrainingSet {
  const rng = createRng(seed);
  const set: TrainingSet = { rows: [], y: [], groups: [], labels: ['inner', 'middle', 'outer'], featureNames: ['x', 'y'] };
  for (let c = 0; c < 3; c++) {
    for (let s = 0; s < songsPerClass; s++) {
      const angle = rng() * 2 * Math.PI;
      for (let k = 0; k < 3; k++) {
        const r = c + 1 + 0.1 * randomNormal(rng);
        set.rows.push([r * Math.cos(angle + 0.05 * k), r * Math.sin(angle + 0.05 * k)]);
        set.y.push(c);
        set.groups.push(`${c}-${s}`);
      }
    }
  }
  return set;
}

beforeAll(async () => {
  await selectBackend({ force: 'wasm', wasmPath });
});

describe('svm kind', () => {
  it('learns concentric rings that no linear model separates, choosing C and gamma by inner folds', async () => {
    const { classifier, details } = await svmKind.train(rings(20, 1), { seed: 0 });
    expect(details.innerFolds).toBe(5);
    const settings = details.settings as Array<{ C: number }>;
    expect(settings).toHaveLength(3);
    settings.forEach((s) => expect([0.5, 1, 2, 4, 8, 16, 32]).toContain(s.C));
    const test = rings(10, 2);
    const proba = await classifier.predictProba(test.rows);
    const correct = proba.filter((p, i) => p.indexOf(Math.max(...p)) === test.y[i]).length;
    expect(correct / test.rows.length).toBeGreaterThan(0.95);
    proba.forEach((p) => expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5));
    classifier.dispose();
  });

  it('gives the same model for the same seed', async () => {
    const set = rings(8, 3);
    const a = await svmKind.train(set, { seed: 4 });
    const b = await svmKind.train(set, { seed: 4 });
    expect(await b.classifier.predictProba(set.rows)).toEqual(await a.classifier.predictProba(set.rows));
    a.classifier.dispose();
    b.classifier.dispose();
  });
});
