import { afterAll, describe, expect, inject, it } from 'vitest';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { browserContexts } from '../helpers/browser';
import { call, createUser, uniqueName } from '../helpers/users';
import { getJson } from '../helpers/http';
import * as Y from 'yjs';
import { connectClient, disconnectAll, eventually } from '../helpers/collab';

// axe-core (Deque's accessibility engine) run in Chromium on the site's pages: WCAG 2.0, 2.1 and
// 2.2 A and AA (contrast, names and labels, landmarks, links told apart from text, targets big or
// far apart enough for a finger…) and axe's best practices. A violation is reported with the rule, what it found and where.
const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const RULE_SETS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

const newContext = browserContexts();
afterAll(disconnectAll);

type Violation = { id: string; impact: string; help: string; nodes: { target: string[] }[] };

/** The page's violations; `ready` (a selector) waits for what the page draws after loading. */
async function violations(page: Page, path: string, ready?: string): Promise<string[]> {
  const res = await page.goto(`${inject('baseUrl')}${path}`, { waitUntil: 'networkidle' });
  expect(res?.status(), path).toBe(path === '/no-such-page' ? 404 : 200);
  if (ready) await page.locator(ready).first().waitFor();
  await page.addScriptTag({ path: AXE_SCRIPT });
  const found = await page.evaluate(async (ruleSets) => {
    const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run(document, { runOnly: ruleSets })).violations;
  }, RULE_SETS);
  return found.map((v) => `${path}: ${v.id} (${v.impact}): ${v.help}; at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

async function contextFor(cookie?: string): Promise<Page> {
  return (await newContext(cookie, { viewport: { width: 1280, height: 900 } })).newPage();
}

describe('accessibility (axe-core in Chromium)', () => {
  it('reading pages have no violations, signed out', async () => {
    const { body: history } = await getJson<{ items: { id: string }[] }>('/api/entities/treaty-of-rapallo/revisions');
    const { body: sources } = await getJson<{ items: { url: string }[] }>('/api/sources');
    const page = await contextFor();
    const paths = [
      '/',
      '/wiki/treaty-of-rapallo',
      '/wiki/treaty-of-rapallo/history',
      '/wiki/treaty-of-rapallo/authorship',
      `/revisions/${history.items[0].id}`,
      '/search?q=rapallo',
      '/recent',
      '/timeline',
      '/sources',
      sources.items[0].url,
      '/signin',
      '/signup',
      '/verify',
      '/no-such-page',
    ];
    const found: string[] = [];
    for (const path of paths) found.push(...(await violations(page, path)));
    expect(found).toEqual([]);
  });

  it('editing and account pages have no violations, signed in', async () => {
    const user = await createUser('a11y');
    const page = await contextFor(user.cookie);
    const found: string[] = [];
    for (const path of ['/', '/new', '/account', '/groups', `/users/${user.username}`]) found.push(...(await violations(page, path)));
    // The editor once connected: toolbar, the people on the page (avatars in each one's colour), fields.
    found.push(...(await violations(page, '/wiki/treaty-of-rapallo/edit', 'ul[aria-label="People on this page"] li')));
    expect(found).toEqual([]);
  });

  it('history, authorship, diffs (inline and side by side), a type index, the relation graph and a group have no violations', async () => {
    const user = await createUser('a11y');
    const entity = (await (await call('POST', '/api/entities', user, { type: 'treaty', title: uniqueName('Accessible treaty ') })).json()) as { id: string; slug: string };
    const client = connectClient(entity.id, user.token);
    await client.synced;
    // Text of the user's own, so their authorship shows it on their colour.
    const paragraph = client.doc.getXmlFragment('body').get(0) as Y.XmlElement;
    paragraph.insert(0, [new Y.XmlText('Signed at Rapallo on 16 April 1922.')]);
    // Four sections: the page shows its table of contents.
    const sections = ['Background', 'Terms', 'Reception', 'Legacy'].map((title) => {
      const heading = new Y.XmlElement('heading');
      heading.setAttribute('level', 2 as never);
      heading.insert(0, [new Y.XmlText(title)]);
      const text = new Y.XmlElement('paragraph');
      text.insert(0, [new Y.XmlText(`What the sources say of its ${title.toLowerCase()}.`)]);
      return [heading, text];
    });
    client.doc.getXmlFragment('body').insert(1, sections.flat());
    const revisions: string[] = [];
    for (const place of ['Rapallo', 'Genoa']) {
      client.doc.getMap('fields').set('place', place);
      const saved = await eventually(async () => {
        const res = await call('POST', `/api/entities/${entity.id}/revisions`, user, { summary: `Place: ${place}` });
        expect(res.status).toBe(201);
        return (await res.json()) as { revision: { id: string } };
      });
      revisions.push(saved.revision.id);
    }
    const made = await call('POST', '/api/groups', user, { name: uniqueName('Seminar ') });
    expect(made.status).toBe(201);
    const group = (await made.json()) as { id: string };
    const [from, to] = revisions;
    const page = await contextFor(user.cookie);
    const found: string[] = [];
    for (const path of [
      `/wiki/${entity.slug}`,
      `/wiki/${entity.slug}/history`,
      `/wiki/${entity.slug}/authorship`,
      `/revisions/${to}/diff?against=${from}`,
      `/revisions/${to}/diff?against=${from}&view=side`,
      `/verify?ref=${to}&hash=0000000`,
      '/people',
      '/wiki/treaty-of-rapallo/graph',
      `/groups/${group.id}`,
      '/search?q=qqqzzzxxx',
    ]) found.push(...(await violations(page, path)));
    expect(found).toEqual([]);

    // The contents lead to their sections, from the keyboard too (on a phone, where the last is out of sight).
    await page.setViewportSize({ width: 390, height: 700 });
    await page.goto(`${inject('baseUrl')}/wiki/${entity.slug}`);
    const contents = page.getByRole('navigation', { name: 'Contents' });
    const top = () => page.getByRole('heading', { name: 'Legacy' }).evaluate((h) => h.getBoundingClientRect().top);
    expect(await top()).toBeGreaterThan(700);
    await contents.getByRole('link', { name: '4 Legacy' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/#Legacy$/);
    const after = await top(); // at the top, or as near it as the page's end lets it come
    expect(after).toBeGreaterThanOrEqual(0);
    expect(after).toBeLessThan(350);
    // Folded away, its links are out of the way.
    await contents.getByText('Contents').click();
    expect(await contents.getByRole('link').first().isVisible()).toBe(false);
  });

  it('the editor toolbar is one Tab stop: arrows, Home and End move within it, Tab or Escape go on to the text, Alt+F10 comes back', async () => {
    const user = await createUser('keys');
    const page = await contextFor(user.cookie);
    await page.goto(`${inject('baseUrl')}/wiki/treaty-of-rapallo/edit`);
    await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor();
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName);
    await page.getByRole('button', { name: 'Bold' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toBe('Italic');
    await page.keyboard.press('End');
    expect(await focused()).toBe('Redo');
    await page.keyboard.press('ArrowRight'); // wraps round
    expect(await focused()).toBe('Bold');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await focused()).toBe('Undo');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Page text');
    await page.keyboard.press('Shift+Tab'); // back to the button last used
    expect(await focused()).toBe('Undo');
    await page.keyboard.press('Escape'); // back to the text (the editor takes focus on the next animation frame)
    await eventually(async () => expect(await focused()).toBe('Page text'));
    await page.keyboard.press('Alt+F10'); // and to the toolbar again, as in most rich-text editors
    expect(await focused()).toBe('Undo');
  });
});
