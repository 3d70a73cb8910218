import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openUsageStore, type UsageEvent } from '../../src/store/usage.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'vneid-store-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) {
    try {
      chmodSync(d, 0o755);
    } catch {}
    rmSync(d, { recursive: true, force: true });
  }
});

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-20T08:00:00Z');
const ev = (over: Partial<UsageEvent>): UsageEvent => ({ ts: T0, channel: 'telegram', kind: 'answer', ...over });

describe('the usage store', () => {
  it('creates DATA_DIR/bot.db on first run and counts replies per day, channel, ward and kind', () => {
    const dir = join(tempDir(), 'fresh', 'data');
    const store = openUsageStore({ dataDir: dir, retentionDays: 90 });
    expect(store.status().state).toBe('ok');
    store.recordReply('t:1', ev({ ward: 'cam-ngoc' }));
    store.recordReply('t:2', ev({ ward: 'cam-ngoc' }));
    store.recordReply('z:1', ev({ channel: 'zalo' }));
    store.recordReply('t:1', ev({ ward: 'cam-ngoc', kind: 'fallback', text: 'gia vang', normalized: 'gia vang' }));
    const r = store.report(30, T0);
    expect(r.usage).toEqual(
      expect.arrayContaining([
        { day: '2026-11-20', channel: 'telegram', ward: 'cam-ngoc', kind: 'answer', count: 2 },
        { day: '2026-11-20', channel: 'zalo', ward: '', kind: 'answer', count: 1 },
        { day: '2026-11-20', channel: 'telegram', ward: 'cam-ngoc', kind: 'fallback', count: 1 },
      ]),
    );
    store.close();
  });

  it('keeps unanswered questions grouped by normalised text, and the suggestion the resident then picked', () => {
    const store = openUsageStore({ dataDir: tempDir(), retentionDays: 90 });
    store.recordReply('a', ev({ kind: 'fallback', text: 'Giá vàng?', normalized: 'gia vang' }));
    store.recordReply('b', ev({ kind: 'fallback', text: 'gia vang', normalized: 'gia vang' }));
    store.recordReply('c', ev({ kind: 'suggest', text: 'kich hoat', normalized: 'kich hoat', topId: 'kich-hoat-cac-buoc' }));
    store.recordPick('c', 'kich-hoat-cac-buoc', T0 + 5000);
    store.recordPick('a', 'x', T0 + 20 * 60_000); // too late: not linked
    const r = store.report(30, T0);
    expect(r.unanswered[0]).toMatchObject({ normalized: 'gia vang', count: 2 });
    expect(r.picks).toEqual([{ normalized: 'kich hoat', example: 'kich hoat', pickedId: 'kich-hoat-cac-buoc', count: 1 }]);
    store.close();
  });

  it('never stores ID numbers, phone numbers, e-mail addresses or OTP codes in clear', () => {
    const dir = tempDir();
    const store = openUsageStore({ dataDir: dir, retentionDays: 90 });
    const text = 'cccd 001203004567 sdt 0912 345 678 mail an.nguyen@gmail.com ma 482913 sao ko dc';
    store.recordReply('a', ev({ kind: 'fallback', text, normalized: text }));
    store.close();
    const raw = readFileSync(join(dir, 'bot.db')).toString('latin1') + readFileSync(join(dir, 'bot.db')).toString('utf8');
    for (const secret of ['001203004567', '0912 345 678', '0912345678', 'an.nguyen@gmail.com', '482913']) expect(raw).not.toContain(secret);
    const again = openUsageStore({ dataDir: dir, retentionDays: 90 });
    expect(again.report(30, T0).unanswered[0].example).toBe('cccd [số định danh] sdt [sđt] mail [email] ma [mã] sao ko dc');
    again.close();
  });

  it('purges rows older than the retention period', () => {
    const store = openUsageStore({ dataDir: tempDir(), retentionDays: 90 });
    store.recordReply('a', ev({ ts: T0 - 100 * DAY, kind: 'fallback', text: 'cu', normalized: 'cu' }));
    store.recordReply('a', ev({ ts: T0 - 10 * DAY, kind: 'fallback', text: 'moi', normalized: 'moi' }));
    expect(store.purge(T0)).toBe(2); // one question row and one usage row
    const r = store.report(365, T0);
    expect(r.unanswered.map((u) => u.normalized)).toEqual(['moi']);
    expect(r.usage).toHaveLength(1);
    store.close();
  });

  it('a corrupt database gives a clear error and the store turns itself off without throwing', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bot.db'), 'this is not a sqlite database at all'.repeat(200));
    const errors: string[] = [];
    const store = openUsageStore({ dataDir: dir, retentionDays: 90, onError: (m) => errors.push(m) });
    expect(store.status().state).toBe('error');
    expect(errors[0]).toMatch(/bot\.db/);
    expect(errors[0]).toContain('vẫn trả lời');
    expect(() => store.recordReply('a', ev({}))).not.toThrow();
    expect(store.report(30).usage).toEqual([]);
  });

  it('a read-only DATA_DIR gives a clear error', () => {
    if (process.getuid?.() === 0) {
      // root ignores file permissions; simulate with a path under a regular file instead
      const file = join(tempDir(), 'not-a-dir');
      writeFileSync(file, 'x');
      const store = openUsageStore({ dataDir: join(file, 'data'), retentionDays: 90 });
      expect(store.status()).toMatchObject({ state: 'error' });
      expect(store.status().error).toContain('DATA_DIR');
      return;
    }
    const dir = tempDir();
    chmodSync(dir, 0o555);
    const store = openUsageStore({ dataDir: dir, retentionDays: 90 });
    expect(store.status().state).toBe('error');
  });
});

