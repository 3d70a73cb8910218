// The shipped content after the 01/7/2025 reorganisation: honest link statuses, campaign wards that lead with
// today's rule, and answers short enough for an elderly first-time smartphone user (issue 13).
import { describe, expect, it } from 'vitest';
import { loadContentOrThrow } from '../../src/content/index.js';
import { RULES, answerLengths, firstLine, qrAllowed } from '../../src/content/validate.js';
import { createEngine } from '../../src/engine/index.js';

const content = loadContentOrThrow('content');
const ask = (chatId: string, ...texts: string[]) => {
  const engine = createEngine({ content });
  return texts.map((text) => engine.handle({ channel: 'web', chatId, kind: 'text', text }));
};

describe('the shipped links', () => {
  it('each carry a graded status backed by a source in sources.yaml', () => {
    for (const l of content.links.values()) {
      expect(['official', 'corroborated', 'unverified'], l.id).toContain(l.status);
      expect(content.sources.has(l.source ?? ''), `${l.id} → ${l.source}`).toBe(true);
    }
  });

  it('grade the press-only hotline and Play Store link as corroborated, and hard-code no App Store id', () => {
    expect(content.links.get('hotline')?.status).toBe('corroborated');
    expect(content.links.get('vneid-android')?.status).toBe('corroborated');
    expect(content.links.get('vneid-web')?.status).toBe('official');
    expect([...content.links.values()].some((l) => l.url.includes('apps.apple.com'))).toBe(false);
    expect(qrAllowed(content.links.get('vneid-android')!)).toBe(true);
    expect(qrAllowed(content.links.get('hotline')!)).toBe(false);
  });

  it('reach the reply with their status (shown in the playground)', () => {
    const [, r] = ask('links', '/start', 'tải vneid cho điện thoại android ở đâu');
    const android = r!.links.find((l) => l.id === 'vneid-android');
    expect(android?.status).toBe('corroborated');
    expect(r!.qr.map((q) => q.linkId)).toContain('vneid-android');
  });
});

describe('a resident who opens a campaign ward link and asks where to register level 2', () => {
  for (const w of content.offices.wards) {
    it(`${w.code}: reads today's rule first, never an abolished district office without its date`, () => {
      const [, r] = ask(`ward-${w.code}`, `/start w_${w.code}`, 'đăng ký mức 2 ở đâu');
      const block = r!.blocks[0]!;
      const officeLine = block.split('\n')[1]!;
      expect(officeLine).toMatch(/^Công an (phường|xã)/);
      expect(officeLine).not.toMatch(/Đội Cảnh sát|Trụ sở tiếp dân/);
      if (/\b(quận|huyện|thị xã)\b/i.test(officeLine)) expect(officeLine).toMatch(/01\/7\/2025/);
    });
  }
});

describe('the shipped answers', () => {
  it(`have a median of at most ${RULES.targetMedianAnswerChars} and a maximum of ${RULES.targetMaxAnswerChars} characters`, () => {
    const len = answerLengths(content.entries.map((e) => e.answer));
    expect(len.median).toBeLessThanOrEqual(RULES.targetMedianAnswerChars);
    expect(len.max).toBeLessThanOrEqual(RULES.targetMaxAnswerChars);
  });

  it('open with a short line that answers, not with a step', () => {
    const bad = content.entries.filter((e) => [...firstLine(e.answer)].length > RULES.maxFirstLineChars || /^\d+[.)]\s/.test(firstLine(e.answer)));
    expect(bad.map((e) => e.id)).toEqual([]);
  });

  it('never offer 1022 or 1900 0134 as a hotline, and name the press only where it changes what to do', () => {
    for (const e of content.entries) {
      for (const line of e.answer.split('\n')) if (/1022|1900 0134/.test(line)) expect(line, e.id).toMatch(/không phải/);
      expect(e.answer, e.id).not.toMatch(/báo chí/);
    }
  });
});
