/**
 * A TF.js layers model as bundle files: `<prefix>model.json` (the standard layers-model JSON, loadable by plain
 * tf.loadLayersModel) and `<prefix>weights.bin`.
 */
import * as tf from '@tensorflow/tfjs';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export async function layersModelToFiles(model: tf.LayersModel, prefix = ''): Promise<Record<string, Uint8Array>> {
  let files: Record<string, Uint8Array> = {};
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
      const modelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      files = {
        [`${prefix}model.json`]: encoder.encode(JSON.stringify(modelJson)),
        [`${prefix}weights.bin`]: new Uint8Array(weightData),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return files;
}

export async function layersModelFromFiles(files: Record<string, Uint8Array>, prefix = ''): Promise<tf.LayersModel> {
  const jsonBytes = files[`${prefix}model.json`];
  if (!jsonBytes) throw new Error(`the model has no ${prefix}model.json`);
  const modelJson = JSON.parse(decoder.decode(jsonBytes)) as tf.io.ModelJSON;
  const manifest = modelJson.weightsManifest ?? [];
  const weightSpecs = manifest.flatMap((group) => group.weights);
  const parts = manifest.flatMap((group) =>
    group.paths.map((p) => {
      const bytes = files[`${prefix}${p}`];
      if (!bytes) throw new Error(`the model has no ${prefix}${p}`);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    }),
  );
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs,
      weightData: tf.io.CompositeArrayBuffer.join(parts),
    }),
  );
}
