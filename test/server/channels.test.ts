// The server wired to the real Telegram and Zalo channels (as src/main.ts wires them), against the local
// fake Bot API servers: webhook routes are mounted, /healthz shows each channel's state, replies go out,
// metrics count them, and stopping lets them finish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/channels/types.js';
import { loadConfig } from '../../src/config.js';
import { createChannels, startChannels, stopChannels } from '../../src/server/channels.js';
import { FakeTelegramApi } from '../channels/telegram/fake-api.js';
import { FakeZaloApi, textUpdate } from '../channels/zalo/fake-zalo.js';
import { createZaloChannel } from '../../src/channels/zalo/index.js';
import { logCapture, startTestServer, waitFor, type TestServer } from './helpers.js';

const TG_TOKEN = '7123456789:AAH-fakeTokenForServerTests_0123456789';
const TG_SECRET = 'tg_webhook_secret_0123456789';
const ZALO_TOKEN = '1234567890:zaloFakeTokenForServerTests';
const ZALO_SECRET = 'zalo-webhook-secret-0123';
const QUESTION = 'bao lâu phải kích hoạt vneid';

describe('the server with Telegram and Zalo in webhook mode', () => {
  let tg: FakeTelegramApi;
  let zalo: FakeZaloApi;
  let s: TestServer;
  let channels: Channel[];
  const { logger, lines } = logCapture();

  beforeAll(async () => {
    tg = await new FakeTelegramApi({ token: TG_TOKEN }).start();
    zalo = await new FakeZaloApi({ token: ZALO_TOKEN }).listen();
    const config = loadConfig({
      PUBLIC_URL: 'https://bot.example.vn',
      TELEGRAM_BOT_TOKEN: TG_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
      TELEGRAM_API_ROOT: tg.apiRoot,
      ZALO_BOT_TOKEN: ZALO_TOKEN,
      ZALO_WEBHOOK_SECRET: ZALO_SECRET,
      ZALO_API_ROOT: zalo.url,
    });
    // The channels need the runtime, the server needs the channels: build the runtime first through a
    // server with no channels, then a second server on the same runtime and metrics with the channels.
    const base = await startTestServer();
    channels = createChannels(config, { runtime: base.runtime, logger, hooks: base.metrics.hooks, publicUrl: config.publicUrl });
    s = await startTestServer({ runtime: base.runtime, metrics: base.metrics, channels, onClose: () => base.close() });
    await startChannels(channels, logger);
  });

  afterAll(async () => {
    await stopChannels(channels, logger, 2000);
    await s.close();
    await tg.close();
    await zalo.close();
  });

  it('registered both webhooks at PUBLIC_URL and reports them on /healthz', async () => {
    expect(tg.of('setWebhook')[0]?.body.url).toBe('https://bot.example.vn/webhook/telegram');
    expect(zalo.callsOf('setWebhook')[0]?.body.url).toBe('https://bot.example.vn/webhook/zalo');
    const h = await (await fetch(`${s.url}healthz`)).json();
    expect(h.channels).toEqual({ telegram: { state: 'webhook' }, zalo: { state: 'webhook' } });
  });

  it('answers a Telegram update posted to /webhook/telegram, and refuses a wrong secret', async () => {
    expect(await FakeTelegramApi.postWebhook(`${s.url}webhook/telegram`, { update_id: 1 }, 'wrong-secret-0123456789')).toBeGreaterThanOrEqual(401);
    const update = {
      update_id: 5001,
      message: { message_id: 1, date: 1_700_000_000, chat: { id: 4242, type: 'private' }, from: { id: 4242, is_bot: false, first_name: 'A' }, text: QUESTION },
    };
    expect(await FakeTelegramApi.postWebhook(`${s.url}webhook/telegram`, update, TG_SECRET)).toBe(200);
    const sent = await tg.waitFor(() => tg.delivered(4242)[0], 5000, 'the Telegram reply');
    expect(sent.shown).toContain('07 ngày');
  });

  it('refuses a wrong or missing secret before the body is sent (Telegram and Zalo)', async () => {
    const { request } = await import('node:http');
    const statusBeforeBody = (path: string, headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        // Announces 900 KB but sends none of it: only an answer given on the headers alone can arrive.
        const req = request(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(900_000), ...headers } });
        req.on('response', (res) => {
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
        req.on('error', () => undefined);
        req.flushHeaders();
        setTimeout(() => reject(new Error(`${path}: no answer before the body`)), 3000).unref();
      });
    expect(await statusBeforeBody('webhook/telegram', { 'x-telegram-bot-api-secret-token': 'wrong-secret-0123456789' })).toBe(403);
    expect(await statusBeforeBody('webhook/telegram', {})).toBe(401);
    expect(await statusBeforeBody('webhook/zalo', { 'x-bot-api-secret-token': 'wrong-secret-0123456789' })).toBe(403);
    expect(await statusBeforeBody('webhook/zalo', {})).toBe(401);
  });

  it('answers a Zalo update posted to /webhook/zalo, and refuses a missing secret', async () => {
    const post = (secret?: string) =>
      fetch(`${s.url}webhook/zalo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(secret ? { 'x-bot-api-secret-token': secret } : {}) },
        body: JSON.stringify(textUpdate('zchat-1', QUESTION, 'zmsg-1')),
      });
    expect((await post()).status).toBe(401);
    expect((await post(ZALO_SECRET)).status).toBe(200);
    await waitFor(() => zalo.sentTexts('zchat-1').length > 0, 5000, 'the Zalo reply');
    expect(zalo.sentTexts('zchat-1').join('\n')).toContain('07 ngày');
  });

  it('counts both channels in the metrics, and logs neither token nor secret', async () => {
    const text = await (await fetch(`${s.url}metrics`)).text();
    expect(text).toMatch(/vneid_messages_total\{channel="telegram",kind="answer"\} 1/);
    expect(text).toMatch(/vneid_messages_total\{channel="zalo",kind="answer"\} 1/);
    const log = lines.join('') + s.logs.join('');
    for (const secret of [TG_TOKEN, TG_SECRET, ZALO_TOKEN, ZALO_SECRET]) expect(log).not.toContain(secret);
  });
});

describe('a channel that cannot reach its API at start (the network comes up after the bot)', () => {
  /** A channel whose start() fails `failures` times with `err`, then succeeds. */
  function flaky(failures: number, err: Error & { code?: number }): Channel & { starts: number } {
    let state: 'off' | 'error' | 'polling' = 'off';
    const c = {
      name: 'zalo' as const,
      starts: 0,
      status: () => ({ state }),
      async start() {
        c.starts++;
        if (c.starts <= failures) {
          state = 'error';
          throw err;
        }
        state = 'polling';
      },
      stop: async () => {},
    };
    return c;
  }

  it('is started again later, and runs once the API answers', async () => {
    const { logger, lines } = logCapture();
    const c = flaky(2, Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 0 }));
    const cancel = await startChannels([c], logger, { firstMs: 10, maxMs: 20 });
    expect(c.status().state).toBe('error');
    await waitFor(() => c.status().state === 'polling', 2000, 'the channel to start on a retry');
    expect(c.starts).toBe(3);
    expect(lines.join('')).toContain('retrying in');
    cancel();
  });

  it('is not retried when the platform rejected the token', async () => {
    const { logger } = logCapture();
    const c = flaky(5, Object.assign(new Error('token rejected'), { code: 401 }));
    const cancel = await startChannels([c], logger, { firstMs: 10, maxMs: 20 });
    await new Promise((r) => setTimeout(r, 80));
    expect(c.starts).toBe(1);
    cancel();
  });

  it('stops retrying once the bot is stopping', async () => {
    const { logger } = logCapture();
    const c = flaky(100, new Error('ECONNREFUSED'));
    const cancel = await startChannels([c], logger, { firstMs: 10, maxMs: 10 });
    cancel();
    await new Promise((r) => setTimeout(r, 60));
    expect(c.starts).toBe(1);
  });

  it('a Zalo token the platform rejects is not retried', async () => {
    const api = await new FakeZaloApi({ token: ZALO_TOKEN }).listen();
    const { logger } = logCapture();
    const config = loadConfig({ ZALO_BOT_TOKEN: '999:wrongZaloToken', ZALO_API_ROOT: api.url });
    const runtime = { engine: () => ({ handle: () => ({ kind: 'command' as const, blocks: ['x'], links: [], qr: [], choices: [] }) }), content: () => { throw new Error('unused'); } };
    const c = createZaloChannel(config.zalo, { runtime, logger });
    const cancel = await startChannels([c], logger, { firstMs: 10, maxMs: 20 });
    await new Promise((r) => setTimeout(r, 100));
    expect(api.callsOf('getMe')).toHaveLength(1);
    expect(c.status().state).toBe('error');
    cancel();
    await api.close();
  });
});
