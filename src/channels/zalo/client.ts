// A small Zalo Bot API client over axios, mirroring the official SDKs' method names (python-zalo-bot).
// Every call: POST <apiRoot>/bot<token>/<method> with a JSON body → { ok, result } | { ok: false, error_code, description }.
// The token is part of the URL, so no axios error, URL or config object ever leaves this file: failures
// become a ZaloApiError whose message is built here and scrubbed with redactSecrets.
import axios, { type AxiosInstance } from 'axios';
import { redactSecrets, type Logger } from '../../log.js';
import { toUpdates, type ZaloUpdate } from './adapter.js';

/** Tunable defaults, each with the reason for its value. */
export const ZALO_CLIENT_DEFAULTS = Object.freeze({
  /** ms; an ordinary call (sendMessage…) that takes longer than this is abandoned and retried. */
  timeoutMs: 10_000,
  /** seconds; the long-poll window asked of getUpdates (the docs' example value). */
  pollTimeoutSec: 30,
  /** ms added to the long-poll window for the HTTP timeout of getUpdates, so the server answers first. */
  pollGraceMs: 10_000,
  /** Attempts per call (first try included) on ok:false, timeouts, network errors and 5xx. Bounded. */
  attempts: 3,
  /** ms; first backoff delay, doubled on each retry. */
  backoffMs: 300,
  /** ms; backoff ceiling. */
  maxBackoffMs: 5_000,
  /** ms; a reply (sendMessage, sendPhoto) is retried past `attempts` until this long after its first try: a Bot API outage of a few minutes loses no reply. */
  deliveryBudgetMs: 5 * 60_000,
});

/** error_code values that retrying cannot fix (bad request, wrong token, forbidden, unknown method). */
const PERMANENT_CODES = new Set([400, 401, 403, 404]);

/** A Zalo Bot API failure: the platform's error_code and description, never the token. */
export class ZaloApiError extends Error {
  override readonly name = 'ZaloApiError';
  constructor(
    /** API method that failed, e.g. "sendMessage". */
    readonly method: string,
    /** The platform's error_code, the HTTP status, or 0 for a network error / timeout. */
    readonly error_code: number,
    /** The platform's description (token-free), or what went wrong on the wire. */
    readonly description: string,
    /** Whether a retry may help (timeouts, network, 5xx, 429, other ok:false). */
    readonly retryable: boolean,
  ) {
    super(`Zalo API ${method} failed: ${error_code || 'network'} ${description}`);
  }
}

export interface ZaloBotInfo {
  id: string;
  /** The bot's name as residents see it (account_name; some senders use display_name or name). */
  account_name: string;
  account_type?: string;
  can_join_groups?: boolean;
}

export interface ZaloSent {
  message_id: string;
  date: number;
}

export interface ZaloWebhookInfo {
  url: string;
  updated_at?: number;
}

export interface RetryOptions {
  attempts?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  /** See ZALO_CLIENT_DEFAULTS.deliveryBudgetMs; 0 turns it off. */
  deliveryBudgetMs?: number;
}

export interface ZaloClientOptions {
  /** An axios instance to use (tests and proxies); default a fresh one. */
  http?: AxiosInstance;
  token: string;
  /** e.g. https://bot-api.zaloplatforms.com (no trailing slash needed). */
  apiRoot: string;
  /** ms per ordinary call (default 10 000). */
  timeoutMs?: number;
  logger?: Logger;
  retry?: RetryOptions;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Override the number of attempts for this call (1 = no retry). */
  attempts?: number;
  /** Override the HTTP timeout for this call, ms. */
  timeoutMs?: number;
}

