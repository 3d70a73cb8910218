// The one HTTP server: staff playground and its JSON API, QR images, channel webhooks, /healthz, /metrics.
//
//   GET  /                    playground page (gated)         GET  /qr/<link-id>.png  QR image (public)
//   GET  /playground/*.js|css its static files (gated)        POST <webhook paths>    Telegram / Zalo (public, secret-checked by the channel)
//   POST /api/ask             {text|choice, chatId?} (gated)   GET  /healthz           JSON health (public)
//   GET  /api/status          content + reload status (gated)  GET  /metrics           Prometheus text (public)
//   GET  /api/report?days=30  unanswered-questions report (gated; the usage store)
//
// "Gated" = served to loopback clients only, or — when PLAYGROUND_TOKEN is set — to anyone holding the token
// (?token= once, which sets an HttpOnly cookie, or Authorization: Bearer). No response ever carries a stack
// trace or a token; request logs carry the path without its query string.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage as HttpRequest, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Channel } from '../channels/types.js';
import type { Config } from '../config.js';
import type { IncomingMessage, Reply } from '../engine/types.js';
import { safeText, type Logger } from '../log.js';
import { qrPng } from '../qr.js';
import type { Metrics } from './metrics.js';
import type { ServerRuntime } from './runtime.js';
// --- usage store (ward campaigns / unanswered report) ---
import { recordUsage, type AnyUsageStore } from './usage.js';
import type { SharedStatus } from '../state/redis.js';
import { secretMatches } from '../privacy/secret.js';
import { vendorFiles, type StaffRoutes } from './staff.js';

/** Tunable limits, each with the reason for its value. */
export const SERVER_DEFAULTS = Object.freeze({
  /** bytes: a playground question is well under 1 KB; 64 KB leaves room and stops abuse. */
  apiBodyLimit: 64 * 1024,
  /** bytes: Telegram and Zalo updates are a few KB; 1 MB is generous. */
  webhookBodyLimit: 1024 * 1024,
  /** pixels: readable on screen and when printed small. */
  qrWidth: 384,
  /** seconds: QR images change only when links.yaml changes (hot reload). */
  qrMaxAge: 300,
  /** Name of the cookie that remembers the playground token (holds a hash, never the token). */
  cookieName: 'vneid_playground',
  /** ms: how long `close()` lets open requests finish before cutting connections. */
  closeGraceMs: 3000,
});

/** Chat ids the playground may use as conversation keys. */
const CHAT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const QR_PATH = /^\/qr\/([a-z0-9][a-z0-9_-]{0,63})\.png$/;

export interface ServerOptions {
  config: Pick<Config, 'playgroundToken'>;
  runtime: ServerRuntime;
  metrics: Metrics;
  /** Every channel, including those that are off (they report why in status()). */
  channels: Channel[];
  logger: Logger;
  /** Renders a reply as the plain text a resident reads (engine's replyToPlainText). */
  plainText: (reply: Reply) => string;
  /** Whether the client is on this machine. Tests inject it to act as a remote client. */
  isLoopback?: (req: HttpRequest) => boolean;
  /** Usage counts and unanswered questions (DATA_DIR/bot.db): fed by /api/ask, read by /api/report, shown in /healthz. */
  usage?: AnyUsageStore;
  /** REDIS_URL set: the shared live state, shown in /healthz ("fallback" = answering from memory). */
  shared?: { status(): SharedStatus };
  /** Feedback loop routes (proposals, accept, dashboard; src/server/staff.ts), gated like the playground. */
  staff?: StaffRoutes;
}

export interface AppServer {
  readonly server: http.Server;
  /** Listens; resolves with the bound address (port 0 picks a free port). */
  listen(port: number, host: string): Promise<{ host: string; port: number; url: string }>;
  /** Stops accepting, lets open requests finish (up to closeGraceMs), then closes. */
  close(): Promise<void>;
}

