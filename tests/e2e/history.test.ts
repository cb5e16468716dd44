import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import { call, createUser, uniqueName } from '../helpers/users';
import { connectClient, disconnectAll, eventually } from '../helpers/collab';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  disconnectAll();
  await browser?.close();
});

describe('history page in Chromium', () => {
  it('a reader picks two revisions and compares them; the page runs without errors', async () => {
    const alice = await createUser('historian');
    const entity = (await (await call('POST', '/api/entities', alice, { type: 'treaty', title: uniqueName('Compared treaty ') })).json()) as { id: string; slug: string };
    const client = connectClient(entity.id, alice.token);
    await client.synced;
    for (const place of ['Rapallo', 'Genoa']) {
      client.doc.getMap('fields').set('place', place);
      await eventually(async () => expect((await call('POST', `/api/entities/${entity.id}/revisions`, alice, { summary: `Place: ${place}` })).status).toBe(201));
    }

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
    page.on('response', (res) => res.status() >= 400 && errors.push(`${res.status()} ${res.url()}`));
    await page.goto(`${inject('baseUrl')}/wiki/${entity.slug}/history`);
    await expect(page.getByText('3 revisions.').count()).resolves.toBe(1);
    // Newest first; the two newest are picked to begin with. Compare revision 1 with 3 instead.
    await expect(page.getByRole('radio', { name: 'Compare to revision 3' }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole('radio', { name: 'Compare from revision 2' }).isChecked()).resolves.toBe(true);
    await page.getByRole('radio', { name: 'Compare from revision 1' }).check();
    await page.getByRole('button', { name: 'Compare selected revisions' }).click();
    await page.waitForURL(/\/revisions\/[0-9a-f-]+\/diff\?against=/);
    // Revision 1 had no place; revision 3 has Genoa (Rapallo came and went in between).
    await expect(page.getByText('Genoa').first().isVisible()).resolves.toBe(true);
    await expect(page.getByText('Rapallo').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
