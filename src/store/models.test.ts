import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixtureBundle, hierarchicalFixtureBundle } from '../core/models/bundleFixture.ts';
import { openMuzoDb, type MuzoDb } from './db.ts';
import { StoreError } from './errors.ts';
import { deleteModel, getActiveModel, listModels, loadModel, renameModel, saveModel, setActiveModel } from './models.ts';

const freshDb = (): Promise<MuzoDb> => openMuzoDb({ factory: new IDBFactory() });

type PutFailure = 'throws' | 'quota-sync' | 'quota-async';

/**
 * Makes the put of a record into `storeName` fail the way a browser can: 'throws' (an arbitrary synchronous
 * error), 'quota-sync' (put throws QuotaExceededError), or 'quota-async' (the put request fails later with
 * QuotaExceededError and the browser aborts the transaction; simulated through fake-indexeddb's internal raw
 * store so the abort follows the IndexedDB spec's own path).
 */
function failPutsInto(storeName: string, failure: PutFailure): void {
  const originalPut = IDBObjectStore.prototype.put;
  vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
    if (this.name !== storeName) return originalPut.call(this, value, key);
    if (failure === 'throws') throw new Error('injected failure');
    if (failure === 'quota-sync') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const raw = (this as unknown as { _rawObjectStore: { storeRecord: unknown } })._rawObjectStore;
    const storeRecord = raw.storeRecord;
    raw.storeRecord = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    try {
      return originalPut.call(this, value, key);
    } finally {
      raw.storeRecord = storeRecord;
    }
  });
}

