// The feedback loop in a real browser (headless chromium): a question that only gets a list → pick item 2 →
// the proposal appears in "Đề xuất" → accept → the YAML (a temporary COPY of content/) has the question in the
// right entry with its comments intact, the content validates, and the same question is then answered directly.
// Then the "Bảng theo dõi" tab renders a seeded store on a 390-px phone (charts, tables, CSV with BOM).
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIssue, loadContent, loadContentOrThrow } from '../../src/content/index.js';
import { createEngine, createMemoryStore, replyToPlainText } from '../../src/engine/index.js';
import { createLogger } from '../../src/log.js';
import { offChannel } from '../../src/server/channels.js';
import { createServer, type AppServer } from '../../src/server/http.js';
import { createMetrics } from '../../src/server/metrics.js';
import { createRuntime, type ServerRuntime } from '../../src/server/runtime.js';
import { createStaffRoutes } from '../../src/server/staff.js';
import { openFeedbackRecorder, type FeedbackRecorder } from '../../src/store/feedback.js';
import { openUsageStore, type UsageStore } from '../../src/store/usage.js';
import { collectPageErrors, launchBrowser } from '../helpers/browser.js';

const QUESTION = 'con toi dang ky duoc ko';

describe('staff accept a proposal and read the dashboard (chromium)', () => {
  let tmp: string;
  let contentDir: string;
  let dataDir: string;
  let usage: UsageStore;
  let recorder: FeedbackRecorder;
  let runtime: ServerRuntime;
  let app: AppServer;
  let url: string;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'vneid-staff-'));
    contentDir = join(tmp, 'content');
    cpSync('content', contentDir, { recursive: true });
    dataDir = join(tmp, 'data');
    usage = openUsageStore({ dataDir, retentionDays: 90 });
    recorder = openFeedbackRecorder({ dataDir, retentionDays: 90 });
    const logger = createLogger({ level: 'silent' });
    runtime = createRuntime({ contentDir, content: loadContentOrThrow(contentDir), load: loadContent, formatIssue, createEngine, store: createMemoryStore(), logger });
    app = createServer({
      config: {},
      runtime,
      metrics: createMetrics({ processMetrics: false }),
      channels: [offChannel('telegram', 'off'), offChannel('zalo', 'off')],
      logger,
      plainText: (r) => replyToPlainText(r),
      usage,
      staff: createStaffRoutes({ runtime, recorder, contentDir, logger }),
    });
    url = (await app.listen(0, '127.0.0.1')).url;
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    collectPageErrors(page, problems);
    await page.goto(url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    runtime?.close();
    usage?.close();
    recorder?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('list → pick item 2 → "Đề xuất" → accept → YAML edited in place, valid, answered directly', async () => {
    await page.locator('#question').fill(QUESTION);
    await page.locator('#send').click();
    const list = page.locator('#chat li.kind-suggest').last();
    await expect.poll(() => list.locator('.choices button').count()).toBeGreaterThan(2);
    const second = list.locator('.choices button').nth(1);
    const entryId = (await second.getAttribute('data-payload'))!.slice(2);
    // The topic file that holds the picked entry (whichever the matcher lists second today).
    const file = readdirSync(join(contentDir, 'faq'))
      .map((f) => join(contentDir, 'faq', f))
      .find((f) => readFileSync(f, 'utf8').includes(`- id: ${entryId}\n`))!;
    const before = readFileSync(file, 'utf8');
    await second.click();
    await expect.poll(() => page.locator('#chat li.kind-answer').count()).toBe(1);
    // The answer offers 👍/👎.
    expect(await page.locator('#chat li.kind-answer .feedback button').allTextContents()).toEqual(['👍 Đúng ý', '👎 Chưa đúng']);
    usage.flush();

    await page.getByRole('tab', { name: 'Đề xuất' }).click();
    // Playground questions are kept apart: hidden by default, shown with the box ticked.
    await expect.poll(() => page.locator('#proposals-status').textContent()).toContain('chỉ câu hỏi của người dân');
    expect(await page.locator('#proposals-alternates').textContent()).not.toContain(QUESTION);
    await page.locator('#proposals-playground').check();
    const card = page.locator('#proposals-alternates li', { hasText: QUESTION });
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.textContent()).toContain(entryId);
    await card.getByRole('button', { name: /Thêm vào mục/ }).click();
    await expect.poll(() => card.locator('[role=status]').textContent()).toContain('Đã thêm vào faq/');

    // The file: the question in the right entry, every original line (comments included) still there, in order.
    const after = readFileSync(file, 'utf8');
    const added = after.split('\n').filter((l) => !before.split('\n').includes(l));
    expect(added).toEqual([`      - ${QUESTION}`]);
    // Every original line, comments included, is still there in the same order: only one line was inserted.
    expect(after.replace(`\n      - ${QUESTION}`, '')).toBe(before);
    expect(before).toMatch(/^# /m);
    const check = loadContent(contentDir);
    expect(check.ok).toBe(true);
    if (check.ok) expect(check.content.byId.get(entryId)!.questions).toContain(QUESTION);
    // `npm run check` (validation and the golden set) passes on the edited copy.
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/check.ts', contentDir], { encoding: 'utf8' });
    expect(run.stdout).toContain('KẾT QUẢ: ĐẠT');
    expect(run.status).toBe(0);

    // Asking again answers directly, with the new version (reloaded at once).
    await page.getByRole('tab', { name: 'Thử câu hỏi' }).click();
    await page.locator('#reset').click();
    await page.locator('#question').fill(QUESTION);
    await page.locator('#send').click();
    await expect.poll(() => page.locator('#debug-kind').textContent()).toBe(`answer → ${entryId}`);

    // A long answer scrolls to its start, not to its end.
    await page.locator('#question').fill('bao lau phai kich hoat');
    await page.locator('#send').click();
    await expect.poll(() => page.locator('#chat li.kind-answer').count()).toBe(2);
    const pos = await page.evaluate(() => {
      const chat = document.getElementById('chat')!;
      const all = chat.querySelectorAll('li.kind-answer');
      const li = all[all.length - 1] as HTMLElement;
      return { top: li.getBoundingClientRect().top - chat.getBoundingClientRect().top, tall: li.offsetHeight > chat.clientHeight };
    });
    expect(pos.tall).toBe(true); // on a 390-px phone this answer is taller than the chat box
    expect(Math.abs(pos.top)).toBeLessThan(20); // its first line is at the top of the box

    // Accepted proposals are gone; "Bỏ qua" needs nothing else.
    await page.getByRole('tab', { name: 'Đề xuất' }).click();
    await expect.poll(() => page.locator('#proposals-status').textContent()).toContain('gồm câu hỏi thử');
    expect(await page.locator('#proposals-alternates li', { hasText: QUESTION }).count()).toBe(0);
    expect(problems).toEqual([]);
  }, 90_000);

  it('a write that would fail validation is refused with the check message, the file unchanged', async () => {
    const before = readFileSync(join(contentDir, 'faq', 'kich-hoat.yaml'), 'utf8');
    const r = await page.evaluate(() =>
      fetch('/api/proposals/accept', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ entryId: 'kich-hoat-qua-7-ngay', question: 'Thời hạn kích hoạt tài khoản VNeID là mấy ngày?' }),
      }).then(async (x) => ({ status: x.status, body: await x.json() })),
    );
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(/faq\/kich-hoat\.yaml:\d+/);
    expect(readFileSync(join(contentDir, 'faq', 'kich-hoat.yaml'), 'utf8')).toBe(before);
    problems.length = 0; // the browser logs the expected 422
  });

  it('renders the dashboard from a seeded store on a phone, and the CSV has a BOM', async () => {
    seed(join(dataDir, 'bot.db'));
    await page.getByRole('tab', { name: 'Bảng theo dõi' }).click();
    await expect.poll(() => page.locator('#dashboard-status').textContent()).toMatch(/\d+ tin nhắn/);
    for (const id of ['chart-channels', 'chart-wards', 'chart-shares']) expect(await page.locator(`#${id} canvas`).count()).toBe(1);
    expect(await page.locator('#chart-channels .u-legend').textContent()).toContain('Zalo');
    expect(await page.locator('#chart-wards .u-legend').textContent()).toContain('Cẩm Ngọc');
    expect(await page.locator('#dashboard-top tbody tr').count()).toBeGreaterThan(1);
    expect(await page.locator('#dashboard-votes tbody tr').first().locator('td').allTextContents()).toEqual(['Đăng ký định danh điện tử mức 2 ở đâu?'.length ? expect.any(String) : '', '0', '3']);
    expect(await page.locator('#dashboard-residents tbody').textContent()).toContain('Cẩm Ngọc');
    // Vietnamese words are never cut inside a table cell on a 390-px screen; the table scrolls sideways instead.
    const styles = await page.locator('#dashboard-top td').first().evaluate((td) => {
      const s = getComputedStyle(td);
      return { wrap: s.overflowWrap, brk: s.wordBreak };
    });
    expect(styles).toEqual({ wrap: 'normal', brk: 'keep-all' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: '/tmp/vneid-dashboard.png', fullPage: true });
    const csv = await page.evaluate(() => fetch('/api/dashboard.csv?days=30').then(async (r) => ({ type: r.headers.get('content-type'), bytes: [...new Uint8Array(await r.arrayBuffer())].slice(0, 3) })));
    expect(csv.type).toContain('text/csv');
    expect(csv.bytes).toEqual([0xef, 0xbb, 0xbf]);
    expect(problems).toEqual([]);
  }, 60_000);
});

