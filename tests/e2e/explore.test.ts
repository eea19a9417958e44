import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILD_DIR, hasChromium } from './harness.ts';
import { useServedApp } from './servedApp.ts';

// The built-in dataset and model are made at build time from ../shared/data (scripts/build-default-model.mjs).
const BUILT_DEFAULT = join(BUILD_DIR, 'default');
const hasBuiltinDefault = existsSync(join(BUILT_DEFAULT, 'gtzan.csv')) && existsSync(join(BUILT_DEFAULT, 'model', 'metadata.json'));
if (!hasBuiltinDefault) console.warn(`explore e2e skipped: the build (${BUILD_DIR}) has no built-in dataset and model (built without ../shared/data)`);

describe.skipIf(!hasChromium() || !hasBuiltinDefault)('Explore view', () => {
  const served = useServedApp('#explore');


  it('draws every chart for the built-in GTZAN dataset', async () => {
    const { page } = served.session;
    const panel = page.getByRole('tabpanel', { name: 'Explore' });
    await panel.getByRole('heading', { name: 'Built-in GTZAN features table' }).waitFor();

    const confusion = panel.getByRole('figure', { name: 'Confusion matrix' });
    await confusion.waitFor();
    expect(await confusion.getByRole('cell').count()).toBe(100);
    expect(await confusion.getByRole('rowheader').count()).toBe(10);
    const firstCell = confusion.getByRole('cell').first();
    const countText = await firstCell.textContent();
    await confusion.getByLabel('Row-normalized').check();
    const diagonalShares = await confusion.locator('td.diagonal').allTextContents();
    expect(diagonalShares).toHaveLength(10);
    for (const share of diagonalShares) expect(Number(share)).toBeLessThanOrEqual(100);
    expect(await firstCell.textContent()).not.toBeNull();
    await confusion.getByLabel('Counts').check();
    expect(await firstCell.textContent()).toBe(countText);

    const bars = panel.getByRole('figure', { name: 'Per-class precision, recall and F1' });
    await expect.poll(() => bars.locator('.recharts-bar-rectangle').count()).toBe(30);
    // The protocol is stated next to the metrics.
    expect(await bars.textContent()).toMatch(/Protocol: .*(fold|hold-out)/);

    // The built-in model's training curves: training and validation, loss and accuracy.
    for (const name of ['Loss per epoch', 'Accuracy per epoch']) {
      await expect.poll(() => panel.getByRole('figure', { name }).locator('.recharts-line-curve').count()).toBe(2);
    }

    const counts = panel.getByRole('figure', { name: 'Class counts' });
    await expect.poll(() => counts.locator('.recharts-bar-rectangle').count()).toBe(10);
    expect(await counts.textContent()).toContain('1000 rows in 10 classes, 100 each.');

    for (const name of ['PCA projection', 'LDA projection']) {
      const scatter = panel.getByRole('figure', { name });
      await scatter.waitFor({ timeout: 60_000 });
      await expect.poll(() => scatter.locator('.recharts-scatter-symbol').count()).toBe(1000);
    }

    const distribution = panel.getByRole('figure', { name: 'Distribution of spectral_centroid_mean per class' });
    await expect.poll(() => distribution.locator('.recharts-line-curve').count()).toBe(10);
    await panel.getByLabel('Feature', { exact: true }).selectOption('tempo');
    await panel.getByRole('figure', { name: 'Distribution of tempo per class' }).waitFor();

    await served.session.screenshot('explore-1280');
    served.session.expectClean();
  });

  it('names the file of a hovered point', async () => {
    const { page } = served.session;
    const scatter = page.getByRole('figure', { name: 'PCA projection' });
    await scatter.locator('.recharts-scatter-symbol').nth(500).hover({ force: true });
    await expect.poll(async () => (await scatter.textContent()) ?? '').toMatch(/[a-z]+\.\d{5}\.wav/);
    served.session.expectClean();
  });

  it('explores an imported CSV and explains a bad one', async () => {
    const { page } = served.session;
    const panel = page.getByRole('tabpanel', { name: 'Explore' });
    const table = readFileSync(join(BUILT_DEFAULT, 'gtzan.csv'), 'utf8').trim().split('\n');
    // Header plus the first 30 blues and the first 30 classical clips.
    const subset = [table[0], ...table.slice(1, 31), ...table.slice(101, 131)].join('\n');
    const input = panel.getByLabel('Import a features CSV');
    await input.setInputFiles({ name: 'two-genres.csv', mimeType: 'text/csv', buffer: Buffer.from(subset) });
    await panel.getByRole('heading', { name: 'two-genres.csv' }).waitFor();
    expect(await panel.getByText(/No model evaluation comes with this dataset/).isVisible()).toBe(true);
    const counts = panel.getByRole('figure', { name: 'Class counts' });
    expect(await counts.textContent()).toContain('60 rows in 2 classes, 30 each.');
    await expect.poll(() => panel.getByRole('figure', { name: 'LDA projection' }).locator('.recharts-scatter-symbol').count()).toBe(60);

    // A quick k-NN hold-out evaluation in a worker fills the evaluation charts.
    await panel.getByRole('button', { name: 'Run a quick evaluation' }).click();
    const confusion = panel.getByRole('figure', { name: 'Confusion matrix' });
    await confusion.waitFor({ timeout: 60_000 });
    expect(await confusion.getByRole('cell').count()).toBe(4);
    const cells = (await confusion.getByRole('cell').allTextContents()).map(Number);
    expect(cells.reduce((a, b) => a + b, 0)).toBe(12); // 20% of 60 songs held out
    expect(await panel.textContent()).toMatch(/Quick evaluation: k-NN .*stratified 20% hold-out/);

    await input.setInputFiles({ name: 'junk.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n') });
    const alert = panel.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/junk\.csv is not a features CSV muzo can read: expected columns filename,length/);
    served.session.expectClean();
  });

  it('fits a phone screen', async () => {
    const { page } = served.session;
    await page.setViewportSize({ width: 375, height: 800 });
    await page.getByRole('combobox', { name: 'Data to explore' }).selectOption('builtin');
    const scatter = page.getByRole('figure', { name: 'LDA projection' });
    await expect.poll(() => scatter.locator('.recharts-scatter-symbol').count(), { timeout: 60_000 }).toBe(1000);
    // Nothing but the scrollable confusion matrix may be wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(overflow).toBeLessThanOrEqual(375);
    await served.session.screenshot('explore-375');
    served.session.expectClean();
  });
});
