import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { FeatureDataset } from '../core/data/dataset.ts';
import { deleteDataset, listDatasets, loadDataset, saveDataset } from './datasets.ts';
import { openMuzoDb } from './db.ts';

function dataset(rows: number, width: number): FeatureDataset {
  return {
    featureNames: Array.from({ length: width }, (_, j) => `feature_${j}`),
    rows: Array.from({ length: rows }, (_, i) => ({
      file: `song${i}.wav`,
      group: `song${i}`,
      label: i % 2 ? 'Rock/Grunge' : 'Jazz',
      length: 66149 + i,
      features: Float64Array.from({ length: width }, (_, j) => i * 1000 + j + 0.125),
    })),
  };
}

describe('datasets', () => {
  it('round-trips a dataset: files, labels, feature rows bit for bit', async () => {
    // One connection saves, another (as after a reload) reads.
    const factory = new IDBFactory();
    const first = await openMuzoDb({ factory });
    const data = dataset(5, 57);
    data.rows[3].features[7] = Number.MIN_VALUE;
    const files = data.rows.map((r) => ({ name: `${r.label}/${r.file}`, label: r.label, size: 1000 }));
    const id = await saveDataset({ name: ' my folder ', source: 'folder', files, dataset: data }, { db: first });
    first.close();

    const db = await openMuzoDb({ factory });
    const stored = await loadDataset(id, db);
    expect(stored.name).toBe('my folder');
    expect(stored.source).toBe('folder');
    expect(stored.files).toEqual(files);
    expect(stored.labels).toEqual(['Jazz', 'Rock/Grunge']);
    expect(stored.rowCount).toBe(5);
    expect(Date.parse(stored.createdAt)).not.toBeNaN();
    expect(stored.dataset).toEqual(data);
    expect(stored.dataset.rows[3].features).toBeInstanceOf(Float64Array);
  });

  it('lists summaries without feature vectors, newest first, and deletes', async () => {
    const db = await openMuzoDb({ factory: new IDBFactory() });
    const gtzan = await saveDataset({ name: 'GTZAN', source: 'builtin-gtzan', files: [], dataset: dataset(3, 2) }, { db });
    await new Promise((r) => setTimeout(r, 5));
    const csv = await saveDataset({ name: 'table', source: 'csv', files: [], dataset: dataset(2, 2) }, { db });
    const list = await listDatasets(db);
    expect(list.map((d) => [d.id, d.name, d.source, d.rowCount])).toEqual([
      [csv, 'table', 'csv', 2],
      [gtzan, 'GTZAN', 'builtin-gtzan', 3],
    ]);
    expect(list.every((d) => !('dataset' in d) && !('features' in d))).toBe(true);
    await deleteDataset(gtzan, db);
    expect((await listDatasets(db)).map((d) => d.id)).toEqual([csv]);
    expect(await db.count('datasetFeatures')).toBe(1);
    await expect(loadDataset(gtzan, db)).rejects.toThrow(`no stored dataset has the id "${gtzan}"`);
  });

  it('refuses rows whose width differs from the feature names, writing nothing', async () => {
    const db = await openMuzoDb({ factory: new IDBFactory() });
    const data = dataset(2, 3);
    data.rows[1].features = new Float64Array(2);
    await expect(saveDataset({ name: 'bad', source: 'csv', files: [], dataset: data }, { db })).rejects.toThrow(
      'row 1 (song1.wav) has 2 features where the dataset has 3',
    );
    expect(await db.count('datasets')).toBe(0);
  });
});
