// The Zalo adapter: Zalo updates → the engine's IncomingMessage, and the engine's Reply → what the Zalo
// Bot API can send (plain text ≤ 2000 characters, numbered choices, photos by URL). Pure functions only;
// the channel (index.ts) does the I/O. Declares only the platform fields it reads.
import type { Messages } from '../../content/types.js';
import { replyToPlainText } from '../../engine/plain.js';
import type { IncomingMessage, Reply } from '../../engine/types.js';
import { feedbackPlain } from '../../feedback/engine.js';
import { fold } from '../../text/fold.js';
import { splitText as splitParts } from '../../text/split.js';

/** The API's limit for sendMessage text and sendPhoto captions, in characters. */
export const ZALO_TEXT_LIMIT = 2000;

/** A message inside an update (fields the bot reads). */
export interface ZaloMessage {
  message_id?: string;
  /** Epoch milliseconds. */
  date?: number;
  /** Present on `message.text.received` only. */
  text?: string;
  chat?: { id?: string; chat_type?: string };
  from?: { id?: string; display_name?: string; is_bot?: boolean };
}

/** One update: the webhook body, or the getUpdates result. */
export interface ZaloUpdate {
  /** message.text.received, message.image.received, message.sticker.received, message.voice.received, message.unsupported.received… */
  event_name?: string;
  message?: ZaloMessage;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Type guard: an update carrying a message with a chat id. */
export function isZaloUpdate(v: unknown): v is ZaloUpdate & { message: ZaloMessage & { chat: { id: string } } } {
  return isObject(v) && isObject(v.message) && isObject(v.message.chat) && typeof v.message.chat.id === 'string';
}

/**
 * Every update in a body of either shape: the bare `{ event_name, message }`, the wrapped
 * `{ ok: true, result: … }`, or an array of either. Anything else yields [].
 */
export function toUpdates(body: unknown): ZaloUpdate[] {
  if (Array.isArray(body)) return body.flatMap(toUpdates);
  if (!isObject(body)) return [];
  if ('event_name' in body || 'message' in body) return [body as ZaloUpdate];
  if ('result' in body && body.ok !== false) return toUpdates(body.result);
  return [];
}

/** What the channel needs to know about an update besides the engine's message. */
export type Inbound =
  | { kind: 'message'; msg: IncomingMessage; chatId: string; messageId?: string; group: boolean }
  | { kind: 'skip'; reason: 'malformed' | 'from-bot' | 'group-not-addressed' };

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Turns one update into the engine's message. In group chats only text that mentions the bot by name
 * (`botName`, from getMe) or starts with a command ("/") is taken; the mention is removed from the text.
 */
export function toIncoming(update: ZaloUpdate, opts: { botName?: string } = {}): Inbound {
  if (!isZaloUpdate(update)) return { kind: 'skip', reason: 'malformed' };
  const m = update.message;
  if (m.from?.is_bot) return { kind: 'skip', reason: 'from-bot' };
  const chatId = m.chat.id;
  const messageId = typeof m.message_id === 'string' && m.message_id ? m.message_id : undefined;
  const group = String(m.chat.chat_type ?? '').toUpperCase() === 'GROUP';
  const isText = typeof m.text === 'string' && (update.event_name === undefined || update.event_name === 'message.text.received');

  if (!isText) {
    if (group) return { kind: 'skip', reason: 'group-not-addressed' };
    return { kind: 'message', chatId, messageId, group, msg: { channel: 'zalo', chatId, kind: 'unsupported', text: '', messageId } };
  }

  let text = (m.text as string).normalize('NFC');
  if (group) {
    const addressed = addressedText(text, opts.botName);
    if (addressed === undefined) return { kind: 'skip', reason: 'group-not-addressed' };
    text = addressed;
  }
  return { kind: 'message', chatId, messageId, group, msg: { channel: 'zalo', chatId, kind: 'text', text, messageId } };
}

/** The text meant for the bot in a group message, or undefined when the bot is not addressed. */
function addressedText(text: string, botName?: string): string | undefined {
  if (text.trimStart().startsWith('/')) return text.trim();
  const name = botName?.normalize('NFC').trim();
  if (!name) return undefined;
  const re = new RegExp(`@?${escapeRe(name)}[\\s,:!.]*`, 'iu');
  if (re.test(text)) return text.replace(re, ' ').replace(/\s+/g, ' ').trim();
  // Typed without diacritics ("@tro ly vneid"): addressed, text left as typed (the engine drops the extra words).
  const fname = fold(name);
  if (fname && ` ${fold(text)} `.includes(` ${fname} `)) return text.trim();
  return undefined;
}

/** "Gõ 1, 2 hoặc 3 để chọn." — the hint under a numbered list of `n` choices. */
export function chooseHint(n: number): string {
  if (n <= 1) return 'Gõ 1 để chọn.';
  if (n <= 5) return `Gõ ${Array.from({ length: n - 1 }, (_, i) => i + 1).join(', ')} hoặc ${n} để chọn.`;
  return `Gõ một số từ 1 đến ${n} để chọn.`;
}

/** One API call to make for a reply. */
export type Outgoing = { type: 'text'; text: string } | { type: 'photo'; photo: string; caption: string; fallback: string };

export interface RenderOptions {
  /** Public HTTPS base URL of the server; QR codes are sent as `${publicUrl}/qr/<link-id>.png` when set. */
  publicUrl?: string;
  /** The live messages (links_intro, unverified_link, qr_caption, hotline). */
  messages?: Partial<Messages>;
}

/**
 * A Reply as Zalo messages: the plain text (choices numbered, links written out in full, QR links
 * included as text) split into ≤ 2000-character parts, then one photo per QR code when a public URL is set.
 */
export function renderReply(reply: Reply, opts: RenderOptions = {}): Outgoing[] {
  const msgs = opts.messages ?? {};
  const body = replyToPlainText(reply, {
    numbered: true,
    chooseHint: reply.choices.length ? chooseHint(reply.choices.length) : undefined,
    linksIntro: msgs.links_intro,
    unverifiedMark: msgs.unverified_link,
  });
  const feedback = feedbackPlain(reply, true); // 👍/👎 numbered after the choices, and the words "đúng"/"sai"
  const text = feedback ? `${body}\n\n${feedback}` : body;
  const out: Outgoing[] = splitText(text).map((t) => ({ type: 'text', text: t }));
  if (opts.publicUrl) {
    const base = opts.publicUrl.replace(/\/+$/, '');
    for (const q of reply.qr) {
      const title = (msgs.qr_caption ?? 'Quét mã QR: {name}').replace('{name}', q.title).replace('{hotline}', msgs.hotline ?? '');
      const caption = `${title}\n${q.url}`.slice(0, ZALO_TEXT_LIMIT);
      out.push({ type: 'photo', photo: `${base}/qr/${encodeURIComponent(q.linkId)}.png`, caption, fallback: caption });
    }
  }
  return out;
}

/** Splits text into Zalo-sized parts at paragraph, line or word boundaries. */
export function splitText(text: string, limit = ZALO_TEXT_LIMIT): string[] {
  return splitParts(text, limit);
}
