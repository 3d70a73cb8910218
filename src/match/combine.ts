// Stage "combine": the lexical ranking and the n-gram classifier's opinion → one ranking and how far the two
// agree. Measured (bench/cv.ts, held-out folds): summing the two rankers' scores ranks worse than the lexical
// ranker alone (golden rank1 349 → 331 of 350, probe 115 → 110 of 122 at an even mix), while the two agreeing
// on the first entry is a strong sign that it is right (all 304 golden and 98 probe questions on which they
// agreed). So the lexical ranking stays, and agreement feeds the decision (decide.ts).
import type { LexicalScore } from './lexical.js';
import type { NgramModel } from './ngram.js';

export interface Opinion {
  /** The classifier's first entry is the lexical ranker's first entry. */
  agree: boolean;
  /** The classifier's probability for the lexical first entry. */
  pTop: number;
  /** The classifier's probability for the lexical second entry (0 when absent). */
  pSecond: number;
  /** The classifier's own first entry (index into content.entries), -1 without a model. */
  best: number;
}

export const NO_OPINION: Opinion = Object.freeze({ agree: false, pTop: 0, pSecond: 0, best: -1 });

export function opinion(lex: LexicalScore, model: NgramModel | undefined, entryIndex: (id: string) => number): Opinion {
  if (!model || !lex.candidates.length) return NO_OPINION;
  const p = model.probs(lex.tokens);
  let best = 0;
  for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
  const top = entryIndex(lex.candidates[0].id);
  const second = lex.candidates[1] ? entryIndex(lex.candidates[1].id) : -1;
  return { agree: best === top, pTop: top >= 0 ? p[top] : 0, pSecond: second >= 0 ? p[second] : 0, best };
}
