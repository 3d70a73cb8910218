// Calling the Bot API through telegraf's client, with bounded retries:
// - 429 Too Many Requests: wait `parameters.retry_after` seconds, then try again;
// - network errors and 5xx: exponential backoff with jitter;
// - anything else (400, 401, 403…): fail at once.
// Errors that leave this module are ChannelErrors whose message never contains the token.
import { TelegramError } from 'telegraf';
import type { Logger } from '../../log.js';
import { redactSecrets } from '../../log.js';
import { maskPii } from '../../privacy/pii.js';

/** A Bot API failure, after retries. `code` is Telegram's error_code (0 for network errors). */
export class ChannelError extends Error {
  constructor(
    message: string,
    readonly method: string,
    readonly code: number,
    /** Telegram's `retry_after` (seconds) when the final failure was a 429. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}

export interface RetryPolicy {
  /** Attempts per call, the first one included. */
  maxAttempts: number;
  /** Longest `retry_after` we wait on a 429, seconds; a longer one fails the call at once. */
  maxRetryAfterSec: number;
  /** First backoff after a network error or 5xx, ms; doubles on each attempt. */
  backoffBaseMs: number;
  /** Longest single backoff, ms. */
  backoffMaxMs: number;
  /**
   * Replies (sendMessage, sendPhoto) keep being retried — past maxAttempts and through long 429 waits — until this
   * much time has passed since the first try, ms: a Bot API outage of a few minutes loses no reply. 0 = off.
   */
  deliveryBudgetMs?: number;
}

/** The calls that deliver a reply to a resident. */
const DELIVERY_METHODS = new Set(['sendMessage', 'sendPhoto']);

/** telegraf's callApi, seen through the narrow shape we use. */
export type RawCall = (method: string, payload: object, opts?: { signal?: AbortSignal }) => Promise<unknown>;

export interface ApiDeps {
  raw: RawCall;
  policy: RetryPolicy;
  logger: Logger;
  /** Strings that must never reach a log line or an error message (token, webhook secret). */
  secrets: string[];
  /** Called once per call that fails for good. */
  onFinalError?(method: string): void;
  /** When it returns true, pending retries give up (hard stop). */
  aborted?(): boolean;
}

export type CallApi = <T = unknown>(method: string, payload: object) => Promise<T>;

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_SOCKET']);

export function isNetworkError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return err.name === 'FetchError' || (typeof code === 'string' && NETWORK_CODES.has(code)) || /socket hang up/i.test(err.message);
}

export function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

/** A log-safe summary of any error: name, code and a message with secrets removed and personal data masked. */
export function describeError(err: unknown, secrets: string[]): { name: string; code?: number | string; message: string } {
  const clean = (text: string) => maskPii(redactSecrets(text, secrets));
  if (err instanceof TelegramError) return { name: 'TelegramError', code: err.code, message: clean(err.description) };
  if (err instanceof ChannelError) return { name: err.name, code: err.code, message: clean(err.message) };
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { name: err.name, code: typeof code === 'string' || typeof code === 'number' ? code : undefined, message: clean(err.message) };
  }
  return { name: typeof err, message: clean(String(err)) };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Builds the retrying `call(method, payload)` used for every outgoing Bot API request. */
export function createApi(deps: ApiDeps): CallApi {
  const { policy, logger } = deps;
  return async function call<T>(method: string, payload: object): Promise<T> {
    const started = Date.now();
    const budget = DELIVERY_METHODS.has(method) ? (policy.deliveryBudgetMs ?? 0) : 0;
    for (let attempt = 1; ; attempt++) {
      try {
        return (await deps.raw(method, payload)) as T;
      } catch (err) {
        let waitMs = retryDelay(err, attempt, policy);
        let last = attempt >= policy.maxAttempts || waitMs === null || deps.aborted?.() === true;
        if (last && budget > 0 && deps.aborted?.() !== true) {
          // A reply: retry while the budget lasts (a long 429 wait included), never a request Telegram refused.
          const wait = retryDelay(err, Math.min(attempt, 8), { ...policy, maxRetryAfterSec: budget / 1000 });
          if (wait !== null && Date.now() - started + wait <= budget) {
            waitMs = wait;
            last = false;
          }
        }
        const info = describeError(err, deps.secrets);
        if (last) {
          deps.onFinalError?.(method);
          logger.warn({ method, attempt, err: info }, 'telegram: API call failed');
          const retryAfter = err instanceof TelegramError ? err.parameters?.retry_after : undefined;
          throw new ChannelError(`Telegram ${method} failed: ${info.message}`, method, typeof info.code === 'number' ? info.code : 0, retryAfter);
        }
        logger.info({ method, attempt, waitMs, err: info }, 'telegram: API call will be retried');
        await sleep(waitMs!);
      }
    }
  };
}

/** How long to wait before the next attempt, or null when the error is not worth retrying. */
export function retryDelay(err: unknown, attempt: number, policy: RetryPolicy): number | null {
  if (err instanceof TelegramError) {
    if (err.code === 429) {
      const after = err.parameters?.retry_after ?? 1;
      return after > policy.maxRetryAfterSec ? null : after * 1000;
    }
    if (err.code >= 500) return backoff(attempt, policy);
    return null;
  }
  if (isNetworkError(err)) return backoff(attempt, policy);
  return null;
}

function backoff(attempt: number, policy: RetryPolicy): number {
  const base = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** (attempt - 1));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}
