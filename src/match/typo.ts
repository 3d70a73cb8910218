// Stage "typo": after normalisation, words the FAQ does not know are mapped to the FAQ word they most likely
// are — Telex typed with the Vietnamese keyboard off, two words glued together, a typo in a longer word
// (fuse.js bitap over the FAQ's own vocabulary), a clipped label before a number ("mứ 2" → "muc 2").
//
// Why fuse.js only corrects words: its token search run over every question ranks worse and is slow — golden
// rank1 262/306 vs 304/306 with the lexical ranker, 17 ms per query at 102 entries vs 0.06 ms
// (bench/fuse-baseline.ts) — because it scores each record by query coverage alone and scans every record
// with bitap. Bitap is good at one thing here: finding the FAQ word a typo meant.
import Fuse from 'fuse.js';
import type { MatchConfig } from './config.js';
import { NUM } from './features.js';

export interface TypoInput {
  /** Words of the FAQ's questions and keywords (the correction targets). */
  vocab: Iterable<string>;
  /** Every word the FAQ uses (questions, keywords, answers): never corrected. */
  known: Set<string>;
  /** Every word pair the FAQ uses: "kichhoat" → "kich hoat". */
  pairs: Set<string>;
  /** Label words ("muc" of "muc 2"), for clipped labels. */
  labels: string[];
}

export interface Corrector {
  /** Tokens with unknown words corrected (a correction may split one token into two). */
  correct(tokens: string[]): string[];
}

export function createCorrector(input: TypoInput, config: Readonly<MatchConfig>): Corrector {
  const { known, pairs, labels } = input;
  const byLetter = new Map<string, string[]>();
  for (const w of input.vocab) {
    if (w.length < config.typoMinLength - 1 || !/^[a-z]+$/.test(w)) continue;
    const list = byLetter.get(w[0]) ?? [];
    list.push(w);
    byLetter.set(w[0], list);
  }
  const fuses = new Map<string, Fuse<string>>();
  for (const [letter, words] of byLetter) fuses.set(letter, new Fuse(words, { ...config.fuse }));
  const cache = new Map<string, string>();

  /** Telex typed with the keyboard's Vietnamese mode off: "ddawng" → "dang", "kys" → "ky", "hoatj" → "hoat". */
  const untelex = (t: string): string | undefined => {
    const u = t
      .replace(/^dd/, 'd')
      .replace(/([aeiouy])w/g, '$1')
      .replace(/([aeo])\1/g, '$1')
      .replace(/([aeiouy]|[aeiouy](?:n|ng|nh|c|ch|t|p|m))[sfrxj]$/, '$1');
    return t.length >= 4 && u !== t && known.has(u) ? u : undefined;
  };
  /** Two words typed without the space: "kichhoat" → "kich hoat", when the FAQ uses that pair. */
  const unglue = (t: string): string | undefined => {
    for (let i = 2; i <= t.length - 2; i++) {
      const pair = `${t.slice(0, i)} ${t.slice(i)}`;
      if (pairs.has(pair)) return pair;
    }
    return undefined;
  };
  /** A typo in a longer word: the nearest FAQ word of about the same length (fuse.js bitap). */
  const fuzzy = (t: string): string | undefined => {
    if (t.length < config.typoMinLength) return undefined;
    return fuses
      .get(t[0])
      ?.search(t, { limit: 3 })
      .find((r) => Math.abs(r.item.length - t.length) <= 1)?.item;
  };
  /** A word the FAQ does not know → the FAQ word(s) it most likely is (may contain a space), or itself. */
  const word = (t: string): string => {
    if (known.has(t) || t.length < 3 || !/^[a-z]+$/.test(t)) return t;
    const hit = cache.get(t);
    if (hit !== undefined) return hit;
    const fixed = untelex(t) ?? unglue(t) ?? fuzzy(t) ?? t;
    if (cache.size > 10_000) cache.clear();
    cache.set(t, fixed);
    return fixed;
  };
  /**
   * A short unknown word before a number is a clipped label: "mứ 2" → "muc 2" (too short for the typo
   * correction). Only a label that starts with the word and is one letter longer.
   */
  const fixLabels = (tokens: string[]): string[] =>
    tokens.map((t, i) => {
      if (known.has(t) || !NUM.test(tokens[i + 1] ?? '') || !/^[a-z]+$/.test(t)) return t;
      return labels.find((w) => w.length === t.length + 1 && w.startsWith(t)) ?? t;
    });
  return { correct: (tokens) => fixLabels(tokens.flatMap((t) => word(t).split(' '))) };
}
