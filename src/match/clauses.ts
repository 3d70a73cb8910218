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
 * that add a second question ("với lại", "thêm nữa", "cho hỏi thêm"). Parts without at least two words are
 * dropped; at most 4 parts.
 */
export function questionParts(text: string): string[] {
  const parts = text
    .split(/[?？]+|\s+(?=(?:với lại|với cả|thêm nữa|cho (?:em |tôi |mình |cháu |con )?hỏi thêm|còn nữa)\s)/iu)
    .map((p) => p.trim())
    .filter((p) => (p.match(/\p{L}+/gu) ?? []).length >= 2);
  return parts.slice(0, 4);
}