/** Two weeks of traffic in two wards over Telegram and Zalo. */
function seed(path: string): void {
  const db = new Database(path);
  const day = (i: number) => new Date(Date.now() - i * 86_400_000).toISOString().slice(0, 10);
  const u = db.prepare(`INSERT INTO usage_daily (day, channel, ward, kind, count) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET count = count + excluded.count`);
  const e = db.prepare(`INSERT INTO entry_daily (day, channel, ward, entry_id, count) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET count = count + excluded.count`);
  const f = db.prepare(`INSERT INTO feedback (ts, day, channel, ward, kind, entry_id, question, normalized) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const r = db.prepare(`INSERT OR IGNORE INTO ward_residents (channel, chat, ward, day) VALUES (?, ?, ?, ?)`);
  db.transaction(() => {
    for (let i = 13; i >= 0; i--) {
      for (const [ch, ward, k] of [['telegram', 'cam-ngoc', 1], ['zalo', 'cam-ngoc', 2], ['zalo', '', 1]] as const) {
        u.run(day(i), ch, ward, 'answer', 10 * k + (i % 5));
        u.run(day(i), ch, ward, 'suggest', 3 * k);
        u.run(day(i), ch, ward, 'fallback', 1 + (i % 3));
        e.run(day(i), ch, ward, 'kich-hoat-thoi-han', 4 * k);
        e.run(day(i), ch, ward, 'dang-ky-muc-2-o-dau', 3 * k);
        r.run(ch, `chat-${i}-${ch}`, 'cam-ngoc', day(i));
      }
    }
    for (let n = 0; n < 7; n++) f.run(Date.now(), day(1), 'zalo', 'cam-ngoc', 'up', 'kich-hoat-thoi-han', null, null);
    for (let n = 0; n < 3; n++) f.run(Date.now(), day(1), 'zalo', 'cam-ngoc', 'down', 'dang-ky-muc-2-o-dau', 'đk mức 2 ở đâu [sđt]', 'dk muc 2 o dau');
  })();
  db.close();
}
