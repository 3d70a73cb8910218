// Every tunable number of the matcher, in one frozen object. Scores follow the fuse.js convention:
// 0 = perfect, 1 = nothing in common. Each value says what chose it; "golden" = content/golden/*.yaml
// through the loader, "dev" = `node ../shared/eval/score.mjs` (both measured with `npm run bench -- --tune`).

export interface MatchConfig {
  /** Weight of a two-word feature ("tai khoan") relative to its words' IDF. */
  bigramWeight: number;
  /** IDF given to a query word the FAQ never uses, as a fraction of the largest IDF. */
  unknownWeight: number;
  /** IDF given to a query word only the answers use, as a fraction of the largest IDF. */
  answerOnlyWeight: number;
  /** Exponent of query coverage in the similarity (the rest goes to question coverage). */
  queryCoverageExp: number;
  /** Keyword records count this much of a question record. */
  keywordWeight: number;
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
  /** Answer regardless of the gap when the best score is at most this. */
  answerSure: number;
  /** Suggest ("Ý bạn là…?") when the best score is at most this; above it: fallback. */
  suggestMax: number;
  /** Fallback when less than this share of the question's word pairs occur anywhere in the FAQ (domain gate). */
  domainMin: number;
  /** The domain gate applies from this many word pairs (= words - 1) up. */
  domainMinPairs: number;
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
  /** Candidates kept and returned (the engine shows up to 3). */
  limit: number;
}

export const MATCH_CONFIG: Readonly<MatchConfig> = Object.freeze({
  bigramWeight: 0.6,
  unknownWeight: 0.6,
  answerOnlyWeight: 0.6,
  queryCoverageExp: 0.5,
  keywordWeight: 0.9,
  answerWeight: 0,
  entryCoverageWeight: 0.3,
  numberConflictPenalty: 0.6,
  answerMax: 0.75,
  answerGap: 0.09,
  answerSure: 0.25,
  suggestMax: 0.8,
  domainMin: 0.4,
  domainMinPairs: 3,
  typoMinLength: 5,
  fuse: Object.freeze({ threshold: 0.25, ignoreLocation: true, includeScore: true, isCaseSensitive: false }),
  limit: 3,
});
