// The loopback playground against other web pages: CSRF by a cross-site post, DNS rebinding, wrong content types.
// Also: staff may try many questions in a row (no residents' rate limit on the playground).
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';

/** A raw request, so that Host and Origin can be set as a browser on another site would send them. */
function raw(url: string, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('the playground API refuses requests another web page could make', () => {
  let s: TestServer;
  let host: string;
  beforeAll(async () => {
    s = await startTestServer();
    host = new URL(s.url).host;
  });
  afterAll(() => s?.close());
  const ask = JSON.stringify({ text: 'kích hoạt tài khoản', chatId: 'o1' });

  it('answers a same-origin JSON post', async () => {
    const r = await raw(s.url, '/api/ask', { method: 'POST', headers: { host, origin: `http://${host}`, 'content-type': 'application/json' }, body: ask });
    expect(r.status).toBe(200);
  });

  it('refuses text/plain and form posts (415) — what a cross-site form can send without a preflight', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) {
      const r = await raw(s.url, '/api/ask', { method: 'POST', headers: { host, ...(type ? { 'content-type': type } : {}) }, body: ask });
      expect(r.status, type).toBe(415);
    }
  });

  it('refuses a post whose Origin is another site (403)', async () => {
    const r = await raw(s.url, '/api/ask', { method: 'POST', headers: { host, origin: 'https://evil.example', 'content-type': 'application/json' }, body: ask });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error).toBe('cross_origin');
  });

  it('refuses a Host that is not this machine (DNS rebinding), for the page and /api/report', async () => {
    for (const path of ['/', '/api/report?days=30', '/api/status']) {
      const r = await raw(s.url, path, { headers: { host: `rebind.evil.example:${new URL(s.url).port}` } });
      expect(r.status, path).toBe(403);
    }
    expect((await raw(s.url, '/api/status', { headers: { host: `localhost:${new URL(s.url).port}` } })).status).toBe(200);
  });

  it('does not rate-limit staff trying 40 questions in a row', async () => {
    const kinds = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const r = await fetch(`${s.url}api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'kích hoạt tài khoản', chatId: 'staff' }) });
      kinds.add((await r.json()).reply.kind);
    }
    expect([...kinds]).toEqual(['answer']);
  });
});
