// A small, professional small-talk set. A message counts as small talk only when it is nothing but
// small talk ("chào ad", "cảm ơn nhiều"); "chào ad, đăng ký mức 2 ở đâu" is a question.
import type { MessageKey } from '../content/types.js';
import { fold } from '../text/fold.js';

type SmalltalkKey = Extract<MessageKey, `smalltalk_${string}`>;

// Patterns on the folded text (no diacritics), anchored to the whole message.
const ADDRESS = '(?:\\s+(?:ad|admin|ban|bot|em|anh|chi|a|c|e|nhe|nha|a|ah|nhieu|lam|nhe|shop|oi|ui))*';
// "ad ơi", "admin ơi", "bạn ơi ạ": calling someone, alone, is the commonest first message: a greeting.
const CALL = '(?:a\\s+)?(?:ad|admin|ban|bot|em|shop|anh\\s+chi|anh|chi|co|chu)\\s+(?:oi|ui)';
const PATTERNS: [SmalltalkKey, RegExp][] = [
  ['smalltalk_thanks', new RegExp(`^(?:ok\\s+|oke\\s+|vang\\s+|da\\s+)?(?:xin\\s+)?(?:cam\\s*on|cam\\s*ong|thank(?:s| you)?|tks|thanks|tk\\s+u|camon)${ADDRESS}$`)],
  ['smalltalk_bye', new RegExp(`^(?:tam\\s+biet|bye(?:\\s+bye)?|bai\\s+bai|goodbye|hen\\s+gap\\s+lai|chao\\s+tam\\s+biet)${ADDRESS}$`)],
  ['smalltalk_human', /^(?:ban|bot|ad|em|day)?\s*(?:co\s+phai\s+(?:la\s+)?)?(?:nguoi\s+that|nguoi\s+hay\s+(?:may|bot|robot)|robot|may\s+hay\s+nguoi|bot\s+hay\s+nguoi)(?:\s+(?:khong|ko|k|a|vay|the|ha|hay\s+khong))*$/],
  ['smalltalk_who', /^(?:ban|bot|em|day|may|ad)?\s*(?:la\s+ai|la\s+gi|ten\s+(?:gi|la\s+gi)|la\s+ai\s+vay|ai\s+vay|ai\s+day)(?:\s+(?:vay|the|a|ha))*$/],
  ['smalltalk_hello', new RegExp(`^(?:(?:xin\\s+)?(?:chao|hello|hi|helo|alo|alo\\s+alo|hey)|${CALL})${ADDRESS}$`)],
];

/** The small-talk message key for a whole message, or undefined when it is not pure small talk. */
export function smalltalkKey(text: string): SmalltalkKey | undefined {
  const f = fold(text);
  if (!f || f.length > 60) return undefined;
  for (const [key, re] of PATTERNS) if (re.test(f)) return key;
  return undefined;
}
