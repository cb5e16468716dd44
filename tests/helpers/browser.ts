import { afterAll, beforeAll, inject } from 'vitest';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';

/** Debian's Chromium, headless, with the flags this machine needs (no network, no downloads); Playwright gives it a fresh profile. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Chromium for one test file: launched before its tests and closed after them, with every
 * context made through the function this returns. That function makes a fresh context, signed
 * in with `cookie` (a session cookie, `name=value`) when one is given.
 */
export function browserContexts(): (cookie?: string, options?: BrowserContextOptions) => Promise<BrowserContext> {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
  });
  return async (cookie, options = {}) => {
    const context = await browser!.newContext(options);
    contexts.push(context);
    if (cookie) {
      const [name, value] = cookie.split('=');
      await context.addCookies([{ name, value, url: inject('baseUrl') }]);
    }
    return context;
  };
}
