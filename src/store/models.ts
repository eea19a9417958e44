import type { ModelBundle, ModelMetadata } from '../core/models/bundle.ts';
import { BundleError, validateModelBundle } from '../core/models/bundleValidate.ts';
import { getMuzoDb, storageUsage, writeAtomically, type AtomicWrite, type ModelRecord, type MuzoDb } from './db.ts';
import { StoreError, isQuotaError } from './errors.ts';
import { formatMegabytes } from './sizes.ts';

/**
 * Saved models. A model's metadata (`models`) and its file bytes (`modelFiles`) live in two object stores so the
 * model list never reads weights, and are always written and deleted together in one transaction.
 */

const ACTIVE_MODEL_KEY = 'activeModelId';

/** What the model list shows: everything but the file bytes. */
export type ModelSummary = ModelRecord;

/** A structured clone of a view copies its whole underlying buffer: store each file as exactly its bytes. */
function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
    ? bytes
    : bytes.slice();
}

async function quotaMessage(name: string, bytes: number): Promise<string> {
  const usage = await storageUsage();
  const where = usage ? ` (muzo uses ${formatMegabytes(usage.usage)} of the ${formatMegabytes(usage.quota)} the browser allows)` : '';
  return (
    `not enough storage space: model "${name}" (${formatMegabytes(bytes)}) could not be saved${where}. ` +
    'Nothing was changed. Delete models you no longer need or clear the feature cache, then save again.'
  );
}

export interface SaveOptions {
  /** Replace the model with this id (its older version stays intact if the save fails); default: a new id. */
  id?: string;
  db?: MuzoDb;
}

/**
 * Stores a bundle atomically: metadata and every file in one transaction, or nothing. The bundle is validated
 * first (paths, sizes, weights manifest). Returns the model's id.
 */
export async function saveModel(bundle: ModelBundle, { id = crypto.randomUUID(), db }: SaveOptions = {}): Promise<string> {
  try {
    validateModelBundle(bundle);
  } catch (error) {
    if (error instanceof BundleError) throw new StoreError(`the model cannot be saved: ${error.message}`, 'invalid', { cause: error });
    throw error;
  }
  const files: Record<string, Uint8Array> = {};
  const fileSizes: Record<string, number> = {};
  for (const [path, bytes] of Object.entries(bundle.files)) {
    files[path] = ownBytes(bytes);
    fileSizes[path] = bytes.byteLength;
  }
  const totalBytes = Object.values(fileSizes).reduce((a, b) => a + b, 0);
  const record: ModelRecord = { id, metadata: bundle.metadata, fileSizes, totalBytes, savedAt: new Date().toISOString() };
  const database = db ?? (await getMuzoDb());
  try {
    await writeAtomically(database, ['models', 'modelFiles'], [
      (tx) => tx.objectStore('modelFiles').put({ id, files }),
      (tx) => tx.objectStore('models').put(record),
    ]);
  } catch (error) {
    if (isQuotaError(error)) throw new StoreError(await quotaMessage(bundle.metadata.name, totalBytes), 'quota', { cause: error });
    throw new StoreError(`model "${bundle.metadata.name}" could not be saved: ${(error as Error).message}. Nothing was changed.`, 'failed', {
      cause: error,
    });
  }
  return id;
}

/** Every saved model's metadata and sizes, newest first; no weight bytes are read. */
export async function listModels(db?: MuzoDb): Promise<ModelSummary[]> {
  const records = await (db ?? (await getMuzoDb())).getAll('models');
  return records.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
}

export async function getModelSummary(id: string, db?: MuzoDb): Promise<ModelSummary | undefined> {
  return (db ?? (await getMuzoDb())).get('models', id);
}

/** The whole bundle of a saved model. */
export async function loadModel(id: string, db?: MuzoDb): Promise<ModelBundle> {
  const tx = (db ?? (await getMuzoDb())).transaction(['models', 'modelFiles'], 'readonly');
  const [record, filesRecord] = await Promise.all([tx.objectStore('models').get(id), tx.objectStore('modelFiles').get(id), tx.done]);
  if (!record || !filesRecord) throw new StoreError(`no saved model has the id "${id}"`, 'not-found');
  return { metadata: record.metadata, files: filesRecord.files };
}

async function updateMetadata(id: string, change: (m: ModelMetadata) => ModelMetadata, db?: MuzoDb): Promise<ModelSummary> {
  const database = db ?? (await getMuzoDb());
  const tx = database.transaction('models', 'readwrite');
  const record = await tx.store.get(id);
  if (!record) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new StoreError(`no saved model has the id "${id}"`, 'not-found');
  }
  const updated = { ...record, metadata: change(record.metadata) };
  await Promise.all([tx.store.put(updated), tx.done]);
  return updated;
}

export async function renameModel(id: string, name: string, db?: MuzoDb): Promise<ModelSummary> {
  const trimmed = name.trim();
  if (trimmed === '') throw new StoreError('a model needs a name', 'invalid');
  if (trimmed.length > 200) throw new StoreError('a model name can have at most 200 characters', 'invalid');
  return updateMetadata(id, (m) => ({ ...m, name: trimmed, updatedAt: new Date().toISOString() }), db);
}

/** Deletes a model (metadata and files together); if it was the active model, no model is active afterwards. */
export async function deleteModel(id: string, db?: MuzoDb): Promise<void> {
  const database = db ?? (await getMuzoDb());
  const active = await database.get('settings', ACTIVE_MODEL_KEY);
  const writes: AtomicWrite<('models' | 'modelFiles' | 'settings')[]>[] = [
    (tx) => tx.objectStore('models').delete(id),
    (tx) => tx.objectStore('modelFiles').delete(id),
  ];
  if (active === id) writes.push((tx) => tx.objectStore('settings').delete(ACTIVE_MODEL_KEY));
  await writeAtomically(database, ['models', 'modelFiles', 'settings'], writes);
}

/** Makes a saved model the one the Classify view uses; null: none. */
export async function setActiveModel(id: string | null, db?: MuzoDb): Promise<void> {
  const database = db ?? (await getMuzoDb());
  if (id === null) {
    await database.delete('settings', ACTIVE_MODEL_KEY);
    return;
  }
  const tx = database.transaction(['models', 'settings'], 'readwrite');
  const exists = (await tx.objectStore('models').getKey(id)) !== undefined;
  if (!exists) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new StoreError(`no saved model has the id "${id}"`, 'not-found');
  }
  await Promise.all([tx.objectStore('settings').put(id, ACTIVE_MODEL_KEY), tx.done]);
}

/** The active model's id, or null when none is set or it no longer exists. */
export async function getActiveModel(db?: MuzoDb): Promise<string | null> {
  const database = db ?? (await getMuzoDb());
  const id = await database.get('settings', ACTIVE_MODEL_KEY);
  if (typeof id !== 'string') return null;
  return (await database.getKey('models', id)) === undefined ? null : id;
}
