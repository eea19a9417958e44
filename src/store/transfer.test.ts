import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { IDBFactory } from 'fake-indexeddb';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelBundle } from '../core/models/bundle.ts';
import { FIXTURE_FEATURE_SET_VERSION, fixtureBundle, fixtureMetadata } from '../core/models/bundleFixture.ts';
import { bundleProblems } from '../core/models/bundleValidate.ts';
import { bundleToZip } from '../core/models/bundleZip.ts';
import { layersModelToFiles } from '../core/models/layers-io.ts';
import { disposeModel, modelFromBundle, modelToBundle, predictRows, trainModel } from '../core/models/model.ts';
import { getModelKind } from '../core/models/registry.ts';
import { openMuzoDb, type MuzoDb } from './db.ts';
import { listModels, loadModel, saveModel } from './models.ts';
import { bundleToIOHandler, ioHandlerToFiles, modelToFiles } from './tfio.ts';
import { exportFileName, exportModelZip, importModelZip } from './transfer.ts';

const freshDb = (): Promise<MuzoDb> => openMuzoDb({ factory: new IDBFactory() });
const opts = (db: MuzoDb) => ({ featureSetVersion: FIXTURE_FEATURE_SET_VERSION, db });

/** A dense softmax model with weights set from a formula, and inputs to compare its predictions on. */
function denseModel(): tf.LayersModel {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], activation: 'softmax' })] });
  model.setWeights([tf.tensor2d(Array.from({ length: 12 }, (_, i) => Math.cos(i)), [4, 3]), tf.tensor1d([0.1, -0.2, 0.3])]);
  return model;
}
const probe = () => tf.tensor2d([[1, 2, 3, 4], [-1, 0.5, 0, 2]]);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('TF.js IO adapter', () => {
  it('a layers model saved to bundle files and loaded back predicts exactly the same', async () => {
    const model = denseModel();
    const files = await modelToFiles(model);
    expect(Object.keys(files).sort()).toEqual(['model.json', 'weights.bin']);
    expect(bundleProblems({ metadata: fixtureMetadata(), files })).toEqual([]);
    const loaded = await tf.loadLayersModel(bundleToIOHandler({ files }));
    expect(await (loaded.predict(probe()) as tf.Tensor).array()).toEqual(await (model.predict(probe()) as tf.Tensor).array());
  });

  it('writes the same files as the training code, and reads any TF.js IO handler into them', async () => {
    const model = denseModel();
    const ours = await modelToFiles(model, 'members/0/');
    expect(ours).toEqual(await layersModelToFiles(model, 'members/0/'));
    expect(await ioHandlerToFiles(bundleToIOHandler({ files: ours }, 'members/0/'), 'members/0/')).toEqual(ours);
  });
});

