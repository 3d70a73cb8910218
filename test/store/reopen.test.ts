// After a store fault clears (a lock released, a full disk freed), the store reopens by itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openUsageStore } from '../../src/store/usage.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the usage store after a fault', () => {
  it('turns off with one error, then reopens and counts again once writes work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vneid-reopen-'));
    dirs.push(dir);
    const errors: string[] = [];
    let recovered = 0;
    const store = openUsageStore({ dataDir: dir, retentionDays: 90, reopenMs: 50, onError: (m) => errors.push(m), onRecover: () => recovered++ });
    const now = Date.now();
    store.recordReply('a', { ts: now, channel: 'web', kind: 'answer' });
    store.flush();
    const other = new Database(join(dir, 'bot.db'));
    other.exec('BEGIN EXCLUSIVE');
    store.recordReply('a', { ts: now, channel: 'web', kind: 'answer' });
    store.flush(); // refused (busy), the store turns off
    expect(errors).toHaveLength(1);
    other.exec('ROLLBACK');
    other.close();
    await new Promise((r) => setTimeout(r, 80));
    expect(store.status().state).toBe('ok');
    expect(recovered).toBe(1);
    store.recordReply('b', { ts: now, channel: 'web', kind: 'fallback', text: 'qwerty\u0000 zxcv' });
    store.flush();
    const r = store.report(1, now);
    expect(r.usage.reduce((n, u) => n + u.count, 0)).toBe(2); // the one refused while locked is lost, the rest kept
    expect(r.unanswered[0].example).toBe('qwerty zxcv');
    store.close();
  }, 15_000);
});
