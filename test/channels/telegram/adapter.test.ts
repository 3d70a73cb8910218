// The Telegram adapter on its own: updates in, IncomingMessage out; Reply in, Bot API messages out.
import type { Update } from 'telegraf/types';
import { describe, expect, it } from 'vitest';
import { assertKeyboard, escapeHtml, readUpdate, renderReply, splitText, TELEGRAM_LIMITS } from '../../../src/channels/telegram/adapter.js';
import type { Reply } from '../../../src/engine/types.js';
import { parseHtml } from './fake-api.js';

const BOT = { id: 99, username: 'vneid_hoidap_bot' };
const reply = (r: Partial<Reply>): Reply => ({ kind: 'answer', blocks: [], links: [], qr: [], choices: [], ...r });
const update = (u: object) => ({ update_id: 1, ...u }) as unknown as Update;
const msg = (m: object) => update({ message: { message_id: 7, date: 0, chat: { id: 5, type: 'private' }, ...m } });
const groupMsg = (m: object) => update({ message: { message_id: 8, date: 0, chat: { id: -5, type: 'supergroup', title: 'x' }, ...m } });

describe('splitText', () => {
  const words = (s: string[]) => s.join(' ').split(/\s+/).filter(Boolean);

  it('keeps short text whole', () => {
    expect(splitText('một hai ba', 100)).toEqual(['một hai ba']);
  });

  it('cuts at paragraph breaks first', () => {
    const a = 'a'.repeat(60);
    const b = 'b'.repeat(60);
    expect(splitText(`${a}\n\n${b}`, 100)).toEqual([a, b]);
  });

  it('then at line breaks, then between words, never inside a word that fits', () => {
    const para = Array.from({ length: 50 }, (_, i) => `dòng ${i} có vài chữ tiếng Việt`).join('\n');
    const chunks = splitText(para, 120);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(120);
    expect(chunks.every((c) => c.startsWith('dòng'))).toBe(true);
    const oneLine = 'chữ '.repeat(100).trim();
    const parts = splitText(oneLine, 50);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(50);
    expect(words(parts)).toEqual(words([oneLine]));
  });

  it('cuts a single over-long word between characters (never a surrogate pair)', () => {
    const long = '😀'.repeat(30);
    const parts = splitText(long, 10);
    expect(parts.join('')).toBe(long);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(10);
  });

  it('measures with the given function (escaped HTML length)', () => {
    const amp = Array.from({ length: 3000 }, () => '&').join(' ');
    const parts = splitText(amp, TELEGRAM_LIMITS.text, (s) => escapeHtml(s).length);
    expect(parts.length).toBeGreaterThan(3);
    for (const p of parts) expect(escapeHtml(p).length).toBeLessThanOrEqual(4096);
  });
});

describe('renderReply', () => {
  it('escapes every dynamic string in HTML text and leaves button labels plain', () => {
    const out = renderReply(
      reply({
        blocks: ['Gõ <b>đậm</b> & "trích"', ''],
        links: [{ id: 'a', title: 'Trang <A&B>', url: 'https://example.vn/?a=1&b=2', verified: true }],
        choices: [{ label: 'Hỏi <tiếp> & nữa', payload: 'e:x' }],
        choicesIntro: 'Bạn có thể hỏi tiếp:',
      }),
    );
    expect(out).toHaveLength(1);
    const t = out[0];
    if (t.type !== 'text') throw new Error('text expected');
    const parsed = parseHtml(t.html, true);
    expect(parsed).toEqual({ ok: true, text: 'Gõ <b>đậm</b> & "trích"\n\nBạn có thể hỏi tiếp:' });
    expect(t.keyboard).toEqual([[{ text: 'Trang <A&B>', url: 'https://example.vn/?a=1&b=2' }], [{ text: 'Hỏi <tiếp> & nữa', callback_data: 'e:x' }]]);
  });

  it('puts tel: links in the text and marks unverified links', () => {
    const out = renderReply(
      reply({
        blocks: ['Cần hỗ trợ?'],
        links: [
          { id: 'hotline', title: 'Tổng đài', url: 'tel:19000368', verified: true },
          { id: 'dvc', title: 'Cổng DVC', url: 'https://dichvucong.gov.vn', verified: false },
        ],
      }),
      { links_intro: 'Đường dẫn:', unverified_link: '(chưa xác minh)' },
    );
    const t = out[0];
    if (t.type !== 'text') throw new Error('text expected');
    expect(t.plain).toBe('Cần hỗ trợ?\n\nĐường dẫn:\n- Tổng đài: 19000368');
    expect(t.keyboard).toEqual([[{ text: 'Cổng DVC (chưa xác minh)', url: 'https://dichvucong.gov.vn' }]]);
  });

  it('sends QR codes as photos after the text, the caption carrying the link', () => {
    const out = renderReply(reply({ blocks: ['Quét mã'], qr: [{ linkId: 'vneid-web', title: 'Trang VNeID', url: 'https://vneid.gov.vn' }] }), {
      qr_caption: 'Quét mã QR: {name}',
    });
    expect(out[1]).toEqual({
      type: 'qr',
      linkId: 'vneid-web',
      url: 'https://vneid.gov.vn',
      caption: 'Quét mã QR: Trang VNeID\nhttps://vneid.gov.vn',
      plainCaption: 'Quét mã QR: Trang VNeID\nhttps://vneid.gov.vn',
    });
  });

  it('never sends callback_data over 64 bytes or with Vietnamese text', () => {
    const out = renderReply(
      reply({
        blocks: ['x'],
        choices: [
          { label: 'ok', payload: 'e:' + 'a'.repeat(62) },
          { label: 'quá dài', payload: 'e:' + 'a'.repeat(63) },
          { label: 'tiếng Việt', payload: 'e:đăng-ký' },
        ],
      }),
    );
    const t = out[0];
    if (t.type !== 'text') throw new Error('text expected');
    expect(t.keyboard?.flat().map((b) => b.callback_data)).toEqual(['e:' + 'a'.repeat(62)]);
    expect(() => assertKeyboard([[{ text: 'x', callback_data: 'a'.repeat(65) }]])).toThrow(/64 bytes/);
  });

  it('never sends an empty message', () => {
    const t = renderReply(reply({ blocks: [] }))[0];
    expect(t.type === 'text' && t.plain.length).toBeGreaterThan(0);
  });
});

