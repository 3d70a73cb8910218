// The store mounted on the real HTTP server: a fresh DATA_DIR works; a corrupt or unwritable database gives
// a clear error (log, /healthz) while /api/ask keeps answering; /api/report is gated like /api/.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage as HttpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatIssue, loadContent, loadContentOrThrow } from '../../src/content/index.js';
import { createEngine, createMemoryStore, replyToPlainText } from '../../src/engine/index.js';
import { createLogger } from '../../src/log.js';
import { offChannel } from '../../src/server/channels.js';
import { createServer } from '../../src/server/http.js';
import { createMetrics } from '../../src/server/metrics.js';
import { createRuntime } from '../../src/server/runtime.js';
import { openUsageStore } from '../../src/store/usage.js';

const content = loadContentOrThrow('content');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'vneid-store-server-'));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
};

async function start(dataDir: string, opts: { isLoopback?: (req: HttpRequest) => boolean } = {}) {
  const errors: string[] = [];
  const usage = openUsageStore({ dataDir, retentionDays: 90, onError: (m) => errors.push(m) });
  const logger = createLogger({ level: 'silent' });
  const runtime = createRuntime({
    contentDir: 'content',
    content,
    load: loadContent,
    formatIssue,
    createEngine,
    store: createMemoryStore(),
    logger,
  });
  const app = createServer({
    config: {},
    runtime,
    metrics: createMetrics({ processMetrics: false }),
    channels: [offChannel('telegram', 'off'), offChannel('zalo', 'off')],
    logger,
    plainText: (r) => replyToPlainText(r),
    usage,
    isLoopback: opts.isLoopback,
  });
  const { url } = await app.listen(0, '127.0.0.1');
  cleanups.push(async () => {
    await app.close();
    usage.close();
  });
  const ask = async (body: object) => {
    const res = await fetch(`${url}api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { reply: { kind: string; entryId?: string; blocks: string[] } } };
  };
  const get = async (path: string) => {
    const res = await fetch(url + path);
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  return { url, usage, errors, ask, get };
}

describe('the usage store on the server', () => {
  it('a fresh DATA_DIR works: bot.db is created, /api/ask is counted, /api/report and /healthz show it', async () => {
    const s = await start(join(tempDir(), 'new', 'data'));
    expect(s.errors).toEqual([]);
    await s.ask({ text: '/start w_cam-ngoc', chatId: 'r1' });
    const where = await s.ask({ text: 'dk muc 2 o dau', chatId: 'r1' });
    expect(where.body.reply.blocks[0]).toContain('Công an xã Cẩm Ngọc');
    await s.ask({ text: 'qwerty zxcv asdf', chatId: 'r2' });
    const rep = await s.get('api/report?days=30');
    expect(rep.status).toBe(200);
    expect(rep.body.store).toEqual({ state: 'ok' });
    expect(rep.body.report.usage).toEqual(expect.arrayContaining([expect.objectContaining({ channel: 'web', ward: 'cam-ngoc', kind: 'answer', count: 1 })]));
    expect(rep.body.report.unanswered[0]).toMatchObject({ example: 'qwerty zxcv asdf', count: 1 });
    const health = await s.get('healthz');
    expect(health.body).toMatchObject({ status: 'ok', store: { state: 'ok' } });
  });

  it('a corrupt database: a clear error, /healthz degraded, and /api/ask still answers', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bot.db'), 'garbage, not sqlite '.repeat(300));
    const s = await start(dir);
    expect(s.errors).toHaveLength(1);
    expect(s.errors[0]).toMatch(/bot\.db.*vẫn trả lời/);
    const r = await s.ask({ text: 'dk muc 2 o dau' });
    expect(r.status).toBe(200);
    expect(r.body.reply).toMatchObject({ kind: 'answer', entryId: 'dang-ky-muc-2-o-dau' });
    const health = await s.get('healthz');
    expect(health.body.status).toBe('degraded');
    expect(health.body.store.state).toBe('error');
    expect(health.body.store.error).toContain('bot.db');
    const rep = await s.get('api/report');
    expect(rep.body.store.state).toBe('error');
  });

  it('an unwritable DATA_DIR: a clear error and the bot keeps answering', async () => {
    // Root ignores permission bits, so make DATA_DIR impossible: a path under a regular file.
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'x');
    const s = await start(join(file, 'data'));
    expect(s.errors[0]).toContain('DATA_DIR');
    expect((await s.ask({ text: 'dk muc 2 o dau' })).body.reply.kind).toBe('answer');
    expect((await s.get('healthz')).body.store.state).toBe('error');
  });

  it('a database that stops accepting writes while running: one clear error, answers continue', async () => {
    const dir = tempDir();
    const s = await start(dir);
    await s.ask({ text: 'dk muc 2 o dau' });
    s.usage.flush();
    // Another process holds the write lock (as a read-only or full disk would refuse writes): the flush fails.
    const other = new Database(join(dir, 'bot.db'));
    other.exec('BEGIN EXCLUSIVE');
    try {
      await s.ask({ text: 'qwerty zxcv asdf' });
      s.usage.flush(); // waits busy_timeout (2 s), then gives up
      expect(s.errors).toHaveLength(1);
      expect(s.errors[0]).toMatch(/Không ghi được thống kê .*bot\.db/);
      expect((await s.ask({ text: 'dk muc 2 o dau' })).body.reply.kind).toBe('answer');
      expect((await s.get('healthz')).body).toMatchObject({ status: 'degraded', store: { state: 'error' } });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  }, 15_000);

  it('/api/report is gated like the rest of /api/ (loopback only without a token) and checks ?days', async () => {
    const s = await start(tempDir(), { isLoopback: () => false });
    expect((await s.get('api/report?days=30')).status).toBe(403);
    const local = await start(tempDir());
    expect((await local.get('api/report?days=0')).status).toBe(400);
    expect((await local.get('api/report?days=abc')).status).toBe(400);
    expect((await local.get('api/report?days=7')).body.report.days).toBe(7);
  });
});
