import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserContexts } from '../helpers/browser';
import { call, createUser, uniqueName, type TestUser } from '../helpers/users';
import { eventually } from '../helpers/collab';
import { getJson } from '../helpers/http';

const newContext = browserContexts();

type DocNode = { type: string; attrs?: Record<string, unknown>; content?: DocNode[] };
type EntityJson = { id: string; slug: string; type: string; title: string; body: DocNode };

/** Every node of `type` in a body, in document order. */
function nodesOf(node: DocNode, type: string): DocNode[] {
  return [...(node.type === type ? [node] : []), ...(node.content ?? []).flatMap((child) => nodesOf(child, type))];
}

/** A new event page of `user`'s, open in its editor, connected. */
async function editorOfNewPage(user: TestUser): Promise<{ page: Page; entity: EntityJson }> {
  const entity = (await (await call('POST', '/api/entities', user, { type: 'event', title: uniqueName('Linked event ') })).json()) as EntityJson;
  const page = await (await newContext(user.cookie)).newPage();
  await page.goto(`${inject('baseUrl')}/wiki/${entity.slug}/edit`);
  await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor();
  await page.getByRole('textbox', { name: 'Page text' }).click();
  return { page, entity };
}

/** The entity as the API gives it once its projection holds `ready`. */
function projected(id: string, ready: (entity: EntityJson) => void): Promise<EntityJson> {
  return eventually(async () => {
    const { body } = await getJson<EntityJson>(`/api/entities/${id}`);
    ready(body);
    return body;
  }, 8000);
}

