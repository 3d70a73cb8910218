// 👍/👎 on Telegram, end to end on the fake Bot API: the buttons under an answer (callback data ≤ 64 bytes),
// every press answered with a short notice, the vote row replaced by one "recorded" button (the other buttons
// kept), 👎 sends the runners-up and the contact card, a second press is not counted, a failed edit never stops
// the reply, and the votes land in the evidence store (SQLite on a temp DATA_DIR).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FEEDBACK_BUTTON_TEXT, FEEDBACK_DONE_PAYLOAD, FEEDBACK_TEXT } from '../../src/feedback/protocol.js';
import { openFeedbackRecorder } from '../../src/store/feedback.js';
import { openUsageStore } from '../../src/store/usage.js';
import { buttons, fixtureContent, press, pressOn, PRIVATE, SECRET, startHarness, text, TOKEN, type Harness } from '../channels/telegram/harness.js';

type Keyboard = { text: string; callback_data?: string; url?: string }[][];
const keyboardOf = (body: Record<string, unknown>) => (body.reply_markup as { inline_keyboard: Keyboard }).inline_keyboard;

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
    const kb = keyboardOf(answer.body);
    expect(kb[kb.length - 1]).toHaveLength(2); // one row of two, last
    expect(kb.length).toBeGreaterThan(1); // the answer has other buttons too, which a vote must keep
    for (const b of bs) if (b.callback_data) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
    expect(answer.shown).toContain(FEEDBACK_TEXT.prompt);

    // Two presses made on the answer as it first showed (both carry the 👍/👎 row): 👎, then at once 👍.
    const first = pressOn(h.api, answer, 'f:-:kich-hoat-thoi-han');
    const second = pressOn(h.api, answer, 'f:+:kich-hoat-thoi-han');
    const sentBefore = h.api.of('sendMessage', CHAT).length;
    await h.deliver(first);
    const sorry = await h.api.waitFor(() => h.api.of('sendMessage', CHAT)[sentBefore], 5000, 'the 👎 reply');
    expect(sorry.shown).toContain(FEEDBACK_TEXT.sorry);
    expect(sorry.shown).toContain('1900');
    const runners = buttons(sorry.body).filter((b) => b.callback_data?.startsWith('e:'));
    expect(runners.length).toBeGreaterThan(0);
    expect(runners.map((b) => b.callback_data)).not.toContain('e:kich-hoat-thoi-han');

    // The press got its notice, and the vote row under the answer became one "recorded" button; the rest is intact.
    const notice = h.api.of('answerCallbackQuery')[0].body;
    expect(notice.text).toBe(FEEDBACK_BUTTON_TEXT.ack);
    expect(notice.callback_query_id).toBe((first.callback_query as { id: string }).id);
    const edit = await h.api.waitFor(() => h.api.of('editMessageReplyMarkup')[0], 5000, 'the edit of the answer');
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ chat_id: CHAT, message_id: answer.messageId });
    expect(keyboardOf(edit.body)).toEqual([...kb.slice(0, -1), [{ text: `✓ Đã ghi nhận: ${FEEDBACK_TEXT.down}`, callback_data: FEEDBACK_DONE_PAYLOAD }]]);
    expect(h.api.message(CHAT, answer.messageId!).reply_markup).toEqual(edit.body.reply_markup);

    // The second press: the notice again, no second reply, no second vote, the button still names the 👎 counted.
    await h.deliver(second);
    await h.api.waitFor(() => h.logs.some((l) => l.includes('second vote on the same answer ignored')), 5000, 'the second press handled');
    expect(h.api.of('answerCallbackQuery').map((c) => c.body.text)).toEqual([FEEDBACK_BUTTON_TEXT.ack, FEEDBACK_BUTTON_TEXT.ack]);
    // Its edit was tried again (with the vote counted) and refused as "not modified": quietly ignored.
    await h.api.waitFor(() => h.api.of('editMessageReplyMarkup')[1], 5000, 'the repeated edit');
    expect(h.api.of('editMessageReplyMarkup')[1].status).toBe(400);
    expect(h.api.message(CHAT, answer.messageId!).reply_markup).toEqual(edit.body.reply_markup);
    // The "recorded" button only shows the notice.
    await h.deliver(pressOn(h.api, answer, FEEDBACK_DONE_PAYLOAD));
    await h.api.waitFor(() => h.api.of('answerCallbackQuery').length === 3, 5000, 'the recorded button answered');
    expect(h.api.of('answerCallbackQuery')[2].body.text).toBe(FEEDBACK_BUTTON_TEXT.ack);
    // A press the channel cannot tie to a message (no longer accessible): the engine's own list stops a second vote.
    await h.deliver(press('f:+:kich-hoat-thoi-han'));
    const again = await h.api.waitFor(() => h.api.of('sendMessage', CHAT)[sentBefore + 1], 5000, 'the already-rated reply');
    expect(again.shown).toContain(FEEDBACK_TEXT.already);
    expect(h.replies.filter((r) => r.reply.vote)).toHaveLength(1);

    // 👍 from the list of runners-up after opening one of them.
    await h.deliver(pressOn(h.api, sorry, runners[0].callback_data!));
    const opened = await h.api.waitFor(() => h.api.of('sendMessage', CHAT)[sentBefore + 2], 5000, 'the runner-up answer');
    const id = runners[0].callback_data!.slice(2);
    await h.deliver(pressOn(h.api, opened, `f:+:${id}`));
    const thanks = await h.api.waitFor(() => h.api.of('sendMessage', CHAT)[sentBefore + 3], 5000, 'the 👍 reply');
    expect(thanks.shown).toContain(FEEDBACK_TEXT.thanks);
    const edited = () => h.api.of('editMessageReplyMarkup').filter((c) => c.status === 200);
    await h.api.waitFor(() => edited().length === 2, 5000, 'the second edit');
    expect(edited()[1].body.message_id).toBe(opened.messageId);
    expect(keyboardOf(edited()[1].body).at(-1)).toEqual([{ text: `✓ Đã ghi nhận: ${FEEDBACK_TEXT.up}`, callback_data: FEEDBACK_DONE_PAYLOAD }]);
    expect(h.api.of('answerCallbackQuery')).toHaveLength(6);
    expect(h.api.of('sendMessage', CHAT)).toHaveLength(sentBefore + 4); // nothing for the second press nor the recorded button

    // The same question again: a new answer with 👍/👎; a press there is not counted (this answer was rated), and its
    // vote row goes without a "recorded" button (the other buttons stay).
    await h.deliver(text('bao lau phai kich hoat'));
    const answer2 = await h.api.waitFor(() => h.api.of('sendMessage', CHAT)[sentBefore + 4], 5000, 'the answer again');
    await h.deliver(pressOn(h.api, answer2, 'f:+:kich-hoat-thoi-han'));
    const already = await h.api.waitFor(() => h.api.of('sendMessage', CHAT)[sentBefore + 5], 5000, 'the already-rated reply');
    expect(already.shown).toContain(FEEDBACK_TEXT.already);
    await h.api.waitFor(() => edited().length === 3, 5000, 'the third edit');
    expect(edited()[2].body.message_id).toBe(answer2.messageId);
    expect(keyboardOf(edited()[2].body)).toEqual(keyboardOf(answer2.body).slice(0, -1));

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

  it('a failed edit of the buttons never stops the reply, logs no token; the texts come from messages.yaml', async () => {
    h = await startHarness('webhook');
    await h.channel.start();
    const base = fixtureContent();
    h.setContent({ ...base, messages: { ...base.messages, feedback_ack: 'Đã nhận góp ý!', feedback_voted: 'Bạn đã chọn {vote}' } });
    await h.deliver(text('bao lau phai kich hoat'));
    const answer = await h.api.waitFor(() => h.api.of('sendMessage', CHAT)[0], 5000, 'the answer');

    // The network drops the edit: the 👍 reply still goes out, and the notice uses the reworded text.
    h.api.failNext('editMessageReplyMarkup', { kind: 'network' });
    await h.deliver(pressOn(h.api, answer, 'f:+:kich-hoat-thoi-han'));
    const thanks = await h.api.waitFor(() => h.api.of('sendMessage', CHAT)[1], 5000, 'the 👍 reply');
    expect(thanks.shown).toContain(FEEDBACK_TEXT.thanks);
    expect(h.api.of('answerCallbackQuery')[0].body.text).toBe('Đã nhận góp ý!');
    await h.api.waitFor(() => h.logs.some((l) => l.includes('vote buttons not replaced')), 5000, 'the failed edit logged');
    expect(h.api.of('editMessageReplyMarkup')).toHaveLength(1); // one attempt: cosmetic, never retried into the next reply

    // A 👎 press on that message (still showing 👍/👎): notice, edit tried again (now it works) naming the 👍 that
    // counted, no second vote.
    await h.deliver(pressOn(h.api, answer, 'f:-:kich-hoat-thoi-han'));
    const edit = await h.api.waitFor(() => h.api.of('editMessageReplyMarkup').find((c) => c.status === 200), 5000, 'the edit');
    expect(keyboardOf(edit.body).at(-1)).toEqual([{ text: `Bạn đã chọn ${FEEDBACK_TEXT.up}`, callback_data: FEEDBACK_DONE_PAYLOAD }]);

    // Telegram refuses the edit (message gone): logged, the reply still goes out.
    await h.deliver(text('ma otp kich hoat khong ve'));
    const otp = await h.api.waitFor(() => h.api.of('sendMessage', CHAT)[2], 5000, 'the next answer');
    const entry = h.replies.at(-1)!.reply.entryId!;
    const gone = pressOn(h.api, otp, `f:+:${entry}`);
    (gone.callback_query as { message: { message_id: number } }).message.message_id = 9_999;
    await h.deliver(gone);
    await h.api.waitFor(() => h.api.of('sendMessage', CHAT)[3], 5000, 'the reply despite the refused edit');
    await h.api.waitFor(() => h.api.of('editMessageReplyMarkup').some((c) => c.status === 400), 5000, 'the refused edit');
    expect(h.replies.filter((r) => r.reply.vote).map((r) => r.reply.vote)).toEqual([
      { entryId: 'kich-hoat-thoi-han', vote: 'up' },
      { entryId: entry, vote: 'up' },
    ]);
    await h.api.waitFor(() => h.logs.filter((l) => l.includes('vote buttons not replaced')).length === 2, 5000, 'both failures logged');
    const logs = h.logs.join('\n');
    expect(logs).not.toContain(TOKEN.split(':')[1]);
    expect(logs).not.toContain(SECRET);
  });

  it('an edit Telegram never answers does not hold the resident\'s next reply', async () => {
    h = await startHarness('webhook', { requestTimeoutMs: 3000 });
    await h.channel.start();
    await h.deliver(text('bao lau phai kich hoat'));
    const answer = await h.api.waitFor(() => h.api.of('sendMessage', CHAT)[0], 5000, 'the answer');
    h.api.failNext('editMessageReplyMarkup', { kind: 'hang' });
    await h.deliver(pressOn(h.api, answer, 'f:+:kich-hoat-thoi-han'));
    await h.api.waitFor(() => h.api.of('sendMessage', CHAT)[1], 5000, 'the 👍 reply');
    await h.deliver(text('ma otp kich hoat khong ve'));
    await h.api.waitFor(() => h.api.of('sendMessage', CHAT)[2], 5000, 'the next answer');
    // The next reply went out while the edit was still waiting (given up only after requestTimeoutMs).
    expect(h.api.of('editMessageReplyMarkup')).toHaveLength(1);
    expect(h.logs.some((l) => l.includes('vote buttons not replaced'))).toBe(false);
    await h.api.waitFor(() => h.logs.some((l) => l.includes('vote buttons not replaced')), 6000, 'the edit given up');
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
