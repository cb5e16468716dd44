import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { browserContexts } from '../helpers/browser';
import { call, createUser, uniqueName, type TestUser } from '../helpers/users';
import * as Y from 'yjs';
import { connectClient, disconnectAll, eventually } from '../helpers/collab';
import { getJson } from '../helpers/http';

const newContext = browserContexts();
afterAll(disconnectAll);

/** The editor's text without other people's caret labels (which sit inside the text). */
function documentText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const clone = document.querySelector('.ProseMirror')!.cloneNode(true) as HTMLElement;
    clone.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());
    return clone.textContent ?? '';
  });
}

/** A browser context signed in as `user` (its session cookie set for the app). */
async function pageAs(user: TestUser): Promise<Page> {
  return (await newContext(user.cookie)).newPage();
}

/** A new event page made by `user`. */
async function newEvent(user: TestUser, title: string): Promise<{ id: string; slug: string }> {
  return (await (await call('POST', '/api/entities', user, { type: 'event', title })).json()) as { id: string; slug: string };
}

/** A new user on the edit page of a new event of theirs (in a context of its own), not yet waiting for the connection. */
async function editingNewEvent(name: string, title: string) {
  const alice = await createUser(name);
  const entity = await newEvent(alice, uniqueName(title));
  const context = await newContext(alice.cookie);
  const page = await context.newPage();
  await page.goto(`${inject('baseUrl')}/wiki/${entity.slug}/edit`);
  return { alice, entity, context, page };
}

/** Two people, each with the edit page of a new entity open and connected; `prepareB` readies the second one's page before it opens. */
async function twoEditing(type: string, title: string, names: [string, string], prepareB?: (page: Page) => Promise<void>) {
  const [alice, bob] = [await createUser(names[0]), await createUser(names[1])];
  const entity = (await (await call('POST', '/api/entities', alice, { type, title: uniqueName(title) })).json()) as { id: string; slug: string };
  const [a, b] = [await pageAs(alice), await pageAs(bob)];
  await prepareB?.(b);
  for (const page of [a, b]) {
    await page.goto(`${inject('baseUrl')}/wiki/${entity.slug}/edit`);
    await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor();
  }
  return { alice, bob, entity, a, b };
}

