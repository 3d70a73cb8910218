// Live state shared by several instances through Redis (REDIS_URL): conversation state, update
// de-duplication and the polling lease (./lease.ts). The engine stays synchronous: before a message is
// handled its chat's state is loaded from Redis into the local memory store (the engine's StateStore),
// and written back right after, under a short per-chat lock so two instances never interleave one chat
// (which also makes the engine's per-chat rate limit count across instances).
//
// A Redis outage never stops answering: every call has a short deadline, and while Redis is unreachable
// the instance works on its memory state ("fallback", shown by /healthz and logged once); chats changed
// meanwhile are written back when Redis returns.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { ChatState, StateStore } from '../engine/types.js';
import type { Logger } from '../log.js';
import type { PendingPicks } from '../store/pg.js';
import { STORE_DEFAULTS } from '../store/usage.js';
import { createLease, type Lease, type LeaseOptions } from './lease.js';

export const REDIS_DEFAULTS = Object.freeze({
  /** Idle time after which a chat's state is forgotten, ms: the memory store's default (6 hours). */
  stateTtlMs: 6 * 60 * 60 * 1000,
  /** A chat lock expires on its own after this long, ms (an instance killed while holding it). */
  lockTtlMs: 2_000,
  /** Longest wait for another instance's lock on the same chat before answering anyway, ms. */
  lockWaitMs: 1_000,
  /** Deadline of every Redis command, ms: past it the instance answers from memory. */
  commandTimeoutMs: 500,
  /** An update being handled is claimed for this long, ms, renewed while the reply is still going out. */
  claimTtlMs: 5_000,
  /**
   * A handled update is remembered this long, ms: re-deliveries of an answered update come within seconds
   * (webhook retries, a polling takeover); ~100 bytes each, so a busy day stays a few MB.
   */
  doneTtlMs: 60 * 60 * 1000,
  /** Chats changed during an outage that are written back when Redis returns (the most recent ones). */
  maxDirty: 10_000,
  /** Key prefix, so that one Redis can serve several bots. */
  prefix: 'vneid:',
});

type Widen<T> = T extends number ? number : T extends string ? string : T;
export type RedisOptions = { -readonly [K in keyof typeof REDIS_DEFAULTS]: Widen<(typeof REDIS_DEFAULTS)[K]> } & { lease?: Partial<LeaseOptions> };

export interface SharedStatus {
  /** ok: state lives in Redis; fallback: Redis unreachable, this instance answers from its memory. */
  state: 'ok' | 'fallback';
  /** ISO time of the last change of state. */
  since: string;
  error?: string;
}

/** The outcome of claiming an update id. */
export type Claim =
  /** Ours to handle: call done() once the reply went out. */
  | { state: 'new'; done(): Promise<void> }
  /** Already handled (by any instance). */
  | { state: 'done' }
  /** Another instance is handling it right now. */
  | { state: 'busy' };