export interface ZaloClient {
  getMe(opts?: CallOptions): Promise<ZaloBotInfo>;
  /** Long poll; [] when nothing arrived (the API's 408). Accepts one update or an array. Never retried here. */
  getUpdates(params?: { timeout?: number }, opts?: CallOptions): Promise<ZaloUpdate[]>;
  setWebhook(url: string, secretToken: string, opts?: CallOptions): Promise<ZaloWebhookInfo>;
  deleteWebhook(opts?: CallOptions): Promise<ZaloWebhookInfo>;
  getWebhookInfo(opts?: CallOptions): Promise<ZaloWebhookInfo>;
  sendMessage(chatId: string, text: string, opts?: CallOptions): Promise<ZaloSent>;
  /** `photo` is an image URL (the API takes no uploads). */
  sendPhoto(chatId: string, photo: string, caption?: string, opts?: CallOptions): Promise<ZaloSent>;
  sendChatAction(chatId: string, action?: 'typing', opts?: CallOptions): Promise<boolean>;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function createZaloClient(options: ZaloClientOptions): ZaloClient {
  const { token, logger } = options;
  const http = options.http ?? axios.create();
  const base = options.apiRoot.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? ZALO_CLIENT_DEFAULTS.timeoutMs;
  const attemptsDefault = Math.max(1, options.retry?.attempts ?? ZALO_CLIENT_DEFAULTS.attempts);
  const backoffMs = options.retry?.backoffMs ?? ZALO_CLIENT_DEFAULTS.backoffMs;
  const maxBackoffMs = options.retry?.maxBackoffMs ?? ZALO_CLIENT_DEFAULTS.maxBackoffMs;
  const deliveryBudgetMs = options.retry?.deliveryBudgetMs ?? ZALO_CLIENT_DEFAULTS.deliveryBudgetMs;
  const scrub = (s: string) => redactSecrets(s, [token]);

  /** One HTTP round trip, turned into a result or a ZaloApiError. */
  async function once(method: string, body: object, opts: CallOptions): Promise<unknown> {
    let status: number;
    let data: unknown;
    try {
      const res = await http.post(`${base}/bot${token}/${method}`, body, {
        timeout: opts.timeoutMs ?? timeoutMs,
        signal: opts.signal,
        validateStatus: () => true,
        headers: { 'content-type': 'application/json' },
        // Keep axios from following redirects to a URL we did not choose.
        maxRedirects: 0,
      });
      status = res.status;
      data = res.data;
    } catch (err) {
      // Never keep the axios error: its config carries the URL with the token.
      const e = err as { code?: string; message?: string };
      const aborted = opts.signal?.aborted || e.code === 'ERR_CANCELED';
      const timedOut = e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT';
      const what = aborted ? 'aborted' : timedOut ? 'timeout' : scrub(e.code ?? e.message ?? 'network error');
      throw new ZaloApiError(method, 0, what, !aborted);
    }
    const json = (data && typeof data === 'object' ? data : {}) as {
      ok?: boolean;
      result?: unknown;
      error_code?: number;
      description?: string;
    };
    if (status >= 200 && status < 300 && json.ok === true) return json.result;
    const code = typeof json.error_code === 'number' ? json.error_code : status;
    const description = scrub(typeof json.description === 'string' ? json.description.slice(0, 200) : `HTTP ${status}`);
    const retryable = status >= 500 || !PERMANENT_CODES.has(code);
    throw new ZaloApiError(method, code, description, retryable);
  }

  /** A call with bounded retries and exponential backoff; logs without PII or token. */
  async function call<T>(method: string, body: object, opts: CallOptions = {}): Promise<T> {
    const attempts = Math.max(1, opts.attempts ?? attemptsDefault);
    // Replies keep trying for the delivery budget (unless the caller fixed the attempts, e.g. the typing indicator).
    const budget = opts.attempts === undefined && (method === 'sendMessage' || method === 'sendPhoto') ? deliveryBudgetMs : 0;
    const started = Date.now();
    let delay = backoffMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return (await once(method, body, opts)) as T;
      } catch (err) {
        const e = err as ZaloApiError;
        const inBudget = Date.now() - started + delay <= budget;
        const last = (attempt >= attempts && !inBudget) || !e.retryable || opts.signal?.aborted;
        // Callers log final failures with their context; here only the attempts (an empty long poll is no failure).
        if (!(method === 'getUpdates' && e.error_code === 408)) {
          logger?.debug(
            { method, error_code: e.error_code, description: e.description, attempt, of: attempts },
            last ? 'zalo api call failed' : 'zalo api call failed, retrying',
          );
        }
        if (last) throw e;
        await sleep(delay, opts.signal);
        delay = Math.min(delay * 2, maxBackoffMs);
      }
    }
  }

  return {
    async getMe(opts) {
      const r = await call<Record<string, unknown>>('getMe', {}, opts);
      const name = r?.account_name ?? r?.display_name ?? r?.name ?? '';
      return {
        id: String(r?.id ?? ''),
        account_name: String(name),
        account_type: typeof r?.account_type === 'string' ? r.account_type : undefined,
        can_join_groups: typeof r?.can_join_groups === 'boolean' ? r.can_join_groups : undefined,
      };
    },
    async getUpdates(params = {}, opts = {}) {
      const timeout = params.timeout ?? ZALO_CLIENT_DEFAULTS.pollTimeoutSec;
      try {
        // The API takes the timeout as a string of seconds.
        const result = await call<unknown>('getUpdates', { timeout: String(timeout) }, {
          attempts: 1,
          timeoutMs: timeout * 1000 + ZALO_CLIENT_DEFAULTS.pollGraceMs,
          ...opts,
        });
        return toUpdates(result);
      } catch (err) {
        if (err instanceof ZaloApiError && err.error_code === 408) return []; // long poll ended with nothing new
        throw err;
      }
    },
    setWebhook: (url, secretToken, opts) => call('setWebhook', { url, secret_token: secretToken }, opts),
    deleteWebhook: (opts) => call('deleteWebhook', {}, opts),
    getWebhookInfo: (opts) => call('getWebhookInfo', {}, opts),
    sendMessage: (chatId, text, opts) => call('sendMessage', { chat_id: chatId, text }, opts),
    sendPhoto: (chatId, photo, caption, opts) =>
      call('sendPhoto', caption ? { chat_id: chatId, photo, caption } : { chat_id: chatId, photo }, opts),
    sendChatAction: async (chatId, action = 'typing', opts) =>
      Boolean(await call('sendChatAction', { chat_id: chatId, action }, opts)),
  };
}