/** An expected failure with a status code and a safe message for the client. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function requireMethod(req: HttpRequest, allowed: 'GET' | 'POST'): void {
  const m = req.method ?? 'GET';
  if (m === allowed || (allowed === 'GET' && m === 'HEAD')) return;
  const allow = allowed === 'GET' ? 'GET, HEAD' : 'POST';
  throw new HttpError(405, 'method_not_allowed', `Chỉ hỗ trợ ${allow}.`, { allow });
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

const PLAYGROUND_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/playground/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/playground/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
  '/playground/icon.svg': { file: 'icon.svg', type: 'image/svg+xml' },
  '/playground/staff.js': { file: 'staff.js', type: 'text/javascript; charset=utf-8' },
};

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'cache-control': 'no-cache',
};

export function createServer(opts: ServerOptions): AppServer {
  const { runtime, metrics, logger, channels } = opts;
  const isLoopback = opts.isLoopback ?? ((req: HttpRequest) => isLoopbackAddress(req.socket.remoteAddress));
  const startedAt = Date.now();
  const token = opts.config.playgroundToken;
  const cookieValue = token ? sha256(`vneid-playground:${token}`).toString('hex') : undefined;
  const staticFiles = new Map(
    Object.entries(PLAYGROUND_FILES).map(([path, f]) => [
      path,
      { type: f.type, body: readFileSync(new URL(`./playground/${f.file}`, import.meta.url)) },
    ]),
  );
  for (const [path, f] of Object.entries(vendorFiles())) staticFiles.set(path, f);
  const webhooks = new Map(channels.flatMap((c) => (c.webhook ? [[c.webhook.path, c.webhook] as const] : [])));

  // ---- responses -------------------------------------------------------------------------------------

  function send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string>): void {
    if (res.headersSent) return void res.end();
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-length': String(Buffer.byteLength(body)), ...headers });
    res.end(body);
  }
  function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
    send(res, status, JSON.stringify(value), { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  }
  function fail(res: ServerResponse, e: HttpError): void {
    json(res, e.status, { error: e.code, message: e.message }, e.headers);
  }

  // ---- the gate --------------------------------------------------------------------------------------

  /** undefined = allowed; otherwise the error to answer with. `setCookie` when ?token= was accepted. */
  function gate(req: HttpRequest, url: URL): { error?: HttpError; setCookie?: string } {
    if (!token || !cookieValue) {
      if (isLoopback(req)) return {};
      return {
        error: new HttpError(
          403,
          'loopback_only',
          'Trang thử nghiệm chỉ mở trên chính máy chạy bot (127.0.0.1). Muốn mở từ máy khác, hãy đặt PLAYGROUND_TOKEN.',
        ),
      };
    }
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ') && secretMatches(auth.slice(7).trim(), token)) return {};
    const cookie = readCookie(req.headers.cookie, SERVER_DEFAULTS.cookieName);
    if (cookie !== undefined && secretMatches(cookie, cookieValue)) return {};
    const query = url.searchParams.get('token');
    if (query !== null && secretMatches(query, token)) {
      return { setCookie: `${SERVER_DEFAULTS.cookieName}=${cookieValue}; HttpOnly; SameSite=Strict; Path=/` };
    }
    return {
      error: new HttpError(
        401,
        'token_required',
        'Cần mã truy cập: mở trang với ?token=<PLAYGROUND_TOKEN> hoặc gửi Authorization: Bearer.',
        { 'www-authenticate': 'Bearer realm="playground"' },
      ),
    };
  }

  /**
   * Browsers are the threat here: another site the staff member opens may post to the loopback playground (CSRF),
   * or rebind its own name to 127.0.0.1 to read /api/report. Without a token the Host must name this machine;
   * on /api/ a browser's Origin must be this server, and a POST must be application/json (a cross-site form or
   * text/plain post cannot send that without a CORS preflight, which is never granted).
   * Returns undefined when the request may go on to the gate.
   */
  function sameOrigin(req: HttpRequest, path: string): { error?: HttpError; setCookie?: string } | undefined {
    const host = (req.headers.host ?? '').toLowerCase();
    if (!token && !isLocalHostHeader(host)) {
      return { error: new HttpError(403, 'bad_host', 'Trang thử nghiệm chỉ mở bằng địa chỉ 127.0.0.1 hoặc localhost.') };
    }
    if (!path.startsWith('/api/')) return undefined;
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${host}` && origin !== `https://${host}`) {
      return { error: new HttpError(403, 'cross_origin', 'Yêu cầu từ trang khác bị từ chối.') };
    }
    if (req.method === 'POST') {
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (type !== 'application/json') {
        return { error: new HttpError(415, 'unsupported_media_type', 'Chỉ nhận nội dung JSON (Content-Type: application/json).') };
      }
    }
    return undefined;
  }

  // ---- routes ----------------------------------------------------------------------------------------

  function healthz(res: ServerResponse): void {
    const content = runtime.content();
    const reload = runtime.status();
    const chans = Object.fromEntries(channels.map((c) => [c.name, c.status()]));
    // --- usage store: its failure degrades health but never stops answers ---
    const store = opts.usage ? opts.usage.status() : { state: 'off' as const };
    const redis = opts.shared?.status();
    const degraded =
      !reload.ok || Object.values(chans).some((s) => s.state === 'error') || store.state === 'error' || redis?.state === 'fallback';
    json(res, 200, {
      status: degraded ? 'degraded' : 'ok',
      version: content.version,
      entries: content.entries.length,
      reload,
      channels: chans,
      store: { state: store.state, ...('error' in store && store.error ? { error: store.error } : {}) },
      ...(redis ? { redis } : {}),
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    });
  }

  async function qr(res: ServerResponse, linkId: string): Promise<void> {
    const link = runtime.content().links.get(linkId);
    // Unverified links get no QR code (content/links.yaml: a QR would lend them an official look).
    if (!link || !link.verified) throw new HttpError(404, 'not_found', 'Không có mã QR cho đường dẫn này.');
    const png = await qrPng(link.url, { width: SERVER_DEFAULTS.qrWidth });
    send(res, 200, png, { 'content-type': 'image/png', 'cache-control': `public, max-age=${SERVER_DEFAULTS.qrMaxAge}` });
  }

  function status(): object {
    const content = runtime.content();
    return {
      version: content.version,
      loadedAt: content.loadedAt,
      entries: content.entries.length,
      topics: content.topics.length,
      reload: runtime.status(),
      channels: Object.fromEntries(channels.map((c) => [c.name, c.status()])),
    };
  }

  // --- usage store: the unanswered-questions report (playground tab "Câu hỏi chưa trả lời") ---
  async function report(url: URL): Promise<object> {
    const raw = url.searchParams.get('days') ?? '30';
    const days = Number(raw);
    if (!/^\d{1,4}$/.test(raw) || days < 1 || days > 3650) {
      throw new HttpError(400, 'bad_request', 'days phải là số ngày từ 1 đến 3650, ví dụ ?days=30.');
    }
    if (!opts.usage) return { store: { state: 'off' }, report: null };
    const st = opts.usage.status();
    const r = await opts.usage.report(days);
    const entries = runtime.content().byId;
    const title = (id: string) => entries.get(id)?.questions[0] ?? null;
    const wards = Object.fromEntries(runtime.content().offices.wards.map((w) => [w.code, w.name]));
    return {
      store: { state: st.state, ...(st.error ? { error: st.error } : {}) },
      report: { ...r, picks: r.picks.map((p) => ({ ...p, pickedTitle: title(p.pickedId) })) },
      wards,
    };
  }

  async function ask(req: HttpRequest, res: ServerResponse, headers: Record<string, string>): Promise<void> {
    const body = parseJson(await readBody(req, SERVER_DEFAULTS.apiBodyLimit));
    const msg = toMessage(body);
    const t0 = performance.now();
    const reply = runtime.engine().handle(msg);
    const ms = performance.now() - t0;
    metrics.hooks.onReply(msg, reply, ms);
    if (opts.usage) recordUsage(opts.usage, msg, reply);
    opts.staff?.observe(msg, reply);
    if (logger.isLevelEnabled('debug')) {
      logger.debug(
        { channel: 'web', kind: reply.kind, entryId: reply.entryId, ms: Math.round(ms * 10) / 10, text: safeText(msg.text) },
        'playground question',
      );
    }
    json(res, 200, { reply, plain: opts.plainText(reply), debug: reply.debug ?? null, version: runtime.content().version }, headers);
  }

  async function route(req: HttpRequest, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;

    // Public routes.
    if (path === '/healthz') {
      requireMethod(req, 'GET');
      return healthz(res);
    }
    if (path === '/metrics') {
      requireMethod(req, 'GET');
      metrics.setEntries(runtime.content().entries.length);
      return send(res, 200, await metrics.text(), { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
    }
    const qrMatch = QR_PATH.exec(path);
    if (qrMatch) {
      requireMethod(req, 'GET');
      return qr(res, qrMatch[1]);
    }
    const hook = webhooks.get(path);
    if (hook) {
      requireMethod(req, 'POST');
      // The secret is checked on the headers: a refused request's body is drained unread.
      if (hook.refuse?.(req, res)) return void req.resume();
      return hook.handle(req, res, await readBody(req, SERVER_DEFAULTS.webhookBodyLimit));
    }

    // Gated routes: the playground and its API.
    const file = staticFiles.get(path);
    const staff = opts.staff?.handles(path) ? opts.staff : undefined;
    if (!file && !staff && path !== '/api/ask' && path !== '/api/status' && path !== '/api/report') throw new HttpError(404, 'not_found', 'Không có trang này.');
    const gated = gate(req, url);
    const g = gated.error ? gated : (sameOrigin(req, path) ?? gated);
    if (g.error) {
      req.resume(); // drain a body we will not read, so the client gets the answer rather than a reset
      // A person opening the page in a browser gets a sentence, not JSON.
      if (file) return send(res, g.error.status, `${g.error.message}\n`, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...g.error.headers });
      throw g.error;
    }
    const cookie: Record<string, string> = g.setCookie ? { 'set-cookie': g.setCookie } : {};

    if (file) {
      requireMethod(req, 'GET');
      // Take the token out of the address bar once the cookie holds it.
      if (g.setCookie && path === '/') return send(res, 303, '', { ...cookie, location: '/' });
      return send(res, 200, file.body, { 'content-type': file.type, ...PAGE_HEADERS, ...cookie });
    }
    if (staff) return staff.handle(req, res, url, cookie);
    if (path === '/api/status') {
      requireMethod(req, 'GET');
      return json(res, 200, status(), cookie);
    }
    if (path === '/api/report') {
      requireMethod(req, 'GET');
      return json(res, 200, await report(url), cookie);
    }
    requireMethod(req, 'POST');
    return ask(req, res, cookie);
  }

  const server = http.createServer((req, res) => {
    const t0 = performance.now();
    // The base is only used to parse the path and query; the Host header is never trusted.
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return fail(res, new HttpError(400, 'bad_request', 'Địa chỉ không hợp lệ.'));
    }
    res.on('finish', () =>
      logger.debug({ method: req.method, path: url.pathname, status: res.statusCode, ms: Math.round(performance.now() - t0) }, 'http'),
    );
    route(req, res, url).catch((err: unknown) => {
      if (err instanceof HttpError) {
        if (err.status === 413) res.setHeader('connection', 'close');
        return fail(res, err);
      }
      logger.error({ err, path: url.pathname }, 'request failed');
      fail(res, new HttpError(500, 'internal', 'Lỗi máy chủ, xin thử lại.'));
    });
  });
  server.requestTimeout = 30_000; // ms for a whole request: bodies are small
  server.headersTimeout = 10_000; // ms to send the headers: a slow client cannot hold sockets open

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          // After listening, an 'error' (e.g. EMFILE when accepting under load) must not crash the bot.
          server.on('error', (err) => logger.error({ err }, 'http server error; still listening'));
          const a = server.address() as AddressInfo;
          const shown = a.address === '0.0.0.0' || a.address === '::' ? '127.0.0.1' : a.address;
          const hostPart = shown.includes(':') ? `[${shown}]` : shown;
          resolve({ host: a.address, port: a.port, url: `http://${hostPart}:${a.port}/` });
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), SERVER_DEFAULTS.closeGraceMs);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}