describe('co-editing in two browsers', () => {
  it('shows one user’s typing, caret and infobox edits to the other, and saves them', async () => {
    const { alice, bob, entity, a, b } = await twoEditing('treaty', 'Co-edited treaty ', ['alice', 'bob']);
    const editorA = a.getByRole('textbox', { name: 'Page text' });
    await editorA.click();
    await a.keyboard.type('Signed at Rapallo by both delegations.');
    await eventually(async () => expect(await documentText(b)).toContain('Signed at Rapallo by both delegations.'));
    // Alice's caret, with her name, is drawn in Bob's editor, in her colour (her avatar's): not
    // see-through, which is what the caret extension makes of a colour it does not take.
    const label = b.locator('.collaboration-carets__label', { hasText: alice.username });
    await label.waitFor();
    const avatar = b.getByRole('list', { name: 'People on this page' }).locator('li', { hasText: alice.username });
    const drawn = {
      label: await label.evaluate((el) => getComputedStyle(el).backgroundColor),
      caret: await label.evaluate((el) => getComputedStyle(el.parentElement!).borderLeftColor),
      avatar: await avatar.evaluate((el) => getComputedStyle(el).backgroundColor),
    };
    expect(drawn.label).toMatch(/^rgb\(\d+, \d+, \d+\)$/); // opaque
    expect(drawn).toEqual({ label: drawn.avatar, caret: drawn.avatar, avatar: drawn.avatar });
    // Both see each other in the list of people on the page.
    await a.getByRole('list', { name: 'People on this page' }).getByText(bob.username).waitFor({ state: 'attached' });

    // An infobox field edited by Bob appears in Alice's form.
    await b.getByLabel('Place').fill('Rapallo, Italy');
    await b.getByLabel('Place').blur();
    await eventually(async () => expect(await a.getByLabel('Place').inputValue()).toBe('Rapallo, Italy'));

    // The edits are persisted and projected: the API (and so the page) shows them.
    await eventually(async () => {
      const { body } = await getJson<{ summary: string; fields: { place?: string } }>(`/api/entities/${entity.id}`);
      expect(body.summary).toContain('Signed at Rapallo');
      expect(body.fields.place).toBe('Rapallo, Italy');
    }, 8000);

    // Bob adds a sentence. "Who wrote this" gives each of them their own words, and can show one alone.
    const editorB = b.getByRole('textbox', { name: 'Page text' });
    await editorB.click();
    await editorB.press('Control+End');
    await b.keyboard.type(' Bob checked the date.');
    await eventually(async () => expect(await documentText(a)).toContain('Bob checked the date.'));
    const authored = async (user: TestUser) => (await a.locator(`[data-author="${user.username}"]`).allTextContents()).join('');
    await eventually(async () => {
      await a.goto(`${inject('baseUrl')}/wiki/${entity.slug}/authorship`);
      expect(await authored(alice)).toContain('Signed at Rapallo by both delegations.');
      expect(await authored(bob)).toBe(' Bob checked the date.');
    }, 8000);
    const background = (user: TestUser) => a.locator(`[data-author="${user.username}"]`).first().evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await background(alice)).not.toBe('rgba(0, 0, 0, 0)');
    const onlyBob = a.getByRole('button', { name: `Only ${bob.username}` });
    await onlyBob.click();
    await eventually(async () => {
      expect(await onlyBob.getAttribute('aria-pressed')).toBe('true');
      expect(await background(alice)).toBe('rgba(0, 0, 0, 0)');
      expect(await background(bob)).not.toBe('rgba(0, 0, 0, 0)');
    });
    await onlyBob.click(); // and back to everyone
    await eventually(async () => expect(await background(alice)).not.toBe('rgba(0, 0, 0, 0)'));
  });

  it('two people typing in one infobox field at once both keep their words and see who is in which field; each caret stays on its text; leaving a field overwrites nothing', async () => {
    const { alice: ann, bob: ben, entity, a, b } = await twoEditing('treaty', 'Field-typed treaty ', ['ann', 'ben']);
    const [annName, benName] = [ann.username, ben.username];
    const [placeA, placeB] = [a.getByLabel('Place'), b.getByLabel('Place')];
    await placeA.fill('Berlin Germany');
    await eventually(async () => expect(await placeB.inputValue()).toBe('Berlin Germany'));
    // Ann's caret after "Berlin", Ben's at the start; both type at once.
    await placeA.click();
    await placeA.press('Home');
    for (let i = 0; i < 'Berlin'.length; i++) await placeA.press('ArrowRight');
    await placeB.click();
    await placeB.press('Home');
    await Promise.all([placeA.pressSequentially(' (city)', { delay: 40 }), placeB.pressSequentially('Old ', { delay: 40 })]);
    for (const place of [placeA, placeB]) await eventually(async () => expect(await place.inputValue()).toBe('Old Berlin (city) Germany'));
    // Ben's words arrived in front of Ann's caret: it moved with her text rather than to the end.
    await placeA.press(',');
    for (const place of [placeA, placeB]) await eventually(async () => expect(await place.inputValue()).toBe('Old Berlin (city), Germany'));

    // Each sees who else is in the field, in their colour; gone when they leave it.
    const flags = async (page: Page) => page.getByTestId('field-people').evaluateAll((els) => els.map((el) => `${(el as HTMLElement).dataset.field}: ${el.textContent}`));
    await placeA.focus();
    await placeB.blur();
    await eventually(async () => expect(await flags(b)).toEqual([`place: ${annName} is here`]));
    const flagColour = await b.getByTestId('field-people').locator('span').first().evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await placeB.evaluate((el) => getComputedStyle(el).boxShadow)).toContain(flagColour);
    await placeB.focus();
    await eventually(async () => expect(await flags(a)).toEqual([`place: ${benName} is here`]));

    // Ann sits in Status while Ben fills it in; when she leaves it, his words stay.
    const [statusA, statusB] = [a.getByLabel('Status'), b.getByLabel('Status')];
    await statusA.click();
    await eventually(async () => expect(await flags(b)).toEqual([`status: ${annName} is here`])); // she left Place
    await statusB.fill('In force');
    await eventually(async () => expect(await statusA.inputValue()).toBe('In force'));
    await statusA.press('Tab');
    await eventually(async () => {
      const { body } = await getJson<{ fields: { place?: string; status?: string } }>(`/api/entities/${entity.id}`);
      expect(body.fields).toMatchObject({ place: 'Old Berlin (city), Germany', status: 'In force' });
    }, 8000);
    expect(await statusB.inputValue()).toBe('In force');

    // A new title shows in the other's heading as it is typed.
    await a.getByLabel('Title').fill('Treaty renamed while open');
    await b.getByRole('heading', { level: 1, name: 'Editing “Treaty renamed while open”' }).waitFor();
  });

  it('Ctrl+Z in an infobox field undoes what this person typed there, not what the other typed; redo puts it back once', async () => {
    const { a, b } = await twoEditing('person', 'Undone person ', ['undoer', 'typist']);
    const [bornA, bornB] = [a.getByLabel('Born'), b.getByLabel('Born')];
    await bornA.click();
    await a.keyboard.type('1890');
    await eventually(async () => expect(await bornB.inputValue()).toBe('1890'));
    await bornB.click();
    await b.keyboard.press('End');
    await b.keyboard.type(' or 1891');
    await eventually(async () => expect(await bornA.inputValue()).toBe('1890 or 1891'));
    await a.keyboard.press('Control+z');
    for (const born of [bornA, bornB]) await eventually(async () => expect(await born.inputValue()).toBe(' or 1891'));
    await a.keyboard.press('Control+Shift+z'); // the browser's own redo typed "1890" again after what was there: "1890 or 18911890"
    for (const born of [bornA, bornB]) await eventually(async () => expect(await born.inputValue()).toBe('1890 or 1891'));
    await a.keyboard.press('Control+y'); // nothing more to redo
    await b.keyboard.press('Control+z');
    for (const born of [bornA, bornB]) await eventually(async () => expect(await born.inputValue()).toBe('1890'));
    // Each field has its own history: undo in Died does not touch Born.
    await a.getByLabel('Died').click();
    await a.keyboard.press('Control+z');
    await a.waitForTimeout(300);
    expect(await bornA.inputValue()).toBe('1890');
  });

  it('clicking another person’s picture brings into view where they are: their caret in the text, or the field they are in', async () => {
    const { alice, bob, a, b } = await twoEditing('treaty', 'Long treaty ', ['finder', 'wanderer']);
    await b.getByRole('textbox', { name: 'Page text' }).click();
    for (let i = 1; i <= 25; i++) await b.keyboard.type(`Art. ${i}\n`);
    await b.keyboard.type('Bob is here.');
    const inView = (locator: Locator) => locator.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    const caret = a.locator('.collaboration-carets__label', { hasText: bob.username });
    await caret.waitFor();
    await a.evaluate(() => window.scrollTo(0, 0));
    expect(await inView(caret)).toBe(false);
    const people = a.getByRole('list', { name: 'People on this page' });
    expect(await people.getByRole('button', { name: `Show where ${alice.username} is` }).count()).toBe(0); // not oneself
    await people.getByRole('button', { name: `Show where ${bob.username} is` }).click();
    expect(await inView(caret)).toBe(true);
    // Each has the page open in a second tab as well: still one picture each (one's own not a button), with two carets of Bob's.
    for (const page of [a, b]) {
      const tab = await page.context().newPage();
      await tab.goto(page.url());
      await tab.locator('[data-testid="connection-status"][data-status="connected"]').waitFor();
      await tab.getByRole('textbox', { name: 'Page text' }).click();
    }
    await eventually(async () => {
      expect(await a.locator('.collaboration-carets__label', { hasText: alice.username }).count()).toBe(1); // her other tab's
      expect(await a.locator('.collaboration-carets__label', { hasText: bob.username }).count()).toBe(2);
    });
    expect(await people.getByRole('listitem').evaluateAll((items) => items.map((li) => li.getAttribute('title')))).toEqual([alice.username, bob.username]);
    expect(await people.getByRole('button').count()).toBe(1);

    await b.getByLabel('Place').click(); // Bob moves to a field of the infobox, at the top
    await a.locator('[data-testid="field-people"][data-field="place"]').waitFor();
    await a.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    expect(await inView(a.getByLabel('Place'))).toBe(false);
    await people.getByRole('button', { name: `Show where ${bob.username} is` }).click();
    expect(await inView(a.getByLabel('Place'))).toBe(true);
  });

  it('"Done: view page" right after typing shows the page with what was just typed', async () => {
    const alice = await createUser('finisher');
    const entity = await newEvent(alice, uniqueName('Finished event '));
    const page = await pageAs(alice);
    await page.goto(`${inject('baseUrl')}/wiki/${entity.slug}/edit`);
    await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor();
    await page.getByRole('textbox', { name: 'Page text' }).click();
    await page.keyboard.type('The last words before leaving.');
    await page.getByLabel('Place').fill('Genoa, at once');
    await page.getByRole('link', { name: 'Done: view page' }).click();
    await page.waitForURL(`${inject('baseUrl')}/wiki/${entity.slug}`);
    const article = page.locator('article');
    await article.getByText('The last words before leaving.').waitFor({ timeout: 3000 });
    expect(await article.textContent()).toContain('Genoa, at once');
  });

  it('comes back after a dropped connection asking only for what it missed (?sv=), and both sides keep what was typed meanwhile', async () => {
    const [alice, bob] = [await createUser('alice'), await createUser('bob')];
    const entity = await newEvent(alice, uniqueName('Dropped connection '));
    const a = await pageAs(alice);
    // Alice's sockets go through the test, which can cut them: as a flaky network would.
    const urls: string[] = [];
    const cut: (() => Promise<void>)[] = [];
    await a.routeWebSocket(/\/collab\//, (page) => {
      urls.push(page.url());
      const server = page.connectToServer();
      cut.push(async () => {
        await server.close();
        await page.close();
      });
    });
    const b = await pageAs(bob);
    for (const page of [a, b]) {
      await page.goto(`${inject('baseUrl')}/wiki/${entity.slug}/edit`);
      await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor();
    }
    const editorA = a.getByRole('textbox', { name: 'Page text' });
    const editorB = b.getByRole('textbox', { name: 'Page text' });
    await editorA.click();
    await a.keyboard.type('Alice before.');
    await eventually(async () => expect(await documentText(b)).toContain('Alice before.'));

    await cut[0]();
    await a.keyboard.type(' Alice while cut off.');
    await editorB.click();
    await b.keyboard.press('Control+End');
    await b.keyboard.type(' Bob meanwhile.');
    await eventually(() => expect(urls).toHaveLength(2));
    expect(new URL(urls[0]).searchParams.has('sv')).toBe(false); // the first connection gets the whole doc
    expect(new URL(urls[1]).searchParams.get('sv')).toMatch(/^[A-Za-z0-9+/]+=*$/); // the second says what it has
    await a.locator('[data-testid="connection-status"][data-status="connected"]').waitFor();
    for (const [name, page] of [['Alice', a], ['Bob', b]] as const) {
      await eventually(async () => {
        const text = await documentText(page);
        for (const typed of ['Alice before.', 'Alice while cut off.', 'Bob meanwhile.']) expect(text.split(typed), `"${typed}" once in ${name}'s editor, which shows "${text}"`).toHaveLength(2);
      });
    }
  });

  it('says "Connected" and lets one edit only once the page’s content has arrived, not when the socket opens', async () => {
    const alice = await createUser('alice');
    const title = uniqueName('Slow page ');
    const entity = await newEvent(alice, title);
    const context = await newContext(alice.cookie);
    // The test is the network: it holds what the server sends until it lets it through.
    let holding = true;
    const held: (() => void)[] = [];
    await context.routeWebSocket(/\/collab\//, (ws) => {
      const server = ws.connectToServer();
      server.onMessage((message) => (holding ? held.push(() => ws.send(message)) : ws.send(message)));
    });
    const page = await context.newPage();
    await page.goto(`${inject('baseUrl')}/wiki/${entity.slug}/edit`);
    await eventually(() => expect(held.length).toBeGreaterThan(1)); // the socket is open and the doc sent
    const status = page.locator('[data-testid="connection-status"]');
    const text = page.getByRole('textbox', { name: 'Page text' });
    expect(await status.getAttribute('data-status')).toBe('connecting');
    // Nothing to type into yet: typed text would land in an empty page and be merged with the content when it comes.
    expect(await text.getAttribute('contenteditable')).toBe('false');
    expect(await page.getByLabel('Title').isDisabled()).toBe(true);
    holding = false;
    for (const send of held.splice(0)) send();
    await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor();
    expect(await page.getByLabel('Title').inputValue()).toBe(title);
    await eventually(async () => expect(await text.getAttribute('contenteditable')).toBe('true'));
    await text.click();
    await page.keyboard.type('Typed once loaded.');
    await eventually(async () => expect((await getJson<{ summary: string }>(`/api/entities/${entity.id}`)).body.summary).toBe('Typed once loaded.'), 8000);
  });

  it('shows Offline while the browser is offline, keeps what is typed, saves no revision without it, and is Connected again with it sent when back', async () => {
    const { entity, context, page } = await editingNewEvent('alice', 'Offline page ');
    const status = (value: string) => page.locator(`[data-testid="connection-status"][data-status="${value}"]`);
    await status('connected').waitFor();
    await page.getByRole('textbox', { name: 'Page text' }).click();
    await context.setOffline(true);
    await status('offline').waitFor();
    expect(await status('offline').textContent()).toContain('your changes are kept on this device');
    await page.keyboard.type('Typed while offline.');
    // A revision saved now would lack what was just typed: none is saved, and the form says why.
    const revisions = async () => (await getJson<{ items: { number: number }[] }>(`/api/entities/${entity.id}/revisions`)).body.items.map((r) => r.number);
    await page.getByLabel('Edit summary').fill('Offline words');
    await page.getByRole('button', { name: 'Save revision' }).click();
    const notSaved = page.getByRole('status').filter({ hasText: 'Not saved: this page is not connected' });
    await notSaved.waitFor();
    expect(await revisions()).toEqual([1]);
    await context.setOffline(false);
    await status('connected').waitFor();
    await notSaved.waitFor({ state: 'detached' });
    await eventually(async () => expect((await getJson<{ summary: string }>(`/api/entities/${entity.id}`)).body.summary).toContain('Typed while offline.'), 8000);
    await page.getByRole('button', { name: 'Save revision' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved as revision 2.' }).waitFor();
    expect(await revisions()).toEqual([2, 1]);
  });

  it('scrolled down a long page on a phone, the toolbar stays at the top of the window, and while offline a notice under it says the changes are kept', async () => {
    const { context, page } = await editingNewEvent('alice', 'Phone offline ');
    await page.setViewportSize({ width: 390, height: 640 });
    await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor();
    await page.getByRole('textbox', { name: 'Page text' }).click();
    for (let line = 1; line <= 30; line++) {
      await page.keyboard.type(`Line ${line} of a long page.`);
      await page.keyboard.press('Enter');
    }
    const notice = page.getByTestId('connection-notice');
    expect(await notice.count()).toBe(0); // connected: nothing under the toolbar
    await context.setOffline(true);
    await notice.waitFor();
    expect(await notice.textContent()).toContain('your changes are kept on this device');
    // The status above the text has scrolled out of the window; the toolbar and the notice have not.
    const statusBox = (await page.getByTestId('connection-status').boundingBox())!;
    expect(statusBox.y + statusBox.height).toBeLessThan(0);
    const toolbarBox = (await page.getByRole('toolbar', { name: 'Formatting' }).boundingBox())!;
    const noticeBox = (await notice.boundingBox())!;
    expect(Math.abs(toolbarBox.y)).toBeLessThan(1);
    expect(noticeBox.y).toBeGreaterThanOrEqual(toolbarBox.y + toolbarBox.height - 1);
    expect(noticeBox.y + noticeBox.height).toBeLessThan(200);
    await page.keyboard.type('Typed while offline.');
    await context.setOffline(false);
    await notice.waitFor({ state: 'detached' });
  });

  it('signed out in another tab: the editor says so and stops taking typing, and keeps nothing more on the device', async () => {
    const { entity, context, page } = await editingNewEvent('signedout', 'Signed out page ');
    await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor();
    const editor = page.getByRole('textbox', { name: 'Page text' });
    await editor.click();
    await page.keyboard.type('Saved before.');
    await eventually(async () => expect((await getJson<{ summary: string }>(`/api/entities/${entity.id}`)).body.summary).toBe('Saved before.'));

    const other = await context.newPage();
    await other.goto(`${inject('baseUrl')}/`);
    expect(await other.evaluate(async () => (await fetch('/api/auth/logout', { method: 'POST' })).status)).toBe(204);
    const status = page.locator('[data-testid="connection-status"][data-status="closed"]');
    await status.waitFor();
    expect(await status.textContent()).toBe('Disconnected: your session or token was revoked; sign in again to go on editing');
    expect(await editor.getAttribute('contenteditable')).toBe('false');
    await editor.click();
    await page.keyboard.type(' Typed after.');
    expect(await documentText(page)).toBe('Saved before.');
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kb:unsent:')))).toEqual([]);
  });

  it('keeps what was typed while cut off when the tab is closed, and sends it on the next visit', async () => {
    const alice = await createUser('alice');
    const entity = await newEvent(alice, uniqueName('Offline typing '));
    const context = await newContext(alice.cookie);
    // The test is the network: it can cut Alice's socket and refuse new ones.
    let refuse = false;
    const cut: (() => Promise<void>)[] = [];
    await context.routeWebSocket(/\/collab\//, async (ws) => {
      if (refuse) return ws.close();
      const server = ws.connectToServer();
      cut.push(async () => {
        await server.close();
        await ws.close();
      });
    });
    const summary = async () => (await getJson<{ summary: string }>(`/api/entities/${entity.id}`)).body.summary;
    const editUrl = `${inject('baseUrl')}/wiki/${entity.slug}/edit`;

    const first = await context.newPage();
    await first.goto(editUrl);
    await first.locator('[data-testid="connection-status"][data-status="connected"]').waitFor();
    await first.getByRole('textbox', { name: 'Page text' }).click();
    await first.keyboard.type('Typed online.');
    await eventually(async () => expect(await summary()).toContain('Typed online.'), 8000);
    refuse = true;
    await cut[0]();
    await first.locator('[data-testid="connection-status"][data-status="reconnecting"]').waitFor();
    await first.keyboard.type(' Typed while cut off.');
    // Kept in the browser, then the tab is closed. What is kept is read on top of what the
    // server has (a client of the test's own, which the cut-off edits never reach).
    const server = connectClient(entity.id, alice.token);
    await server.synced;
    const keptEntries = (page: Page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kb:unsent:')).map((k) => localStorage.getItem(k)!));
    const keptText = async (page: Page) => {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(server.doc));
      for (const entry of await keptEntries(page)) Y.applyUpdate(copy, Buffer.from(entry, 'base64'));
      return copy.getXmlFragment('body').toString();
    };
    await eventually(async () => expect(await keptText(first)).toContain('Typed online. Typed while cut off.'));
    await first.close();
    expect(await summary()).not.toContain('Typed while cut off.');

    refuse = false;
    const next = await context.newPage();
    await next.goto(editUrl);
    await next.locator('[data-testid="connection-status"][data-status="connected"]', { hasText: 'typed offline on an earlier visit has been sent' }).waitFor();
    await eventually(async () => expect(await summary()).toContain('Typed online. Typed while cut off.'), 8000);
    await eventually(async () => expect((await documentText(next)).split('Typed while cut off.')).toHaveLength(2)); // once
    // Sent, so no longer kept.
    await eventually(async () => expect(await keptEntries(next)).toEqual([]));

    // Signing out while something is kept asks first, then removes it from this browser.
    refuse = true;
    await cut.at(-1)!();
    await next.locator('[data-testid="connection-status"][data-status="reconnecting"]').waitFor();
    await next.getByRole('textbox', { name: 'Page text' }).click();
    await next.keyboard.press('Control+End');
    await next.keyboard.type(' Not sent.');
    await eventually(async () => expect(await keptText(next)).toContain('Typed while cut off. Not sent.'));
    const asked = new Promise<string>((resolve) => next.once('dialog', (dialog) => void dialog.accept().then(() => resolve(dialog.message()))));
    await next.getByLabel(`Account menu for ${alice.username}`).click();
    await next.getByRole('button', { name: 'Sign out' }).click();
    expect(await asked).toContain('one page');
    await next.getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await keptEntries(next)).toEqual([]);
    server.provider.destroy();
  });

  it('a change that would take the page past its size limit: the editor says it was not saved and stops; nothing is kept to resend, what was saved stays', async () => {
    const alice = await createUser('full');
    const entity = await newEvent(alice, uniqueName('Full page '));
    // 3.9 MB of text from another client, in two updates under the 2 MB a message may hold.
    const filler = connectClient(entity.id, alice.token);
    await filler.synced;
    for (const c of ['a', 'b']) {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(c.repeat(1_950_000))]);
      filler.doc.getXmlFragment('body').push([paragraph]);
    }
    const bodyLength = (doc: Y.Doc) => doc.getXmlFragment('body').toArray().reduce((n, p) => n + (p as Y.XmlElement).toArray().map(String).join('').length, 0);
    const check = connectClient(entity.id, alice.token);
    await eventually(() => expect(bodyLength(check.doc)).toBe(3_900_000), 15_000);
    filler.provider.destroy();
    check.provider.destroy();

    const page = await pageAs(alice);
    await page.goto(`${inject('baseUrl')}/wiki/${entity.slug}/edit`);
    await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor({ timeout: 30_000 });
    await page.getByRole('textbox', { name: 'Page text' }).click();
    await page.keyboard.insertText('c'.repeat(400_000)); // 4.3 MB in all
    const status = page.locator('[data-testid="connection-status"][data-status="closed"]');
    await status.waitFor({ timeout: 30_000 });
    expect(await status.textContent()).toContain('This page is at its size limit (4 MB): your last change was not saved.');
    await page.waitForTimeout(1500); // no reconnecting, and nothing kept in the browser to send again
    expect(await page.locator('[data-testid="connection-status"]').getAttribute('data-status')).toBe('closed');
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kb:unsent:')))).toEqual([]);
    const reader = connectClient(entity.id, alice.token);
    await reader.synced;
    expect(bodyLength(reader.doc)).toBe(3_900_000);
    reader.provider.destroy();
  }, 120_000);

  it('an editor whose permission to edit is withdrawn while typing is told so at once, and the page stops taking their typing', async () => {
    const [owner, member] = [await createUser('owner'), await createUser('demoted')];
    const group = (await (await call('POST', '/api/groups', owner, { name: uniqueName('Seminar ') })).json()) as { id: string };
    expect((await call('POST', `/api/groups/${group.id}/members`, owner, { username: member.username, role: 'editor' })).status).toBe(200);
    const entity = (await (await call('POST', '/api/entities', owner, { type: 'event', title: uniqueName('Group meeting '), groupId: group.id })).json()) as { id: string; slug: string };
    const page = await pageAs(member);
    await page.goto(`${inject('baseUrl')}/wiki/${entity.slug}/edit`);
    const status = page.getByTestId('connection-status');
    await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor();
    expect(await status.textContent()).toContain('changes are saved as you type');
    const editor = page.getByRole('textbox', { name: 'Page text' });
    await editor.click();
    await page.keyboard.type('Saved words.');
    await eventually(async () => expect((await getJson<{ summary: string }>(`/api/entities/${entity.id}`)).body.summary).toBe('Saved words.'));

    expect((await call('POST', `/api/groups/${group.id}/members`, owner, { username: member.username, role: 'viewer' })).status).toBe(200);
    await page.getByRole('alert').filter({ hasText: 'You can no longer edit this page: your permission to edit it was withdrawn.' }).waitFor();
    await page.getByRole('heading', { name: /^Live view of/ }).waitFor();
    expect(await status.textContent()).toBe('Connected · you see changes as others make them');
    expect(await editor.getAttribute('contenteditable')).toBe('false');
    expect(await page.getByLabel('Place').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save revision' }).count()).toBe(0);
    await editor.click();
    await page.keyboard.type(' More.');
    expect(await documentText(page)).toBe('Saved words.');
  });

  it('words typed while cut off by an editor whose permission is withdrawn meanwhile are refused on return: the editor says so and keeps them on the device', async () => {
    const [owner, member] = [await createUser('owner'), await createUser('cutdemoted')];
    const group = (await (await call('POST', '/api/groups', owner, { name: uniqueName('Seminar ') })).json()) as { id: string };
    await call('POST', `/api/groups/${group.id}/members`, owner, { username: member.username, role: 'editor' });
    const entity = (await (await call('POST', '/api/entities', owner, { type: 'event', title: uniqueName('Group session '), groupId: group.id })).json()) as { id: string; slug: string };
    const page = await pageAs(member);
    // The member's sockets go through the test: it cuts the first, and lets none through until told.
    let blocked = false;
    const open: (() => Promise<void>)[] = [];
    await page.routeWebSocket(/\/collab\//, (socket) => {
      if (blocked) return void socket.close();
      const server = socket.connectToServer();
      open.push(async () => {
        await server.close();
        await socket.close();
      });
    });
    await page.goto(`${inject('baseUrl')}/wiki/${entity.slug}/edit`);
    await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor();
    await page.getByRole('textbox', { name: 'Page text' }).click();
    blocked = true;
    await open[0]();
    await page.locator('[data-testid="connection-status"][data-status="reconnecting"]').waitFor();
    await page.keyboard.type('Typed while cut off.');
    const kept = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kb:unsent:')).length);
    await eventually(async () => expect(await kept()).toBe(1));
    await call('POST', `/api/groups/${group.id}/members`, owner, { username: member.username, role: 'viewer' });
    blocked = false;
    await page.getByRole('alert').filter({ hasText: 'You can no longer edit this page: your permission to edit it was withdrawn.' }).waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor();
    expect(await kept()).toBe(1); // not taken, so not forgotten
    expect((await getJson<{ summary: string }>(`/api/entities/${entity.id}`)).body.summary).toBe('');
  });

  it("undo takes back one's own typing only: the other editor's words stay; redo brings it back", async () => {
    const { entity, a, b } = await twoEditing('event', 'Undone event ', ['undoer', 'bystander']);
    const shown = async (page: Page) => (await documentText(page)).replace(/\s+/g, ' ').trim();
    await a.getByRole('textbox', { name: 'Page text' }).click();
    await a.keyboard.type('Alice wrote this.');
    await eventually(async () => expect(await shown(b)).toBe('Alice wrote this.'));
    await b.getByRole('textbox', { name: 'Page text' }).click();
    await b.keyboard.press('Control+End');
    await b.keyboard.press('Enter');
    await b.keyboard.type('Bob added this.');
    await eventually(async () => expect(await shown(a)).toBe('Alice wrote this.Bob added this.'));

    // Alice's Ctrl+Z takes back her sentence, in both editors; Bob's stays.
    await a.keyboard.press('Control+z');
    for (const page of [a, b]) await eventually(async () => expect(await shown(page)).toBe('Bob added this.'));
    // The toolbar's Redo brings it back, once.
    await a.getByRole('button', { name: 'Redo', exact: true }).click();
    for (const page of [a, b]) await eventually(async () => expect(await shown(page)).toBe('Alice wrote this.Bob added this.'));
    // Bob's undo takes back his sentence only.
    await b.getByRole('button', { name: 'Undo', exact: true }).click();
    for (const page of [a, b]) await eventually(async () => expect(await shown(page)).toBe('Alice wrote this.'));
    await eventually(async () => {
      const { body } = await getJson<{ summary: string }>(`/api/entities/${entity.id}`);
      expect(body.summary).toBe('Alice wrote this.');
    }, 8000);
  });

  it('sanitises pasted HTML: no scripts, no event handlers, no javascript: links; headings become section headings, merged cells stay merged (a span cut to 1000), short rows are filled', async () => {
    const carol = await createUser('carol');
    const entity = (await (await call('POST', '/api/entities', carol, { type: 'event', title: uniqueName('Paste test ') })).json()) as { id: string; slug: string };
    const page = await pageAs(carol);
    await page.goto(`${inject('baseUrl')}/wiki/${entity.slug}/edit`);
    await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor();
    const editor = page.getByRole('textbox', { name: 'Page text' });
    await editor.click();
    await page.evaluate(() => {
      const html =
        '<h1>Pasted title</h1><p onclick="alert(1)">Safe <b>bold</b> <a href="javascript:alert(2)">bad link</a> <a href="https://example.org/x">good link</a><img src=x onerror="alert(3)"></p><script>alert(4)</script>' +
        '<h5>Small print</h5><table><tr><th>Party</th><th>Year</th></tr><tr><td colspan="2">Both, 1922</td></tr></table>' +
        '<table><tr><td>USSR</td><td>China</td><td>1950</td></tr><tr><td>Alliance</td></tr></table>' +
        '<table><tr><td colspan="5000">Across</td></tr></table>';
      const data = new DataTransfer();
      data.setData('text/html', html);
      data.setData('text/plain', 'Safe bold bad link good link');
      const target = document.querySelector('.ProseMirror')!;
      target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await eventually(async () => expect(await editor.textContent()).toContain('good link'));
    const html = await editor.innerHTML();
    expect(html).not.toMatch(/onclick|onerror|<script|javascript:/i);
    expect(html).toContain('href="https://example.org/x"');
    expect(html).toContain('<strong>bold</strong>');
    // A pasted h1 is not a second page title, nor an h5 plain text: section headings, levels 2 to 4.
    expect(html).toContain('<h2>Pasted title</h2>');
    expect(html).toContain('<h4>Small print</h4>');
    // A table pasted with a short row gets the missing cells (from the server), once.
    const widths = () => editor.locator('table').nth(1).evaluate((t: HTMLTableElement) => [...t.rows].map((r) => r.cells.length));
    await eventually(async () => expect(await widths()).toEqual([3, 3]));
    await page.waitForTimeout(300);
    expect(await widths()).toEqual([3, 3]);
    // Readers get the same: the headings, and the merged cell across both columns.
    await eventually(async () => {
      await page.goto(`${inject('baseUrl')}/wiki/${entity.slug}`);
      const article = page.locator('.doc-body');
      expect(await article.locator('h2', { hasText: 'Pasted title' }).count()).toBe(1);
      expect(await article.locator('h4', { hasText: 'Small print' }).count()).toBe(1);
      expect(await article.locator('td', { hasText: 'Both, 1922' }).getAttribute('colspan')).toBe('2');
      // A span as wide as HTML allows at most (a browser shows colspan="5000" as 1000), saved so rather than refused.
      expect(await article.locator('td', { hasText: 'Across' }).getAttribute('colspan')).toBe('1000');
    }, 8000);
    expect(await page.locator('h1').count()).toBe(1);
  });

  it('tables: rows and columns added and deleted through the toolbar while in one, live for the other editor and saved', async () => {
    const { entity, a, b } = await twoEditing('treaty', 'Tabled treaty ', ['tabler', 'reader']);
    const tableTools = a.getByRole('group', { name: 'Table' });
    // Each cell's text, without the other person's caret label (which sits inside the text).
    const shape = (page: Page) =>
      page.locator('.ProseMirror table').evaluate((t: HTMLTableElement) => {
        const table = t.cloneNode(true) as HTMLTableElement;
        table.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());
        return [...table.rows].map((r) => [...r.cells].map((c) => c.textContent));
      });

    await a.getByRole('textbox', { name: 'Page text' }).click();
    expect(await tableTools.count()).toBe(0); // only while the caret is in a table
    await a.getByRole('button', { name: 'Insert table' }).click();
    await a.keyboard.type('Signatory');
    await a.keyboard.press('Tab');
    await a.keyboard.type('Date');
    await eventually(async () => expect(await shape(b)).toEqual([['Signatory', 'Date', ''], ['', '', ''], ['', '', '']]));

    await tableTools.getByRole('button', { name: 'Add a column to the right' }).click(); // of the caret's, which stays in "Date"
    await a.keyboard.press('Tab');
    await a.keyboard.type('Place');
    await tableTools.getByRole('button', { name: 'Add a row below' }).click();
    await eventually(async () => expect(await shape(b)).toEqual([['Signatory', 'Date', 'Place', ''], ['', '', '', ''], ['', '', '', ''], ['', '', '', '']]));
    await tableTools.getByRole('button', { name: 'Delete this column' }).click();
    await eventually(async () => expect(await shape(b)).toEqual([['Signatory', 'Date', ''], ['', '', ''], ['', '', ''], ['', '', '']]));
    // The table's buttons are in the toolbar's one Tab stop, like the others.
    expect(await tableTools.getByRole('button').evaluateAll((buttons) => buttons.map((x) => (x as HTMLElement).tabIndex))).toEqual([-1, -1, -1, -1, -1]);

    // Saved: the API's body holds the table as the editors show it.
    type Node = { type: string; content?: Node[]; text?: string };
    const rows = (node: Node): string[][] =>
      node.type === 'table' ? (node.content ?? []).map((row) => (row.content ?? []).map((cell) => JSON.stringify(cell).match(/"text":"([^"]*)"/)?.[1] ?? '')) : (node.content ?? []).flatMap(rows);
    await eventually(async () => {
      const { body } = await getJson<{ body: Node }>(`/api/entities/${entity.id}`);
      expect(rows(body.body)).toEqual([['Signatory', 'Date', ''], ['', '', ''], ['', '', ''], ['', '', '']]);
    }, 8000);

    await tableTools.getByRole('button', { name: 'Delete the table' }).click();
    await eventually(async () => expect(await b.locator('.ProseMirror table').count()).toBe(0));
    await tableTools.waitFor({ state: 'detached' });
    // With the table's buttons gone, the toolbar still has its one Tab stop.
    expect(await a.getByRole('toolbar', { name: 'Formatting' }).getByRole('button').evaluateAll((buttons) => buttons.filter((x) => (x as HTMLElement).tabIndex === 0).length)).toBe(1);
  });

  it('tables: a row and a column added at once by two people give one more of each, undone the column goes whole, and a wide table scrolls inside the text', async () => {
    const { a, b } = await twoEditing('treaty', 'Widened treaty ', ['rower', 'columnist']);
    const widths = (page: Page) => page.locator('.ProseMirror table').evaluate((t: HTMLTableElement) => [...t.rows].map((r) => r.cells.length));
    await a.getByRole('textbox', { name: 'Page text' }).click();
    await a.getByRole('button', { name: 'Insert table' }).click();
    await eventually(async () => expect(await widths(b)).toEqual([3, 3, 3]));
    // Ben adds a column while cut off, Ann a row meanwhile: both changes are made before either hears of the other.
    await b.locator('.ProseMirror td').last().click();
    await b.context().setOffline(true);
    await b.locator('[data-testid="connection-status"][data-status="offline"]').waitFor();
    await b.getByRole('button', { name: 'Add a column to the right' }).click();
    await a.getByRole('button', { name: 'Add a row below' }).click();
    const annsRow = (page: Page) =>
      page
        .locator('.ProseMirror tr')
        .nth(1)
        .locator('td')
        .evaluateAll((cells) =>
          cells.map((cell) => {
            const clone = cell.cloneNode(true) as HTMLElement;
            clone.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove());
            return clone.textContent;
          }),
        );
    await a.locator('.ProseMirror tr').nth(1).locator('td').first().click();
    await a.keyboard.type('Ann');
    await b.context().setOffline(false);
    // Ann's row (below the heading row) was made with three cells: the server adds the fourth, once (before, both editors filled
    // it, then evened out each other's cells: 14 columns; then, neither did and it stayed one short until someone edited the table),
    // at its end: her text stays in the first column.
    for (const page of [a, b]) await eventually(async () => expect(await widths(page)).toEqual([4, 4, 4, 4]), 8000);
    await a.waitForTimeout(500);
    for (const page of [a, b]) expect(await widths(page)).toEqual([4, 4, 4, 4]);
    for (const page of [a, b]) expect(await annsRow(page)).toEqual(['Ann', '', '', '']);
    await a.keyboard.type('x'); // Ann's caret is still in the table: her edit changes nothing more of its shape
    await eventually(async () => expect(await documentText(b)).toBe('Annx'));
    for (const page of [a, b]) expect(await widths(page)).toEqual([4, 4, 4, 4]);
    // Ben undoes his column: it goes from every row, Ann's too (there the server had added its cell), and does not come back.
    await b.locator('.ProseMirror td').first().click();
    await b.keyboard.press('Control+z');
    for (const page of [a, b]) await eventually(async () => expect(await widths(page)).toEqual([3, 3, 3, 3]));
    await a.waitForTimeout(500);
    for (const page of [a, b]) expect(await widths(page)).toEqual([3, 3, 3, 3]);
    expect(await annsRow(b)).toEqual(['Annx', '', '']);

    // Twelve more columns: the table scrolls inside the text, the infobox stays beside it.
    for (let i = 0; i < 12; i++) await a.getByRole('button', { name: 'Add a column to the right' }).click();
    await eventually(async () => expect((await widths(b))[0]).toBe(15));
    const box = async (selector: string) => (await b.locator(selector).first().boundingBox())!;
    const [text, infobox] = [await box('.ProseMirror'), await box('aside')];
    expect(text.x + text.width).toBeLessThanOrEqual(infobox.x);
    expect(infobox.x + infobox.width).toBeLessThanOrEqual(b.viewportSize()!.width);
    expect(await b.locator('.ProseMirror table').evaluate((t) => t.scrollWidth > t.clientWidth)).toBe(true);
  });

  it('tables: typing in a table that another person\'s change left uneven, before the server evens it out, adds no cell of its own', async () => {
    // What the server sends to Ben's page waits while `held` is set, so that his editor can be shown another's change before the
    // server's repair of it.
    let held: (string | Buffer)[] | null = null;
    let toBen: ((message: string | Buffer) => void) | undefined;
    const { a, b } = await twoEditing('treaty', 'Typed-in treaty ', ['rowadder', 'cellwriter'], (page) =>
      page.routeWebSocket(/\/collab\//, (ws) => {
        const server = ws.connectToServer();
        ws.onMessage((message) => server.send(message));
        toBen = (message) => ws.send(message);
        server.onMessage((message) => (held ? held.push(message) : ws.send(message)));
      }),
    );
    const isUpdate = (message: string | Buffer) => typeof message !== 'string' && message[0] === 0 && message[1] === 2; // sync, update
    const widths = (page: Page) => page.locator('.ProseMirror table').evaluate((t: HTMLTableElement) => [...t.rows].map((r) => r.cells.length));
    await a.getByRole('textbox', { name: 'Page text' }).click();
    await a.getByRole('button', { name: 'Insert table' }).click();
    await eventually(async () => expect(await widths(b)).toEqual([3, 3, 3]));
    await b.locator('.ProseMirror td').last().click();
    held = [];
    // Ann adds a row, then Ben a column before he has her row: the server has both, evens out Ann's row, and sends Ben the row and the repair.
    await a.getByRole('button', { name: 'Add a row below' }).click();
    await eventually(() => expect(held!.filter(isUpdate).length).toBe(1));
    await b.getByRole('button', { name: 'Add a column to the right' }).click();
    await eventually(() => expect(held!.filter(isUpdate).length).toBe(2));
    // Ben's page gets Ann's row only, and he types in his cell meanwhile.
    const repairOnward = held!.findLastIndex(isUpdate);
    for (const message of held!.splice(0, repairOnward)) toBen!(message);
    await eventually(async () => expect(await widths(b)).toEqual([4, 3, 4, 4]));
    await b.keyboard.type('y');
    await b.waitForTimeout(300);
    for (const message of held!) toBen!(message);
    held = null;
    // One cell was missing, and one was added: by the server, not by Ben's editor as well.
    for (const page of [a, b]) await eventually(async () => expect(await widths(page)).toEqual([4, 4, 4, 4]));
    await a.waitForTimeout(500);
    for (const page of [a, b]) expect(await widths(page)).toEqual([4, 4, 4, 4]);
    await eventually(async () => expect(await documentText(a)).toBe('y'));
  });
});
