// The Telegram channel (telegraf v4): start-up checks, long polling or webhook, de-duplication,
// per-chat ordering, retries, error replies and a clean stop. Turning updates into IncomingMessage and
// Replies into messages happens in ./adapter.ts; Bot API retries in ./api.ts; the webhook route in ./webhook.ts.
import { Telegraf, type Context } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import { TELEGRAM_WEBHOOK_PATH, type Config } from '../../config.js';
import type { IncomingMessage, Reply } from '../../engine/types.js';
import type { Logger } from '../../log.js';
import { qrPng } from '../../qr.js';
import type { Channel, ChannelDeps, ChannelState, ChannelStatus } from '../types.js';
import { readUpdate, renderReply, type BotIdentity, type Outgoing, type PressedMessage, type RenderTexts } from './adapter.js';
import { ChannelError, createApi, describeError, isAbortError, retryDelay, type CallApi, type RawCall } from './api.js';
import { voteButton, votedKeyboard, voteTexts } from './vote.js';
import { createWebhookRoute } from './webhook.js';

export { ChannelError } from './api.js';

/** Tunable defaults, each with its reason. Tests pass smaller values through `options`. */
export const TELEGRAM_DEFAULTS = Object.freeze({
  /** Attempts per Bot API call, first included: enough to ride out a short outage, bounded so a reply never hangs. */
  maxAttempts: 4,
  /** Longest 429 `retry_after` we wait, seconds; Telegram's flood waits beyond this mean "give up for now". */
  maxRetryAfterSec: 60,
  /** First backoff after a network error or 5xx, ms (doubles each attempt, ±25 % jitter). */
  backoffBaseMs: 500,
  /** Longest single backoff, ms. */
  backoffMaxMs: 8_000,
  /** A reply is retried (backoff, or the 429 retry_after) for up to this long, ms: rides out a 5-minute Bot API outage. */
  deliveryBudgetMs: 5 * 60_000,
  /** getUpdates long-poll timeout, seconds (Telegram holds the request open this long when idle). */
  pollTimeoutSec: 50,
  /**
   * Longest wait for one Bot API answer, ms (getUpdates: added to its long-poll window). telegraf's own
   * limit is 500 s: one stuck connection would hold a resident's replies, and in polling the whole batch, that long.
   */
  requestTimeoutMs: 30_000,
  /** Update ids remembered to drop duplicates (webhook retries, restarts); ~an hour of a busy campaign. */
  dedupeSize: 5_000,
  /** Webhook: answer Telegram 200 after at most this long, ms, even if a reply is still being retried. */
  webhookAckMs: 10_000,
  /** stop(): how long in-flight replies may take before we give up on them, ms. */
  graceMs: 10_000,
});

export type TelegramOptions = { -readonly [K in keyof typeof TELEGRAM_DEFAULTS]: number };

/** The menu Telegram shows next to the text box; descriptions in Vietnamese. */
export const TELEGRAM_COMMANDS = Object.freeze([
  { command: 'start', description: 'Bắt đầu: lời chào và các chủ đề' },
  { command: 'menu', description: 'Xem các chủ đề hỏi đáp' },
  { command: 'help', description: 'Hướng dẫn cách hỏi' },
  { command: 'lienhe', description: 'Tổng đài và nơi hỗ trợ trực tiếp' },
]);

/** We read messages and button presses; edited messages and everything else are not requested. */
const ALLOWED_UPDATES = ['message', 'callback_query'];

export function createTelegramChannel(cfg: Config['telegram'], deps: ChannelDeps, options: Partial<TelegramOptions> = {}): Channel {
  if (cfg.mode === 'off') {
    return {
      name: 'telegram',
      status: () => ({ state: 'off', reason: cfg.reason }),
      start: async () => {},
      stop: async () => {},
    };
  }
  return new TelegramChannel(cfg, deps, { ...TELEGRAM_DEFAULTS, ...options });
}

type LiveConfig = Exclude<Config['telegram'], { mode: 'off' }>;

class TelegramChannel implements Channel {
  readonly name = 'telegram' as const;
  readonly webhook?: Channel['webhook'];

