// The HTTP server, route by route, on 127.0.0.1:<free port> with the fixture content.
import { networkInterfaces } from 'node:os';
import { request } from 'node:http';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/channels/types.js';
import { offChannel } from '../../src/server/channels.js';
import type { ServerRuntime } from '../../src/server/runtime.js';
import { startTestServer, type TestServer } from './helpers.js';

// jsqr is CommonJS with a default export: under NodeNext the default import is the module object.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule.default }).default ?? jsQRModule) as typeof jsQRModule.default;

const QUESTION = 'bao lâu phải kích hoạt vneid';

const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('the server, for a staff member on this machine', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('serves the playground page with a strict content security policy', async () => {
    const res = await fetch(s.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('Thử câu hỏi');
    for (const asset of ['/playground/app.js', '/playground/style.css']) {
      const a = await fetch(new URL(asset, s.url));
      expect(a.status, asset).toBe(200);
      expect((await a.text()).length).toBeGreaterThan(100);
    }
  });

  it('answers a question through /api/ask with the reply, its plain text and the debug details', async () => {
    const res = await postJson(`${s.url}api/ask`, { text: QUESTION, chatId: 'http-1' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.reply.kind).toBe('answer');
    expect(body.reply.entryId).toBe('kich-hoat-thoi-han');
    expect(body.plain).toContain('07 ngày');
    expect(body.debug.decision).toBe('answer');
    expect(body.debug.candidates[0].id).toBe('kich-hoat-thoi-han');
    expect(body.version).toBe(s.runtime.content().version);
  });

  it('opens a choice sent as {choice}', async () => {
    const res = await postJson(`${s.url}api/ask`, { choice: 'e:kich-hoat-otp', chatId: 'http-1' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.reply.kind).toBe('answer');
    expect(body.reply.entryId).toBe('kich-hoat-otp');
  });

  it('reports content and reload status on /api/status', async () => {
    const res = await fetch(`${s.url}api/status`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ version: s.runtime.content().version, entries: 2, topics: 1, reload: { ok: true, errors: [] } });
    expect(body.channels.telegram.state).toBe('off');
  });

  it('rejects malformed JSON, wrong shapes and bad chat ids with 400', async () => {
    const cases: unknown[] = ['{"text": ', '[1]', {}, { text: 5 }, { text: 'a', choice: 'm' }, { text: 'a', chatId: '../x' }, { choice: '' }];
    for (const body of cases) {
      const res = await postJson(`${s.url}api/ask`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const j = await res.json();
      expect(j.error).toMatch(/^bad_/);
      expect(typeof j.message).toBe('string');
    }
  });

  it('refuses a body over 64 KB with 413', async () => {
    const res = await postJson(`${s.url}api/ask`, { text: 'a'.repeat(70 * 1024) });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toBe('too_large');
  });

  it('refuses an oversized body sent without a length (chunked) with 413', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${s.url}api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(16 * 1024, 'a');
      for (let i = 0; i < 5; i++) req.write(chunk);
      req.end();
    });
    expect(status).toBe(413);
  });

  it('answers the wrong method with 405 and an Allow header', async () => {
    const get = await fetch(`${s.url}api/ask`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const post = await fetch(`${s.url}healthz`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('answers an unknown route with a JSON 404', async () => {
    for (const path of ['nope', 'api/nope', 'playground/../../package.json', 'playground/index.html', 'qr/', 'qr/VNEID.png']) {
      const res = await fetch(`${s.url}${path}`);
      expect(res.status, path).toBe(404);
      expect((await res.json()).error).toBe('not_found');
    }
  });

  it('serves a QR image of a verified link that decodes to its URL', async () => {
    const res = await fetch(`${s.url}qr/vneid-web.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toContain('max-age=');
    const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
    const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(code?.data).toBe('https://vneid.gov.vn');
  });

  it('has no QR image for an unknown or an unverified link', async () => {
    expect((await fetch(`${s.url}qr/khong-co.png`)).status).toBe(404);
    expect((await fetch(`${s.url}qr/vneid-ios.png`)).status).toBe(404);
  });

  it('reports health: version, entries, last reload, each channel and uptime', async () => {
    const res = await fetch(`${s.url}healthz`);
    expect(res.status).toBe(200);
    const h = await res.json();
    expect(h).toMatchObject({
      status: 'ok',
      version: s.runtime.content().version,
      entries: 2,
      reload: { ok: true, errors: [] },
      channels: { telegram: { state: 'off', reason: 'TELEGRAM_BOT_TOKEN is not set' }, zalo: { state: 'off' } },
    });
    expect(h.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('exports Prometheus metrics, counting the playground messages', async () => {
    await postJson(`${s.url}api/ask`, { text: 'câu này không khớp gì cả xyz', chatId: 'http-2' });
    const res = await fetch(`${s.url}metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/vneid_messages_total\{channel="web",kind="answer"\} [1-9]/);
    expect(text).toMatch(/vneid_fallbacks_total\{channel="web"\} [1-9]/);
    expect(text).toMatch(/vneid_reply_latency_seconds_count\{channel="web"\} [1-9]/);
    expect(text).toContain('vneid_content_entries 2');
    expect(text).toContain('vneid_content_reload_failures_total 0');
  });

  it('never logs a resident’s phone or ID number, nor the query string', async () => {
    await postJson(`${s.url}api/ask`, { text: 'sdt cua toi la 0912 345 678, cccd 001203004567', chatId: 'http-3' });
    await fetch(`${s.url}healthz?token=abcdef-secret`);
    const log = s.logs.join('');
    expect(log).toContain('playground question');
    expect(log).not.toContain('0912 345 678');
    expect(log).not.toContain('001203004567');
    expect(log).not.toContain('abcdef-secret');
  });
});

describe('the playground for a client on another machine', () => {
  let s: TestServer;
  // The remote client is simulated by injecting the loopback check (every request counts as remote):
  // it exercises the same gate on the same sockets, and works on machines with only a loopback interface.
  // The real check on socket addresses is covered below by binding to a non-loopback address if one exists.
  beforeAll(async () => {
    s = await startTestServer({ isLoopback: () => false });
  });
  afterAll(() => s.close());

  it('is refused (403) when no PLAYGROUND_TOKEN is set: a sentence for the page, JSON for the API', async () => {
    const page = await fetch(s.url);
    expect(page.status).toBe(403);
    expect(page.headers.get('content-type')).toContain('text/plain');
    expect(await page.text()).toContain('PLAYGROUND_TOKEN');
    for (const [path, init] of [
      ['api/status', {}],
      ['api/ask', { method: 'POST', body: JSON.stringify({ text: QUESTION }) }],
    ] as const) {
      const res = await fetch(`${s.url}${path}`, init);
      expect(res.status, path).toBe(403);
      expect((await res.json()).error).toBe('loopback_only');
    }
  });

  it('still gets the public routes: health, metrics and QR images', async () => {
    expect((await fetch(`${s.url}healthz`)).status).toBe(200);
    expect((await fetch(`${s.url}metrics`)).status).toBe(200);
    expect((await fetch(`${s.url}qr/vneid-web.png`)).status).toBe(200);
  });
});

const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe.skipIf(!externalAddress)('the real loopback check, on a non-loopback address of this machine', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ host: externalAddress });
  });
  afterAll(() => s.close());

  it('refuses the playground to a client connecting from that address', async () => {
    // The client connects from the machine's own external address, so the socket is not loopback.
    expect(s.url).toContain(externalAddress!);
    const res = await fetch(`${s.url}api/status`);
    expect(res.status).toBe(403);
    expect((await fetch(`${s.url}healthz`)).status).toBe(200);
  });
});

