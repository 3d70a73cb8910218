// Telegram adapter: the one place where a Telegram update becomes the engine's IncomingMessage and
// where the engine's Reply becomes Bot API messages. Pure: no I/O, no telegraf runtime, only types.
//
//   update ──readUpdate──▶ Inbound (message | button | ignore)
//   Reply  ──renderReply─▶ Outgoing[] (HTML text chunks with one inline keyboard, QR photos)
import type { CallbackQuery, Message, MessageEntity, Update } from 'telegraf/types';
import type { IncomingMessage, Reply } from '../../engine/types.js';
import { splitText } from '../../text/split.js';

/** Telegram's own limits (Bot API). */
export const TELEGRAM_LIMITS = Object.freeze({
  /** Message text after entity parsing, characters. */
  text: 4096,
  /** Photo caption after entity parsing, characters. */
  caption: 1024,
  /** callback_data, bytes. */
  callbackData: 64,
  /** Buttons per inline keyboard (Telegram allows 100; we keep room). */
  buttons: 90,
  /** Button label we show, characters (Telegram truncates long labels on screen anyway). */
  buttonLabel: 120,
});

/** Who we are, from getMe: needed to notice mentions and commands addressed to us in groups. */
export interface BotIdentity {
  id: number;
  username: string;
}

/** What an update asks of the channel. */
export type Inbound =
  | { type: 'message'; chatId: number; replyTo?: number; msg: IncomingMessage }
  /**
   * A button press. `msg` is null when the data is not a payload we could have produced (stale/foreign).
   * `message`: the message that carries the button, with its keyboard as Telegram shows it now (absent when the
   * message is no longer accessible).
   */
  | { type: 'button'; callbackId: string; chatId: number | null; msg: IncomingMessage | null; message?: PressedMessage }
  | { type: 'ignore'; reason: string };

/** The message under which a button was pressed. */
export interface PressedMessage {
  id: number;
  keyboard: InlineButton[][];
}

/** Message kinds that carry no text: the engine answers them with "I read text messages". */
const NON_TEXT_KEYS = [
  'photo',
  'sticker',
  'voice',
  'audio',
  'video',
  'video_note',
  'animation',
  'document',
  'location',
  'venue',
  'contact',
  'poll',
  'dice',
  'story',
] as const;

/** A choice payload as the engine makes them: short printable ASCII ("e:<id>", "t:<id>", "m", "c"). */
const PAYLOAD = /^[\x21-\x7e]{1,64}$/;

export function isChoicePayload(data: string): boolean {
  return PAYLOAD.test(data) && Buffer.byteLength(data, 'utf8') <= TELEGRAM_LIMITS.callbackData;
}

/** Turns one Telegram update into what the channel should do with it. */
export function readUpdate(update: Update, bot: BotIdentity): Inbound {
  if ('callback_query' in update) return readButton(update.callback_query);
  if ('message' in update) return readMessage(update.message, bot);
  if ('edited_message' in update) return { type: 'ignore', reason: 'edited message' };
  return { type: 'ignore', reason: 'update type' };
}

function readButton(cq: CallbackQuery): Inbound {
  const chat = cq.message?.chat;
  const chatId = chat ? chat.id : null;
  const data = 'data' in cq && typeof cq.data === 'string' ? cq.data : '';
  if (chatId === null || !isChoicePayload(data)) return { type: 'button', callbackId: cq.id, chatId, msg: null };
  const m = cq.message;
  const rows = m && m.date !== 0 && 'reply_markup' in m ? m.reply_markup?.inline_keyboard : undefined;
  const message = m && Array.isArray(rows) ? { id: m.message_id, keyboard: rows as InlineButton[][] } : undefined;
  return {
    type: 'button',
    callbackId: cq.id,
    chatId,
    msg: { channel: 'telegram', chatId: String(chatId), kind: 'choice', text: data, messageId: `cb:${cq.id}` },
    ...(message ? { message } : {}),
  };
}

function readMessage(m: Message, bot: BotIdentity): Inbound {
  const chat = m.chat;
  if (chat.type === 'channel') return { type: 'ignore', reason: 'channel post' };
  const inGroup = chat.type === 'group' || chat.type === 'supergroup';
  const base = { channel: 'telegram' as const, chatId: String(chat.id), messageId: String(m.message_id) };
  const replyTo = inGroup ? m.message_id : undefined;

  if ('text' in m && typeof m.text === 'string') {
    const text = readText(m.text, m.entities ?? [], bot, inGroup, repliesToBot(m, bot));
    if (text === null) return { type: 'ignore', reason: 'not for us' };
    return { type: 'message', chatId: chat.id, replyTo, msg: { ...base, kind: 'text', text } };
  }
  if (NON_TEXT_KEYS.some((k) => k in m)) {
    // In a group, a photo or sticker is people talking to each other, not to the bot.
    if (inGroup) return { type: 'ignore', reason: 'non-text in group' };
    return { type: 'message', chatId: chat.id, msg: { ...base, kind: 'unsupported', text: '' } };
  }
  return { type: 'ignore', reason: 'service message' };
}

function repliesToBot(m: Message, bot: BotIdentity): boolean {
  const r = 'reply_to_message' in m ? m.reply_to_message : undefined;
  return r?.from?.id === bot.id;
}

/**
 * The text the engine should read, or null when the message is not addressed to the bot.
 * Commands lose their "@botname" suffix ("/start@vneid_bot w_x" → "/start w_x"); in groups only
 * commands, mentions of the bot and replies to it count, and the mention is removed.
 */
