import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from './harness.ts';
import { encodeWav } from '../../src/core/audio/wav.ts';
import { noise, tone, wavBytes } from './audio.ts';
import { useServedApp } from './servedApp.ts';

const RATE = 22050;
const SONGS_PER_CLASS = 8;

/** sounds/tones/*.wav (steady tones at several pitches) and sounds/noise/*.wav (white noise): two easy classes. */
function makeTrainingFolder(): { root: string; folder: string } {
  const root = mkdtempSync(join(tmpdir(), 'muzo-e2e-train-'));
  const folder = join(root, 'sounds');
  for (const label of ['tones', 'noise']) mkdirSync(join(folder, label), { recursive: true });
  for (let i = 0; i < SONGS_PER_CLASS; i++) {
    writeFileSync(join(folder, 'tones', `tone-${i}.wav`), wavBytes([tone(4, RATE, 200 + 90 * i)], RATE));
    writeFileSync(join(folder, 'noise', `noise-${i}.wav`), wavBytes([noise(4, RATE, 17 + i)], RATE));
  }
  return { root, folder };
}

/** A WAV whose LIST/INFO chunk names the artist. */
function taggedWav(samples: Float32Array, artist: string): Buffer {
  const name = new TextEncoder().encode(`${artist}\0`);
  const info = new Uint8Array(12 + name.length);
  info.set(new TextEncoder().encode('INFOIART'), 0);
  new DataView(info.buffer).setUint32(8, name.length, true);
  info.set(name, 12);
  return Buffer.from(encodeWav([samples], RATE, 'int16', { extraChunks: [{ id: 'LIST', data: info }] }));
}

/** Two genres with two subgenres each: tones/low, tones/high, noise/loud, noise/quiet; low-0 and low-1 share an artist tag. */
function makeHierarchicalFolder(root: string): string {
  const folder = join(root, 'library');
  const make = (label: string, name: string, samples: Float32Array) => {
    mkdirSync(join(folder, label), { recursive: true });
    writeFileSync(join(folder, label, name), name === 'low-0.wav' || name === 'low-1.wav' ? taggedWav(samples, 'Low Band') : wavBytes([samples], RATE));
  };
  for (let i = 0; i < 5; i++) {
    make('tones/low', `low-${i}.wav`, tone(4, RATE, 150 + 40 * i));
    make('tones/high', `high-${i}.wav`, tone(4, RATE, 2500 + 300 * i));
    make('noise/loud', `loud-${i}.wav`, noise(4, RATE, 31 + i, 0.5));
    make('noise/quiet', `quiet-${i}.wav`, noise(4, RATE, 71 + i, 0.03));
  }
  return folder;
}

