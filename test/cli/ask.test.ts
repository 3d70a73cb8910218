// `npm run ask -- --jsonl`: the contract in ARCHITECTURE.md, run as a real process on a fixture content dir.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeFixtureDir } from '../match/fixture.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');

function ask(input: string, args: string[] = ['--jsonl']) {
  const r = spawnSync(tsx, [join(root, 'src', 'cli', 'ask.ts'), ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, CONTENT_DIR: makeFixtureDir() },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('ask --jsonl', () => {
  const questions = ['ad oi bao lau phai kich hoat tk vay', 'lấy lại', 'gia vang hom nay bao nhieu', '', '😀😀', '2', 'x'.repeat(10_000)];
  let r: ReturnType<typeof ask>;
  let lines: string[] = [];
  beforeAll(() => {
    r = ask(questions.join('\n') + '\n');
    lines = r.out.split('\n').filter((l) => l !== '');
  });

  it('exits 0 at end of input and writes one JSON object per input line, nothing else', () => {
    expect(r.code).toBe(0);
    expect(lines.length).toBe(questions.length);
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
  });

  it('writes the fields in the contract order', () => {
    for (const l of lines) {
      const o = JSON.parse(l);
      expect(Object.keys(o)).toEqual(['q', 'kind', 'id', 'score', 'text', 'candidates']);
      for (const c of o.candidates) expect(Object.keys(c)).toEqual(['id', 'score', 'text']);
      expect(o.candidates.length).toBeLessThanOrEqual(3);
      expect(typeof o.text).toBe('string');
    }
  });

  it('answers a clear question with the entry and its answer text', () => {
    const o = JSON.parse(lines[0]);
    expect(o).toMatchObject({ q: questions[0], kind: 'answer', id: 'kich-hoat-thoi-han' });
    expect(o.text).toContain('07 ngày');
    expect(typeof o.score).toBe('number');
    expect(o.candidates[0].id).toBe('kich-hoat-thoi-han');
    expect(o.candidates[0].text).toContain('07 ngày');
  });

  it('suggests on a close call, with the answers of the candidates', () => {
    const o = JSON.parse(lines[1]);
    expect(o.kind).toBe('suggest');
    expect(o.id).toBeNull();
    expect(o.candidates.map((c: { id: string }) => c.id)).toContain('su-co-quen-passcode');
    expect(o.candidates.find((c: { id: string }) => c.id === 'su-co-quen-passcode').text).toContain('6 chữ số');
  });

  it('falls back outside the FAQ', () => {
    expect(JSON.parse(lines[2]).kind).toBe('fallback');
  });

  it('gives empty, emoji-only, a bare number and 10,000 characters a polite reply', () => {
    for (const i of [3, 4, 5, 6]) {
      const o = JSON.parse(lines[i]);
      expect(o.kind).not.toBe('answer');
      expect(o.text.length).toBeGreaterThan(0);
    }
  });

  it('treats every line as a new chat: a bare number does not pick from an earlier list', () => {
    const o = JSON.parse(lines[5]);
    expect(o.q).toBe('2');
    expect(o.kind).not.toBe('answer');
  });
});

describe('ask with bad content', () => {
  it('exits 1 and explains on stderr, stdout stays empty', () => {
    const r = spawnSync(tsx, [join(root, 'src', 'cli', 'ask.ts'), '--jsonl'], {
      input: 'x\n',
      encoding: 'utf8',
      env: { ...process.env, CONTENT_DIR: join(root, 'test', 'fixtures', 'content', 'unknown-entry') },
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.length).toBeGreaterThan(0);
  });
});

describe('ask (interactive) with --debug', () => {
  it('shows the reply, then the match key, the candidates with scores and the decision; a number picks', () => {
    const r = ask('quen mk\n1\n', ['--debug']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`bấm "Quên mật khẩu"`);
    expect(r.out).toMatch(/normalized: "quen mat khau"\s+decision: answer/);
    expect(r.out).toMatch(/1\. su-co-quen-mat-khau\s+0\.\d{3}/);
    // "1" picks the first related entry offered under the answer (su-co-quen-passcode).
    expect(r.out).toContain('Passcode gồm 6 chữ số');
  });
});
