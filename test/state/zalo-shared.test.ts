// The Zalo channel with REDIS_URL: two channel instances (each with its own engine and memory store, as in
// two processes) against one fake Zalo Bot API and one real redis-server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZaloChannel } from '../../src/channels/zalo/index.js';
import type { Channel } from '../../src/channels/types.js';
import { loadContentOrThrow } from '../../src/content/index.js';
import { createEngine, createMemoryStore } from '../../src/engine/index.js';
import type { Reply } from '../../src/engine/types.js';
import { createLogger } from '../../src/log.js';
import { createRedisState, type SharedState } from '../../src/state/redis.js';
import { FakeZaloApi, textUpdate, waitFor } from '../channels/zalo/fake-zalo.js';
import { mustSkip, redisMissing, startRedis, type RedisServer } from '../support/servers.js';

const skip = mustSkip('Zalo with Redis (test/state/zalo-shared.test.ts)', redisMissing());
const TOKEN = '3141592653589793238:zAloTokenForSharedTests_1a2b3c';
const SECRET = 'webhook-secret-shared-123456';
const content = loadContentOrThrow('content');
const logger = createLogger({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Inst {
  channel: Channel;
  shared: SharedState;
  replies: Reply[];
  url: string;
  server?: Server;
}

describe.skipIf(skip)('Zalo channel, two instances sharing Redis', () => {
  let redis: RedisServer;
  let api: FakeZaloApi;
  const all: Inst[] = [];

  async function instance(mode: 'webhook' | 'polling', prefix: string): Promise<Inst> {
    const local = createMemoryStore();
    const shared = createRedisState({ url: redis.url, local, logger, options: { prefix, lease: { ttlMs: 600, retryMs: 100 } } });
    await shared.ready(3000);
    const engine = createEngine({ content, store: local });
    const replies: Reply[] = [];
    const channel = createZaloChannel(
      mode === 'webhook'
        ? { mode, token: TOKEN, secret: SECRET, url: 'https://bot.example.vn/webhook/zalo', apiRoot: api.url }
        : { mode, token: TOKEN, apiRoot: api.url },
      { runtime: { engine: () => engine, content: () => content }, logger, shared, hooks: { onReply: (_m, r) => replies.push(r) } },
      { retry: { attempts: 2, backoffMs: 20, maxBackoffMs: 50 }, timeoutMs: 2000, pollTimeoutSec: 1, pollBackoffMs: 20, pollMaxBackoffMs: 100 },
    );
    await channel.start();
    const inst: Inst = { channel, shared, replies, url: '' };
    if (mode === 'webhook') {
      const route = channel.webhook!;
      inst.server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => route.handle(req, res, Buffer.concat(chunks)));
      });
      await new Promise<void>((r) => inst.server!.listen(0, '127.0.0.1', r));
      inst.url = `http://127.0.0.1:${(inst.server.address() as AddressInfo).port}/webhook/zalo`;
    }
    all.push(inst);
    return inst;
  }

  const post = async (i: Inst, body: object) => {
    const res = await fetch(i.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-bot-api-secret-token': SECRET }, body: JSON.stringify(body) });
    await res.text();
    return res.status;
  };

  beforeAll(async () => {
    redis = await startRedis();
    api = await new FakeZaloApi({ token: TOKEN, holdMs: 150 }).listen();
  });
  afterAll(async () => {
    for (const i of all) {
      await i.channel.stop(1000);
      i.server?.close();
      await i.shared.close();
    }
    await api?.close();
    await redis?.close();
  });

  it('webhook: a message delivered to both is answered once; a list from A is picked from through B', async () => {
    const [A, B] = [await instance('webhook', 'zw:'), await instance('webhook', 'zw:')];
    const update = textUpdate('z-1', 'quên mật khẩu VNeID', 'm-1');
    expect(await Promise.all([post(A, update), post(B, update)])).toEqual([200, 200]);
    await waitFor(() => api.sentTexts('z-1').length >= 1, 5000, 'a reply');
    await sleep(300);
    expect(A.replies.length + B.replies.length).toBe(1);
    expect(api.callsOf('sendMessage').filter((c) => c.body.chat_id === 'z-1').length).toBe(1);

    const beforeA = A.replies.length;
    await post(A, textUpdate('z-2', '/menu', 'm-2'));
    await waitFor(() => A.replies.length > beforeA, 5000, 'the menu');
    const menu = A.replies.at(-1)!;
    expect(menu.choices.length).toBeGreaterThan(2);
    const before = B.replies.length;
    await post(B, textUpdate('z-2', '2', 'm-3'));
    await waitFor(() => B.replies.length > before, 5000, 'the pick through B');
    const picked = B.replies.at(-1)!;
    expect(picked.choicesIntro ?? picked.blocks.join('\n')).toContain(menu.choices[1].label);
  });

  it('polling: only the lease holder polls; stopping it hands over', async () => {
    const P = await instance('polling', 'zp:');
    const Q = await instance('polling', 'zp:');
    await sleep(400);
    const standby = [P, Q].filter((i) => i.channel.status().reason?.startsWith('standby'));
    expect(standby.length).toBe(1);
    const holder = standby[0] === P ? Q : P;
    api.push(textUpdate('z-3', 'quên mật khẩu VNeID', 'm-4'));
    await waitFor(() => holder.replies.length === 1, 5000, 'the holder answers');
    expect(standby[0].replies.length).toBe(0);
    await holder.channel.stop(1000);
    await waitFor(() => !standby[0].channel.status().reason, 8000, 'the standby takes the lease');
    // The fake answers a long poll the stopped holder abandoned with the next update: let that poll expire first.
    await sleep(300);
    api.push(textUpdate('z-4', 'quên mật khẩu VNeID', 'm-5'));
    await waitFor(() => standby[0].replies.length === 1, 8000, 'the other takes over');
  });
});
