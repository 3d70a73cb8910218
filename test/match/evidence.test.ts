// The evidence rules on top of the score bands: anchors, foreign words, places, the domain-gate override
// and clipped labels. Small inline content (the matcher fixture plus one "where" topic) — invented wording.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContentOrThrow } from '../../src/content/index.js';
import type { Content } from '../../src/content/types.js';
import { createMatcher, decide, MATCH_CONFIG, type TracingMatcher } from '../../src/match/index.js';
import { makeFixtureDir } from './fixture.js';

// The fixture's offices.yaml names Hà Nội (an office address and a ward's province): a place.
const WHERE = `
topic: co-quan
title: Nơi làm thủ tục
order: 10
entries:
  - id: noi-lam-muc-2
    questions:
      - Làm định danh mức 2 ở đâu?
      - đăng ký tài khoản định danh ở chỗ nào
      - làm vneid mức 2 ở đâu
      - lam dinh danh o dau
      - nơi nhận hồ sơ định danh
    keywords: [nơi đăng ký]
    answer: |
      Đến Công an cấp xã bất kỳ để đăng ký tài khoản định danh mức 2; mức 1 thì tự đăng ký trên ứng dụng VNeID.
    links: []
    related: []
    sources: [nd-69-2024]
    updated: 2026-11-01
  - id: noi-lam-ha-noi
    questions:
      - Ở Hà Nội làm định danh ở đâu?
      - hà nội ra đâu làm định danh
      - người hà nội đăng ký vneid chỗ nào
      - ha noi lam dinh danh o dau
      - thủ đô Hà Nội nhận hồ sơ định danh ở đâu
    keywords: [Hà Nội]
    answer: |
      Ở Hà Nội cũng đến Công an cấp xã bất kỳ để làm định danh; sau đó kích hoạt trên ứng dụng VNeID.
    links: []
    related: []
    sources: [nd-69-2024]
    updated: 2026-11-01
`;

let content: Content;
let matcher: TracingMatcher;
beforeAll(() => {
  const dir = makeFixtureDir();
  writeFileSync(join(dir, 'faq', 'co-quan.yaml'), WHERE);
  content = loadContentOrThrow(dir);
  matcher = createMatcher(content);
});

describe('anchors: the words residents use to name the FAQ subject, derived from the content', () => {
  it('"vneid" and "định danh" are anchors; a question form ("ở đâu") is not', () => {
    const t = matcher.trace('định danh vneid ở đâu');
    expect(t.anchors).toEqual(expect.arrayContaining(['vneid', 'dinh danh']));
    expect(t.anchors).not.toContain('o dau');
  });

  it('a label used by many questions ("mức 2") is an anchor slot', () => {
    expect(matcher.trace('mức 2 là gì').anchors).toContain('muc #');
  });
});

describe('a question about another app (a word the FAQ never uses, no anchor)', () => {
  it('is not answered: "quên mật khẩu" + an invented app name', () => {
    const t = matcher.trace('quên mật khẩu ứng dụng zomexa lấy lại sao');
    expect(t.foreign).toContain('zomexa');
    expect(t.decision).not.toBe('answer');
  });

  it('the same question about VNeID is answered', () => {
    const t = matcher.trace('quên mật khẩu vneid lấy lại sao');
    expect(t.decision).toBe('answer');
    expect(t.candidates[0].id).toBe('su-co-quen-mat-khau');
  });

  it('an unknown word next to an anchor the best entry shares does not block the answer', () => {
    const t = matcher.trace('hôm qua tôi quên mật khẩu vneid trên máy xiaomiq');
    expect(t.anchored).toBe(true);
    expect(t.decision).toBe('answer');
  });
});

describe('a best entry sharing none of the question anchors must score better to be answered', () => {
  it('at unanchoredAnswerMax 0 an unanchored match is only suggested, an anchored one still answered', () => {
    const strict = createMatcher(content, { ...MATCH_CONFIG, unanchoredAnswerMax: 0 });
    expect(strict.trace('quen mk').decision).toBe('suggest');
    expect(strict.trace('quen mk vneid').decision).toBe('answer');
  });
});

