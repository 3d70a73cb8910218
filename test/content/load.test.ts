import { cpSync, mkdtempSync, readFileSync as readText, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

function copyMinimal(): string {
  const dir = mkdtempSync(join(tmpdir(), 'content-'));
  cpSync(MINIMAL, dir, { recursive: true, dereference: true });
  return dir;
}

describe('a content directory without the optional files', () => {
  it('loads, with a warning for each missing part and empty defaults', () => {
    const dir = copyMinimal();
    try {
      for (const f of ['synonyms.yaml', 'offices.yaml', 'golden']) rmSync(join(dir, f), { recursive: true });
      const r = loadContent(dir, { now: NOW });
      if (!r.ok) throw new Error(r.errors.map(formatIssue).join('\n'));
      expect(r.warnings.map((w) => `${w.pos.file} ${w.code}`)).toEqual([
        'golden/ no-golden',
        'offices.yaml missing-optional-file',
        'synonyms.yaml missing-optional-file',
      ]);
      expect(r.content.synonyms).toEqual({ map: {}, ambiguous: [], stopPhrases: [] });
      expect(r.content.offices.wards).toEqual([]);
      expect(r.content.golden).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('loading again after an edit (hot reload)', () => {
  it('sees the new text and changes the version', () => {
    const dir = copyMinimal();
    try {
      const before = loadContentOrThrow(dir, { now: NOW });
      const file = join(dir, 'faq/kich-hoat.yaml');
      writeFileSync(file, readText(file, 'utf8').replace('rồi bấm gửi lại mã OTP.', 'rồi bấm "Gửi lại mã".'));
      const after = loadContentOrThrow(dir, { now: NOW });
      expect(after.byId.get('kich-hoat-otp')!.answer).toContain('rồi bấm "Gửi lại mã".');
      expect(after.version).not.toBe(before.version);
      expect(before.byId.get('kich-hoat-otp')!.answer).toContain('rồi bấm gửi lại mã OTP.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an entry id longer than Telegram button data allows', () => {
  it('is an error with file:line, so the entry never loses its button or deep link', () => {
    const dir = copyMinimal();
    try {
      const long = `kich-hoat-${'rat-dai-'.repeat(7)}otp`; // 69 characters: "e:<id>" would be 71 bytes
      for (const f of ['faq/kich-hoat.yaml', 'golden/kich-hoat.yaml']) {
        const file = join(dir, f);
        writeFileSync(file, readText(file, 'utf8').replaceAll('kich-hoat-otp', long));
      }
      const r = loadContent(dir, { now: NOW });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      const bad = r.errors.filter((e) => e.code === 'bad-id').map(formatIssue);
      expect(bad).toHaveLength(1);
      expect(bad[0]).toMatch(/^faq\/kich-hoat\.yaml:\d+:\d+ lỗi \[bad-id\]: .*tối đa 60/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
