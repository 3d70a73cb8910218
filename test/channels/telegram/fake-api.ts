// A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests. It records every call (JSON or
// multipart, with uploaded files), serves getUpdates as a long poll over a queue of updates, checks what
// the real API checks and we care about (HTML entities, 4,096 characters, 64-byte callback_data, a file
// in sendPhoto), and can be told to fail the next calls (429 with retry_after, 5xx, dropped connection).
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface UploadedFile {
  filename: string;
  data: Buffer;
}

export interface ApiCall {
  method: string;
  /** JSON body, or the multipart text fields (reply_markup etc. JSON-decoded). */
  body: Record<string, unknown>;
  files: Record<string, UploadedFile>;
  multipart: boolean;
  /** For sendMessage / sendPhoto: the text or caption as the resident sees it (tags removed, entities decoded). */
  shown?: string;
  /** HTTP status we answered. */
  status: number;
  /** For a successful sendMessage / sendPhoto: the message_id it got. */
  messageId?: number;
  at: number;
}

export type Failure =
  | { kind: 'api'; status: number; error_code: number; description: string; retry_after?: number }
  | { kind: 'network' }
  /** The request is accepted and never answered (a stuck connection). */
  | { kind: 'hang' };

export const BOT = Object.freeze({ id: 777000111, is_bot: true, first_name: 'Hỏi đáp VNeID', username: 'vneid_hoidap_bot' });

export interface FakeApiOptions {
  /** The token the fake accepts; any other gets 401. */
  token: string;
  /** Longest time a getUpdates call is held open, ms (the client's `timeout` is honoured up to this). */
  maxHoldMs?: number;
}

export class FakeTelegramApi {
  readonly calls: ApiCall[] = [];
  readonly token: string;
  private server?: Server;
  private queue: Record<string, unknown>[] = [];
  private nextUpdateId = 1000;
  private nextMessageId = 1;
  private waiters = new Set<() => void>();
  private failures = new Map<string, Failure[]>();
  /** The inline keyboard each sent message shows now ("<chat>:<message_id>"), as editMessageReplyMarkup leaves it. */
  private markups = new Map<string, unknown>();
  private readonly maxHoldMs: number;

  constructor(opts: FakeApiOptions) {
    this.token = opts.token;
    this.maxHoldMs = opts.maxHoldMs ?? 1000;
  }

