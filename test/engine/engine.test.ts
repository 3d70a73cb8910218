import { describe, expect, it } from 'vitest';
import { createEngine, createMemoryStore, replyToPlainText, plainOptions } from '../../src/engine/index.js';
import type { IncomingMessage } from '../../src/engine/types.js';
import { makeContent, tableMatcher } from './fixture.js';

const c = (id: string, score: number) => ({ id, score, question: id });
const matcher = () =>
  tableMatcher({
    'bao lau phai kich hoat': { decision: 'answer', candidates: [c('kich-hoat-thoi-han', 0.05), c('kich-hoat-cac-buoc', 0.4)] },
    'kich hoat': { decision: 'suggest', candidates: [c('kich-hoat-thoi-han', 0.3), c('kich-hoat-cac-buoc', 0.32)] },
  });

function setup() {
  const content = makeContent();
  const m = matcher();
  let now = 1_000;
  const engine = createEngine({ content, matcher: m, store: createMemoryStore(), clock: { now: () => now } });
  const say = (text: string, chatId = 'c1'): ReturnType<typeof engine.handle> =>
    engine.handle({ channel: 'cli', chatId, kind: 'text', text });
  const press = (payload: string, chatId = 'c1') => engine.handle({ channel: 'cli', chatId, kind: 'choice', text: payload });
  return { content, engine, say, press, m, tick: (ms: number) => (now += ms) };
}

describe('a resident starts the bot', () => {
  it('gets the greeting and the topic menu in menu order', () => {
    const { say } = setup();
    const r = say('/start');
    expect(r.kind).toBe('command');
    expect(r.blocks[0]).toContain('Xin chào');
    expect(r.choices.map((x) => x.payload)).toEqual(['t:muc-do', 't:kich-hoat']);
  });
  it('arriving through a ward link has the ward remembered and greeted', () => {
    const { say } = setup();
    const r = say('/start w_cam-ngoc');
    expect(r.blocks[0]).toContain('Xã Cẩm Ngọc');
    expect(r.ward).toBe('cam-ngoc');
    expect(say('bao lau phai kich hoat').ward).toBe('cam-ngoc');
  });
  it('an unknown ward or a malformed payload falls back to the normal greeting', () => {
    const { say } = setup();
    for (const p of ['w_khong-co', 'w_<b>', 'xyz', 'q_khong-co']) {
      const r = say(`/start ${p}`);
      expect(r.blocks[0]).toContain('Xin chào');
      expect(r.ward).toBeUndefined();
    }
  });
  it('/start q_<entry> opens that entry', () => {
    const { say } = setup();
    const r = say('/start q_muc-do-muc-3');
    expect(r.kind).toBe('answer');
    expect(r.entryId).toBe('muc-do-muc-3');
  });
  it('/start@botname works as in Telegram groups', () => {
    expect(setup().say('/start@vneid_bot').blocks[0]).toContain('Xin chào');
  });
});

describe('a resident from a ward link asks where to go', () => {
  const whereContent = () => {
    const content = makeContent();
    const e = content.byId.get('muc-do-muc-3')!;
    (e as { wardOffice?: boolean }).wardOffice = true;
    return content;
  };
  const ask = (withWard: boolean) => {
    const engine = createEngine({
      content: whereContent(),
      matcher: tableMatcher({ 'o dau': { decision: 'answer', candidates: [c('muc-do-muc-3', 0.01)] } }),
    });
    const chat = { channel: 'telegram' as const, chatId: '9' };
    if (withWard) engine.handle({ ...chat, kind: 'text', text: '/start w_cam-ngoc' });
    return engine.handle({ ...chat, kind: 'text', text: 'o dau' });
  };
  it("sees the ward's police office first, with its date, then the general answer", () => {
    const r = ask(true);
    expect(r.blocks[0]).toContain('Xã Cẩm Ngọc');
    expect(r.blocks[0]).toContain('Công an xã Cẩm Ngọc');
    expect(r.blocks[0]).toContain('06/2023');
    expect(r.blocks[1]).toBe('Không có tài khoản định danh mức 3.');
  });
  it('without a ward link gets only the general answer', () => {
    expect(ask(false).blocks).toEqual(['Không có tài khoản định danh mức 3.']);
  });
});

describe('commands', () => {
  it('/menu lists topics, choosing a topic lists its entries, choosing an entry answers', () => {
    const { say, press } = setup();
    expect(say('/menu').choices).toHaveLength(2);
    const list = press('t:kich-hoat');
    expect(list.choices.map((x) => x.payload)).toEqual(['e:kich-hoat-thoi-han', 'e:kich-hoat-cac-buoc', 'm']);
    expect(press('e:kich-hoat-cac-buoc').entryId).toBe('kich-hoat-cac-buoc');
  });
  it('/help and /lienhe give the hotline', () => {
    const { say } = setup();
    expect(say('/help').blocks.join()).toContain('1900 0368');
    const r = say('/lienhe');
    expect(r.blocks.join()).toContain('1900 0368');
    expect(r.blocks.join()).toContain('Quy định có thể thay đổi');
    expect(r.links.map((l) => l.id)).toEqual(['hotline']);
  });
  it('an unknown command gets a polite hint and the menu', () => {
    const r = setup().say('/xoa_het');
    expect(r.blocks[0]).toContain('/menu');
    expect(r.choices.length).toBeGreaterThan(0);
  });
});

