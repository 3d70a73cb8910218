// Stage "features": the words, word pairs and number slots of a normalised token list, shared by the
// lexical ranker (lexical.ts) and the typo corrector (typo.ts).

export const NUM = /^\d+$/;

/**
 * The features of a token list: its words, and its word pairs, because Vietnamese meaning lives in
 * compounds ("tai khoan", "kich hoat"). A number next to a word also yields a "slot" pair with the number
 * replaced by "#": "8 tuoi" → "# tuoi", "muc 2" → "muc #", so that "con 8 tuổi" meets "dưới 14 tuổi".
 */
export function features(tokens: string[]): string[] {
  const out = new Set<string>(tokens);
  for (let i = 0; i + 1 < tokens.length; i++) {
    const a = tokens[i];
    const b = tokens[i + 1];
    out.add(`${a} ${b}`);
    const na = NUM.test(a);
    const nb = NUM.test(b);
    if (na && !nb) out.add(`# ${b}`);
    if (nb && !na) out.add(`${a} #`);
  }
  return [...out];
}

/**
 * Label slots with their numbers: ["muc #", "2"], ["nghi dinh #"…]. In Vietnamese a number AFTER a noun is a
 * label ("mức 2", "nghị định 69": another number is another thing), a number BEFORE it is a quantity
 * ("7 ngày", "6 tuổi": "8 tuổi" still fits "dưới 14 tuổi"), so only labels can contradict.
 */
export function slots(tokens: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const a = tokens[i];
    const b = tokens[i + 1];
    if (NUM.test(b) && !NUM.test(a)) out.push([`${a} #`, b]);
  }
  return out;
}

export const isPair = (f: string): boolean => f.includes(' ');

