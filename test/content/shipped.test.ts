// The content the bot ships with (content/): it loads without errors and meets the issue's invariants.
import { describe, expect, it } from 'vitest';
import { formatIssue, loadContent } from '../../src/content/index.js';
import { isWithoutDiacritics } from '../../src/content/validate.js';
import type { Content } from '../../src/content/types.js';
import { GOLDEN_FLOOR, runGolden } from '../../src/content/golden.js';
import { createMatcher } from '../../src/match/index.js';

const r = loadContent('content');
const content = r.ok ? r.content : undefined;
const need = (): Content => {
  if (!r.ok) throw new Error(`content/ has errors — run npm run check:\n${r.errors.map(formatIssue).join('\n')}`);
  return r.content;
};

describe('the shipped content (content/)', () => {
  it('loads without errors', () => {
    expect(r.ok ? [] : r.errors.map(formatIssue)).toEqual([]);
  });

  it('has at least 70 entries across at least 16 topics', () => {
    expect(need().entries.length).toBeGreaterThanOrEqual(70);
    expect(need().topics.length).toBeGreaterThanOrEqual(16);
  });

  it('gives every entry at least 5 questions, at least one of them without diacritics', () => {
    const bad = need().entries.filter((e) => e.questions.length < 5 || !e.questions.some(isWithoutDiacritics));
    expect(bad.map((e) => e.id)).toEqual([]);
  });

  it('cites at least one source for every entry, and never only superseded ones', () => {
    const c = need();
    const bad = c.entries.filter(
      (e) => e.sources.length === 0 || e.sources.every((s) => c.sources.get(s)?.status === 'superseded'),
    );
    expect(bad.map((e) => e.id)).toEqual([]);
  });

  it('keeps every answer within 900 characters and QR codes on verified links only', () => {
    const c = need();
    expect(c.entries.filter((e) => [...e.answer].length > 900).map((e) => e.id)).toEqual([]);
    expect(c.entries.flatMap((e) => e.qr.filter((q) => !c.links.get(q)?.verified))).toEqual([]);
  });

  it('has a golden set of at least 150 questions covering every topic', () => {
    const c = need();
    expect(c.golden.length).toBeGreaterThanOrEqual(150);
    const covered = new Set(c.golden.filter((g) => c.byId.has(g.id)).map((g) => c.byId.get(g.id)!.topic));
    expect(c.topics.filter((t) => !covered.has(t.id)).map((t) => t.id)).toEqual([]);
  });

  it(`reaches at least ${GOLDEN_FLOOR * 100}% of the golden set on the first answer (what npm run check enforces)`, () => {
    const c = need();
    const report = runGolden(c, createMatcher(c));
    const misses = report.misses.map((m) => `${m.pos.file}:${m.pos.line} "${m.q}" → ${m.decision} ${m.got} (need ${m.expected})`);
    expect(report.top1Accuracy, misses.join('\n')).toBeGreaterThanOrEqual(GOLDEN_FLOOR);
  });

  it('answers no golden question with a wrong entry, and no out-of-scope golden question at all', () => {
    const c = need();
    const report = runGolden(c, createMatcher(c));
    expect(report.misses.filter((m) => m.wrong).map((m) => `${m.pos.file}:${m.pos.line} "${m.q}" → ${m.got} (need ${m.expected})`)).toEqual([]);
  });

  it('has a message for every key', () => {
    for (const [k, v] of Object.entries(need().messages)) expect(v, k).not.toBe('');
  });

  it('exposes the model other modules rely on', () => {
    expect(content?.byId.size).toBe(content?.entries.length);
    expect(content?.version).toMatch(/^[0-9a-f]{12}$/);
  });
});

describe('the shipped content stays easy to match', () => {
  it('has no near-duplicate questions across entries, no golden question copied from an entry, no unplain entry', () => {
    const kept = ['near-duplicate-question', 'golden-copies-question', 'no-plain-question', 'superseded-only', 'answer-markdown', 'entry-few-golden', 'topic-no-golden'];
    const found = (r.ok ? r.warnings : []).filter((w) => kept.includes(w.code));
    expect(found.map(formatIssue)).toEqual([]);
  });
});