describe('readUpdate', () => {
  it('reads a private text message as text, keeping /start payloads', () => {
    const r = readUpdate(msg({ text: '/start w_phuong-mau', entities: [{ type: 'bot_command', offset: 0, length: 6 }] }), BOT);
    expect(r).toEqual({
      type: 'message',
      chatId: 5,
      replyTo: undefined,
      msg: { channel: 'telegram', chatId: '5', kind: 'text', text: '/start w_phuong-mau', messageId: '7' },
    });
  });

  it('strips our @name from commands and ignores commands for other bots', () => {
    const cmd = (t: string) => msg({ text: t, entities: [{ type: 'bot_command', offset: 0, length: t.split(' ')[0].length }] });
    const r = readUpdate(cmd('/start@vneid_hoidap_bot q_kich-hoat'), BOT);
    expect(r.type === 'message' && r.msg.text).toBe('/start q_kich-hoat');
    expect(readUpdate(cmd('/start@another_bot'), BOT)).toMatchObject({ type: 'ignore' });
  });

  it('in groups, answers only mentions (mention removed) and replies to the bot', () => {
    expect(readUpdate(groupMsg({ text: 'quen mat khau' }), BOT)).toMatchObject({ type: 'ignore' });
    const m = readUpdate(groupMsg({ text: '@Vneid_HoiDap_Bot, quen mat khau', entities: [{ type: 'mention', offset: 0, length: 17 }] }), BOT);
    expect(m).toMatchObject({ type: 'message', replyTo: 8, msg: { text: 'quen mat khau' } });
    const reply = readUpdate(groupMsg({ text: 'còn passcode?', reply_to_message: { message_id: 1, date: 0, chat: {}, from: { id: 99 } } }), BOT);
    expect(reply).toMatchObject({ type: 'message', msg: { text: 'còn passcode?' } });
    const other = readUpdate(groupMsg({ text: '@someone_else hi', entities: [{ type: 'mention', offset: 0, length: 13 }] }), BOT);
    expect(other).toMatchObject({ type: 'ignore' });
  });

  it('reads photos, stickers, voice, documents, locations and contacts as unsupported (private chats only)', () => {
    for (const k of ['photo', 'sticker', 'voice', 'document', 'location', 'contact']) {
      expect(readUpdate(msg({ [k]: {} }), BOT)).toMatchObject({ type: 'message', msg: { kind: 'unsupported', text: '' } });
      expect(readUpdate(groupMsg({ [k]: {} }), BOT)).toMatchObject({ type: 'ignore' });
    }
  });

  it('ignores edited messages, channel posts and service messages', () => {
    expect(readUpdate(update({ edited_message: { message_id: 1, chat: { id: 5, type: 'private' }, text: 'x' } }), BOT)).toMatchObject({ type: 'ignore' });
    expect(readUpdate(update({ channel_post: { message_id: 1, chat: { id: 5, type: 'channel' }, text: 'x' } }), BOT)).toMatchObject({ type: 'ignore' });
    expect(readUpdate(msg({ new_chat_members: [{ id: 1 }] }), BOT)).toMatchObject({ type: 'ignore' });
  });

  it('reads a button press as a choice, and flags data we could not have sent', () => {
    const cq = (data: string, withMessage = true) =>
      update({ callback_query: { id: 'q1', from: { id: 5 }, chat_instance: 'c', data, ...(withMessage ? { message: { message_id: 3, date: 0, chat: { id: 5, type: 'private' } } } : {}) } });
    expect(readUpdate(cq('e:kich-hoat-otp'), BOT)).toEqual({
      type: 'button',
      callbackId: 'q1',
      chatId: 5,
      msg: { channel: 'telegram', chatId: '5', kind: 'choice', text: 'e:kich-hoat-otp', messageId: 'cb:q1' },
    });
    expect(readUpdate(cq('chọn tôi'), BOT)).toEqual({ type: 'button', callbackId: 'q1', chatId: 5, msg: null });
    expect(readUpdate(cq('e:x', false), BOT)).toEqual({ type: 'button', callbackId: 'q1', chatId: null, msg: null });
  });
});