  get apiRoot(): string {
    const addr = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${addr.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.onRequest(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    for (const w of this.waiters) w();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Queues an update for getUpdates and returns it with its update_id. */
  push(update: Record<string, unknown>): Record<string, unknown> {
    const u = { update_id: this.nextUpdateId++, ...update };
    this.queue.push(u);
    for (const w of this.waiters) w();
    return u;
  }

  /** An update_id for updates delivered by webhook. */
  newUpdateId(): number {
    return this.nextUpdateId++;
  }

  /** The next `times` calls of `method` fail as described. */
  failNext(method: string, failure: Failure, times = 1): void {
    const list = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(failure);
    this.failures.set(method, list);
  }

  /** A sent message as Telegram puts it in a callback query: its id and its keyboard as shown now. */
  message(chatId: number, messageId: number): { message_id: number; reply_markup?: unknown } {
    const markup = this.markups.get(`${chatId}:${messageId}`);
    return markup == null ? { message_id: messageId } : { message_id: messageId, reply_markup: markup };
  }

  /** Calls of one method, optionally for one chat. */
  of(method: string, chatId?: number): ApiCall[] {
    return this.calls.filter((c) => c.method === method && (chatId === undefined || Number(c.body.chat_id) === chatId));
  }

  /** Successful sendMessage / sendPhoto calls to a chat, in order. */
  delivered(chatId: number): ApiCall[] {
    return this.calls.filter(
      (c) => (c.method === 'sendMessage' || c.method === 'sendPhoto') && c.status === 200 && Number(c.body.chat_id) === chatId,
    );
  }

  /** Waits until `check` returns a truthy value (polling the recorded calls), or fails after `timeoutMs`. */
  async waitFor<T>(check: () => T | undefined | false | null, timeoutMs = 5000, what = 'condition'): Promise<T> {
    const t0 = Date.now();
    for (;;) {
      const v = check();
      if (v) return v;
      if (Date.now() - t0 > timeoutMs) throw new Error(`fake Telegram API: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** POSTs an update to a webhook handler URL the way Telegram does. */
  static async postWebhook(url: string, update: unknown, secret?: string): Promise<number> {
    const body = Buffer.from(JSON.stringify(update));
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': body.length };
    if (secret !== undefined) headers['x-telegram-bot-api-secret-token'] = secret;
    return new Promise((resolve, reject) => {
      const req = request(url, { method: 'POST', headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  // ─── the server ────────────────────────────────────────────────────────────────────────────

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    if (!m) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = m;
    const call: ApiCall = { method, body: {}, files: {}, multipart: false, status: 0, at: Date.now() };
    try {
      parseBody(req.headers['content-type'] ?? '', raw, call);
    } catch {
      call.status = 400;
      this.calls.push(call);
      return send(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid body' });
    }
    this.calls.push(call);
    if (token !== this.token) {
      call.status = 401;
      return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    }
    const failure = this.failures.get(method)?.shift();
    if (failure?.kind === 'hang') {
      call.status = -2;
      return;
    }
    if (failure?.kind === 'network') {
      call.status = -1;
      req.socket.destroy();
      return;
    }
    if (failure?.kind === 'api') {
      call.status = failure.status;
      const parameters = failure.retry_after !== undefined ? { retry_after: failure.retry_after } : undefined;
      return send(res, failure.status, { ok: false, error_code: failure.error_code, description: failure.description, parameters });
    }
    const [status, payload] = await this.answer(method, call, req);
    call.status = status;
    send(res, status, payload);
  }

  private async answer(method: string, call: ApiCall, req: IncomingMessage): Promise<[number, object]> {
    const ok = (result: unknown): [number, object] => [200, { ok: true, result }];
    const bad = (description: string): [number, object] => [400, { ok: false, error_code: 400, description: `Bad Request: ${description}` }];
    const b = call.body;
    switch (method) {
      case 'getMe':
        return ok(BOT);
      case 'setMyCommands':
      case 'deleteWebhook':
      case 'setWebhook':
        return ok(true);
      case 'answerCallbackQuery':
        if (typeof b.callback_query_id !== 'string' || !b.callback_query_id) return bad('query is too old and response timeout expired or query ID is invalid');
        if (b.text !== undefined && (typeof b.text !== 'string' || b.text.length > 200)) return bad('MESSAGE_TOO_LONG');
        return ok(true);
      case 'editMessageReplyMarkup': {
        const key = `${Number(b.chat_id)}:${Number(b.message_id)}`;
        if (!this.markups.has(key)) return bad('message to edit not found');
        const kb = checkKeyboard(b.reply_markup);
        if (kb) return bad(kb);
        const next = b.reply_markup ?? null;
        if (JSON.stringify(next) === JSON.stringify(this.markups.get(key)))
          return bad('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
        this.markups.set(key, next);
        return ok({ message_id: Number(b.message_id), date: Math.floor(Date.now() / 1000), chat: { id: Number(b.chat_id) }, ...(next ? { reply_markup: next } : {}) });
      }
      case 'getUpdates':
        return ok(await this.getUpdates(Number(b.offset ?? 0), Number(b.timeout ?? 0), Number(b.limit ?? 100), req));
      case 'sendMessage': {
        const shown = parseHtml(String(b.text ?? ''), b.parse_mode === 'HTML');
        if (!shown.ok) return bad(`can't parse entities: ${shown.error}`);
        call.shown = shown.text;
        if (shown.text.trim() === '') return bad('message text is empty');
        if (shown.text.length > 4096) return bad('message is too long');
        const kb = checkKeyboard(b.reply_markup);
        if (kb) return bad(kb);
        call.messageId = this.nextMessageId++;
        this.markups.set(`${Number(b.chat_id)}:${call.messageId}`, b.reply_markup ?? null);
        return ok({ message_id: call.messageId, date: Math.floor(Date.now() / 1000), chat: { id: b.chat_id }, text: shown.text });
      }
      case 'sendPhoto': {
        if (!call.multipart || !call.files.photo) return bad('there is no photo in the request');
        const shown = parseHtml(String(b.caption ?? ''), b.parse_mode === 'HTML');
        if (!shown.ok) return bad(`can't parse entities: ${shown.error}`);
        call.shown = shown.text;
        if (shown.text.length > 1024) return bad('message caption is too long');
        const kb = checkKeyboard(b.reply_markup);
        if (kb) return bad(kb);
        call.messageId = this.nextMessageId++;
        this.markups.set(`${Number(b.chat_id)}:${call.messageId}`, b.reply_markup ?? null);
        return ok({ message_id: call.messageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(b.chat_id) }, photo: [] });
      }
      default:
        return [404, { ok: false, error_code: 404, description: 'Not Found: method not found' }];
    }
  }

  private async getUpdates(offset: number, timeoutSec: number, limit: number, req: IncomingMessage): Promise<unknown[]> {
    if (offset > 0) this.queue = this.queue.filter((u) => (u.update_id as number) >= offset);
    const pending = () => this.queue.filter((u) => (u.update_id as number) >= offset).slice(0, limit);
    if (pending().length || timeoutSec <= 0) return pending();
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        req.socket.off('close', done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(timeoutSec * 1000, this.maxHoldMs));
      this.waiters.add(done);
      req.socket.once('close', done);
    });
    return pending();
  }
}

