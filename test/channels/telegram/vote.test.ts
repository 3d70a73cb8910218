// The keyboard after a 👍/👎 press (src/channels/telegram/vote.ts): the vote row gives way to one "recorded"
// button where it was (or just goes when no vote was counted), every other button is kept; texts from messages.yaml
// with the built-in defaults.
import { describe, expect, it } from 'vitest';
import { voteButton, votedKeyboard, voteTexts } from '../../../src/channels/telegram/vote.js';
import { FEEDBACK_BUTTON_TEXT, FEEDBACK_DONE_PAYLOAD, FEEDBACK_TEXT } from '../../../src/feedback/protocol.js';

const link = { text: 'Trang VNeID chính thức', url: 'https://vneid.gov.vn' };
const choice = { text: 'Không nhận được mã OTP?', callback_data: 'e:kich-hoat-otp' };
const up = { text: '👍 Đúng ý', callback_data: 'f:+:kich-hoat-thoi-han' };
const down = { text: '👎 Chưa đúng', callback_data: 'f:-:kich-hoat-thoi-han' };
const texts = voteTexts({});

describe('votedKeyboard', () => {
  it('replaces the vote row with one recorded button naming the vote, and keeps links and suggestions', () => {
    const kb = [[link], [choice], [up, down]];
    expect(votedKeyboard(kb, down.callback_data, texts)).toEqual([[link], [choice], [{ text: '✓ Đã ghi nhận: 👎 Chưa đúng', callback_data: FEEDBACK_DONE_PAYLOAD }]]);
    expect(kb).toEqual([[link], [choice], [up, down]]); // the input is not changed
  });

  it('keeps the row order when the vote row is not last, and other buttons sharing its row', () => {
    const kb = [[up, choice, down], [link]];
    expect(votedKeyboard(kb, up.callback_data, texts)).toEqual([[choice, { text: '✓ Đã ghi nhận: 👍 Đúng ý', callback_data: 'f:ok' }], [link]]);
  });

  it('only removes the vote buttons when no vote was counted (the answer was rated already)', () => {
    expect(votedKeyboard([[link], [choice], [up, down]], undefined, texts)).toEqual([[link], [choice]]);
    expect(votedKeyboard([[up, down]], undefined, texts)).toEqual([]);
  });

  it('returns undefined when the keyboard has no vote button any more (already replaced)', () => {
    const done = votedKeyboard([[link], [up, down]], up.callback_data, texts)!;
    expect(votedKeyboard(done, up.callback_data, texts)).toBeUndefined();
    expect(votedKeyboard([], up.callback_data, texts)).toBeUndefined();
  });

  it('names the vote from the texts when the pressed button is not on the message, and cuts a long label', () => {
    const other = [[{ text: 'x', callback_data: 'f:-:khac' }]];
    expect(votedKeyboard(other, 'f:+:khac', texts)![0][0].text).toBe(`✓ Đã ghi nhận: ${FEEDBACK_TEXT.up}`);
    const long = voteTexts({ feedback_voted: `${'Đã nhận '.repeat(30)}{vote}` });
    const label = votedKeyboard([[up, down]], up.callback_data, long)![0][0].text;
    expect(Array.from(label)).toHaveLength(120);
    expect(label.endsWith('…')).toBe(true);
  });
});

describe('voteTexts and voteButton', () => {
  it('uses messages.yaml when set, the defaults when empty or missing; the notice fits Telegram\'s 200 characters', () => {
    expect(voteTexts({ feedback_ack: ' Đã nhận! ', feedback_voted: '' })).toMatchObject({ ack: 'Đã nhận!', voted: FEEDBACK_BUTTON_TEXT.voted });
    expect(voteTexts({}).ack).toBe(FEEDBACK_BUTTON_TEXT.ack);
    expect(Array.from(voteTexts({ feedback_ack: 'a'.repeat(500) }).ack)).toHaveLength(200);
  });

  it('tells votes and the recorded button from other payloads', () => {
    expect(voteButton('f:+:kich-hoat-thoi-han')).toBe('vote');
    expect(voteButton('f:-:a')).toBe('vote');
    expect(voteButton(FEEDBACK_DONE_PAYLOAD)).toBe('done');
    expect(voteButton('e:kich-hoat-otp')).toBeUndefined();
    expect(voteButton('f:x:a')).toBeUndefined();
  });
});
