import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { adapterProblem, selectBackend } from './select.ts';

const wasmPath = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + sep;

describe('adapterProblem', () => {
  it('rejects fallback and software adapters', () => {
    expect(adapterProblem({ isFallbackAdapter: true }, undefined)).toMatch(/fallback/);
    expect(adapterProblem({}, { isFallbackAdapter: true })).toMatch(/fallback/);
    expect(adapterProblem({}, { vendor: 'google', architecture: 'swiftshader', description: '' })).toMatch(/software.*swiftshader/);
    expect(adapterProblem({}, { vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.7, 256 bits)' })).toMatch(/llvmpipe/);
  });

  it('accepts a hardware adapter', () => {
    expect(adapterProblem({ isFallbackAdapter: false }, { vendor: 'nvidia', architecture: 'ada' })).toBeNull();
    expect(adapterProblem({}, undefined)).toBeNull();
  });
});

describe('selectBackend in Node', () => {
  it('uses wasm for dense models and says why', async () => {
    const choice = await selectBackend({ wasmPath });
    expect(choice.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.reason).toMatch(/WebGPU is not available/);
  });

  it('trains a CNN on wasm and says that muzo supplies the Conv2D gradients wasm lacks', async () => {
    const choice = await selectBackend({ workload: 'conv', wasmPath });
    expect(choice.backend).toBe('wasm');
    expect(choice.reason).toMatch(/Conv2DBackpropFilter/);
    expect(tf.getBackend()).toBe('wasm');
  });
});
