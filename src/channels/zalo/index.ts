// The Zalo channel: receives updates (long polling, or the webhook the server mounts), hands each one to
// the engine through the adapter, and sends the reply back through the Zalo Bot API client.
//
//   update ─▶ dedupe (message_id) ─▶ adapter.toIncoming ─▶ engine.handle ─▶ adapter.renderReply ─▶ client.send*
//
// Replies in one chat go out in order (a per-chat queue); a failure on one message is logged (update
// id only, no text, no token) and never stops the loop.
import type { IncomingMessage as HttpRequest, ServerResponse } from 'node:http';
import { ZALO_WEBHOOK_PATH, type Config } from '../../config.js';
import { redactSecrets } from '../../log.js';
import type { IncomingMessage, Reply } from '../../engine/types.js';
import type { Channel, ChannelDeps, ChannelStatus, WebhookRoute } from '../types.js';
import { renderReply, toIncoming, toUpdates, type Outgoing, type ZaloUpdate } from './adapter.js';
import { createZaloClient, sleep, ZaloApiError, type RetryOptions, type ZaloClient } from './client.js';
import { createDedupe } from './dedupe.js';
import { secretMatches } from '../../privacy/secret.js';

export { createZaloClient, ZaloApiError } from './client.js';
export type { ZaloClient } from './client.js';

/** Tunable defaults of the channel, each with the reason for its value. */
export const ZALO_CHANNEL_DEFAULTS = Object.freeze({
  /** seconds; long-poll window per getUpdates. */
  pollTimeoutSec: 30,
  /** ms; first pause after a failed getUpdates, doubled on each failure in a row. */
  pollBackoffMs: 1_000,
  /** ms; ceiling of that pause, so the bot comes back within a minute of the API recovering. */
  pollMaxBackoffMs: 60_000,
  /** message_ids remembered for de-duplication; Zalo re-sends within minutes, so a few thousand suffice. */
  dedupeMax: 5_000,
  /** ms; how long a message_id is remembered. */
  dedupeTtlMs: 10 * 60_000,
  /** ms; default wait for in-flight replies on stop. */
  graceMs: 10_000,
});

/** Test and tuning knobs (all optional). */
export interface ZaloChannelOptions {
  /** Client override (tests); default createZaloClient from cfg. */
  client?: ZaloClient;
  /** Retry policy of the client's calls (ok:false, timeouts, 5xx). */
  retry?: RetryOptions;
  /** ms per ordinary API call. */
  timeoutMs?: number;
  pollTimeoutSec?: number;
  pollBackoffMs?: number;
  pollMaxBackoffMs?: number;
  dedupeMax?: number;
  dedupeTtlMs?: number;
  /** Epoch ms clock for de-duplication. */
  now?: () => number;
}

