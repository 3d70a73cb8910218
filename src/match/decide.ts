// Stage "decide": from the ranked candidates and the evidence to what the resident gets — answer, suggest
// or fallback. Every number comes from config.ts.
import type { MatchConfig } from './config.js';
import type { Decision } from './types.js';

/** What the decision knows beyond the scores (see MatchTrace). */
export interface Evidence {
  /** The best entry shares one of the question's anchors. */
  anchored: boolean;
  /** How many of the question's words the FAQ never uses. */
  foreign: number;
  /** The question names no anchor while most questions of the best entry do. */
  subjectless?: boolean;
  /** Rare words of the question missing from its best-matching question (a swapped subject). */
  swapped?: number;
  /** The n-gram classifier ranks the same entry first (combine.ts). */
  agree?: boolean;
  /** The classifier's probability for the best entry. */
  pTop?: number;
  /** Tokens of the question (after normalisation). */
  tokens?: number;
}

/**
 * The decision from the best two scores (0 = perfect), the domain share and, when given, the evidence:
 * an anchored, clearly leading entry overrides the domain gate (a chatty message with a typo); an entry
 * sharing no anchor is answered only when it scores at most `unanchoredAnswerMax` and the question has no
 * foreign word (another app, another procedure) — otherwise it is only suggested.
 */
export function decide(s1: number, s2: number, domain: number, c: Readonly<MatchConfig>, ev?: Evidence): Decision {
  // The gap is relative to the best similarity: a long, rambling question scores lower on every entry,
  // so what matters is how far ahead the best entry is compared with its own strength.
  const gap = (s2 - s1) / Math.max(1 - s1, 1e-9);
  if (domain < c.domainMin && !(ev?.anchored && s1 <= c.answerMax && gap >= c.gateOverrideGap)) return 'fallback';
  // A near-perfect match needs only a small lead, but never a tie (a keyword shared by two entries).
  // A second, independent ranker agreeing on the best entry lets a less clear lead be answered.
  // A classifier sure of the same entry (agreeStrongP) answers a near tie too — never an exact tie.
  const agreed =
    !!ev?.agree &&
    (ev.tokens ?? Infinity) >= c.agreeMinTokens &&
    s1 <= c.agreeAnswerMax &&
    (((ev.pTop ?? 0) >= c.agreeMinP && gap >= c.agreeGap) || ((ev.pTop ?? 0) >= c.agreeStrongP && gap >= c.answerSureGap));
  const clear = (s1 <= c.answerSure && gap >= c.answerSureGap) || (s1 <= c.answerMax && gap >= c.answerGap) || agreed;
  if (clear && (!ev || ev.anchored || (ev.foreign === 0 && (!ev.subjectless || (s1 <= c.subjectlessAnswerMax && !ev.swapped)) && s1 <= c.unanchoredAnswerMax))) return 'answer';
  if (s1 <= c.suggestMax) return 'suggest';
  return 'fallback';
}


/**
 * An answer is certain when it is near-perfect or both rankers agree with a clear lead; otherwise the engine
 * answers and also offers the close runners-up ("Hoặc bạn muốn hỏi: …").
 */
export function certain(s1: number, s2: number, c: Readonly<MatchConfig>, ev?: Evidence): boolean {
  const gap = (s2 - s1) / Math.max(1 - s1, 1e-9);
  return (s1 <= c.answerSure && gap >= c.certainGap) || (!!ev?.agree && gap >= c.certainGap);
}