describe.skipIf(!hasChromium())('Train: a model from a folder', () => {
  const served = useServedApp('#train');
  let data: { root: string; folder: string };

  beforeAll(async () => {
    data = makeTrainingFolder();
  });
  afterAll(async () => {
    rmSync(data.root, { recursive: true, force: true });
  });

  it('shows the labels, trains with live progress, saves the model, and Classify uses it', async () => {
    const { page } = served.session;
    await page.getByLabel('Choose a training folder (folder input)').setInputFiles(data.folder);
    const labels = page.getByRole('region', { name: 'Labels' });
    await labels.getByText('tones — 8 songs').waitFor();
    await labels.getByText('noise — 8 songs').waitFor();

    await page.getByLabel('Model name').fill('Tones or noise');
    await page.getByLabel('Epochs (at most)').fill('40');
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.getByRole('progressbar', { name: 'Features extracted' }).waitFor();
    await page.getByRole('figure', { name: 'Loss per epoch' }).waitFor({ timeout: 90_000 });
    await page.getByText('Model “Tones or noise” saved', { exact: false }).waitFor({ timeout: 120_000 });

    const results = page.getByRole('region', { name: 'Results' });
    await results.getByText(/Protocol: stratified 20% hold-out, grouped by song/).first().waitFor();
    const accuracy = results.getByRole('row', { name: /^Accuracy\b(?! per)/ });
    expect(await accuracy.getByRole('cell').nth(0).textContent()).toBe('100.0%');
    expect(await accuracy.getByRole('cell').nth(1).textContent()).toMatch(/hold-out/);
    await served.session.screenshot('train-results-1280');
    await page.setViewportSize({ width: 375, height: 800 });
    // Charts re-measure after a resize: wait for the layout to settle.
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await served.session.screenshot('train-results-375');
    await page.setViewportSize({ width: 1280, height: 900 });

    // The folder's features: saved as a dataset and exported in the GTZAN table's layout.
    await page.getByText('Features saved as a dataset (see Explore).').waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export features as CSV' }).click();
    const csv = await new Promise<string>((ok) => {
      void download.then(async (d) => {
        let out = '';
        const stream = await d.createReadStream();
        stream.on('data', (chunk) => (out += chunk));
        stream.on('end', () => ok(out));
      });
    });
    const lines = csv.trim().split('\n');
    expect(lines[0]).toMatch(/^filename,length,chroma_stft_mean,.*,mfcc20_var,label$/);
    expect(lines.length - 1).toBeGreaterThanOrEqual(2 * SONGS_PER_CLASS);

    await page.getByRole('button', { name: 'Use this model in Classify' }).click();
    await page.getByRole('button', { name: 'Classify uses this model' }).waitFor();

    await page.getByRole('tab', { name: 'Models' }).click();
    await page.getByRole('tabpanel', { name: 'Models' }).getByText('Tones or noise').first().waitFor();

    await page.getByRole('tab', { name: 'Classify' }).click();
    await page.getByText('Model: Tones or noise').waitFor({ timeout: 30_000 });
    await page.getByLabel('Choose files').setInputFiles([
      { name: 'new-tone.wav', mimeType: 'audio/wav', buffer: wavBytes([tone(4, RATE, 523)], RATE) },
      { name: 'new-noise.wav', mimeType: 'audio/wav', buffer: wavBytes([noise(4, RATE, 999)], RATE) },
    ]);
    const genreOf = (file: string) => page.getByRole('row').filter({ hasText: file }).getByRole('cell').nth(4);
    await page.getByRole('row').filter({ hasText: 'new-noise.wav' }).getByRole('cell', { name: /%$/ }).waitFor({ timeout: 60_000 });
    await page.getByRole('row').filter({ hasText: 'new-tone.wav' }).getByRole('cell', { name: /%$/ }).waitFor({ timeout: 60_000 });
    expect(await genreOf('new-tone.wav').textContent()).toBe('tones');
    expect(await genreOf('new-noise.wav').textContent()).toBe('noise');
    served.session.expectClean();
  });

  it('trains a genre/subgenre model from nested folders (artists from tags, audio augmentation) and names the subgenre in Classify', async () => {
    const { page } = served.session;
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByLabel('Choose a training folder (folder input)').setInputFiles(makeHierarchicalFolder(data.root));
    const labels = page.getByRole('region', { name: 'Labels' });
    await labels.getByText('high — 5 songs').waitFor();
    await labels.getByText('quiet — 5 songs').waitFor();
    await page.getByLabel('Model name').fill('Nested sounds');
    await page.getByLabel('Epochs (at most)').fill('60');
    await page.getByLabel('Keep together').selectOption('artist');
    await page.getByRole('checkbox', { name: /Audio augmentation/ }).check();
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.getByText('Model “Nested sounds” saved', { exact: false }).waitFor({ timeout: 120_000 });
    const results = page.getByRole('region', { name: 'Results' });
    await results.getByRole('row', { name: /^Genre\/subgenre accuracy/ }).waitFor();
    // 20 files: two share an artist tag; every file got one augmented copy (4 s of 3-s segments: one row each).
    await results
      .getByText(
        /Protocol: stratified 20% hold-out, grouped by artist \(from artist tags: 2 of 20 files; the others by song\), song-level, training audio augmented \(1 copy per file/,
      )
      .first()
      .waitFor();
    await results.getByText(/20 rows \(and 20 rows of augmented copies, trained on only\)/).waitFor();
    await page.getByRole('button', { name: 'Use this model in Classify' }).click();
    await page.getByRole('tab', { name: 'Classify' }).click();
    await page.getByText('Model: Nested sounds').waitFor({ timeout: 30_000 });
    await page.getByLabel('Choose files').setInputFiles([
      { name: 'whistle.wav', mimeType: 'audio/wav', buffer: wavBytes([tone(4, RATE, 3100)], RATE) },
    ]);
    const cell = page.getByRole('row').filter({ hasText: 'whistle.wav' }).getByRole('cell', { name: 'tones / high' });
    await cell.waitFor({ timeout: 60_000 });
    served.session.expectClean();
  });

  it('cancels a training run and keeps the saved models as they were', async () => {
    const { page } = served.session;
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByLabel('Model name').fill('Never saved');
    // Back to song groups without copies (the subgenres have too few artists for 5 folds).
    await page.getByLabel('Keep together').selectOption('song');
    await page.getByRole('checkbox', { name: /Audio augmentation/ }).uncheck();
    await page.getByLabel('Epochs (at most)').fill('1000');
    await page.getByLabel('Evaluation protocol').selectOption('kfold');
    await page.getByRole('button', { name: 'Start training' }).click();
    // The header shows the work in progress (visible from every tab).
    await page.getByRole('list', { name: 'Work in progress' }).waitFor();
    await page.getByRole('figure', { name: 'Loss per epoch' }).waitFor({ timeout: 90_000 });
    await page.getByRole('region', { name: 'Progress' }).getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Training cancelled. Nothing was saved; your models are unchanged.').waitFor();
    await page.getByRole('tab', { name: 'Models' }).click();
    const models = page.getByRole('tabpanel', { name: 'Models' });
    await models.getByText('Tones or noise').first().waitFor();
    expect(await models.getByText('Never saved').count()).toBe(0);
    served.session.expectClean();
  });

  it('trains the default ensemble (MLP, SVM and extra-trees), stores it, and Classify uses it', async () => {
    const { page } = served.session;
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByLabel('Choose a training folder (folder input)').setInputFiles(data.folder);
    await page.getByRole('region', { name: 'Labels' }).getByText('tones — 8 songs').waitFor();
    await page.getByLabel('Model name').fill('Tones or noise, ensemble');
    // extra-trees has no layers form: offered only inside the ensemble.
    expect(await page.getByLabel('Model kind').locator('option[value="extra-trees"]').count()).toBe(0);
    await page.getByLabel('Model kind').selectOption('ensemble');
    await page.getByLabel('Evaluation protocol').selectOption('holdout');
    await page.getByLabel('Epochs (at most)').fill('40');
    await page.getByRole('button', { name: 'Start training' }).click();
    await page.getByText('Model “Tones or noise, ensemble” saved', { exact: false }).waitFor({ timeout: 120_000 });
    await page.getByRole('region', { name: 'Results' }).getByText(/16 songs, 16 rows, model kind ensemble\./).waitFor();
    await page.getByRole('button', { name: 'Use this model in Classify' }).click();
    await page.getByRole('tab', { name: 'Classify' }).click();
    await page.getByText('Model: Tones or noise, ensemble').waitFor({ timeout: 30_000 });
    await page.getByLabel('Choose files').setInputFiles([
      { name: 'other-tone.wav', mimeType: 'audio/wav', buffer: wavBytes([tone(4, RATE, 660)], RATE) },
      { name: 'other-noise.wav', mimeType: 'audio/wav', buffer: wavBytes([noise(4, RATE, 4242)], RATE) },
    ]);
    for (const [file, genre] of [['other-tone.wav', 'tones'], ['other-noise.wav', 'noise']]) {
      await page.getByRole('row').filter({ hasText: file }).getByRole('cell', { name: genre, exact: true }).waitFor({ timeout: 60_000 });
    }
    served.session.expectClean();
  });

  it('counts the models trained for a kind without epochs (the SVM)', async () => {
    const { page } = served.session;
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByLabel('Choose a training folder (folder input)').setInputFiles(data.folder);
    await page.getByRole('region', { name: 'Labels' }).getByText('tones — 8 songs').waitFor();
    await page.getByLabel('Model name').fill('Tones or noise, SVM');
    await page.getByLabel('Model kind').selectOption('svm');
    expect(await page.getByLabel('Epochs (at most)').isDisabled()).toBe(true);
    expect(await page.getByRole('checkbox', { name: /Mixup/ }).isDisabled()).toBe(true);
    await page.getByLabel('Evaluation protocol').selectOption('kfold');
    await page.getByRole('button', { name: 'Start training' }).click();
    const progress = page.getByRole('region', { name: 'Progress' });
    // 5 folds, then the final model: parts, not epochs (and within a part, the SVM's steps when one is under way).
    await progress
      .getByText(/^Models trained \(now: (Evaluation: fold \d of 5|Final model on all songs)(: (choosing C and gamma|training the chosen SVMs), \d+ of 31)?\): \d of 6/)
      .waitFor({ timeout: 90_000 });
    await page.getByText('Model “Tones or noise, SVM” saved', { exact: false }).waitFor({ timeout: 120_000 });
    const bar = progress.getByRole('progressbar', { name: /^Models trained/ });
    expect([await bar.getAttribute('value'), await bar.getAttribute('max')]).toEqual(['6', '6']);
    expect(await progress.getByRole('figure', { name: 'Loss per epoch' }).count()).toBe(0);
    await page.getByRole('region', { name: 'Results' }).getByText(/16 songs, 16 rows, model kind svm\. Protocol: stratified 5-fold/).waitFor();
    served.session.expectClean();
  });
});
