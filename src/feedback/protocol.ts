// Residents' feedback on an answer (👍 "Đúng ý" / 👎 "Chưa đúng"): the payloads, the words residents type
// instead of pressing a button, and the fixed texts. The engine offers feedback on every answer as the Reply's
// own `feedback` field (never mixed into `choices`); each adapter renders it (Telegram: two inline buttons;
// Zalo and the playground: numbered lines / buttons, and the words "đúng" / "sai").
import type { Choice } from '../engine/types.js';

export type Vote = 'up' | 'down';

/** What an answer offers: the two choices and the line above them. */
export interface FeedbackOffer {
  entryId: string;
  prompt: string;
  up: Choice;
  down: Choice;
  /** For channels without buttons: the words that vote too. */
  hint: string;
}

/** The vote a reply acknowledges (recorded by the evidence store). */
export interface FeedbackVote {
  entryId: string;
  vote: Vote;
}

/**
 * Texts the feedback loop shows residents (Vietnamese, short, for a first-time smartphone user). The shipped
 * content/messages.yaml carries them (feedback_* keys) so that staff can reword them; these are the defaults for a
 * content folder that leaves them out.
 */
export const FEEDBACK_TEXT = Object.freeze({
  prompt: 'Câu trả lời có đúng ý bạn không?',
  up: '👍 Đúng ý',
  down: '👎 Chưa đúng',
  /** Zalo / terminal hint: the words work as well as the numbers. */
  wordsHint: 'Gõ "đúng" nếu đúng ý, "sai" nếu chưa đúng. Hoặc cứ gõ câu hỏi tiếp.',
  thanks: 'Cảm ơn bạn đã cho biết! Bạn cứ gõ câu hỏi tiếp nếu cần.',
  sorry: 'Xin lỗi vì câu trả lời chưa đúng ý bạn. Cảm ơn bạn đã cho biết, chúng tôi sẽ sửa lại.',
  runnersUpIntro: 'Có phải bạn muốn hỏi một trong các câu sau? Bấm hoặc gõ số để chọn:',
  already: 'Bạn đã góp ý cho câu trả lời này rồi, cảm ơn bạn! Bạn cứ gõ câu hỏi tiếp nếu cần.',
});

/**
 * Texts for a vote made with a button (Telegram): the short notice the pressed button shows ("toast", at most 200
 * characters) and the one button that replaces 👍/👎 under the rated answer ({vote}: the label pressed). Staff can
 * reword them in content/messages.yaml (feedback_ack, feedback_voted); these are the defaults.
 */
export const FEEDBACK_BUTTON_TEXT = Object.freeze({
  ack: 'Đã ghi nhận góp ý của bạn. Cảm ơn bạn!',
  voted: '✓ Đã ghi nhận: {vote}',
});

/** The payload of that replacing button: pressing it only shows the notice again, never a second vote. */
export const FEEDBACK_DONE_PAYLOAD = 'f:ok';

/** Telegram's callback_data limit, bytes. */
const MAX_PAYLOAD_BYTES = 64;
const PAYLOAD = /^f:([+-]):([a-z0-9-]{1,60})$/;

/** "f:+:<entry-id>" / "f:-:<entry-id>" (ASCII, ≤ 64 bytes since entry ids are ≤ 60 characters). */
export function feedbackPayload(vote: Vote, entryId: string): string {
  return `f:${vote === 'up' ? '+' : '-'}:${entryId}`;
}

export function parseFeedbackPayload(payload: string): FeedbackVote | undefined {
  const m = PAYLOAD.exec(payload);
  return m ? { vote: m[1] === '+' ? 'up' : 'down', entryId: m[2] } : undefined;
}

/** The offer for an answer of `entryId`, or undefined when its payload would not fit a Telegram button. */
export type FeedbackTexts = Readonly<Record<keyof typeof FEEDBACK_TEXT, string>>;

export function feedbackOffer(entryId: string, texts: FeedbackTexts = FEEDBACK_TEXT): FeedbackOffer | undefined {
  const up = feedbackPayload('up', entryId);
  const down = feedbackPayload('down', entryId);
  if (Buffer.byteLength(down) > MAX_PAYLOAD_BYTES || !PAYLOAD.test(down)) return undefined;
  return { entryId, prompt: texts.prompt, up: { label: texts.up, payload: up }, down: { label: texts.down, payload: down }, hint: texts.wordsHint };
}

// Whole-message words only (a question that merely contains "sai" is a question, not a vote).
const DOWN_WORDS = new Set([
  'sai', 'sai roi', 'chua dung', 'khong dung', 'ko dung', 'k dung', 'khong phai', 'ko phai', 'chua dung y',
  'khong dung y', 'chua dung lam', 'tra loi sai', 'chua', 'khong', 'ko', '👎', '👎 chua dung',
]);
const UP_WORDS = new Set(['dung', 'dung roi', 'dung y', 'dung vay', 'chinh xac', 'ok', 'oke', 'okay', 'ung', '👍', '👍 dung y']);

/** Folds Vietnamese to plain ASCII words for the vote words ("Chưa đúng!" → "chua dung"). */
function foldWords(raw: string): string {
  return raw
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/[.,!?;:"'()]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A message that is only a vote word ("sai", "chưa đúng", "đúng rồi", 👍) → the vote, else undefined. */
export function feedbackWord(raw: string): Vote | undefined {
  if (raw.length > 30) return undefined;
  const w = foldWords(raw);
  if (DOWN_WORDS.has(w)) return 'down';
  if (UP_WORDS.has(w)) return 'up';
  return undefined;
}
