// `npm run check` as a content editor runs it: a real process (tsx), Vietnamese output, exit codes, no stack traces.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { EXPECTED } from './expected.js';

function check(dir: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node_modules/.bin/tsx', ['src/cli/check.ts'], {
    env: { ...process.env, CONTENT_DIR: dir, NODE_OPTIONS: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A Node stack frame ("    at fn (file.ts:12:5)") or an error class name at line start. */
const STACK = /^\s+at .+[:(]\d+:\d+\)?$|^\w*Error: /m;

describe('npm run check on a broken fixture', () => {
  for (const name of ['yaml-syntax', 'duplicate-id', 'qr-unverified', 'answer-too-long']) {
    it(`${name}: exits 1 and prints the file:line message, without a stack trace`, () => {
      const r = check(`test/fixtures/content/${name}`);
      expect(r.status).toBe(1);
      expect(r.stdout).toContain(EXPECTED[name]![0]!);
      expect(r.stdout).toMatch(/^KẾT QUẢ: KHÔNG ĐẠT — \d+ lỗi/m);
      expect(r.stdout + r.stderr).not.toMatch(STACK);
    }, 60_000);
  }

  it('a missing content directory: exits 1 with a Vietnamese message, no stack trace', () => {
    const r = check('test/fixtures/content/khong-co-thu-muc-nay');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('Không tìm thấy thư mục nội dung "test/fixtures/content/khong-co-thu-muc-nay"');
    expect(r.stdout + r.stderr).not.toMatch(STACK);
  }, 60_000);
});

describe('npm run check on valid content', () => {
  it('the minimal fixture: runs the golden set with the real matcher and exits 0', () => {
    const r = check('test/fixtures/content/minimal');
    expect(r.stdout).toMatch(/Đúng ngay câu trả lời đầu tiên \(top-1\): \d\/4 = [\d.]+% \(mức tối thiểu 90\.0%\)/);
    expect(r.stdout).toMatch(/Có trong 3 gợi ý đầu \(top-3\): +\d\/4/);
    // The fixture's golden questions are near-verbatim, so any reasonable matcher reaches all four.
    expect(r.stdout, r.stdout).toContain('KẾT QUẢ: ĐẠT');
    expect(r.status).toBe(0);
  }, 60_000);
});
