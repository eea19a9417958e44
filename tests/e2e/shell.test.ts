import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, openBrowser, serveBuiltApp, type BrowserSession, type ServedApp } from './harness.ts';

describe.skipIf(!hasChromium())('app shell', () => {
  let app: ServedApp;
  let session: BrowserSession;

  beforeAll(async () => {
    app = await serveBuiltApp();
    session = await openBrowser(app.url);
  });
  afterAll(async () => {
    await session?.close();
    await app?.close();
  });

  it('switches views with the mouse and the keyboard', async () => {
    const { page } = session;
    const tabs = page.getByRole('tablist', { name: 'Views' });
    expect(await tabs.getByRole('tab').count()).toBe(4);
    const classify = page.getByRole('tab', { name: 'Classify' });
    expect(await classify.getAttribute('aria-selected')).toBe('true');

    await page.getByRole('tab', { name: 'Models' }).click();
    expect(await page.getByRole('tab', { name: 'Models' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.getByRole('tabpanel', { name: 'Models' }).isVisible()).toBe(true);

    await page.getByRole('tab', { name: 'Models' }).focus();
    await page.keyboard.press('ArrowRight'); // wraps to the first tab
    expect(await classify.getAttribute('aria-selected')).toBe('true');
    expect(await classify.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { name: 'Train' }).getAttribute('aria-selected')).toBe('true');
    expect(page.url()).toMatch(/#train$/);
    session.expectClean();
  });

  it('toggles the dark theme and keeps it across reloads', async () => {
    const { page } = session;
    const toggle = page.getByRole('button', { name: 'Dark theme' });
    const before = await toggle.getAttribute('aria-pressed');
    await toggle.click();
    const after = await toggle.getAttribute('aria-pressed');
    expect(after).not.toBe(before);
    const theme = await page.evaluate(() => document.documentElement.dataset.theme);
    expect(theme).toBe(after === 'true' ? 'dark' : 'light');
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
    session.expectClean();
  });
});
