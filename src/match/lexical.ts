// Stage "lexical ranker": every FAQ question and keyword that shares a word or a word pair with the resident's
// text, scored by IDF-weighted coverage both ways (BM25-style IDF over entries; pairs weigh `bigramWeight`),
// best per entry, blended with the whole entry's coverage. Also measures the evidence the decision needs
// beyond the scores: the domain share (word pairs the FAQ uses anywhere), anchors (the FAQ's own names for
// its subject), foreign words (another app or procedure), a swapped subject, places.
//
// The index is built once per content version; `score` is synchronous and allocation-light: typed arrays and
// posting lists, so that scoring touches only records sharing a feature (10,000 entries stay fast).
import type { Content } from '../content/types.js';
import type { MatchConfig } from './config.js';
import { features, isPair, NUM, slots } from './features.js';
import { normalizeTokens } from './normalize.js';
import { createCorrector } from './typo.js';
import type { Candidate } from './types.js';

type RecordKind = 'question' | 'keyword';

interface IndexRecord {
  /** Index into content.entries. */
  entry: number;
  kind: RecordKind;
  /** The text as written in the content (shown in debug output). */
  text: string;
}

/** What the lexical ranker finds for one token list. */
export interface LexicalScore {
  /** The tokens scored, joined by one space. */
  normalized: string;
  tokens: string[];
  /** Best entries, best first (scores in [0, 1], 0 = perfect). */
  candidates: Candidate[];
  /** Best and second-best score (1 when absent). */
  s1: number;
  s2: number;
  /** Share of the question's word pairs that the FAQ uses anywhere (domain gate input), 0..1. */
  domain: number;
  /** The question's words the FAQ never uses (questions, keywords or answers): it names something else. */
  foreign: string[];
  /** The question's anchors (the FAQ's own name for its subject: "dinh danh", "vneid", "muc #"). */
  anchors: string[];
  /** The best entry's questions and keywords contain one of the question's anchors. */
  anchored: boolean;
  /** The best entry's record names a place the question does not name. */
  placeOnly: boolean;
  /** The question names no anchor while (almost) every question of the best entry does. */
  subjectless: boolean;
  /** Rare words of the question missing from its best-matching question (a swapped subject). */
  swapped: number;
}

export interface LexicalRanker {
  /** Typo correction against the FAQ's vocabulary (typo.ts). */
  correct(tokens: string[]): string[];
  score(tokens: string[], limit?: number): LexicalScore;
  /** Index of an entry id in content.entries, -1 when absent. */
  entryIndex(id: string): number;
}