describe('answers', () => {
  it('a confident match answers with links, verified QR codes only, and related follow-ups', () => {
    const { say } = setup();
    const r = say('bao lau phai kich hoat');
    expect(r.kind).toBe('answer');
    expect(r.entryId).toBe('kich-hoat-thoi-han');
    expect(r.score).toBe(0.05);
    expect(r.blocks).toEqual(['Trong vòng 07 ngày.']);
    expect(r.links.map((l) => [l.id, l.verified])).toEqual([
      ['vneid-web', true],
      ['vneid-ios', false],
    ]);
    expect(r.qr.map((q) => q.linkId)).toEqual(['vneid-android']);
    expect(r.choices.map((x) => x.payload)).toEqual(['e:kich-hoat-cac-buoc', 'e:muc-do-muc-3']);
    expect(r.debug?.decision).toBe('answer');
  });
  it('a follow-up can be picked by typing its number', () => {
    const { say } = setup();
    say('bao lau phai kich hoat');
    expect(say('2').entryId).toBe('muc-do-muc-3');
  });
  it('a number out of range re-shows the list with the hint', () => {
    const { say } = setup();
    say('bao lau phai kich hoat');
    const r = say('7');
    expect(r.blocks[0]).toContain('Gõ số');
    expect(r.choices.map((x) => x.payload)).toEqual(['e:kich-hoat-cac-buoc', 'e:muc-do-muc-3']);
    expect(say('số 1').entryId).toBe('kich-hoat-cac-buoc');
  });
  it('state is per chat: a number in another chat is just a question', () => {
    const { say } = setup();
    say('bao lau phai kich hoat', 'a');
    expect(say('1', 'b').kind).toBe('fallback');
  });
  it('a stale entry id from an old button gets a polite message and the menu', () => {
    const r = setup().press('e:khong-con-nua');
    expect(r.blocks[0]).toContain('không còn dùng được');
    expect(r.choices.length).toBe(2);
  });
});

describe('a close call', () => {
  it('suggests up to 3 entries plus a way to a human, and a number picks one', () => {
    const { say } = setup();
    const r = say('kich hoat');
    expect(r.kind).toBe('suggest');
    expect(r.choices.map((x) => x.payload)).toEqual(['e:kich-hoat-thoi-han', 'e:kich-hoat-cac-buoc', 'c']);
    expect(r.choicesIntro).toContain('Có phải');
    expect(say('2').entryId).toBe('kich-hoat-cac-buoc');
  });
});

describe('the two-stage fallback', () => {
  it('first offers a rephrasing tip with the menu, then the hotline and police directly', () => {
    const { say } = setup();
    const first = say('gia vang hom nay');
    expect(first.kind).toBe('fallback');
    expect(first.blocks[0]).toContain('chưa hiểu');
    expect(first.choices.map((x) => x.payload)).toEqual(['t:muc-do', 't:kich-hoat']);
    const second = say('thoi tiet ha noi');
    expect(second.kind).toBe('fallback');
    expect(second.blocks[0]).toContain('1900 0368');
    expect(second.blocks[0]).toContain('Công an cấp xã');
    expect(second.links.map((l) => l.id)).toEqual(['hotline']);
  });
  it('an answer in between resets the count', () => {
    const { say } = setup();
    say('abc xyz');
    say('bao lau phai kich hoat');
    expect(say('abc xyz').blocks[0]).toContain('chưa hiểu');
  });
});

describe('small talk', () => {
  it.each([
    ['chào ad', 'smalltalk', 'Xin chào'],
    ['cam on nhieu', 'smalltalk', 'Không có gì'],
    ['bạn là ai', 'smalltalk', 'trợ lý'],
    ['có phải người thật không', 'smalltalk', 'không phải người thật'],
    ['tạm biệt', 'smalltalk', 'Chào bạn'],
  ])('"%s" gets a short professional reply', (q, kind, expected) => {
    const r = setup().say(q);
    expect(r.kind).toBe(kind);
    expect(r.blocks[0]).toContain(expected);
  });
  it('a greeting followed by a question is a question', () => {
    const { say, m } = setup();
    say('chào ad, bao lau phai kich hoat');
    expect(m.seen).toHaveLength(1);
  });
});

