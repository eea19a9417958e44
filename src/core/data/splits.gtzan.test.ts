import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFeaturesCsv } from './csv.ts';
import { groupLeaks, stratifiedGroupKFold } from './splits.ts';

const table = '../shared/data/gtzan/features_30_sec.csv';

describe.skipIf(!existsSync(table))(`stratified group 10-fold on the GTZAN table (${table})`, () => {
  it('puts exactly 10 clips of each genre in every test fold, no clip twice', () => {
    const { rows } = parseFeaturesCsv(readFileSync(table, 'utf8'));
    const labels = rows.map((r) => r.label);
    const groups = rows.map((r) => r.group);
    expect(new Set(groups).size).toBe(1000);
    const folds = stratifiedGroupKFold(labels, groups, 10, 0);
    const tested = new Set<number>();
    for (const fold of folds) {
      expect(groupLeaks(groups, fold)).toEqual([]);
      const perGenre = new Map<string, number>();
      for (const i of fold.test) {
        perGenre.set(labels[i], (perGenre.get(labels[i]) ?? 0) + 1);
        tested.add(i);
      }
      expect([...perGenre.values()]).toEqual(new Array(10).fill(10));
    }
    expect(tested.size).toBe(1000);
  });
});