export function buildLexical(content: Content, config: Readonly<MatchConfig>): LexicalRanker {
  const syn = content.synonyms;
  const entries = content.entries;
  const entryIndex = new Map(entries.map((e, i) => [e.id, i] as const));
  const records: IndexRecord[] = [];
  const recordFeats: string[][] = [];
  const recordSlots: [string, string][][] = [];
  const recordToks: string[][] = [];

  // 1. Records and entry-level document frequency (questions and keywords only).
  const df = new Map<string, number>();
  const answerWords = new Set<string>();
  /** Every word pair the FAQ uses anywhere (questions, keywords, answers): the domain vocabulary. */
  const allPairs = new Set<string>();
  /** Per entry: every feature of its questions and keywords, and of its answer (minus those). */
  const entryFeats: Set<string>[] = [];
  const answerFeats: Set<string>[] = [];
  /** Per entry: every word of its questions, keywords and answer; and in how many entries each word occurs. */
  const entryWords: Set<string>[] = [];
  const wordDf = new Map<string, number>();
  /** Entry-level document frequency in the answers (questions and keywords: `df`). */
  const adf = new Map<string, number>();
  entries.forEach((e, ei) => {
    const seen = new Set<string>();
    const add = (kind: RecordKind, text: string): void => {
      const toks = normalizeTokens(text, syn);
      if (!toks.length) return;
      const fs = features(toks);
      records.push({ entry: ei, kind, text });
      recordToks.push(toks);
      recordFeats.push(fs);
      recordSlots.push(slots(toks));
      for (const f of fs) {
        seen.add(f);
        if (isPair(f)) allPairs.add(f);
      }
    };
    for (const q of e.questions) add('question', q);
    for (const k of e.keywords) add('keyword', k);
    const answerToks = normalizeTokens(e.answer, syn);
    for (const t of answerToks) answerWords.add(t);
    const words = new Set<string>(answerToks);
    for (const f of seen) if (!isPair(f)) words.add(f);
    entryWords.push(words);
    for (const w of words) wordDf.set(w, (wordDf.get(w) ?? 0) + 1);
    const af = features(answerToks);
    for (const f of af) {
      if (isPair(f)) allPairs.add(f);
      adf.set(f, (adf.get(f) ?? 0) + 1);
    }
    for (const f of seen) df.set(f, (df.get(f) ?? 0) + 1);
    entryFeats.push(seen);
    answerFeats.push(new Set(af.filter((f) => !seen.has(f))));
  });

  // 1b. Anchors: the words residents use to name the FAQ's subject ("dinh danh", "vneid", "tai khoan dinh
  //     danh", "muc #"), derived from the content: in many entries' questions, and used in the answers — but
  //     less than in the questions. Words that carry the subject of the answers ("can cuoc", "ung dung",
  //     "dang ky") or the grammar ("khong", "duoc") occur more in the answers; question forms ("o dau",
  //     "bao lau", "nhu the nao") almost never do. Label slots ("muc #") used by many questions are anchors too.
  const anchorSet = new Set<string>();
  const minAnchorDf = Math.max(2, config.anchorShare * entries.length);
  /** Question forms: words and pairs of many questions that the answers hardly use ("o dau", "bao lau"). */
  const formSet = new Set<string>();
  for (const [f, d] of df) {
    const ratio = (adf.get(f) ?? 0) / d;
    if (d >= 3 && ratio < config.formRatio) formSet.add(f);
    // A single word must be at least 5 letters: Vietnamese grammar words are short syllables ("may", "o", "bi").
    else if (d >= minAnchorDf && ratio >= config.formRatio && ratio < 1 && (isPair(f) || f.length >= 5)) anchorSet.add(f);
  }
  const slotDf = new Map<string, number>();
  const slotSeen = new Set<string>();
  records.forEach((r, ri) => {
    if (r.kind !== 'question') return;
    for (const [k] of recordSlots[ri]) {
      const key = `${r.entry} ${k}`;
      if (slotSeen.has(key)) continue;
      slotSeen.add(key);
      slotDf.set(k, (slotDf.get(k) ?? 0) + 1);
    }
  });
  for (const [k, d] of slotDf) if (d >= minAnchorDf) anchorSet.add(k);
  /** Per entry: the share of its questions that name an anchor — the entry's subject is the FAQ's subject. */
  const subjectQuestions = new Float64Array(entries.length);
  const allQuestions = new Float64Array(entries.length);
  records.forEach((r, ri) => {
    if (r.kind !== 'question') return;
    allQuestions[r.entry] += 1;
    if (recordFeats[ri].some((f) => anchorSet.has(f))) subjectQuestions[r.entry] += 1;
  });
  const entrySubject = Array.from(allQuestions, (q, ei) => (q ? subjectQuestions[ei] / q : 0));
  // Places: the provinces and wards of content/offices.yaml, as match keys ("ha noi", "tp hcm").
  const placeSet = new Set<string>();
  const addPlace = (name: string): void => {
    const t = normalizeTokens(name.replace(/\(.*?\)/g, ' ').replace(/^\s*(phường|xã|thị trấn|quận|huyện|tỉnh|thành phố|tp\.?)\s+/i, ''), syn);
    // Two to four words: a one-syllable name ("Mẫu") is too often an ordinary word.
    if (t.length >= 2 && t.length <= 4 && !t.some((x) => NUM.test(x))) placeSet.add(t.join(' '));
  };
  for (const w of content.offices?.wards ?? []) {
    addPlace(w.province);
    addPlace(w.name);
  }
  for (const o of content.offices?.offices ?? []) {
    const parts = (o.address ?? '').split(',');
    if (parts.length > 1) addPlace(parts[parts.length - 1]);
  }
  const placeMax = Math.max(0, ...[...placeSet].map((p) => p.split(' ').length));
  /** Places named in a token list (as "a b" phrases). */
  const placesIn = (tokens: string[]): string[] => {
    const out: string[] = [];
    for (let i = 0; i < tokens.length; i++)
      for (let k = 1; k <= placeMax && i + k <= tokens.length; k++) {
        const p = tokens.slice(i, i + k).join(' ');
        if (placeSet.has(p)) out.push(p);
      }
    return out;
  };
  const recordPlace = recordToks.map((t) => placesIn(t).length > 0);
  // recordToks stay: the decision compares the question with its best-matching question (swapped words).

  // 2. Feature weights: BM25-style IDF over entries; pairs weigh `bigramWeight` of that.
  const n = Math.max(1, entries.length);
  const idf = (d: number): number => Math.log(1 + (n - d + 0.5) / (d + 0.5));
  const maxIdf = idf(0);
  const weight = new Map<string, number>();
  for (const [f, d] of df) weight.set(f, idf(d) * (isPair(f) ? config.bigramWeight : 1));
  const queryWeight = (f: string): number => {
    const w = weight.get(f);
    if (w !== undefined) return w;
    if (isPair(f)) return maxIdf * config.unknownPairWeight;
    // A word only the answers use is still domain vocabulary; a word the FAQ never uses weighs most.
    return maxIdf * (answerWords.has(f) ? config.answerOnlyWeight : config.unknownWeight);
  };

  // 3. Inverted index: feature → records, and feature → entries (questions/keywords; answers apart).
  //    Typed arrays keep a 10,000-entry FAQ fast: scoring touches only records sharing a feature.
  const recEntry = new Int32Array(records.length);
  const recTotal = new Float64Array(records.length);
  const recKind = new Float64Array(records.length);
  const recKeywordKey: string[] = [];
  const kindWeight: Record<RecordKind, number> = { question: 1, keyword: config.keywordWeight };
  const postingLists = new Map<string, number[]>();
  const push = (m: Map<string, number[]>, f: string, i: number): void => {
    let list = m.get(f);
    if (!list) m.set(f, (list = []));
    list.push(i);
  };
  // A keyword several entries share is not distinctive: it counts less for each ("khóa tài khoản" on three).
  const keywordEntries = new Map<string, Set<number>>();
  records.forEach((r, ri) => {
    if (r.kind !== 'keyword') return;
    const key = recordFeats[ri].filter((f) => !isPair(f)).join(' ');
    const set = keywordEntries.get(key) ?? new Set<number>();
    set.add(r.entry);
    keywordEntries.set(key, set);
    recKeywordKey[ri] = key;
  });
  records.forEach((r, ri) => {
    recEntry[ri] = r.entry;
    recKind[ri] = kindWeight[r.kind];
    if (r.kind === 'keyword') {
      const shared = keywordEntries.get(recKeywordKey[ri])?.size ?? 1;
      recKind[ri] /= 1 + config.sharedKeywordPenalty * (shared - 1);
    }
    for (const f of recordFeats[ri]) {
      recTotal[ri] += weight.get(f) ?? 0;
      push(postingLists, f, ri);
    }
  });
  const entryLists = new Map<string, number[]>();
  const answerLists = new Map<string, number[]>();
  entryFeats.forEach((fs, ei) => fs.forEach((f) => push(entryLists, f, ei)));
  if (config.answerWeight > 0) answerFeats.forEach((fs, ei) => fs.forEach((f) => push(answerLists, f, ei)));
  // Slot postings: "muc #" → records and the number they use there.
  const slotPostings = new Map<string, { ri: number; num: string }[]>();
  recordSlots.forEach((ss, ri) => {
    for (const [key, num] of ss) {
      let list = slotPostings.get(key);
      if (!list) slotPostings.set(key, (list = []));
      list.push({ ri, num });
    }
  });
  recordSlots.length = 0;
  const conflict = new Uint8Array(records.length);
  const freeze = (m: Map<string, number[]>): Map<string, Int32Array> => new Map([...m].map(([k, v]) => [k, Int32Array.from(v)]));
  const postings = freeze(postingLists);
  const entryPostings = freeze(entryLists);
  const answerPostings = freeze(answerLists);
  recordFeats.length = 0;

  // Scratch buffers reused by every match (matching is synchronous).
  const acc = new Float64Array(records.length);
  const isTouched = new Uint8Array(records.length);
  const touched = new Int32Array(records.length);
  const entrySim = new Float64Array(entries.length).fill(-1);
  const entryRec = new Int32Array(entries.length);
  const entryCover = new Float64Array(entries.length);
  const touchedEntries = new Int32Array(entries.length);

  // 4. Typo correction against the FAQ's own vocabulary (typo.ts).
  const vocab = new Set<string>();
  for (const f of df.keys()) if (!isPair(f)) vocab.add(f);
  const known = new Set<string>([...vocab, ...answerWords]);
  /** Label words: "muc" of "muc 2" — words the FAQ's questions put before a number in several entries. */
  const labelWords = [...slotDf].filter(([, d]) => d >= 2).map(([k]) => k.slice(0, -2));
  const corrector = createCorrector({ vocab, known, pairs: allPairs, labels: labelWords }, config);

  function score(tokens: string[], limit = config.limit): LexicalScore {
    const normalized = tokens.join(' ');
    const none = (domain: number): LexicalScore => ({
      normalized, candidates: [], tokens, domain, foreign: [], anchors: [], anchored: false, placeOnly: false, subjectless: false, swapped: 0, s1: 1, s2: 1,
    });
    // Nothing to match, or only numbers ("2" typed when no list is on screen): nothing to answer.
    if (!tokens.length || tokens.every((t) => NUM.test(t))) return none(0);

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
    let nTouched = 0;
    for (const f of qf) {
      const list = postings.get(f);
      if (!list) continue;
      const w = weight.get(f) ?? 0;
      for (let i = 0; i < list.length; i++) {
        const ri = list[i];
        if (isTouched[ri] === 0) {
          isTouched[ri] = 1;
          touched[nTouched++] = ri;
        }
        acc[ri] += w;
      }
    }
    if (nTouched === 0) return none(domain);

    // Number contradictions: the record uses another number in a slot the question fills.
    const qSlots = slots(tokens);
    const marked: number[] = [];
    for (const [key, num] of qSlots) {
      const list = slotPostings.get(key);
      if (!list) continue;
      const same = new Set<number>();
      for (const x of list) if (x.num === num) same.add(x.ri);
      for (const x of list) {
        if (x.num !== num && !same.has(x.ri) && conflict[x.ri] === 0) {
          conflict[x.ri] = 1;
          marked.push(x.ri);
        }
      }
    }

    // A record that names a place ("ở Hà Nội…") fits a question that names none only in part.
    const qPlaces = placesIn(tokens);
    const placePenalty = qPlaces.length ? 1 : config.placePenalty;

    // Similarity per record → best per entry.
    const e = config.queryCoverageExp;
    let nEntries = 0;
    for (let i = 0; i < nTouched; i++) {
      const ri = touched[i];
      const m = acc[ri];
      acc[ri] = 0;
      isTouched[ri] = 0;
      let sim = recKind[ri] * Math.pow(m / totalQ, e) * Math.pow(m / Math.max(recTotal[ri], 1e-9), 1 - e);
      if (conflict[ri]) sim *= config.numberConflictPenalty;
      if (recordPlace[ri]) sim *= placePenalty;
      const ei = recEntry[ri];
      if (entrySim[ei] < 0) touchedEntries[nEntries++] = ei;
      if (sim > entrySim[ei]) {
        entrySim[ei] = sim;
        entryRec[ei] = ri;
      }
    }
    // Evidence from the whole entry: the share of the question covered by all of its questions and
    // keywords (and, weighted low, its answer).
    for (const f of qf) {
      const w = weight.get(f);
      if (w === undefined) continue;
      const list = entryPostings.get(f);
      if (list) for (let i = 0; i < list.length; i++) entryCover[list[i]] += w;
      const alist = answerPostings.get(f);
      if (alist) for (let i = 0; i < alist.length; i++) entryCover[alist[i]] += w * config.answerWeight;
    }
    // Final similarity; keep the best `keep` entries (and the second best for the gap) without sorting all.
    const lambda = config.entryCoverageWeight;
    const keep = Math.max(2, limit);
    const top: { ei: number; sim: number }[] = [];
    for (let i = 0; i < nEntries; i++) {
      const ei = touchedEntries[i];
      const sim = (1 - lambda) * entrySim[ei] + lambda * Math.min(1, entryCover[ei] / totalQ);
      if (top.length < keep || sim > top[top.length - 1].sim || (sim === top[top.length - 1].sim && ei < top[top.length - 1].ei)) {
        top.push({ ei, sim });
        top.sort((a, b) => b.sim - a.sim || a.ei - b.ei);
        if (top.length > keep) top.pop();
      }
    }
    const result = top.map(({ ei, sim }) => ({ ei, sim, ri: entryRec[ei] }));
    // Reset the scratch buffers.
    for (const ri of marked) conflict[ri] = 0;
    for (let i = 0; i < nEntries; i++) entrySim[touchedEntries[i]] = -1;
    entryCover.fill(0);

    const candidates: Candidate[] = result.slice(0, Math.max(1, limit)).map(({ ei, sim, ri }) => ({
      id: entries[ei].id,
      score: round(1 - Math.min(1, sim)),
      question: records[ri].text,
    }));
    const s1 = 1 - Math.min(1, result[0].sim);
    const s2 = result.length > 1 ? 1 - Math.min(1, result[1].sim) : 1;
    // Evidence beyond the scores: words the FAQ never uses name another app or procedure ("quên mật khẩu
    // <app>"); then the best entry must share one of the question's anchors to be answered.
    const bestWords = entryWords[result[0].ei];
    const foreign = tokens.filter(
      (t) => !NUM.test(t) && t.length >= config.foreignMinLength && !bestWords.has(t) && (wordDf.get(t) ?? 0) <= config.foreignMaxDf,
    );
    const anchors = qf.filter((f) => anchorSet.has(f));
    const best = entryFeats[result[0].ei];
    const anchored = anchors.some((f) => best.has(f));
    const placeOnly = recordPlace[result[0].ri] && qPlaces.length === 0;
    // A question naming no anchor, whose best entry is asked about with an anchor in most of its questions,
    // lacks the entry's subject: "cần giấy tờ gì" for another procedure vs "làm định danh cần giấy tờ gì".
    const subjectless = anchors.length === 0 && entrySubject[result[0].ei] >= config.subjectShare;
    // Rare words of the question that its best-matching question lacks: "quên mật khẩu <app>" against
    // "quên mật khẩu vneid" is not a paraphrase — the subject was swapped for something else.
    const bestToks = recordToks[result[0].ri];
    const swapped = tokens.filter(
      (t) => !NUM.test(t) && t.length >= config.foreignMinLength && !bestToks.includes(t) && (wordDf.get(t) ?? 0) <= config.swapMaxDf,
    ).length;
    return { normalized, candidates, tokens, domain, foreign, anchors, anchored, placeOnly, subjectless, swapped, s1, s2 };
  }

  return {
    correct: (tokens) => corrector.correct(tokens),
    score,
    entryIndex: (id) => entryIndex.get(id) ?? -1,
  };
}


const round = (x: number): number => Math.round(x * 10_000) / 10_000;
