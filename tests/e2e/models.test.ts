import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, BUILD_DIR, hasChromium } from './harness.ts';
import { useServedApp } from './servedApp.ts';

const BUILT_MODEL = join(BUILD_DIR, 'default', 'model', 'metadata.json');
const hasBuiltinModel = existsSync(BUILT_MODEL);
if (!hasBuiltinModel) console.warn(`models e2e skipped: the build (${BUILD_DIR}) has no built-in model (built without ../shared/data)`);

describe.skipIf(!hasChromium() || !hasBuiltinModel)('Models view', () => {
  const served = useServedApp('#models');
  let exportedZip: string;
  const builtinName = 'Built-in GTZAN 10-genre model';
  // An imported copy of the built-in model carries the name the CLI gave it.
  const copyName = hasBuiltinModel ? (JSON.parse(readFileSync(BUILT_MODEL, 'utf8')) as { name: string }).name : '';


  it('lists the built-in model with its card, read-only and active', async () => {
    const { page } = served.session;
    const panel = page.getByRole('tabpanel', { name: 'Models' });
    const card = panel.getByRole('article', { name: builtinName });
    await card.waitFor();
    expect(await card.getByText('built-in, read-only').isVisible()).toBe(true);
    expect(await card.getByText('active', { exact: true }).isVisible()).toBe(true);
    const text = (await card.textContent()) ?? '';
    for (const fact of ['Labels (10)', 'Metrics', 'accuracy', 'Feature set', 'Known limits', 'artist repetition']) {
      expect(text.toLowerCase()).toContain(fact.toLowerCase());
    }
    expect(text).toMatch(/fold|hold-out/); // the protocol beside the metrics
    expect(await card.getByRole('button', { name: `Delete ${builtinName}` }).count()).toBe(0);
    expect(await card.getByRole('button', { name: `Rename ${builtinName}` }).count()).toBe(0);
    expect(await panel.getByText('No saved models yet').isVisible()).toBe(true);
    const storage = panel.getByRole('region', { name: 'Storage in this browser' });
    await storage.getByText('Feature cache', { exact: true }).waitFor();
    expect(await storage.textContent()).toMatch(/Space used.*MB of .*MB allowed/);
    expect(await storage.getByRole('button', { name: 'Clear the feature cache' }).isDisabled()).toBe(true); // fresh profile: empty
    await served.session.screenshot('models-1280');
    served.session.expectClean();
  });

  it('exports the built-in model as a zip and imports it back as a saved model', async () => {
    const { page } = served.session;
    const panel = page.getByRole('tabpanel', { name: 'Models' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: `Export ${builtinName} as .zip` }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
    exportedZip = join(ARTIFACTS, download.suggestedFilename());
    await download.saveAs(exportedZip);
    const bytes = readFileSync(exportedZip);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');

    await panel.getByLabel('Import a model (.zip)').setInputFiles(exportedZip);
    await expect.poll(async () => (await panel.getByRole('status').allTextContents()).join(' ')).toMatch(/^Imported/);
    const saved = panel.getByRole('article', { name: copyName });
    await saved.waitFor();
    expect(await saved.getByText('built-in, read-only').count()).toBe(0);

    await saved.getByRole('button', { name: `Set ${copyName} as the active model` }).click();
    await saved.getByText('active', { exact: true }).waitFor();
    served.session.expectClean();
  });

  it('renames and deletes a saved model after confirmation', async () => {
    const { page } = served.session;
    const panel = page.getByRole('tabpanel', { name: 'Models' });
    const saved = panel.getByRole('article', { name: copyName });
    await saved.getByRole('button', { name: `Rename ${copyName}` }).click();
    await saved.getByLabel('New name').fill('my GTZAN copy');
    await saved.getByRole('button', { name: 'Save name' }).click();
    const renamed = panel.getByRole('article', { name: 'my GTZAN copy' });
    await renamed.waitFor();

    await renamed.getByRole('button', { name: 'Delete my GTZAN copy' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await renamed.isVisible()).toBe(true);
    await renamed.getByRole('button', { name: 'Delete my GTZAN copy' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete model' }).click();
    await renamed.waitFor({ state: 'detached' });
    // The deleted model was active: the built-in model is active again.
    await panel.getByRole('article', { name: builtinName }).getByText('active', { exact: true }).waitFor();
    served.session.expectClean();
  });

  it('refuses a junk file with a clear message', async () => {
    const { page } = served.session;
    const panel = page.getByRole('tabpanel', { name: 'Models' });
    await panel.getByLabel('Import a model (.zip)').setInputFiles({ name: 'junk.zip', mimeType: 'application/zip', buffer: Buffer.from('this is not a zip file at all') });
    const alert = panel.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^junk\.zip: this model cannot be imported: .+/);
    expect(await panel.getByText('No saved models yet').isVisible()).toBe(true);
    served.session.expectClean();
  });

  it('fits a phone screen', async () => {
    const { page } = served.session;
    await page.setViewportSize({ width: 375, height: 800 });
    await page.getByRole('article', { name: builtinName }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await served.session.screenshot('models-375');
    served.session.expectClean();
  });
});
