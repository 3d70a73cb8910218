// The FAQ matcher: a resident's text → ranked entries → a decision. A pipeline of small stages, one file each:
//
//   normalize.ts  fold diacritics, chat abbreviations, synonyms, polite openers  → tokens
//   typo.ts       unknown words → the FAQ word they most likely are              → tokens
//   features.ts   words, word pairs, number slots
//   lexical.ts    ranker 1: IDF-weighted coverage over questions and keywords, plus the evidence (domain,
//                 anchors, foreign words, subject, places)
//   ngram.ts      ranker 2: a linear classifier over word and char n-grams, trained at build time
//   combine.ts    the two rankers → one ranking and how much they agree
//   decide.ts     answer | suggest | fallback, from scores, agreement and evidence
//   clauses.ts    long messages: the question clause; two questions in one message
//   scope.ts      near-domain questions (passport, driving licence, …) → out-of-scope
//
// Every number is in config.ts with the measurement behind it. The index is built once per content version;
// `match` is synchronous. See ARCHITECTURE.md for how to add or swap a stage.
import type { Content } from '../content/types.js';
import { clauses } from './clauses.js';
import { MATCH_CONFIG, type MatchConfig } from './config.js';
import { decide } from './decide.js';
import { buildLexical, type LexicalScore } from './lexical.js';
import { normalizeTokens } from './normalize.js';
import type { Matcher, MatchResult } from './types.js';

export { MATCH_CONFIG, type MatchConfig } from './config.js';
export { normalize, normalizeTokens } from './normalize.js';
export { clauses } from './clauses.js';
export { decide, type Evidence } from './decide.js';
export type * from './types.js';

/** Details of one match, for `ask --debug`, the bench and the tuning harness. */
export interface MatchTrace extends MatchResult, Omit<LexicalScore, 'candidates' | 'normalized'> {}

export interface TracingMatcher extends Matcher {
  trace(text: string, limit?: number): MatchTrace;
}

/** One index per loaded content (the engine, the playground and every channel share it). */
const built = new WeakMap<Content, TracingMatcher>();

/**
 * The matcher for a content version. With the default config the index is built once per Content object
 * and shared; a custom config (tuning) always builds a fresh one.
 */
export function createMatcher(content: Content, config: Readonly<MatchConfig> = MATCH_CONFIG): TracingMatcher {
  if (config !== MATCH_CONFIG) return build(content, config);
  let m = built.get(content);
  if (!m) built.set(content, (m = build(content, config)));
  return m;
}

function build(content: Content, config: Readonly<MatchConfig>): TracingMatcher {
  const syn = content.synonyms;
  const lexical = buildLexical(content, config);

  function traceOne(text: string, limit = config.limit): MatchTrace {
    const tokens = lexical.correct(normalizeTokens(text, syn));
    const lex = lexical.score(tokens, limit);
    const decision = lex.candidates.length
      ? decide(lex.s1, lex.s2, lex.domain, config, { anchored: lex.anchored, foreign: lex.foreign.length, subjectless: lex.subjectless, swapped: lex.swapped })
      : 'fallback';
    return { ...lex, decision };
  }

  /**
   * A long message (a story, then the question; or a quoted in-app message) scores low on every entry
   * because most of its words are context. Each run of its clauses is matched too; a run whose best entry
   * is answered (same safety rules: domain gate, anchors, foreign words) and is among the whole message's
   * candidates wins over a whole message that only suggests — the context must still point at that entry.
   */
  function trace(text: string, limit = config.limit): MatchTrace {
    const whole = traceOne(text, limit);
    if (config.clauseMinTokens <= 0 || whole.decision !== 'suggest' || whole.tokens.length < config.clauseMinTokens) return whole;
    const parts = clauses(text);
    if (parts.length < 2) return whole;
    const agree = new Set(whole.candidates.slice(0, config.clauseAgree).map((c) => c.id));
    let best: MatchTrace | undefined;
    const s1 = whole.candidates[0].score;
    for (let i = 1; i < parts.length; i++) {
      const t = traceOne(parts.slice(i).join(' '), limit);
      if (t.decision !== 'answer' || !agree.has(t.candidates[0].id) || t.candidates[0].score > s1 - config.clauseMargin) continue;
      if (!best || t.candidates[0].score < best.candidates[0].score) best = t;
    }
    return best ? { ...best, normalized: whole.normalized, tokens: whole.tokens } : whole;
  }


  return {
    version: content.version,
    match(text: string, limit?: number): MatchResult {
      const { normalized, candidates, decision } = trace(text, limit);
      return { normalized, candidates, decision };
    },
    trace,
  };
}
