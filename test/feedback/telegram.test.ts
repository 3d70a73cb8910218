// 👍/👎 on Telegram, end to end on the fake Bot API: the buttons under an answer (callback data ≤ 64 bytes),
// every press answered, 👎 sends the runners-up and the contact card, a second press is not counted, and the
// votes land in the evidence store (SQLite on a temp DATA_DIR).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FEEDBACK_TEXT } from '../../src/feedback/protocol.js';
import { openFeedbackRecorder } from '../../src/store/feedback.js';
import { openUsageStore } from '../../src/store/usage.js';
import { buttons, press, PRIVATE, startHarness, text, type Harness } from '../channels/telegram/harness.js';

const CHAT = PRIVATE.id;

describe('Telegram: a resident rates an answer', () => {
  let h: Harness;
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'vneid-fb-tg-'));
  });
  afterEach(async () => h?.close());
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('👎 is answered, sends the runners-up and the contact card, and is recorded once with the question', async () => {
    h = await startHarness('polling');
    await h.channel.start();
    await h.deliver(text('bao lau phai kich hoat'));
    const answer = await h.api.waitFor(() => h.api.delivered(CHAT).find((c) => c.method === 'sendMessage'), 5000, 'the answer');
    const bs = buttons(answer.body);
    const up = bs.find((b) => b.text === FEEDBACK_TEXT.up);
    const down = bs.find((b) => b.text === FEEDBACK_TEXT.down);
    expect(up?.callback_data).toBe('f:+:kich-hoat-thoi-han');
    expect(down?.callback_data).toBe('f:-:kich-hoat-thoi-han');
    const kb = (answer.body.reply_markup as { inline_keyboard: unknown[][] }).inline_keyboard;
    expect(kb[kb.length - 1]).toHaveLength(2); // one row of two, last
    for (const b of bs) if (b.callback_data) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
    expect(answer.shown).toContain(FEEDBACK_TEXT.prompt);

    const sentBefore = h.api.of('sendMessage', CHAT).length;
    await h.deliver(press('f:-:kich-hoat-thoi-han'));
    const sorry = await h.api.waitFor(() => h.api.of('sendMessage', CHAT)[sentBefore], 5000, 'the 👎 reply');
    expect(sorry.shown).toContain(FEEDBACK_TEXT.sorry);
    expect(sorry.shown).toContain('1900');
    const runners = buttons(sorry.body).filter((b) => b.callback_data?.startsWith('e:'));
    expect(runners.length).toBeGreaterThan(0);
    expect(runners.map((b) => b.callback_data)).not.toContain('e:kich-hoat-thoi-han');

    // A second press on the same answer: answered, thanked, not counted again.
    await h.deliver(press('f:-:kich-hoat-thoi-han'));
    const again = await h.api.waitFor(() => h.api.of('sendMessage', CHAT)[sentBefore + 1], 5000, 'the second reply');
    expect(again.shown).toContain(FEEDBACK_TEXT.already);
    await h.api.waitFor(() => h.api.of('answerCallbackQuery').length === 2, 5000, 'both callbacks answered');

    // 👍 from the list of runners-up after opening one of them.
    await h.deliver(press(runners[0].callback_data!));
    await h.api.waitFor(() => h.api.of('sendMessage', CHAT)[sentBefore + 2], 5000, 'the runner-up answer');
    const id = runners[0].callback_data!.slice(2);
    await h.deliver(press(`f:+:${id}`));
    const thanks = await h.api.waitFor(() => h.api.of('sendMessage', CHAT)[sentBefore + 3], 5000, 'the 👍 reply');
    expect(thanks.shown).toContain(FEEDBACK_TEXT.thanks);
    expect(h.api.of('answerCallbackQuery')).toHaveLength(4);

    // The channel hooks feed the evidence store exactly as main.ts wires them.
    const dataDir = join(tmp, 'a');
    const usage = openUsageStore({ dataDir, retentionDays: 90 });
    const rec = openFeedbackRecorder({ dataDir, retentionDays: 90 });
    for (const r of h.replies) rec.onReply(r.msg, r.reply);
    rec.close();
    usage.close();
    const db = new Database(join(dataDir, 'bot.db'), { readonly: true });
    const rows = db.prepare(`SELECT channel, kind, entry_id AS entryId, question FROM feedback ORDER BY id`).all();
    db.close();
    expect(rows).toEqual([
      { channel: 'telegram', kind: 'down', entryId: 'kich-hoat-thoi-han', question: 'bao lau phai kich hoat' },
      { channel: 'telegram', kind: 'up', entryId: id, question: null },
    ]);
  });

  it('a typed question right after an answer is answered normally (feedback never blocks)', async () => {
    h = await startHarness('polling');
    await h.channel.start();
    await h.deliver(text('bao lau phai kich hoat'));
    await h.api.waitFor(() => h.api.of('sendMessage', CHAT)[0], 5000, 'the answer');
    await h.deliver(text('ma otp kich hoat khong ve'));
    await h.api.waitFor(() => h.replies.length === 2 && h.replies, 5000, 'the second answer');
    expect(h.replies[1].reply).toMatchObject({ kind: 'answer', entryId: 'kich-hoat-otp' });
    expect(h.replies[1].reply.vote).toBeUndefined();
  });
});
