import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { openMuzoDb } from './db.ts';
import { cachedFeatures, clearFeatureCache, featureCacheKey, hasFeatures, inspectFeatureCache, sha256Hex, storeFeatures } from './featureCache.ts';

const V = 'gtzan-57-v1';

function fileBytes(seed: number, length = 4096): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed * 17) & 0xff);
}

describe('feature cache', () => {
  it('keys a file by the SHA-256 of its bytes and the feature-set version', async () => {
    const bytes = fileBytes(1);
    const expectedHex = createHash('sha256').update(bytes).digest('hex');
    expect(await sha256Hex(bytes)).toBe(expectedHex);
    expect(await featureCacheKey(bytes, V)).toBe(`${expectedHex}@${V}`);
    expect(await sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('misses, then hits across connections (a reload), for the same bytes under any name', async () => {
    const factory = new IDBFactory();
    const db = await openMuzoDb({ factory });
    const bytes = fileBytes(2);
    expect(await cachedFeatures(bytes, { featureSetVersion: V, db })).toBeUndefined();
    expect(await hasFeatures(bytes, { featureSetVersion: V, db })).toBe(false);
    const features = { segments: [new Float64Array([1.5, -2.25, 3])], durationSeconds: 30 };
    await storeFeatures(bytes, features, { featureSetVersion: V, db });
    db.close();

    const reloaded = await openMuzoDb({ factory });
    const sameBytesOtherObject = fileBytes(2);
    expect(await hasFeatures(sameBytesOtherObject, { featureSetVersion: V, db: reloaded })).toBe(true);
    const hit = await cachedFeatures<typeof features>(sameBytesOtherObject.buffer as ArrayBuffer, { featureSetVersion: V, db: reloaded });
    expect(hit).toEqual(features);
    expect(hit!.segments[0]).toBeInstanceOf(Float64Array);
    // A changed byte or another feature-set version misses.
    const edited = fileBytes(2);
    edited[100] ^= 1;
    expect(await cachedFeatures(edited, { featureSetVersion: V, db: reloaded })).toBeUndefined();
    expect(await cachedFeatures(sameBytesOtherObject, { featureSetVersion: 'gtzan-57-v2', db: reloaded })).toBeUndefined();
  });

  it('inspects count, approximate bytes and versions without loading values; clears all or stale versions', async () => {
    const db = await openMuzoDb({ factory: new IDBFactory() });
    expect(await inspectFeatureCache(db)).toEqual({ count: 0, approxBytes: 0, byVersion: {} });
    await storeFeatures(fileBytes(1), new Float64Array(57), { featureSetVersion: V, db });
    await storeFeatures(fileBytes(2), new Float64Array(10), { featureSetVersion: V, db });
    await storeFeatures(fileBytes(3), new Float32Array(100), { featureSetVersion: 'old', db });
    expect(await inspectFeatureCache(db)).toEqual({ count: 3, approxBytes: 57 * 8 + 10 * 8 + 100 * 4, byVersion: { [V]: 2, old: 1 } });

    expect(await clearFeatureCache({ keepVersion: V, db })).toBe(1);
    expect(await inspectFeatureCache(db)).toEqual({ count: 2, approxBytes: 67 * 8, byVersion: { [V]: 2 } });
    expect(await hasFeatures(fileBytes(1), { featureSetVersion: V, db })).toBe(true);

    expect(await clearFeatureCache({ db })).toBe(2);
    expect(await inspectFeatureCache(db)).toEqual({ count: 0, approxBytes: 0, byVersion: {} });
    expect(await hasFeatures(fileBytes(1), { featureSetVersion: V, db })).toBe(false);
  });

  it('storing the same file again replaces its entry', async () => {
    const db = await openMuzoDb({ factory: new IDBFactory() });
    await storeFeatures(fileBytes(4), [1, 2], { featureSetVersion: V, db });
    await storeFeatures(fileBytes(4), [3, 4, 5], { featureSetVersion: V, db });
    expect(await cachedFeatures(fileBytes(4), { featureSetVersion: V, db })).toEqual([3, 4, 5]);
    expect((await inspectFeatureCache(db)).count).toBe(1);
  });
});
