/**
 * Persistence in a real browser: models kept in Chromium's own IndexedDB survive a reload, stay active and classify;
 * an import that fails leaves them alone; features of a song seen before come from the cache after a reload.
 * The model is trained in Node by the same core code the app uses.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_SET_VERSION, GTZAN_FEATURE_NAMES } from '../../src/core/features/gtzan.ts';
import { bundleToZip } from '../../src/core/models/bundleZip.ts';
import { disposeModel, modelToBundle, trainModel } from '../../src/core/models/model.ts';
import { noise, tone, wavBytes } from './audio.ts';
import { hasChromium } from './harness.ts';
import { useServedApp } from './servedApp.ts';

const MODEL_NAME = 'persistence test model';

/** A small logistic-regression model over the app's 57 GTZAN features, as an exported .zip. */
async function trainedModelZip(): Promise<Buffer> {
  const labels = ['blues', 'jazz', 'rock'];
  const rows = Array.from({ length: 30 }, (_, i) => ({
    label: labels[i % 3],
    group: `song${i}`,
    features: GTZAN_FEATURE_NAMES.map((_, j) => Math.sin(i * 0.37 + j) + (i % 3) * (j % 2)),
  }));
  const { model } = await trainModel({ featureNames: [...GTZAN_FEATURE_NAMES], rows }, 'logreg', { seed: 7, fit: { epochs: 5 } });
  const bundle = await modelToBundle(model, { name: MODEL_NAME, featureSetVersion: FEATURE_SET_VERSION, segmentSeconds: 3, backend: 'cpu' });
  disposeModel(model);
  return Buffer.from(bundleToZip(bundle));
}

describe.skipIf(!hasChromium())('Persistence across reloads (real IndexedDB)', () => {
  const served = useServedApp('#models');
  let zip: Buffer;

  beforeAll(async () => {
    zip = await trainedModelZip();
  });

  const modelsPanel = () => served.session.page.getByRole('tabpanel', { name: 'Models' });
  const savedCard = () => modelsPanel().getByRole('article', { name: MODEL_NAME });

  it('an imported model set active is still there, and still active, after a reload', async () => {
    const { page } = served.session;
    await modelsPanel().getByLabel('Import a model (.zip)').setInputFiles({ name: 'model.muzo.zip', mimeType: 'application/zip', buffer: zip });
    await expect.poll(async () => (await modelsPanel().getByRole('status').allTextContents()).join(' ')).toMatch(/^Imported/);
    await savedCard().getByRole('button', { name: `Set ${MODEL_NAME} as the active model` }).click();
    await savedCard().getByText('active', { exact: true }).waitFor();

    await page.reload();
    await savedCard().waitFor();
    await savedCard().getByText('active', { exact: true }).waitFor();
    // The database the app wrote is the app's one 'muzo' database, at its current schema, holding the model.
    const stored = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const request = indexedDB.open('muzo');
        request.onsuccess = () => ok(request.result);
        request.onerror = () => fail(request.error);
      });
      const read = <T,>(store: string, op: (s: IDBObjectStore) => IDBRequest<T>) =>
        new Promise<T>((ok, fail) => {
          const request = op(db.transaction(store).objectStore(store));
          request.onsuccess = () => ok(request.result);
          request.onerror = () => fail(request.error);
        });
      const models = await read('models', (s) => s.getAll());
      const files = await read('modelFiles', (s) => s.count());
      db.close();
      return { version: db.version, names: models.map((m: { metadata: { name: string } }) => m.metadata.name), files };
    });
    expect(stored).toEqual({ version: 2, names: [MODEL_NAME], files: 1 });
    served.session.expectClean();
  });

  it('a failed import after the reload leaves the saved model as it was', async () => {
    const panel = modelsPanel();
    const truncated = zip.subarray(0, Math.floor(zip.length / 2));
    await panel.getByLabel('Import a model (.zip)').setInputFiles({ name: 'broken.zip', mimeType: 'application/zip', buffer: truncated });
    const alert = panel.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^broken\.zip: this model cannot be imported: the file is not a valid zip archive/);
    await served.session.page.reload();
    await savedCard().getByText('active', { exact: true }).waitFor();
    expect(await modelsPanel().getByRole('article', { name: MODEL_NAME }).count()).toBe(1);
    served.session.expectClean();
  });

  it('after a reload Classify uses the saved model, and after another one reads the song from the feature cache', async () => {
    const { page } = served.session;
    const chord = tone(7, 22050, 196).map((v, i) => v + 0.3 * Math.sin((2 * Math.PI * 247 * i) / 22050));
    const song = { name: 'chord.wav', mimeType: 'audio/wav', buffer: wavBytes([chord], 22050) };
    const classify = async (): Promise<{ state: string; confidence: string; text: string }> => {
      await page.getByText(`Model: ${MODEL_NAME}`).waitFor({ timeout: 60_000 });
      await page.getByLabel('Choose files').setInputFiles([song]);
      await page.getByText('Files analysed: 1 of 1').waitFor({ timeout: 90_000 });
      const songRow = page.getByRole('row').filter({ hasText: 'chord.wav' });
      const confidence = songRow.getByRole('cell', { name: /^\d+\.\d%$/ });
      await confidence.waitFor({ timeout: 30_000 });
      return {
        state: (await songRow.getByRole('cell', { name: /^done/ }).textContent()) ?? '',
        confidence: (await confidence.textContent()) ?? '',
        text: (await songRow.textContent()) ?? '',
      };
    };

    await page.goto(`${served.app.url}#classify`);
    await page.reload();
    const first = await classify();
    expect(first.state).toBe('done');
    expect(first.text).toMatch(/blues|jazz|rock/);

    await page.reload();
    const again = await classify();
    expect(again.state).toBe('done (cached)');
    expect(again.confidence).toBe(first.confidence);
    served.session.expectClean();
  });
});

