import { describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { appUrl, getJson } from '../helpers/http';

describe('platform', () => {
  it('reports health with the database in use and the latest migration', async () => {
    const { status, body } = await getJson<{ ok: boolean; database: string; migration: string }>('/api/health');
    expect(status).toBe(200);
    expect(body).toEqual({ ok: true, database: inject('databaseKind'), migration: expect.stringMatching(/^\d{4}_/) });
  });

  it('serves the home page with the site navigation', async () => {
    const res = await fetch(appUrl('/'));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Annals');
    for (const label of ['People', 'Parties', 'Treaties', 'Events', 'Timeline']) expect(html).toContain(`>${label}<`);
  });

  it('answers unknown API routes with a JSON 404', async () => {
    for (const method of ['GET', 'POST', 'DELETE']) {
      const res = await fetch(appUrl('/api/does-not-exist/at/all'), { method });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/json');
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('not_found');
    }
  });

  it('answers unknown pages with the not-found page', async () => {
    const res = await fetch(appUrl('/no/such/page'));
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Page not found');
  });

  it('refuses a WebSocket upgrade for a document that does not exist', async () => {
    const ws = new WebSocket(appUrl('/collab/00000000-0000-4000-8000-000000000000').replace('http', 'ws'));
    const status = await new Promise<number>((resolve, reject) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => reject(new Error('upgrade should have been refused')));
      ws.on('error', () => {});
    });
    expect(status).toBe(404);
  });

  it('answers addresses with malformed percent-encoding with a 400, for pages, the API and the socket', async () => {
    const page = await fetch(appUrl('/wiki/%ff'));
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('malformed');
    const api = await fetch(appUrl('/api/entities/%E0%A4%A'));
    expect(api.status).toBe(400);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    const ws = new WebSocket(appUrl('/collab/%ZZ').replace('http', 'ws'));
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => resolve(0));
    });
    expect(status).toBe(404);
    expect((await fetch(appUrl('/api/health'))).status).toBe(200);
  });

  it('refuses upgrades on paths other than /collab/', async () => {
    const ws = new WebSocket(appUrl('/somewhere-else').replace('http', 'ws'));
    const outcome = await new Promise<string>((resolve) => {
      ws.on('open', () => resolve('open'));
      ws.on('error', () => resolve('refused'));
      ws.on('unexpected-response', () => resolve('refused'));
    });
    expect(outcome).toBe('refused');
  });
});
