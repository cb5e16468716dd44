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

describe('accounts in the browser', () => {
  it('signs up, shows the account menu, creates a group page and signs out', async () => {
    const page = await browser.newPage();
    const username = `ui${Date.now().toString(36)}`;
    await page.goto(`${inject('baseUrl')}/signup`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').filter({ hasText: 'at least 10 characters' }).waitFor();
    await page.getByLabel('Password').fill('a much longer password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText(username, { exact: false }).first().waitFor();

    await page.goto(`${inject('baseUrl')}/groups`);
    await page.getByLabel('Group name').fill(`Seminar ${username}`);
    // Offline, the form says so in words (not the browser's "Failed to fetch") and keeps the name.
    await page.context().setOffline(true);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('alert').filter({ hasText: 'Could not reach the server: check your connection' }).waitFor();
    await page.context().setOffline(false);
    expect(await page.getByLabel('Group name').inputValue()).toBe(`Seminar ${username}`);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: `Seminar ${username}` }).waitFor();
    await page.getByRole('link', { name: 'New page in this group' }).click();
    await page.getByLabel('Title').fill(`Private notes ${username}`);
    await page.getByLabel('Only the group’s members').check();
    await page.getByRole('button', { name: 'Create page' }).click();
    await page.getByRole('heading', { level: 1, name: `Private notes ${username}` }).waitFor();
    expect(await page.getByText('readable by the group only').count()).toBe(1);

    await page.getByLabel(`Account menu for ${username}`).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    // Signed out, the private page is gone.
    const res = await page.goto(`${inject('baseUrl')}/wiki/private-notes-${username}`);
    expect(res?.status()).toBe(404);
    await page.close();
  });
});