describe('schema migrations', () => {
  it('upgrades a version-1 database in place, keeping its rows', async () => {
    const { default: Database } = await import('better-sqlite3');
    const { SCHEMA_VERSION } = await import('../../src/store/usage.js');
    const dir = tempDir();
    const v1 = new Database(join(dir, 'bot.db'));
    v1.exec(`CREATE TABLE usage_daily (
       day TEXT NOT NULL, channel TEXT NOT NULL, ward TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL,
       count INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, channel, ward, kind));
     CREATE TABLE questions (
       id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL, day TEXT NOT NULL, channel TEXT NOT NULL,
       ward TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL, normalized TEXT NOT NULL, example TEXT NOT NULL,
       top_id TEXT, top_score REAL, picked_id TEXT);
     CREATE INDEX questions_day ON questions(day);
     CREATE INDEX questions_norm ON questions(normalized);
     INSERT INTO usage_daily VALUES ('2026-11-20', 'zalo', 'ha-dong', 'answer', 7);
     PRAGMA user_version = 1;`);
    v1.close();
    const store = openUsageStore({ dataDir: dir, retentionDays: 90 });
    expect(store.status().state).toBe('ok');
    expect(store.report(30, T0).usage).toEqual([{ day: '2026-11-20', channel: 'zalo', ward: 'ha-dong', kind: 'answer', count: 7 }]);
    store.close();
    const db = new Database(join(dir, 'bot.db'));
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'questions_ts'`).get()).toBeTruthy();
    db.close();
  });

  it('refuses a database written by a newer program, with a clear error', async () => {
    const { default: Database } = await import('better-sqlite3');
    const dir = tempDir();
    const db = new Database(join(dir, 'bot.db'));
    db.pragma('user_version = 99');
    db.close();
    const errors: string[] = [];
    const store = openUsageStore({ dataDir: dir, retentionDays: 90, onError: (m) => errors.push(m) });
    expect(store.status().state).toBe('error');
    expect(errors[0]).toMatch(/newer than this program/);
  });

  it('never writes inside the reply: events wait in memory until the timer or the next turn of the event loop', async () => {
    const dir = tempDir();
    const flushed: number[] = [];
    const store = openUsageStore({ dataDir: dir, retentionDays: 90, flushMs: 50, onFlush: (n) => flushed.push(n) });
    for (let i = 0; i < 250; i++) store.recordReply(`c:${i}`, ev({}));
    expect(flushed).toEqual([]); // 250 ≥ flushAt, but nothing was written synchronously
    await new Promise((r) => setImmediate(r));
    expect(flushed).toEqual([250]);
    store.recordReply('c:x', ev({}));
    await new Promise((r) => setTimeout(r, 120));
    expect(flushed).toEqual([250, 1]);
    store.close();
  });
});
