// One small broken fixture per error class (test/fixtures/content/<case>/, made by make-broken.mjs from ./minimal):
// each yields its exact Vietnamese message with file:line:column. Cases "warnings" and "unknown-field" load fine
// and list their warnings instead.
import { describe, expect, it } from 'vitest';
import { formatIssue, loadContent } from '../../src/content/index.js';
import { EXPECTED } from './expected.js';

const NOW = new Date('2026-11-23T00:00:00Z');


const LOADS_OK = new Set(['warnings', 'unknown-field', 'currency-warnings']);

describe('a broken content directory', () => {
  for (const [name, lines] of Object.entries(EXPECTED)) {
    it(`${name}: ${LOADS_OK.has(name) ? 'loads with' : 'fails with'} exactly the expected file:line messages`, () => {
      const r = loadContent(`test/fixtures/content/${name}`, { now: NOW });
      expect(r.ok).toBe(LOADS_OK.has(name));
      const got = r.ok ? r.warnings : r.errors;
      expect(got.map(formatIssue)).toEqual(lines);
      if (!LOADS_OK.has(name)) expect(r.ok ? [] : r.errors.map((e) => e.code)).toContain(name.replace(/-(offices|colon|tel)$/, ''));
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

describe('the currency and plain-language guards (fixture "currency-warnings")', () => {
  const r = loadContent('test/fixtures/content/currency-warnings', { now: NOW });
  const codes = r.warnings.map((w) => w.code);

  it('warns once per guard, each at the line to edit', () => {
    for (const code of ['as-of-before-reorg', 'answer-long', 'answer-first-line', 'link-legacy-verified']) expect(codes).toContain(code);
    expect(r.warnings.find((w) => w.code === 'as-of-before-reorg')?.message).toContain('01/7/2025');
  });

  it('accepts a district name carrying a dated note, and a QR code of a corroborated store link', () => {
    expect(r.ok).toBe(true);
    expect(codes).not.toContain('district-no-date');
    if (r.ok) expect(r.content.byId.get('kich-hoat-otp')?.qr).toEqual(['vneid-android']);
  });

  it('reads a legacy "verified: true" as corroborated, never as official', () => {
    if (r.ok) expect(r.content.links.get('hotline')?.status).toBe('corroborated');
  });
});

describe('link statuses of the minimal fixture', () => {
  it('keeps the status and the source that supports it', () => {
    const r = loadContent('test/fixtures/content/minimal', { now: NOW });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([...r.content.links.values()].map((l) => [l.id, l.status, l.source, l.verified])).toEqual([
      ['vneid-web', 'official', 'seed-000', true],
      ['vneid-ios', 'unverified', 'seed-000', false],
      ['hotline', 'corroborated', 'nd-69-2024', true],
      ['vneid-android', 'corroborated', 'seed-000', true],
    ]);
  });
});

describe('a ward office naming an abolished district', () => {
  it('is an error unless the same line or the note carries a date', () => {
    const bad = loadContent('test/fixtures/content/district-no-date', { now: NOW });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map(formatIssue)).toEqual([expect.stringMatching(/^offices\.yaml:13:13 lỗi \[district-no-date\]: .*"quận".*"office"/)]);
  });
});