  private state: ChannelState = 'off';
  private reason?: string = 'not started';
  private readonly bot: Telegraf;
  private readonly log: Logger;
  private readonly secrets: string[];
  private readonly call: CallApi;
  private readonly raw: RawCall;
  private me?: BotIdentity;
  private stopping = false;
  private hardStopped = false;
  private pollAbort?: AbortController;
  private polling?: Promise<void>;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly seen = new Set<number>();
  private readonly chains = new Map<number, Promise<void>>();
  /**
   * Answers already rated with a button: "<chat>:<message>" → the payload counted ('' when the engine had this
   * answer rated already). A second press on the same message is not passed to the engine.
   */
  private readonly voted = new Map<string, string>();

  constructor(
    private readonly cfg: LiveConfig,
    private readonly deps: ChannelDeps,
    private readonly opts: TelegramOptions,
  ) {
    this.log = deps.logger.child({ channel: 'telegram' });
    this.secrets = cfg.mode === 'webhook' ? [cfg.token, cfg.secret] : [cfg.token];
    // telegraf gives up on a handler after 90 s by default and reports it as an error, which would send the
    // apology while the answer is still being retried through an outage: allow the whole delivery budget.
    this.bot = new Telegraf(cfg.token, {
      handlerTimeout: opts.deliveryBudgetMs + opts.requestTimeoutMs * 2,
      telegram: { apiRoot: cfg.apiRoot, webhookReply: false },
    });
    const client = this.bot.telegram as unknown as { callApi: RawCall };
    const callApi = client.callApi.bind(this.bot.telegram);
    // Every call gets a deadline; a caller's signal (stopping the long poll) still aborts it.
    this.raw = (method, payload, o = {}) => {
      const ms = opts.requestTimeoutMs + (method === 'getUpdates' ? opts.pollTimeoutSec * 1000 : 0);
      const deadline = AbortSignal.timeout(ms);
      return callApi(method, payload, { signal: o.signal ? AbortSignal.any([o.signal, deadline]) : deadline }).catch((err: unknown) => {
        if (deadline.aborted && !o.signal?.aborted) throw new RequestTimeout(method, ms);
        throw err;
      });
    };
    this.call = createApi({
      raw: this.raw,
      policy: opts,
      logger: this.log,
      secrets: this.secrets,
      onFinalError: (method) => this.deps.hooks?.onApiError?.('telegram', method),
      aborted: () => this.hardStopped,
    });
    this.registerHandlers();
    if (cfg.mode === 'webhook') {
      this.webhook = createWebhookRoute({
        path: TELEGRAM_WEBHOOK_PATH,
        secret: cfg.secret,
        logger: this.log,
        accept: (update) => this.process(update),
        isStopping: () => this.stopping,
        ackMs: opts.webhookAckMs,
      });
    }
  }

  status(): ChannelStatus {
    return this.reason ? { state: this.state, reason: this.reason } : { state: this.state };
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.hardStopped = false;
    const me = await this.connect();
    this.me = { id: me.id, username: me.username ?? this.cfg.username ?? '' };
    this.bot.botInfo = me;
    try {
      await this.call('setMyCommands', { commands: TELEGRAM_COMMANDS });
    } catch {
      this.log.warn('telegram: setMyCommands failed; the command menu may be out of date');
    }
    if (this.cfg.mode === 'webhook') {
      await this.startupCall('setWebhook', {
        url: this.cfg.url,
        secret_token: this.cfg.secret,
        allowed_updates: ALLOWED_UPDATES,
        drop_pending_updates: false,
      });
      this.setState('webhook');
      this.log.info({ bot: this.me.username, url: this.cfg.url }, 'telegram: webhook set');
    } else {
      // A webhook left over from an earlier deployment would make getUpdates fail with 409.
      await this.startupCall('deleteWebhook', { drop_pending_updates: false });
      this.pollAbort = new AbortController();
      const shared = this.deps.shared;
      // Several instances (REDIS_URL): only the holder of the polling lease polls; the others stand by.
      this.polling = shared
        ? shared.lease('telegram').run(this.pollAbort.signal, (lost) => this.pollLoop(lost), (holding) => {
            if (this.state === 'polling') this.reason = holding ? undefined : 'standby: another instance polls';
          })
        : this.pollLoop(this.pollAbort.signal);
      this.setState('polling');
      this.log.info({ bot: this.me.username }, 'telegram: long polling started');
    }
  }

