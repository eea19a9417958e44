import * as tf from '@tensorflow/tfjs';
import type { ModelBundle } from '../core/models/bundle.ts';

/**
 * TF.js IO over bundle files, in the layout the training code writes (src/core/models/layers-io.ts):
 * `<prefix>model.json` (standard layers-model JSON) and the weight files its manifest names, `<prefix>weights.bin`.
 */

export const MODEL_JSON = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

function exactBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** A TF.js load handler for the layers model at `<prefix>model.json`: `tf.loadLayersModel(bundleToIOHandler(b))`. */
export function bundleToIOHandler(bundle: Pick<ModelBundle, 'files'>, prefix = ''): tf.io.IOHandler {
  return {
    load: async () => {
      const jsonBytes = bundle.files[`${prefix}${MODEL_JSON}`];
      if (!jsonBytes) throw new Error(`the model has no ${prefix}${MODEL_JSON}`);
      const modelJson = JSON.parse(new TextDecoder().decode(jsonBytes)) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const parts = manifest.flatMap((group) =>
          group.paths.map((path) => {
            const file = `${prefix}${path.replace(/^\.\//, '')}`;
            const bytes = bundle.files[file];
            if (!bytes) throw new Error(`the model has no ${file}`);
            return exactBuffer(bytes);
          }),
        );
        return [tf.io.getWeightSpecs(manifest), tf.io.CompositeArrayBuffer.join(parts)];
      });
    },
  };
}

/** model.json + weights.bin (under `prefix`) for TF.js model artifacts. */
export function artifactsToFiles(artifacts: tf.io.ModelArtifacts, prefix = ''): Record<string, Uint8Array> {
  if (!artifacts.modelTopology || artifacts.modelTopology instanceof ArrayBuffer) {
    throw new Error('only layers models with a JSON topology can be stored');
  }
  const weightData = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
  const modelJson: tf.io.ModelJSON = {
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
  };
  return {
    [`${prefix}${MODEL_JSON}`]: new TextEncoder().encode(JSON.stringify(modelJson)),
    [`${prefix}${WEIGHTS_FILE}`]: new Uint8Array(weightData),
  };
}

/** Bundle files for whatever a TF.js IO handler loads (e.g. tf.io.browserFiles of a plain TF.js model). */
export async function ioHandlerToFiles(handler: tf.io.IOHandler, prefix = ''): Promise<Record<string, Uint8Array>> {
  if (!handler.load) throw new Error('this TF.js IO handler cannot load');
  return artifactsToFiles(await handler.load(), prefix);
}

/** Bundle files for an in-memory layers model. */
export async function modelToFiles(model: tf.LayersModel, prefix = ''): Promise<Record<string, Uint8Array>> {
  let files: Record<string, Uint8Array> = {};
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      files = artifactsToFiles(artifacts, prefix);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return files;
}