describe('the playground with PLAYGROUND_TOKEN set', () => {
  const TOKEN = 'pg-token-0123456789';
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ playgroundToken: TOKEN, isLoopback: () => false });
  });
  afterAll(() => s.close());

  it('requires the token on every playground request, even from this machine (401)', async () => {
    const local = await startTestServer({ playgroundToken: TOKEN });
    try {
      for (const path of ['', 'playground/app.js', 'api/status']) {
        const res = await fetch(`${local.url}${path}`);
        expect(res.status, path).toBe(401);
        expect(res.headers.get('www-authenticate')).toContain('Bearer');
        expect(await res.text()).toContain('?token=');
      }
      expect((await postJson(`${local.url}api/ask`, { text: QUESTION })).status).toBe(401);
    } finally {
      await local.close();
    }
  });

  it('accepts Authorization: Bearer <token>', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await fetch(`${s.url}api/status`, { headers: auth })).status).toBe(200);
    const res = await postJson(`${s.url}api/ask`, { text: QUESTION }, auth);
    expect(res.status).toBe(200);
    expect((await res.json()).reply.entryId).toBe('kich-hoat-thoi-han');
  });

  it('refuses a wrong token, a wrong cookie and a token of another length', async () => {
    for (const headers of <Record<string, string>[]>[
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: 'Bearer x' },
      { authorization: `Basic ${TOKEN}` },
      { cookie: `vneid_playground=${TOKEN}` },
    ]) {
      const res = await fetch(`${s.url}api/status`, { headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(await res.text()).not.toContain(TOKEN);
    }
    expect((await fetch(`${s.url}?token=wrong`, { redirect: 'manual' })).status).toBe(401);
  });

  it('turns ?token= into an HttpOnly cookie, drops it from the address, and the cookie then opens every page', async () => {
    const first = await fetch(`${s.url}?token=${TOKEN}`, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const setCookie = first.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^vneid_playground=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=\//);
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(';')[0];
    const page = await fetch(s.url, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain(TOKEN);
    const ask = await postJson(`${s.url}api/ask`, { text: QUESTION }, { cookie });
    expect(ask.status).toBe(200);
  });

  it('accepts ?token= on an API call too', async () => {
    const res = await fetch(`${s.url}api/status?token=${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toContain('HttpOnly');
  });
});

describe('webhook routes of channels in webhook mode', () => {
  let s: TestServer;
  const received: { body: string; secret?: string }[] = [];
  const hooked: Channel = {
    ...offChannel('telegram', ''),
    status: () => ({ state: 'webhook' }),
    webhook: {
      path: '/webhook/telegram',
      handle(req, res, body) {
        received.push({ body: body.toString('utf8'), secret: req.headers['x-telegram-bot-api-secret-token'] as string | undefined });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      },
    },
  };
  beforeAll(async () => {
    s = await startTestServer({ channels: [hooked, offChannel('zalo', 'ZALO_BOT_TOKEN is not set')], isLoopback: () => false });
  });
  afterAll(() => s.close());

  it('passes the raw POST body to the channel, from any client', async () => {
    const res = await fetch(`${s.url}webhook/telegram`, {
      method: 'POST',
      headers: { 'x-telegram-bot-api-secret-token': 's3cret-s3cret-s3cret' },
      body: '{"update_id":1}',
    });
    expect(res.status).toBe(200);
    expect(received).toEqual([{ body: '{"update_id":1}', secret: 's3cret-s3cret-s3cret' }]);
  });

  it('answers GET with 405 and an oversized update with 413', async () => {
    expect((await fetch(`${s.url}webhook/telegram`)).status).toBe(405);
    const big = await fetch(`${s.url}webhook/telegram`, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) });
    expect(big.status).toBe(413);
    expect(received).toHaveLength(1);
  });

  it('shows the channel state on /healthz', async () => {
    const h = await (await fetch(`${s.url}healthz`)).json();
    expect(h.channels.telegram).toEqual({ state: 'webhook' });
  });

  it('has no webhook route for a channel that is off', async () => {
    expect((await fetch(`${s.url}webhook/zalo`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});

describe('when something breaks inside the server', () => {
  let s: TestServer;
  let base: TestServer;
  beforeAll(async () => {
    base = await startTestServer();
    const broken: ServerRuntime = {
      ...base.runtime,
      engine: () => ({
        handle() {
          throw new Error('secret internal detail at /home/bot/src/engine.ts:12');
        },
      }),
    };
    s = await startTestServer({ runtime: broken });
  });
  afterAll(async () => {
    await s.close();
    await base.close();
  });

  it('answers 500 with a plain message: no stack trace, no internal detail', async () => {
    const res = await postJson(`${s.url}api/ask`, { text: QUESTION });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: 'internal', message: expect.any(String) });
    expect(text).not.toContain('secret internal detail');
    expect(text).not.toMatch(/\bat \S+:\d+/);
    // …and the health report still comes back.
    expect((await fetch(`${s.url}healthz`)).status).toBe(200);
  });

  it('survives an error event of the listening socket (EMFILE on accept) and logs it', async () => {
    const err = Object.assign(new Error('accept EMFILE'), { code: 'EMFILE' });
    expect(() => s.server.emit('error', err)).not.toThrow();
    expect(s.logs.join('')).toContain('EMFILE');
    expect((await fetch(`${s.url}healthz`)).status).toBe(200);
  });
});
