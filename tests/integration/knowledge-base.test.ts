import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appUrl, getJson } from '../helpers/http';
import { call, createUser, uniqueName } from '../helpers/users';
import { connectClient, disconnectAll, eventually } from '../helpers/collab';

type Card = { id: string; slug: string; type: string; title: string };
type Hit = Card & { match: string; snippet: string | null };

describe('entities API', () => {
  it('lists entities of a type with cursor pagination and no overlap', async () => {
    const first = await getJson<{ items: Card[]; nextCursor: string }>('/api/entities?type=person&limit=20');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(20);
    expect(first.body.items.every((e) => e.type === 'person')).toBe(true);
    const titles = first.body.items.map((e) => e.title);
    expect([...titles].sort((a, b) => (a < b ? -1 : 1))).toEqual(titles);
    const second = await getJson<{ items: Card[] }>(`/api/entities?type=person&limit=20&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.body.items.length).toBeGreaterThan(0);
    expect(second.body.items.some((e) => titles.includes(e.title))).toBe(false);
  });

  it('answers bad query parameters with a 400 JSON error', async () => {
    for (const q of ['type=alien', 'limit=0', 'limit=abc', 'limit=100000']) {
      const { status, body } = await getJson<{ error: { code: string; message: string } }>(`/api/entities?${q}`);
      expect(status, q).toBe(400);
      expect(body.error.code).toBe('bad_request');
    }
  });

  it('returns one entity by slug or id, with relations in both directions', async () => {
    const bySlug = await getJson<Card & { statements: { predicate: string; direction: string; entity: Card }[]; aliases: string[] }>('/api/entities/mikhail-borodin');
    expect(bySlug.status).toBe(200);
    expect(bySlug.body.title).toBe('Mikhail Borodin');
    expect(bySlug.body.statements.some((s) => s.direction === 'out' && s.entity.slug === 'comintern')).toBe(true);
    const byId = await getJson<Card>(`/api/entities/${bySlug.body.id}`);
    expect(byId.body.slug).toBe('mikhail-borodin');
    const comintern = await getJson<{ statements: { direction: string; entity: Card }[] }>('/api/entities/comintern');
    expect(comintern.body.statements.some((s) => s.direction === 'in' && s.entity.slug === 'mikhail-borodin')).toBe(true);
    const backlinks = await getJson<{ items: Card[] }>('/api/entities/comintern/backlinks');
    expect(backlinks.body.items.map((e) => e.slug)).toContain('mikhail-borodin');
  });

  it('404s unknown entities and sources as JSON', async () => {
    expect((await getJson('/api/entities/no-such-entity')).status).toBe(404);
    expect((await getJson('/api/entities/00000000-0000-4000-8000-000000000000/backlinks')).status).toBe(404);
    expect((await getJson('/api/sources/nope')).status).toBe(404);
  });
});

describe('sources API', () => {
  it('serves the three sources verbatim with every citation at its offsets', async () => {
    const list = await getJson<{ items: { id: string }[] }>('/api/sources');
    expect(list.body.items).toHaveLength(3);
    for (const { id } of list.body.items) {
      const { body } = await getJson<{ text: string; citations: { start: number; end: number; quote: string; entities: Card[] }[] }>(`/api/sources/${id}`);
      expect(body.citations.length).toBeGreaterThan(10);
      for (const c of body.citations) {
        expect(body.text.slice(c.start, c.end)).toBe(c.quote);
        expect(c.entities.length).toBeGreaterThan(0);
      }
    }
  });
});

describe('search', () => {
  const top = async (q: string) => (await getJson<{ items: Hit[] }>(`/api/search?q=${encodeURIComponent(q)}`)).body.items;

  it('finds entities by every spelling the texts use', async () => {
    expect((await top('Zinovyev'))[0].slug).toBe('grigory-zinoviev');
    expect((await top('zinoviev'))[0].slug).toBe('grigory-zinoviev');
    expect((await top('Gao Gan'))[0].slug).toBe('gao-gang');
    expect((await top('Peking'))[0].slug).toBe('china');
    expect((await top('KMT'))[0].slug).toBe('kuomintang');
  });

  it('tolerates typos in names', async () => {
    expect((await top('Borodn'))[0].slug).toBe('mikhail-borodin');
    expect((await top('Chiang Kai-shik'))[0].slug).toBe('chiang-kai-shek');
  });

  it('falls back to full text with a highlighted snippet', async () => {
    const hits = await top('Wu-han cities');
    const text = hits.find((h) => h.match === 'text');
    expect(text?.snippet).toMatch(/\[\[\[.+\]\]\]/);
  });

  it('is safe with any input: 200 or 400, never 500', async () => {
    for (const q of ['"', "'", '%', '_', '\\', '%_\\', "' OR 1=1 --", '😀 Stalin', '!!!', 'a & | ! :*', '<script>alert(1)</script>']) {
      const res = await fetch(appUrl(`/api/search?q=${encodeURIComponent(q)}`));
      expect([200, 400], q).toContain(res.status);
      expect(res.headers.get('content-type')).toContain('application/json');
    }
    const long = await fetch(appUrl(`/api/search?q=${'x'.repeat(10_000)}`));
    expect(long.status).toBe(400);
    expect((await fetch(appUrl('/api/search'))).status).toBe(400);
    const page = await fetch(appUrl(`/search?q=${encodeURIComponent('%_\\"😀')}`));
    expect(page.status).toBe(200);
    const longPage = await fetch(appUrl(`/search?q=${'y'.repeat(10_000)}`));
    expect(longPage.status).toBe(200);
    expect(await longPage.text()).toContain('too long');
  });
});

describe('pages', () => {
  afterEach(() => disconnectAll());

  it('renders an entity page with infobox, relations, backlinks and numbered references', async () => {
    const res = await fetch(appUrl('/wiki/mikhail-borodin'));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Mikhail Borodin');
    expect(html).toContain('aria-label="Infobox"');
    expect(html).toContain('Relations');
    expect(html).toContain('What links here');
    expect(html).toMatch(/id="ref-1"/);
    expect(html).toMatch(/href="\/sources\/[a-z-]+\?hl=\d+-\d+#c-\d+-\d+"/);
    expect(html).not.toContain('No source is cited on this page.');
    expect(html).not.toContain('This page has no text yet.');
  });

  it('links the names in an infobox to their pages: only pages the reader may see and one page alone names, never the page itself', async () => {
    const infobox = async (slug: string, cookie?: string) => {
      const html = await (await fetch(appUrl(`/wiki/${slug}`), { headers: cookie ? { cookie } : {} })).text();
      return html.slice(html.indexOf('aria-label="Infobox"'), html.indexOf('</aside>'));
    };
    // The seeded treaty's signatories have pages. The city it was signed in has none (Germany has
    // its name as an alias, for the sources' "Berlin" meaning the German government: not a place).
    const seeded = await infobox('treaty-of-berlin-1926');
    expect(seeded).toContain('<a href="/wiki/germany">Germany</a>');
    expect(seeded).toContain('<a href="/wiki/soviet-union">Soviet Union</a>');
    expect(seeded).toMatch(/>Place<\/dt><dd><span>Berlin<\/span>/);

    const author = await createUser('namer');
    const make = async (body: object) => ((await (await call('POST', '/api/entities', author, body)).json()) as { id: string; slug: string; title: string });
    const group = ((await (await call('POST', '/api/groups', author, { name: uniqueName('Namers ') })).json()) as { id: string }).id;
    const hidden = await make({ type: 'person', title: uniqueName('Hidden signatory '), groupId: group, visibility: 'group' });
    const twin = uniqueName('Twin signatory ');
    await make({ type: 'person', title: twin });
    await make({ type: 'party', title: twin });
    const treaty = await make({ type: 'treaty', title: uniqueName('Naming treaty ') });
    const client = connectClient(treaty.id, author.token);
    await client.synced;
    // A name is found however it is spelt (case, an alias), and shown as it was typed; a place by its page's title.
    client.doc.getMap('fields').set('signatories', ['GERMANY', 'USSR', hidden.title, twin, treaty.title]);
    client.doc.getMap('fields').set('place', 'soviet union');
    client.doc.getMap('fields').set('status', 'Germany'); // not a field that names a page

    const anonymous = await eventually(async () => {
      const box = await infobox(treaty.slug);
      expect(box).toContain(twin);
      return box;
    });
    expect(anonymous).toContain('<a href="/wiki/germany">GERMANY</a>');
    expect(anonymous).toContain('<a href="/wiki/soviet-union">USSR</a>');
    expect(anonymous).toContain('<a href="/wiki/soviet-union">soviet union</a>');
    expect(anonymous).toMatch(/>Status<\/dt><dd><span>Germany<\/span>/);
    expect(anonymous).toContain(`<li>${twin}</li>`); // two pages have that name
    expect(anonymous).toContain(`<li>${treaty.title}</li>`); // the page itself
    expect(anonymous).toContain(`<li>${hidden.title}</li>`); // a page the reader may not see
    expect(anonymous).not.toContain(hidden.slug);
    // A member of the group sees the link to its page.
    expect(await infobox(treaty.slug, author.cookie)).toContain(`<a href="/wiki/${hidden.slug}">${hidden.title}</a>`);
  });

  it('an article of more than three sections gets a numbered table of contents after its lead, each entry leading to its heading', async () => {
    const author = await createUser('sectioner');
    const entity = (await (await call('POST', '/api/entities', author, { type: 'person', title: uniqueName('Sectioned person ') })).json()) as { id: string; slug: string };
    const client = connectClient(entity.id, author.token);
    await client.synced;
    const block = (name: string, text: string, level?: number) => {
      const element = new Y.XmlElement(name);
      if (level) element.setAttribute('level', level as never);
      element.insert(0, [new Y.XmlText(text)]);
      return element;
    };
    const body = client.doc.getXmlFragment('body');
    client.doc.transact(() => {
      body.delete(0, body.length);
      body.insert(0, [block('paragraph', 'The lead.'), block('heading', 'Early life', 2), block('paragraph', 'Born.'), block('heading', 'In Vilnius', 3), block('heading', 'China', 2), block('heading', 'China', 2)]);
    });
    /** The table of contents as [anchor, number, text], and where it and the text's parts are in the page. */
    const contentsOf = (html: string) => {
      const nav = html.slice(html.indexOf('<nav aria-label="Contents"'), html.indexOf('</nav>', html.indexOf('<nav aria-label="Contents"')));
      return [...nav.matchAll(/href="#([^"]+)"[^>]*><span[^>]*>([\d.]+)<\/span> ([^<]*)<\/a>/g)].map((m) => [m[1], m[2], m[3]]);
    };
    const html = await eventually(async () => {
      const page = await (await fetch(appUrl(`/wiki/${entity.slug}`))).text();
      expect(page).toContain('<nav aria-label="Contents"');
      return page;
    });
    expect(contentsOf(html)).toEqual([
      ['Early_life', '1', 'Early life'],
      ['In_Vilnius', '1.1', 'In Vilnius'],
      ['China', '2', 'China'],
      ['China_2', '3', 'China'],
      ['relations-heading', '4', 'Relations'],
      ['links-heading', '5', 'What links here'],
      ['refs-heading', '6', 'References'],
    ]);
    // Every anchor is on its heading, once; the contents come after the lead, before the first section.
    for (const [id] of contentsOf(html)) expect(html.split(` id="${id}"`), id).toHaveLength(2);
    expect(html).toContain('<h2 id="Early_life">Early life</h2>');
    expect(html).toContain('<h3 id="In_Vilnius">In Vilnius</h3>');
    expect(html.indexOf('<p>The lead.</p>')).toBeLessThan(html.indexOf('<nav aria-label="Contents"'));
    expect(html.indexOf('<nav aria-label="Contents"')).toBeLessThan(html.indexOf('<h2 id="Early_life">'));

    // A saved revision shows its own contents.
    const saved = (await (await call('POST', `/api/entities/${entity.id}/revisions`, author, { summary: 'Sections' })).json()) as { revision: { id: string } };
    const revision = await (await fetch(appUrl(`/revisions/${saved.revision.id}`))).text();
    expect(contentsOf(revision).map(([id, n, text]) => `${n} ${text} #${id}`)).toEqual(['1 Early life #Early_life', '1.1 In Vilnius #In_Vilnius', '2 China #China', '3 China #China_2', '4 Relations (in this revision) #relations-heading', '5 References #refs-heading']);

    // Three sections are not enough for one; the headings keep their anchors.
    body.delete(body.length - 1, 1);
    const fewer = await eventually(async () => {
      const page = await (await fetch(appUrl(`/wiki/${entity.slug}`))).text();
      expect(page).not.toContain('aria-label="Contents"');
      return page;
    });
    expect(fewer).toContain('<h2 id="China">China</h2>');
  });

  it('a new page says it has no text yet and cites no source, rather than showing empty sections', async () => {
    const author = await createUser('uncited');
    const entity = (await (await call('POST', '/api/entities', author, { type: 'event', title: uniqueName('Uncited meeting ') })).json()) as { slug: string };
    const html = await (await fetch(appUrl(`/wiki/${entity.slug}`))).text();
    expect(html).toMatch(/>References<\/h2><p[^>]*>No source is cited on this page\.<\/p>/);
    // Its text is the editor's one empty paragraph: the page says it has none, and its author is offered to write some.
    expect(html).toContain('This page has no text yet.');
    const own = await (await fetch(appUrl(`/wiki/${entity.slug}`), { headers: { cookie: author.cookie } })).text();
    expect(own.replaceAll('<!-- -->', '')).toContain(`This page has no text yet. <a href="/wiki/${entity.slug}/edit">Write some</a>.`);
  });

  it('redirects an alias to its entity', async () => {
    const res = await fetch(appUrl('/wiki/zinovyev'), { redirect: 'manual' });
    expect([301, 307, 308]).toContain(res.status);
    expect(res.headers.get('location')).toMatch(/\/wiki\/grigory-zinoviev$/);
  });

  it('answers an unknown slug with a 404 that suggests close matches', async () => {
    const res = await fetch(appUrl('/wiki/borodn'));
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('Did you mean');
    expect(html).toContain('Mikhail Borodin');
  });

  it('renders the type indexes with A–Z and filters', async () => {
    const res = await fetch(appUrl('/people?letter=M'));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Mao Zedong');
    expect(html).not.toContain('>Joseph Stalin<');
    expect((await fetch(appUrl('/no-such-index'))).status).toBe(404);
  });

  it('draws the timeline in date order and filters it by a person', async () => {
    const all = await (await fetch(appUrl('/timeline'))).text();
    expect(all).toContain('<svg');
    const dates = [...all.matchAll(/<time dateTime="(\d{4}-\d{2}-\d{2})"/g)].map((m) => m[1]);
    expect(dates.length).toBeGreaterThan(50);
    expect([...dates].sort()).toEqual(dates);
    const filtered = await (await fetch(appUrl('/timeline?person=mao-zedong'))).text();
    const count = [...filtered.matchAll(/<time dateTime=/g)].length;
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(dates.length);
  });

  it('shows a source with highlighted passages and de-emphasised furniture', async () => {
    const html = await (await fetch(appUrl('/sources/myth-of-chinese-non-intervention'))).text();
    expect(html).toMatch(/<mark[^>]*>/);
    expect(html).toContain('class="furniture"');
    expect(html).toContain('Cited passages');
  });

  it('serves the relation graph page', async () => {
    const res = await fetch(appUrl('/wiki/mikhail-borodin/graph'));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('within two relations of');
  });
});
