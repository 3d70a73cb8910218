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
import { clauses, questionParts } from './clauses.js';
import { MATCH_CONFIG, type MatchConfig } from './config.js';
import { NO_OPINION, opinion, type Opinion } from './combine.js';
import { certain, decide } from './decide.js';
import { buildLexical, type LexicalScore } from './lexical.js';
import { trainNgram, type NgramModel } from './ngram.js';
import { normalizeTokens } from './normalize.js';
import { buildScope } from './scope.js';
import type { Matcher, MatchResult } from './types.js';

export { MATCH_CONFIG, type MatchConfig } from './config.js';
export { normalize, normalizeTokens } from './normalize.js';
export { clauses, questionParts } from './clauses.js';
export { decide, type Evidence } from './decide.js';
export type * from './types.js';

/** Details of one match, for `ask --debug`, the bench and the tuning harness. */
export interface MatchTrace extends MatchResult, Omit<LexicalScore, 'candidates' | 'normalized'> {
  /** The n-gram classifier's opinion on the lexical ranking. */
  opinion: Opinion;
}

/** Trained models by content version and training options: reloads and tests of the same content reuse one. */
const models = new Map<string, NgramModel>();

/** Trains the n-gram classifier on every entry's questions (weight 1) and keywords. */
export function trainModel(content: Content, config: Readonly<MatchConfig>): NgramModel {
  const key = `${content.version}:${JSON.stringify(config.ngram)}`;
  const hit = models.get(key);
  if (hit) return hit;
  const examples = content.entries.flatMap((e, label) => [
    ...e.questions.map((q) => ({ tokens: normalizeTokens(q, content.synonyms), label })),
    ...e.keywords.map((k) => ({ tokens: normalizeTokens(k, content.synonyms), label, weight: config.ngram.keywordWeight })),
  ]);
  const model = trainNgram(examples, content.entries.length, config.ngram);
  if (models.size >= 4) models.delete(models.keys().next().value as string);
  models.set(key, model);
  return model;
}

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
  // The classifier's training cost grows with examples × entries (a softmax over every entry per example):
  // beyond `ngram.maxCost` (a FAQ far larger than any ward's) the lexical ranker decides alone.
  const examples = content.entries.reduce((n, e) => n + e.questions.length + e.keywords.length, 0);
  const model = content.entries.length && examples * content.entries.length <= config.ngram.maxCost ? trainModel(content, config) : undefined;
  const scope = buildScope(content);

  function traceOne(text: string, limit = config.limit): MatchTrace {
    const raw = normalizeTokens(text, syn);
    const tokens = lexical.correct(raw);
    const lex = lexical.score(tokens, limit);
    if (!lex.candidates.length) return { ...lex, decision: 'fallback', opinion: NO_OPINION };
    const op = opinion(lex, model, lexical.entryIndex);
    const ev = { anchored: lex.anchored, foreign: lex.foreign.length, subjectless: lex.subjectless, swapped: lex.swapped, agree: op.agree, pTop: op.pTop, tokens: tokens.length };
    const decision = decide(lex.s1, lex.s2, lex.domain, config, ev);
    const result: MatchTrace = { ...lex, decision, opinion: op };
    // A near-domain subject (passport, driving licence…) named without e-ID/VNeID: out of scope, unless the
    // answered entry itself is about that subject.
    // Before typo correction too: "vssid" is another app, not a typo of "vneid".
    const hits = config.scopeGate ? (scope.findAll(raw).length ? scope.findAll(raw) : scope.findAll(tokens)) : [];
    const best = lexical.entryIndex(lex.candidates[0].id);
    // The subject named that the best entry does not talk about (the first one when it talks about none).
    const hit = hits.find((h) => !scope.entryUses(best, h.phrase)) ?? (decision === 'answer' && lex.s1 <= config.scopeExemptMax ? undefined : hits[0]);
    if (hit) {
      result.decision = 'out-of-scope';
      result.scope = { id: hit.id, name: hit.name };
      return result;
    }
    if (decision === 'answer' && !certain(lex.s1, lex.s2, config, ev)) {
      const band = config.alternativeBand * (1 - lex.s1);
      result.alternatives = lex.candidates.slice(1).filter((c) => c.score - lex.s1 <= band);
    }
    return result;
  }

  /**
   * A long message (a story, then the question; or a quoted in-app message) scores low on every entry
   * because most of its words are context. Each run of its clauses is matched too; a run whose best entry
   * is answered (same safety rules: domain gate, anchors, foreign words) and is among the whole message's
   * candidates wins over a whole message that only suggests — the context must still point at that entry.
   */
  function trace(text: string, limit = config.limit): MatchTrace {
    const whole = traceOne(text, limit);
    if (whole.decision === 'out-of-scope') return whole;
    // Two questions in one message ("… có được không? Thủ tục thế nào?"): each part is matched alone; two
    // parts answered with two different entries are both answered, the first one first.
    const asked = config.multiPart ? questionParts(text) : [];
    if (asked.length >= 2) {
      const traces = asked.map((p) => traceOne(p, limit));
      const first = traces.find((t) => t.decision === 'answer');
      const wholeTop = whole.decision === 'answer' ? whole.candidates[0]?.id : undefined;
      // The second part is answered alone, or only suggested alone while the whole message answers its entry.
      // Parts cut without a question mark (at a comma, before "còn") are less sure questions: one answered part
      // alone does not replace the whole message (its context clause would decide)…
      const marked = questionParts(text, false).length >= asked.length;
      const second = traces.find(
        (t) =>
          t !== first &&
          t.candidates[0] !== undefined &&
          t.candidates[0].id !== first?.candidates[0].id &&
          (t.decision === 'answer' || (t.decision === 'suggest' && t.candidates[0].id === wholeTop)),
      );
      // …and are used only when each part alone matches clearly better (clauseMargin) than the whole message.
      const better = (t: MatchTrace): boolean => t.candidates[0].score <= (whole.candidates[0]?.score ?? 1) - config.clauseMargin;
      if (first && second && (marked || (better(first) && better(second)))) {
        // In the message's order ("second" may be a part before the first answered one).
        const [a, b] = traces.indexOf(second) < traces.indexOf(first) ? [second, first] : [first, second];
        return { ...a, decision: 'answer', normalized: whole.normalized, tokens: whole.tokens, also: b.candidates[0], alternatives: undefined };
      }
      if (first && whole.decision !== 'answer' && config.partAnswer && marked) return { ...first, normalized: whole.normalized, tokens: whole.tokens };
    }
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
      const { normalized, candidates, decision, alternatives, also, scope } = trace(text, limit);
      const r: MatchResult = { normalized, candidates, decision };
      if (alternatives?.length) r.alternatives = alternatives;
      if (also) r.also = also;
      if (scope) r.scope = scope;
      return r;
    },
    trace,
  };
}
