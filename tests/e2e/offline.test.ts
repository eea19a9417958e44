import { describe, expect, it } from 'vitest';
import { hasChromium } from './harness.ts';
import { tone, wavBytes } from './audio.ts';
import { useServedApp } from './servedApp.ts';

describe.skipIf(!hasChromium())('offline use', () => {
  const served = useServedApp();


  it('opens and analyses a file offline after the first load', async () => {
    const { page, context } = served.session;
    // Wait for the service worker to cache the app and take control of the page.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((ok) => navigator.serviceWorker.addEventListener('controllerchange', ok, { once: true }));
      }
    });
    await context.setOffline(true);
    await page.reload();
    await page.getByRole('tab', { name: 'Classify' }).waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

    await page.getByLabel('Choose files').setInputFiles([
      { name: 'offline.wav', mimeType: 'audio/wav', buffer: wavBytes([tone(2, 22050, 300)], 22050) },
    ]);
    await page.getByText('Files analysed: 1 of 1').waitFor({ timeout: 60_000 });
    expect(await page.getByRole('row').filter({ hasText: 'offline.wav' }).getByRole('cell', { name: /^done/ }).count()).toBe(1);
    await context.setOffline(false);
    served.session.expectClean();
  });
});
