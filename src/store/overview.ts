import { getMuzoDb, storageUsage, type MuzoDb } from './db.ts';
import { inspectFeatureCache, type FeatureCacheStats } from './featureCache.ts';

/** What muzo keeps in the browser, for a storage panel: one call, no model weights or feature vectors read. */
export interface StorageOverview {
  /** Whether the browser promised not to evict muzo's data; null where the Storage API is absent. */
  persisted: boolean | null;
  /** Bytes used by this origin and the most it may use, as the browser estimates them; null where unknown. */
  usage: number | null;
  quota: number | null;
  models: { count: number; bytes: number };
  datasets: { count: number; rows: number };
  featureCache: FeatureCacheStats;
}

export async function storageOverview(db?: MuzoDb): Promise<StorageOverview> {
  const database = db ?? (await getMuzoDb());
  const [models, datasets, featureCache, estimate, persisted] = await Promise.all([
    database.getAll('models'),
    database.getAll('datasets'),
    inspectFeatureCache(database),
    storageUsage(),
    globalThis.navigator?.storage?.persisted?.().catch(() => null) ?? Promise.resolve(null),
  ]);
  return {
    persisted,
    usage: estimate?.usage ?? null,
    quota: estimate?.quota ?? null,
    models: { count: models.length, bytes: models.reduce((n, m) => n + m.totalBytes, 0) },
    datasets: { count: datasets.length, rows: datasets.reduce((n, d) => n + d.rowCount, 0) },
    featureCache,
  };
}
