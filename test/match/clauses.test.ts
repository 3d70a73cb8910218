// Long messages: a resident tells a story and asks at the end. The trailing clauses are matched too, and a
// clause that is answered wins over a whole message that only suggests — when it names the same entry.
// Invented wording, on the matcher fixture FAQ.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Content } from '../../src/content/types.js';
import { clauses, createMatcher, MATCH_CONFIG, type TracingMatcher } from '../../src/match/index.js';
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
