// Every tunable number of the matcher, in one frozen object. Scores follow the fuse.js convention:
// 0 = perfect, 1 = nothing in common. Each value says what chose it (see the measurements below).

export interface MatchConfig {
  /** Weight of a two-word feature ("tai khoan") relative to its words' IDF. */
  bigramWeight: number;
  /** IDF given to a query word the FAQ never uses, as a fraction of the largest IDF. */
  unknownWeight: number;
  /** IDF given to a query word pair no question or keyword uses, as a fraction of the largest IDF. */
  unknownPairWeight: number;
  /** IDF given to a query word only the answers use, as a fraction of the largest IDF. */
  answerOnlyWeight: number;
  /** Exponent of query coverage in the similarity (the rest goes to question coverage). */
  queryCoverageExp: number;
  /** Keyword records count this much of a question record. */
  keywordWeight: number;
  /** A keyword shared by k entries counts 1 / (1 + this × (k - 1)) of a keyword (0 = no penalty). */
  sharedKeywordPenalty: number;
  /** Words found only in an entry's answer count this much in its coverage (0 = answers not used). */
  answerWeight: number;
  /** Share of the final similarity from the whole entry's coverage of the question (vs the best single question). */
  entryCoverageWeight: number;
  /** A question written with another number in the same slot ("mức 1" when "mức 2" is asked) keeps this share of its similarity. */
  numberConflictPenalty: number;
  /** Answer: best score at most this… */
  answerMax: number;
  /** …and ahead of the second entry by at least this much. */
  answerGap: number;
  /** Answer with only `answerSureGap` of lead when the best score is at most this. */
  answerSure: number;
  /** Relative lead a near-perfect match (≤ answerSure) needs: a tie between two entries is never answered. */
  answerSureGap: number;
  /** Suggest ("Ý bạn là…?") when the best score is at most this; above it: fallback. */
  suggestMax: number;
  /** Fallback when less than this share of the question's word pairs occur anywhere in the FAQ (domain gate). */
  domainMin: number;
  /** The domain gate applies from this many word pairs (= words - 1) up. */
  domainMinPairs: number;
  /** Anchors: features in at least this share of the entries' questions (and used less in answers than in questions). */
  anchorShare: number;
  /** A feature whose answer/question document-frequency ratio is below this is a question form ("o dau"), not an anchor. */
  formRatio: number;
  /** A word the best entry does not use and at most this many entries use (questions, keywords, answers) is foreign. */
  foreignMaxDf: number;
  /** A subjectless near-paraphrase is not answered when the question has a word used by at most this many entries that its best question lacks. */
  swapMaxDf: number;
  /** Words the FAQ never uses count as foreign (naming another app or procedure) from this length up. */
  foreignMinLength: number;
  /** A record naming a place ("ở Hà Nội") keeps this share of its similarity when the question names no place. */
  placePenalty: number;
  /** A best entry sharing none of the question's anchors is answered only up to this score. */
  unanchoredAnswerMax: number;
  /** An entry with an anchor in at least this share of its questions is not answered to a question naming none. */
  subjectShare: number;
  /** …except when its best score is at most this (a near-paraphrase of one of the entry's questions). */
  subjectlessAnswerMax: number;
  /** Relative lead over the second entry with which an anchored best entry overrides the domain gate. */
  gateOverrideGap: number;
  /** Typo correction against the FAQ vocabulary: only words at least this long (characters). */
  typoMinLength: number;
  /** fuse.js options for the typo correction (one Fuse per first letter over the FAQ vocabulary). */
  fuse: {
    /** Bitap threshold: 0 = exact, 1 = anything. */
    threshold: number;
    ignoreLocation: boolean;
    includeScore: boolean;
    isCaseSensitive: boolean;
  };
  /** A message of at least this many tokens that only gets suggestions is also matched clause by clause (0 = off). */
  clauseMinTokens: number;
  /** A clause's answer must be among the whole message's first this-many candidates. */
  clauseAgree: number;
  /** …and score at least this much better (lower) than the whole message's best entry. */
  clauseMargin: number;
  /** Candidates kept and returned (the engine shows up to 3). */
  limit: number;
  /** Agreement of the n-gram classifier (combine.ts): answer when it ranks the same entry first with at least this probability… */
  agreeMinP: number;
  /** …the question has at least this many words (two words are too little to lean on a second opinion)… */
  agreeMinTokens: number;
  /** …the best score is at most this… */
  agreeAnswerMax: number;
  /** …and the relative lead over the second entry is at least this. */
  agreeGap: number;
  /** With at least this probability for the same entry, a lead of `answerSureGap` is enough (2 = off). */
  agreeStrongP: number;
  /** An answer with at least this relative lead (and near-perfect, or agreed) is certain: no runners-up offered. */
  certainGap: number;
  /** Runners-up offered under an uncertain answer: score within this of the best (relative to 1 - best). */
  alternativeBand: number;
  /** Out-of-scope gate for near-domain subjects (scope.ts); false = off. */
  scopeGate: boolean;
  /** …except an answer scoring at most this whose entry itself names the subject ("thêm bằng lái vào app"). */
  scopeExemptMax: number;
  /** Two questions in one message are matched part by part (clauses.ts questionParts); false = off. */
  multiPart: boolean;
  /** A message the whole of which is not answered is answered from its first answered question part. */
  partAnswer: boolean;
  /** n-gram classifier training (ngram.ts). */
  ngram: { epochs: number; rate: number; charMin: number; charMax: number; keywordWeight: number; maxCost: number };
}

