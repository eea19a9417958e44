import type { FeatureDataset } from '../core/data/dataset.ts';
import { getMuzoDb, writeAtomically, type DatasetFile, type DatasetRecord, type DatasetSource, type MuzoDb } from './db.ts';
import { StoreError, isQuotaError } from './errors.ts';
import { formatMegabytes } from './sizes.ts';

/**
 * Datasets kept across reloads: the built-in GTZAN table, an imported features CSV, or a user's folder (its files
 * and labels with the features computed for them). The summary (`datasets`) is listed without reading the
 * feature vectors, which live packed in one Float64Array (`datasetFeatures`); both are written together.
 */

export type { DatasetFile, DatasetSource };
export type DatasetSummary = DatasetRecord;

export interface DatasetInput {
  name: string;
  source: DatasetSource;
  files: DatasetFile[];
  dataset: FeatureDataset;
}

export interface StoredDataset extends DatasetSummary {
  dataset: FeatureDataset;
}

function packRows(dataset: FeatureDataset): Float64Array {
  const width = dataset.featureNames.length;
  const packed = new Float64Array(dataset.rows.length * width);
  dataset.rows.forEach((row, i) => {
    if (row.features.length !== width) {
      throw new StoreError(`row ${i} (${row.file}) has ${row.features.length} features where the dataset has ${width}`, 'invalid');
    }
    packed.set(row.features, i * width);
  });
  return packed;
}

/** Stores a dataset and returns its id. */
export async function saveDataset(input: DatasetInput, { id = crypto.randomUUID(), db }: { id?: string; db?: MuzoDb } = {}): Promise<string> {
  const name = input.name.trim();
  if (name === '') throw new StoreError('a dataset needs a name', 'invalid');
  const features = packRows(input.dataset);
  const record: DatasetRecord = {
    id,
    name,
    source: input.source,
    files: input.files.map(({ name: fileName, label, size }) => (size === undefined ? { name: fileName, label } : { name: fileName, label, size })),
    featureNames: [...input.dataset.featureNames],
    labels: [...new Set(input.dataset.rows.map((r) => r.label))].sort(),
    rowCount: input.dataset.rows.length,
    createdAt: new Date().toISOString(),
  };
  const rows = input.dataset.rows.map(({ file, group, label, length }) => ({ file, group, label, length }));
  try {
    await writeAtomically(db ?? (await getMuzoDb()), ['datasets', 'datasetFeatures'], [
      (tx) => tx.objectStore('datasetFeatures').put({ id, rows, features }),
      (tx) => tx.objectStore('datasets').put(record),
    ]);
  } catch (error) {
    if (isQuotaError(error)) {
      throw new StoreError(
        `not enough storage space: dataset "${name}" (${formatMegabytes(features.byteLength)} of features) could not be saved; ` +
          'delete datasets or models you no longer need, or clear the feature cache',
        'quota',
        { cause: error },
      );
    }
    throw new StoreError(`dataset "${name}" could not be saved: ${(error as Error).message}`, 'failed', { cause: error });
  }
  return id;
}

/** Every stored dataset's summary, newest first; no feature vectors are read. */
export async function listDatasets(db?: MuzoDb): Promise<DatasetSummary[]> {
  const records = await (db ?? (await getMuzoDb())).getAll('datasets');
  return records.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export async function loadDataset(id: string, db?: MuzoDb): Promise<StoredDataset> {
  const tx = (db ?? (await getMuzoDb())).transaction(['datasets', 'datasetFeatures'], 'readonly');
  const [summary, stored] = await Promise.all([tx.objectStore('datasets').get(id), tx.objectStore('datasetFeatures').get(id), tx.done]);
  if (!summary || !stored) throw new StoreError(`no stored dataset has the id "${id}"`, 'not-found');
  const width = summary.featureNames.length;
  const rows = stored.rows.map((row, i) => ({ ...row, features: stored.features.slice(i * width, (i + 1) * width) }));
  return { ...summary, dataset: { featureNames: summary.featureNames, rows } };
}

export async function deleteDataset(id: string, db?: MuzoDb): Promise<void> {
  await writeAtomically(db ?? (await getMuzoDb()), ['datasets', 'datasetFeatures'], [
    (tx) => tx.objectStore('datasets').delete(id),
    (tx) => tx.objectStore('datasetFeatures').delete(id),
  ]);
}