  async stop(graceMs = this.opts.graceMs): Promise<void> {
    if (this.state !== 'polling' && this.state !== 'webhook') return;
    this.stopping = true;
    this.pollAbort?.abort();
    const t0 = Date.now();
    const settled = await within(Promise.allSettled([...this.inflight]), graceMs);
    if (!settled) {
      this.hardStopped = true;
      this.log.warn({ pending: this.inflight.size, graceMs }, 'telegram: stopped with replies still in flight');
    }
    if (this.polling) await within(this.polling, Math.max(0, graceMs - (Date.now() - t0)));
    this.polling = undefined;
    this.setState('off', 'stopped');
    this.log.info('telegram: stopped');
  }

  // ─── receiving ─────────────────────────────────────────────────────────────────────────────

  private registerHandlers(): void {
    this.bot.use((ctx, next) => this.dropDuplicates(ctx, next));
    this.bot.on('callback_query', (ctx) => this.answerButton(ctx));
    this.bot.on('message', (ctx) => this.answerMessage(ctx));
    // Everything else (edited messages, channel posts, member updates) is ignored on purpose.
    this.bot.catch((err, ctx) => this.onHandlerError(err, ctx));
  }

  /** Runs one update through telegraf, tracked so that stop() can wait for it. Never rejects. */
  private process(update: Update, waitIfBusy = false): Promise<void | 'busy'> {
    const p = (this.deps.shared ? this.processShared(update, waitIfBusy) : this.handleOne(update)).catch((err: unknown) => {
      this.log.error({ update_id: update.update_id, err: describeError(err, this.secrets) }, 'telegram: update failed');
    });
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
    return p;
  }

  private handleOne(update: Update): Promise<void> {
    return this.bot.handleUpdate(update);
  }

