// Stage "clauses": where a resident's message splits into clauses (a story, then the question; two questions).

/**
 * The clauses of a message: split at punctuation and before the words that open a new clause in a
 * resident's story ("mà", "nhưng", "giờ", "thì"); at most 8 (the rest stays in the last one).
 */
export function clauses(text: string): string[] {
  const parts = text
    .split(/[.,;:!?…\n()"“”]+|\s+(?=(?:mà|nhưng|giờ|thì)\s)/iu)
    .map((p) => p.trim())
    .filter((p) => /\p{L}/u.test(p));
  if (parts.length > 8) parts.splice(7, parts.length - 7, parts.slice(7).join(' '));
  return parts;
}


/**
 * The questions of a message that asks more than one: split after each question mark and before the words
 * that add a second question ("với lại", "thêm nữa", "cho hỏi thêm"); then, without a question mark, at a
 * comma or before "còn" when both sides are questions ("đổi số ở đâu ạ, mà 1 số dùng cho 2 người được
 * không", "mức 2 làm thế nào còn mức 1 thì sao") — see `asksQuestion`. Parts without at least two words are
 * dropped; at most 4 parts. `unmarked` false: question marks and connector words only.
 */
export function questionParts(text: string, unmarked = true): string[] {
  const parts = text
    .split(/[?？]+|\s+(?=(?:với lại|với cả|thêm nữa|cho (?:em |tôi |mình |cháu |con )?hỏi thêm|còn nữa)\s)/iu)
    .flatMap((p) => (unmarked ? splitUnmarked(p) : [p]))
    .map((p) => p.trim())
    .filter((p) => (p.match(/\p{L}+/gu) ?? []).length >= 2);
  return parts.slice(0, 4);
}

// Question forms a clause ends with ("… ở đâu ạ", "… được không vậy ad") or starts with ("làm sao …",
// "cho em hỏi …"). Written with diacritics, and folded for messages typed without any (where "may" and
// "hong" are left out: they are also "máy" and "hỏng").
const PARTICLES = String.raw`(?:\s+(?:ạ|à|ah|ak|vậy|vay|thế|nhỉ|nhé|hả|hở|ad|ơi|bạn|bác|anh|chị|em|hen|luôn|nữa|đó|ấy|a|nhi|nhe|ha|oi|ban|chi|do|ay|luon|nua))*`;
const ENDS = new RegExp(String.raw`(?:^|\s)(?:không|ko|k|hông|hok|chưa|gì|nào|đâu|sao|bao nhiêu|bao lâu|bao giờ|mấy|thế nào|như nào|ra sao|chứ)${PARTICLES}$`, 'u');
const ENDS_FOLDED = new RegExp(String.raw`(?:^|\s)(?:khong|ko|k|kg|chua|gi|nao|dau|sao|bao nhieu|bao lau|bao gio|the nao|nhu nao|ra sao)${PARTICLES}$`);
const STARTS = /^(?:(?:mà|còn|với|và|rồi|thế|vậy|thì)\s+)*(?:làm sao|làm thế nào|tại sao|vì sao|sao|bao giờ|bao lâu|ở đâu|khi nào|cho (?:em |tôi |mình |cháu |con |bác )?hỏi)(?:\s|$)/u;
const STARTS_FOLDED = /^(?:(?:ma|con|voi|va|roi|the|vay|thi)\s+)*(?:lam sao|lam the nao|tai sao|vi sao|sao|bao gio|bao lau|o dau|khi nao|cho (?:em |toi |minh |chau |con |bac )?hoi)(?:\s|$)/;

/** Whether a clause reads as a question: it ends with a question form, or starts with one. */
export function asksQuestion(clause: string): boolean {
  const s = clause
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  if (!s) return false;
  if (/[^\x00-\x7f]/.test(s)) return ENDS.test(s) || STARTS.test(s);
  return ENDS_FOLDED.test(s) || STARTS_FOLDED.test(s);
}

// A question word inside a clause ("còn công an xã làm việc mấy giờ"): enough for the second side of a cut
// once the first side is a question.
const ASKS = /(?:^|\s)(?:ở đâu|chỗ nào|bao nhiêu|bao lâu|bao giờ|mấy|thế nào|như nào|làm sao|tại sao|vì sao|là gì|khi nào|lúc nào)(?:\s|$)/u;
const ASKS_FOLDED = /(?:^|\s)(?:o dau|cho nao|bao nhieu|bao lau|bao gio|the nao|nhu nao|lam sao|tai sao|vi sao|la gi|khi nao|luc nao)(?:\s|$)/;
function hasQuestionWord(clause: string): boolean {
  const s = clause
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return /[^\x00-\x7f]/.test(s) ? ASKS.test(s) : ASKS_FOLDED.test(s);
}

const words = (s: string): number => (s.match(/\p{L}+/gu) ?? []).length;

/**
 * One question-mark-free piece → its questions: a cut at a comma (or before "còn") is kept when the text
 * before it asks a question (its end, or the start of its last comma clause) in at least three words and
 * the text after it asks one too (or has a question word: "còn … mấy giờ"); the connector after the cut
 * ("mà", "còn", "với", "và", "rồi") is dropped.
 */
function splitUnmarked(piece: string): string[] {
  const segs = piece.split(/\s*[,;]\s*|\s+(?=còn\s)/u);
  if (segs.length < 2) return [piece];
  const out: string[] = [];
  let cur = segs[0];
  let last = segs[0];
  for (let i = 1; i < segs.length; i++) {
    const rest = segs.slice(i).join(', ');
    if ((asksQuestion(cur) || asksQuestion(last)) && words(cur) >= 3 && (asksQuestion(rest) || hasQuestionWord(segs[i]))) {
      out.push(cur);
      cur = segs[i].replace(/^(?:mà|còn|với|và|rồi|ma|con|voi|va|roi)\s+/iu, '');
    } else cur = `${cur}, ${segs[i]}`;
    last = segs[i];
  }
  out.push(cur);
  return out.length > 1 ? out : [piece];
}
