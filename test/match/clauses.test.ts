// Long messages: a resident tells a story and asks at the end. The trailing clauses are matched too, and a
// clause that is answered wins over a whole message that only suggests — when it names the same entry.
// Invented wording, on the matcher fixture FAQ.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Content } from '../../src/content/types.js';
import { loadContentOrThrow } from '../../src/content/index.js';
import { asksQuestion } from '../../src/match/clauses.js';
import { clauses, createMatcher, MATCH_CONFIG, questionParts, type TracingMatcher } from '../../src/match/index.js';
import { loadFixture } from './fixture.js';

const STORY = 'Tài khoản mức 1 của em kích hoạt xong từ lâu rồi, dùng bình thường, giờ muốn biết mức 2 có tác dụng gì';

let content: Content;
let matcher: TracingMatcher;
beforeAll(() => {
  content = loadFixture();
  matcher = createMatcher(content);
});

describe('clauses()', () => {
  it('splits at punctuation and before the words that open a clause', () => {
    expect(clauses('Em làm rồi, mà mở app vẫn vậy. Giờ sao ạ?')).toEqual(['Em làm rồi', 'mà mở app vẫn vậy', 'Giờ sao ạ']);
    expect(clauses('em đăng ký rồi thì bao lâu có kết quả')).toEqual(['em đăng ký rồi', 'thì bao lâu có kết quả']);
  });

  it('does not split at "nhung" typed without diacritics (it may be "những")', () => {
    expect(clauses('can nhung giay to gi')).toEqual(['can nhung giay to gi']);
  });

  it('drops pieces without letters and keeps at most 8 clauses', () => {
    expect(clauses('... ?? 123, ok')).toEqual(['ok']);
    expect(clauses('a, b, c, d, e, f, g, h, i, j')).toHaveLength(8);
  });
});

describe('a story with the question at the end', () => {
  it('is only a suggestion when matched as a whole', () => {
    const off = createMatcher(content, { ...MATCH_CONFIG, clauseMinTokens: 0 });
    const t = off.trace(STORY);
    expect(t.decision).toBe('suggest');
    expect(t.candidates[0].id).toBe('muc-do-muc-2-dung-gi');
  });

  it('is answered from its trailing clause, with the whole message as the normalised key', () => {
    const t = matcher.trace(STORY);
    expect(t.decision).toBe('answer');
    expect(t.candidates[0].id).toBe('muc-do-muc-2-dung-gi');
    expect(t.normalized).toBe(createMatcher(content, { ...MATCH_CONFIG, clauseMinTokens: 0 }).trace(STORY).normalized);
  });

  it('stays a suggestion when the clause is not clearly more confident than the whole (clauseMargin)', () => {
    const strict = createMatcher(content, { ...MATCH_CONFIG, clauseMargin: 1 });
    expect(strict.trace(STORY).decision).toBe('suggest');
  });
});

describe('short messages', () => {
  it('are matched as before', () => {
    const off = createMatcher(content, { ...MATCH_CONFIG, clauseMinTokens: 0 });
    for (const q of ['mức 2 dùng làm gì, mức 1 thì sao', 'quên mật khẩu, làm sao']) {
      expect(matcher.match(q)).toEqual(off.match(q));
    }
  });
});

describe('two questions without a question mark (questionParts)', () => {
  it('cuts at a comma or before "còn" when both sides ask, and drops the connector', () => {
    expect(questionParts('quên passcode thì lấy lại thế nào, còn muốn đổi số thì làm ở đâu')).toEqual(['quên passcode thì lấy lại thế nào', 'muốn đổi số thì làm ở đâu']);
    expect(questionParts('tải app ở đâu ạ, mà máy cũ có cài được không')).toEqual(['tải app ở đâu ạ', 'máy cũ có cài được không']);
    expect(questionParts('mức 1 dùng được gì còn mức 2 thì sao')).toEqual(['mức 1 dùng được gì', 'mức 2 thì sao']);
    expect(questionParts('tong dai so bao nhieu a, con cong an xa lam viec luc nao')).toEqual(['tong dai so bao nhieu a', 'cong an xa lam viec luc nao']);
    expect(questionParts('otp ko ve thi lam sao, ma ma do dua nguoi khac dc ko')).toEqual(['otp ko ve thi lam sao', 'ma do dua nguoi khac dc ko']);
  });

  it('keeps a story and its one question together', () => {
    for (const q of [
      'em làm mức 2 rồi, mà chờ mãi không thấy, giờ làm sao',
      'tại sao, mà tôi không nhận được mã',
      'dt cu bi hong, mua dt moi thi dang nhap the nao',
      'máy tôi là máy cũ, chạy android 8, có cài được không',
    ])
      expect(questionParts(q)).toEqual([q]);
  });

  it('a question mark and the connector words still cut as before', () => {
    expect(questionParts('Con 10 tuổi làm được không? Thủ tục thế nào?')).toEqual(['Con 10 tuổi làm được không', 'Thủ tục thế nào']);
    expect(questionParts('quên passcode thì sao với lại đổi số ở đâu', false)).toEqual(['quên passcode thì sao', 'với lại đổi số ở đâu']);
    expect(questionParts('tải app ở đâu ạ, mà máy cũ có cài được không', false)).toEqual(['tải app ở đâu ạ, mà máy cũ có cài được không']);
  });

  it('asksQuestion: question forms at the end or the start, with or without diacritics', () => {
    expect(asksQuestion('đổi số ở đâu vậy ad')).toBe(true);
    expect(asksQuestion('làm sao để đổi số')).toBe(true);
    expect(asksQuestion('doi so o dau a')).toBe(true);
    expect(asksQuestion('em làm trên máy')).toBe(false);
    expect(asksQuestion('lam tren may')).toBe(false);
    expect(asksQuestion('điện thoại bị hỏng')).toBe(false);
  });
});

describe('two questions without a question mark, on the shipped content', () => {
  const shipped = loadContentOrThrow('content');
  const m = createMatcher(shipped);
  const single = createMatcher(shipped, { ...MATCH_CONFIG, multiPart: false });
  it('answers both, in the message\'s order', () => {
    const q = 'quên passcode thì lấy lại thế nào, còn muốn đổi số điện thoại thì làm ở đâu';
    expect(single.match(q).also).toBeUndefined();
    const r = m.match(q);
    expect(r.decision).toBe('answer');
    expect(r.candidates[0].id).toBe('su-co-quen-passcode');
    expect(r.also?.id).toBe('su-co-doi-so-dien-thoai');
  });
  it('keeps the first question first when only the second part is answered alone', () => {
    const r = m.match('kích hoạt tài khoản làm sao ạ, mà tải app ở đâu');
    expect(r.decision).toBe('answer');
    expect(r.candidates[0].id).toBe('kich-hoat-cac-buoc');
    expect(r.also?.id).toBe('ung-dung-tai-app');
  });
});
