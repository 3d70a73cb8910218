// Which chat channels run, and how they are started and stopped together.
// A channel whose token is not set is a stub that only reports why it is off (/healthz, the start-up line).
import type { Config } from '../config.js';
import { createTelegramChannel } from '../channels/telegram/index.js';
import type { Channel, ChannelDeps } from '../channels/types.js';
import { createZaloChannel } from '../channels/zalo/index.js';
import type { Logger } from '../log.js';

/** A channel that is off: no token, or misconfigured. */
export function offChannel(name: Channel['name'], reason: string): Channel {
  return {
    name,
    status: () => ({ state: 'off', reason }),
    start: async () => {},
    stop: async () => {},
  };
}

/** Builds both channels from the configuration (the place to wire a new channel). */
export function createChannels(config: Pick<Config, 'telegram' | 'zalo'>, deps: ChannelDeps): Channel[] {
  return [
    config.telegram.mode === 'off' ? offChannel('telegram', config.telegram.reason) : createTelegramChannel(config.telegram, deps),
    config.zalo.mode === 'off' ? offChannel('zalo', config.zalo.reason) : createZaloChannel(config.zalo, deps),
  ];
}

/**
 * Retrying a channel that failed to start, ms (doubles each time, capped). A bot started at boot often
 * comes up before the network: without a retry that channel would stay off until someone restarts it.
 */
export const START_RETRY = Object.freeze({ firstMs: 15_000, maxMs: 5 * 60_000 });

/** A token the platform rejected: retrying cannot help (Telegram's ChannelError carries the code). */
function isTokenRejected(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 401 || code === 403 || code === 404;
}

/**
 * Starts every channel (an off channel's start does nothing). A channel that fails to start (bad token, API unreachable) is logged
 * and reports `error` in its status; the server and the other channels keep running, and the channel is
 * started again later unless its token was rejected. Returns a function that cancels pending retries (call it when stopping).
 */
export async function startChannels(
  channels: Channel[],
  logger: Logger,
  retry: { firstMs: number; maxMs: number } = START_RETRY,
  /** Called when a platform rejects a channel's token at start (no retry follows). */
  onTokenRejected?: (channel: Channel, err: unknown) => void,
): Promise<() => void> {
  let cancelled = false;
  const timers = new Set<NodeJS.Timeout>();
  const attempt = async (c: Channel, delay: number, first: boolean): Promise<void> => {
    try {
      await c.start();
      if (!first) logger.info({ channel: c.name }, `${c.name} channel started after a retry`);
    } catch (err) {
      const again = !cancelled && !isTokenRejected(err);
      logger.error(
        { channel: c.name, err, ...(again ? { retryInMs: delay } : {}) },
        `${c.name} channel failed to start; the others keep running${again ? `; retrying in ${Math.round(delay / 1000)} s` : ''}`,
      );
      if (!again) {
        if (!cancelled && isTokenRejected(err)) onTokenRejected?.(c, err);
        return;
      }
      const t = setTimeout(() => {
        timers.delete(t);
        if (!cancelled) void attempt(c, Math.min(delay * 2, retry.maxMs), false);
      }, delay);
      t.unref(); // never keeps the process alive
      timers.add(t);
    }
  };
  await Promise.all(channels.map((c) => attempt(c, retry.firstMs, true)));
  return () => {
    cancelled = true;
    for (const t of timers) clearTimeout(t);
    timers.clear();
  };
}

/** Stops every channel; each finishes its in-flight replies within `graceMs`. Never rejects. */
export async function stopChannels(channels: Channel[], logger: Logger, graceMs = 10_000): Promise<void> {
  await Promise.all(
    channels.map((c) =>
      c.stop(graceMs).catch((err: unknown) => logger.error({ channel: c.name, err }, `${c.name} channel did not stop cleanly`)),
    ),
  );
}

/** "telegram: polling · zalo: off (ZALO_BOT_TOKEN is not set)" */
export function describeChannels(channels: Channel[]): string {
  return channels
    .map((c) => {
      const s = c.status();
      return s.reason && s.state !== 'polling' && s.state !== 'webhook' ? `${c.name}: ${s.state} (${s.reason})` : `${c.name}: ${s.state}`;
    })
    .join(' · ');
}
