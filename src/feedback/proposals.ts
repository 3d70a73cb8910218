// Proposals computed from the evidence in the store (DATA_DIR/bot.db, or PostgreSQL with DATABASE_URL), per entry:
//   - alternates: masked questions whose resident picked this entry from a list (usage store, questions.picked_id)
//     or re-asked and got it (feedback kind 'reask') — candidate new `questions:` lines;
//   - disliked: answers marked 👎, with count and rate;
//   - clusters: unanswered questions (fallback / suggestion with no pick, near-domain out-of-scope) grouped by
//     similarity (token Jaccard, greedy leaders over an inverted index), so staff read clusters, not rows.
// Playground ('web') and terminal ('cli') questions are kept apart unless `includePlayground`.
// Proposals already accepted or skipped ("Bỏ qua"), and questions the entry already has, are left out.
import type { Content } from '../content/types.js';
import type { SqlAll } from '../store/sql.js';
import { normalize } from '../match/normalize.js';

export interface AlternateProposal {
  key: string;
  entryId: string;
  entryTitle: string;
  question: string;
  count: number;
  picks: number;
  reasks: number;
}
export interface DislikedEntry {
  entryId: string;
  entryTitle: string;
  up: number;
  down: number;
  /** down / (up + down). */
  rate: number;
  examples: string[];
}
export interface Cluster {
  key: string;
  /** Rows in the cluster. */
  count: number;
  /** Distinct questions, most frequent first (at most 5). */
  examples: string[];
  /** The entry the matcher found closest most often, if any: "Thêm vào mục …" target. */
  entryId?: string;
  entryTitle?: string;
}
export interface Proposals {
  days: number;
  since: string;
  includePlayground: boolean;
  alternates: AlternateProposal[];
  disliked: DislikedEntry[];
  clusters: Cluster[];
  ms: number;
}

export interface ProposalOptions {
  days: number;
  includePlayground?: boolean;
  now?: number;
  /** Most items per list (default 100). */
  limit?: number;
}

/** Two questions belong to one cluster at this token Jaccard similarity or more (0.5: share half their words). */
export const CLUSTER_SIMILARITY = 0.5;
/** A token in more than this share of distinct questions ("vneid", "lam sao") does not select candidates. */
const COMMON_TOKEN_SHARE = 0.2;

const sinceDay = (days: number, now: number) => new Date(now - (days - 1) * 86_400_000).toISOString().slice(0, 10);
/** A masked question ("… [sđt] …") is never proposed as an FAQ question. */
const MASKED = /\[(?:email|sđt|số định danh|mã)\]/;

export function proposalKey(kind: 'alt' | 'clu', entryId: string, normalized: string): string {
  return `${kind}|${entryId}|${normalized}`;
}

