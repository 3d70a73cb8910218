// Stage "ranker 2": a linear classifier over word and character n-grams of the normalised text, trained at
// start-up (and on every reload) on each entry's questions and keywords — the kind of model Rasa's intent
// pipelines use (CountVectors over words and char n-grams + a linear classifier), written small because it is
// small: multinomial logistic regression (softmax), AdaGrad, L2, a handful of epochs.
//
// Why it is here: the lexical ranker (lexical.ts) scores how much of a question its best FAQ question covers;
// it is precise on paraphrases and blind to wording it has never seen in one piece. Character n-grams carry
// typos, glued words and word forms; the trained weights learn which words tell two neighbouring entries apart
// ("khóa" vs "mở khóa", "mất điện thoại" vs "điện thoại mới"). The two are combined in combine.ts.
//
// Sparse by construction: a feature only has weights for the entries whose training text contains it, so the
// model scales with the FAQ's text, not with entries × vocabulary (10,000 entries train in seconds).

export interface NgramOptions {
  /** Character n-gram lengths (inside " word word " with word boundaries as spaces). */
  charMin: number;
  charMax: number;
  /** Training epochs over the FAQ's questions and keywords. */
  epochs: number;
  /** AdaGrad learning rate. */
  rate: number;
  /** L2 penalty per update. */
  l2: number;
  /** Weight of word unigrams/bigrams relative to char n-grams in the feature vector. */
  wordWeight: number;
}

export const NGRAM_DEFAULTS: Readonly<NgramOptions> = Object.freeze({ charMin: 3, charMax: 5, epochs: 12, rate: 0.4, l2: 1e-5, wordWeight: 1 });

export interface NgramExample {
  /** Normalised tokens. */
  tokens: string[];
  /** Class (entry index). */
  label: number;
  /** Importance of the example (keywords count less than questions). */
  weight?: number;
}

export interface NgramModel {
  /** Probability per class for these tokens (only classes with any evidence are listed), best first. */
  rank(tokens: string[], limit: number): { label: number; p: number }[];
  /** Full probability vector (length = classes), reusable buffer: copy if kept. */
  probs(tokens: string[]): Float64Array;
  readonly features: number;
  readonly trainMs: number;
}

/** Feature strings of a token list: words, word pairs, char n-grams. */
export function ngramFeatures(tokens: string[], o: Readonly<NgramOptions> = NGRAM_DEFAULTS): Map<string, number> {
  const out = new Map<string, number>();
  const add = (f: string, w: number): void => {
    out.set(f, (out.get(f) ?? 0) + w);
  };
  for (let i = 0; i < tokens.length; i++) {
    add(`w:${tokens[i]}`, o.wordWeight);
    if (i + 1 < tokens.length) add(`b:${tokens[i]} ${tokens[i + 1]}`, o.wordWeight);
  }
  const s = ` ${tokens.join(' ')} `;
  for (let n = o.charMin; n <= o.charMax; n++) for (let i = 0; i + n <= s.length; i++) add(s.slice(i, i + n), 1);
  // L2-normalise so that long and short texts weigh alike.
  let norm = 0;
  for (const v of out.values()) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (const [k, v] of out) out.set(k, v / norm);
  return out;
}

