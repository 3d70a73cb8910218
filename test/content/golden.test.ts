import { describe, expect, it } from 'vitest';
import { GOLDEN_FLOOR, runGolden } from '../../src/content/golden.js';
import { loadContentOrThrow } from '../../src/content/index.js';
import type { Matcher, MatchResult } from '../../src/match/types.js';

const full = loadContentOrThrow('test/fixtures/content/minimal', { now: new Date('2026-11-23T00:00:00Z') });
/** The first two golden questions (one per entry) keep the counts below easy to read. */
const content = { ...full, golden: full.golden.slice(0, 2) };

/** A matcher that answers from a fixed table: question → result. */
function fakeMatcher(table: Record<string, Omit<MatchResult, 'normalized'>>): Matcher {
  return {
    version: content.version,
    match: (text) => ({ normalized: text, ...(table[text] ?? { decision: 'fallback', candidates: [] }) }),
  };
}
const c = (id: string) => ({ id, score: 0.1, question: id });

describe('runGolden', () => {
  const [first, second] = content.golden;

  it('counts a question as reached only when the bot answers with the expected entry first', () => {
    const m = fakeMatcher({
      [first!.q]: { decision: 'answer', candidates: [c(first!.id), c('kich-hoat-otp')] },
      [second!.q]: { decision: 'suggest', candidates: [c(second!.id)] },
    });
    const r = runGolden(content, m);
    expect(r).toMatchObject({ total: 2, top1: 1, top3: 2, top1Accuracy: 0.5, top3Accuracy: 1, passed: false, floor: GOLDEN_FLOOR });
    expect(r.misses).toEqual([
      { q: second!.q, expected: second!.id, got: second!.id, decision: 'suggest', rank: 1, wrong: false, pos: second!.pos },
    ]);
    expect(r.wrong).toBe(0);
  });

  it('fails on a single wrong answer, whatever the accuracy', () => {
    const m = fakeMatcher({
      [first!.q]: { decision: 'answer', candidates: [c(first!.id)] },
      [second!.q]: { decision: 'answer', candidates: [c('another-entry'), c(second!.id)] },
    });
    const r = runGolden(content, m, 0.1);
    expect(r.wrong).toBe(1);
    expect(r.passed).toBe(false);
    expect(r.misses.filter((x) => x.wrong).map((x) => x.q)).toEqual([second!.q]);
  });

  it('reports a wrong answer with the rank of the expected entry, and a fallback as not in the top 3', () => {
    const m = fakeMatcher({
      [first!.q]: { decision: 'answer', candidates: [c('kich-hoat-otp'), c(first!.id)] },
    });
    const r = runGolden(content, m);
    expect(r.top1).toBe(0);
    expect(r.top3).toBe(1);
    expect(r.misses.map((x) => [x.got, x.rank, x.decision])).toEqual([
      ['kich-hoat-otp', 2, 'answer'],
      [null, 0, 'fallback'],
    ]);
  });

  it('passes at the floor, defined once', () => {
    expect(GOLDEN_FLOOR).toBeGreaterThan(0.5);
    expect(GOLDEN_FLOOR).toBeLessThanOrEqual(1);
    const all = fakeMatcher(Object.fromEntries(content.golden.map((g) => [g.q, { decision: 'answer' as const, candidates: [c(g.id)] }])));
    expect(runGolden(content, all).passed).toBe(true);
  });
});
