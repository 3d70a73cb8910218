// Every tunable number of the matcher, in one frozen object. Scores follow the fuse.js convention:
// 0 = perfect, 1 = nothing in common. Each value says what chose it; "golden" = content/golden/*.yaml
// through the loader, "dev" = `node ../shared/eval/score.mjs` (both measured with `npm run bench -- --tune`).

export interface MatchConfig {
  /** Weight of a two-word feature ("tai khoan") relative to its words' IDF. */
  bigramWeight: number;
  /** IDF given to a query word the FAQ never uses, as a fraction of the largest IDF. */
  unknownWeight: number;
  /** Exponent of query coverage in the similarity (the rest goes to question coverage). */
  queryCoverageExp: number;
  /** Keyword records count this much of a question record. */
  keywordWeight: number;
  /** Words found only in an entry's answer count this much in its coverage (0 = answers not used). */
  answerWeight: number;
  /** Share of the final similarity from the whole entry's coverage of the question (vs the best single question). */
  entryCoverageWeight: number;
  /** Answer: best score at most this… */
  answerMax: number;
  /** …and ahead of the second entry by at least this much. */
  answerGap: number;
  /** Answer regardless of the gap when the best score is at most this. */
  answerSure: number;
  /** Suggest ("Ý bạn là…?") when the best score is at most this; above it: fallback. */
  suggestMax: number;
  /** Fallback when less than this share of the question's weight is FAQ vocabulary (domain gate). */
  domainMin: number;
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
  queryCoverageExp: 0.5,
  keywordWeight: 0.9,
  answerWeight: 0,
  entryCoverageWeight: 0.3,
  answerMax: 0.55,
  answerGap: 0.05,
  answerSure: 0.3,
  suggestMax: 0.8,
  domainMin: 0.3,
  typoMinLength: 5,
  fuse: Object.freeze({ threshold: 0.25, ignoreLocation: true, includeScore: true, isCaseSensitive: false }),
  limit: 3,
});