export interface SharedState {
  status(): SharedStatus;
  /** Loads the chat's state into the local store, runs `fn` (the synchronous engine), writes the state back. */
  withChat<T>(chatKey: string, fn: () => T): Promise<T>;
  /** De-duplication across instances: SET NX with an expiry. */
  claim(updateKey: string): Promise<Claim>;
  /** The polling lease of one platform. */
  lease(name: string): Lease;
  /** Each chat's last low-confidence question, waiting for the pick that links it (the PostgreSQL store's). */
  pendingPicks(): PendingPicks;
  /** Resolves once connected, or after `ms` (then the instance starts in fallback). */
  ready(ms: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface SharedOptions {
  url: string;
  /** The engine's store (memory): the local cache and the fallback. */
  local: StateStore;
  logger: Logger;
  options?: Partial<RedisOptions>;
}

// Writes the state (or deletes it) and releases the chat lock if it is still ours, in one round trip.
const COMMIT = `
if ARGV[1] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
return 1`;
// Claims an update id: 'new' when it was free, else what is stored ('d' = done, 'p:<instance>' = busy).
const CLAIM = `
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 'new' end
return redis.call('GET', KEYS[1]) or 'new'`;
// Extends a claim while it is still ours.
const RENEW_CLAIM = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

type Client = Redis & {
  vneidCommit(state: string, lock: string, json: string, ttl: number, token: string): Promise<number>;
  vneidClaim(key: string, value: string, ttl: number): Promise<string>;
  vneidRenewClaim(key: string, value: string, ttl: number): Promise<number>;
};

export function createRedisState(opts: SharedOptions): SharedState {
  const o: RedisOptions = { ...REDIS_DEFAULTS, ...opts.options };
  const log = opts.logger.child({ component: 'redis' });
  const instance = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const redis = new Redis(opts.url, {
    lazyConnect: false,
    // Commands fail at once while disconnected (no queue): the caller answers from memory instead of waiting.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: o.commandTimeoutMs,
    connectTimeout: 2_000,
    // Reconnect for ever, at most every 2 s, so the instance returns to Redis soon after it is back.
    retryStrategy: (times) => Math.min(100 * times, 2_000),
    keyPrefix: o.prefix,
  }) as Client;
  redis.defineCommand('vneidCommit', { numberOfKeys: 2, lua: COMMIT });
  redis.defineCommand('vneidClaim', { numberOfKeys: 1, lua: CLAIM });
  redis.defineCommand('vneidRenewClaim', { numberOfKeys: 1, lua: RENEW_CLAIM });

  let status: SharedStatus = { state: 'fallback', since: new Date().toISOString(), error: 'connecting' };
  let everReady = false;
  /** Chats changed while Redis was unreachable: written back on return. */
  const dirty = new Set<string>();
  /** State writes not yet confirmed (awaited by close()). */
  const commits = new Set<Promise<void>>();

  const toFallback = (reason: string) => {
    if (status.state === 'fallback' && status.error !== 'connecting') return;
    status = { state: 'fallback', since: new Date().toISOString(), error: reason };
    log.warn({ redis: 'fallback', reason }, 'redis unreachable: answering from this instance\'s memory until it is back');
  };
  redis.on('ready', () => {
    const was = status.state;
    status = { state: 'ok', since: new Date().toISOString() };
    if (!everReady) log.info({ redis: 'ok' }, 'redis connected: conversation state, de-duplication and leases are shared');
    else if (was === 'fallback') log.info({ redis: 'ok', pending: dirty.size }, 'redis is back: shared state again');
    everReady = true;
    void writeBack();
  });
  redis.on('error', (err: Error) => toFallback(describe(err)));
  redis.on('end', () => toFallback('connection closed'));
  redis.on('close', () => {
    if (status.state === 'ok') toFallback('connection lost');
  });

  const stateKey = (chat: string) => `chat:${chat}`;
  const lockKey = (chat: string) => `lock:${chat}`;
  const up = () => status.state === 'ok' && redis.status === 'ready';

  /** Chats changed during the outage go back to Redis (their memory state is the newest). */
  async function writeBack(): Promise<void> {
    const keys = [...dirty];
    dirty.clear();
    let written = 0;
    for (const key of keys) {
      const s = opts.local.get(key);
      try {
        if (s) await redis.set(stateKey(key), JSON.stringify(s), 'PX', o.stateTtlMs);
        written++;
      } catch {
        dirty.add(key);
      }
    }
    if (written) log.info({ chats: written }, 'redis: chats changed during the outage written back');
  }

  function markDirty(key: string) {
    dirty.delete(key);
    dirty.add(key);
    while (dirty.size > o.maxDirty) dirty.delete(dirty.values().next().value as string);
  }

  /** Takes the chat lock and reads the state in one round trip; retries briefly while another instance holds it. */
  async function lockAndLoad(key: string, token: string): Promise<{ locked: boolean; json: string | null }> {
    const until = Date.now() + o.lockWaitMs;
    let pause = 1;
    for (;;) {
      const res = await redis.pipeline().set(lockKey(key), token, 'PX', o.lockTtlMs, 'NX').get(stateKey(key)).exec();
      if (!res) throw new Error('redis pipeline returned nothing');
      const [[e1, ok], [e2, json]] = res as [[Error | null, unknown], [Error | null, unknown]];
      if (e1) throw e1;
      if (e2) throw e2;
      if (ok === 'OK') return { locked: true, json: (json as string | null) ?? null };
      if (Date.now() >= until) {
        log.warn({ chat: 'locked' }, 'redis: a chat lock was held too long; answering without it');
        return { locked: false, json: (json as string | null) ?? null };
      }
      await sleep(pause);
      pause = Math.min(pause * 2, 20);
    }
  }

  return {
    status: () => ({ ...status }),

    async withChat<T>(key: string, fn: () => T): Promise<T> {
      if (!up()) {
        markDirty(key);
        return fn();
      }
      const token = `${instance}:${randomBytes(4).toString('hex')}`;
      try {
        const { json } = await lockAndLoad(key, token);
        const state = json ? parseState(json) : undefined;
        if (state) opts.local.set(key, state);
        else opts.local.delete(key);
      } catch (err) {
        toFallback(describe(err));
        markDirty(key);
        return fn();
      }
      let result: T;
      try {
        result = fn();
      } catch (err) {
        // The engine promises never to throw; if something does, the chat is unlocked at once all the same.
        const loaded = opts.local.get(key);
        redis.vneidCommit(stateKey(key), lockKey(key), loaded ? JSON.stringify(loaded) : '', o.stateTtlMs, token).catch(() => undefined);
        throw err;
      }
      const after = opts.local.get(key);
      // The reply does not wait for the write: the chat stays locked until the state is written (one
      // script: write, then unlock), so the next message of this chat, on any instance, reads it.
      const commit = redis
        .vneidCommit(stateKey(key), lockKey(key), after ? JSON.stringify(after) : '', o.stateTtlMs, token)
        .then(
          () => undefined,
          (err: unknown) => {
            toFallback(describe(err));
            markDirty(key);
          },
        );
      commits.add(commit);
      void commit.finally(() => commits.delete(commit));
      return result;
    },

    async claim(updateKey: string): Promise<Claim> {
      const key = `seen:${updateKey}`;
      const mine = `p:${instance}`;
      const local: Claim = { state: 'new', done: async () => {} };
      if (!up()) return local; // the channels' own memory de-duplication still applies
      let got: string;
      try {
        got = await redis.vneidClaim(key, mine, o.claimTtlMs);
      } catch (err) {
        toFallback(describe(err));
        return local;
      }
      if (got === 'd') return { state: 'done' };
      if (got !== 'new') return { state: 'busy' };
      // Renewed while the reply is going out; an instance that dies lets the claim expire, so the
      // platform's retry is answered by another instance.
      const timer = setInterval(() => {
        redis.vneidRenewClaim(key, mine, o.claimTtlMs).catch(() => undefined);
      }, Math.max(50, Math.floor(o.claimTtlMs / 3)));
      timer.unref();
      return {
        state: 'new',
        async done() {
          clearInterval(timer);
          await redis.set(key, 'd', 'PX', o.doneTtlMs).catch(() => undefined);
        },
      };
    },

    pendingPicks(): PendingPicks {
      // While Redis is unreachable: this instance's memory (bounded), as without REDIS_URL.
      const memory = new Map<string, { rowTs: number; example: string }>();
      const key = (chat: string) => `pick:${chat}`;
      return {
        put(chat, p) {
          memory.delete(chat);
          memory.set(chat, p);
          while (memory.size > STORE_DEFAULTS.maxPendingPicks) memory.delete(memory.keys().next().value as string);
          if (up()) redis.set(key(chat), JSON.stringify(p), 'PX', STORE_DEFAULTS.pickWindowMs).catch(() => undefined);
        },
        forget(chat) {
          memory.delete(chat);
          if (up()) redis.del(key(chat)).catch(() => undefined);
        },
        async take(chat) {
          const local = memory.get(chat);
          memory.delete(chat);
          if (!up()) return local;
          try {
            const json = await redis.getdel(key(chat));
            return json ? (JSON.parse(json) as { rowTs: number; example: string }) : undefined;
          } catch {
            return local;
          }
        },
      };
    },

    lease(name: string): Lease {
      return createLease({ redis, name, instance, logger: log, options: o.lease });
    },

    async ready(ms: number): Promise<boolean> {
      if (up()) return true;
      const ok = await new Promise<boolean>((resolve) => {
        const t = setTimeout(() => {
          redis.off('ready', onReady);
          resolve(false);
        }, ms);
        t.unref();
        function onReady() {
          clearTimeout(t);
          resolve(true);
        }
        redis.once('ready', onReady);
      });
      if (!ok) toFallback(status.error === 'connecting' ? `no answer from Redis within ${ms} ms` : (status.error ?? 'unreachable'));
      return ok;
    },

    async close(): Promise<void> {
      await Promise.allSettled([...commits]);
      try {
        await redis.quit();
      } catch {
        redis.disconnect();
      }
    },
  };
}

/** A state read back from Redis; anything malformed counts as no state (a fresh conversation). */
function parseState(json: string): ChatState | undefined {
  try {
    const s = JSON.parse(json) as Partial<ChatState>;
    if (!s || !Array.isArray(s.lastChoices) || typeof s.fallbacks !== 'number') return undefined;
    return s as ChatState;
  } catch {
    return undefined;
  }
}

/** An error message without the URL (it may carry a password). */
function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const msg = (e?.message ?? String(err)).replace(/\b(rediss?|postgres(?:ql)?):\/\/\S+/gi, '$1://…');
  return e?.code ? `${e.code}: ${msg}` : msg;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
