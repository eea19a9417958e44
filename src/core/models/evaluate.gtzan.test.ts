import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend/select.ts';
import { parseFeaturesCsv } from '../data/csv.ts';
import { evaluateModel } from './evaluate.ts';

const TABLE = fileURLToPath(new URL('../../../../shared/data/gtzan/features_30_sec.csv', import.meta.url));
const wasmPath = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + sep;

describe.skipIf(!existsSync(TABLE))('GTZAN features table (skipped: ../shared/data/gtzan/features_30_sec.csv is absent)', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm', wasmPath });
  });

  it('softmax regression reaches the accuracy of a linear model under stratified 5-fold', async () => {
    const data = parseFeaturesCsv(readFileSync(TABLE, 'utf8'));
    const result = await evaluateModel(data, { kind: 'logreg', scheme: { kind: 'kfold', k: 5 }, seed: 0 });
    expect(result.description).toBe('stratified 5-fold, grouped by song, song-level');
    expect(result.top.summary.accuracy.perFold).toHaveLength(5);
    // Each fold tests 20 clips per genre.
    expect(result.top.pooled.perClass.every((c) => c.support === 100)).toBe(true);
    expect(result.top.summary.accuracy.mean).toBeGreaterThan(0.68);
    expect(result.top.pooled.rocAucMacro).toBeGreaterThan(0.9);
  });
});
