import { describe, expect, it } from 'vitest';
import { hasChromium } from './harness.ts';
import { useServedApp } from './servedApp.ts';

describe.skipIf(!hasChromium())('app shell', () => {
  const served = useServedApp();


  it('switches views with the mouse and the keyboard', async () => {
    const { page } = served.session;
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
    served.session.expectClean();
  });

  it('toggles the dark theme and keeps it across reloads', async () => {
    const { page } = served.session;
    const toggle = page.getByRole('button', { name: 'Dark theme' });
    const before = await toggle.getAttribute('aria-pressed');
    await toggle.click();
    const after = await toggle.getAttribute('aria-pressed');
    expect(after).not.toBe(before);
    const theme = await page.evaluate(() => document.documentElement.dataset.theme);
    expect(theme).toBe(after === 'true' ? 'dark' : 'light');
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
    served.session.expectClean();
  });
});
