/**
 * Chooses the TF.js backend for training and inference, and says why, so the UI and the CLI can show it.
 *
 * Order: WebGPU only when the adapter is a real GPU (a fallback/software adapter such as SwiftShader or llvmpipe is
 * many times slower than wasm); then wasm; then webgl; then cpu. The wasm backend has no Conv2D filter gradient
 * (Conv2DBackpropFilter): the CNN still trains there because muzo's training loop computes Conv2D gradients from
 * ops wasm has (src/core/models/kinds/cnnConv.ts); the 'conv' workload's reason says so.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'webgpu' | 'wasm' | 'webgl' | 'cpu';

/** 'dense' = feature-vector models (logreg, MLP, k-NN); 'conv' = the CNN (trains through muzo's Conv2D gradients). */
export type Workload = 'dense' | 'conv';

export interface BackendChoice {
  backend: BackendName;
  /** One sentence for people, e.g. "WebGPU adapter is a software fallback (SwiftShader); using wasm". */
  reason: string;
}

export interface SelectBackendOptions {
  workload?: Workload;
  /**
   * Folder (URL or file path, ending in '/') holding tfjs-backend-wasm's .wasm files. In the browser they must be
   * served from the page's own origin; in Node, node_modules/@tensorflow/tfjs-backend-wasm/dist/.
   */
  wasmPath?: string;
  /** Try only this backend (then cpu if it fails), e.g. for benchmarks. */
  force?: BackendName;
}

const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|software|basic render/i;

/** Why a WebGPU adapter is unusable (a software or fallback adapter), or null when it is a real GPU. */
export function adapterProblem(adapter: AdapterLike, info: AdapterInfoLike | undefined): string | null {
  if (adapter.isFallbackAdapter || info?.isFallbackAdapter) return 'the WebGPU adapter is a software fallback';
  const description = [info?.vendor, info?.architecture, info?.device, info?.description].filter(Boolean).join(' ');
  if (SOFTWARE_ADAPTER.test(description)) return `the WebGPU adapter is software (${description.trim()})`;
  return null;
}

/** Why WebGPU is unusable here, or null when its adapter is a real GPU. */
async function webgpuProblem(): Promise<string | null> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (!gpu) return 'WebGPU is not available';
  let adapter: AdapterLike | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (e) {
    return `WebGPU adapter request failed (${String(e)})`;
  }
  if (!adapter) return 'no WebGPU adapter';
  const info = adapter.info ?? (adapter.requestAdapterInfo ? await adapter.requestAdapterInfo().catch(() => undefined) : undefined);
  return adapterProblem(adapter, info);
}

export interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
export interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: AdapterInfoLike;
  requestAdapterInfo?: () => Promise<AdapterInfoLike>;
}
interface GpuLike {
  requestAdapter(): Promise<AdapterLike | null>;
}

async function trySetBackend(name: BackendName): Promise<boolean> {
  try {
    if (name === 'webgpu' && !tf.findBackendFactory('webgpu')) await import('@tensorflow/tfjs-backend-webgpu');
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

/** Picks, initializes and activates the best backend for the workload. */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendChoice> {
  const workload = options.workload ?? 'dense';
  if (options.wasmPath) setWasmPaths(options.wasmPath);
  const notes: string[] = [];
  const attempt = async (name: BackendName, why: string): Promise<BackendChoice | null> => {
    if (await trySetBackend(name)) return { backend: name, reason: [...notes, why].join('; ') };
    notes.push(`${name} failed to initialize`);
    return null;
  };
  if (options.force) {
    const forced = await attempt(options.force, `${options.force} was requested`);
    if (forced) return forced;
    return (await attempt('cpu', 'cpu fallback'))!;
  }
  const problem = await webgpuProblem();
  if (problem === null) {
    const gpu = await attempt('webgpu', 'WebGPU on a hardware GPU');
    if (gpu) return gpu;
  } else notes.push(problem);
  const wasm = await attempt(
    'wasm',
    workload === 'dense'
      ? 'wasm (SIMD) is the fastest remaining backend for dense models'
      : 'wasm (SIMD) is the fastest remaining backend; it has no Conv2D filter gradient (Conv2DBackpropFilter), so muzo computes Conv2D gradients from matrix products (about 100x faster than the cpu backend)',
  );
  if (wasm) return wasm;
  const hasWebgl = typeof (globalThis as { document?: unknown }).document !== 'undefined' ||
    typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas !== 'undefined';
  if (hasWebgl) {
    const webgl = await attempt('webgl', 'WebGL');
    if (webgl) return webgl;
  } else notes.push('WebGL is not available');
  const cpu = await attempt('cpu', 'the plain JavaScript cpu backend is the last resort');
  if (!cpu) throw new Error('no TF.js backend could be initialized');
  return cpu;
}
