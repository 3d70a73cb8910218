// The evidence store and proposals without a browser: re-asks, out-of-scope questions, retention, "Bỏ qua",
// clustering of similar unanswered questions, and the in-place YAML edit.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadContentOrThrow } from '../../src/content/index.js';
import type { IncomingMessage, Reply } from '../../src/engine/types.js';
import { withQuestion } from '../../src/feedback/accept.js';
import { computeProposals } from '../../src/feedback/proposals.js';
import { feedbackWord } from '../../src/feedback/protocol.js';
import { openFeedbackRecorder } from '../../src/store/feedback.js';
import { openUsageStore, SCHEMA_VERSION } from '../../src/store/usage.js';

const content = loadContentOrThrow('content');
const DAY = 86_400_000;
const T0 = Date.parse('2026-11-20T08:00:00Z');
const msg = (chatId: string, text: string, channel: IncomingMessage['channel'] = 'zalo'): IncomingMessage => ({ channel, chatId, kind: 'text', text });
const reply = (over: Partial<Reply>): Reply => ({ kind: 'answer', blocks: [], links: [], qr: [], choices: [], ...over });
const dbg = (normalized: string, decision: 'answer' | 'fallback' | 'suggest' = 'answer', top?: string) => ({ normalized, candidates: top ? [{ id: top, score: 0.3, question: '' }] : [], decision });

describe('feedback evidence and proposals', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vneid-fb-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records re-asks and out-of-scope questions, clusters unanswered ones, honours "Bỏ qua" and retention', async () => {
    const usage = openUsageStore({ dataDir: dir, retentionDays: 30 });
    expect(SCHEMA_VERSION).toBe(3);
    const rec = openFeedbackRecorder({ dataDir: dir, retentionDays: 30 });
    // A fallback, then a re-ask that is answered: the first question becomes a proposal for that entry.
    rec.onReply(msg('1', 'mat khau quen roi lam the nao nhi'), reply({ kind: 'fallback', debug: dbg('mat khau quen roi lam the nao', 'fallback') }), T0);
    rec.onReply(msg('1', 'quên mật khẩu vneid'), reply({ entryId: 'su-co-quen-mat-khau', debug: dbg('quen mat khau vneid') }), T0 + 1000);
    // Out of scope, similar questions (one cluster), and an unrelated one (another).
    for (const [i, q] of ['lam ho chieu o dau', 'lam ho chieu o dau nhanh', 'ho chieu lam o dau', 'gia vang hom nay'].entries())
      rec.onReply(msg(`o${i}`, q), reply({ kind: 'out-of-scope', debug: dbg(q, 'fallback') }), T0);
    // Playground traffic is kept apart.
    rec.onReply(msg('w', 'cau hoi thu', 'web'), reply({ kind: 'out-of-scope', debug: dbg('cau hoi thu', 'fallback') }), T0);
    // 40 days ago: purged.
    rec.onReply(msg('old', 'cu qua'), reply({ kind: 'out-of-scope', debug: dbg('cu qua', 'fallback') }), T0 - 40 * DAY);
    await rec.flush();
    const db = rec.read()!;
    let p = await computeProposals(db, content, { days: 90, now: T0 });
    expect(p.alternates).toEqual([expect.objectContaining({ entryId: 'su-co-quen-mat-khau', question: 'mat khau quen roi lam the nao nhi', reasks: 1 })]);
    const big = p.clusters[0];
    expect(big.count).toBe(3);
    expect(big.examples).toHaveLength(3);
    expect(p.clusters.map((c) => c.examples[0])).toContain('gia vang hom nay');
    expect(JSON.stringify(p)).not.toContain('cau hoi thu');
    expect(JSON.stringify(await computeProposals(db, content, { days: 90, now: T0, includePlayground: true }))).toContain('cau hoi thu');

    rec.decide(p.alternates[0].key, 'skipped', T0);
    rec.decide(big.key, 'skipped', T0);
    p = await computeProposals(db, content, { days: 90, now: T0 });
    expect(p.alternates).toEqual([]);
    expect(p.clusters.map((c) => c.count)).toEqual([1, 1]); // "gia vang" and "cu qua" (90-day window)

    expect(rec.purge(T0)).toBeGreaterThan(0);
    const left = new Database(join(dir, 'bot.db'), { readonly: true });
    expect(left.prepare(`SELECT COUNT(*) AS n FROM feedback WHERE question = 'cu qua'`).get()).toEqual({ n: 0 });
    left.close();
    rec.close();
    usage.close();
  });

  it('reads vote words only as whole messages', () => {
    expect(feedbackWord('Sai')).toBe('down');
    expect(feedbackWord('chưa đúng!')).toBe('down');
    expect(feedbackWord('đúng rồi')).toBe('up');
    expect(feedbackWord('👍')).toBe('up');
    expect(feedbackWord('sai mật khẩu thì làm sao')).toBeUndefined();
  });

  it('splices a question after the last one, keeping comments and layout; flow lists too', () => {
    const text = `# đầu tệp\ntopic: t\nentries:\n  - id: a\n    questions:\n      - Câu một?   # chú thích\n      - cau hai\n    answer: |\n      Trả lời.\n  - id: b\n    questions: [x, y]\n`;
    const r = withQuestion(text, 'a', 'câu: ba');
    expect(r.ok && r.text).toBe(text.replace('      - cau hai\n', `      - cau hai\n      - "câu: ba"\n`));
    const f = withQuestion(text, 'b', 'z');
    expect(f.ok && f.text).toContain('questions: [x, y, z]');
    expect(f.ok && f.text).toContain('# chú thích');
    expect(withQuestion(text, 'nope', 'z').ok).toBe(false);
  });
});
