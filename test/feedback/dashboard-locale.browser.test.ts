// The "Bảng theo dõi" dashboard in a real headless chromium whose locale is invalid ("en-US@posix", what the packaged
// chromium reports under LANG=C): uPlot builds `new Intl.NumberFormat(navigator.language)` when it loads, which
// throws on that tag. The page must still draw its charts, with Vietnamese dates and numbers.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
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
import { createRuntime } from '../../src/server/runtime.js';
import { createStaffRoutes } from '../../src/server/staff.js';
import { openFeedbackRecorder, type FeedbackRecorder } from '../../src/store/feedback.js';
import { openUsageStore, type UsageStore } from '../../src/store/usage.js';
import { collectPageErrors, launchBrowser } from '../helpers/browser.js';

const BAD = 'en-US@posix';

describe('the dashboard under an invalid browser locale (chromium)', () => {
  let tmp: string;
  let usage: UsageStore;
  let recorder: FeedbackRecorder;
  let app: AppServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'vneid-locale-'));
    const dataDir = join(tmp, 'data');
    usage = openUsageStore({ dataDir, retentionDays: 90 });
    recorder = openFeedbackRecorder({ dataDir, retentionDays: 90 });
    seed(join(dataDir, 'bot.db'));
    const logger = createLogger({ level: 'silent' });
    const runtime = createRuntime({ contentDir: 'content', content: loadContentOrThrow('content'), load: loadContent, formatIssue, createEngine, store: createMemoryStore(), logger });
    app = createServer({
      config: {},
      runtime,
      metrics: createMetrics({ processMetrics: false }),
      channels: [offChannel('telegram', 'off'), offChannel('zalo', 'off')],
      logger,
      plainText: (r) => replyToPlainText(r),
      usage,
      staff: createStaffRoutes({ runtime, recorder, contentDir: 'content', logger }),
    });
    const url = (await app.listen(0, '127.0.0.1')).url;
    browser = await launchBrowser({ lang: BAD, env: { LANG: 'C', LC_ALL: 'C' } });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    // The packaged chromium keeps "--lang=en-US@posix"; Debian's chromium cleans it to "en-US". Report the invalid
    // tag either way, as such a browser does (on the prototype: what the browser itself provides).
    await context.addInitScript((bad) => {
      if (navigator.language !== bad) Object.defineProperty(Navigator.prototype, 'language', { configurable: true, get: () => bad });
    }, BAD);
    page = await context.newPage();
    collectPageErrors(page, problems);
    await page.goto(url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    recorder?.close();
    usage?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('the browser really reports a locale Intl rejects', async () => {
    const seen = await page.evaluate(() => {
      const own = Object.getOwnPropertyDescriptor(Navigator.prototype, 'language')!.get!.call(navigator) as string;
      let error = '';
      try {
        new Intl.NumberFormat(own);
      } catch (e) {
        error = (e as Error).name;
      }
      return { own, error, page: navigator.language };
    });
    expect(seen).toEqual({ own: BAD, error: 'RangeError', page: 'en-US' });
  });

  it('draws the three charts with Vietnamese dates and numbers, and no error in the page', async () => {
    await page.getByRole('tab', { name: 'Bảng theo dõi' }).click();
    await expect.poll(() => page.locator('#dashboard-status').textContent()).toMatch(/\d+ tin nhắn/);
    for (const id of ['chart-channels', 'chart-wards', 'chart-shares']) {
      expect(await page.locator(`#${id} canvas`).count(), id).toBe(1);
      expect(await page.locator(`#${id} .hint`).count(), id).toBe(0);
    }
    expect(await page.locator('#chart-channels .u-legend').textContent()).toContain('Zalo');

    // The legend under the cursor: the day as dd/mm/yyyy, numbers and shares in Vietnamese ("66,7%").
    const hoverLastDay = async (id: string) => {
      const over = page.locator(`#${id} .u-over`);
      const box = (await over.boundingBox())!;
      await over.hover({ position: { x: box.width - 2, y: box.height / 2 } });
    };
    await hoverLastDay('chart-shares');
    const today = new Date().toISOString().slice(0, 10).split('-').reverse().join('/');
    const legend = (id: string) => page.locator(`#${id} .u-legend .u-value`).allTextContents();
    await expect.poll(() => legend('chart-shares')).toEqual([today, '66,7%', '22,2%', '11,1%']);
    await hoverLastDay('chart-channels');
    await expect.poll(() => legend('chart-channels')).toEqual([today, '1.800', '900']);
    expect(problems).toEqual([]);
  }, 60_000);
});

/** Two weeks of traffic over Telegram and Zalo: each day 1,800 + 900 messages, 6 : 2 : 1 answered / suggested / fallback. */
function seed(path: string): void {
  const db = new Database(path);
  const day = (i: number) => new Date(Date.now() - i * 86_400_000).toISOString().slice(0, 10);
  const u = db.prepare(`INSERT INTO usage_daily (day, channel, ward, kind, count) VALUES (?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (let i = 13; i >= 0; i--) {
      for (const [ch, n] of [['telegram', 1800], ['zalo', 900]] as const) {
        u.run(day(i), ch, '', 'answer', (n * 6) / 9);
        u.run(day(i), ch, '', 'suggest', (n * 2) / 9);
        u.run(day(i), ch, '', 'fallback', n / 9);
      }
    }
  })();
  db.close();
}
