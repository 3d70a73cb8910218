// The FAQ matcher: a resident's text → ranked entries → answer | suggest | fallback.
//
//   normalise (normalize.ts) → correct typos against the FAQ's own vocabulary (fuse.js) → score every
//   question and keyword that shares a word or a word pair with the text (IDF-weighted coverage both
//   ways) → best per entry → decide by score bands and the gap to the second entry.
//
// The index is built once per content version; `match` is synchronous and allocation-light.
import Fuse from 'fuse.js';
import type { Content } from '../content/types.js';
import { MATCH_CONFIG, type MatchConfig } from './config.js';
import { normalizeTokens } from './normalize.js';
import type { Candidate, Decision, Matcher, MatchResult } from './types.js';

export { MATCH_CONFIG, type MatchConfig } from './config.js';
export { normalize, normalizeTokens } from './normalize.js';
export type * from './types.js';

type RecordKind = 'question' | 'keyword';

interface IndexRecord {
  /** Index into content.entries. */
  entry: number;
  kind: RecordKind;
  /** The text as written in the content (shown in debug output). */
  text: string;
  /** Total feature weight of the record. */
  total: number;
}

/** Word pairs are features too: Vietnamese meaning lives in compounds ("tai khoan", "kich hoat"). */
function features(tokens: string[]): string[] {
  const out = new Set<string>(tokens);
  for (let i = 0; i + 1 < tokens.length; i++) out.add(`${tokens[i]} ${tokens[i + 1]}`);
  return [...out];
}

const isPair = (f: string): boolean => f.includes(' ');

/** Details of one match, for `ask --debug`, the bench and the tuning harness. */
export interface MatchTrace extends MatchResult {
  /** Tokens after typo correction. */
  tokens: string[];
  /** Share of the question's word pairs that the FAQ uses anywhere (domain gate input), 0..1. */
  domain: number;
}

export interface TracingMatcher extends Matcher {
  trace(text: string, limit?: number): MatchTrace;
}

