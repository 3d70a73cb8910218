// A headless chromium for the browser suites, on any machine `npm ci` ran on.
//
// The system chromium (/usr/bin/chromium, e.g. Debian's package) is used when present; otherwise the build that
// ships inside the npm package @sparticuz/chromium (a brotli archive unpacked once into the temp dir, about 2 s).
// Either way the suites run: nothing here skips. Usage:
//
//   const browser = await launchBrowser();
//   const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
//   …
//   await browser.close();
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Chromium from '@sparticuz/chromium';
import { chromium, type Browser, type Page } from 'playwright-core';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** Flags for a quiet, offline, throwaway browser (both builds). */
const COMMON_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // The staff pages are Vietnamese. (With LANG=C the packaged build would report "en-US@posix", which Intl rejects;
  // the dashboard copes with that itself — test/feedback/dashboard-locale.browser.test.ts — launchBrowser({ lang }).)
  '--lang=vi-VN',
];

/** Where chromium comes from on this machine, and the flags it needs. */
export async function chromiumExecutable(): Promise<{ path: string; args: string[]; source: 'system' | 'packaged' }> {
  if (existsSync(SYSTEM_CHROMIUM)) return { path: SYSTEM_CHROMIUM, args: COMMON_ARGS, source: 'system' };
  Chromium.setGraphicsMode = false; // no WebGL needed: skips unpacking SwiftShader
  const path = await unpackOnce();
  return { path, args: [...Chromium.args, ...COMMON_ARGS], source: 'packaged' };
}

export interface LaunchOptions {
  /** The browser's language instead of vi-VN, e.g. an invalid one such as "en-US@posix" (chromium's --lang). */
  lang?: string;
  /** Variables added to the browser's environment (e.g. LANG=C). */
  env?: Record<string, string>;
}

/** A fresh headless browser (its own temporary profile, removed by playwright on close). */
export async function launchBrowser(opts: LaunchOptions = {}): Promise<Browser> {
  const { path, args } = await chromiumExecutable();
  const lang = opts.lang;
  const finalArgs = lang === undefined ? args : args.map((a) => (a.startsWith('--lang=') ? `--lang=${lang}` : a));
  const env = opts.env ? ({ ...process.env, ...opts.env } as Record<string, string>) : undefined;
  return chromium.launch({ executablePath: path, headless: true, args: finalArgs, ...(env ? { env } : {}) });
}

// @sparticuz/chromium unpacks into os.tmpdir()/chromium and reuses any file already there, even a half-written
// one. Test workers run in parallel (and other checkouts may share /tmp), so unpack under a lock and record the
// size of a complete unpack; a binary without that record is unpacked again.
async function unpackOnce(): Promise<string> {
  const exe = join(tmpdir(), 'chromium');
  const marker = join(tmpdir(), 'vneid-sparticuz-chromium.ok');
  const source = join(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '..', '..', 'bin', 'chromium.br');
  const stamp = () => `${statSync(source).size}:${existsSync(exe) ? statSync(exe).size : -1}`;
  const complete = () => existsSync(exe) && existsSync(marker) && readFileSync(marker, 'utf8') === stamp();
  if (complete()) return exe;
  const lock = join(tmpdir(), 'vneid-sparticuz-chromium.lock');
  await acquire(lock);
  try {
    if (complete()) return exe;
    rmSync(exe, { force: true });
    rmSync(join(tmpdir(), 'fonts'), { recursive: true, force: true });
    const path = await Chromium.executablePath();
    writeFileSync(marker, stamp());
    return path;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function acquire(lock: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A lock older than two minutes belongs to a run that died while unpacking.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* removed meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`chromium: ${lock} held for 3 minutes; remove it if no test is running`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Collects the page's uncaught errors and console errors into `problems` (a test then expects none). */
export function collectPageErrors(page: Page, problems: string[]): void {
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
}
