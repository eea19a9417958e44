import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from './harness.ts';
import { noise, tone, wavBytes } from './audio.ts';
import { useServedApp } from './servedApp.ts';

const RATE = 22050;
const SONGS_PER_CLASS = 4;
/** Two 3-s log-mel patches per file. */
const SECONDS = 6.5;

/** sounds/tones/*.wav and sounds/noise/*.wav: two classes whose spectrograms look nothing alike. */
function makeTrainingFolder(): { root: string; folder: string } {
  const root = mkdtempSync(join(tmpdir(), 'muzo-e2e-cnn-'));
  const folder = join(root, 'sounds');
  for (const label of ['tones', 'noise']) mkdirSync(join(folder, label), { recursive: true });
  for (let i = 0; i < SONGS_PER_CLASS; i++) {
    writeFileSync(join(folder, 'tones', `tone-${i}.wav`), wavBytes([tone(SECONDS, RATE, 220 + 130 * i)], RATE));
    writeFileSync(join(folder, 'noise', `noise-${i}.wav`), wavBytes([noise(SECONDS, RATE, 41 + i)], RATE));
  }
  return { root, folder };
}

describe.skipIf(!hasChromium())('Train: a CNN on log-mel patches', () => {
  const served = useServedApp('#train');
  let data: { root: string; folder: string };

  beforeAll(() => {
    data = makeTrainingFolder();
  });
  afterAll(() => {
    rmSync(data.root, { recursive: true, force: true });
  });

  it('trains a CNN in the Train view on a conv-capable backend, says which and why, and Classify uses it', async () => {
    const { page } = served.session;
    await page.getByLabel('Choose a training folder (folder input)').setInputFiles(data.folder);
    await page.getByRole('region', { name: 'Labels' }).getByText(`tones — ${SONGS_PER_CLASS} songs`).waitFor();
    await page.getByLabel('Model name').fill('Tones or noise CNN');
    await page.getByLabel('Model kind').selectOption('cnn');
    await page.getByText('The CNN learns from log-mel spectrogram patches').waitFor();
    // A CNN needs segments: 'whole file' is not offered for it.
    expect(await page.getByLabel('Segment length').locator('option[value="whole"]').isDisabled()).toBe(true);
    await page.getByLabel('Epochs (at most)').fill('12');
    await page.getByRole('button', { name: 'Start training' }).click();
    const outcome = page.getByText(/Model “Tones or noise CNN” saved|Training failed/).first();
    await outcome.waitFor({ timeout: 180_000 });
    expect(await outcome.textContent()).toMatch(/saved/);
    await page.getByRole('figure', { name: 'Loss per epoch' }).waitFor();

    // Headless Chromium's WebGPU is a software fallback: wasm, with muzo's own Conv2D gradients.
    const saved = page.getByRole('region', { name: 'Saved model' });
    await saved.getByText('trained with the wasm backend', { exact: false }).waitFor();
    await saved.getByText(/Why wasm: .*Conv2DBackpropFilter/).waitFor();
    const results = page.getByRole('region', { name: 'Results' });
    await results.getByText(/Protocol: stratified 20% hold-out, grouped by song/).first().waitFor();

    await page.getByRole('button', { name: 'Use this model in Classify' }).click();
    await page.getByRole('tab', { name: 'Classify' }).click();
    await page.getByText('Model: Tones or noise CNN').waitFor({ timeout: 30_000 });
    await page.getByLabel('Choose files').setInputFiles([
      { name: 'new-tone.wav', mimeType: 'audio/wav', buffer: wavBytes([tone(SECONDS, RATE, 600)], RATE) },
      { name: 'new-noise.wav', mimeType: 'audio/wav', buffer: wavBytes([noise(SECONDS, RATE, 999)], RATE) },
    ]);
    const genreOf = (file: string) => page.getByRole('row').filter({ hasText: file }).getByRole('cell').nth(4);
    for (const file of ['new-tone.wav', 'new-noise.wav']) {
      await page.getByRole('row').filter({ hasText: file }).getByRole('cell', { name: /%$/ }).waitFor({ timeout: 60_000 });
    }
    expect(await genreOf('new-tone.wav').textContent()).toBe('tones');
    expect(await genreOf('new-noise.wav').textContent()).toBe('noise');
    served.session.expectClean();
  });
});