  /** Several instances (REDIS_URL): the update is claimed in Redis first, so only one instance answers it. */
  private async processShared(update: Update, waitIfBusy: boolean): Promise<void | 'busy'> {
    const shared = this.deps.shared!;
    for (let waited = 0; ; waited += 250) {
      const claim = await shared.claim(`telegram:${update.update_id}`);
      if (claim.state === 'done') {
        this.log.info({ update_id: update.update_id }, 'telegram: update already answered by an instance, ignored');
        return;
      }
      if (claim.state === 'new') {
        try {
          await this.handleOne(update);
        } finally {
          await claim.done();
        }
        return;
      }
      // Polling after a takeover: wait until the other instance finishes, or its claim expires.
      if (!waitIfBusy || this.stopping || waited > 30_000) return 'busy';
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  private dropDuplicates(ctx: Context, next: () => Promise<void>): Promise<void> | void {
    const id = ctx.update.update_id;
    if (this.seen.has(id)) {
      this.log.info({ update_id: id }, 'telegram: duplicate update ignored');
      return;
    }
    this.seen.add(id);
    if (this.seen.size > this.opts.dedupeSize) this.seen.delete(this.seen.values().next().value as number);
    return next();
  }

  private async answerMessage(ctx: Context): Promise<void> {
    const inbound = readUpdate(ctx.update, this.identity());
    if (inbound.type !== 'message') {
      if (inbound.type === 'ignore') this.log.debug({ update_id: ctx.update.update_id, reason: inbound.reason }, 'telegram: update ignored');
      return;
    }
    await this.inChatOrder(inbound.chatId, () => this.reply(ctx.update.update_id, inbound.chatId, inbound.msg, inbound.replyTo));
  }

  private async answerButton(ctx: Context): Promise<void> {
    const inbound = readUpdate(ctx.update, this.identity());
    if (inbound.type !== 'button') return;
    // Answer first: the spinner on the resident's button stops at once, whatever happens next. A 👍/👎 press (or
    // the "recorded" button that replaces them) also shows a short notice that the vote counted.
    const vote = inbound.msg ? voteButton(inbound.msg.text) : undefined;
    const notice = vote ? { text: voteTexts(this.messages()).ack } : {};
    await this.call('answerCallbackQuery', { callback_query_id: inbound.callbackId, ...notice }).catch(() => undefined);
    const chatId = inbound.chatId;
    if (chatId === null) return;
    if (!inbound.msg) {
      await this.inChatOrder(chatId, () => this.sendPolite(chatId, 'choice_stale', true));
      return;
    }
    if (vote === 'done') return; // the notice is all the "recorded" button does
    const msg = inbound.msg;
    const message = inbound.message;
    if (vote === 'vote') await this.inChatOrder(chatId, () => this.vote(ctx.update.update_id, chatId, msg, message));
    else await this.inChatOrder(chatId, () => this.reply(ctx.update.update_id, chatId, msg));
  }

  /**
   * A 👍/👎 press: the engine records and answers the first one per message (a second press on the same message —
   * a double tap, or a client that still shows the buttons — only gets the notice; the engine's own "rated" list
   * stops a vote on the same answer from another message or instance). While the reply goes out, the vote row under
   * the answer becomes one "recorded" button naming the vote counted (or goes, when the engine did not count it);
   * that edit failing never stops the reply.
   */
  private async vote(updateId: number, chatId: number, msg: IncomingMessage, message?: PressedMessage): Promise<void> {
    const key = message ? `${chatId}:${message.id}` : undefined;
    const earlier = key ? this.voted.get(key) : undefined;
    if (message && earlier !== undefined) {
      this.log.info({ update_id: updateId }, 'telegram: second vote on the same answer ignored');
      this.markVoted(chatId, message, earlier || undefined); // mends a failed edit; "not modified" otherwise
      return;
    }
    const reply = await this.answer(updateId, msg);
    const counted = reply.vote ? msg.text : '';
    if (key) {
      this.voted.set(key, counted);
      if (this.voted.size > this.opts.dedupeSize) this.voted.delete(this.voted.keys().next().value as string);
    }
    if (message) this.markVoted(chatId, message, counted || undefined);
    await this.send(chatId, renderReply(reply, this.texts()));
  }

  /**
   * Replaces the vote row of `message` with the "recorded" button for `counted`, or removes it when no vote was
   * counted: one attempt, in the background (tracked for stop(), never holding the chat's next reply), never
   * rejecting, logged without the token.
   */
  private markVoted(chatId: number, message: PressedMessage, counted: string | undefined): void {
    const p = this.editVoteRow(chatId, message, counted);
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private async editVoteRow(chatId: number, message: PressedMessage, counted: string | undefined): Promise<void> {
    try {
      const keyboard = votedKeyboard(message.keyboard, counted, voteTexts(this.messages()));
      if (!keyboard) return;
      await this.raw('editMessageReplyMarkup', { chat_id: chatId, message_id: message.id, reply_markup: { inline_keyboard: keyboard } });
    } catch (err) {
      const info = describeError(err, this.secrets);
      // "message is not modified": a second press already replaced them. Anything else (too old, deleted, network) is
      // worth a line, but only cosmetic: the vote and the reply do not depend on it.
      const level = /not modified/i.test(info.message) ? 'debug' : 'warn';
      this.log[level]({ method: 'editMessageReplyMarkup', err: info }, 'telegram: vote buttons not replaced');
    }
  }

  private async reply(updateId: number, chatId: number, msg: IncomingMessage, replyTo?: number): Promise<void> {
    const reply = await this.answer(updateId, msg);
    await this.send(chatId, renderReply(reply, this.texts()), replyTo);
  }

  /** The engine's reply to `msg` (logged, and given to the onReply hook), not sent yet. */
  private async answer(updateId: number, msg: IncomingMessage): Promise<Reply> {
    const t0 = performance.now();
    const shared = this.deps.shared;
    const reply: Reply = shared
      ? await shared.withChat(`${msg.channel}:${msg.chatId}`, () => this.deps.runtime.engine().handle(msg))
      : this.deps.runtime.engine().handle(msg);
    const ms = performance.now() - t0;
    this.log.info(
      { update_id: updateId, in: msg.kind, reply: reply.kind, entry: reply.entryId, ms: Math.round(ms * 10) / 10 },
      'telegram: reply',
    );
    try {
      this.deps.hooks?.onReply?.(msg, reply, ms);
    } catch (err) {
      this.log.warn({ err: describeError(err, this.secrets) }, 'telegram: onReply hook failed');
    }
    return reply;
  }

  /** A handler failed: log it (update id, no text, no token) and still give the resident a polite answer. */
  private async onHandlerError(err: unknown, ctx: Context): Promise<void> {
    this.log.error({ update_id: ctx.update.update_id, err: describeError(err, this.secrets) }, 'telegram: handler failed');
    const chatId = ctx.chat?.id;
    if (chatId === undefined) return;
    if (err instanceof ChannelError && (err.code === 403 || err.code === 401)) return; // blocked, or not allowed to write
    // Delivery itself failed for good (outage longer than the budget, flood wait): an apology would fail the same way,
    // or arrive alone in place of the answer.
    if (err instanceof ChannelError && (err.code === 0 || err.code === 429 || err.code >= 500)) return;
    try {
      await this.sendPolite(chatId, 'error', false);
    } catch {
      // already logged by the API layer
    }
  }

  // ─── sending ───────────────────────────────────────────────────────────────────────────────

  private async send(chatId: number, outs: Outgoing[], replyTo?: number): Promise<void> {
    for (const out of outs) {
      if (out.type === 'text') await this.sendText(chatId, out, replyTo);
      else await this.sendQr(chatId, out);
      replyTo = undefined; // thread only the first message under the resident's
    }
  }

  private async sendText(chatId: number, out: Extract<Outgoing, { type: 'text' }>, replyTo?: number): Promise<void> {
    const payload = {
      chat_id: chatId,
      text: out.html,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      reply_markup: out.keyboard ? { inline_keyboard: out.keyboard } : undefined,
      reply_parameters: replyTo ? { message_id: replyTo, allow_sending_without_reply: true } : undefined,
    };
    try {
      await this.call('sendMessage', payload);
    } catch (err) {
      // Our escaping should make this impossible; if Telegram still refuses the HTML, send plain text.
      if (!(err instanceof ChannelError && err.code === 400 && /entit/i.test(err.message))) throw err;
      await this.call('sendMessage', { ...payload, text: out.plain, parse_mode: undefined });
    }
  }

  private async sendQr(chatId: number, out: Extract<Outgoing, { type: 'qr' }>): Promise<void> {
    let png: Buffer;
    try {
      png = await qrPng(out.url);
    } catch (err) {
      this.log.warn({ link: out.linkId, err: describeError(err, this.secrets) }, 'telegram: QR image failed, sending the link');
      return this.sendText(chatId, { type: 'text', html: out.caption, plain: out.plainCaption });
    }
    await this.call('sendPhoto', {
      chat_id: chatId,
      photo: { source: png, filename: `qr-${out.linkId}.png` },
      caption: out.caption,
      parse_mode: 'HTML',
    });
  }

  /** A fixed message from content/messages.yaml (choice_stale, error), with the topic-menu button. */
  private async sendPolite(chatId: number, key: 'choice_stale' | 'error', withMenu: boolean): Promise<void> {
    const texts = this.messages();
    const fallback = key === 'error' ? 'Xin lỗi, hệ thống đang gặp trục trặc nhỏ. Bạn thử gửi lại sau ít phút.' : 'Lựa chọn này không còn dùng được. Mời bạn gõ lại câu hỏi.';
    const text = (texts[key] ?? fallback).replace(/\{hotline\}/g, texts.hotline ?? '1900 0368').trim();
    const reply: Reply = {
      kind: 'command',
      blocks: [text],
      links: [],
      qr: [],
      choices: withMenu ? [{ label: texts.choice_menu ?? 'Xem các chủ đề', payload: 'm' }] : [],
    };
    await this.send(chatId, renderReply(reply, this.texts()));
  }

  private messages(): Record<string, string | undefined> {
    try {
      return this.deps.runtime.content().messages as unknown as Record<string, string | undefined>;
    } catch {
      return {};
    }
  }

  private texts(): RenderTexts {
    const m = this.messages();
    return { links_intro: m.links_intro, unverified_link: m.unverified_link, qr_caption: m.qr_caption };
  }

  /** Runs `job` after earlier jobs of the same chat, so a resident's replies never overtake each other. */
  private inChatOrder(chatId: number, job: () => Promise<void>): Promise<void> {
    const prev = this.chains.get(chatId) ?? Promise.resolve();
    const next = prev.then(job);
    const tail = next.catch(() => undefined);
    this.chains.set(chatId, tail);
    void tail.then(() => {
      if (this.chains.get(chatId) === tail) this.chains.delete(chatId);
    });
    return next;
  }

  // ─── connecting and polling ────────────────────────────────────────────────────────────────

  private async connect(): Promise<UserFromGetMe> {
    try {
      return await this.call<UserFromGetMe>('getMe', {});
    } catch (err) {
      const code = err instanceof ChannelError ? err.code : 0;
      const message =
        code === 401 || code === 404
          ? 'Telegram từ chối TELEGRAM_BOT_TOKEN (token sai hoặc đã bị thu hồi): lấy lại token từ @BotFather rồi khởi động lại. ' +
            '(Telegram rejected TELEGRAM_BOT_TOKEN: check the token.)'
          : `Không kết nối được Telegram Bot API tại ${this.cfg.apiRoot}: ${describeError(err, this.secrets).message}. ` +
            'Kiểm tra mạng hoặc TELEGRAM_API_ROOT.';
      this.setState('error', message);
      throw new ChannelError(message, 'getMe', code);
    }
  }

  private async startupCall(method: string, payload: object): Promise<void> {
    try {
      await this.call(method, payload);
    } catch (err) {
      const message = `Telegram ${method} thất bại: ${describeError(err, this.secrets).message}`;
      this.setState('error', message);
      throw err instanceof ChannelError ? new ChannelError(message, method, err.code) : new ChannelError(message, method, 0);
    }
  }

  /**
   * Long polling: one getUpdates at a time; a batch is handled before the next request, whose offset
   * confirms it — so an update is never confirmed before its reply went out.
   */
  private async pollLoop(signal: AbortSignal): Promise<void> {
    let offset = 0;
    let failures = 0;
    while (!this.stopping && !signal.aborted) {
      let updates: Update[];
      try {
        const payload = { offset, timeout: this.opts.pollTimeoutSec, allowed_updates: ALLOWED_UPDATES };
        updates = (await this.raw('getUpdates', payload, { signal })) as Update[];
        failures = 0;
      } catch (err) {
        if (this.stopping || signal.aborted || isAbortError(err)) break;
        failures++;
        const info = describeError(err, this.secrets);
        if (info.code === 401) {
          this.setState('error', 'Telegram từ chối TELEGRAM_BOT_TOKEN khi nhận tin nhắn (401).');
          this.log.error({ err: info }, 'telegram: polling stopped, token rejected');
          this.deps.hooks?.onApiError?.('telegram', 'getUpdates');
          return;
        }
        const wait =
          retryDelay(err, Math.min(failures, 6), { ...this.opts, maxRetryAfterSec: Infinity }) ??
          Math.min(this.opts.backoffMaxMs * 4, this.opts.backoffBaseMs * 2 ** Math.min(failures, 6));
        this.log.warn({ method: 'getUpdates', failures, waitMs: wait, err: info }, 'telegram: polling failed, retrying');
        if (failures === this.opts.maxAttempts) this.deps.hooks?.onApiError?.('telegram', 'getUpdates');
        await pause(wait, signal);
        continue;
      }
      for (const u of updates) offset = Math.max(offset, u.update_id + 1);
      await Promise.all(updates.map((u) => this.process(u, true)));
    }
    // Confirm the last handled batch so that a restart does not answer it twice (not when the polling
    // lease moved to another instance: that one polls now).
    if (offset > 0 && this.stopping) await this.raw('getUpdates', { offset, limit: 1, timeout: 0 }).catch(() => undefined);
  }

  private identity(): BotIdentity {
    return this.me ?? { id: this.bot.botInfo?.id ?? 0, username: this.bot.botInfo?.username ?? this.cfg.username ?? '' };
  }

  private setState(state: ChannelState, reason?: string): void {
    this.state = state;
    this.reason = reason;
  }
}

/** A Bot API call that got no answer in time: retried like a network error (see api.ts isNetworkError). */
class RequestTimeout extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(method: string, ms: number) {
    super(`Telegram ${method}: no answer within ${ms} ms`);
    this.name = 'RequestTimeout';
  }
}

/** Resolves true when `p` settles within `ms`, false otherwise (the timer never keeps the process alive). */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([p.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