describe('a question without the FAQ subject, for an entry always asked about with it', () => {
  it('"lấy lại hồ sơ ở chỗ nào" (which file?) is not answered with the "where to register for định danh" entry', () => {
    const t = matcher.trace('lấy lại hồ sơ ở chỗ nào');
    expect(t.foreign).toEqual([]);
    expect(t.subjectless).toBe(true);
    expect(t.candidates[0].id).toBe('noi-lam-muc-2');
    expect(t.decision).toBe('suggest');
  });

  it('a near-paraphrase of one of its questions without the subject word ("làm ở chỗ nào") is still answered', () => {
    const t = matcher.trace('làm ở chỗ nào');
    expect(t.subjectless).toBe(true);
    expect(t.candidates[0].score).toBeLessThanOrEqual(MATCH_CONFIG.subjectlessAnswerMax);
    expect(t.swapped).toBe(0);
    expect(t.decision).toBe('answer');
  });

  it('with the subject named it is answered', () => {
    const t = matcher.trace('làm định danh ở chỗ nào');
    expect(t.subjectless).toBe(false);
    expect(t.decision).toBe('answer');
    expect(t.candidates[0].id).toBe('noi-lam-muc-2');
  });
});

describe('decide with evidence', () => {
  const c = MATCH_CONFIG;
  it('a clear but unanchored match is answered only up to unanchoredAnswerMax', () => {
    expect(decide(c.unanchoredAnswerMax, 1, 1, c, { anchored: false, foreign: 0 })).toBe('answer');
    expect(decide(c.unanchoredAnswerMax + 0.01, 1, 1, c, { anchored: false, foreign: 0 })).toBe('suggest');
    expect(decide(c.unanchoredAnswerMax + 0.01, 1, 1, c, { anchored: true, foreign: 0 })).toBe('answer');
  });

  it('a subjectless match is only suggested unless it is a near-paraphrase (≤ subjectlessAnswerMax)', () => {
    const ev = { anchored: false, foreign: 0, subjectless: true };
    expect(decide(c.subjectlessAnswerMax + 0.01, 1, 1, c, ev)).toBe('suggest');
    expect(decide(c.subjectlessAnswerMax, 1, 1, c, ev)).toBe('answer');
  });

  it('…but not when a rare word of the question replaces the subject of that question ("quên mật khẩu <app>")', () => {
    const ev = { anchored: false, foreign: 0, subjectless: true, swapped: 1 };
    expect(decide(0.05, 1, 1, c, ev)).toBe('suggest');
    expect(decide(0.05, 1, 1, c, { ...ev, subjectless: false })).toBe('answer');
  });

  it('a foreign word keeps an unanchored match to a suggestion, however good', () => {
    expect(decide(0.05, 1, 1, c, { anchored: false, foreign: 1 })).toBe('suggest');
    expect(decide(0.05, 1, 1, c, { anchored: true, foreign: 1 })).toBe('answer');
  });
});

describe('places: an entry that names a city does not win a question that names none', () => {
  it('"ra đâu làm định danh" → the general entry', () => {
    const t = matcher.trace('ra đâu làm định danh');
    expect(t.candidates[0].id).toBe('noi-lam-muc-2');
  });

  it('"hn" is the place Hà Nội: "ở hn làm định danh ở đâu" → the Hà Nội entry', () => {
    const t = matcher.trace('ở hn làm định danh ở đâu');
    expect(t.normalized).toContain('ha noi');
    expect(t.candidates[0].id).toBe('noi-lam-ha-noi');
  });
});

describe('the domain gate', () => {
  const c = MATCH_CONFIG;
  it('an anchored, clearly leading best entry overrides it', () => {
    expect(decide(0.5, 0.9, c.domainMin - 0.1, c, { anchored: true, foreign: 0 })).toBe('answer');
  });

  it('it still holds without an anchor or without a clear lead', () => {
    expect(decide(0.5, 0.9, c.domainMin - 0.1, c, { anchored: false, foreign: 0 })).toBe('fallback');
    expect(decide(0.5, 0.52, c.domainMin - 0.1, c, { anchored: true, foreign: 0 })).toBe('fallback');
    expect(decide(0.5, 0.9, c.domainMin - 0.1, c)).toBe('fallback');
  });
});

describe('a clipped label before a number ("mứ 2")', () => {
  it('is read as the FAQ label "muc 2" and answered in a chatty message', () => {
    const t = matcher.trace('hôm bữa em hỏi rồi mà quên, mứ 2 thì dùng được gì vậy ad');
    expect(t.normalized).toContain('muc 2');
    expect(t.decision).toBe('answer');
    expect(t.candidates[0].id).toBe('muc-do-muc-2-dung-gi');
  });

  it('a known word before a number is left alone', () => {
    expect(matcher.trace('passcode 6 số').normalized).toContain('passcode 6');
  });
});