function send(res: ServerResponse, status: number, payload: object): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(payload));
}

function parseBody(contentType: string, raw: Buffer, call: ApiCall): void {
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
  if (contentType.startsWith('multipart/form-data') && boundary) {
    call.multipart = true;
    for (const part of parseMultipart(raw, boundary)) {
      const name = /name="([^"]+)"/.exec(part.disposition)?.[1] ?? '';
      const filename = /filename="([^"]+)"/.exec(part.disposition)?.[1];
      if (filename !== undefined) call.files[name] = { filename, data: part.body };
      else {
        const text = part.body.toString('utf8');
        call.body[name] = name === 'reply_markup' ? JSON.parse(text) : text;
      }
    }
    return;
  }
  if (raw.length) call.body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
}

function parseMultipart(raw: Buffer, boundary: string): { disposition: string; body: Buffer }[] {
  const delim = Buffer.from(`--${boundary}`);
  const out: { disposition: string; body: Buffer }[] = [];
  let pos = raw.indexOf(delim);
  while (pos >= 0) {
    const start = pos + delim.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delim, start);
    if (next < 0) break;
    const part = raw.subarray(start + 2, next - 2); // drop the CRLF after the delimiter and before the next one
    const headEnd = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, headEnd).toString('utf8');
    const disposition = /content-disposition:\s*([^\r\n]+)/i.exec(head)?.[1] ?? '';
    out.push({ disposition, body: Buffer.from(part.subarray(headEnd + 4)) });
    pos = next;
  }
  return out;
}

const TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'tg-spoiler', 'span', 'blockquote']);
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** Telegram's HTML parse mode, strictly: known tags only, balanced, every & an entity. Returns the shown text. */
export function parseHtml(html: string, isHtml: boolean): { ok: true; text: string } | { ok: false; error: string } {
  if (!isHtml) return { ok: true, text: html };
  const stack: string[] = [];
  let text = '';
  for (let i = 0; i < html.length; ) {
    const ch = html[i];
    if (ch === '<') {
      const end = html.indexOf('>', i);
      if (end < 0) return { ok: false, error: `unclosed start tag at byte offset ${i}` };
      const tag = /^(\/?)([a-z-]+)(\s[^>]*)?$/i.exec(html.slice(i + 1, end));
      if (!tag || !TAGS.has(tag[2].toLowerCase())) return { ok: false, error: `Unsupported start tag "${html.slice(i + 1, end)}" at byte offset ${i}` };
      if (tag[1]) {
        if (stack.pop() !== tag[2].toLowerCase()) return { ok: false, error: `Unmatched end tag at byte offset ${i}` };
      } else stack.push(tag[2].toLowerCase());
      i = end + 1;
    } else if (ch === '&') {
      const ent = /^&(lt|gt|amp|quot|#(\d+)|#x([0-9a-f]+));/i.exec(html.slice(i, i + 12));
      if (!ent) return { ok: false, error: `Character entity expected at byte offset ${i}` };
      text += ent[2] ? String.fromCodePoint(Number(ent[2])) : ent[3] ? String.fromCodePoint(parseInt(ent[3], 16)) : ENTITIES[ent[1].toLowerCase()];
      i += ent[0].length;
    } else {
      text += ch;
      i++;
    }
  }
  if (stack.length) return { ok: false, error: `Can't find end tag corresponding to start tag "${stack[stack.length - 1]}"` };
  return { ok: true, text };
}

function checkKeyboard(markup: unknown): string | null {
  if (markup === undefined) return null;
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (!Array.isArray(rows)) return 'reply markup is not an inline keyboard';
  for (const row of rows) {
    if (!Array.isArray(row)) return 'inline keyboard row must be an array';
    for (const b of row as { text?: unknown; callback_data?: unknown; url?: unknown }[]) {
      if (typeof b.text !== 'string' || b.text.trim() === '') return 'BUTTON_TEXT_INVALID';
      if (b.callback_data !== undefined) {
        if (typeof b.callback_data !== 'string' || Buffer.byteLength(b.callback_data) < 1 || Buffer.byteLength(b.callback_data) > 64)
          return 'BUTTON_DATA_INVALID';
      } else if (b.url !== undefined) {
        if (typeof b.url !== 'string' || !/^(https?|tg):\/\//.test(b.url)) return 'BUTTON_URL_INVALID';
      } else return 'button has no action';
    }
  }
  return null;
}