describe('personal data in a message', () => {
  it('gets a gentle warning with the answer, and the data never reaches the matcher', () => {
    const { say, m } = setup();
    const r = say('bao lau phai kich hoat 001203004567');
    expect(r.piiWarning).toBe(true);
    expect(r.blocks[0]).toContain('đừng gửi số căn cước');
    expect(m.seen.join(' ')).not.toContain('001203004567');
    for (const q of ['sdt em 0912 345 678', 'ma otp 482913', 'mail em la an.nguyen@gmail.com']) {
      expect(say(q).piiWarning).toBe(true);
    }
    expect(m.seen.join(' ')).not.toMatch(/0912|482913|gmail/);
  });
  it('the hotline, years and "7 ngày" are not personal data', () => {
    const { say } = setup();
    for (const q of ['goi 1900 0368 duoc khong', 'luat nam 2024', 'qua 7 ngay']) expect(say(q).piiWarning).toBeUndefined();
  });
});

describe('bad input never throws', () => {
  const inputs: [string, IncomingMessage['kind']][] = [
    ['', 'text'],
    ['   \n\t ', 'text'],
    ['😀😀😀', 'text'],
    ['a'.repeat(10_000), 'text'],
    ['', 'unsupported'],
    ['garbage-payload', 'choice'],
    ['\u0000\u0001', 'text'],
  ];
  it.each(inputs)('%j (%s) gets a polite reply', (text, kind) => {
    const { engine } = setup();
    const r = engine.handle({ channel: 'web', chatId: 'x', kind, text });
    expect(r.blocks.join(' ').length).toBeGreaterThan(10);
  });
  it('a photo or sticker gets "I read text messages"', () => {
    const r = setup().engine.handle({ channel: 'telegram', chatId: 'x', kind: 'unsupported', text: '' });
    expect(r.blocks[0]).toContain('chỉ đọc được tin nhắn chữ');
  });
  it('a matcher failure becomes the polite error reply', () => {
    const content = makeContent();
    const engine = createEngine({ content, matcher: { version: 'x', match: () => { throw new Error('boom'); } } });
    const r = engine.handle({ channel: 'web', chatId: 'x', kind: 'text', text: 'hello world question' });
    expect(r.blocks[0]).toContain('trục trặc');
  });
  it('a matcher failure is reported to onError, without the resident\'s text', () => {
    const content = makeContent();
    const seen: unknown[] = [];
    const engine = createEngine({
      content,
      matcher: { version: 'x', match: (t) => { throw new Error(`boom on ${t}`); } },
      onError: (err, msg) => seen.push({ ...err, stack: undefined, msg }),
    });
    engine.handle({ channel: 'web', chatId: 'x', kind: 'text', text: 'cccd 001203004567 hoi gi do' });
    expect(seen).toHaveLength(1);
    expect(JSON.stringify(seen)).not.toContain('001203004567');
    expect(seen[0]).toMatchObject({ name: 'Error', msg: { channel: 'web', kind: 'text' } });
  });
});

describe('a chat that floods the bot', () => {
  it('gets the rate-limit notice, other chats are unaffected, and it recovers after the window', () => {
    const { say, tick } = setup();
    const kinds = Array.from({ length: 14 }, () => say('bao lau phai kich hoat').kind);
    expect(kinds.slice(0, 12).every((k) => k === 'answer')).toBe(true);
    const limited = say('bao lau phai kich hoat');
    expect(limited.blocks[0]).toContain('đợi vài giây');
    expect(say('bao lau phai kich hoat', 'other').kind).toBe('answer');
    tick(21_000);
    expect(say('bao lau phai kich hoat').kind).toBe('answer');
  });
});

describe('conversation state', () => {
  it('expires after the TTL', () => {
    let now = 0;
    const store = createMemoryStore({ ttlMs: 1000, clock: { now: () => now } });
    store.set('a', { lastChoices: ['m'], fallbacks: 0, updatedAt: 0 });
    now = 999;
    expect(store.get('a')).toBeDefined();
    now = 2500;
    expect(store.get('a')).toBeUndefined();
  });
  it('is bounded: the least recently used chat is evicted', () => {
    const store = createMemoryStore({ max: 2 });
    const s = { lastChoices: [], fallbacks: 0, updatedAt: Date.now() };
    store.set('a', s);
    store.set('b', s);
    store.get('a');
    store.set('c', s);
    expect(store.get('b')).toBeUndefined();
    expect(store.get('a')).toBeDefined();
  });
});

describe('plain-text rendering', () => {
  it('shows blocks, links with the unverified mark, and numbered choices with the hint', () => {
    const { say, content } = setup();
    const text = replyToPlainText(say('bao lau phai kich hoat'), plainOptions(content.messages));
    expect(text).toContain('Trong vòng 07 ngày.');
    expect(text).toContain('https://vneid.gov.vn');
    expect(text).toContain('(chưa xác minh)');
    expect(text).toContain('1. Các bước kích hoạt?');
    expect(text).toContain('Gõ số thứ tự');
  });
});
