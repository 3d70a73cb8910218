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
 * Starts every channel (an off channel's start does nothing). A channel that fails to start (bad token, API unreachable) is logged
 * and reports `error` in its status; the server and the other channels keep running.
 */
export async function startChannels(channels: Channel[], logger: Logger): Promise<void> {
  await Promise.all(
    channels.map(async (c) => {
      try {
        await c.start();
      } catch (err) {
        logger.error({ channel: c.name, err }, `${c.name} channel failed to start; the others keep running`);
      }
    }),
  );
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
