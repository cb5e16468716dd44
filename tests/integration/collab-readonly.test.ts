import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { appUrl, getJson } from '../helpers/http';

const providers: WebsocketProvider[] = [];
afterEach(() => {
  for (const p of providers.splice(0)) p.destroy();
});

function connect(entityId: string): { doc: Y.Doc; provider: WebsocketProvider; synced: Promise<void> } {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(appUrl('/collab').replace(/^http/, 'ws'), entityId, doc, { WebSocketPolyfill: WebSocket as never, disableBc: true });
  providers.push(provider);
  const synced = new Promise<void>((resolve) => provider.once('sync', (s: boolean) => s && resolve()));
  return { doc, provider, synced };
}

async function entityId(slug: string): Promise<string> {
  return (await getJson<{ id: string }>(`/api/entities/${slug}`)).body.id;
}

describe('collaboration socket (read-only)', () => {
  it('sends a real y-websocket client the stored document', async () => {
    const { doc, synced } = connect(await entityId('mikhail-borodin'));
    await synced;
    expect(doc.getMap('fields').toJSON().title).toBe('Mikhail Borodin');
    expect(doc.getXmlFragment('body').length).toBeGreaterThan(0);
    expect(doc.getArray('statements').length).toBeGreaterThan(0);
  });

  it('refuses edits: a later client still sees the stored content', async () => {
    const id = await entityId('treaty-of-rapallo');
    const a = connect(id);
    await a.synced;
    a.doc.getMap('fields').set('title', 'Vandalised');
    await new Promise((r) => setTimeout(r, 300));
    const b = connect(id);
    await b.synced;
    expect(b.doc.getMap('fields').toJSON().title).toBe('Treaty of Rapallo');
    expect((await getJson<{ title: string }>(`/api/entities/${id}`)).body.title).toBe('Treaty of Rapallo');
  });

  it('closes only the socket that sends malformed frames', async () => {
    const id = await entityId('comintern');
    const good = connect(id);
    await good.synced;
    // A huge varint, a sync message cut short, a first sync step 1 whose state vector is cut short, a text frame.
    for (const frame of [Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), Buffer.from([0, 1]), Buffer.from([0, 0, 5, 1]), 'hello']) {
      const bad = new WebSocket(appUrl(`/collab/${id}`).replace(/^http/, 'ws'));
      await new Promise((resolve) => bad.once('open', resolve));
      const closed = new Promise<number>((resolve) => bad.once('close', (code) => resolve(code)));
      bad.send(frame);
      expect(await closed).toBe(1007);
    }
    expect(good.provider.wsconnected).toBe(true);
    expect((await getJson<{ ok: boolean }>('/api/health')).body.ok).toBe(true);
  });

  it('refuses frames over 2 MB with close code 1009', async () => {
    const id = await entityId('comintern');
    const big = new WebSocket(appUrl(`/collab/${id}`).replace(/^http/, 'ws'));
    await new Promise((resolve) => big.once('open', resolve));
    const closed = new Promise<number>((resolve) => big.once('close', (code) => resolve(code)));
    big.send(Buffer.alloc(2 * 1024 * 1024 + 10));
    expect(await closed).toBe(1009);
  });
});
