// Test harness: the real Telegram channel, the real engine on a small fixture content, and the fake
// Bot API server — in polling mode, or in webhook mode behind a local HTTP server that mounts
// channel.webhook the way the app server does.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { createTelegramChannel, type TelegramOptions } from '../../../src/channels/telegram/index.js';
import type { Channel, Runtime } from '../../../src/channels/types.js';
import type { Config } from '../../../src/config.js';
import { loadContentOrThrow } from '../../../src/content/index.js';
import type { Content, Entry } from '../../../src/content/types.js';
import { createEngine } from '../../../src/engine/index.js';
import type { Engine, IncomingMessage, Reply } from '../../../src/engine/types.js';
import { createLogger } from '../../../src/log.js';
import { FakeTelegramApi } from './fake-api.js';

export const FIXTURE = fileURLToPath(new URL('../../fixtures/telegram', import.meta.url));
export const TOKEN = '7123456789:AAH-fakeTokenForTests_0123456789abcdefXYZ';
export const SECRET = 'webhook_Secret-0123456789abcdefXYZ';

export type Mode = 'polling' | 'webhook';

export interface Harness {
  mode: Mode;
  api: FakeTelegramApi;
  channel: Channel;
  /** Every log line the channel wrote (JSON strings). */
  logs: string[];
  replies: { msg: IncomingMessage; reply: Reply; ms: number }[];
  apiErrors: string[];
  /** Delivers an update the way the mode does (queued for getUpdates, or POSTed to the webhook). Returns it. */
  deliver(update: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** POSTs raw to the webhook route (webhook mode), with the given secret header. */
  post(update: unknown, secret?: string): Promise<number>;
  /** Swaps the content (and engine), like a hot reload. */
  setContent(content: Content): void;
  /** Makes runtime.engine() return this engine instead (e.g. one that throws). */
  setEngine(engine: Engine | null): void;
  close(): Promise<void>;
}

let baseContent: Content | undefined;
export function fixtureContent(): Content {
  baseContent ??= loadContentOrThrow(FIXTURE);
  return baseContent;
}

/** A copy of `content` with one entry changed (the loader's 900-character rule does not apply here). */
export function withEntry(content: Content, id: string, change: Partial<Entry>): Content {
  const swap = (e: Entry) => (e.id === id ? { ...e, ...change } : e);
  const entries = content.entries.map(swap);
  return {
    ...content,
    entries,
    topics: content.topics.map((t) => ({ ...t, entries: t.entries.map(swap) })),
    byId: new Map(entries.map((e) => [e.id, e])),
  };
}

/** `holdMs`: how long the fake holds an idle getUpdates open (Telegram: the client's timeout). */
export async function startHarness(mode: Mode, options: Partial<TelegramOptions> = {}, token = TOKEN, holdMs = 500): Promise<Harness> {
  const api = await new FakeTelegramApi({ token: TOKEN, maxHoldMs: holdMs }).start();
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString('utf8'));
      cb();
    },
  });
  // No `secrets` here on purpose: the channel itself must keep the token out of its log lines.
  const logger = createLogger({ level: 'debug', destination });
  let content = fixtureContent();
  let engine = createEngine({ content });
  let override: Engine | null = null;
  const runtime: Runtime = { engine: () => override ?? engine, content: () => content };
  const replies: Harness['replies'] = [];
  const apiErrors: string[] = [];

  const cfg: Config['telegram'] =
    mode === 'polling'
      ? { mode: 'polling', token, apiRoot: api.apiRoot }
      : { mode: 'webhook', token, secret: SECRET, url: 'https://bot.example.vn/webhook/telegram', apiRoot: api.apiRoot };
  const channel = createTelegramChannel(
    cfg,
    {
      runtime,
      logger,
      hooks: {
        onReply: (msg, reply, ms) => replies.push({ msg, reply, ms }),
        onApiError: (_channel, method) => apiErrors.push(method),
      },
    },
    { pollTimeoutSec: 1, backoffBaseMs: 40, backoffMaxMs: 200, graceMs: 5000, ...options },
  );

  let server: Server | undefined;
  let webhookUrl = '';
  if (mode === 'webhook') {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (channel.webhook && req.url === channel.webhook.path) channel.webhook.handle(req, res, Buffer.concat(chunks));
        else {
          res.writeHead(404);
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/telegram`;
  }

  const harness: Harness = {
    mode,
    api,
    channel,
    logs,
    replies,
    apiErrors,
    async deliver(update) {
      if (mode === 'polling') return api.push(update);
      const u = { update_id: api.newUpdateId(), ...update };
      const status = await FakeTelegramApi.postWebhook(webhookUrl, u, SECRET);
      if (status !== 200) throw new Error(`webhook answered ${status}`);
      return u;
    },
    post: (update, secret) => FakeTelegramApi.postWebhook(webhookUrl, update, secret),
    setContent(c) {
      content = c;
      engine = createEngine({ content: c });
    },
    setEngine(e) {
      override = e;
    },
    async close() {
      await channel.stop(2000);
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server!.close(() => resolve()));
      }
      await api.close();
    },
  };
  return harness;
}

// ─── update builders ─────────────────────────────────────────────────────────────────────────

let nextMessageId = 500;
const now = () => Math.floor(Date.now() / 1000);

export const RESIDENT = Object.freeze({ id: 4242, is_bot: false, first_name: 'Lan', language_code: 'vi' });
export const PRIVATE = Object.freeze({ id: 4242, type: 'private', first_name: 'Lan' });
export const GROUP = Object.freeze({ id: -100555, type: 'supergroup', title: 'Tổ dân phố 5' });

/** A text message; a leading "/command" gets its bot_command entity, "@name" words their mention entities. */
export function text(t: string, chat: object = PRIVATE, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const entities: { type: string; offset: number; length: number }[] = [];
  const cmd = /^\/[\w@]+/.exec(t);
  if (cmd) entities.push({ type: 'bot_command', offset: 0, length: cmd[0].length });
  for (const m of t.matchAll(/@\w+/g)) if (!cmd || m.index! > 0) entities.push({ type: 'mention', offset: m.index!, length: m[0].length });
  return {
    message: { message_id: nextMessageId++, date: now(), chat, from: RESIDENT, text: t, ...(entities.length ? { entities } : {}), ...extra },
  };
}

export function media(kind: string, value: unknown, chat: object = PRIVATE): Record<string, unknown> {
  return { message: { message_id: nextMessageId++, date: now(), chat, from: RESIDENT, [kind]: value } };
}

export function press(data: string, chat: object = PRIVATE): Record<string, unknown> {
  return {
    callback_query: {
      id: `cbq-${nextMessageId++}`,
      from: RESIDENT,
      chat_instance: '-8812',
      data,
      message: { message_id: 1, date: now(), chat, from: { id: 777000111, is_bot: true, first_name: 'bot' }, text: '…' },
    },
  };
}

/** A press of `data` on a message the fake API delivered, carrying that message's keyboard as shown now (as Telegram does). */
export function pressOn(api: FakeTelegramApi, sent: { messageId?: number }, data: string, chat: { id: number } = PRIVATE): Record<string, unknown> {
  if (sent.messageId === undefined) throw new Error('pressOn: that call delivered no message');
  const u = press(data, chat);
  const cq = u.callback_query as { message: Record<string, unknown> };
  cq.message = { ...cq.message, ...api.message(chat.id, sent.messageId) };
  return u;
}

/** Buttons of a recorded sendMessage, flattened. */
export function buttons(body: Record<string, unknown>): { text: string; callback_data?: string; url?: string }[] {
  const kb = (body.reply_markup as { inline_keyboard?: { text: string; callback_data?: string; url?: string }[][] } | undefined)?.inline_keyboard;
  return kb ? kb.flat() : [];
}
