// The matcher contract: normalised text in, ranked entries and a decision out.

export type Decision = 'answer' | 'suggest' | 'fallback' | 'out-of-scope';

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
  /**
   * With an answer that is likely but not certain: the close runners-up, offered under the answer
   * ("Hoặc bạn muốn hỏi: …").
   */
  alternatives?: Candidate[];
  /** A message with two questions answered by two entries: the second one (candidates[0] answers the first). */
  also?: Candidate;
  /** With decision 'out-of-scope': the near-domain subject named (content/out-of-scope.yaml). */
  scope?: { id: string; name: string };
}

export interface Matcher {
  /** Content version the index was built for. */
  readonly version: string;
  match(text: string, limit?: number): MatchResult;
}
