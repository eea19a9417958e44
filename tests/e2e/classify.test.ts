import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium } from './harness.ts';
import { flacHeaderPromising, mp3Bytes, tone, wavBytes, type TestFile } from './audio.ts';
import { useServedApp } from './servedApp.ts';

/** Drops files on the page the way a file manager does: dragenter, dragover and drop with a DataTransfer. */
async function dropFiles(page: Page, files: TestFile[]): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, type: f.mimeType, base64: f.buffer.toString('base64') }));
  await page.evaluate((list) => {
    const data = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      data.items.add(new File([bytes], f.name, { type: f.type }));
    }
    for (const type of ['dragenter', 'dragover', 'drop']) {
      document.body.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    }
  }, payload);
}

function row(page: Page, name: string) {
  return page.getByRole('row').filter({ hasText: name });
}

async function waitUntilFinished(page: Page, count: number): Promise<void> {
  await page.getByText(`Files analysed: ${count} of ${count}`).waitFor({ timeout: 90_000 });
}

describe.skipIf(!hasChromium())('Classify: dropping files', () => {
  const served = useServedApp();


  it('lists a WAV, an MP3 and a junk file with duration, sample rate and state, and says why the junk failed', async () => {
    const { page } = served.session;
    const stereo = tone(3, 44100, 440);
    const files: TestFile[] = [
      { name: 'tone-44k.wav', mimeType: 'audio/wav', buffer: wavBytes([stereo, stereo], 44100) },
      { name: 'tone-48k.mp3', mimeType: 'audio/mpeg', buffer: await mp3Bytes([tone(3, 48000, 660)], 48000) },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('these are my notes, not a song\n'.repeat(50)) },
      { name: 'silence.wav', mimeType: 'audio/wav', buffer: wavBytes([new Float32Array(44100 * 2)], 44100) },
      { name: 'empty.mp3', mimeType: 'audio/mpeg', buffer: Buffer.alloc(0) },
      { name: 'marathon.flac', mimeType: 'audio/flac', buffer: flacHeaderPromising(4 * 3600) },
    ];
    await dropFiles(page, files);
    await waitUntilFinished(page, 6);

    const wav = row(page, 'tone-44k.wav');
    await expect(wav.getByRole('cell', { name: '0:03.0' }).count()).resolves.toBe(1);
    await expect(wav.getByRole('cell', { name: '44100 Hz' }).count()).resolves.toBe(1);
    expect(await wav.getByRole('cell', { name: /^done/ }).count()).toBe(1);

    const mp3 = row(page, 'tone-48k.mp3');
    expect(await mp3.getByRole('cell', { name: '48000 Hz' }).count()).toBe(1);
    expect(await mp3.getByRole('cell', { name: /^0:03\.[01]$/ }).count()).toBe(1);
    expect(await mp3.getByRole('cell', { name: /^done/ }).count()).toBe(1);

    const junk = row(page, 'notes.txt');
    const junkState = await junk.getByRole('cell', { name: /^error/ }).textContent();
    expect(junkState).toContain('notes.txt');
    expect(junkState).toMatch(/unknown or unsupported audio format/);

    expect(await row(page, 'silence.wav').getByRole('cell', { name: /^error/ }).textContent()).toMatch(/silence\.wav: .*silence/);
    expect(await row(page, 'empty.mp3').getByRole('cell', { name: /^error/ }).textContent()).toMatch(/empty\.mp3: the file is empty/);
    expect(await row(page, 'marathon.flac').getByRole('cell', { name: /^error/ }).textContent()).toMatch(/marathon\.flac: too long to analyse: 4 h 0 min/);
    await page.getByText('Files analysed: 6 of 6, 4 failed').waitFor();

    await served.session.screenshot('classify-files-1280');
    served.session.expectClean();
  });

  it('takes files from the file picker too, and reads a file seen before from the cache', async () => {
    const { page } = served.session;
    const mono = tone(2, 22050, 220);
    await page.getByLabel('Choose files').setInputFiles([
      { name: 'again.wav', mimeType: 'audio/wav', buffer: wavBytes([tone(3, 44100, 440), tone(3, 44100, 440)], 44100) },
      { name: 'low.wav', mimeType: 'audio/wav', buffer: wavBytes([mono], 22050) },
    ]);
    await waitUntilFinished(page, 8);
    // again.wav has the bytes of tone-44k.wav: its features come from the cache.
    expect(await row(page, 'again.wav').getByRole('cell', { name: 'done (cached)' }).count()).toBe(1);
    expect(await row(page, 'low.wav').getByRole('cell', { name: '22050 Hz' }).count()).toBe(1);
    served.session.expectClean();
  });

  it('cancels a batch, and the next batch still runs', async () => {
    const { page } = served.session;
    await page.getByRole('button', { name: 'Clear the list' }).click();
    const long = Array.from({ length: 4 }, (_, i) => ({
      name: `long-${i}.wav`,
      mimeType: 'audio/wav',
      buffer: wavBytes([tone(60, 22050, 300 + 50 * i)], 22050),
    }));
    await page.getByLabel('Choose files').setInputFiles(long);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await waitUntilFinished(page, 4);
    expect(await page.getByRole('cell', { name: /^cancelled/ }).count()).toBeGreaterThan(0);
    await page.getByLabel('Choose files').setInputFiles([{ name: 'after.wav', mimeType: 'audio/wav', buffer: wavBytes([tone(2, 22050, 440)], 22050) }]);
    await waitUntilFinished(page, 5);
    expect(await row(page, 'after.wav').getByRole('cell', { name: /^done/ }).count()).toBe(1);
    served.session.expectClean();
  });
});

