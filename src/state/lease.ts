// The polling lease: with several instances in polling mode, exactly one polls each platform (Telegram
// answers a second concurrent getUpdates with 409). The holder renews its lease every ttl/3; when it
// dies the lease expires and a standby instance, which retries every `retryMs`, takes over — within
// ttlMs + retryMs (about 6 s with the defaults).
//
// A Redis outage: the holder keeps polling (nobody else can take the lease meanwhile). A standby that
// cannot reach Redis for `outageTakeoverMs` polls anyway — answering matters more than a duplicate
// poller — and gives way as soon as Redis shows another holder.
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';

export const LEASE_DEFAULTS = Object.freeze({
  /** A lease not renewed for this long expires, ms. */
  ttlMs: 5_000,
  /** A standby instance tries to take the lease this often, ms. */
  retryMs: 1_000,
  /** A standby that cannot reach Redis this long polls without the lease, ms. */
  outageTakeoverMs: 30_000,
});

export type LeaseOptions = { -readonly [K in keyof typeof LEASE_DEFAULTS]: number };

export interface Lease {
  /**
   * Runs `work` whenever this instance holds the lease, until `signal` aborts. `work` gets a signal that
   * aborts when the lease is lost; it must return soon after. `onChange(true|false)` reports holding/standby.
   */
  run(signal: AbortSignal, work: (lost: AbortSignal) => Promise<void>, onChange?: (holding: boolean) => void): Promise<void>;
}

// Takes the lease when free, renews it when ours: 1 = held by us now, 0 = another instance holds it.
const TAKE_OR_RENEW = `
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

type LeaseClient = Redis & {
  vneidLease?(key: string, who: string, ttl: number): Promise<number>;
  vneidRelease?(key: string, who: string): Promise<number>;
};

export function createLease(deps: { redis: Redis; name: string; instance: string; logger: Logger; options?: Partial<LeaseOptions> }): Lease {
  const o: LeaseOptions = { ...LEASE_DEFAULTS, ...deps.options };
  const redis = deps.redis as LeaseClient;
  if (!redis.vneidLease) redis.defineCommand('vneidLease', { numberOfKeys: 1, lua: TAKE_OR_RENEW });
  if (!redis.vneidRelease) redis.defineCommand('vneidRelease', { numberOfKeys: 1, lua: RELEASE });
  const key = `lease:${deps.name}`;
  const log = deps.logger.child({ lease: deps.name });

  /** true: ours; false: another's; undefined: Redis unreachable. */
  const attempt = async (): Promise<boolean | undefined> => {
    try {
      return (await redis.vneidLease!(key, deps.instance, o.ttlMs)) === 1;
    } catch {
      return undefined;
    }
  };

  return {
    async run(signal, work, onChange) {
      let unreachableSince: number | undefined;
      while (!signal.aborted) {
        const got = await attempt();
        if (got === undefined) unreachableSince ??= Date.now();
        else unreachableSince = undefined;
        const forced = got === undefined && Date.now() - unreachableSince! >= o.outageTakeoverMs;
        if (!got && !forced) {
          onChange?.(false);
          await pause(o.retryMs, signal);
          continue;
        }
        if (forced) log.warn(`redis unreachable for ${Math.round(o.outageTakeoverMs / 1000)} s: polling ${deps.name} without the lease`);
        else log.info(`${deps.name}: this instance holds the polling lease`);
        onChange?.(true);
        const lost = new AbortController();
        const stopLost = () => lost.abort();
        signal.addEventListener('abort', stopLost);
        const renew = setInterval(() => {
          void attempt().then((mine) => {
            // undefined (Redis unreachable): keep polling — nobody else can take the lease meanwhile.
            if (mine === false && !lost.signal.aborted) {
              log.warn(`${deps.name}: another instance took the polling lease; this one stands by`);
              lost.abort();
            }
          });
        }, Math.max(20, Math.floor(o.ttlMs / 3)));
        renew.unref();
        try {
          await work(lost.signal);
        } catch (err) {
          log.error({ err }, `${deps.name}: polling under the lease failed`);
        } finally {
          clearInterval(renew);
          signal.removeEventListener('abort', stopLost);
        }
        // Handing over at once on a clean stop; a lost lease is someone else's already.
        if (!lost.signal.aborted || signal.aborted) await redis.vneidRelease!(key, deps.instance).catch(() => undefined);
        if (!signal.aborted) await pause(o.retryMs, signal);
      }
    },
  };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
