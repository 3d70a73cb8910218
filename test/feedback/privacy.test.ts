// Privacy of the feedback loop: ID numbers, phone numbers and OTPs typed by residents go through every
// feedback path (👎 after an answer, a fallback then a re-ask, a suggestion pick, a near-domain out-of-scope
// question, the playground API, proposals, the dashboard and its CSV, accepting a proposal) and none of them is
// found in clear in the SQLite files (db + WAL), in any log line, or in any staff API response.
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue, loadContent, loadContentOrThrow } from '../../src/content/index.js';
import { createEngine, createMemoryStore, replyToPlainText } from '../../src/engine/index.js';
import type { IncomingMessage, Reply } from '../../src/engine/types.js';
import { createLogger } from '../../src/log.js';
import { offChannel } from '../../src/server/channels.js';
import { createServer } from '../../src/server/http.js';
import { createMetrics } from '../../src/server/metrics.js';
import { createRuntime } from '../../src/server/runtime.js';
import { createStaffRoutes } from '../../src/server/staff.js';
import { openFeedbackRecorder } from '../../src/store/feedback.js';
import { openUsageStore } from '../../src/store/usage.js';
import { recordUsage } from '../../src/server/usage.js';

const SECRETS = ['001203004567', '0912345678', '0987 654 321', '482913', '079188001234', '0903111222', '551177'];
const digits = (s: string) => s.replace(/\D/g, '');

describe('no ID, phone or OTP in clear from any feedback path', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'vneid-fb-privacy-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('stores, logs and serves only masked text', async () => {
    const contentDir = join(tmp, 'content');
    cpSync('content', contentDir, { recursive: true });
    const dataDir = join(tmp, 'data');
    const lines: string[] = [];
    const logger = createLogger({ level: 'trace', destination: new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) }) });
    const usage = openUsageStore({ dataDir, retentionDays: 90 });
    const rec = openFeedbackRecorder({ dataDir, retentionDays: 90 });
    const content = loadContentOrThrow(contentDir);
    const engine = createEngine({ content, store: createMemoryStore() });
    const say = (channel: IncomingMessage['channel'], chatId: string, text: string, kind: IncomingMessage['kind'] = 'text'): Reply => {
      const msg: IncomingMessage = { channel, chatId, kind, text };
      const reply = engine.handle(msg);
      recordUsage(usage, msg, reply);
      rec.onReply(msg, reply);
      return reply;
    };
    // 👎 after an answer to a question carrying an ID number.
    expect(say('zalo', 'p1', 'bao lau phai kich hoat tai khoan dinh danh, cccd 001203004567').kind).toBe('answer');
    expect(say('zalo', 'p1', 'sai').vote?.vote).toBe('down');
    // A fallback with a phone number, then a re-ask that is answered.
    expect(say('telegram', 'p2', 'qwerty zxcv 0912345678').kind).toBe('fallback');
    expect(say('telegram', 'p2', 'quên mật khẩu vneid').kind).toBe('answer');
    // A suggestion list with a grouped phone, then a pick.
    const list = say('zalo', 'p3', 'dang ky 0987 654 321');
    expect(list.kind).toBe('suggest');
    say('zalo', 'p3', '2');
    // 👍 with an OTP in the question.
    expect(say('telegram', 'p4', 'ma otp 482913 kich hoat khong ve').kind).toBe('answer');
    say('telegram', 'p4', 'f:+:' + (engine.handle({ channel: 'telegram', chatId: 'p9', kind: 'text', text: 'ma otp kich hoat khong ve' }).entryId ?? 'x'), 'choice');
    // A near-domain out-of-scope question (the reply kind the engine is gaining).
    const oosMsg: IncomingMessage = { channel: 'zalo', chatId: 'p5', kind: 'text', text: 'làm hộ chiếu cho số 079188001234, gọi 0903111222, mã 551177' };
    const oos: Reply = { kind: 'out-of-scope', blocks: ['…'], links: [], qr: [], choices: [], debug: { normalized: 'lam ho chieu 079188001234 0903111222 551177', candidates: [], decision: 'fallback' } };
    rec.onReply(oosMsg, oos);
    usage.flush();
    rec.flush();

    // Through the HTTP server: the playground and every staff route.
    const runtime = createRuntime({ contentDir, content, load: loadContent, formatIssue, createEngine, store: createMemoryStore(), logger });
    const app = createServer({
      config: {},
      runtime,
      metrics: createMetrics({ processMetrics: false }),
      channels: [offChannel('telegram', 'off'), offChannel('zalo', 'off')],
      logger,
      plainText: (r) => replyToPlainText(r),
      usage,
      staff: createStaffRoutes({ runtime, recorder: rec, contentDir, logger }),
    });
    const { url } = await app.listen(0, '127.0.0.1');
    const post = (path: string, body: object) =>
      fetch(new URL(path, url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, text: await r.text() }));
    await post('/api/ask', { text: 'bao lau phai kich hoat, sdt 0912345678', chatId: 'w1' });
    await post('/api/ask', { text: 'chưa đúng', chatId: 'w1' });
    const served: string[] = [];
    for (const p of ['/api/proposals?days=30', '/api/proposals?days=30&playground=1', '/api/dashboard?days=30', '/api/dashboard.csv?days=30', '/api/report?days=30'])
      served.push(await fetch(new URL(p, url)).then((r) => r.text()));
    const proposals = JSON.parse(served[1]);
    expect(proposals.disliked.length + proposals.clusters.length).toBeGreaterThan(0);
    expect(JSON.stringify(proposals)).toContain('[');
    // Accepting a masked question is refused (it would put a placeholder into the FAQ).
    const refused = await post('/api/proposals/accept', { entryId: 'kich-hoat-thoi-han', question: 'qwerty [sđt]' });
    expect(refused.status).toBe(400);
    served.push(refused.text);
    await app.close();
    runtime.close();
    rec.close();
    usage.close();

    const files = readdirSync(dataDir).filter((f) => f.startsWith('bot.db'));
    expect(files).toContain('bot.db');
    const stored = files.map((f) => readFileSync(join(dataDir, f)).toString('latin1') + readFileSync(join(dataDir, f)).toString('utf8')).join('\n');
    const everything = { stored, logs: lines.join('\n'), served: served.join('\n') };
    for (const [where, text] of Object.entries(everything)) {
      const flat = digits(text);
      for (const s of SECRETS) {
        expect(text, `${s} in ${where}`).not.toContain(s);
        expect(flat.includes(digits(s)) && where !== 'stored' ? `${s} (digits) in ${where}` : '').toBe('');
      }
    }
    // The masked evidence is there (so the test can fail): placeholders in the store.
    expect(stored).toContain('[số định danh]');
    expect(stored).toContain('[sđt]');
    expect(stored).toContain('[mã]');
    expect(existsSync(join(contentDir, 'faq'))).toBe(true);
  }, 60_000);
});
