// The matcher contract: normalised text in, ranked entries and a decision out.

export type Decision = 'answer' | 'suggest' | 'fallback';

export interface Candidate {
  /** Entry id. */
  id: string;
  /** Best score of the entry in [0, 1], 0 = perfect match (fuse.js convention). */
  score: number;
  /** The entry question or keyword that matched best. */
  question: string;
}

export interface MatchResult {
  /** The normalised match key the index was searched with. */
  normalized: string;
  /** Best entries, best first, at most `limit` (default 3), one per entry. */
  candidates: Candidate[];
  /** answer: candidates[0] is confident; suggest: offer candidates as "Ý bạn là…?"; fallback: nothing fits. */
  decision: Decision;
}

export interface Matcher {
  /** Content version the index was built for. */
  readonly version: string;
  match(text: string, limit?: number): MatchResult;
}
