import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('home page in Chromium', () => {
  it('shows the site, its navigation and the search box', async () => {
    const page = await browser.newPage();
    await page.goto(inject('baseUrl'));
    await expect(page.title()).resolves.toContain('Annals');
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const label of ['People', 'Parties', 'Treaties', 'Events', 'Timeline', 'Sources']) {
      expect(await nav.getByRole('link', { name: label, exact: true }).count()).toBe(1);
    }
    const search = page.getByRole('searchbox', { name: 'Search the wiki' }).first();
    await search.fill('Borodin');
    await search.press('Enter');
    await page.waitForURL(/\/search\?q=Borodin/);
    await page.close();
  });

  it('draws link buttons with readable text (utility colours win over link defaults)', async () => {
    const page = await browser.newPage();
    await page.goto(inject('baseUrl'));
    const colors = await page.getByRole('link', { name: 'Create account' }).evaluate((el) => {
      const style = getComputedStyle(el);
      return { color: style.color, background: style.backgroundColor };
    });
    expect(colors.color).toBe('rgb(255, 255, 255)');
    expect(colors.background).not.toBe(colors.color);
    await page.close();
  });

  it('is readable on a phone: no horizontal scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    await page.goto(inject('baseUrl'));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });
});
