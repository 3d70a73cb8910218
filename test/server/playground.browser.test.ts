// The staff playground in a real browser: headless chromium (system or packaged, see test/helpers/browser.ts)
// driven by playwright-core.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { startTestServer, type TestServer } from './helpers.js';

// The browser always runs: there is no skip when chromium is not installed (the packaged build is used).
describe('a content editor tries questions in the playground (chromium)', () => {
  let s: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    s = await startTestServer({ watchMs: 100 });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 390, height: 844 } }); // a phone screen
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    await page.goto(s.url);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await s?.close();
  });

  it('shows the content version and focuses the question box', async () => {
    await expect.poll(() => page.locator('#version').textContent()).toContain(s.runtime.content().version);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('question');
    expect(await page.getByLabel('Câu hỏi của người dân').count()).toBe(1);
    // The "try a question" tab is the one open.
    expect(await page.locator('#tab-ask').getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('#panel-ask').isVisible()).toBe(true);
  });

  it('answers a question sent with Enter, with links, a QR image and the debug panel', async () => {
    await page.locator('#question').fill('bao lâu phải kích hoạt vneid');
    await page.keyboard.press('Enter');
    const answer = page.locator('.msg.bot').last();
    await expect.poll(() => answer.textContent()).toContain('07 ngày');
    expect(await page.locator('#chat').getAttribute('aria-live')).toBe('polite');

    // Links are links, the unverified one is marked.
    const ios = answer.locator('.links li', { hasText: 'iPhone' });
    expect(await ios.locator('a').getAttribute('href')).toBe('https://apps.apple.com/vn/app/vneid/id1');
    expect(await ios.textContent()).toContain('(chưa xác minh)');
    // A link's graded status is shown to staff (this fixture's "verified: true" reads as corroborated).
    expect(await answer.locator('.links li', { hasText: 'Trang VNeID' }).locator('.link-status').textContent()).toContain('nhiều nguồn cùng ghi');
    expect(await answer.locator('a[href="https://vneid.gov.vn"]').count()).toBeGreaterThan(0);

    // The QR image really loaded.
    const qr = answer.locator('img[src="/qr/vneid-web.png"]');
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(100);
    expect(await qr.getAttribute('alt')).toContain('Mã QR');

    // Debug panel: normalised text, candidates, decision.
    expect(await page.locator('#debug-normalized').textContent()).not.toBe('');
    expect(await page.locator('#debug-candidates tbody tr').first().textContent()).toContain('kich-hoat-thoi-han');
    expect(await page.locator('#debug-decision').textContent()).toContain('trả lời');
  });

  it('opens a choice button from the keyboard and shows its answer with a QR image', async () => {
    const before = await page.locator('.msg.bot').count();
    const button = page.locator('.msg.bot').last().locator('.choices button').first();
    expect(await button.textContent()).toContain('OTP');
    await button.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.msg.bot').count()).toBe(before + 1);
    const answer = page.locator('.msg.bot').last();
    expect(await answer.textContent()).toContain('Gửi lại');
    // Numbered steps keep their line breaks.
    expect(await answer.locator('p').first().evaluate((p) => getComputedStyle(p).whiteSpace)).toBe('pre-line');
    const qr = answer.locator('.qrs img');
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(100);
    expect(await page.locator('#debug-kind').textContent()).toContain('kich-hoat-otp');
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('shows the error banner with file:line when a YAML file is broken', async () => {
    const file = join(s.dir, 'faq', 'kich-hoat.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('entries:', 'entries: [oops'));
    const banner = page.locator('#reload-error');
    await expect.poll(() => banner.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await banner.textContent()).toMatch(/faq\/kich-hoat\.yaml:\d+:\d+ lỗi/);
    expect(await banner.textContent()).toContain(s.runtime.content().version);
  });

  it('ran without script errors or content-security-policy violations', () => {
    expect(problems).toEqual([]);
  });
});
