import { getMuzoDb, type MuzoDb } from './db.ts';
import { StoreError, isQuotaError } from './errors.ts';
import { approximateBytes } from './sizes.ts';

/**
 * Features computed for a file, kept across reloads so a file seen before is not decoded again. The key is the
 * SHA-256 of the file's bytes plus the feature-set version: a renamed file still hits, an edited file or a new
 * feature set misses. Values are whatever the pipeline computed (structured-cloneable: numbers, typed arrays...).
 */

export interface FeatureCacheOptions {
  featureSetVersion: string;
  db?: MuzoDb;
}

type FileBytes = Uint8Array | ArrayBuffer;

/** Hashes per byte object: the pipeline asks for a file, then stores its features, hashing it once. */
const digests = new WeakMap<object, Promise<string>>();

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 of the bytes, lowercase hex. */
export function sha256Hex(bytes: FileBytes): Promise<string> {
  let digest = digests.get(bytes);
  if (!digest) {
    // subtle.digest needs a BufferSource it can read now; hashing a view of a shared or detached buffer would fail.
    digest = crypto.subtle.digest('SHA-256', bytes as BufferSource).then(hex);
    digests.set(bytes, digest);
  }
  return digest;
}

export async function featureCacheKey(bytes: FileBytes, featureSetVersion: string): Promise<string> {
  return `${await sha256Hex(bytes)}@${featureSetVersion}`;
}

/** The cached features of a file with these bytes, or undefined (a miss). */
export async function cachedFeatures<T = unknown>(bytes: FileBytes, { featureSetVersion, db }: FeatureCacheOptions): Promise<T | undefined> {
  const key = await featureCacheKey(bytes, featureSetVersion);
  const record = await (db ?? (await getMuzoDb())).get('featureCache', key);
  return record?.value as T | undefined;
}

export async function hasFeatures(bytes: FileBytes, { featureSetVersion, db }: FeatureCacheOptions): Promise<boolean> {
  const key = await featureCacheKey(bytes, featureSetVersion);
  return (await (db ?? (await getMuzoDb())).getKey('featureCache', key)) !== undefined;
}

/**
 * Remembers the features computed for a file. A full disk is reported as a StoreError('quota'); callers may
 * ignore it, since the cache only saves time.
 */
export async function storeFeatures(bytes: FileBytes, features: unknown, { featureSetVersion, db }: FeatureCacheOptions): Promise<void> {
  const key = await featureCacheKey(bytes, featureSetVersion);
  const record = { key, featureSetVersion, value: features, approxBytes: approximateBytes(features), storedAt: new Date().toISOString() };
  try {
    await (db ?? (await getMuzoDb())).put('featureCache', record);
  } catch (error) {
    if (isQuotaError(error)) {
      throw new StoreError('not enough storage space to cache the features of this file; clear the feature cache to make room', 'quota', {
        cause: error,
      });
    }
    throw error;
  }
}

export interface FeatureCacheStats {
  count: number;
  /** Approximate size of the cached values. */
  approxBytes: number;
  /** Entry count per feature-set version (entries of older versions are never hit again). */
  byVersion: Record<string, number>;
}

/** What the cache holds, read from its indexes only (no cached value is loaded). */
export async function inspectFeatureCache(db?: MuzoDb): Promise<FeatureCacheStats> {
  const tx = (db ?? (await getMuzoDb())).transaction('featureCache', 'readonly');
  let count = 0;
  let approxBytes = 0;
  for (let cursor = await tx.store.index('byApproxBytes').openKeyCursor(); cursor; cursor = await cursor.continue()) {
    count++;
    approxBytes += cursor.key;
  }
  const byVersion: Record<string, number> = {};
  for (let cursor = await tx.store.index('byVersion').openKeyCursor(); cursor; cursor = await cursor.continue()) {
    byVersion[cursor.key] = (byVersion[cursor.key] ?? 0) + 1;
  }
  await tx.done;
  return { count, approxBytes, byVersion };
}

/** Empties the cache, or with `keepVersion` only drops entries of other feature-set versions. Returns how many went. */
export async function clearFeatureCache({ keepVersion, db }: { keepVersion?: string; db?: MuzoDb } = {}): Promise<number> {
  const tx = (db ?? (await getMuzoDb())).transaction('featureCache', 'readwrite');
  let removed = 0;
  if (keepVersion === undefined) {
    removed = await tx.store.count();
    await tx.store.clear();
  } else {
    for (let cursor = await tx.store.index('byVersion').openKeyCursor(); cursor; cursor = await cursor.continue()) {
      if (cursor.key !== keepVersion) {
        await tx.store.delete(cursor.primaryKey);
        removed++;
      }
    }
  }
  await tx.done;
  return removed;
}
