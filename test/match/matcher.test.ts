// The matcher on a small fixture FAQ: each decision band, and inputs that must never throw.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Content } from '../../src/content/types.js';
import { createMatcher, decide, MATCH_CONFIG, type TracingMatcher } from '../../src/match/index.js';
import { loadFixture } from './fixture.js';

let content: Content;
let matcher: TracingMatcher;
beforeAll(() => {
  content = loadFixture();
  matcher = createMatcher(content);
});

describe('a resident types "ad oi bao lau phai kich hoat tk vay"', () => {
  it('answers with the activation deadline', () => {
    const m = matcher.match('ad oi bao lau phai kich hoat tk vay');
    expect(m.decision).toBe('answer');
    expect(m.candidates[0].id).toBe('kich-hoat-thoi-han');
    expect(m.normalized).toBe('bao lau phai kich hoat tai khoan');
  });
});

describe('a resident types with abbreviations and no diacritics', () => {
  it.each([
    ['ko nhan dc ma otp', 'kich-hoat-otp'],
    ['quen mk', 'su-co-quen-mat-khau'],
    ['quên passcode', 'su-co-quen-passcode'],
  ])('"%s" → %s', (q, id) => {
    const m = matcher.match(q);
    expect(m.decision).toBe('answer');
    expect(m.candidates[0].id).toBe(id);
  });
});

describe('a resident types with the keyboard in the wrong mode or without spaces', () => {
  it.each([
    ['kichhoat taikhoan trong bao lau', 'kich hoat tai khoan trong bao lau'],
    ['kichs hoatj tai khoanr', 'kich hoat tai khoan'],
  ])('"%s" is read as "%s"', (q, key) => {
    expect(matcher.match(q).normalized).toBe(key);
  });

  it('leaves gibberish alone', () => {
    expect(matcher.match('asdkjhaskd qwe').decision).toBe('fallback');
  });
});

describe('a resident types something that fits two entries ("lấy lại")', () => {
  it('suggests both instead of guessing', () => {
    const m = matcher.match('lấy lại');
    expect(m.decision).toBe('suggest');
    expect(m.candidates.map((c) => c.id).sort()).toEqual(['su-co-quen-mat-khau', 'su-co-quen-passcode']);
  });
});

describe('two entries that differ only by a number ("mức 1" / "mức 2")', () => {
  it.each([
    ['mức 2 thì dùng làm gì vậy ad', 'muc-do-muc-2-dung-gi'],
    ['lv1 co tac dung gi', 'muc-do-muc-1-dung-gi'],
    ['muc2 dung dc gi', 'muc-do-muc-2-dung-gi'],
  ])('"%s" → %s, the other number is a contradiction', (q, id) => {
    const m = matcher.match(q);
    expect(m.decision).toBe('answer');
    expect(m.candidates[0].id).toBe(id);
  });
});

describe('a resident asks something outside the FAQ', () => {
  it.each(['gia vang hom nay bao nhieu', 'thoi tiet ha noi hom nay the nao', 'asdf qwer'])('"%s" falls back', (q) => {
    expect(matcher.match(q).decision).toBe('fallback');
  });
});

describe('odd input', () => {
  it.each([
    ['empty', ''],
    ['whitespace', '   \n\t  '],
    ['emoji only', '😀🙏🎉'],
    ['10,000 characters', 'kích hoạt '.repeat(1000)],
    ['punctuation', '?!?!...,,,'],
    ['digits', '0123456789'],
  ])('%s never throws and returns a decision', (_name, q) => {
    const m = matcher.match(q);
    expect(['answer', 'suggest', 'fallback']).toContain(m.decision);
    expect(m.candidates.length).toBeLessThanOrEqual(3);
  });

  it('a bare number falls back: there is no list to pick from and nothing to match', () => {
    expect(matcher.match('2')).toMatchObject({ decision: 'fallback', candidates: [] });
  });

  it('empty input falls back with no candidates', () => {
    expect(matcher.match('')).toMatchObject({ decision: 'fallback', candidates: [], normalized: '' });
  });
});

describe('the result', () => {
  it('holds at most `limit` candidates, one per entry, best first, scores in [0, 1]', () => {
    const m = matcher.match('kich hoat otp mat khau passcode', 3);
    expect(m.candidates.length).toBe(3);
    expect(new Set(m.candidates.map((c) => c.id)).size).toBe(3);
    for (let i = 1; i < m.candidates.length; i++) expect(m.candidates[i].score).toBeGreaterThanOrEqual(m.candidates[i - 1].score);
    for (const c of m.candidates) expect(c.score).toBeGreaterThanOrEqual(0), expect(c.score).toBeLessThanOrEqual(1);
  });

  it('carries the content version', () => {
    expect(matcher.version).toBe(content.version);
  });
});

describe('decide (score bands, 0 = perfect)', () => {
  const c = MATCH_CONFIG;
  it('answers a sure match even when the second is close', () => {
    expect(decide(c.answerSure, c.answerSure + 0.05, 1, c)).toBe('answer');
  });
  it('never answers a tie, however good (a keyword two entries share)', () => {
    expect(decide(0.05, 0.05, 1, c)).toBe('suggest');
  });
  it('answers a good match that is clearly ahead', () => {
    expect(decide(c.answerMax, 1, 1, c)).toBe('answer');
  });
  it('suggests a good match with a close second', () => {
    expect(decide(c.answerMax, c.answerMax, 1, c)).toBe('suggest');
  });
  it('suggests a weak match', () => {
    expect(decide(c.answerMax + 0.01, 1, 1, c)).toBe('suggest');
  });
  it('falls back when nothing fits', () => {
    expect(decide(c.suggestMax + 0.01, 1, 1, c)).toBe('fallback');
  });
  it('falls back when the question is outside the domain, however good the score', () => {
    expect(decide(0, 1, c.domainMin - 0.01, c)).toBe('fallback');
  });
  it('keeps every value in one frozen object', () => {
    expect(Object.isFrozen(MATCH_CONFIG)).toBe(true);
  });
});

describe('the index', () => {
  it('is built once per content and shared', () => {
    expect(createMatcher(content)).toBe(createMatcher(content));
  });
  it('is rebuilt for a tuning config', () => {
    expect(createMatcher(content, { ...MATCH_CONFIG })).not.toBe(createMatcher(content));
  });
});