function readText(text: string, entities: MessageEntity[], bot: BotIdentity, inGroup: boolean, isReplyToBot: boolean): string | null {
  const me = bot.username.toLowerCase();
  const first = entities.find((e) => e.offset === 0 && e.type === 'bot_command');
  if (first) {
    const command = text.slice(0, first.length);
    const at = command.indexOf('@');
    if (at >= 0) {
      if (command.slice(at + 1).toLowerCase() !== me) return null; // a command for another bot
      return (command.slice(0, at) + text.slice(first.length)).trim();
    }
    return text.trim();
  }
  if (!inGroup) return text.trim();

  let mentioned = isReplyToBot;
  let out = text;
  // Remove mentions of the bot from the end backwards so offsets stay valid.
  for (const e of [...entities].sort((a, b) => b.offset - a.offset)) {
    const isMe =
      (e.type === 'mention' && text.slice(e.offset + 1, e.offset + e.length).toLowerCase() === me) ||
      (e.type === 'text_mention' && 'user' in e && e.user.id === bot.id);
    if (isMe) {
      mentioned = true;
      out = out.slice(0, e.offset) + out.slice(e.offset + e.length);
    }
  }
  if (!mentioned) return null;
  return out.replace(/^[\s,:;.!?-]+/, '').replace(/\s+/g, ' ').trim();
}

// ─── rendering ───────────────────────────────────────────────────────────────────────────────

export interface InlineButton {
  text: string;
  /** Set for a choice: the engine's payload, ≤ 64 bytes. */
  callback_data?: string;
  /** Set for a link. */
  url?: string;
}

export type Outgoing =
  /** One sendMessage. `plain` is the same text without markup, sent if Telegram rejects the HTML. */
  | { type: 'text'; html: string; plain: string; keyboard?: InlineButton[][] }
  /** One sendPhoto with a QR code PNG for `url`, uploaded as multipart. */
  | { type: 'qr'; linkId: string; url: string; caption: string; plainCaption: string };

/** Strings from content/messages.yaml the renderer uses (all optional: sensible defaults). */
export interface RenderTexts {
  links_intro?: string;
  unverified_link?: string;
  qr_caption?: string;
}

/** Escapes text for Telegram's HTML parse mode. */
export { splitText };

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Telegram opens http(s) links from buttons; other schemes (tel:) stay in the text. */
const isWebUrl = (url: string) => /^https?:\/\/[^\s]+$/i.test(url);

/**
 * Renders a Reply: the blocks (escaped) as one or more messages of at most 4,096 characters, links as
 * URL buttons (or text lines for tel: links), the choices' intro line then the choices as callback
 * buttons on the last text message,
 * then one photo per QR code with a caption that carries the link itself.
 */
export function renderReply(reply: Reply, texts: RenderTexts = {}): Outgoing[] {
  const unverified = texts.unverified_link ?? '(chưa xác minh)';
  const paragraphs = reply.blocks.map((b) => b.trim()).filter((b) => b !== '');

  const keyboard: InlineButton[][] = [];
  const textLinks: string[] = [];
  for (const link of reply.links) {
    const label = link.verified ? link.title : `${link.title} ${unverified}`;
    if (isWebUrl(link.url)) keyboard.push([{ text: buttonLabel(label), url: link.url }]);
    else textLinks.push(`- ${label}: ${link.url.replace(/^tel:/i, '')}`);
  }
  if (textLinks.length) paragraphs.push([texts.links_intro ?? 'Đường dẫn:', ...textLinks].join('\n'));
  // The line that introduces the buttons ("Bạn có thể hỏi tiếp:") ends the text, right above them.
  if (reply.choices.length && reply.choicesIntro?.trim()) paragraphs.push(reply.choicesIntro.trim());
  for (const choice of reply.choices) {
    if (!isChoicePayload(choice.payload)) continue; // never send data Telegram would refuse
    keyboard.push([{ text: buttonLabel(choice.label), callback_data: choice.payload }]);
  }
  // 👍/👎 under an answer: one row of two buttons, last (src/feedback/).
  if (reply.feedback && isChoicePayload(reply.feedback.up.payload) && isChoicePayload(reply.feedback.down.payload)) {
    paragraphs.push(reply.feedback.prompt);
    const f = reply.feedback;
    keyboard.push([{ text: f.up.label, callback_data: f.up.payload }, { text: f.down.label, callback_data: f.down.payload }]);
  }
  assertKeyboard(keyboard);

  const plainText = paragraphs.join('\n\n') || '…';
  const chunks = splitText(plainText, TELEGRAM_LIMITS.text, (s) => escapeHtml(s).length);
  const out: Outgoing[] = chunks.map((plain) => ({ type: 'text', html: escapeHtml(plain), plain }));
  const last = out[out.length - 1];
  if (keyboard.length && last.type === 'text') last.keyboard = keyboard.slice(0, TELEGRAM_LIMITS.buttons);

  for (const qr of reply.qr) {
    const title = (texts.qr_caption ?? 'Quét mã QR: {name}').replace('{name}', qr.title);
    const plainCaption = cut(`${title}\n${qr.url}`, TELEGRAM_LIMITS.caption);
    out.push({ type: 'qr', linkId: qr.linkId, url: qr.url, caption: escapeHtml(plainCaption), plainCaption });
  }
  return out;
}

/** Every callback_data we send fits Telegram's 64-byte limit; a violation is a bug, not a runtime case. */
export function assertKeyboard(keyboard: InlineButton[][]): void {
  for (const row of keyboard)
    for (const b of row)
      if (b.callback_data !== undefined && Buffer.byteLength(b.callback_data, 'utf8') > TELEGRAM_LIMITS.callbackData)
        throw new Error(`callback_data over ${TELEGRAM_LIMITS.callbackData} bytes`);
}

function buttonLabel(label: string): string {
  const clean = label.replace(/\s+/g, ' ').trim() || '…';
  return cut(clean, TELEGRAM_LIMITS.buttonLabel);
}

function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}

