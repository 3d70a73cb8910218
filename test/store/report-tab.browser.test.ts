// The playground's "Câu hỏi chưa trả lời" tab in a real browser (headless chromium via playwright-core):
// questions asked in the chat appear in the report, with masked personal data and per-ward usage.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser } from '../helpers/browser.js';
import { formatIssue, loadContent, loadContentOrThrow } from '../../src/content/index.js';
import { createEngine, createMemoryStore, replyToPlainText } from '../../src/engine/index.js';
import { createLogger } from '../../src/log.js';
import { offChannel } from '../../src/server/channels.js';
import { createServer, type AppServer } from '../../src/server/http.js';
import { createMetrics } from '../../src/server/metrics.js';
import { createRuntime } from '../../src/server/runtime.js';
import { openUsageStore, type UsageStore } from '../../src/store/usage.js';

describe('a content editor opens the "Câu hỏi chưa trả lời" tab (chromium)', () => {
  let app: AppServer;
  let usage: UsageStore;
  let url: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let tmp: string;
  const problems: string[] = [];

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'vneid-report-tab-'));
    usage = openUsageStore({ dataDir: join(tmp, 'data'), retentionDays: 90 });
    const logger = createLogger({ level: 'silent' });
    const content = loadContentOrThrow('content');
    const runtime = createRuntime({ contentDir: 'content', content, load: loadContent, formatIssue, createEngine, store: createMemoryStore(), logger });
    app = createServer({
      config: {},
      runtime,
      metrics: createMetrics({ processMetrics: false }),
      channels: [offChannel('telegram', 'off'), offChannel('zalo', 'off')],
      logger,
      plainText: (r) => replyToPlainText(r),
      usage,
    });
    url = (await app.listen(0, '127.0.0.1')).url;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    collectPageErrors(page, problems);
    await page.goto(url);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
    usage?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('shows what residents asked that the bot could not answer, masked, and usage per ward', async () => {
    // Residents' traffic, through the same API the chat uses.
    const ask = (body: object) => page.evaluate((b) => fetch('/api/ask', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) }).then((r) => r.status), body);
    expect(await ask({ text: '/start w_cam-ngoc', chatId: 'c1' })).toBe(200);
    await ask({ text: 'dk muc 2 o dau', chatId: 'c1' });
    await ask({ text: 'qwerty zxcv 0912345678', chatId: 'c2' });
    await ask({ text: 'qwerty zxcv 0987654321', chatId: 'c3' });

    await page.getByRole('tab', { name: 'Câu hỏi chưa trả lời' }).click();
    expect(await page.locator('#panel-report').isVisible()).toBe(true);
    expect(await page.locator('#panel-ask').isVisible()).toBe(false);
    const firstRow = page.locator('#report-unanswered tbody tr').first();
    await expect.poll(() => firstRow.textContent()).toContain('qwerty zxcv');
    const cells = await firstRow.locator('td').allTextContents();
    expect(cells[0]).toBe('2');
    expect(cells[2]).toContain('[sđt]');
    expect(await page.locator('#panel-report').textContent()).not.toContain('0912345678');
    const usageText = await page.locator('#report-usage tbody').textContent();
    expect(usageText).toContain('cam-ngoc');
    expect(await page.locator('#report-status').textContent()).toMatch(/30 ngày/);

    // Another window of time.
    await page.locator('#report-days').selectOption('7');
    await expect.poll(() => page.locator('#report-status').textContent()).toMatch(/7 ngày/);
    expect(problems).toEqual([]);
  }, 30_000);
});
