import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import type { IDBPDatabase } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixtureBundle, hierarchicalFixtureBundle } from '../core/models/bundleFixture.ts';
import { saveDataset } from './datasets.ts';
import { DB_VERSION, openMuzoDb, requestPersistentStorage, storageUsage } from './db.ts';
import { inspectFeatureCache } from './featureCache.ts';
import { listModels, loadModel } from './models.ts';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** A database at schema v1 holding records in v1's layout (weights inline in the model record). */
async function v1DatabaseWithData(factory: IDBFactory, models: unknown[], cache: unknown[]): Promise<void> {
  const db = (await openMuzoDb({ factory, version: 1 })) as unknown as IDBPDatabase;
  expect([...db.objectStoreNames].sort()).toEqual(['featureCache', 'models', 'settings']);
  for (const record of models) await db.put('models', record);
  for (const record of cache) await db.put('featureCache', record);
  await db.put('settings', 'm1', 'activeModelId');
  db.close();
}

describe('schema migrations', () => {
  it('upgrades a v1 database with data to the current version, keeping every model and cached feature', async () => {
    const factory = new IDBFactory();
    const flat = fixtureBundle({ name: 'flat' });
    const tree = hierarchicalFixtureBundle();
    await v1DatabaseWithData(
      factory,
      [
        { id: 'm1', metadata: flat.metadata, files: flat.files, savedAt: '2026-11-20T10:00:00.000Z' },
        { id: 'm2', metadata: tree.metadata, files: tree.files, savedAt: '2026-11-20T11:00:00.000Z' },
      ],
      [{ key: 'abc@v1', featureSetVersion: 'v1', value: { features: new Float64Array(57) }, storedAt: '2026-11-20T10:00:00.000Z' }],
    );

    const db = await openMuzoDb({ factory });
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['datasetFeatures', 'datasets', 'featureCache', 'modelFiles', 'models', 'settings']);
    const list = await listModels(db);
    expect(list.map((m) => [m.id, m.metadata.name, m.totalBytes])).toEqual([
      ['m2', 'hierarchy fixture', Object.values(tree.files).reduce((n, f) => n + f.byteLength, 0)],
      ['m1', 'flat', Object.values(flat.files).reduce((n, f) => n + f.byteLength, 0)],
    ]);
    expect(Object.keys(list[0])).not.toContain('files');
    expect(await loadModel('m1', db)).toEqual(flat);
    expect(await loadModel('m2', db)).toEqual(tree);
    expect(await db.get('settings', 'activeModelId')).toBe('m1');
    // 16 (object) + 2×8 ('features') + 57×8 (the vector) bytes.
    expect(await inspectFeatureCache(db)).toEqual({ count: 1, approxBytes: 488, byVersion: { v1: 1 } });
    // Stores added by v2 work.
    const dataset = { featureNames: ['a'], rows: [{ file: 'x.wav', group: 'x', label: 'rock', length: 1, features: new Float64Array([1]) }] };
    await saveDataset({ name: 'd', source: 'csv', files: [], dataset }, { db });
    db.close();
  });

  it('a migration that fails leaves the database at its old version with its data', async () => {
    const factory = new IDBFactory();
    const flat = fixtureBundle();
    // A v1 record without `files` cannot be migrated.
    await v1DatabaseWithData(factory, [{ id: 'ok', metadata: flat.metadata, files: flat.files, savedAt: 'x' }, { id: 'broken', savedAt: 'y' }], []);
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await expect(openMuzoDb({ factory })).rejects.toMatchObject({ name: 'AbortError' });
    expect(consoleError).toHaveBeenCalledWith('muzo: database upgrade failed', expect.any(TypeError));
    const old = (await openMuzoDb({ factory, version: 1 })) as unknown as IDBPDatabase;
    expect(old.version).toBe(1);
    expect([...old.objectStoreNames].sort()).toEqual(['featureCache', 'models', 'settings']);
    expect(await old.get('models', 'ok')).toEqual({ id: 'ok', metadata: flat.metadata, files: flat.files, savedAt: 'x' });
    old.close();
  });

  it('creates the current schema directly on a fresh profile', async () => {
    const db = await openMuzoDb({ factory: new IDBFactory() });
    expect(db.version).toBe(DB_VERSION);
    expect(await listModels(db)).toEqual([]);
    db.close();
  });
});

describe('storage persistence and usage', () => {
  it('answers null where the Storage API is absent', async () => {
    vi.stubGlobal('navigator', {});
    expect(await requestPersistentStorage()).toBeNull();
    expect(await storageUsage()).toBeNull();
  });

  it('asks for persistence once, and reports usage and quota', async () => {
    const persist = vi.fn(async () => true);
    vi.stubGlobal('navigator', { storage: { persisted: async () => false, persist, estimate: async () => ({ usage: 1234, quota: 5678 }) } });
    expect(await requestPersistentStorage()).toBe(true);
    expect(persist).toHaveBeenCalledTimes(1);
    expect(await storageUsage()).toEqual({ usage: 1234, quota: 5678 });
  });

  it('does not ask again when storage is already persistent, and survives a refusing browser', async () => {
    const persist = vi.fn(async () => true);
    vi.stubGlobal('navigator', { storage: { persisted: async () => true, persist } });
    expect(await requestPersistentStorage()).toBe(true);
    expect(persist).not.toHaveBeenCalled();
    vi.stubGlobal('navigator', {
      storage: {
        persist: async () => Promise.reject(new Error('denied')),
        estimate: async () => Promise.reject(new Error('denied')),
      },
    });
    expect(await requestPersistentStorage()).toBe(false);
    expect(await storageUsage()).toBeNull();
  });
});
