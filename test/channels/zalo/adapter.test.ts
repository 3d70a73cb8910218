import { describe, expect, it } from 'vitest';
import { chooseHint, renderReply, splitText, toIncoming, toUpdates, ZALO_TEXT_LIMIT } from '../../../src/channels/zalo/adapter.js';
import type { Reply } from '../../../src/engine/types.js';
import { otherUpdate, textUpdate } from './fake-zalo.js';

const reply = (over: Partial<Reply> = {}): Reply => ({ kind: 'answer', blocks: ['Câu trả lời.'], links: [], qr: [], choices: [], ...over });

describe('Zalo updates → IncomingMessage', () => {
  it('accepts the bare shape, the {ok, result} shape and arrays of either', () => {
    const u = textUpdate('c1', 'xin chao', 'm1');
    expect(toUpdates(u)).toEqual([u]);
    expect(toUpdates({ ok: true, result: u })).toEqual([u]);
    expect(toUpdates({ ok: true, result: [u, { ok: true, result: u }] })).toEqual([u, u]);
    expect(toUpdates({ ok: false, error_code: 408 })).toEqual([]);
    expect(toUpdates('nonsense')).toEqual([]);
  });

  it('turns text into a text message and a sticker into an unsupported one', () => {
    expect(toIncoming(textUpdate('c1', 'vneid la gi', 'm1'))).toMatchObject({
      kind: 'message',
      msg: { channel: 'zalo', chatId: 'c1', kind: 'text', text: 'vneid la gi', messageId: 'm1' },
    });
    expect(toIncoming(otherUpdate('c1', 'message.sticker.received', 'm2'))).toMatchObject({ msg: { kind: 'unsupported', text: '' } });
  });

  it('in a group, takes only commands and messages that name the bot, without the mention', () => {
    const g = (text: string) => toIncoming(textUpdate('g1', text, 'm' + text.length, 'GROUP'), { botName: 'Trợ lý VNeID' });
    expect(g('hom nay an gi')).toEqual({ kind: 'skip', reason: 'group-not-addressed' });
    expect(g('@Trợ lý VNeID vneid la gi')).toMatchObject({ msg: { text: 'vneid la gi' } });
    expect(g('/menu')).toMatchObject({ msg: { text: '/menu' } });
    expect(g('tro ly vneid oi, vneid la gi')).toMatchObject({ kind: 'message' });
  });
});

describe('Reply → Zalo messages', () => {
  it('numbers the choices and says which numbers to type', () => {
    const [out] = renderReply(reply({ kind: 'suggest', blocks: ['Ý bạn là?'], choices: [{ label: 'A', payload: 'e:a' }, { label: 'B', payload: 'e:b' }, { label: 'C', payload: 'e:c' }] }));
    expect(out).toEqual({ type: 'text', text: 'Ý bạn là?\n\n1. A\n2. B\n3. C\nGõ 1, 2 hoặc 3 để chọn.' });
    expect(chooseHint(1)).toBe('Gõ 1 để chọn.');
    expect(chooseHint(8)).toBe('Gõ một số từ 1 đến 8 để chọn.');
  });

  it('sends a QR as a photo by URL when a public URL is set, and as the written link otherwise', () => {
    const qr = [{ linkId: 'vneid-android', title: 'Tải VNeID', url: 'https://play.google.com/store/apps/details?id=com.vnid' }];
    const withUrl = renderReply(reply({ qr }), { publicUrl: 'https://bot.example.vn/' });
    expect(withUrl[1]).toMatchObject({ type: 'photo', photo: 'https://bot.example.vn/qr/vneid-android.png' });
    const without = renderReply(reply({ qr }));
    expect(without).toHaveLength(1);
    expect(without[0]).toMatchObject({ type: 'text' });
    expect((without[0] as { text: string }).text).toContain('https://play.google.com/store/apps/details?id=com.vnid');
  });

  it('splits at paragraphs first, then lines, then words, never over the limit', () => {
    const para = 'một hai ba bốn năm '.repeat(60).trim(); // ~1,140 chars, no line break
    const parts = splitText([para, para, para].join('\n\n'));
    expect(parts).toEqual([para, para, para]);
    const long = 'chữ '.repeat(1200).trim(); // 4,799 chars, one paragraph
    const words = splitText(long);
    expect(words.length).toBe(3);
    for (const p of words) {
      expect(p.length).toBeLessThanOrEqual(ZALO_TEXT_LIMIT);
      expect(p.split(' ').every((w) => w === 'chữ')).toBe(true);
    }
    expect(splitText('x'.repeat(4500)).map((p) => p.length)).toEqual([2000, 2000, 500]);
  });
});
