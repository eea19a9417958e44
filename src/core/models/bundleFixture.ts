import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelBundle, type ModelMetadata } from './bundle.ts';

/**
 * Small, complete, TF.js-loadable model bundles for tests of storage, zip and validation: a one-layer dense
 * softmax classifier with deterministic weights, written exactly as tfjs-layers writes model.json.
 */

export const FIXTURE_FEATURE_SET_VERSION = 'test-features-1';

export function fixtureMetadata(overrides: Partial<ModelMetadata> = {}): ModelMetadata {
  return {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    name: 'dense fixture',
    kind: 'logreg',
    labels: ['blues', 'jazz', 'rock'],
    featureSetVersion: FIXTURE_FEATURE_SET_VERSION,
    featureNames: ['f0', 'f1', 'f2', 'f3'],
    input: 'features',
    segmentSeconds: 3,
    preprocessing: { mean: [0, 0, 0, 0], std: [1, 1, 1, 1] },
    evaluation: { accuracy: 0.5, protocol: 'hold-out 20% by song' },
    history: { loss: [1.1, 0.9] },
    backend: 'cpu',
    createdAt: '2026-11-21T12:00:00.000Z',
    updatedAt: '2026-11-21T12:00:00.000Z',
    ...overrides,
  };
}

/** model.json + weights.bin under `prefix` for a dense layer of `inputs` → `units` softmax; weights seeded. */
export function denseModelFiles(prefix = '', { inputs = 4, units = 3, seed = 1 } = {}): Record<string, Uint8Array> {
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'TensorFlow.js tfjs-layers v4.22.0',
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: {
        name: 'sequential_1',
        layers: [
          {
            class_name: 'Dense',
            config: {
              units,
              activation: 'softmax',
              use_bias: true,
              name: 'dense_Dense1',
              trainable: true,
              batch_input_shape: [null, inputs],
              dtype: 'float32',
            },
          },
        ],
      },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [
      {
        paths: ['weights.bin'],
        weights: [
          { name: 'dense_Dense1/kernel', shape: [inputs, units], dtype: 'float32' },
          { name: 'dense_Dense1/bias', shape: [units], dtype: 'float32' },
        ],
      },
    ],
  };
  const weights = new Float32Array(inputs * units + units).map((_, i) => Math.sin(seed * 7.1 + i * 1.3));
  return {
    [`${prefix}model.json`]: new TextEncoder().encode(JSON.stringify(modelJson)),
    [`${prefix}weights.bin`]: new Uint8Array(weights.buffer),
  };
}

export function fixtureBundle(overrides: Partial<ModelMetadata> = {}, seed = 1): ModelBundle {
  return { metadata: fixtureMetadata(overrides), files: denseModelFiles('', { seed }) };
}

/** A two-level bundle in the training code's layout: the genre model at the root, Rock's subgenre model in sub/0/. */
export function hierarchicalFixtureBundle(): ModelBundle {
  const part = { kind: 'logreg', labels: ['Grunge', 'Punk'], preprocessing: { mean: [0, 0, 0, 0], std: [1, 1, 1, 1] } };
  const hierarchy = { subLabels: { Rock: ['Grunge', 'Punk'], Jazz: [], Blues: [] }, subModels: [{ genre: 'Rock', path: 'sub/0/' }] };
  return {
    metadata: fixtureMetadata({ name: 'hierarchy fixture', labels: ['Rock', 'Jazz', 'Blues'], hierarchy }),
    files: {
      ...denseModelFiles('', { seed: 2 }),
      ...denseModelFiles('sub/0/', { units: 2, seed: 3 }),
      'sub/0/part.json': new TextEncoder().encode(JSON.stringify(part)),
    },
  };
}
