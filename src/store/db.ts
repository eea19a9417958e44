import { wrap, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { ModelMetadata } from '../core/models/bundle.ts';
import { StoreError } from './errors.ts';
import { approximateBytes } from './sizes.ts';

/**
 * muzo's one IndexedDB database. Every change of layout bumps DB_VERSION and adds a step to MIGRATIONS, which
 * upgrade an existing database in place, keeping the user's models, datasets and cached features.
 *
 *   v1: models {id, metadata, files, savedAt} (weights inline), settings, featureCache {key, featureSetVersion, value}.
 *   v2: model file bytes move to `modelFiles` (listing models no longer reads weights; a save still writes both
 *       stores in one transaction); datasets + datasetFeatures; featureCache records carry approxBytes, indexed,
 *       so the cache can be measured without reading it.
 */
export const DB_NAME = 'muzo';
export const DB_VERSION = 2;

export interface ModelRecord {
  id: string;
  metadata: ModelMetadata;
  /** Relative path -> byte length of each file in `modelFiles` (metadata.json excluded). */
  fileSizes: Record<string, number>;
  totalBytes: number;
  savedAt: string;
}

export interface ModelFilesRecord {
  id: string;
  files: Record<string, Uint8Array>;
}

export type DatasetSource = 'builtin-gtzan' | 'csv' | 'folder';

export interface DatasetFile {
  /** Path as the user sees it, e.g. 'Rock/Grunge/song.mp3'. */
  name: string;
  /** Label path: 'Rock' or 'Rock/Grunge'. */
  label: string;
  size?: number;
}

export interface DatasetRecord {
  id: string;
  name: string;
  source: DatasetSource;
  files: DatasetFile[];
  featureNames: string[];
  labels: string[];
  rowCount: number;
  createdAt: string;
}

export interface DatasetFeaturesRecord {
  id: string;
  /** One entry per feature row (FeatureRow without its vector). */
  rows: { file: string; group: string; label: string; length: number }[];
  /** All feature vectors packed row after row: rows.length × featureNames.length values. */
  features: Float64Array;
}

export interface FeatureCacheRecord {
  /** SHA-256 of the file's bytes (hex) + '@' + feature-set version. */
  key: string;
  featureSetVersion: string;
  value: unknown;
  approxBytes: number;
  storedAt: string;
}

export interface MuzoSchema extends DBSchema {
  models: { key: string; value: ModelRecord };
  modelFiles: { key: string; value: ModelFilesRecord };
  settings: { key: string; value: unknown };
  datasets: { key: string; value: DatasetRecord };
  datasetFeatures: { key: string; value: DatasetFeaturesRecord };
  featureCache: {
    key: string;
    value: FeatureCacheRecord;
    indexes: { byVersion: string; byApproxBytes: number };
  };
}

export type MuzoDb = IDBPDatabase<MuzoSchema>;
type UpgradeTransaction = IDBPTransaction<MuzoSchema, StoreNames<MuzoSchema>[], 'versionchange'>;
type Migration = (db: MuzoDb, tx: UpgradeTransaction) => Promise<void>;

/** Record shapes of v1 that v2 rewrites. */
interface ModelRecordV1 {
  id: string;
  metadata: ModelMetadata;
  files: Record<string, Uint8Array>;
  savedAt: string;
}

const MIGRATIONS: Record<number, Migration> = {
  1: async (db) => {
    db.createObjectStore('models', { keyPath: 'id' });
    db.createObjectStore('settings');
    const cache = db.createObjectStore('featureCache', { keyPath: 'key' });
    cache.createIndex('byVersion', 'featureSetVersion');
  },
  2: async (db, tx) => {
    db.createObjectStore('modelFiles', { keyPath: 'id' });
    db.createObjectStore('datasets', { keyPath: 'id' });
    db.createObjectStore('datasetFeatures', { keyPath: 'id' });
    const models = tx.objectStore('models');
    const modelFiles = tx.objectStore('modelFiles');
    for (let cursor = await models.openCursor(); cursor; cursor = await cursor.continue()) {
      const old = cursor.value as unknown as ModelRecordV1;
      const fileSizes = Object.fromEntries(Object.entries(old.files).map(([path, bytes]) => [path, bytes.byteLength]));
      const totalBytes = Object.values(fileSizes).reduce((a, b) => a + b, 0);
      await modelFiles.put({ id: old.id, files: old.files });
      await cursor.update({ id: old.id, metadata: old.metadata, fileSizes, totalBytes, savedAt: old.savedAt });
    }
    const cache = tx.objectStore('featureCache');
    for (let cursor = await cache.openCursor(); cursor; cursor = await cursor.continue()) {
      await cursor.update({ ...cursor.value, approxBytes: approximateBytes(cursor.value.value) });
    }
    cache.createIndex('byApproxBytes', 'approxBytes');
  },
};

export interface OpenOptions {
  /** Defaults to the global `indexedDB`; tests pass their own (fake-indexeddb). */
  factory?: IDBFactory;
  name?: string;
  /** Open at an older schema version (tests of migrations only). */
  version?: number;
}

/** Opens (creating or upgrading as needed) the database. */
export function openMuzoDb({ factory = globalThis.indexedDB, name = DB_NAME, version = DB_VERSION }: OpenOptions = {}): Promise<MuzoDb> {
  if (!factory) {
    return Promise.reject(new StoreError('this browser offers no IndexedDB storage (a private window?): models and caches cannot be kept', 'failed'));
  }
  const request = factory.open(name, version);
  const opened = wrap(request) as unknown as Promise<MuzoDb>;
  request.addEventListener('upgradeneeded', (event) => {
    const db = wrap(request.result) as unknown as MuzoDb;
    const tx = wrap(request.transaction!) as unknown as UpgradeTransaction;
    // The open request reports the upgrade's outcome; this promise of idb's would otherwise reject unobserved.
    tx.done.catch(() => undefined);
    const from = event.oldVersion;
    const to = event.newVersion ?? version;
    void (async () => {
      for (let v = from + 1; v <= to; v++) await MIGRATIONS[v](db, tx);
    })().catch((error: unknown) => {
      // A failed migration aborts the upgrade: the database stays at its old version with its data.
      console.error('muzo: database upgrade failed', error);
      try {
        tx.abort();
      } catch {
        // already finished
      }
    });
  });
  return opened.then(
    (db) => {
      // Another tab wants to upgrade: let it, rather than block it forever.
      db.addEventListener('versionchange', () => db.close());
      return db;
    },
    (error: unknown) => {
      if ((error as { name?: string } | null)?.name === 'VersionError') {
        throw new StoreError('a newer version of muzo has upgraded its storage in another tab: reload this page', 'failed', { cause: error });
      }
      throw error;
    },
  );
}

let defaultDb: Promise<MuzoDb> | undefined;

/** The app's shared connection to the 'muzo' database (opened on first use). */
export function getMuzoDb(): Promise<MuzoDb> {
  if (!defaultDb) {
    defaultDb = openMuzoDb().then((db) => {
      db.addEventListener('close', () => (defaultDb = undefined));
      db.addEventListener('versionchange', () => (defaultDb = undefined));
      return db;
    });
    defaultDb.catch(() => (defaultDb = undefined));
  }
  return defaultDb;
}

export type AtomicWrite<Names extends StoreNames<MuzoSchema>[]> = (tx: IDBPTransaction<MuzoSchema, Names, 'readwrite'>) => Promise<unknown>;

/**
 * Runs the `writes` in one readwrite transaction over `stores` and resolves when it has committed. If anything
 * fails — a put throwing synchronously, a request failing, the browser aborting for lack of space — the
 * transaction is aborted, so none of its writes persist, and the error that caused it is rethrown.
 */
export async function writeAtomically<Names extends StoreNames<MuzoSchema>[]>(
  db: MuzoDb,
  stores: Names,
  writes: AtomicWrite<Names>[],
): Promise<void> {
  const tx = db.transaction(stores, 'readwrite');
  const pending: Promise<unknown>[] = [tx.done];
  // Every request's promise is observed at once: after an abort they all reject, and none may go unhandled.
  tx.done.catch(() => undefined);
  try {
    for (const write of writes) {
      const request = write(tx);
      request.catch(() => undefined);
      pending.push(request);
    }
    await Promise.all(pending);
  } catch (error) {
    try {
      tx.abort();
    } catch {
      // already aborted by the failure itself
    }
    // Requests of an aborted transaction fail with AbortError; the transaction's own error says why (e.g. quota).
    throw (error as { name?: string } | null)?.name === 'AbortError' && tx.error ? tx.error : error;
  }
}

/** Asks the browser not to evict muzo's data under storage pressure. null where the API is absent. */
export async function requestPersistentStorage(): Promise<boolean | null> {
  const storage = globalThis.navigator?.storage;
  if (!storage?.persist) return null;
  try {
    return (await storage.persisted?.()) || (await storage.persist());
  } catch {
    return false;
  }
}

export interface StorageUsage {
  usage: number;
  quota: number;
}

/** Bytes used and available to this origin. null where the API is absent. */
export async function storageUsage(): Promise<StorageUsage | null> {
  const storage = globalThis.navigator?.storage;
  if (!storage?.estimate) return null;
  try {
    const { usage = 0, quota = 0 } = await storage.estimate();
    return { usage, quota };
  } catch {
    return null;
  }
}
