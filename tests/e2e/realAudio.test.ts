import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, hasChromium } from './harness.ts';
import { useServedApp } from './servedApp.ts';

const GTZAN = join(ROOT, '..', 'shared', 'data', 'gtzan');
const haveData = existsSync(GTZAN);
if (!haveData) console.warn(`skipping the real-audio browser test: ${GTZAN} is absent`);

/** Up to two FLAC clips per genre. */
function clips(): string[] {
  return readdirSync(GTZAN, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(GTZAN, d.name)).filter((f) => f.endsWith('.flac')).sort().slice(0, 2).map((f) => join(GTZAN, d.name, f)));
}

describe.skipIf(!hasChromium() || !haveData)('Classify: real GTZAN clips with the built-in model', () => {
  const served = useServedApp();


  it('decodes the FLACs in the browser and names most genres (these clips are in the table the model learnt from)', async () => {
    const { page } = served.session;
    const files = clips();
    await page.getByText(/^Model: /).waitFor({ timeout: 60_000 });
    await page.getByLabel('Choose files').setInputFiles(files);
    await page.getByText(`Files analysed: ${files.length} of ${files.length}`).waitFor({ timeout: 240_000 });
    const rows = page.getByRole('row').filter({ hasText: '.flac' });
    await expect.poll(() => rows.filter({ hasText: '%' }).count(), { timeout: 30_000 }).toBe(files.length);
    let correct = 0;
    for (const text of await rows.allInnerTexts()) {
      const [name, duration, rate, state, genre] = text.split('\t');
      expect(duration).toMatch(/^0:30\.\d$/);
      expect(rate).toBe('22050 Hz');
      expect(state).toBe('done');
      if (genre === name.split('.')[0]) correct++;
    }
    expect(correct / files.length).toBeGreaterThanOrEqual(0.7);
    served.session.expectClean();
  });
});