describe.skipIf(!hasChromium())('Classify: predictions with the built-in model', () => {
  const served = useServedApp();


  it('names a genre with a confidence, draws the probabilities and the timeline, plays the song, exports CSV', async () => {
    const { page } = served.session;
    await page.getByText(/^Model: /).waitFor({ timeout: 60_000 });
    const chord = tone(25, 44100, 220).map((v, i) => v + 0.3 * Math.sin((2 * Math.PI * 277 * i) / 44100));
    await page.getByLabel('Choose files').setInputFiles([{ name: 'song.wav', mimeType: 'audio/wav', buffer: wavBytes([chord], 44100) }]);
    await waitUntilFinished(page, 1);
    const songRow = row(page, 'song.wav');
    const confidence = songRow.getByRole('cell', { name: /^\d+\.\d%$/ });
    await confidence.waitFor({ timeout: 30_000 });
    const percent = parseFloat((await confidence.textContent())!);
    expect(percent).toBeGreaterThan(0);
    expect(percent).toBeLessThanOrEqual(100);

    await page.getByRole('button', { name: 'Show details of song.wav' }).click();
    const details = page.getByRole('region', { name: 'Prediction for song.wav' });
    await details.getByRole('figure', { name: 'Class probabilities' }).waitFor();
    expect(await details.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);
    // 25 s in 10 s segments: two complete segments on the timeline.
    expect(await details.getByRole('list', { name: 'Segments' }).getByRole('listitem').count()).toBe(2);
    await details.getByText('Analysis: resampled from 44100 Hz to 22050 Hz.').waitFor();
    expect(await details.getByLabel('Play song.wav').evaluate((el) => (el as HTMLAudioElement).src)).toMatch(/^blob:/);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export predictions as CSV' }).click();
    const csv = await (await download).createReadStream();
    const text = await new Promise<string>((ok) => {
      let out = '';
      csv.on('data', (chunk) => (out += chunk));
      csv.on('end', () => ok(out));
    });
    expect(text.split('\n')[0]).toBe('file,label,confidence,top3');
    expect(text.split('\n')[1]).toMatch(/^song\.wav,\w+,(0\.\d{4}|1\.0000),\w+:/);
    await served.session.screenshot('classify-prediction-1280');
    await page.setViewportSize({ width: 375, height: 800 });
    // Charts re-measure after a resize: wait for the layout to settle.
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await served.session.screenshot('classify-prediction-375');
    served.session.expectClean();
  });
});
