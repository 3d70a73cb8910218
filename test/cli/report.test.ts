import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/report.js';
import { CSV_HEADER, csvCell } from '../../src/store/format.js';
import { openUsageStore, type UsageEvent } from '../../src/store/usage.js';
import { openFeedbackRecorder } from '../../src/store/feedback.js';
import type { Reply } from '../../src/engine/types.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'vneid-report-'));
  dirs.push(d);
  return d;
};

const T0 = Date.parse('2026-11-20T08:00:00Z');
const ev = (over: Partial<UsageEvent>): UsageEvent => ({ ts: T0, channel: 'telegram', kind: 'answer', ...over });

/** A DATA_DIR with a few days of traffic. */
function seeded(): string {
  const dir = tempDir();
  const s = openUsageStore({ dataDir: dir, retentionDays: 90 });
  s.recordReply('telegram:1', ev({ ward: 'cam-ngoc' }));
  s.recordReply('telegram:1', ev({ ward: 'cam-ngoc', kind: 'fallback', text: 'Giá vàng hôm nay?', normalized: 'gia vang hom nay' }));
  s.recordReply('zalo:2', ev({ channel: 'zalo', kind: 'fallback', text: 'gia vang hom nay', normalized: 'gia vang hom nay' }));
  s.recordReply('zalo:3', ev({ channel: 'zalo', kind: 'fallback', text: '=cmd|calc, "x"', normalized: 'cmd calc x' }));
  s.recordReply('telegram:4', ev({ ts: T0 - 86_400_000, kind: 'suggest', text: 'lam lai mat khau vneid', normalized: 'lam lai mat khau vneid', topId: 'su-co-quen-mat-khau' }));
  s.recordPick('telegram:4', 'su-co-quen-mat-khau', T0 - 86_400_000 + 3000);
  s.recordReply('telegram:5', ev({ ts: T0 - 40 * 86_400_000, kind: 'fallback', text: 'cu qua', normalized: 'cu qua' }));
  s.close();
  return dir;
}

async function report(argv: string[], dataDir: string) {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void) => new Writable({ write: (c, _e, cb) => (f(String(c)), cb()) });
  const code = await main(argv, { env: { DATA_DIR: dataDir, CONTENT_DIR: 'content' }, stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), now: T0 });
  return { code, out, err };
}

