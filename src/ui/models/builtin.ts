/**
 * The built-in default: the GTZAN features table and the model trained on it, served from public/default/ (made by
 * `npm run build:default-model`). Its manifest says what is there; a build without ../shared/data has none.
 */
import type { ModelBundle, ModelMetadata } from '../../core/models/bundle.ts';
import { bundleFromFiles } from '../../core/models/bundleValidate.ts';

const BASE = `${import.meta.env.BASE_URL}default/`;

export interface BuiltinManifest {
  /** File name of the built-in dataset (GTZAN table) under default/, or null. */
  dataset: string | null;
  /** Folder of the built-in model under default/, or null. */
  model: string | null;
  /** Every file of the model folder (relative paths), metadata.json included. */
  modelFiles?: string[];
  card: string | null;
  reason?: string;
}

export const BUILTIN_MODEL_NAME = 'Built-in GTZAN 10-genre model';

let manifestPromise: Promise<BuiltinManifest | null> | null = null;

/** What is built in, or null when the build has no default (fetched once per page). */
export function builtinManifest(): Promise<BuiltinManifest | null> {
  manifestPromise ??= fetch(`${BASE}manifest.json`)
    .then(async (res) => {
      // A static server may answer a missing file with the app's index.html: only JSON counts.
      if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return null;
      return (await res.json()) as BuiltinManifest;
    })
    .catch(() => null);
  return manifestPromise;
}

export function builtinUrl(relativePath: string): string {
  return `${BASE}${relativePath}`;
}

/** The built-in dataset's CSV text, or null when there is none. */
export async function fetchBuiltinDatasetCsv(): Promise<string | null> {
  const manifest = await builtinManifest();
  if (!manifest?.dataset) return null;
  const res = await fetch(builtinUrl(manifest.dataset));
  if (!res.ok) throw new Error(`the built-in dataset could not be loaded (HTTP ${res.status})`);
  return res.text();
}

/** The built-in model's metadata, or null when there is none. */
export async function fetchBuiltinMetadata(): Promise<ModelMetadata | null> {
  const manifest = await builtinManifest();
  if (!manifest?.model) return null;
  const res = await fetch(builtinUrl(`${manifest.model}metadata.json`));
  if (!res.ok) throw new Error(`the built-in model could not be loaded (HTTP ${res.status})`);
  return (await res.json()) as ModelMetadata;
}

/** The built-in model as a validated bundle (the same shape as a saved or imported model), or null. */
export async function fetchBuiltinBundle(): Promise<ModelBundle | null> {
  const manifest = await builtinManifest();
  if (!manifest?.model || !manifest.modelFiles) return null;
  const files: Record<string, Uint8Array> = {};
  await Promise.all(
    manifest.modelFiles.map(async (path) => {
      const res = await fetch(builtinUrl(`${manifest.model}${path}`));
      if (!res.ok) throw new Error(`the built-in model's ${path} could not be loaded (HTTP ${res.status})`);
      files[path] = new Uint8Array(await res.arrayBuffer());
    }),
  );
  return bundleFromFiles(files);
}
