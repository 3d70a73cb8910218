// The usage store, mounted on the server: channel hooks that record every reply, and the daily purge.
//
// Which replies are picks: a reply of kind 'answer' WITHOUT `debug` was not matched from typed text — it came
// from a button, a bare number or "/start q_<id>", i.e. the resident picked an entry. One WITH `debug` answers
// a typed question. Only typed text is ever handed to the store (masked there before writing).
import type { ChannelHooks } from '../channels/types.js';
import type { IncomingMessage, Reply } from '../engine/types.js';
import type { Logger } from '../log.js';
import { usageEvent, type UsageStore } from '../store/usage.js';
import type { PgUsageStore } from '../store/pg.js';

/** The store in use: SQLite (DATA_DIR), or PostgreSQL when DATABASE_URL is set. */
export type AnyUsageStore = UsageStore | PgUsageStore;

/** ms between purges of rows older than RETENTION_DAYS (the first runs at start). */
export const PURGE_EVERY_MS = 24 * 60 * 60 * 1000;

/** Records one handled message. Never throws: the store turns itself off on errors. */
export function recordUsage(store: Pick<UsageStore, 'recordPick' | 'recordReply'>, msg: IncomingMessage, reply: Reply, now: number = Date.now()): void {
  const chatKey = `${msg.channel}:${msg.chatId}`;
  if (reply.kind === 'answer' && !reply.debug && reply.entryId) store.recordPick(chatKey, reply.entryId, now);
  const typed = msg.kind === 'text' && !!reply.debug ? msg.text : undefined;
  store.recordReply(chatKey, usageEvent(msg.channel, typed, reply, now));
}

/** Channel hooks feeding the store. */
export function usageHooks(store: Pick<UsageStore, 'recordPick' | 'recordReply'>, clock: () => number = Date.now): Required<Pick<ChannelHooks, 'onReply'>> {
  return {
    onReply(msg, reply) {
      try {
        recordUsage(store, msg, reply, clock());
      } catch {
        /* counting must never cost a reply */
      }
    },
  };
}

/** Calls every hook in order; one hook's failure does not stop the others. */
export function combineHooks(...all: ChannelHooks[]): Required<ChannelHooks> {
  return {
    onReply(msg, reply, latencyMs) {
      for (const h of all) {
        try {
          h.onReply?.(msg, reply, latencyMs);
        } catch {
          /* an observer must never cost a reply */
        }
      }
    },
    onApiError(channel, method) {
      for (const h of all) {
        try {
          h.onApiError?.(channel, method);
        } catch {
          /* ignore */
        }
      }
    },
  };
}

/** Purges now and then every `everyMs`; returns a function that stops the timer. */
export function schedulePurge(store: AnyUsageStore, logger: Logger, everyMs: number = PURGE_EVERY_MS): () => void {
  const run = () => {
    if (store.status().state !== 'ok') return;
    void Promise.resolve(store.purge()).then((n) => {
      if (n) logger.info({ rows: n }, 'usage store: purged rows older than the retention period');
    });
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
