import * as tf from '@tensorflow/tfjs';
import { FEATURE_SET_VERSION } from '../core/features/gtzan.ts';
import type { ModelBundle } from '../core/models/bundle.ts';
import { BundleError } from '../core/models/bundleValidate.ts';
import { bundleFromZip, bundleToZip } from '../core/models/bundleZip.ts';
import type { MuzoDb } from './db.ts';
import { StoreError } from './errors.ts';
import { loadModel, saveModel } from './models.ts';
import { bundleToIOHandler, MODEL_JSON } from './tfio.ts';

/** Export and import of saved models as .zip files (the CLI's model-folder layout, zipped). */

/** A file name for the export: the model's name made safe for any file system. */
export function exportFileName(bundle: ModelBundle): string {
  const base = bundle.metadata.name.normalize('NFKD').replace(/[^\w.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 80);
  return `${base || 'model'}.muzo.zip`;
}

export async function exportModelZip(id: string, db?: MuzoDb): Promise<{ fileName: string; bytes: Uint8Array }> {
  const bundle = await loadModel(id, db);
  return { fileName: exportFileName(bundle), bytes: bundleToZip(bundle) };
}

/** Loads every layers model of a bundle once with TF.js (then frees it): what the validator cannot see, TF.js can. */
async function layersModelsLoadProblems(bundle: ModelBundle): Promise<string[]> {
  const problems: string[] = [];
  for (const path of Object.keys(bundle.files).filter((p) => p === MODEL_JSON || p.endsWith(`/${MODEL_JSON}`))) {
    const prefix = path.slice(0, path.length - MODEL_JSON.length);
    try {
      const model = await tf.loadLayersModel(bundleToIOHandler(bundle, prefix));
      model.dispose();
    } catch (error) {
      problems.push(`${path} cannot be loaded by TensorFlow.js: ${(error as Error).message}`);
    }
  }
  return problems;
}

export interface ImportOptions {
  /** The app's feature-set version (default FEATURE_SET_VERSION): a model computed on other features is refused. */
  featureSetVersion?: string;
  db?: MuzoDb;
}

/**
 * Imports a model .zip: reads and validates everything (archive, paths, sizes, JSON, metadata, feature-set
 * version, weights) and loads each layers model once before anything is written; then saves it atomically.
 * Any problem is a StoreError('invalid') whose message lists the reasons; the store is untouched.
 */
export async function importModelZip(zip: Uint8Array, { featureSetVersion = FEATURE_SET_VERSION, db }: ImportOptions = {}): Promise<string> {
  let bundle: ModelBundle;
  try {
    bundle = bundleFromZip(zip, { expectedFeatureSetVersion: featureSetVersion });
  } catch (error) {
    if (error instanceof BundleError) throw new StoreError(`this model cannot be imported: ${error.message}`, 'invalid', { cause: error });
    throw error;
  }
  const loadProblems = await layersModelsLoadProblems(bundle);
  if (loadProblems.length > 0) {
    throw new StoreError(`this model cannot be imported: ${new BundleError(loadProblems).message}`, 'invalid');
  }
  return saveModel(bundle, { db });
}
