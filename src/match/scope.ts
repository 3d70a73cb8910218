// Stage "scope": near-domain subjects (content/out-of-scope.yaml — passport, driving licence, traffic fines,
// health insurance, banks, land papers…). A question naming one of them, and naming neither e-ID nor VNeID,
// is out of scope: the resident gets one clear reply instead of a list of e-ID entries. A question whose best
// entry itself talks about that subject ("tích hợp bằng lái xe" → the entry on papers in the app) and is
// answered stays answered — when the entry uses every near-domain phrase the question names ("thi bằng lái
// xe" names taking the test too, which the entry on papers in the app does not).
import type { Content } from '../content/types.js';
import { normalizeTokens } from './normalize.js';

export interface ScopeHit {
  id: string;
  name: string;
  /** The normalised phrase found. */
  phrase: string;
}

export interface ScopeDetector {
  /** The first near-domain subject named in the tokens, if any. */
  find(tokens: string[]): ScopeHit | undefined;
  /** Every near-domain phrase named in the tokens (longest first; none when e-ID/VNeID is named). */
  findAll(tokens: string[]): ScopeHit[];
  /** Whether an entry's own questions or keywords use the phrase. */
  entryUses(entryIndex: number, phrase: string): boolean;
}

export function buildScope(content: Content): ScopeDetector {
  const syn = content.synonyms;
  const phrases: { phrase: string; id: string; name: string }[] = [];
  for (const t of content.scope ?? [])
    for (const term of t.terms) {
      const phrase = normalizeTokens(term, syn).join(' ');
      if (phrase) phrases.push({ phrase, id: t.id, name: t.name });
    }
  const ours = (content.ours ?? []).map((t) => normalizeTokens(t, syn).join(' ')).filter(Boolean);
  // Longest phrase first: "bảo hiểm y tế" before "bảo hiểm".
  phrases.sort((a, b) => b.phrase.length - a.phrase.length);
  const entryText = content.entries.map((e) => ` ${[...e.questions, ...e.keywords].map((q) => normalizeTokens(q, syn).join(' ')).join(' | ')} `);
  return {
    find(tokens) {
      return this.findAll(tokens)[0];
    },
    findAll(tokens) {
      if (!phrases.length || !tokens.length) return [];
      const s = ` ${tokens.join(' ')} `;
      if (ours.some((o) => s.includes(` ${o} `))) return [];
      return phrases.filter((p) => s.includes(` ${p.phrase} `)).map((p) => ({ id: p.id, name: p.name, phrase: p.phrase }));
    },
    entryUses: (ei, phrase) => ei >= 0 && ei < entryText.length && entryText[ei].includes(` ${phrase} `),
  };
}