/** Deterministic shuffle (the model must be the same on every start-up). */
function shuffle<T>(xs: T[], seed: number): T[] {
  let s = seed >>> 0 || 1;
  for (let i = xs.length - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

export function trainNgram(examples: NgramExample[], classes: number, opts: Partial<NgramOptions> & { keywordWeight?: number } = {}): NgramModel {
  const o: NgramOptions = { ...NGRAM_DEFAULTS, ...opts };
  const t0 = performance.now();
  // Feature ids, and per feature the classes that use it (its weight slots).
  const ids = new Map<string, number>();
  const featClasses: number[][] = [];
  const vecs = examples.map((ex) => {
    const fs = ngramFeatures(ex.tokens, o);
    const idx: number[] = [];
    const val: number[] = [];
    for (const [f, v] of fs) {
      let id = ids.get(f);
      if (id === undefined) {
        id = featClasses.length;
        ids.set(f, id);
        featClasses.push([]);
      }
      const list = featClasses[id];
      if (list[list.length - 1] !== ex.label && !list.includes(ex.label)) list.push(ex.label);
      idx.push(id);
      val.push(v);
    }
    return { idx: Int32Array.from(idx), val: Float64Array.from(val), label: ex.label, weight: ex.weight ?? 1 };
  });
  // CSR layout: feature → [start, end) into slotClass / slotW.
  const start = new Int32Array(featClasses.length + 1);
  for (let f = 0; f < featClasses.length; f++) start[f + 1] = start[f] + featClasses[f].length;
  const slotClass = new Int32Array(start[featClasses.length]);
  featClasses.forEach((cs, f) => cs.sort((a, b) => a - b).forEach((c, k) => (slotClass[start[f] + k] = c)));
  const slotW = new Float64Array(slotClass.length);
  const slotG = new Float64Array(slotClass.length).fill(1e-8);
  const bias = new Float64Array(classes);
  const biasG = new Float64Array(classes).fill(1e-8);

  const logits = new Float64Array(classes);
  const probs = new Float64Array(classes);
  const forward = (idx: Int32Array, val: Float64Array): void => {
    logits.set(bias);
    for (let k = 0; k < idx.length; k++) {
      const f = idx[k];
      const v = val[k];
      for (let s = start[f]; s < start[f + 1]; s++) logits[slotClass[s]] += slotW[s] * v;
    }
    let max = -Infinity;
    for (let c = 0; c < classes; c++) if (logits[c] > max) max = logits[c];
    let z = 0;
    for (let c = 0; c < classes; c++) z += probs[c] = Math.exp(logits[c] - max);
    for (let c = 0; c < classes; c++) probs[c] /= z;
  };

  const order = vecs.map((_, i) => i);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (const i of shuffle(order, 7919 * (epoch + 1))) {
      const ex = vecs[i];
      forward(ex.idx, ex.val);
      probs[ex.label] -= 1; // gradient of the log loss w.r.t. the logits
      for (let k = 0; k < ex.idx.length; k++) {
        const f = ex.idx[k];
        const v = ex.val[k];
        for (let s = start[f]; s < start[f + 1]; s++) {
          const g = probs[slotClass[s]] * v * ex.weight + o.l2 * slotW[s];
          slotG[s] += g * g;
          slotW[s] -= (o.rate * g) / Math.sqrt(slotG[s]);
        }
      }
      for (let c = 0; c < classes; c++) {
        const g = probs[c] * ex.weight * 0.1;
        biasG[c] += g * g;
        bias[c] -= (o.rate * g) / Math.sqrt(biasG[c]);
      }
    }
  }
  const trainMs = performance.now() - t0;

  const query = (tokens: string[]): Float64Array => {
    const fs = ngramFeatures(tokens, o);
    const idx: number[] = [];
    const val: number[] = [];
    for (const [f, v] of fs) {
      const id = ids.get(f);
      if (id === undefined) continue;
      idx.push(id);
      val.push(v);
    }
    forward(Int32Array.from(idx), Float64Array.from(val));
    return probs;
  };
  return {
    features: featClasses.length,
    trainMs,
    probs: query,
    rank(tokens, limit) {
      const p = query(tokens);
      const out: { label: number; p: number }[] = [];
      for (let c = 0; c < classes; c++) {
        if (out.length < limit || p[c] > out[out.length - 1].p) {
          out.push({ label: c, p: p[c] });
          out.sort((a, b) => b.p - a.p || a.label - b.label);
          if (out.length > limit) out.pop();
        }
      }
      return out;
    },
  };
}
