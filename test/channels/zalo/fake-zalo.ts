// A fake Zalo Bot API server on 127.0.0.1 for the tests: POST /bot<token>/<method>, records every call,
// serves queued updates to getUpdates (long poll ending in the API's 408), and can be told to fail.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  body: Record<string, unknown>;
  /** Whether the call carried the right token. */
  authorized: boolean;
  /** Whether the fake answered ok:true (the call was delivered). */
  ok: boolean;
}

export interface FakeZaloOptions {
  token: string;
  /** The bot's name returned by getMe. */
  botName?: string;
  /** ms a getUpdates call waits for an update before answering 408 (the real API waits `timeout` s). */
  holdMs?: number;
}

export interface Failure {
  /** HTTP status to answer with (5xx), or 200 with ok:false when `okFalse` is set. */
  status: number;
  error_code?: number;
  description?: string;
  okFalse?: boolean;
  /** Do not answer at all (the client's timeout fires). */
  hang?: boolean;
}

export class FakeZaloApi {
  readonly calls: RecordedCall[] = [];
  private server: Server;
  private queue: unknown[] = [];
  private waiters: (() => void)[] = [];
  private failures = new Map<string, Failure[]>();
  private hanging = new Set<() => void>();
  private nextId = 1;
  url = '';

  constructor(private readonly opts: FakeZaloOptions) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.route(req.url ?? '', Buffer.concat(chunks).toString('utf8'), res, req));
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const w of this.waiters.splice(0)) w();
    for (const h of [...this.hanging]) h();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Queues an update body exactly as getUpdates will return it in `result`. */
  push(update: unknown): void {
    this.queue.push(update);
    for (const w of this.waiters.splice(0)) w();
  }

  /** The next `times` calls of `method` fail as described. */
  fail(method: string, times: number, failure: Failure): void {
    const list = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(failure);
    this.failures.set(method, list);
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Texts delivered with sendMessage (answered ok:true), in order. */
  sentTexts(chatId?: string): string[] {
    return this.callsOf('sendMessage')
      .filter((c) => c.ok && (chatId === undefined || c.body.chat_id === chatId))
      .map((c) => String(c.body.text));
  }

  private send(res: import('node:http').ServerResponse, status: number, body: { ok: boolean; [k: string]: unknown }, call?: RecordedCall): void {
    if (res.writableEnded || res.destroyed) return;
    if (call) call.ok = body.ok === true;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(text);
  }

  private async route(url: string, raw: string, res: import('node:http').ServerResponse, req: import('node:http').IncomingMessage) {
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url);
    if (!m) return this.send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = m;
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return this.send(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
    }
    const authorized = token === this.opts.token;
    const call: RecordedCall = { method, body, authorized, ok: false };
    this.calls.push(call);
    if (!authorized) return this.send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' }, call);

    const failure = this.failures.get(method)?.shift();
    if (failure) {
      if (failure.hang) {
        const done = () => {
          this.hanging.delete(done);
          res.destroy();
        };
        this.hanging.add(done);
        res.on('close', done);
        return;
      }
      const code = failure.error_code ?? failure.status;
      return this.send(res, failure.okFalse ? 200 : failure.status, {
        ok: false,
        error_code: code,
        description: failure.description ?? 'Internal Server Error',
      }, call);
    }

    const now = Date.now();
    switch (method) {
      case 'getMe':
        return this.send(res, 200, {
          ok: true,
          result: { id: '1234567890', account_name: this.opts.botName ?? 'Trợ lý VNeID', account_type: 'BASIC', can_join_groups: true },
        }, call);
      case 'getUpdates': {
        if (!this.queue.length) {
          await new Promise<void>((resolve) => {
            const t = setTimeout(done, this.opts.holdMs ?? 300);
            function done() {
              clearTimeout(t);
              resolve();
            }
            this.waiters.push(done);
            res.on('close', done);
          });
        }
        if (res.destroyed || res.writableEnded) return; // the client gave up (stop): keep the update queued
        const next = this.queue.shift();
        if (next === undefined) return this.send(res, 200, { ok: false, error_code: 408, description: 'Request timeout' }, call);
        return this.send(res, 200, { ok: true, result: next }, call);
      }
      case 'setWebhook':
        return this.send(res, 200, { ok: true, result: { url: body.url, updated_at: now } }, call);
      case 'deleteWebhook':
        return this.send(res, 200, { ok: true, result: { url: '', updated_at: now } }, call);
      case 'getWebhookInfo':
        return this.send(res, 200, { ok: true, result: { url: '', updated_at: now } }, call);
      case 'sendMessage':
      case 'sendPhoto': {
        const text = String(method === 'sendMessage' ? body.text : (body.caption ?? 'x'));
        if (!body.chat_id || text.length < 1 || text.length > 2000) {
          return this.send(res, 200, { ok: false, error_code: 400, description: 'Bad Request: text must be 1-2000 characters' }, call);
        }
        return this.send(res, 200, { ok: true, result: { message_id: `m${this.nextId++}`, date: now } }, call);
      }
      case 'sendChatAction':
        return this.send(res, 200, { ok: true, result: true }, call);
      default:
        return this.send(res, 404, { ok: false, error_code: 404, description: 'Method not found' }, call);
    }
  }
}

/** A text update in the bare webhook shape. */
export function textUpdate(chatId: string, text: string, messageId: string, chatType: 'PRIVATE' | 'GROUP' = 'PRIVATE') {
  return {
    event_name: 'message.text.received',
    message: {
      message_id: messageId,
      date: Date.now(),
      text,
      chat: { id: chatId, chat_type: chatType },
      from: { id: chatId, display_name: 'Nguyen Van A', is_bot: false },
    },
  };
}

/** A non-text update (sticker, image, voice…). */
export function otherUpdate(chatId: string, event: string, messageId: string) {
  return {
    event_name: event,
    message: {
      message_id: messageId,
      date: Date.now(),
      chat: { id: chatId, chat_type: 'PRIVATE' },
      from: { id: chatId, display_name: 'Nguyen Van A', is_bot: false },
      sticker: 'abc',
    },
  };
}

/** Polls `check` until it returns true (or throws after `ms`). */
export async function waitFor(check: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