export function createZaloChannel(cfg: Config['zalo'], deps: ChannelDeps, options: ZaloChannelOptions = {}): Channel {
  const log = deps.logger.child({ channel: 'zalo' });
  const secrets = cfg.mode === 'off' ? [] : cfg.mode === 'webhook' ? [cfg.token, cfg.secret] : [cfg.token];
  const scrub = (s: string) => redactSecrets(s, secrets);
  const d = { ...ZALO_CHANNEL_DEFAULTS, ...stripUndefined(options) };

  let status: ChannelStatus =
    cfg.mode === 'off' ? { state: 'off', reason: cfg.reason } : { state: 'off', reason: 'not started' };
  let botName: string | undefined;
  let stopped = false;
  /** true once start() succeeded. */
  let started = false;
  let pollAbort: AbortController | undefined;
  let pollDone: Promise<void> | undefined;

  const client: ZaloClient | undefined =
    options.client ??
    (cfg.mode === 'off'
      ? undefined
      : createZaloClient({ token: cfg.token, apiRoot: cfg.apiRoot, timeoutMs: options.timeoutMs, logger: log, retry: options.retry }));

  const seen = createDedupe({ max: d.dedupeMax, ttlMs: d.dedupeTtlMs, now: options.now });
  /** Tail of each chat's queue; cleared when the chat is idle. */
  const chats = new Map<string, Promise<void>>();
  const inFlight = new Set<Promise<void>>();

  /** Queues one update; returns once it is fully handled (never rejects). */
  function dispatch(update: ZaloUpdate): Promise<void> {
    const inbound = toIncoming(update, { botName });
    if (inbound.kind === 'skip') {
      log.debug({ reason: inbound.reason, message_id: update.message?.message_id }, 'zalo update skipped');
      return Promise.resolve();
    }
    if (inbound.messageId && !seen.add(`${inbound.chatId}:${inbound.messageId}`)) {
      log.debug({ message_id: inbound.messageId }, 'zalo duplicate message ignored');
      return Promise.resolve();
    }
    const prev = chats.get(inbound.chatId) ?? Promise.resolve();
    const task = prev.then(() => (deps.shared && inbound.messageId ? handleShared(inbound.msg, `zalo:${inbound.chatId}:${inbound.messageId}`) : handle(inbound.msg))).catch((err: unknown) => {
      log.error({ message_id: inbound.messageId, error: errInfo(err) }, 'zalo message failed');
    });
    chats.set(inbound.chatId, task);
    inFlight.add(task);
    void task.finally(() => {
      inFlight.delete(task);
      if (chats.get(inbound.chatId) === task) chats.delete(inbound.chatId);
    });
    return task;
  }

  /** Several instances (REDIS_URL): the message id is claimed in Redis, so only one instance answers it. */
  async function handleShared(msg: IncomingMessage, key: string): Promise<void> {
    const claim = await deps.shared!.claim(key);
    if (claim.state !== 'new') {
      log.debug({ message_id: msg.messageId, claim: claim.state }, 'zalo message handled by another instance, ignored');
      return;
    }
    try {
      await handle(msg);
    } finally {
      await claim.done();
    }
  }

  async function handle(msg: IncomingMessage): Promise<void> {
    if (!client) return;
    const t0 = performance.now();
    let reply: Reply;
    try {
      const engine = deps.runtime.engine();
      reply = deps.shared ? await deps.shared.withChat(`${msg.channel}:${msg.chatId}`, () => engine.handle(msg)) : engine.handle(msg);
    } catch (err) {
      // The engine promises never to throw; if it does, the resident still gets a polite answer.
      log.error({ message_id: msg.messageId, error: errInfo(err) }, 'zalo engine failed');
      const m = deps.runtime.content().messages;
      reply = { kind: 'fallback', blocks: [m.error.replace('{hotline}', m.hotline ?? '')], links: [], qr: [], choices: [] };
    }
    const ms = performance.now() - t0;
    try {
      deps.hooks?.onReply?.(msg, reply, ms);
    } catch (err) {
      log.warn({ error: errInfo(err) }, 'zalo onReply hook failed');
    }
    log.info({ message_id: msg.messageId, kind: reply.kind, entry: reply.entryId, ms: Math.round(ms * 100) / 100 }, 'zalo reply');
    const outgoing = renderReply(reply, { publicUrl: deps.publicUrl, messages: deps.runtime.content().messages });
    // Typing indicator: best effort, one attempt, its failure never blocks the answer.
    await client.sendChatAction(msg.chatId, 'typing', { attempts: 1 }).catch(() => undefined);
    for (const out of outgoing) await send(msg.chatId, out);
  }

  async function send(chatId: string, out: Outgoing): Promise<void> {
    if (!client) return;
    try {
      if (out.type === 'text') await client.sendMessage(chatId, out.text);
      else await client.sendPhoto(chatId, out.photo, out.caption);
    } catch (err) {
      const method = out.type === 'text' ? 'sendMessage' : 'sendPhoto';
      apiError(method, err);
      // A photo that cannot be sent still leaves the resident the link as text.
      if (out.type === 'photo') {
        try {
          await client.sendMessage(chatId, out.fallback);
        } catch (err2) {
          apiError('sendMessage', err2);
        }
      }
    }
  }

  function apiError(method: string, err: unknown): void {
    log.warn({ method, error: errInfo(err) }, 'zalo api call failed for good');
    try {
      deps.hooks?.onApiError?.('zalo', method);
    } catch {
      /* a broken observer must not break sending */
    }
  }

  function errInfo(err: unknown): Record<string, unknown> {
    if (err instanceof ZaloApiError) return { type: err.name, error_code: err.error_code, message: scrub(err.message) };
    if (err instanceof Error) return { type: err.name, message: scrub(err.message) };
    return { message: scrub(String(err)) };
  }

  /** getMe: remembers the bot's name (group mentions); a wrong token stops start-up with a clear message. */
  async function connect(): Promise<void> {
    if (!client) return;
    try {
      const me = await client.getMe();
      botName = me.account_name || undefined;
      log.info({ bot_id: me.id, name: me.account_name }, 'zalo bot connected');
    } catch (err) {
      const e = err instanceof ZaloApiError ? err : undefined;
      const why =
        e && (e.error_code === 401 || e.error_code === 403)
          ? 'ZALO_BOT_TOKEN bị từ chối (token is rejected): check the token in Zalo Bot Creator'
          : `cannot reach the Zalo Bot API (${e ? `${e.error_code || 'network'} ${e.description}` : 'unknown error'}): check ZALO_API_ROOT and the network`;
      status = { state: 'error', reason: scrub(why) };
      apiError('getMe', err);
      // The platform's code travels with the error: a rejected token is not retried (server/channels.ts).
      throw Object.assign(new Error(scrub(`Zalo: ${why}`)), { code: e?.error_code ?? 0 });
    }
  }

  async function pollLoop(signal: AbortSignal): Promise<void> {
    if (!client) return;
    let delay = d.pollBackoffMs;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const updates = await client.getUpdates({ timeout: d.pollTimeoutSec }, { signal });
        delay = d.pollBackoffMs;
        if (failures) status = { state: 'polling' };
        failures = 0;
        for (const u of updates) void dispatch(u);
      } catch (err) {
        if (signal.aborted) break;
        failures++;
        log.warn({ error: errInfo(err), retry_in_ms: delay, failures }, 'zalo getUpdates failed');
        // Shown by /healthz once it is more than a blip; polling goes on and clears it on the next success.
        if (failures >= 3) {
          const e = err instanceof ZaloApiError ? `${codeOf(err)} ${err.description}` : 'unknown error';
          status = { state: 'error', reason: scrub(`getUpdates failing (${failures} in a row: ${e}); retrying`) };
        }
        await sleep(delay, signal);
        delay = Math.min(delay * 2, d.pollMaxBackoffMs);
      }
    }
  }

  const webhook: WebhookRoute | undefined =
    cfg.mode === 'webhook'
      ? {
          path: ZALO_WEBHOOK_PATH,
          refuse(req: HttpRequest, res: ServerResponse): boolean {
            const header = req.headers['x-bot-api-secret-token'];
            const given = Array.isArray(header) ? header[0] : header;
            if (!given) return answer(res, 401, { ok: false, description: 'missing secret token' }), true;
            if (!secretMatches(given, cfg.secret)) return answer(res, 403, { ok: false, description: 'wrong secret token' }), true;
            return false;
          },
          handle(req: HttpRequest, res: ServerResponse, body: Buffer) {
            if (webhook!.refuse!(req, res)) return;
            let parsed: unknown;
            try {
              parsed = JSON.parse(body.toString('utf8'));
            } catch {
              return answer(res, 400, { ok: false, description: 'malformed JSON' });
            }
            if (stopped) return answer(res, 503, { ok: false, description: 'shutting down' });
            // Answer at once, work after: Zalo re-sends when the answer is slow.
            answer(res, 200, { ok: true });
            for (const u of toUpdates(parsed)) void dispatch(u);
          },
        }
      : undefined;

  return {
    name: 'zalo',
    webhook,
    status: () => status,
    async start() {
      if (cfg.mode === 'off' || !client) {
        status = { state: 'off', reason: cfg.mode === 'off' ? cfg.reason : 'no client' };
        return;
      }
      stopped = false;
      await connect();
      if (cfg.mode === 'webhook') {
        try {
          await client.setWebhook(cfg.url, cfg.secret);
        } catch (err) {
          const e = err as ZaloApiError;
          status = { state: 'error', reason: scrub(`setWebhook failed: ${e.error_code ?? ''} ${e.description ?? ''}`.trim()) };
          apiError('setWebhook', err);
          throw new Error(scrub(`Zalo: setWebhook(${cfg.url}) failed (${e.error_code ?? 'network'} ${e.description ?? ''}); the URL must be HTTPS and reachable`));
        }
        status = { state: 'webhook' };
        started = true;
        log.info({ url: cfg.url }, 'zalo webhook set');
        return;
      }
      // getUpdates does not work while a webhook is set.
      try {
        await client.deleteWebhook();
      } catch (err) {
        apiError('deleteWebhook', err);
        log.warn('zalo deleteWebhook failed; polling anyway');
      }
      pollAbort = new AbortController();
      status = { state: 'polling' };
      started = true;
      // Several instances (REDIS_URL): only the holder of the polling lease polls; the others stand by.
      pollDone = deps.shared
        ? deps.shared.lease('zalo').run(pollAbort.signal, pollLoop, (holding) => {
            if (status.state === 'polling') status = holding ? { state: 'polling' } : { state: 'polling', reason: 'standby: another instance polls' };
          })
        : pollLoop(pollAbort.signal);
      log.info('zalo polling started');
    },
    async stop(graceMs = d.graceMs) {
      stopped = true;
      pollAbort?.abort();
      await pollDone;
      pollDone = undefined;
      if (inFlight.size) {
        const timer = sleep(graceMs);
        await Promise.race([Promise.allSettled([...inFlight]), timer]);
        if (inFlight.size) log.warn({ pending: inFlight.size }, 'zalo stop: replies still pending after grace period');
      }
      if (started) status = { state: 'off', reason: 'stopped' };
      started = false;
    },
  };
}


const codeOf = (e: ZaloApiError) => (e.error_code ? String(e.error_code) : 'network');

function answer(res: ServerResponse, code: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
