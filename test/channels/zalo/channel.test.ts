// The Zalo channel end to end: the real content loader, engine and channel against the fake Zalo Bot API
// on 127.0.0.1, in polling and in webhook mode. Every pino line is captured to check that no token leaks.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createZaloChannel } from '../../../src/channels/zalo/index.js';
import type { Channel, ChannelDeps } from '../../../src/channels/types.js';
import type { Config } from '../../../src/config.js';
import { loadContentOrThrow } from '../../../src/content/index.js';
import { createEngine, createMemoryStore } from '../../../src/engine/index.js';
import type { Engine, IncomingMessage, Reply } from '../../../src/engine/types.js';
import { createLogger } from '../../../src/log.js';
import { FakeZaloApi, otherUpdate, textUpdate, waitFor } from './fake-zalo.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/zalo', import.meta.url));
const SHIPPED_MESSAGES = fileURLToPath(new URL('../../../content/messages.yaml', import.meta.url));
const TOKEN_SECRET_PART = 'zAloTokenSecretPart_9f8e7d6c5b4a';
const TOKEN = `3141592653589793238:${TOKEN_SECRET_PART}`;
const WEBHOOK_SECRET = 'webhook-secret-ABCDEF-123456';
const PUBLIC_URL = 'https://bot.example.vn';
const PLAY_URL = 'https://play.google.com/store/apps/details?id=com.vnid';
/** The fixture's FAQ with the shipped messages.yaml (every user-facing string; its keys grow with the product). */
function fixtureDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zalo-fixture-'));
  cpSync(FIXTURE, dir, { recursive: true });
  cpSync(SHIPPED_MESSAGES, join(dir, 'messages.yaml'));
  return dir;
}
const CONTENT_DIR = fixtureDir();
const content = loadContentOrThrow(CONTENT_DIR);
afterAll(() => rmSync(CONTENT_DIR, { recursive: true, force: true }));
/** Close calls in the fixture; the first one the engine answers with a list is used (thresholds get tuned). */
const AMBIGUOUS = ['tai khoan dinh danh muc', 'muc 1 muc 2', 'muc do tai khoan'].find(
  (q) => createEngine({ content }).handle({ channel: 'zalo', chatId: 'probe', kind: 'text', text: q }).kind === 'suggest',
);
const LONG_ENTRY = 'muc-do-muc-3';
const LONG_SENTENCE = 'Bạn mang theo thẻ căn cước đến Công an cấp xã nơi gần nhất để được hướng dẫn đăng ký. ';

type Mode = 'polling' | 'webhook';

