// Vietnamese normalisation: what residents type → the match key the FAQ index is searched with.
// Pure functions. The same function normalises the FAQ's own questions, so both sides meet in one form.
//
//   "Ad ơi cho em hỏi đkí mức2 ở đâuuu vậy ạ?" → "dang ky muc 2 o dau"
//
// Steps: NFC + lower case → fold diacritics (đ → d) and turn punctuation/emoji into spaces → split
// letter/digit runs ("muc2" → "muc 2") → collapse repeated letters ("kooo" → "ko") → whole-token
// expansion from content/synonyms.yaml (longest phrase first; ambiguous tokens by their neighbours) →
// drop polite openers and particles (stop phrases).
import type { Synonyms } from '../content/types.js';
import { fold } from '../text/fold.js';

/** Synonyms prepared for fast lookup; built once per Synonyms object. */
interface Compiled {
  /** folded phrase (space-joined tokens) → replacement tokens (may be empty = drop). */
  map: Map<string, string[]>;
  /** First token of a multi-word phrase in `map` → the longest such phrase, in tokens. */
  mapStarts: Map<string, number>;
  ambiguous: Map<string, { dflt: string[]; rules: { before?: Set<string>; after?: Set<string>; means: string[] }[] }>;
  stop: Set<string>;
  /** First token of a multi-word stop phrase → the longest such phrase, in tokens. */
  stopStarts: Map<string, number>;
  /** Tokens that legitimately contain doubled letters ("app", "zalo"…): never collapsed. */
  known: Set<string>;
}

const cache = new WeakMap<Synonyms, Compiled>();

const toks = (s: string): string[] => splitDigits(fold(s)).split(' ').filter(Boolean);

function compile(syn: Synonyms): Compiled {
  const hit = cache.get(syn);
  if (hit) return hit;
  const known = new Set<string>();
  const remember = (ts: string[]): void => ts.forEach((t) => known.add(t));
  const map = new Map<string, string[]>();
  const mapStarts = new Map<string, number>();
  for (const [k, v] of Object.entries(syn.map ?? {})) {
    const kt = toks(k);
    if (kt.length === 0) continue;
    const vt = toks(String(v ?? ''));
    map.set(kt.join(' '), vt);
    if (kt.length > 1) mapStarts.set(kt[0], Math.max(mapStarts.get(kt[0]) ?? 0, kt.length));
    remember(kt);
    remember(vt);
  }
  const ambiguous: Compiled['ambiguous'] = new Map();
  for (const a of syn.ambiguous ?? []) {
    const t = toks(a.token).join(' ');
    if (!t) continue;
    const set = (xs?: string[]): Set<string> | undefined => (xs && xs.length ? new Set(xs.flatMap(toks)) : undefined);
    ambiguous.set(t, {
      dflt: toks(String(a.default ?? '')),
      rules: (a.rules ?? []).map((r) => ({ before: set(r.before), after: set(r.after), means: toks(String(r.means ?? '')) })),
    });
    remember([t]);
  }
  const stop = new Set<string>();
  const stopStarts = new Map<string, number>();
  for (const p of syn.stopPhrases ?? []) {
    const pt = toks(p);
    if (pt.length === 0) continue;
    stop.add(pt.join(' '));
    if (pt.length > 1) stopStarts.set(pt[0], Math.max(stopStarts.get(pt[0]) ?? 0, pt.length));
  }
  const c: Compiled = { map, mapStarts, ambiguous, stop, stopStarts, known };
  cache.set(syn, c);
  return c;
}

/** "muc2" → "muc 2", "7ngay" → "7 ngay". */
function splitDigits(s: string): string {
  return s.replace(/([a-z])(?=\d)|(\d)(?=[a-z])/g, '$1$2 ');
}

/**
 * Collapses letters typed repeatedly: "kooo" → "ko", "dinhh" → "dinh", "dcccc" → "dc".
 * Folded Vietnamese only doubles vowels in "oo" (xoong) and "uu" (hưu, cứu), so those stay doubled
 * unless the single form is a known token; tokens listed in synonyms.yaml ("app") are kept as typed.
 */
function collapse(t: string, known: Set<string>): string {
  if (!/([a-z])\1/.test(t) || known.has(t)) return t;
  const one = t.replace(/([a-z])\1+/g, '$1');
  if (known.has(one)) return one;
  const two = t.replace(/([a-z])\1+/g, '$1$1');
  if (known.has(two)) return two;
  return t.replace(/([a-z])\1+/g, (m, c: string) => (c === 'o' || c === 'u' ? c + c : c));
}

/** Whole-token expansion: longest phrase of `map` first, then ambiguous tokens by their raw neighbours. */
function expand(tokens: string[], c: Compiled): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    let done = false;
    for (let n = Math.min(c.mapStarts.get(tokens[i]) ?? 1, tokens.length - i); n >= 1 && !done; n--) {
      const phrase = n === 1 ? tokens[i] : tokens.slice(i, i + n).join(' ');
      const rep = c.map.get(phrase);
      if (rep) {
        out.push(...rep);
        i += n;
        done = true;
      }
    }
    if (done) continue;
    const amb = c.ambiguous.get(tokens[i]);
    if (amb) {
      const prev = tokens[i - 1];
      const next = tokens[i + 1];
      const rule = amb.rules.find(
        (r) => (r.before !== undefined && prev !== undefined && r.before.has(prev)) || (r.after !== undefined && next !== undefined && r.after.has(next)),
      );
      out.push(...(rule ? rule.means : amb.dflt));
    } else {
      out.push(tokens[i]);
    }
    i++;
  }
  return out;
}

/** What synonyms.yaml maps pronouns to ("em", "mình", "bạn"…): removed before stop phrases are matched. */
export const PRONOUN = 'dai tu';

function dropPronouns(tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === 'dai' && tokens[i + 1] === 'tu') i++;
    else out.push(tokens[i]);
  }
  return out;
}

/** Drops stop phrases (longest first): "cho hoi", "ad oi", "a", "nhe", "voi", "dai tu" (a pronoun)… */
function dropStops(tokens: string[], c: Compiled): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    let skip = 0;
    for (let n = Math.min(c.stopStarts.get(tokens[i]) ?? 1, tokens.length - i); n >= 1; n--) {
      const phrase = n === 1 ? tokens[i] : tokens.slice(i, i + n).join(' ');
      if (c.stop.has(phrase)) {
        skip = n;
        break;
      }
    }
    if (skip) i += skip;
    else out.push(tokens[i++]);
  }
  return out;
}

/** Longest input considered, in characters: beyond this a message is not a question any more. */
export const MAX_INPUT_CHARS = 2000;

/**
 * The match key of a text: folded, expanded and stripped of politeness, tokens joined by one space.
 * Returns "" for empty, emoji-only or particle-only input. Never throws.
 */
export function normalize(text: string, synonyms: Synonyms): string {
  return normalizeTokens(text, synonyms).join(' ');
}

/** Like `normalize`, as tokens. */
export function normalizeTokens(text: string, synonyms: Synonyms): string[] {
  const c = compile(synonyms);
  const raw = String(text ?? '').slice(0, MAX_INPUT_CHARS);
  const tokens = toks(raw).map((t) => collapse(t, c.known));
  // Stops are dropped until nothing changes: "cho mk hoi" → "cho dai tu hoi" → "cho hoi" → "".
  let out = dropPronouns(expand(tokens, c));
  for (let pass = 0; pass < 4; pass++) {
    const next = dropStops(out, c);
    if (next.length === out.length) break;
    out = next;
  }
  return out;
}
