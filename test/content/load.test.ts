import { describe, expect, it } from 'vitest';
import { ContentError, formatIssue, loadContent, loadContentOrThrow, MESSAGE_KEYS } from '../../src/content/index.js';

const NOW = new Date('2026-11-23T00:00:00Z');
const MINIMAL = 'test/fixtures/content/minimal';

describe('the minimal fixture', () => {
  it('loads without errors or warnings into the typed model', () => {
    const r = loadContent(MINIMAL, { now: NOW });
    if (!r.ok) throw new Error(r.errors.map(formatIssue).join('\n'));
    expect(r.warnings.map(formatIssue)).toEqual([]);
    const c = r.content;
    expect(c.version).toMatch(/^[0-9a-f]{12}$/);
    expect(c.topics.map((t) => t.id)).toEqual(['kich-hoat']);
    expect(c.entries.map((e) => e.id)).toEqual(['kich-hoat-thoi-han', 'kich-hoat-otp']);
    const e = c.byId.get('kich-hoat-otp')!;
    expect(e.topic).toBe('kich-hoat');
    expect(e.answer.endsWith('\n')).toBe(false);
    expect(e.pos).toEqual({ file: 'faq/kich-hoat.yaml', line: 21, column: 5 });
    expect(c.links.get('vneid-ios')!.verified).toBe(false);
    expect(c.sources.get('nd-59-2022')!.status).toBe('superseded');
    expect(c.offices.wards[0]!.code).toBe('phuong-mau');
    expect(c.synonyms.map.sdt).toBe('so dien thoai');
    expect(c.synonyms.ambiguous[0]!.rules[0]!.means).toBe('dieu kien');
    expect(c.synonyms.stopPhrases).toContain('ad oi');
    for (const k of MESSAGE_KEYS) expect(c.messages[k]).not.toBe('');
    expect(c.golden).toHaveLength(4);
    expect(c.golden[0]!.pos.file).toBe('golden/kich-hoat.yaml');
  });

  it('gives the same version for the same files', () => {
    expect(loadContentOrThrow(MINIMAL, { now: NOW }).version).toBe(loadContentOrThrow(MINIMAL, { now: NOW }).version);
  });
});

describe('loadContentOrThrow on a missing directory', () => {
  it('throws a ContentError whose issues say where and what', () => {
    try {
      loadContentOrThrow('test/fixtures/content/does-not-exist');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ContentError);
      const issues = (err as ContentError).issues;
      expect(issues[0]!.code).toBe('missing-dir');
      expect(formatIssue(issues[0]!)).toMatch(/^test\/fixtures\/content\/does-not-exist:1:1 lỗi \[missing-dir\]: /);
    }
  });
});
