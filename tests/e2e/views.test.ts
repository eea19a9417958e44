import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium } from './harness.ts';
import { useServedApp } from './servedApp.ts';

const VIEWS = ['Classify', 'Train', 'Explore', 'Models'] as const;
/** Roles of controls, which must each have an accessible name. */
const CONTROL = /^\s*- (button|link|textbox|combobox|checkbox|radio|spinbutton|slider|tab|switch)\b(.*)$/;

/** Controls in the panel's accessibility tree that have no name (`- button` rather than `- button "Close"`). */
async function unnamedControls(page: Page, view: string): Promise<string[]> {
  const tree = await page.getByRole('tabpanel', { name: view }).ariaSnapshot();
  const header = await page.locator('header.app-header').ariaSnapshot();
  return [...tree.split('\n'), ...header.split('\n')].filter((line) => {
    const m = CONTROL.exec(line);
    return m !== null && !/^\s*"/.test(m[2]);
  });
}

describe.skipIf(!hasChromium())('every view', () => {
  const served = useServedApp();


  it('names every control, fits a 375 px screen, and is screenshotted at desktop and phone width, in both themes', async () => {
    const { page } = served.session;
    for (const view of VIEWS) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.getByRole('tab', { name: view }).click();
      const panel = page.getByRole('tabpanel', { name: view });
      await panel.waitFor();
      await page.waitForTimeout(1500); // let the view load its data (built-in dataset, saved models)
      expect(await unnamedControls(page, view)).toEqual([]);
      await served.session.screenshot(`view-${view.toLowerCase()}-1280`);
      await page.setViewportSize({ width: 375, height: 800 });
      await page.waitForTimeout(300);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${view} is wider than the screen at 375 px`).toBeLessThanOrEqual(0);
      await served.session.screenshot(`view-${view.toLowerCase()}-375`);
    }
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await page.setViewportSize({ width: 1280, height: 900 });
    for (const view of VIEWS) {
      await page.getByRole('tab', { name: view }).click();
      await page.waitForTimeout(300);
      await served.session.screenshot(`view-${view.toLowerCase()}-1280-dark`);
    }
    served.session.expectClean();
  });

  it('shows where the keyboard focus is', async () => {
    const { page } = served.session;
    await page.getByRole('tab', { name: 'Classify' }).click();
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      return { tag: el.tagName, width: style.outlineWidth, outlineStyle: style.outlineStyle };
    });
    expect(outline.outlineStyle).not.toBe('none');
    expect(parseFloat(outline.width)).toBeGreaterThanOrEqual(2);
  });
});
