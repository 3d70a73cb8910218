// The Telegram webhook route the server mounts at /webhook/telegram. It checks the
// X-Telegram-Bot-Api-Secret-Token header in constant time (401 when missing, 403 when wrong),
// parses the update and answers 200 once the update is handled (or after `ackMs`, whatever comes first).
import type { IncomingMessage as HttpRequest, ServerResponse } from 'node:http';
import type { Update } from 'telegraf/types';
import type { Logger } from '../../log.js';
import type { WebhookRoute } from '../types.js';
import { secretMatches } from '../../privacy/secret.js';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export interface WebhookDeps {
  path: string;
  secret: string;
  logger: Logger;
  /** Handles one update; resolves when the reply went out (never rejects); 'busy': another instance has it now. */
  accept(update: Update): Promise<void | 'busy'>;
  /** While stopping we answer 503, so that Telegram delivers the update again later. */
  isStopping(): boolean;
  /** Longest time Telegram waits for our 200, ms. */
  ackMs: number;
}

export { secretMatches };

export function createWebhookRoute(deps: WebhookDeps): WebhookRoute {
  /** True when the request was refused (and answered): wrong method, missing or wrong secret. */
  function refuse(req: HttpRequest, res: ServerResponse): boolean {
    if (req.method !== 'POST') return answer(res, 405, { Allow: 'POST' }), true;
    const given = req.headers[SECRET_HEADER];
    if (typeof given !== 'string' || given === '') {
      deps.logger.warn('telegram webhook: request without secret header rejected');
      return answer(res, 401), true;
    }
    if (!secretMatches(given, deps.secret)) {
      deps.logger.warn('telegram webhook: request with a wrong secret rejected');
      return answer(res, 403), true;
    }
    return false;
  }
  return {
    path: deps.path,
    refuse,
    handle(req: HttpRequest, res: ServerResponse, body: Buffer): void {
      if (refuse(req, res)) return;
      if (deps.isStopping()) return answer(res, 503, { 'Retry-After': '5' });
      const update = parseUpdate(body);
      if (!update) return answer(res, 400);

      let done = false;
      const ack = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        answer(res, 200);
      };
      const timer = setTimeout(ack, deps.ackMs);
      deps.accept(update).then((r) => {
        // Another instance is answering this update: Telegram delivers it again later, and by then it is
        // either done (200, no second reply) or free again because that instance died (answered here).
        if (r === 'busy' && !done) {
          done = true;
          clearTimeout(timer);
          return answer(res, 503, { 'Retry-After': '2' });
        }
        ack();
      }, ack);
    },
  };
}

function parseUpdate(body: Buffer): Update | null {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (value && typeof value === 'object' && typeof (value as { update_id?: unknown }).update_id === 'number') return value as Update;
  } catch {
    // fall through
  }
  return null;
}

function answer(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.writableEnded) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(status === 200 ? '{}' : JSON.stringify({ ok: false, status }));
}
