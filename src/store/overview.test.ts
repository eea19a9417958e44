import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixtureBundle } from '../core/models/bundleFixture.ts';
import { saveDataset } from './datasets.ts';
import { openMuzoDb } from './db.ts';
import { storeFeatures } from './featureCache.ts';
import { saveModel } from './models.ts';
import { storageOverview } from './overview.ts';

afterEach(() => vi.unstubAllGlobals());

describe('storageOverview', () => {
  it('sums models, datasets and the feature cache, with the browser estimate', async () => {
    vi.stubGlobal('navigator', { storage: { persisted: async () => true, estimate: async () => ({ usage: 2048, quota: 1 << 30 }) } });
    const db = await openMuzoDb({ factory: new IDBFactory() });
    const bundle = fixtureBundle();
    const modelBytes = Object.values(bundle.files).reduce((n, f) => n + f.byteLength, 0);
    await saveModel(bundle, { db });
    await saveModel(bundle, { db });
    const row = (i: number) => ({ file: `${i}.wav`, group: `${i}`, label: 'rock', length: 1, features: new Float64Array(2) });
    await saveDataset({ name: 'd', source: 'csv', files: [], dataset: { featureNames: ['a', 'b'], rows: [row(1), row(2), row(3)] } }, { db });
    await storeFeatures(new Uint8Array([1, 2, 3]), new Float64Array(4), { featureSetVersion: 'v', db });
    expect(await storageOverview(db)).toEqual({
      persisted: true,
      usage: 2048,
      quota: 1 << 30,
      models: { count: 2, bytes: 2 * modelBytes },
      datasets: { count: 1, rows: 3 },
      featureCache: { count: 1, approxBytes: 32, byVersion: { v: 1 } },
    });
  });

  it('reports unknown persistence and usage where the Storage API is absent', async () => {
    vi.stubGlobal('navigator', {});
    const db = await openMuzoDb({ factory: new IDBFactory() });
    const overview = await storageOverview(db);
    expect([overview.persisted, overview.usage, overview.quota]).toEqual([null, null, null]);
    expect(overview.models).toEqual({ count: 0, bytes: 0 });
  });
});
