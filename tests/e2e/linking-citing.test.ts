import { describe, expect, inject, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { browserContexts } from '../helpers/browser';
import { call, createUser, uniqueName, type TestUser } from '../helpers/users';
import { connectClient, eventually } from '../helpers/collab';
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

type Source = { id: string; title: string };

/** 60 characters of the first source, on one line, that occur nowhere else in it, starting near `fraction` of its text. */
async function passageOnce(fraction: number): Promise<{ source: Source; start: number; quote: string }> {
  const { body: list } = await getJson<{ items: Source[] }>('/api/sources');
  const source = list.items[0];
  const { body: full } = await getJson<{ text: string }>(`/api/sources/${source.id}`);
  const once = (at: number) => {
    const passage = full.text.slice(at, at + 60);
    return !passage.includes('\n') && full.text.indexOf(passage) === at && full.text.lastIndexOf(passage) === at;
  };
  let start = full.text.indexOf(' ', Math.floor(full.text.length * fraction)) + 1;
  while (!once(start)) start = full.text.indexOf(' ', start) + 1;
  return { source, start, quote: full.text.slice(start, start + 60) };
}

/** In the open "Cite a source" dialog: choose the source, find the quote, take it with `button`; the dialog closes. */
async function citeIn(dialog: Locator, { source, quote }: { source: Source; quote: string }, button: string): Promise<void> {
  await dialog.getByLabel('Source document').selectOption(source.id);
  await dialog.getByLabel('Find in the text').fill(quote);
  await dialog.getByLabel('Find in the text').press('Enter');
  await dialog.locator('blockquote', { hasText: quote }).waitFor();
  await dialog.getByRole('button', { name: button }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** The entity as the API gives it once its projection holds `ready`. */
function projected(id: string, ready: (entity: EntityJson) => void): Promise<EntityJson> {
  return eventually(async () => {
    const { body } = await getJson<EntityJson>(`/api/entities/${id}`);
    ready(body);
    return body;
  }, 8000);
}

/**
 * Two people (`names`) on the edit page of a new event that has one relation, "participant in" a
 * new page with `qualifiers`, once each sees it (shown with `shown`).
 */
async function twoWithARelation(names: [string, string], qualifiers: Record<string, string>, shown: string) {
  const [alice, bob] = [await createUser(names[0]), await createUser(names[1])];
  const made = async (title: string) => (await (await call('POST', '/api/entities', alice, { type: 'event', title })).json()) as EntityJson;
  const target = await made(uniqueName('Conference of Genoa '));
  const entity = await made(uniqueName('Delegation '));
  const client = connectClient(entity.id, alice.token);
  await client.synced;
  client.doc.getArray('statements').push([{ id: 'r1', predicate: 'participant', targetEntityId: target.id, qualifiers, citations: [] }]);
  client.provider.destroy();
  const [a, b] = [await (await newContext(alice.cookie)).newPage(), await (await newContext(bob.cookie)).newPage()];
  for (const page of [a, b]) {
    await page.goto(`${inject('baseUrl')}/wiki/${entity.slug}/edit`);
    await page.getByTestId('relation').filter({ hasText: `participant in ${target.title} ${shown}` }).waitFor();
  }
  return { target, a, b };
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

  it('on a phone the editor stays on the screen: the [[ popup, even with the caret near the right edge, and a table', async () => {
    const user = await createUser('phonelinker');
    const entity = (await (await call('POST', '/api/entities', user, { type: 'event', title: uniqueName('Phone-linked event ') })).json()) as EntityJson;
    const page = await (await newContext(user.cookie, { viewport: { width: 390, height: 844 } })).newPage();
    await page.goto(`${inject('baseUrl')}/wiki/${entity.slug}/edit`);
    await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor();
    await page.getByRole('textbox', { name: 'Page text' }).click();
    // Words until the caret is past two thirds of the screen's width, whatever the font.
    const caretX = () => page.evaluate(() => window.getSelection()!.getRangeAt(0).getBoundingClientRect().x);
    for (let i = 0; i < 40 && (await caretX()) < 260; i++) await page.keyboard.type('met ');
    expect(await caretX()).toBeGreaterThanOrEqual(260);
    await page.keyboard.type('[[Soviet');
    const popup = page.getByRole('listbox', { name: 'Link to a page' });
    await popup.getByRole('option').first().waitFor();
    const box = (await popup.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390); // it was 615: the page scrolled sideways
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
    // The toolbar is one row that scrolls sideways (it wrapped onto three, 101 px high).
    const toolbar = page.getByRole('toolbar', { name: 'Formatting' });
    expect((await toolbar.boundingBox())!.height).toBeLessThan(45);
    // A table (three columns of at least 7em) scrolls inside the text; the editor and its toolbar stay as wide as the screen.
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Insert table' }).click();
    await page.getByRole('group', { name: 'Table' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390); // it was 413
    // The table's buttons appear in that row, scrolled into sight (the row stays one: it was 167 px high).
    expect((await toolbar.boundingBox())!.height).toBeLessThan(45);
    const addRow = (await page.getByRole('button', { name: 'Add a row below' }).boundingBox())!;
    expect(addRow.x).toBeGreaterThanOrEqual(0);
    expect(addRow.x + addRow.width).toBeLessThanOrEqual(390);
  });

  it('near the bottom of the window the [[ popup opens above the caret, whole, and the option chosen with the arrow keys stays in sight', async () => {
    const { page } = await editorOfNewPage(await createUser('lowlinker'));
    await page.setViewportSize({ width: 1000, height: 600 });
    const caret = () => page.evaluate(() => window.getSelection()!.getRangeAt(0).getBoundingClientRect().toJSON() as { top: number; bottom: number });
    // Lines until the caret is in the window's last 120 px (the editor keeps it in sight).
    await page.keyboard.type('Line');
    for (let i = 0; i < 60 && (await caret()).bottom < 480; i++) await page.keyboard.type('\nLine');
    expect((await caret()).bottom).toBeGreaterThanOrEqual(480);
    await page.keyboard.type(' [[Soviet');
    const popup = page.getByRole('listbox', { name: 'Link to a page' });
    const options = popup.getByRole('option');
    await options.nth(8).waitFor(); // pages found, and the offers to create one
    const box = (await popup.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual((await caret()).top); // above the caret: it went past the bottom, to 778 px
    // More options than it shows: the last one, chosen with the arrow keys, is scrolled into the list's sight.
    expect(await popup.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
    const count = await options.count();
    for (let i = 1; i < count; i++) await page.keyboard.press('ArrowDown');
    const chosen = popup.locator('[aria-selected="true"]');
    expect(await chosen.getAttribute('id')).toBe(await options.last().getAttribute('id'));
    const shown = (await chosen.boundingBox())!;
    expect(shown.y).toBeGreaterThanOrEqual(box.y);
    expect(shown.y + shown.height).toBeLessThanOrEqual(box.y + box.height + 1);
    await page.keyboard.press('Escape');
  });

  it('a search for a page that cannot be made says so, in the [[ popup and the relation form, and one that finds nothing says that', async () => {
    const { page } = await editorOfNewPage(await createUser('searcher'));
    const popup = page.getByRole('listbox', { name: 'Link to a page' });
    const picker = page.getByRole('form', { name: 'Add a relation' });
    await picker.getByRole('combobox', { name: 'To page' }).fill('Zzyzx Qwerty');
    await picker.getByRole('status').filter({ hasText: 'No page matches “Zzyzx Qwerty”.' }).waitFor();
    await picker.getByRole('combobox', { name: 'To page' }).fill('');

    await page.context().setOffline(true);
    await page.getByRole('textbox', { name: 'Page text' }).click();
    await page.keyboard.type('See [[Soviet');
    await popup.getByText('Could not reach the server: check your connection and try again.').waitFor(); // it said "Searching…" for ever
    await page.keyboard.press('Escape');
    await picker.getByRole('combobox', { name: 'To page' }).fill('Soviet');
    await picker.getByRole('status').filter({ hasText: 'Could not reach the server' }).waitFor(); // it said nothing

    await page.context().setOffline(false);
    await picker.getByRole('combobox', { name: 'To page' }).fill('Soviet Union');
    await picker.getByRole('option', { name: 'Soviet Union · state', exact: true }).waitFor();
    expect(await picker.getByRole('status').count()).toBe(0);
  });

  it('[[ on a group-only page makes the new page in that group, readable by its members only', async () => {
    const member = await createUser('grouplinker');
    const group = (await (await call('POST', '/api/groups', member, { name: uniqueName('Seminar ') })).json()) as { id: string };
    const entity = (await (await call('POST', '/api/entities', member, { type: 'event', title: uniqueName('Group notes '), groupId: group.id, visibility: 'group' })).json()) as EntityJson;
    const page = await (await newContext(member.cookie)).newPage();
    await page.goto(`${inject('baseUrl')}/wiki/${entity.slug}/edit`);
    await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor();
    const editor = page.getByRole('textbox', { name: 'Page text' });
    await editor.click();
    const missing = uniqueName('Secret plan ');
    await page.keyboard.type(`See [[${missing}`);
    await page.getByRole('option', { name: `Create “${missing}” as a new state of this page’s group` }).click();
    await editor.locator('a.entity-link', { hasText: missing }).waitFor();
    const asMember = async (id: string) => (await call('GET', `/api/entities/${id}`, member)).json();
    const id = await eventually(async () => {
      const [link] = nodesOf(((await asMember(entity.id)) as EntityJson).body, 'entityLink');
      expect(link).toBeDefined();
      return link.attrs!.entityId as string;
    }, 8000);
    const created = (await asMember(id)) as { title: string; type: string; groupId: string; visibility: string };
    expect(created).toMatchObject({ title: missing, type: 'state', groupId: group.id, visibility: 'group' });
    expect((await getJson(`/api/entities/${id}`)).status).toBe(404); // not for readers outside the group
  });

  it('web links: Ctrl+K links the selection, refuses a javascript: address with a message, inserts an address as linked text, changes and removes a link', async () => {
    const { page, entity } = await editorOfNewPage(await createUser('linker'));
    const editor = page.getByRole('textbox', { name: 'Page text' });
    const form = page.getByRole('form', { name: 'Web link' });
    const address = form.getByLabel('Link address');
    await page.keyboard.type('See the archive');
    await page.keyboard.press('Shift+Control+ArrowLeft'); // selects "archive"
    await eventually(async () => expect(await page.evaluate(() => String(window.getSelection()))).toBe('archive'));
    await page.keyboard.press('Control+k');
    await address.fill('javascript:alert(1)');
    await address.press('Enter');
    await form.getByRole('alert').filter({ hasText: 'Use an address that starts with https://' }).waitFor();
    expect(await editor.locator('a').count()).toBe(0);
    await address.fill('https://archive.example.org/rapallo');
    await address.press('Enter');
    await form.waitFor({ state: 'detached' });
    expect(await editor.getByRole('link', { name: 'archive', exact: true }).getAttribute('href')).toBe('https://archive.example.org/rapallo');

    // Typing goes on in the text; with nothing selected, the address goes in linked.
    await page.keyboard.press('End');
    await page.keyboard.type(' and ');
    await page.getByRole('button', { name: 'Web link (Ctrl+K)' }).click();
    await address.fill('mailto:desk@example.org');
    await form.getByRole('button', { name: 'Apply' }).click();
    expect(await editor.getByRole('link', { name: 'mailto:desk@example.org', exact: true }).getAttribute('href')).toBe('mailto:desk@example.org');

    // The caret in a link: the form shows its address, to change it or remove the link; Escape leaves it as it was.
    await editor.getByRole('link', { name: 'archive', exact: true }).click();
    await page.locator('button[aria-label="Web link (Ctrl+K)"][aria-pressed="true"]').waitFor(); // the caret is in the link
    await page.keyboard.press('Control+k');
    expect(await address.inputValue()).toBe('https://archive.example.org/rapallo');
    await address.press('Escape');
    await form.waitFor({ state: 'detached' });
    await eventually(async () => expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Page text'));
    await page.keyboard.press('Control+k');
    await address.fill('/wiki/treaty-of-rapallo');
    await address.press('Enter');
    expect(await editor.getByRole('link', { name: 'archive', exact: true }).getAttribute('href')).toBe('/wiki/treaty-of-rapallo');
    await page.keyboard.press('Control+k');
    await form.getByRole('button', { name: 'Remove link' }).click();
    expect(await editor.getByRole('link', { name: 'archive', exact: true }).count()).toBe(0);

    // Saved as one link mark on the address typed in, the text whole.
    type Node = { type: string; text?: string; marks?: { type: string; attrs?: { href?: string } }[]; content?: Node[] };
    const texts = (node: Node): Node[] => (node.type === 'text' ? [node] : (node.content ?? []).flatMap(texts));
    await projected(entity.id, (e) => {
      const runs = texts(e.body as Node);
      expect(runs.map((t) => t.text).join('')).toBe('See the archive and mailto:desk@example.org');
      expect(runs.flatMap((t) => (t.marks ?? []).map((m) => [t.text, m.attrs?.href]))).toEqual([['mailto:desk@example.org', 'mailto:desk@example.org']]);
    });
  });

  it('Ctrl+K pressed at once after selecting links what was selected, even before the editor heard of the selection', async () => {
    const { page } = await editorOfNewPage(await createUser('quicklinker'));
    const editor = page.getByRole('textbox', { name: 'Page text' });
    await page.keyboard.type('See the archive today');
    // The browser tells the editor of a new selection with its next 'selectionchange' event; a
    // fast Ctrl+K comes before it. Here both happen in one task: the selection, then the key.
    await editor.evaluate((el) => {
      const text = [...el.querySelectorAll('p')].map((p) => p.firstChild).find((node) => node?.textContent?.includes('archive'))!;
      const at = text.textContent!.indexOf('archive');
      el.ownerDocument.getSelection()!.setBaseAndExtent(text, at, text, at + 'archive'.length);
      el.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', code: 'KeyK', keyCode: 75, ctrlKey: true, bubbles: true, cancelable: true }));
    });
    const address = page.getByRole('form', { name: 'Web link' }).getByLabel('Link address');
    await address.fill('https://archive.example.org/rapallo');
    await address.press('Enter');
    expect(await editor.getByRole('link', { name: 'archive', exact: true }).getAttribute('href', { timeout: 5000 })).toBe('https://archive.example.org/rapallo');
    expect(await editor.textContent()).toBe('See the archive today');
  });

  it('"Cite source" finds a passage in a source and inserts it as a citation with its exact offsets', async () => {
    const { page, entity } = await editorOfNewPage(await createUser('citer'));
    await page.keyboard.type('The delegations met at Genoa.');

    const { source, start, quote } = await passageOnce(1 / 3);
    await page.getByRole('button', { name: 'Cite source' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cite a source' });
    const box = (await dialog.boundingBox())!;
    const screen = page.viewportSize()!;
    expect(Math.abs(box.x - (screen.width - box.x - box.width))).toBeLessThan(2); // centred: it sat in the top left corner
    expect(box.y).toBeGreaterThan(0);
    await citeIn(dialog, { source, quote }, 'Insert citation');
    await page.getByRole('textbox', { name: 'Page text' }).locator('cite.citation').waitFor();

    // A search for something the source does not say tells so, and inserts nothing.
    await page.getByRole('button', { name: 'Cite source' }).click();
    await dialog.getByLabel('Source document').selectOption(source.id);
    await dialog.getByLabel('Find in the text').fill('zebra crossing at Rapallo');
    await dialog.getByRole('button', { name: 'Find next' }).click();
    await dialog.getByRole('alert').filter({ hasText: '“zebra crossing at Rapallo” does not occur in this source.' }).waitFor();
    expect(await dialog.getByRole('button', { name: 'Insert citation' }).isDisabled()).toBe(true);
    // Found as a browser's find finds it: typed in capitals, with two spaces for one, it is the passage as the source has it.
    await dialog.getByLabel('Find in the text').fill(quote.toUpperCase().replace(' ', '  '));
    await dialog.getByRole('button', { name: 'Find next' }).click();
    await dialog.locator('blockquote', { hasText: quote }).waitFor();
    expect(await dialog.getByRole('alert').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    const saved = await projected(entity.id, (e) => expect(nodesOf(e.body, 'citation')).toHaveLength(1));
    expect(nodesOf(saved.body, 'citation')[0].attrs).toEqual({ sourceId: source.id, start, end: start + 60, quote });

    // Readers get the quote in the page's references, linked to the passage in the source.
    await page.goto(`${inject('baseUrl')}/wiki/${entity.slug}`);
    const reference = page.locator('li', { hasText: quote });
    expect(await reference.getByRole('link', { name: source.title }).getAttribute('href')).toBe(`/sources/${source.id}?hl=${start}-${start + 60}#c-${start}-${start + 60}`);
  });

  it('the add form proposes the kind of relation usual between the two pages’ types, and keeps a kind the user chose', async () => {
    const { page } = await editorOfNewPage(await createUser('proposer'));
    const adding = page.getByRole('form', { name: 'Add a relation' });
    const kind = adding.getByLabel('Relation');
    const pick = async (name: string, type: string) => {
      await adding.getByRole('combobox', { name: 'To page' }).fill(name);
      await adding.getByRole('option', { name: `${name} · ${type}`, exact: true }).click();
      await adding.getByText(`To ${name}`).waitFor();
    };
    await pick('Soviet Union', 'state'); // an event takes place in a state: all 85 such relations of the seed
    expect(await kind.inputValue()).toBe('located_in');
    await adding.getByRole('button', { name: 'change' }).click();
    await pick('Treaty of Rapallo', 'treaty'); // nothing usual: the proposal stays
    expect(await kind.inputValue()).toBe('located_in');
    await kind.selectOption('caused');
    await adding.getByRole('button', { name: 'change' }).click();
    await pick('China', 'state');
    expect(await kind.inputValue()).toBe('caused'); // the user's choice is kept
  });

  it('one relation edited in two forms at once: each keeps what the other changed in what it left as it was', async () => {
    const { target, a, b } = await twoWithARelation(['formfirst', 'formsecond'], { date: '1922', role: 'delegate' }, '(delegate, 1922)');
    for (const page of [a, b]) await page.getByRole('button', { name: `Edit the relation to ${target.title}` }).click();
    const [formA, formB] = [a, b].map((page) => page.getByRole('form', { name: `Edit the relation to ${target.title}` }));
    await formB.getByLabel('Role').fill('observer');
    await formB.getByRole('button', { name: 'Save' }).click();
    await formA.getByRole('status').filter({ hasText: 'Someone changed this relation while you were editing it.' }).waitFor();
    await formA.getByLabel('Date').fill('1922-04');
    await formA.getByRole('button', { name: 'Save' }).click();
    for (const page of [a, b]) await page.getByTestId('relation').filter({ hasText: `participant in ${target.title} (observer, April 1922)` }).waitFor();
  });

  it('a relation removed by someone while another edits it stays in the editing form, struck through, with what was typed; Save adds it back', async () => {
    const { target, a, b } = await twoWithARelation(['keeper', 'remover'], { date: '1922' }, '(1922)');
    await a.getByRole('button', { name: `Edit the relation to ${target.title}` }).click();
    const form = a.getByRole('form', { name: `Edit the relation to ${target.title}` });
    await form.getByLabel('Role').fill('delegate');
    await b.getByRole('button', { name: `Remove relation to ${target.title}` }).click();
    await form.getByRole('status').filter({ hasText: 'Someone removed this relation while you were editing it.' }).waitFor();
    expect(await form.getByLabel('Role').inputValue()).toBe('delegate');
    await form.getByRole('button', { name: 'Save' }).click();
    for (const page of [a, b]) await page.getByTestId('relation').filter({ hasText: `participant in ${target.title} (delegate, 1922)` }).waitFor();
    expect(await b.getByTestId('relation').count()).toBe(1);
    // Cancel leaves it removed.
    await a.getByRole('button', { name: `Edit the relation to ${target.title}` }).click();
    await b.getByRole('button', { name: `Remove relation to ${target.title}` }).click();
    await form.getByRole('status').filter({ hasText: 'Someone removed this relation' }).waitFor();
    await form.getByRole('button', { name: 'Cancel' }).click();
    for (const page of [a, b]) await page.getByText('No relations yet.').waitFor();
  });

  it('relations are added, changed, backed by a source and removed live: the other editor sees each step, readers the relation with its reference', async () => {
    const [alice, bob] = [await createUser('relator'), await createUser('reviser')];
    const made = async (title: string) => (await (await call('POST', '/api/entities', alice, { type: 'event', title })).json()) as EntityJson;
    const target = await made(uniqueName('Conference of Genoa '));
    const first = await made(uniqueName('Conference of Cannes '));
    const entity = await made(uniqueName('Rapallo talks '));
    // Another client has put entries in the doc's relations that are not relations: pages and editors leave them out.
    const other = connectClient(entity.id, alice.token);
    await other.synced;
    other.doc.getArray('statements').push([null, 7, { id: 'no-target', predicate: 'member_of', qualifiers: 'oops' }]);
    const check = connectClient(entity.id, alice.token); // the server has them
    await eventually(() => expect(check.doc.getArray('statements').length).toBe(3));
    for (const client of [other, check]) client.provider.destroy();
    const pages: Page[] = [];
    for (const user of [alice, bob]) {
      const page = await (await newContext(user.cookie)).newPage();
      await page.goto(`${inject('baseUrl')}/wiki/${entity.slug}/edit`);
      await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor();
      pages.push(page);
    }
    const [a, b] = pages;
    const relationIn = (page: Page) => page.getByTestId('relation').filter({ hasText: target.title });

    /** Picks `page` in the page picker inside `scope`. */
    const pick = async (scope: Locator, page: EntityJson) => {
      const picker = scope.getByRole('combobox', { name: 'To page' });
      await picker.fill(page.title);
      await scope.getByRole('option', { name: `${page.title} · event` }).waitFor();
      await picker.press('Enter');
      await scope.getByText(`To ${page.title}`).waitFor();
    };

    // Alice adds "part of" a conference, with a date and a role.
    const adding = a.getByRole('form', { name: 'Add a relation' });
    await pick(adding, first);
    await adding.getByLabel('Relation').selectOption('part_of');
    await adding.getByLabel('Date').fill('1922');
    await adding.getByLabel('Role').fill('side talks');
    await adding.getByRole('button', { name: 'Add relation' }).click();
    await b.getByTestId('relation').filter({ hasText: `part of ${first.title} (side talks, 1922)` }).waitFor();

    // Bob changes it, to another conference too; a date the wiki cannot read is refused and changes nothing.
    await b.getByRole('button', { name: `Edit the relation to ${first.title}` }).click();
    const form = b.getByRole('form', { name: `Edit the relation to ${first.title}` });
    await form.getByLabel('Date').fill('next spring');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('alert').filter({ hasText: 'Use a date like 1923' }).waitFor();
    await form.getByRole('button', { name: 'Change the page it points to' }).click();
    await pick(form, target);
    await form.getByLabel('Relation').selectOption('participant');
    await form.getByLabel('Date').fill('1922-04');
    await form.getByLabel('Role').fill('Soviet delegation');
    await form.getByRole('button', { name: 'Save' }).click();
    await relationIn(a).filter({ hasText: `participant in ${target.title} (Soviet delegation, April 1922)` }).waitFor();
    expect(await a.getByTestId('relation').count()).toBe(1);

    // Alice backs it with a passage of a source; Bob sees the quote, linked to the passage.
    const passage = await passageOnce(1 / 2);
    await a.getByRole('button', { name: `Cite source for the relation to ${target.title}` }).click();
    await citeIn(a.getByRole('dialog', { name: 'Cite a source for this relation' }), passage, 'Add citation');
    const cited = b.getByRole('list', { name: `Sources of the relation to ${target.title}` }).getByRole('link');
    await cited.waitFor();
    const href = `/sources/${passage.source.id}?hl=${passage.start}-${passage.start + 60}#c-${passage.start}-${passage.start + 60}`;
    expect(await cited.getAttribute('href')).toBe(href);
    expect(await cited.textContent()).toBe(`“${passage.quote}”`);

    // Saved and projected: the API lists the relation with its qualifiers and its verified citation...
    const citation = { sourceId: passage.source.id, start: passage.start, end: passage.start + 60, quote: passage.quote };
    await eventually(async () => {
      const { body } = await getJson<{ statements: { predicate: string; direction: string; qualifiers: unknown; citations: unknown[]; entity: { id: string } }[] }>(`/api/entities/${entity.id}`);
      expect(body.statements).toEqual([{ predicate: 'participant', direction: 'out', qualifiers: { date: '1922-04', role: 'Soviet delegation' }, citations: [citation], entity: expect.objectContaining({ id: target.id }) }]);
    }, 8000);
    // ...and readers see it under its label, numbered into the page's references.
    const reader = await (await newContext()).newPage();
    await reader.goto(`${inject('baseUrl')}/wiki/${entity.slug}`);
    const row = reader.locator('li', { has: reader.getByRole('link', { name: target.title }) }).filter({ has: reader.getByRole('link', { name: /^Reference \d+$/ }) });
    const n = (await row.getByRole('link', { name: /^Reference \d+$/ }).textContent())?.replace(/\D/g, '');
    expect(await reader.locator(`#ref-${n}`).textContent()).toContain(passage.quote);

    // Bob removes the citation, then Alice the relation: each side sees the other's.
    await b.getByRole('button', { name: `Remove the citation “${passage.quote}”` }).click();
    await a.getByRole('list', { name: `Sources of the relation to ${target.title}` }).waitFor({ state: 'detached' });
    await a.getByRole('button', { name: `Remove relation to ${target.title}` }).click();
    await b.getByText('No relations yet.').waitFor();
  });
});