describe('export / import', () => {
  it('export then import into another profile gives back the same bundle, byte for byte', async () => {
    const source = await freshDb();
    const bundle: ModelBundle = { metadata: fixtureMetadata({ name: 'Genres: rock/jazz' }), files: await modelToFiles(denseModel()) };
    const id = await saveModel(bundle, { db: source });
    const { fileName, bytes } = await exportModelZip(id, source);
    expect(fileName).toBe('Genres-rock-jazz.muzo.zip');

    const target = await freshDb();
    const imported = await importModelZip(bytes, opts(target));
    expect(await loadModel(imported, target)).toEqual(bundle);
  });

  it('the unzipped export is a folder plain tf.loadLayersModel reads', async () => {
    const bundle: ModelBundle = { metadata: fixtureMetadata(), files: await modelToFiles(denseModel()) };
    const files = unzipSync(bundleToZip(bundle));
    const modelJson = JSON.parse(new TextDecoder().decode(files['model.json'])) as tf.io.ModelJSON;
    const weights = files[modelJson.weightsManifest[0].paths[0]];
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory(modelJson.modelTopology as object, modelJson.weightsManifest[0].weights, weights.slice().buffer),
    );
    expect(await (loaded.predict(probe()) as tf.Tensor).array()).toEqual(await (denseModel().predict(probe()) as tf.Tensor).array());
  });

  it('a trained ensemble (k-NN reference set, support vectors, a forest, members/<i>/ parts) survives save, export, import and reload', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => [Math.sin(i), Math.cos(i * 0.7), (i % 3) - 1 + 0.1 * Math.sin(i * 3), (i % 5) * 0.2]);
    const set = {
      rows,
      y: rows.map((_, i) => i % 3),
      groups: rows.map((_, i) => `song${i % 10}`),
      labels: ['blues', 'jazz', 'rock'],
      featureNames: ['f0', 'f1', 'f2', 'f3'],
    };
    const kind = getModelKind('ensemble');
    const { classifier } = await kind.train(set, { seed: 3, fit: { epochs: 3 }, members: [{ kind: 'logreg', seed: 0 }, { kind: 'knn', seed: 1 }, { kind: 'svm', seed: 2 }, { kind: 'extra-trees', seed: 3 }] });
    const part = await classifier.save('');
    const bundle: ModelBundle = {
      metadata: fixtureMetadata({ kind: part.kind, labels: part.labels, preprocessing: part.preprocessing }),
      files: part.files,
    };
    const before = await classifier.predictProba(rows.slice(0, 6));

    const db = await freshDb();
    const { bytes } = await exportModelZip(await saveModel(bundle, { db }), db);
    const target = await freshDb();
    const back = await loadModel(await importModelZip(bytes, opts(target)), target);
    expect(back).toEqual(bundle);
    const reloaded = await kind.load({ kind: part.kind, labels: part.labels, preprocessing: back.metadata.preprocessing }, back.files, '');
    expect(await reloaded.predictProba(rows.slice(0, 6))).toEqual(before);
    classifier.dispose();
    reloaded.dispose();
  });

  it('a trained genre/subgenre model (sub/<i>/ parts) survives save, export, import and reload', async () => {
    const labels = ['Rock/Grunge', 'Rock/Punk', 'Jazz', 'Blues/Delta', 'Blues/Chicago'];
    const rows = Array.from({ length: 40 }, (_, i) => ({
      label: labels[i % 5],
      group: `song${i % 20}`,
      features: [Math.sin(i), (i % 5) - 2, Math.cos(i * 1.7), ((i * 7) % 11) / 11],
    }));
    const data = { featureNames: ['f0', 'f1', 'f2', 'f3'], rows };
    const { model } = await trainModel(data, 'logreg', { seed: 1, fit: { epochs: 3 } });
    const bundle = await modelToBundle(model, {
      name: 'genres and subgenres',
      featureSetVersion: FIXTURE_FEATURE_SET_VERSION,
      segmentSeconds: 3,
      backend: 'cpu',
    });
    expect(Object.keys(bundle.files).filter((p) => p.startsWith('sub/')).length).toBeGreaterThan(0);
    const before = await predictRows(model, rows.slice(0, 8).map((r) => r.features));

    const db = await freshDb();
    const { bytes } = await exportModelZip(await saveModel(bundle, { db }), db);
    const target = await freshDb();
    const back = await loadModel(await importModelZip(bytes, opts(target)), target);
    expect(back).toEqual(bundle);
    const reloaded = await modelFromBundle(back);
    expect(await predictRows(reloaded, rows.slice(0, 8).map((r) => r.features))).toEqual(before);
    disposeModel(model);
    disposeModel(reloaded);
  });

  it('a hostile or foreign import is refused with its reason and touches nothing', async () => {
    const db = await freshDb();
    const kept = fixtureBundle({ name: 'kept' });
    const keptId = await saveModel(kept, { db });
    const foreign = bundleToZip(fixtureBundle({ featureSetVersion: 'other-features-9' }));
    await expect(importModelZip(foreign, opts(db))).rejects.toMatchObject({
      name: 'StoreError',
      reason: 'invalid',
      message: expect.stringMatching(/^this model cannot be imported: this model was trained on features of version "other-features-9"/),
    });
    await expect(importModelZip(new TextEncoder().encode('PK definitely not a zip file at all'), opts(db))).rejects.toThrow(
      'this model cannot be imported: the file is not a valid zip archive (no end-of-archive record)',
    );
    expect((await listModels(db)).map((m) => m.id)).toEqual([keptId]);
    expect(await loadModel(keptId, db)).toEqual(kept);
  });

  it('a topology TF.js cannot build is refused even though its manifest is consistent', async () => {
    const db = await freshDb();
    const bundle = fixtureBundle();
    const json = new TextDecoder().decode(bundle.files['model.json']).replace('"class_name":"Dense"', '"class_name":"NoSuchLayer"');
    const zip = bundleToZip({ ...bundle, files: { ...bundle.files, 'model.json': new TextEncoder().encode(json) } });
    await expect(importModelZip(zip, opts(db))).rejects.toThrow(/^this model cannot be imported: model\.json cannot be loaded by TensorFlow\.js: /);
    expect(await listModels(db)).toEqual([]);
  });
});

describe('exportFileName', () => {
  it('makes the model name safe for any file system', () => {
    expect(exportFileName(fixtureBundle({ name: '../Café: Rock/Jazz?' }))).toBe('Cafe-Rock-Jazz.muzo.zip');
    expect(exportFileName(fixtureBundle({ name: '***' }))).toBe('model.muzo.zip');
  });
});
