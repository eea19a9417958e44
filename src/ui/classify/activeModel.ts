/**
 * The model Classify uses: the active saved model from the store, else the built-in default. Loading picks the
 * TF.js backend once per page (wasm binaries from this origin's tfjs-wasm/ folder, never a CDN).
 */
import { useEffect, useState } from 'react';
import type { ModelMetadata } from '../../core/models/bundle.ts';
import { modelFromBundle, disposeModel, type MuzoModel } from '../../core/models/model.ts';
import { selectBackend, type BackendChoice } from '../../core/backend/select.ts';
import { loadModel } from '../../store/models.ts';
import { BUILTIN_MODEL_NAME, fetchBuiltinBundle } from '../models/builtin.ts';

export const TFJS_WASM_PATH = `${import.meta.env.BASE_URL}tfjs-wasm/`;

let backend: Promise<BackendChoice> | null = null;

/** Initializes TF.js on this thread once (dense inference: WebGPU on a real GPU, else wasm). */
export function ensureBackend(): Promise<BackendChoice> {
  backend ??= selectBackend({ workload: 'dense', wasmPath: TFJS_WASM_PATH });
  return backend;
}

export interface LoadedModel {
  /** Store id, or null for the built-in model. */
  id: string | null;
  name: string;
  metadata: ModelMetadata;
  model: MuzoModel;
}

export type ModelState =
  | { status: 'loading' }
  | { status: 'none'; message: string }
  | { status: 'error'; message: string }
  | { status: 'ready'; loaded: LoadedModel };

async function load(activeModelId: string | null): Promise<LoadedModel | null> {
  await ensureBackend();
  if (activeModelId) {
    const bundle = await loadModel(activeModelId);
    return { id: activeModelId, name: bundle.metadata.name, metadata: bundle.metadata, model: await modelFromBundle(bundle) };
  }
  const bundle = await fetchBuiltinBundle();
  if (!bundle) return null;
  return { id: null, name: BUILTIN_MODEL_NAME, metadata: bundle.metadata, model: await modelFromBundle(bundle) };
}

export function useActiveModel(activeModelId: string | null): ModelState {
  const [state, setState] = useState<ModelState>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    let loaded: LoadedModel | null = null;
    setState({ status: 'loading' });
    load(activeModelId).then(
      (result) => {
        loaded = result;
        if (!live) {
          if (result) disposeModel(result.model);
          return;
        }
        setState(
          result
            ? { status: 'ready', loaded: result }
            : { status: 'none', message: 'No model yet: this build has no built-in model. Train one in the Train view.' },
        );
      },
      (error: unknown) => live && setState({ status: 'error', message: `The model could not be loaded: ${error instanceof Error ? error.message : String(error)}` }),
    );
    return () => {
      live = false;
      if (loaded) disposeModel(loaded.model);
    };
  }, [activeModelId]);
  return state;
}
