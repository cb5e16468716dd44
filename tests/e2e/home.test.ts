import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import * as Y from 'yjs';
import { launchBrowser } from '../helpers/browser';
import { call, createUser, uniqueName } from '../helpers/users';
import { connectClient, eventually } from '../helpers/collab';
import { getJson } from '../helpers/http';

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

  it('is readable on a phone: no horizontal scrolling, also with a page whose text has a very long word (a pasted address)', async () => {
    const user = await createUser('paster');
    const word = `https://archive.example.org/${'rapallo'.repeat(40)}`;
    const entity = (await (await call('POST', '/api/entities', user, { type: 'event', title: uniqueName('Pasted ') })).json()) as { id: string; slug: string };
    const client = connectClient(entity.id, user.token);
    await client.synced;
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(`Found at ${word} in the archive.`)]);
    client.doc.getXmlFragment('body').push([paragraph]);
    client.doc.getMap('fields').set('place', new Y.Text(word)); // in the infobox and on the timeline too
    await eventually(async () => expect((await getJson<{ summary: string }>(`/api/entities/${entity.id}`)).body.summary).toContain(word));
    client.provider.destroy();

    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    for (const path of ['/', '/events', `/search?q=${encodeURIComponent('Found at')}`, `/wiki/${entity.slug}`, '/recent', '/timeline']) {
      await page.goto(`${inject('baseUrl')}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${path} scrolls sideways by ${overflow} px`).toBeLessThanOrEqual(0);
    }
    await page.close();
  });
});