// === Cross-validated figures (2026-12-03, issue "answer residents the first time") =========================
// `npx tsx bench/cv.ts`: content/golden (517 in-scope + 52 out-of-scope, including 210 questions written fresh
// for the hard patterns: long stories, two questions, relatives, few shared words, short queries, near-domain
// subjects), bench/probe.yaml (122) and bench/out-of-scope.txt (59), in 5 folds; the decision thresholds
// (answerMax, answerGap, unanchoredAnswerMax, agree*) are chosen on 4 folds and measured on the 5th.
//   The fresh 210, measured before they joined the golden set (pipeline changes + 510 new FAQ questions written
//   by someone who had not seen them — the honest unseen-wording figures):
//     answered right 54.1 % → 70.1 %, answered wrongly 17.2 % → 6.4 %, rank1 68.2 % → 81.5 %,
//     near-domain/out-of-scope answered 8/53 → 1/53.
//   All 750 questions, held-out folds, and the held-out set: see the CV_RESULT note at the end of this object.
//   Dev set (public): top1 95.2 → 96.4 %, answered wrongly 1.2 → 0.0 %, out-of-scope not answered 10/10.
// The thresholds below are the folds' most frequent choice.
//
// Measured on 2026-11-23 with 102 entries. "golden" = 306 questions of content/golden (bench/tune.ts),
// "probe" = 50 messy questions of bench/probe.yaml (written apart from the FAQ and both eval sets),
// "oos" = 39 out-of-domain questions of bench/out-of-scope.txt, "typo" = bench/typo-sweep.ts,
// "dev" = node ../shared/eval/score.mjs. rank1 = right entry first, whatever the decision.
export const MATCH_CONFIG: Readonly<MatchConfig> = Object.freeze({
  // rank1 golden/probe: 0.3 → 306/42, 0.6 → 305/44, 0.8 → 304/43, 1 → 301/43.
  bigramWeight: 0.6,
  // Flat for rank1 (0.3–1 all 305/44); 0.6 gave the best golden top1 under the oos limit (60.8 % vs 58.2 % at 0.8, early content).
  unknownWeight: 0.6,
  // Flat (0.2–0.8 within 0.3 points of golden top1); kept equal to unknownWeight.
  answerOnlyWeight: 0.6,
  // oos answered (of 39): 0 → 7, 0.2 → 6, 0.36 → 4, 0.6–1 → 5; golden right 296 up to 0.6, 293 at 1.
  unknownPairWeight: 0.36,
  // rank1 golden/probe: 0.3 → 301/44, 0.5 → 305/44, 0.6 → 305/42, 0.7 → 303/41.
  queryCoverageExp: 0.5,
  // rank1 golden/probe: 0.6 → 300/43, 0.8–0.9 → 305/44, 1 → 304/44.
  // (Tried and dropped: also matching words typed with diacritics as written ("mật" ≠ "mất") — weight 0.2:
  // golden rank1 304 → 306 but probe right 92 → 91 and oos answered 4 → 7 of 39; more weight is worse.)
  // (Tried and dropped: weighting the end of a message more, where residents put the question —
  // golden rank1 306 → 304 → 299 and probe 44 → 43 → 42 for a boost of 0 → 0.6 → 1.5.)
  keywordWeight: 0.9,
  // golden/probe right answers: 0 → 298/90, 0.25–0.5 → 296/92, 1 → 296/92 with 1 golden wrong; dev +1 at 0.5.
  // Without it "khóa tài khoản" (keyword of 3 entries) ties and the entry order decides.
  sharedKeywordPenalty: 0.5,
  // Answers as evidence did not help: 0–0.3 → 305/44, 0.5 → 304/43. Answers still feed the domain gate.
  answerWeight: 0,
  // Whole-entry evidence: 0 → golden rank1 85.6 % vs 90.7 % at 0.3 (97 entries); 0.2–0.5 equal since.
  entryCoverageWeight: 0.3,
  // Golden top1 95.4 % at 1 (no penalty) vs 95.8 % at 0.4–0.8; fixes "mức 2 …" answered with the "mức 1" entry.
  numberConflictPenalty: 0.6,
  // answerMax/answerGap/answerSure/domainMin: grid (bench/tune.ts) maximising golden top1 with golden wrong ≤ 3 %
  // and oos answered ≤ 10 %: golden top1 97.4 %, wrong 0 %, oos answered 3/39; dev 95–97 % top1, 0 % wrong.
  // Final content (102 entries): golden 296/306 answered right, 0 wrong; probe 103/116, 6 wrong; oos 4/39; dev
  // top1 95.2 %, top3 100 %, 0 % wrong, oos not answered 90 %.
  // A larger gap does not lower probe wrong answers (10 % at 0.09, 8 % at 0.12–0.2): those are near-duplicate entries.
  answerMax: 0.7,
  // Relative gap: (s2 - s1) / (1 - s1). Rechecked with the evidence rules (golden right / probe right (wrong) /
  // oos answered of 59): relative 0.06 → 329/112(5)/11, 0.09 → 326/108(4)/6, 0.12 → 316/105(4)/6; an absolute
  // gap instead: 0.03 → 331/110(5)/8, 0.05 → 320/107(4)/6, 0.07 → 310/105(4)/6 — relative stays.
  answerGap: 0.09,
  answerSure: 0.25,
  // Grid: 0 and 0.02 equal on golden; 0.02 turns ties of a shared keyword ("tổng đài", "VNeID") into suggestions.
  answerSureGap: 0.02,
  // Golden right answers all score ≤ 0.74; oos questions mostly 0.75–1.0, so above 0.8 nothing is worth suggesting.
  suggestMax: 0.8,
  // Unknown-pair share: golden ≥ 0.6 unknown in 7/306, oos in 26/39; the grid picked 0.4 (= ≥ 60 % unknown falls back).
  domainMin: 0.4,
  // 2 → golden top1 90.2 %, 3 → 90.5 %, 4 → 91.5 % (early content); 3 keeps 4-word oos ("giá xăng hôm nay") gated.
  // (Tried and dropped: refusing to answer when the question has a pair of specific words the FAQ never
  // uses together and the best entry lacks — golden right answers 298 → 256, oos answered still 3/39.)
  domainMinPairs: 3,
  // --- Evidence rules (second matching engineer, 2026-11-23; content at 102 entries, golden 341, probe 122,
  // oos 59 = the 39 above + 20 other-app / other-procedure questions; bench/evidence.ts --sweep key=…).
  // Before (previous rules, same content): golden 331/341 answered right, probe 104/116 (4 wrong), oos 16/59
  // answered; dev top1 95.2 %, oos not answered 90 %; held-out (QA) in-scope top1 94.6 %, oos not answered 15/30.
  // After: golden 329/341 (96.5 %, 0 wrong), probe 103/122 (4 wrong; more suggestions), oos 2/59 answered;
  // dev top1 94.0 %, top3 100 %, 0 % wrong, oos not answered 100 %; held-out (QA) in-scope top1 96.2 %
  // (1 wrong, as before), oos not answered 27/30. p99 handle 0.25 ms at the shipped size (npm run bench).
  //
  // Anchors (derived in index.ts: questions of ≥ anchorShare of the entries, answer/question use in
  // [formRatio, 1)): on the shipped content "dinh danh", "dien tu", "tai khoan dinh danh", "vneid", "muc #".
  // Flat for 0.1–0.3 (golden 326, probe 107/122, oos 6/59); 0.5 drops a golden answer.
  anchorShare: 0.2,
  // Flat for 0.3–0.7 on all three sets; 0.5 = "the answers use it at least half as often as the questions".
  formRatio: 0.5,
  // Any unknown word, however short ("mb bank"), can name another app.
  foreignMinLength: 2,
  // Words the FAQ never uses only. Counting rare words too (used by ≤ 1/2/3/5 entries, absent from the best
  // entry) catches more apps the FAQ mentions elsewhere (Facebook, Zalo) but costs golden answers:
  // golden/oos answered 326/6 at 0, 323/6 at 1, 322/5 at 2, 322/4 at 3, 322/3 at 5.
  foreignMaxDf: 0,
  // Probe (122, with six place-less "where"/label/"bao nhiêu năm" questions): wrong 4 at 0.5–0.7, 5 at 0.9–1
  // (a "ra chỗ nào" question answered with the Hà Nội entry); golden and oos flat. (Tried: the penalty on whole
  // place entries, ≥ half of their questions naming a place — same numbers; "thủ đô" → "ha noi" in synonyms —
  // golden −1, probe wrong +1.)
  placePenalty: 0.7,
  // Flat on golden/probe/oos (0.1–0.5 and off: no in-set question is gated with an anchored leader since the
  // clipped-label fix); 0.25 = well above answerGap, so only a clear leader passes the gate.
  gateOverrideGap: 0.25,
  // With subjectShare 0.9 — golden right / probe right / oos answered (of 59): 0.6 → 324/103/1,
  // 0.65–0.7 → 328/103/2, off → 328/103/3. Without subjectShare: 0.45 → 321/97/4, 0.5 → 323/100/6,
  // 0.6 → 326/108/6, 0.65 → 330/108/9, off → 330/108/10.
  // (Tried and dropped: a full keyword match as an anchor — "bao nhiêu tiền", "Hà Nội" are keywords, oos
  // answered 6 → 11; refusing unanchored questions with word pairs the FAQ never uses — golden 326 → 315 at
  // 2 pairs; the share of the question's content words the best entry does not use — in-scope and oos overlap
  // from 0.08 to 0.7.)
  unanchoredAnswerMax: 0.65,
  // golden right / probe right / oos answered (of 59): 0.8 → 321/98/1, 0.9–1 → 328/103/2, off → 330/108/9;
  // dev: top1 94.0 % → 92.8 % (one place paraphrase becomes a suggestion; back to 94.0 % with
  // subjectlessAnswerMax), oos not answered 90 % → 100 %.
  // The in-scope cost is suggestions, never wrong answers; an entry gets out of the rule by having a question
  // worded without "định danh"/"VNeID" (how residents ask about office hours, SIMs, elderly parents…).
  // (Tried and dropped: exempting questions that share a pair only 1–3 entries use — oos answered 2 → 7–9;
  // a stricter unanchored bound for entries with a higher subject share, max − 0.1 × share — oos 2 → 1 of 59,
  // golden/probe equal at max 0.7: not worth another knob.)
  subjectShare: 0.9,
  // golden right / probe right / oos answered (of 59): 0–0.2 → 328/103/2, 0.25–0.35 → 329/103/2,
  // 0.4 → 330/104/3, 0.45 → 330/106/5. Dev top1 92.8 % → 94.0 % at 0.3 (oos still 100 %).
  subjectlessAnswerMax: 0.3,
  // Lead, end of session — dev top1 / golden right / held-out 1 in-scope top1 / held-out 2 in-scope top1,
  // oos refused: 0 (off) → 96.4 % / 329 / 125 / 96, 18/20; 3 → same, 19/20 ("quên mật khẩu facebook");
  // 8 → same, 19/20 (+ "quên mật khẩu zalo" refused); 12 → same; 20 → dev 95.2 % (a real paraphrase lost).
  swapMaxDf: 8,
  // typo set (356): no correction → rank1 319, answered right 278; 4 → 335/319; 5 → 332/313; 6 → 332/313.
  typoMinLength: 4,
  // (Tried and dropped, second engineer: not correcting words that are well-formed Vietnamese syllables
  // ("kinh" → "kich", "ngon" → "ngoai" made other questions look in-domain) — typo set (463) answered right
  // 393 → 365, golden 328 → 327, oos answered 2 → 1 of 59.)
  // typo set at typoMinLength 4: 0.25 → 318, 0.35 → 319, 0.45 → 321 answered right but 0.45 adds oos risk.
  fuse: Object.freeze({ threshold: 0.35, ignoreLocation: true, includeScore: true, isCaseSensitive: false }),
  // --- Long messages (third matching engineer, 2026-11-23; 102 entries). A message that only gets suggestions
  // is matched again from each clause boundary to its end (the question comes last in a resident's story);
  // a trailing run that is answered, names the whole message's first entry and scores clearly better wins.
  // Before → after: dev top1 96.4 % → 96.4 % (0 % wrong, oos not answered 100 %); golden 338 → 339/350;
  // held-out 1 in-scope top1 125 → 126/130 (wrong 1 → 1), oos refused 26/30 → 26/30; held-out 2 96 → 96/100
  // (wrong 0), oos 19/20 → 19/20; QA stress set (20 long/hard) top1 12 → 12, wrong 1 → 1; bench/evidence.ts:
  // probe right 104 → 105/122 (wrong 3 → 3), oos answered 1 → 1/59.
  // Flat for 4–12 tokens (off: 0).
  // (Tried and dropped: also replacing a whole-message ANSWER by a trailing clause's answer naming another of
  // its first three entries and scoring better by 0.1/0.2/0.3 — golden 339 → 334/338/338, no gain elsewhere.)
  clauseMinTokens: 8,
  // 1 = the whole message's first entry. 2–3: dev top1 +1 (97.6 %) but a stress question answered wrongly
  // (an elderly-parent story answered with a level-3 entry from "có cần làm … không") and, with every clause
  // run (not only trailing ones), a held-out question answered from its context clause.
  clauseAgree: 1,
  // With clauseAgree 1: 0–0.05 equal on every set, 0.1 loses the golden gain; 0.05 for safety.
  // (Dropped: splitting before "nhung" typed without diacritics — it is often "những": an oos question
  // "đăng ký xe máy cần những giấy tờ gì" was answered from "những giấy tờ gì", oos answered 1 → 2/59.)
  clauseMargin: 0.05,
  // The engine offers up to 3 suggestions (ARCHITECTURE.md).
  limit: 3,
  agreeMinP: 0.45,
  agreeMinTokens: 3,
  agreeAnswerMax: 0.75,
  agreeGap: 0.06,
  // (2026-12-03, fourth matching engineer.) The classifier sure of the lexical first entry while the lexical lead
  // is tiny (an overlapping pair: "khóa khi mất điện thoại" vs "cách khóa") was right on 6 of 7 such golden/probe
  // questions. npm run tune with agreeStrongP in the grid ([0.6, 0.8, 2]): held-out folds 581 right / 7 wrong /
  // 3 oos answered (off) → 582 / 7 / 3; folds chose 0.6 four times out of five, 2 (off) once; all questions with
  // the shipped config 582 / 4 / 3 → 587 / 5 / 3 (0.7–0.8 the same); holdout 89 / 4 → 90 / 4 of 105; dev unchanged.
  agreeStrongP: 0.6,
  certainGap: 0.15,
  alternativeBand: 0.3,
  scopeGate: true,
  scopeExemptMax: 1,
  multiPart: true,
  partAnswer: true,
  // CV_RESULT (npm run tune = bench/cv.ts; 750 questions: golden 517 + 52 out-of-scope, probe 122, oos 59;
  // 5 folds; 2026-12-03, final content): held-out folds answered right 90.8 % (580/639), answered wrongly 1.3 % (8),
  // rank1 95.0 %, out-of-scope answered 3/111. The thresholds here are the folds' most frequent choice (answerMax 0.7,
  // answerGap 0.09, unanchoredAnswerMax 0.65, agreeMinP 0.45, agreeAnswerMax 0.75, agreeGap 0.06).
  // Held-out set bench/holdout.yaml (130 questions never used for tuning or content), session start → end:
  //   answered right 70.5 % → 84.8 %, answered wrongly 5.7 % → 3.8 %, rank1 81.9 % → 90.5 %,
  //   out-of-scope answered 2/25 → 2/25 (clean out-of-scope reply or fallback 9 → 21 of 25).
  // Ablations (shipped config, all questions; right / wrong / out-of-scope answered — shipped 576 / 5 / 4 at the time):
  //   no question parts (multiPart false) 553 / 16 / 4 · no part answer 574 / 5 / 4 · no scope gate 581 / 6 / 13 ·
  //   no agreement rule 566 / 4 / 2 · no trailing-clause rule 567 / 4 / 4 · no subject rule (subjectShare 2)
  //   568 / 5 / 20 · no whole-entry evidence 555 / 19 / 4 · no place penalty 576 / 7 / 4 · no number-conflict
  //   penalty 576 / 6 / 4 · no gate override 575 / 5 / 4. Neutral on these sets (kept for the failure each was added
  //   for, guarded by tests): sharedKeywordPenalty 0 and swapMaxDf 0 give 576 / 5 / 4. scopeExemptMax 0.5 (answer a
  //   near-domain subject only on a near-paraphrase): 580 / 8 / 4 vs 586 / 8 / 5 at 1 — right − 4 × answered favours 1.
  // Session of 2026-12-03, fourth matching engineer (npm run tune, same 750 questions; the grid now also has
  // agreeStrongP): held-out folds 580 right / 8 wrong / 3 out-of-scope answered → 582 / 7 / 1; holdout
  // 89 / 4 / 2 of 105 + 25 → 90 / 4 / 2; dev top1 96.4 %, 0 % wrong, unchanged. Steps: two questions cut without
  // a question mark (clauses.ts) 580/8 → 581/7 (14 fresh two-part messages: first question answered right 8 → 10,
  // both answered 6); agreeStrongP 0.6 581/7 → 582/7, holdout 89 → 90; bank/e-wallet names in the scope list
  // oos 3 → 1 (these oos questions are in the folds: optimistic; holdout unchanged).
  //   Not done (for the next session): entryCoverageWeight, held-out folds right / wrong / oos answered —
  //   0.2 → 580/9/2, 0.3 → 582/7/1, 0.35 → 581/5/1, 0.4 → 589/7/1, 0.5 → 587/10/1; but at 0.35 the folds choose
  //   other thresholds (answerMax 0.75, answerGap 0.15, agreeMinP 0.1, agreeStrongP off): a joint re-tune.
  //   (Tried and dropped: of two answered comma-cut parts, the surer one first — CV +1 but holdout 89/4 → 88/5;
  //   the whole message's top entry first — the golden set asks the first question first, 18 wrong.)
  ngram: Object.freeze({ epochs: 8, rate: 0.8, charMin: 3, charMax: 5, keywordWeight: 0.5, maxCost: 5_000_000 }),
});