describe('linking and citing in the editor', () => {
  it('[[ finds a page by an alias and links it; a name with no page offers to create one', async () => {
    const { page, entity } = await editorOfNewPage(await createUser('linker'));
    const editor = page.getByRole('textbox', { name: 'Page text' });
    const options = page.getByRole('listbox', { name: 'Link to a page' }).getByRole('option');

    // "Grigory Zinovyev" is an alias: the page found is Grigory Zinoviev's, saying why it matched.
    await page.keyboard.type('Opposed by [[Grigory Zinovyev');
    await options.first().filter({ hasText: 'Grigory Zinoviev · Person (also “Grigory Zinovyev”)' }).waitFor();
    await page.keyboard.press('Enter');
    await editor.locator('a.entity-link', { hasText: 'Grigory Zinoviev' }).waitFor();
    expect(await editor.textContent()).not.toContain('[[');
    // Found by the start of its title: no other name to mention.
    await page.keyboard.type('and [[Karl Rad');
    await options.first().filter({ hasText: 'Karl Radek' }).waitFor();
    expect(await options.first().textContent()).toBe('Karl Radek · Person');
    // Focus stays in the text, which names the chosen option for screen readers; the arrows move the choice.
    const chosen = () => editor.getAttribute('aria-activedescendant');
    expect(await chosen()).toBe(await options.first().getAttribute('id'));
    await page.keyboard.press('ArrowDown');
    expect(await chosen()).toBe(await options.nth(1).getAttribute('id'));
    expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await editor.locator('a.entity-link', { hasText: 'Karl Radek' }).waitFor();
    expect(await chosen()).toBeNull();

    // Escape dismisses the list, and the arrow keys move the caret in the text again.
    await page.keyboard.type('[[Chich');
    await options.first().filter({ hasText: 'Georgy Chicherin' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('listbox', { name: 'Link to a page' }).waitFor({ state: 'detached' });
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.type('X');
    expect(await editor.textContent()).toContain('Karl Radek [[ChiXch');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    for (let i = 0; i < '[[ChiXch'.length; i++) await page.keyboard.press('Backspace');

    // A name nobody has written a page for: the list offers to create it, as a treaty here.
    const missing = uniqueName('Treaty of Nowhere ');
    await page.keyboard.type(`and the [[${missing}`);
    await options.filter({ hasText: `Create “${missing}” as a new treaty` }).click();
    await editor.locator('a.entity-link', { hasText: missing }).waitFor();
    expect(await editor.textContent()).toMatch(new RegExp(`^Opposed by Grigory Zinoviev and Karl Radek and the ${missing}\\s*$`));

    // Both links are saved as links to the pages' ids; the new page exists, a treaty.
    const { body: found } = await getJson<{ items: { id: string; slug: string; title: string }[] }>(`/api/search?q=${encodeURIComponent('Grigory Zinoviev')}`);
    const zinoviev = found.items.find((h) => h.title === 'Grigory Zinoviev')!;
    const saved = await projected(entity.id, (e) => expect(nodesOf(e.body, 'entityLink').map((l) => l.attrs?.label)).toEqual(['Grigory Zinoviev', 'Karl Radek', missing]));
    const [toZinoviev, , toNew] = nodesOf(saved.body, 'entityLink').map((l) => l.attrs!.entityId as string);
    expect(toZinoviev).toBe(zinoviev.id);
    const { status, body: created } = await getJson<EntityJson>(`/api/entities/${toNew}`);
    expect(status).toBe(200);
    expect([created.title, created.type]).toEqual([missing, 'treaty']);

    // Readers get links to both pages, and Zinoviev's page lists this one among those linking to it.
    await page.goto(`${inject('baseUrl')}/wiki/${entity.slug}`);
    expect(await page.locator('a.entity-link', { hasText: 'Grigory Zinoviev' }).getAttribute('href')).toBe(`/wiki/${zinoviev.slug}`);
    expect(await page.locator('a.entity-link', { hasText: missing }).getAttribute('href')).toBe(`/wiki/${created.slug}`);
    await page.goto(`${inject('baseUrl')}/wiki/${zinoviev.slug}`);
    await page.getByRole('region', { name: 'What links here' }).getByRole('link', { name: entity.title }).waitFor();
  });

  it('"Cite source" finds a passage in a source and inserts it as a citation with its exact offsets', async () => {
    const { page, entity } = await editorOfNewPage(await createUser('citer'));
    await page.keyboard.type('The delegations met at Genoa.');

    // A passage that occurs once in the first source, long enough to be one.
    const { body: list } = await getJson<{ items: { id: string; title: string }[] }>('/api/sources');
    const source = list.items[0];
    const { body: full } = await getJson<{ text: string }>(`/api/sources/${source.id}`);
    const once = (at: number) => {
      const passage = full.text.slice(at, at + 60);
      return !passage.includes('\n') && full.text.indexOf(passage) === at && full.text.lastIndexOf(passage) === at;
    };
    let start = full.text.indexOf(' ', Math.floor(full.text.length / 3)) + 1;
    while (!once(start)) start = full.text.indexOf(' ', start) + 1;
    const quote = full.text.slice(start, start + 60);

    await page.getByRole('button', { name: 'Cite source' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cite a source' });
    await dialog.getByLabel('Source document').selectOption(source.id);
    await dialog.getByLabel('Find in the text').fill(quote);
    await dialog.getByLabel('Find in the text').press('Enter');
    await dialog.locator('blockquote', { hasText: quote }).waitFor();
    await dialog.getByRole('button', { name: 'Insert citation' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('textbox', { name: 'Page text' }).locator('cite.citation').waitFor();

    // A search for something the source does not say tells so, and inserts nothing.
    await page.getByRole('button', { name: 'Cite source' }).click();
    await dialog.getByLabel('Source document').selectOption(source.id);
    await dialog.getByLabel('Find in the text').fill('zebra crossing at Rapallo');
    await dialog.getByRole('button', { name: 'Find next' }).click();
    await dialog.getByRole('alert').filter({ hasText: '“zebra crossing at Rapallo” does not occur in this source.' }).waitFor();
    expect(await dialog.getByRole('button', { name: 'Insert citation' }).isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    const saved = await projected(entity.id, (e) => expect(nodesOf(e.body, 'citation')).toHaveLength(1));
    expect(nodesOf(saved.body, 'citation')[0].attrs).toEqual({ sourceId: source.id, start, end: start + 60, quote });

    // Readers get the quote in the page's references, linked to the passage in the source.
    await page.goto(`${inject('baseUrl')}/wiki/${entity.slug}`);
    const reference = page.locator('li', { hasText: quote });
    expect(await reference.getByRole('link', { name: source.title }).getAttribute('href')).toBe(`/sources/${source.id}?hl=${start}-${start + 60}#c-${start}-${start + 60}`);
  });
});