/** A training folder the way a user has one: tones/<label>/<song>.wav, low hums against high whistles, with noise. */
function writeTrainingFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'muzo-e2e-train-'));
  const classes = { low: [110, 131, 147, 165, 175], high: [1760, 1976, 2093, 2349, 2637] };
  for (const [label, pitches] of Object.entries(classes)) {
    mkdirSync(join(root, 'tones', label), { recursive: true });
    pitches.forEach((hz, i) => {
      const hiss = noise(4, 22050, hz);
      const signal = tone(4, 22050, hz).map((v, j) => v + 0.2 * hiss[j]);
      writeFileSync(join(root, 'tones', label, `${label}-${i}.wav`), wavBytes([signal], 22050));
    });
  }
  return join(root, 'tones');
}

describe.skipIf(!hasChromium())('Train, reload, classify (real IndexedDB)', () => {
  const served = useServedApp('#train');
  let folder: string;

  beforeAll(async () => {
    folder = writeTrainingFolder();
  });
  afterAll(async () => {
    if (folder) rmSync(join(folder, '..'), { recursive: true, force: true });
  });

  it('trains a small model on a folder, keeps it across a reload, and classifies with it', async () => {
    const { page } = served.session;
    const train = page.getByRole('tabpanel', { name: 'Train' });
    await train.getByLabel('Choose a training folder (folder input)').setInputFiles(folder);
    await train.getByLabel('Model name').fill('tones model');
    await train.getByLabel('Segment length').selectOption('whole');
    await train.getByLabel('Epochs (at most)').fill('20');
    await train.getByRole('button', { name: 'Start training' }).click();
    await train.getByText('Model “tones model” saved').waitFor({ timeout: 180_000 });
    await train.getByRole('button', { name: 'Use this model in Classify' }).click();
    await train.getByRole('button', { name: 'Classify uses this model' }).waitFor();

    const hiss = noise(4, 22050, 7);
    const hum = { name: 'new-hum.wav', mimeType: 'audio/wav', buffer: wavBytes([tone(4, 22050, 123).map((v, i) => v + 0.2 * hiss[i])], 22050) };
    const classify = async () => {
      await page.getByText('Model: tones model').waitFor({ timeout: 60_000 });
      await page.getByLabel('Choose files').setInputFiles([hum]);
      await page.getByText('Files analysed: 1 of 1').waitFor({ timeout: 90_000 });
      const songRow = page.getByRole('row').filter({ hasText: 'new-hum.wav' });
      await songRow.getByRole('cell', { name: /^\d+\.\d%$/ }).waitFor({ timeout: 30_000 });
      return (await songRow.getByRole('cell').allTextContents()).filter((text) => !/^(done|Show)/.test(text));
    };

    await page.goto(`${served.app.url}#classify`);
    const beforeReload = await classify();
    // The prediction is one of the trained model's own labels, not a built-in GTZAN genre.
    expect(beforeReload.some((cell) => cell === 'low' || cell === 'high')).toBe(true);
    await page.reload();
    expect(await classify()).toEqual(beforeReload);
    await served.session.screenshot('persistence-train-classify');
    served.session.expectClean();
  });
});
