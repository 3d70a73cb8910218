// Shared live state on a real redis-server (started here on a free loopback port): two "instances"
// (two clients with their own memory stores) share conversation state, de-duplication and the lease;
// a Redis outage falls back to memory and recovers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/engine/store.js';
import type { ChatState } from '../../src/engine/types.js';
import { createLogger } from '../../src/log.js';
import { createRedisState, type SharedState } from '../../src/state/redis.js';
import { mustSkip, redisMissing, startRedis, type RedisServer } from '../support/servers.js';

const skip = mustSkip('Redis tests (test/state/redis.test.ts)', redisMissing());
const logger = createLogger({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(skip)('shared state on Redis', () => {
  let server: RedisServer;
  const opened: SharedState[] = [];
  const open = (opts: Parameters<typeof createRedisState>[0]['options'] = {}) => {
    const local = createMemoryStore();
    const s = createRedisState({ url: server.url, local, logger, options: { prefix: `t${Math.random()}:`, ...opts } });
    opened.push(s);
    return { s, local };
  };
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await server?.close();
  });

  it('a state written through one instance is read by the other; a missing state clears the local copy', async () => {
    const prefix = `p${Math.random()}:`;
    const a = open({ prefix });
    const b = open({ prefix });
    expect(await a.s.ready(3000)).toBe(true);
    expect(await b.s.ready(3000)).toBe(true);
    const st: ChatState = { lastChoices: ['e:x', 'e:y'], fallbacks: 1, updatedAt: 1 };
    await a.s.withChat('telegram:1', () => a.local.set('telegram:1', st));
    b.local.set('telegram:1', { lastChoices: ['stale'], fallbacks: 0, updatedAt: 0 });
    const seen = await b.s.withChat('telegram:1', () => b.local.get('telegram:1'));
    expect(seen?.lastChoices).toEqual(['e:x', 'e:y']);
    // Deleted through B: A no longer sees its own stale copy.
    await b.s.withChat('telegram:1', () => b.local.delete('telegram:1'));
    expect(await a.s.withChat('telegram:1', () => a.local.get('telegram:1'))).toBeUndefined();
  });

  it('one chat is handled by one instance at a time (no lost update under concurrency)', async () => {
    const prefix = `c${Math.random()}:`;
    const a = open({ prefix });
    const b = open({ prefix });
    await a.s.ready(3000);
    await b.s.ready(3000);
    const bump = (x: ReturnType<typeof open>) =>
      x.s.withChat('zalo:7', () => {
        const s = x.local.get('zalo:7') ?? { lastChoices: [], fallbacks: 0, updatedAt: 0 };
        x.local.set('zalo:7', { ...s, fallbacks: s.fallbacks + 1 });
      });
    await Promise.all(Array.from({ length: 40 }, (_, i) => bump(i % 2 ? a : b)));
    expect(await a.s.withChat('zalo:7', () => a.local.get('zalo:7')?.fallbacks)).toBe(40);
  });

  it('an update is claimed once: new, then busy elsewhere, then done; an unfinished claim expires', async () => {
    const prefix = `d${Math.random()}:`;
    const a = open({ prefix, claimTtlMs: 300 });
    const b = open({ prefix, claimTtlMs: 300 });
    await a.s.ready(3000);
    await b.s.ready(3000);
    const c1 = await a.s.claim('telegram:1');
    expect(c1.state).toBe('new');
    expect((await b.s.claim('telegram:1')).state).toBe('busy');
    await sleep(500); // renewed while A works on it
    expect((await b.s.claim('telegram:1')).state).toBe('busy');
    if (c1.state === 'new') await c1.done();
    expect((await b.s.claim('telegram:1')).state).toBe('done');

    // A claim whose instance "died" (never done, never renewed) expires: the retry is handled elsewhere.
    const c2 = await a.s.claim('telegram:2');
    expect(c2.state).toBe('new');
    await a.s.close(); // stops renewing
    await sleep(450);
    expect((await b.s.claim('telegram:2')).state).toBe('new');
  });

  it('one lease holder at a time; a holder that stops hands the lease over at once', async () => {
    const prefix = `l${Math.random()}:`;
    const lease = { ttlMs: 600, retryMs: 100 };
    const a = open({ prefix, lease });
    const b = open({ prefix, lease });
    await a.s.ready(3000);
    await b.s.ready(3000);
    const holding: string[] = [];
    const stopA = new AbortController();
    const stopB = new AbortController();
    const work = (who: string) => (lost: AbortSignal) =>
      new Promise<void>((resolve) => {
        holding.push(who);
        lost.addEventListener('abort', () => {
          holding.splice(holding.indexOf(who), 1);
          resolve();
        });
      });
    const runA = a.s.lease('telegram').run(stopA.signal, work('A'));
    await sleep(200);
    const runB = b.s.lease('telegram').run(stopB.signal, work('B'));
    await sleep(800);
    expect(holding).toEqual(['A']);
    // A stops cleanly: it hands the lease over at once.
    stopA.abort();
    await runA;
    const t0 = Date.now();
    while (!holding.includes('B') && Date.now() - t0 < 3000) await sleep(20);
    expect(holding).toEqual(['B']);
    expect(Date.now() - t0).toBeLessThan(1500);
    stopB.abort();
    await runB;
  });

  it('Redis stopped: answers from memory (fallback), then back to Redis with the changed chats written back', async () => {
    const own = await startRedis();
    try {
      const local = createMemoryStore();
      const s = createRedisState({ url: own.url, local, logger, options: { commandTimeoutMs: 200 } });
      opened.push(s);
      await s.ready(3000);
      expect(s.status().state).toBe('ok');
      await own.stop();
      const t0 = Date.now();
      while (s.status().state === 'ok' && Date.now() - t0 < 3000) await sleep(20);
      expect(s.status().state).toBe('fallback');
      // Still answers, from memory, at once.
      const t1 = Date.now();
      await s.withChat('telegram:9', () => local.set('telegram:9', { lastChoices: ['e:a'], fallbacks: 0, updatedAt: 1 }));
      expect(await s.withChat('telegram:9', () => local.get('telegram:9')?.lastChoices)).toEqual(['e:a']);
      expect((await s.claim('telegram:99')).state).toBe('new');
      expect(Date.now() - t1).toBeLessThan(1000);
      await own.restart();
      const t2 = Date.now();
      while (s.status().state !== 'ok' && Date.now() - t2 < 10_000) await sleep(50);
      expect(s.status().state).toBe('ok');
      await sleep(200);
      // The chat changed during the outage was written back: a fresh instance reads it.
      const other = createMemoryStore();
      const s2 = createRedisState({ url: own.url, local: other, logger });
      opened.push(s2);
      await s2.ready(3000);
      expect(await s2.withChat('telegram:9', () => other.get('telegram:9')?.lastChoices)).toEqual(['e:a']);
    } finally {
      await own.close();
    }
  });
});

describe.skipIf(skip)('a failing handler', () => {
  it('does not leave the chat locked', async () => {
    const server = await startRedis();
    try {
      const local = createMemoryStore();
      const s = createRedisState({ url: server.url, local, logger, options: { lockWaitMs: 5_000 } });
      await s.ready(3000);
      await expect(s.withChat('telegram:1', () => {
        throw new Error('boom');
      })).rejects.toThrow('boom');
      const t0 = Date.now();
      await s.withChat('telegram:1', () => undefined);
      expect(Date.now() - t0).toBeLessThan(1_000); // not the 2 s lock expiry
      await s.close();
    } finally {
      await server.close();
    }
  });
});
