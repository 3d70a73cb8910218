// A vote made with a Telegram button (👍/👎 under an answer, src/feedback/): what the channel does besides the
// engine's reply. The pressed button shows a short notice ("Đã ghi nhận…"), and the vote row of that message is
// replaced by one "✓ Đã ghi nhận: 👍 Đúng ý" button, so the resident sees that the vote counted and cannot vote
// again from it; the message's other buttons (links, suggestions) stay as they were. Pure: the channel makes the calls.
import { FEEDBACK_BUTTON_TEXT, FEEDBACK_DONE_PAYLOAD, FEEDBACK_TEXT, parseFeedbackPayload } from '../../feedback/protocol.js';
import type { InlineButton } from './adapter.js';

/** answerCallbackQuery's `text` limit, characters. */
const NOTICE_MAX = 200;
/** The replacing button's label, characters (as the adapter's buttons). */
const LABEL_MAX = 120;

export interface VoteTexts {
  /** The notice on the pressed button. */
  ack: string;
  /** The replacing button; {vote} is the label pressed. */
  voted: string;
  /** The vote labels, when the pressed button is not found in the message's keyboard. */
  up: string;
  down: string;
}

/** The live texts: content/messages.yaml's feedback_ack, feedback_voted, feedback_up, feedback_down, or the defaults. */
export function voteTexts(messages: Record<string, string | undefined>): VoteTexts {
  const pick = (key: string, fallback: string) => messages[key]?.trim() || fallback;
  return {
    ack: cut(pick('feedback_ack', FEEDBACK_BUTTON_TEXT.ack), NOTICE_MAX),
    voted: pick('feedback_voted', FEEDBACK_BUTTON_TEXT.voted),
    up: pick('feedback_up', FEEDBACK_TEXT.up),
    down: pick('feedback_down', FEEDBACK_TEXT.down),
  };
}

/** What a pressed button's data is: a vote ("f:+:<id>"), the "recorded" button, or anything else (undefined). */
export function voteButton(data: string): 'vote' | 'done' | undefined {
  if (data === FEEDBACK_DONE_PAYLOAD) return 'done';
  return parseFeedbackPayload(data) ? 'vote' : undefined;
}

const isVote = (b: InlineButton) => typeof b.callback_data === 'string' && parseFeedbackPayload(b.callback_data) !== undefined;

/**
 * The message's keyboard after the vote `counted` (a vote payload): its 👍/👎 buttons give way to one "recorded"
 * button naming that vote, in the row where they were; every other button and row is kept as it was. With `counted`
 * undefined (the engine had this answer rated already), the 👍/👎 buttons simply go. Undefined when the keyboard has
 * no vote button (nothing to change: already replaced).
 */
export function votedKeyboard(keyboard: InlineButton[][], counted: string | undefined, texts: VoteTexts): InlineButton[][] | undefined {
  if (!keyboard.some((row) => Array.isArray(row) && row.some(isVote))) return undefined;
  let done: InlineButton | undefined;
  if (counted !== undefined) {
    const v = parseFeedbackPayload(counted);
    const label = keyboard.flat().find((b) => b.callback_data === counted)?.text ?? (v?.vote === 'down' ? texts.down : texts.up);
    done = { text: cut(texts.voted.replace(/\{vote\}/g, label).replace(/\s+/g, ' ').trim() || '✓', LABEL_MAX), callback_data: FEEDBACK_DONE_PAYLOAD };
  }
  const out: InlineButton[][] = [];
  for (const row of keyboard) {
    if (!Array.isArray(row) || !row.some(isVote)) {
      out.push(row);
      continue;
    }
    const rest = row.filter((b) => !isVote(b));
    if (done) rest.push(done);
    done = undefined; // placed once
    if (rest.length) out.push(rest);
  }
  return out;
}

function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}