/** Reads the evidence (SQLite or PostgreSQL, see src/store/sql.ts) and computes the proposals. */
export async function computeProposals(all: SqlAll, content: Content, opts: ProposalOptions): Promise<Proposals> {
  const t0 = performance.now();
  const now = opts.now ?? Date.now();
  const since = sinceDay(opts.days, now);
  const limit = opts.limit ?? 100;
  const includePlayground = !!opts.includePlayground;
  const chan = includePlayground ? '' : `AND channel NOT IN ('web', 'cli')`;
  const decided = new Set((await all<{ key: string }>(`SELECT key FROM proposal_state`, [])).map((r) => r.key));
  const title = (id: string) => content.byId.get(id)?.questions[0] ?? id;
  const norm = (q: string) => normalize(q, content.synonyms);
  const known = new Map<string, Set<string>>();
  const has = (entryId: string, q: string) => {
    let set = known.get(entryId);
    if (!set) {
      set = new Set((content.byId.get(entryId)?.questions ?? []).map(norm));
      known.set(entryId, set);
    }
    return set.has(norm(q));
  };

  // Alternates: picks and re-asks.
  const alt = new Map<string, AlternateProposal>();
  const addAlt = (entryId: string, question: string, n: number, source: 'picks' | 'reasks') => {
    if (!content.byId.has(entryId) || MASKED.test(question) || !question.trim()) return;
    const key = proposalKey('alt', entryId, norm(question));
    if (decided.has(key) || has(entryId, question)) return;
    const p = alt.get(key) ?? { key, entryId, entryTitle: title(entryId), question, count: 0, picks: 0, reasks: 0 };
    p.count += n;
    p[source] += n;
    alt.set(key, p);
  };
  type Alt = { id: string; q: string; n: number };
  for (const r of await all<Alt>(
    `SELECT picked_id AS id, MIN(example) AS q, CAST(COUNT(*) AS INTEGER) AS n FROM questions WHERE day >= ? AND picked_id IS NOT NULL ${chan} GROUP BY picked_id, normalized`,
    [since],
  ))
    addAlt(r.id, r.q, r.n, 'picks');
  for (const r of await all<Alt>(
    `SELECT entry_id AS id, MIN(question) AS q, CAST(COUNT(*) AS INTEGER) AS n FROM feedback WHERE day >= ? AND kind = 'reask' ${chan} GROUP BY entry_id, normalized`,
    [since],
  ))
    addAlt(r.id, r.q, r.n, 'reasks');
  const alternates = [...alt.values()].sort((a, b) => b.count - a.count || a.entryId.localeCompare(b.entryId)).slice(0, limit);

  // Disliked answers.
  const votes = await all<{ id: string; up: number; down: number }>(
    `SELECT entry_id AS id, CAST(SUM(CASE WHEN kind = 'up' THEN 1 ELSE 0 END) AS INTEGER) AS up,
       CAST(SUM(CASE WHEN kind = 'down' THEN 1 ELSE 0 END) AS INTEGER) AS down
     FROM feedback WHERE day >= ? AND kind IN ('up', 'down') ${chan} GROUP BY entry_id`,
    [since],
  );
  const disliked: DislikedEntry[] = votes
    .filter((v) => v.down > 0)
    .map((v) => ({ entryId: v.id, entryTitle: title(v.id), up: v.up, down: v.down, rate: v.down / (v.up + v.down), examples: [] as string[] }))
    .sort((a, b) => b.down - a.down || b.rate - a.rate || a.entryId.localeCompare(b.entryId))
    .slice(0, limit);
  for (const d of disliked) {
    const rows = await all<{ question: string }>(
      `SELECT question FROM feedback WHERE day >= ? AND kind = 'down' AND entry_id = ? AND question IS NOT NULL ${chan}
       GROUP BY question ORDER BY COUNT(*) DESC, question LIMIT 3`,
      [since, d.entryId],
    );
    d.examples = rows.map((e) => e.question);
  }

  // Unanswered questions, grouped by exact match key first (SQL), then by similarity.
  const groups = await all<Group>(
    `SELECT normalized, MIN(q) AS q, CAST(SUM(n) AS INTEGER) AS n, MAX(top) AS top FROM (
       SELECT normalized, MIN(example) AS q, COUNT(*) AS n, MAX(top_id) AS top FROM questions
         WHERE day >= ? AND picked_id IS NULL ${chan} GROUP BY normalized
       UNION ALL
       SELECT normalized, MIN(question) AS q, COUNT(*) AS n, NULL AS top FROM feedback
         WHERE day >= ? AND kind = 'oos' AND normalized IS NOT NULL ${chan} GROUP BY normalized) AS unanswered
     GROUP BY normalized ORDER BY n DESC, normalized`,
    [since, since],
  );
  const clusters = cluster(groups)
    .map((c): Cluster => {
      const top = c.top && content.byId.has(c.top) ? c.top : undefined;
      const key = proposalKey('clu', '', c.leader);
      return { key, count: c.count, examples: c.examples, ...(top ? { entryId: top, entryTitle: title(top) } : {}) };
    })
    .filter((c) => !decided.has(c.key))
    .slice(0, limit);

  return { days: opts.days, since, includePlayground, alternates, disliked, clusters, ms: Math.round(performance.now() - t0) };
}

interface Group {
  normalized: string;
  q: string;
  n: number;
  top: string | null;
}

/** Greedy leader clustering: each group (most frequent first) joins the most similar leader ≥ CLUSTER_SIMILARITY. */
function cluster(groups: Group[]): { leader: string; count: number; examples: string[]; top: string | null }[] {
  const tokensOf = groups.map((g) => [...new Set(g.normalized.split(' ').filter(Boolean))]);
  const df = new Map<string, number>();
  for (const ts of tokensOf) for (const t of ts) df.set(t, (df.get(t) ?? 0) + 1);
  const common = Math.max(5, groups.length * COMMON_TOKEN_SHARE);
  const leaders: { tokens: Set<string>; out: { leader: string; count: number; examples: string[]; top: string | null }; tops: Map<string, number> }[] = [];
  const index = new Map<string, number[]>();
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    const toks = tokensOf[i];
    let best = -1;
    let bestSim = CLUSTER_SIMILARITY;
    const tried = new Set<number>();
    for (const t of toks) {
      if ((df.get(t) ?? 0) > common) continue;
      for (const li of index.get(t) ?? []) {
        if (tried.has(li)) continue;
        tried.add(li);
        const L = leaders[li].tokens;
        let inter = 0;
        for (const x of toks) if (L.has(x)) inter++;
        const sim = inter / (toks.length + L.size - inter);
        if (sim >= bestSim) {
          bestSim = sim;
          best = li;
        }
      }
    }
    if (best < 0) {
      best = leaders.length;
      leaders.push({ tokens: new Set(toks), out: { leader: g.normalized, count: 0, examples: [], top: null }, tops: new Map() });
      for (const t of toks) {
        if ((df.get(t) ?? 0) > common) continue;
        const l = index.get(t);
        if (l) l.push(best);
        else index.set(t, [best]);
      }
    }
    const L = leaders[best];
    L.out.count += g.n;
    if (L.out.examples.length < 5) L.out.examples.push(g.q);
    if (g.top) L.tops.set(g.top, (L.tops.get(g.top) ?? 0) + g.n);
  }
  for (const L of leaders) L.out.top = [...L.tops.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return leaders.map((l) => l.out).sort((a, b) => b.count - a.count);
}