interface Harness {
  api: FakeZaloApi;
  channel: Channel;
  lines: string[];
  replies: { msg: IncomingMessage; reply: Reply }[];
  apiErrors: string[];
  /** Delivers an update body the way the mode receives it (getUpdates result / webhook POST). */
  deliver(body: unknown): Promise<void>;
  /** Raw webhook POST (webhook mode). */
  post(body: string, headers?: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

/** A long answer for one entry: the real engine's reply with three long paragraphs, one of them a single 2,400-character line. */
function withLongAnswer(engine: Engine): Engine {
  const sentence = LONG_SENTENCE;
  return {
    handle(msg) {
      const r = engine.handle(msg);
      if (r.entryId !== LONG_ENTRY) return r;
      return { ...r, blocks: [sentence.repeat(10).trim(), sentence.repeat(27).trim(), ...r.blocks] };
    },
  };
}

async function start(mode: Mode, opts: { publicUrl?: string } = {}): Promise<Harness> {
  const api = await new FakeZaloApi({ token: TOKEN, holdMs: 150 }).listen();
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  // No `secrets` option on purpose: the channel itself must keep the token out of every line.
  const logger = createLogger({ level: 'trace', destination: sink });
  const engine = withLongAnswer(createEngine({ content, store: createMemoryStore() }));
  const replies: Harness['replies'] = [];
  const apiErrors: string[] = [];
  const deps: ChannelDeps = {
    runtime: { engine: () => engine, content: () => content },
    logger,
    publicUrl: opts.publicUrl,
    hooks: {
      onReply: (msg, reply) => replies.push({ msg, reply }),
      onApiError: (_c, method) => apiErrors.push(method),
    },
  };
  const cfg: Config['zalo'] =
    mode === 'polling'
      ? { mode: 'polling', token: TOKEN, apiRoot: api.url }
      : { mode: 'webhook', token: TOKEN, secret: WEBHOOK_SECRET, url: `${PUBLIC_URL}/webhook/zalo`, apiRoot: api.url };
  const channel = createZaloChannel(cfg, deps, {
    retry: { attempts: 3, backoffMs: 20, maxBackoffMs: 50, deliveryBudgetMs: 0 },
    timeoutMs: 2_000,
    pollTimeoutSec: 1,
    pollBackoffMs: 20,
    pollMaxBackoffMs: 100,
  });
  await channel.start();

  let server: Server | undefined;
  let hookUrl = '';
  if (mode === 'webhook') {
    const route = channel.webhook!;
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method === 'POST' && req.url === route.path) route.handle(req, res, Buffer.concat(chunks));
        else res.writeHead(404).end();
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${route.path}`;
  }
  const post = async (body: string, headers: Record<string, string> = { 'x-bot-api-secret-token': WEBHOOK_SECRET }) => {
    const res = await fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    await res.text();
    return res.status;
  };
  const h: Harness = {
    api,
    channel,
    lines,
    replies,
    apiErrors,
    async deliver(body) {
      if (mode === 'polling') api.push(body);
      else expect(await post(JSON.stringify(body))).toBe(200);
    },
    post,
    async close() {
      await channel.stop(2_000);
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((r) => server!.close(() => r()));
      }
      await api.close();
    },
  };
  open.push(h);
  return h;
}

/** Sends one text and waits for the engine's reply to be delivered; returns the reply and the texts sent for it. */
async function ask(h: Harness, chatId: string, text: string, id: string, shape: 'bare' | 'wrapped' = 'bare') {
  const before = h.api.sentTexts(chatId).length;
  const n = h.replies.length;
  const u = textUpdate(chatId, text, id);
  await h.deliver(shape === 'bare' ? u : { ok: true, result: u });
  await waitFor(() => h.replies.length > n, 5_000, `a reply to "${text}"`);
  const reply = h.replies[h.replies.length - 1]!.reply;
  await waitFor(() => h.api.sentTexts(chatId).length > before, 5_000, 'sendMessage');
  await settle(h);
  return { reply, texts: h.api.sentTexts(chatId).slice(before) };
}

/** Waits until no API call arrived for a short while (the reply's messages are all out). */
async function settle(h: Harness, quietMs = 120): Promise<void> {
  let count = -1;
  while (count !== h.api.calls.filter((c) => c.method !== 'getUpdates').length) {
    count = h.api.calls.filter((c) => c.method !== 'getUpdates').length;
    await new Promise((r) => setTimeout(r, quietMs));
  }
}

function expectNoSecretInLogs(h: Harness) {
  expect(h.lines.length).toBeGreaterThan(0);
  for (const line of h.lines) {
    expect(line).not.toContain(TOKEN_SECRET_PART);
    expect(line).not.toContain(WEBHOOK_SECRET);
  }
}

describe.each<Mode>(['polling', 'webhook'])('the Zalo channel in %s mode', (mode) => {
  it('answers a question typed without diacritics, after a typing action', async () => {
    const h = await start(mode);
    expect(h.channel.status().state).toBe(mode);
    const { reply, texts } = await ask(h, 'chat-a', 'vneid la app gi', 'a1');
    expect(reply).toMatchObject({ kind: 'answer', entryId: 'khai-niem-vneid' });
    expect(texts.join('\n')).toContain('ứng dụng định danh điện tử quốc gia');
    const methods = h.api.calls.map((c) => c.method).filter((m) => m !== 'getUpdates');
    expect(methods.indexOf('sendChatAction')).toBeLessThan(methods.indexOf('sendMessage'));
    expect(h.api.callsOf('sendChatAction')[0]!.body).toEqual({ chat_id: 'chat-a', action: 'typing' });
  });

  it('offers a numbered list for an ambiguous question, and "2" opens the second entry', async () => {
    const h = await start(mode);
    expect(AMBIGUOUS, 'one of the fixture\'s close calls must give a list').toBeDefined();
    const first = await ask(h, 'chat-b', AMBIGUOUS!, 'b1');
    expect(first.reply.kind).toBe('suggest');
    expect(first.reply.choices.length).toBeGreaterThanOrEqual(2);
    const text = first.texts.join('\n');
    expect(text).toMatch(/^1\. /m);
    expect(text).toMatch(/^2\. /m);
    expect(text).toContain(first.reply.choices.length === 2 ? 'Gõ 1 hoặc 2' : 'Gõ 1, 2');
    const second = await ask(h, 'chat-b', '2', 'b2');
    expect(second.reply.kind).toBe('answer');
    expect(`e:${second.reply.entryId}`).toBe(first.reply.choices[1]!.payload);
  });

  it('splits an answer over 2,000 characters into several messages, none over', async () => {
    const h = await start(mode);
    const { reply, texts } = await ask(h, 'chat-c', 'có tài khoản định danh điện tử mức 3 không', 'c1');
    expect(reply.entryId).toBe(LONG_ENTRY);
    expect(texts.length).toBeGreaterThanOrEqual(2);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(2000);
    // Nothing lost, no word cut: the parts put back together hold the whole 2,400-character paragraph.
    const norm = (t: string) => t.replace(/\s+/g, ' ');
    expect(norm(texts.join(' '))).toContain(norm(LONG_SENTENCE.repeat(27).trim()));
  });

  it('sends a QR code as a photo by public URL, and the link as text without one', async () => {
    const h = await start(mode, { publicUrl: PUBLIC_URL });
    const { reply } = await ask(h, 'chat-d', 'vneid la app gi', 'd1');
    expect(reply.qr.map((q) => q.linkId)).toContain('vneid-android');
    const photos = h.api.callsOf('sendPhoto').filter((c) => c.ok);
    expect(photos).toHaveLength(reply.qr.length);
    expect(photos[0]!.body).toMatchObject({ chat_id: 'chat-d', photo: `${PUBLIC_URL}/qr/vneid-android.png` });
    expect(String(photos[0]!.body.caption)).toContain(PLAY_URL);

    const plain = await start(mode);
    const { texts } = await ask(plain, 'chat-d', 'vneid la app gi', 'd2');
    expect(plain.api.callsOf('sendPhoto')).toHaveLength(0);
    expect(texts.join('\n')).toContain(PLAY_URL);
  });

  it('accepts both update shapes: {event_name, message} and {ok, result}', async () => {
    const h = await start(mode);
    const bare = await ask(h, 'chat-e', 'vneid la app gi', 'e1', 'bare');
    const wrapped = await ask(h, 'chat-e', 'co muc 3 khong', 'e2', 'wrapped');
    expect(bare.reply.entryId).toBe('khai-niem-vneid');
    expect(wrapped.reply.entryId).toBe('muc-do-muc-3');
  });

  it('answers the same message_id once', async () => {
    const h = await start(mode);
    const u = textUpdate('chat-f', 'vneid la app gi', 'same-id');
    await h.deliver(u);
    await h.deliver(u);
    await waitFor(() => h.replies.length >= 1);
    await new Promise((r) => setTimeout(r, 400));
    await settle(h);
    expect(h.replies).toHaveLength(1);
    expect(h.api.callsOf('sendChatAction')).toHaveLength(1);
  });

  it('answers a sticker with the polite "I read text messages" reply', async () => {
    const h = await start(mode);
    await h.deliver(otherUpdate('chat-g', 'message.sticker.received', 'g1'));
    await waitFor(() => h.api.sentTexts('chat-g').length === 1);
    expect(h.replies[0]!.msg).toMatchObject({ kind: 'unsupported', chatId: 'chat-g' });
    expect(h.api.sentTexts('chat-g')[0]).toContain(content.messages.text_only.slice(0, 40));
  });

  it('delivers once when the API fails twice with 5xx, then succeeds', async () => {
    const h = await start(mode);
    h.api.fail('sendMessage', 2, { status: 502, description: 'Bad Gateway' });
    const { texts } = await ask(h, 'chat-h', 'vneid la app gi', 'h1');
    expect(texts).toHaveLength(1);
    expect(h.api.callsOf('sendMessage').filter((c) => c.body.chat_id === 'chat-h')).toHaveLength(3);
    expect(h.apiErrors).toEqual([]);
  });

  it('keeps going after a message fails for good, and writes no token or secret in any log line', async () => {
    const h = await start(mode);
    h.api.fail('sendMessage', 5, { status: 503 });
    h.api.fail('getUpdates', 2, { status: 500 });
    await h.deliver(textUpdate('chat-i', 'vneid la app gi', 'i1'));
    await waitFor(() => h.apiErrors.includes('sendMessage'), 5_000, 'the final failure');
    const next = await ask(h, 'chat-i', 'co muc 3 khong', 'i2');
    expect(next.texts.length).toBeGreaterThan(0);
    await h.channel.stop();
    expectNoSecretInLogs(h);
  });
});

describe('the Zalo channel in polling mode', () => {
  it('deletes the webhook before polling, and stops cleanly while a long poll is open', async () => {
    const h = await start('polling');
    await waitFor(() => h.api.callsOf('getUpdates').length > 0);
    const methods = h.api.calls.map((c) => c.method);
    expect(methods.slice(0, 3)).toEqual(['getMe', 'deleteWebhook', 'getUpdates']);
    const t0 = Date.now();
    await h.channel.stop();
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(h.channel.status().state).toBe('off');
    await new Promise((r) => setTimeout(r, 100)); // a request already on the wire may still be recorded
    const polls = h.api.callsOf('getUpdates').length;
    await new Promise((r) => setTimeout(r, 400));
    expect(h.api.callsOf('getUpdates').length).toBe(polls);
  });

  it('shows an error status while getUpdates keeps failing, and recovers by itself', async () => {
    const h = await start('polling');
    h.api.fail('getUpdates', 4, { status: 502, description: 'Bad Gateway' });
    await waitFor(() => h.channel.status().state === 'error', 5_000, 'the error status');
    expect(h.channel.status().reason).toMatch(/getUpdates failing .*502/);
    await waitFor(() => h.channel.status().state === 'polling', 5_000, 'recovery');
    const { reply } = await ask(h, 'chat-r', 'vneid la app gi', 'r1');
    expect(reply.entryId).toBe('khai-niem-vneid');
  });

  it('in a group, answers only when the bot is named or a command is sent', async () => {
    const h = await start('polling');
    h.api.push(textUpdate('group-1', 'vneid la app gi', 'g1', 'GROUP'));
    await new Promise((r) => setTimeout(r, 400));
    expect(h.replies).toHaveLength(0);
    h.api.push(textUpdate('group-1', '@Trợ lý VNeID vneid la app gi', 'g2', 'GROUP'));
    await waitFor(() => h.replies.length === 1);
    expect(h.replies[0]!.reply.entryId).toBe('khai-niem-vneid');
  });

  it('refuses to start with a rejected token, without printing it', async () => {
    const api = await new FakeZaloApi({ token: TOKEN }).listen();
    try {
      const lines: string[] = [];
      const sink = new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) });
      const wrong = `3141592653589793238:${TOKEN_SECRET_PART}WRONG`;
      const channel = createZaloChannel(
        { mode: 'polling', token: wrong, apiRoot: api.url },
        { runtime: { engine: () => createEngine({ content }), content: () => content }, logger: createLogger({ level: 'trace', destination: sink }) },
      );
      const err = (await channel.start().catch((e: unknown) => e)) as Error;
      expect(err.message).toMatch(/ZALO_BOT_TOKEN/);
      expect(err.message).not.toContain(TOKEN_SECRET_PART);
      expect(channel.status()).toMatchObject({ state: 'error' });
      for (const l of lines) expect(l).not.toContain(TOKEN_SECRET_PART);
    } finally {
      await api.close();
    }
  });
});

describe('the Zalo webhook', () => {
  it('rejects a missing or wrong secret header (401/403) and sends nothing; malformed JSON gets 400', async () => {
    const h = await start('webhook');
    const body = JSON.stringify(textUpdate('chat-w', 'vneid la app gi', 'w1'));
    expect(await h.post(body, {})).toBe(401);
    expect(await h.post(body, { 'x-bot-api-secret-token': 'wrong-secret-value' })).toBe(403);
    expect(await h.post(body, { 'x-bot-api-secret-token': WEBHOOK_SECRET.slice(0, -1) })).toBe(403);
    expect(await h.post('{not json', { 'x-bot-api-secret-token': WEBHOOK_SECRET })).toBe(400);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.replies).toHaveLength(0);
    expect(h.api.calls.map((c) => c.method)).toEqual(['getMe', 'setWebhook']);
    expect(h.api.callsOf('setWebhook')[0]!.body).toEqual({ url: `${PUBLIC_URL}/webhook/zalo`, secret_token: WEBHOOK_SECRET });
    expectNoSecretInLogs(h);
  });
});

describe('the Zalo channel: a resident rates an answer (👍/👎 as numbers or words)', () => {
  it('numbers 👍/👎 after the choices; "sai" sends the runners-up and the contact card; a number votes 👍', async () => {
    const h = await start('polling');
    const first = await ask(h, 'chat-f', 'vneid la app gi', 'f1');
    expect(first.reply.feedback?.entryId).toBe('khai-niem-vneid');
    const n = first.reply.choices.length;
    const shown = first.texts.join('\n');
    expect(shown).toContain(`${n + 1}. 👍 Đúng ý`);
    expect(shown).toContain(`${n + 2}. 👎 Chưa đúng`);
    expect(shown).toContain('"sai"');

    const down = await ask(h, 'chat-f', 'sai', 'f2');
    expect(down.reply.vote).toEqual({ entryId: 'khai-niem-vneid', vote: 'down' });
    const text = down.texts.join('\n');
    expect(text).toContain('Xin lỗi vì câu trả lời chưa đúng ý bạn');
    expect(text).toContain('1900 0368');
    expect(down.reply.choices.some((c) => c.payload.startsWith('e:'))).toBe(true);
    expect(text).toMatch(/^1\. /m);
    // Never twice on the same answer.
    const again = await ask(h, 'chat-f', 'chưa đúng', 'f3');
    expect(again.reply.vote).toBeUndefined();

    const other = await ask(h, 'chat-g', 'vneid la app gi', 'g1');
    const up = await ask(h, 'chat-g', String(other.reply.choices.length + 1), 'g2');
    expect(up.reply.vote).toEqual({ entryId: 'khai-niem-vneid', vote: 'up' });
    expect(up.texts.join('\n')).toContain('Cảm ơn bạn đã cho biết');
  });
});