async function rawCounts(db: MuzoDb): Promise<{ models: number; modelFiles: number }> {
  return { models: await db.count('models'), modelFiles: await db.count('modelFiles') };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('saveModel / loadModel', () => {
  it('round-trips a bundle byte for byte', async () => {
    const db = await freshDb();
    const bundle = fixtureBundle();
    const id = await saveModel(bundle, { db });
    const back = await loadModel(id, db);
    expect(back.metadata).toEqual(bundle.metadata);
    expect(Object.keys(back.files).sort()).toEqual(Object.keys(bundle.files).sort());
    for (const [path, bytes] of Object.entries(bundle.files)) {
      expect(back.files[path]).toBeInstanceOf(Uint8Array);
      expect(back.files[path]).toEqual(bytes);
    }
  });

  it('round-trips a hierarchical bundle with sub-model folders', async () => {
    const db = await freshDb();
    const bundle = hierarchicalFixtureBundle();
    expect(await loadModel(await saveModel(bundle, { db }), db)).toEqual(bundle);
  });

  it('stores a file given as a view into a larger buffer as exactly its bytes', async () => {
    const db = await freshDb();
    const bundle = fixtureBundle();
    const weights = bundle.files['weights.bin'];
    const big = new Uint8Array(1_000_000);
    big.set(weights, 1000);
    const id = await saveModel({ ...bundle, files: { ...bundle.files, 'weights.bin': big.subarray(1000, 1000 + weights.length) } }, { db });
    const stored = await db.get('modelFiles', id);
    expect(stored!.files['weights.bin'].buffer.byteLength).toBe(weights.length);
    expect(stored!.files['weights.bin']).toEqual(weights);
  });

  it('refuses an invalid bundle and writes nothing', async () => {
    const db = await freshDb();
    const bundle = fixtureBundle();
    const broken = { ...bundle, files: { 'model.json': bundle.files['model.json'] } };
    await expect(saveModel(broken, { db })).rejects.toThrow('the model cannot be saved: model.json needs the weight file "weights.bin", which is missing');
    expect(await rawCounts(db)).toEqual({ models: 0, modelFiles: 0 });
  });

  it('reports a missing model clearly', async () => {
    const db = await freshDb();
    await expect(loadModel('nope', db)).rejects.toThrow(new StoreError('no saved model has the id "nope"', 'not-found'));
  });
});

describe('listModels', () => {
  it('lists metadata and sizes, newest first, from a store that holds no file bytes', async () => {
    const db = await freshDb();
    const first = await saveModel(fixtureBundle({ name: 'first' }), { db });
    await new Promise((r) => setTimeout(r, 5));
    const second = await saveModel(fixtureBundle({ name: 'second' }), { db });
    const list = await listModels(db);
    expect(list.map((m) => [m.id, m.metadata.name])).toEqual([
      [second, 'second'],
      [first, 'first'],
    ]);
    const json = fixtureBundle().files['model.json'].byteLength;
    expect(list[0].fileSizes).toEqual({ 'model.json': json, 'weights.bin': 60 });
    expect(list[0].totalBytes).toBe(json + 60);
    // The listed store's records carry no binary data at all.
    for (const record of await db.getAll('models')) {
      expect(JSON.stringify(record, (_k, v: unknown) => (ArrayBuffer.isView(v) ? 'BINARY' : v))).not.toContain('BINARY');
    }
  });
});

describe('rename, delete, active model', () => {
  it('renames a model, keeping its files', async () => {
    const db = await freshDb();
    const id = await saveModel(fixtureBundle(), { db });
    const renamed = await renameModel(id, '  my genres  ', db);
    expect(renamed.metadata.name).toBe('my genres');
    expect((await loadModel(id, db)).metadata.name).toBe('my genres');
    expect((await loadModel(id, db)).files).toEqual(fixtureBundle().files);
    await expect(renameModel(id, '   ', db)).rejects.toThrow('a model needs a name');
    await expect(renameModel('missing', 'x', db)).rejects.toThrow('no saved model has the id "missing"');
  });

  it('sets, reads and clears the active model; deleting it clears it', async () => {
    const db = await freshDb();
    const a = await saveModel(fixtureBundle({ name: 'a' }), { db });
    const b = await saveModel(fixtureBundle({ name: 'b' }), { db });
    expect(await getActiveModel(db)).toBeNull();
    await setActiveModel(a, db);
    expect(await getActiveModel(db)).toBe(a);
    await expect(setActiveModel('missing', db)).rejects.toThrow('no saved model has the id "missing"');
    expect(await getActiveModel(db)).toBe(a);
    await deleteModel(b, db);
    expect(await getActiveModel(db)).toBe(a);
    await deleteModel(a, db);
    expect(await getActiveModel(db)).toBeNull();
    expect(await rawCounts(db)).toEqual({ models: 0, modelFiles: 0 });
    await setActiveModel(null, db);
    expect(await getActiveModel(db)).toBeNull();
  });
});

describe('atomic saves under injected failures', () => {
  for (const failure of ['throws', 'quota-sync', 'quota-async'] as const) {
    it(`${failure}: no partial model, older models intact`, async () => {
      const db = await freshDb();
      const older = fixtureBundle({ name: 'older' }, 1);
      const olderId = await saveModel(older, { db });
      // The failing put is the metadata record, written after the files: the files' put must be rolled back.
      failPutsInto('models', failure);
      const attempt = saveModel(fixtureBundle({ name: 'newer' }, 2), { db });
      if (failure === 'throws') {
        await expect(attempt).rejects.toThrow('model "newer" could not be saved: injected failure. Nothing was changed.');
      } else {
        await expect(attempt).rejects.toMatchObject({ name: 'StoreError', reason: 'quota' });
        await expect(attempt).rejects.toThrow(/^not enough storage space: model "newer" \(0\.0 MB\) could not be saved\. Nothing was changed\./);
      }
      vi.restoreAllMocks();
      expect(await rawCounts(db)).toEqual({ models: 1, modelFiles: 1 });
      expect(await loadModel(olderId, db)).toEqual(older);
    });
  }

  it('a failed overwrite keeps the previous version of the same model', async () => {
    const db = await freshDb();
    const previous = fixtureBundle({ name: 'v1' }, 1);
    const id = await saveModel(previous, { db });
    failPutsInto('models', 'quota-async');
    await expect(saveModel(fixtureBundle({ name: 'v2' }, 2), { id, db })).rejects.toMatchObject({ reason: 'quota' });
    vi.restoreAllMocks();
    expect(await loadModel(id, db)).toEqual(previous);
    // And without a failure the overwrite replaces both metadata and files.
    const next = fixtureBundle({ name: 'v2' }, 2);
    await saveModel(next, { id, db });
    expect(await loadModel(id, db)).toEqual(next);
  });

  it('includes usage and quota in the quota message where the browser reports them', async () => {
    const db = await freshDb();
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage: 52_428_800, quota: 104_857_600 }) } });
    failPutsInto('modelFiles', 'quota-sync');
    await expect(saveModel(fixtureBundle(), { db })).rejects.toThrow(
      'not enough storage space: model "dense fixture" (0.0 MB) could not be saved (muzo uses 50.0 MB of the 100.0 MB the browser allows). ' +
        'Nothing was changed. Delete models you no longer need or clear the feature cache, then save again.',
    );
    vi.unstubAllGlobals();
  });
});