export function createMatcher(content: Content, config: Readonly<MatchConfig> = MATCH_CONFIG): TracingMatcher {
  const syn = content.synonyms;
  const entries = content.entries;
  const records: IndexRecord[] = [];
  const recordFeats: string[][] = [];

  // 1. Records and entry-level document frequency (questions and keywords only).
  const df = new Map<string, number>();
  const answerWords = new Set<string>();
  /** Every word pair the FAQ uses anywhere (questions, keywords, answers): the domain vocabulary. */
  const allPairs = new Set<string>();
  /** Per entry: every feature of its questions and keywords, and of its answer (minus those). */
  const entryFeats: Set<string>[] = [];
  const answerFeats: Set<string>[] = [];
  entries.forEach((e, ei) => {
    const seen = new Set<string>();
    const add = (kind: RecordKind, text: string): void => {
      const toks = normalizeTokens(text, syn);
      if (!toks.length) return;
      const fs = features(toks);
      records.push({ entry: ei, kind, text, total: 0 });
      recordFeats.push(fs);
      for (const f of fs) {
        seen.add(f);
        if (isPair(f)) allPairs.add(f);
      }
    };
    for (const q of e.questions) add('question', q);
    for (const k of e.keywords) add('keyword', k);
    const answerToks = normalizeTokens(e.answer, syn);
    for (const t of answerToks) answerWords.add(t);
    for (const f of features(answerToks)) if (isPair(f)) allPairs.add(f);
    for (const f of seen) df.set(f, (df.get(f) ?? 0) + 1);
    entryFeats.push(seen);
    answerFeats.push(new Set(features(answerToks).filter((f) => !seen.has(f))));
  });

  // 2. Feature weights: BM25-style IDF over entries; pairs weigh `bigramWeight` of that.
  const n = Math.max(1, entries.length);
  const idf = (d: number): number => Math.log(1 + (n - d + 0.5) / (d + 0.5));
  const maxIdf = idf(0);
  const weight = new Map<string, number>();
  for (const [f, d] of df) weight.set(f, idf(d) * (isPair(f) ? config.bigramWeight : 1));
  const queryWeight = (f: string): number => {
    const w = weight.get(f);
    if (w !== undefined) return w;
    if (isPair(f)) return maxIdf * config.unknownWeight * config.bigramWeight;
    // A word only the answers use is still domain vocabulary; a word the FAQ never uses weighs most.
    return maxIdf * (answerWords.has(f) ? config.answerOnlyWeight : config.unknownWeight);
  };

  // 3. Inverted index: feature → records.
  const postings = new Map<string, number[]>();
  records.forEach((r, ri) => {
    for (const f of recordFeats[ri]) {
      const w = weight.get(f) ?? 0;
      r.total += w;
      let list = postings.get(f);
      if (!list) postings.set(f, (list = []));
      list.push(ri);
    }
  });

  // 4. Typo correction: one small Fuse index per first letter over the FAQ's words.
  const vocab = new Set<string>();
  for (const f of df.keys()) if (!isPair(f)) vocab.add(f);
  const known = new Set<string>([...vocab, ...answerWords]);
  const byLetter = new Map<string, string[]>();
  for (const w of vocab) {
    if (w.length < config.typoMinLength - 1 || !/^[a-z]+$/.test(w)) continue;
    const list = byLetter.get(w[0]) ?? [];
    list.push(w);
    byLetter.set(w[0], list);
  }
  const fuses = new Map<string, Fuse<string>>();
  for (const [letter, words] of byLetter) fuses.set(letter, new Fuse(words, { ...config.fuse }));
  const corrections = new Map<string, string>();
  const correct = (t: string): string => {
    if (known.has(t) || t.length < config.typoMinLength || !/^[a-z]+$/.test(t)) return t;
    const hit = corrections.get(t);
    if (hit !== undefined) return hit;
    const best = fuses
      .get(t[0])
      ?.search(t, { limit: 3 })
      .find((r) => Math.abs(r.item.length - t.length) <= 1);
    const fixed = best ? best.item : t;
    if (corrections.size > 10_000) corrections.clear();
    corrections.set(t, fixed);
    return fixed;
  };

  const kindWeight: Record<RecordKind, number> = { question: 1, keyword: config.keywordWeight };

  // Entry-level postings: feature → entries using it anywhere (questions/keywords), or only in the answer.
  const entryPostings = new Map<string, number[]>();
  const answerPostings = new Map<string, number[]>();
  const post = (m: Map<string, number[]>, f: string, ei: number): void => {
    let list = m.get(f);
    if (!list) m.set(f, (list = []));
    list.push(ei);
  };
  entryFeats.forEach((fs, ei) => fs.forEach((f) => post(entryPostings, f, ei)));
  if (config.answerWeight > 0) answerFeats.forEach((fs, ei) => fs.forEach((f) => post(answerPostings, f, ei)));

  function trace(text: string, limit = config.limit): MatchTrace {
    const tokens = normalizeTokens(text, syn).map(correct);
    const normalized = tokens.join(' ');
    const none = (domain: number): MatchTrace => ({ normalized, candidates: [], decision: 'fallback', tokens, domain });
    if (!tokens.length) return none(0);

    const qf = features(tokens);
    let totalQ = 0;
    let pairs = 0;
    let knownPairs = 0;
    for (const f of qf) {
      totalQ += queryWeight(f);
      if (isPair(f)) {
        pairs += 1;
        if (allPairs.has(f)) knownPairs += 1;
      }
    }
    // Domain gate input: Vietnamese meaning lives in word pairs ("ket hon", "xe may", "thoi tiet"), so the
    // share of the question's pairs that the FAQ uses anywhere tells in-domain from out-of-domain.
    // Short questions (few pairs) are left to the score bands.
    const domain = pairs >= config.domainMinPairs ? knownPairs / pairs : 1;

    // Matched weight per record.
    const matched = new Map<number, number>();
    for (const f of qf) {
      const list = postings.get(f);
      if (!list) continue;
      const w = weight.get(f) ?? 0;
      for (const ri of list) matched.set(ri, (matched.get(ri) ?? 0) + w);
    }
    if (!matched.size) return none(domain);

    // Similarity per record → best per entry.
    const e = config.queryCoverageExp;
    const best = new Map<number, { sim: number; ri: number }>();
    for (const [ri, m] of matched) {
      const r = records[ri];
      const sim = kindWeight[r.kind] * Math.pow(m / totalQ, e) * Math.pow(m / Math.max(r.total, 1e-9), 1 - e);
      const prev = best.get(r.entry);
      if (!prev || sim > prev.sim) best.set(r.entry, { sim, ri });
    }
    // Evidence from the whole entry: the share of the question covered by all of its questions and
    // keywords (and, weighted low, its answer).
    const cover = new Map<number, number>();
    for (const f of qf) {
      const w = weight.get(f);
      if (w === undefined) continue;
      for (const ei of entryPostings.get(f) ?? []) cover.set(ei, (cover.get(ei) ?? 0) + w);
      for (const ei of answerPostings.get(f) ?? []) cover.set(ei, (cover.get(ei) ?? 0) + w * config.answerWeight);
    }
    const lambda = config.entryCoverageWeight;
    for (const [ei, b] of best) b.sim = (1 - lambda) * b.sim + lambda * Math.min(1, (cover.get(ei) ?? 0) / totalQ);
    const ranked = [...best.entries()].sort((a, b) => b[1].sim - a[1].sim || a[0] - b[0]);
    const keep = Math.max(1, limit);
    const candidates: Candidate[] = ranked.slice(0, keep).map(([ei, { sim, ri }]) => ({
      id: entries[ei].id,
      score: round(1 - Math.min(1, sim)),
      question: records[ri].text,
    }));
    const s1 = 1 - Math.min(1, ranked[0][1].sim);
    const s2 = ranked.length > 1 ? 1 - Math.min(1, ranked[1][1].sim) : 1;
    return { normalized, candidates, decision: decide(s1, s2, domain, config), tokens, domain };
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

/** The decision from the best two scores (0 = perfect) and the domain share. */
export function decide(s1: number, s2: number, domain: number, c: Readonly<MatchConfig>): Decision {
  if (domain < c.domainMin) return 'fallback';
  if (s1 <= c.answerSure) return 'answer';
  // The gap is relative to the best similarity: a long, rambling question scores lower on every entry,
  // so what matters is how far ahead the best entry is compared with its own strength.
  if (s1 <= c.answerMax && (s2 - s1) / Math.max(1 - s1, 1e-9) >= c.answerGap) return 'answer';
  if (s1 <= c.suggestMax) return 'suggest';
  return 'fallback';
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;
