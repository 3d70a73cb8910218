// One small broken fixture per error class (test/fixtures/content/<case>/, made by make-broken.mjs from ./minimal):
// each yields its exact Vietnamese message with file:line:column. Cases "warnings" and "unknown-field" load fine
// and list their warnings instead.
import { describe, expect, it } from 'vitest';
import { formatIssue, loadContent } from '../../src/content/index.js';
import { EXPECTED } from './expected.js';

const NOW = new Date('2026-11-23T00:00:00Z');


const LOADS_OK = new Set(['warnings', 'unknown-field']);

describe('a broken content directory', () => {
  for (const [name, lines] of Object.entries(EXPECTED)) {
    it(`${name}: ${LOADS_OK.has(name) ? 'loads with' : 'fails with'} exactly the expected file:line messages`, () => {
      const r = loadContent(`test/fixtures/content/${name}`, { now: NOW });
      expect(r.ok).toBe(LOADS_OK.has(name));
      const got = r.ok ? r.warnings : r.errors;
      expect(got.map(formatIssue)).toEqual(lines);
      if (!LOADS_OK.has(name)) expect(r.ok ? [] : r.errors.map((e) => e.code)).toContain(name.replace(/-(offices|colon)$/, ''));
    });
  }
});

describe('the warnings fixture', () => {
  it('shows every warning class a content editor should act on', () => {
    const r = loadContent('test/fixtures/content/warnings', { now: NOW });
    const codes = new Set(r.warnings.map((w) => w.code));
    for (const code of [
      'near-duplicate-question',
      'unverified-link',
      'superseded-only',
      'stale-entry',
      'no-plain-question',
      'topic-no-golden',
      'golden-copies-question',
    ])
      expect(codes).toContain(code);
  });

  it('measures staleness against the injected clock, not the machine clock', () => {
    const early = loadContent('test/fixtures/content/warnings', { now: new Date('2025-06-01T00:00:00Z') });
    expect(early.warnings.map((w) => w.code)).not.toContain('stale-entry');
  });
});