/** Minimal RFC 4180 reader for the test. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    } else cell += c;
  }
  return rows;
}

describe('npm run report', () => {
  it('as a table: unanswered questions by count with an example, picks (question → entry), usage per day, channel and ward', async () => {
    const r = await report([], seeded());
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('30 ngày, từ 2026-10-22');
    const lines = r.out.split('\n');
    const top = lines.findIndex((l) => l.includes('gia vang hom nay'));
    expect(lines[top]).toMatch(/^\s+2\s+không khớp\s+2026-11-20\s+gia vang hom nay\s+(Giá vàng hôm nay\?|gia vang hom nay)$/);
    expect(r.out).toMatch(/1\s+lam lai mat khau vneid\s+su-co-quen-mat-khau/);
    expect(r.out).toMatch(/2026-11-20\s+telegram\s+cam-ngoc\s+1\s+0\s+1\s+0\s+2/);
    expect(r.out).toMatch(/2026-11-20\s+zalo\s+\(không qua link\)\s+0\s+0\s+2\s+0\s+2/);
    expect(r.out).not.toContain('cu qua'); // 40 days ago: outside --days 30
  });

  it('as CSV: one header, one row per item, a section column, formulas neutralised', async () => {
    const r = await report(['--format', 'csv', '--days', '7'], seeded());
    expect(r.code).toBe(0);
    expect(r.out.startsWith('\uFEFF')).toBe(true); // Excel reads UTF-8 with a BOM
    const rows = parseCsv(r.out.slice(1));
    expect(rows[0]).toEqual([...CSV_HEADER]);
    expect(rows.every((row) => row.length === CSV_HEADER.length)).toBe(true);
    const col = (name: string) => CSV_HEADER.indexOf(name as (typeof CSV_HEADER)[number]);
    const unanswered = rows.filter((x) => x[0] === 'unanswered');
    expect(unanswered[0][col('normalized')]).toBe('gia vang hom nay');
    expect(unanswered[0][col('count')]).toBe('2');
    const pick = rows.find((x) => x[0] === 'pick')!;
    expect([pick[col('example')], pick[col('entry_id')]]).toEqual(['lam lai mat khau vneid', 'su-co-quen-mat-khau']);
    expect(rows.filter((x) => x[0] === 'usage').map((x) => [x[col('day')], x[col('channel')], x[col('ward')], x[col('kind')], x[col('count')]])).toContainEqual([
      '2026-11-20',
      'telegram',
      'cam-ngoc',
      'fallback',
      '1',
    ]);
    expect(rows.some((x) => x[col('example')] === `'=cmd|calc, "x"`)).toBe(true);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('a,b')).toBe('"a,b"');
  });

  it('has the proposals and feedback sections (table and CSV)', async () => {
    const dir = seeded();
    const rec = openFeedbackRecorder({ dataDir: dir, retentionDays: 90 });
    const reply = (over: Partial<Reply>): Reply => ({ kind: 'answer', blocks: [], links: [], qr: [], choices: [], ...over });
    const dbg = { normalized: 'kich hoat bao lau', candidates: [], decision: 'answer' as const };
    rec.onReply({ channel: 'zalo', chatId: '9', kind: 'text', text: 'kích hoạt bao lâu' }, reply({ entryId: 'kich-hoat-thoi-han', debug: dbg }), T0);
    rec.onReply({ channel: 'zalo', chatId: '9', kind: 'text', text: 'sai' }, reply({ kind: 'command', vote: { entryId: 'kich-hoat-thoi-han', vote: 'down' } }), T0);
    rec.close();
    const t = await report([], dir);
    expect(t.code).toBe(0);
    expect(t.out).toContain('ĐỀ XUẤT TỪ NGƯỜI DÂN');
    expect(t.out).toMatch(/1\s+"lam lai mat khau vneid" → su-co-quen-mat-khau/);
    expect(t.out).toMatch(/1 👎\s+0 👍\s+100% chê\s+kich-hoat-thoi-han\s+ví dụ: "kích hoạt bao lâu"/);
    expect(t.out).toMatch(/2\s+"(Giá vàng hôm nay\?|gia vang hom nay)"/);
    const rows = parseCsv((await report(['--format', 'csv'], dir)).out.slice(1));
    expect(rows.find((r) => r[0] === 'proposal')).toEqual(['proposal', '', '', '', 'pick', '1', '', 'lam lai mat khau vneid', 'su-co-quen-mat-khau']);
    expect(rows.find((r) => r[0] === 'feedback')?.slice(4)).toEqual(['down 100% (0 up)', '1', '', 'kích hoạt bao lâu', 'kich-hoat-thoi-han']);
    expect(rows.some((r) => r[0] === 'cluster')).toBe(true);
  });

  it('--days limits the window', async () => {
    const r = await report(['--days', '1', '--format', 'csv'], seeded());
    expect(r.out).not.toContain('lam lai mat khau'); // yesterday
    expect(r.out).toContain('gia vang hom nay');
  });

  it('a missing database: a clear message, exit 1', async () => {
    const r = await report([], join(tempDir(), 'nowhere'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Chưa có dữ liệu thống kê: không thấy tệp .*bot\.db/);
  });

  it('a corrupt database: a clear message, exit 1', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bot.db'), 'not a database '.repeat(500));
    const r = await report(['--format', 'csv'], dir);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/Không đọc được cơ sở dữ liệu thống kê .*bot\.db.*hỏng/);
  });

  it('an empty SQLite file that is not ours: a clear message, exit 1', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bot.db'), '');
    const r = await report([], dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('không phải cơ sở dữ liệu thống kê');
  });

  it('bad arguments: usage, exit 1', async () => {
    const dir = seeded();
    expect((await report(['--days', '0'], dir)).code).toBe(1);
    expect((await report(['--format', 'xlsx'], dir)).err).toContain('table');
    expect((await report(['--bogus'], dir)).code).toBe(1);
  });
});