// ---- helpers -----------------------------------------------------------------------------------------

function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}


/** Host header of a loopback name (any port): 127.x.x.x, localhost, [::1]. */
function isLocalHostHeader(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Reads the whole body, or fails with 413 as soon as it exceeds `limit` bytes. */
function readBody(req: HttpRequest, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new HttpError(413, 'too_large', `Nội dung gửi lên quá lớn (tối đa ${Math.round(limit / 1024)} KB).`);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      return reject(tooLarge());
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        reject(tooLarge());
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on('error', () => reject(new HttpError(400, 'bad_request', 'Yêu cầu bị ngắt giữa chừng.')));
  });
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'bad_json', 'Nội dung gửi lên không phải JSON hợp lệ.');
  }
}

/** {text} or {choice}, with an optional chatId → the engine's message on the 'web' channel. */
function toMessage(body: unknown): IncomingMessage {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'bad_request', 'Cần một đối tượng JSON: {"text": "câu hỏi"} hoặc {"choice": "e:<id>"}.');
  }
  const { text, choice, chatId } = body as Record<string, unknown>;
  if (chatId !== undefined && (typeof chatId !== 'string' || !CHAT_ID.test(chatId))) {
    throw new HttpError(400, 'bad_request', 'chatId chỉ gồm chữ, số, "_" hoặc "-", tối đa 64 ký tự.');
  }
  const chat = (chatId as string | undefined) ?? 'playground';
  if (typeof choice === 'string' && text === undefined) {
    if (!choice || Buffer.byteLength(choice) > 64) throw new HttpError(400, 'bad_request', 'choice phải dài 1–64 byte.');
    return { channel: 'web', chatId: chat, kind: 'choice', text: choice };
  }
  if (typeof text === 'string' && choice === undefined) return { channel: 'web', chatId: chat, kind: 'text', text };
  throw new HttpError(400, 'bad_request', 'Cần đúng một trong hai trường: "text" (chuỗi) hoặc "choice" (chuỗi).');
}
