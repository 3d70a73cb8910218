// Cross-validated tuning of the decision (issue: "an evaluation that predicts unseen wording").
//   npx tsx bench/cv.ts [--folds 5] [--list]   (TRY='{"key":value}' a config variant; GRID='{"key":[…]}' one more grid axis)
// The labelled questions — content/golden (the team's resident-style set, with its out-of-scope file),
// bench/probe.yaml and bench/out-of-scope.txt — are split into k folds (deterministic, stratified by set).
// For each fold the decision thresholds are chosen on the other k−1 folds (max right − 4 × wrong answers −
// 4 × out-of-scope answered), then measured on the held-out fold. The held-out figures are what predicts
// unseen wording; the figures of the shipped config on all questions are printed for comparison (optimistic:
// the shipped config was chosen on them).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { createMatcher, decide, MATCH_CONFIG, clauses, type MatchConfig, type MatchTrace } from '../src/match/index.js';
import { benchContent } from './content.js';

const args = process.argv.slice(2);
const K = Number(args[args.indexOf('--folds') + 1] || 5) || 5;
const content = benchContent(process.env.CONTENT_DIR ?? 'content');
const OOS = 'out-of-scope';
const probe: { q: string; id: string }[] = parse(readFileSync(new URL('./probe.yaml', import.meta.url), 'utf8')).questions;
const oosTxt = readFileSync(new URL('./out-of-scope.txt', import.meta.url), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
interface Item { set: string; q: string; id: string }
const items: Item[] = [
  ...content.golden.map((g) => ({ set: g.id === OOS ? 'golden-oos' : 'golden', q: g.q, id: g.id })),
  ...probe.map((p) => ({ set: 'probe', q: p.q, id: p.id })),
  ...oosTxt.map((q) => ({ set: 'oos', q, id: OOS })),
];
// --extra FILE: another labelled set ({ questions: [{ q, id }] }) measured alongside.
const extraAt = args.indexOf('--extra');
if (extraAt >= 0)
  for (const x of parse(readFileSync(args[extraAt + 1], 'utf8')).questions as { q: string; id: string }[])
    items.push({ set: x.id === OOS ? 'extra-oos' : 'extra', q: x.q, id: x.id });

// Traces do not depend on the decision thresholds: compute them once (whole message and trailing clause runs).
// TRY='{"placePenalty":1}' measures a variant of the shipped config (traces and decision) on every set.
const TRY = JSON.parse(process.env.TRY ?? '{}') as Partial<MatchConfig>;
const base = { ...MATCH_CONFIG, ...TRY } as MatchConfig;
const m = createMatcher(content, base);
type Pre = { whole: MatchTrace; runs: MatchTrace[] };
const pre: Pre[] = items.map(({ q }) => {
  const whole = m.trace(q, 3);
  const parts = clauses(q);
  const runs = base.clauseMinTokens > 0 && whole.tokens.length >= base.clauseMinTokens && parts.length > 1 ? parts.slice(1).map((_, i) => m.trace(parts.slice(i + 1).join(' '), 3)) : [];
  return { whole, runs };
});

function decideOne(t: MatchTrace, c: MatchConfig) {
  if (!t.candidates.length) return 'fallback';
  const s2 = t.candidates[1]?.score ?? 1;
  return decide(t.candidates[0].score, s2, t.domain, c, { anchored: t.anchored, foreign: t.foreign.length, subjectless: t.subjectless, swapped: t.swapped, agree: t.opinion.agree, pTop: t.opinion.pTop, tokens: t.tokens.length });
}
/** The pipeline's decision with config c: whole message, then trailing clause runs when it only suggests. */
function outcome(p: Pre, c: MatchConfig): { decision: string; id?: string } {
  if (p.whole.decision === 'out-of-scope') return { decision: 'out-of-scope' };
  const d = decideOne(p.whole, c);
  const id = p.whole.candidates[0]?.id;
  if (d === 'suggest' && p.runs.length) {
    let best: MatchTrace | undefined;
    for (const r of p.runs) {
      if (decideOne(r, c) !== 'answer' || r.candidates[0].id !== id || r.candidates[0].score > p.whole.candidates[0].score - c.clauseMargin) continue;
      if (!best || r.candidates[0].score < best.candidates[0].score) best = r;
    }
    if (best) return { decision: 'answer', id };
  }
  return { decision: d, id };
}
interface Tally { n: number; inScope: number; right: number; wrong: number; rank1: number; oos: number; oosAnswered: number }
const tally = (idx: number[], c: MatchConfig): Tally => {
  const t: Tally = { n: idx.length, inScope: 0, right: 0, wrong: 0, rank1: 0, oos: 0, oosAnswered: 0 };
  for (const i of idx) {
    const o = outcome(pre[i], c);
    if (items[i].id === OOS) {
      t.oos++;
      if (o.decision === 'answer') t.oosAnswered++;
    } else {
      t.inScope++;
      if (pre[i].whole.candidates[0]?.id === items[i].id) t.rank1++;
      if (o.decision === 'answer') o.id === items[i].id ? t.right++ : t.wrong++;
    }
  }
  return t;
};
// A wrong answer (or an out-of-scope question answered) costs PENALTY right answers (default 4).
const PENALTY = Number(process.env.PENALTY ?? 4);
const objective = (t: Tally) => t.right - PENALTY * t.wrong - PENALTY * t.oosAnswered;

const GRID: Partial<Record<keyof MatchConfig, number[]>> = {
  answerMax: [0.6, 0.65, 0.7, 0.75],
  answerGap: [0.06, 0.09, 0.12, 0.15],
  unanchoredAnswerMax: [0.5, 0.55, 0.6, 0.65],
  agreeMinP: [0.1, 0.2, 0.3, 0.45, 2],
  agreeAnswerMax: [0.75, 0.8, 0.85],
  agreeGap: [0, 0.03, 0.06],
  agreeStrongP: [0.6, 0.8, 2],
  // GRID='{"key":[…]}' adds or replaces a grid axis.
  ...(process.env.GRID ? (JSON.parse(process.env.GRID) as Partial<Record<keyof MatchConfig, number[]>>) : {}),
};
const keys = Object.keys(GRID) as (keyof MatchConfig)[];
function* configs(): Generator<MatchConfig> {
  const idx = keys.map(() => 0);
  for (;;) {
    const c = { ...base } as MatchConfig;
    keys.forEach((k, i) => ((c as unknown as Record<string, number>)[k] = GRID[k]![idx[i]]));
    yield c;
    let i = 0;
    while (i < keys.length && ++idx[i] >= GRID[keys[i]]!.length) idx[i++] = 0;
    if (i === keys.length) return;
  }
}
const all = [...configs()];
// Folds: round-robin within each set, so every fold has its share of each set.
const fold = new Array<number>(items.length);
const perSet = new Map<string, number>();
items.forEach((it, i) => {
  const k = perSet.get(it.set) ?? 0;
  perSet.set(it.set, k + 1);
  fold[i] = (k * 7 + it.set.length) % K;
});
const held: Tally = { n: 0, inScope: 0, right: 0, wrong: 0, rank1: 0, oos: 0, oosAnswered: 0 };
const chosen: string[] = [];
for (let f = 0; f < K; f++) {
  const train = items.map((_, i) => i).filter((i) => fold[i] !== f);
  const test = items.map((_, i) => i).filter((i) => fold[i] === f);
  let best = all[0];
  let bestV = -Infinity;
  for (const c of all) {
    const v = objective(tally(train, c));
    if (v > bestV) [bestV, best] = [v, c];
  }
  const t = tally(test, best);
  for (const k of Object.keys(held) as (keyof Tally)[]) held[k] += t[k];
  chosen.push(keys.map((k) => `${k}=${best[k]}`).join(' '));
}
const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)} %`;
const line = (name: string, t: Tally) =>
  `${name}: in-scope ${t.inScope} — answered right ${pct(t.right, t.inScope)} (${t.right}), wrong ${pct(t.wrong, t.inScope)} (${t.wrong}), rank1 ${pct(t.rank1, t.inScope)}; out-of-scope ${t.oos} — answered ${t.oosAnswered}`;
console.log(`${items.length} questions (${[...perSet].map(([k, v]) => `${k} ${v}`).join(', ')}), ${K} folds, ${all.length} configs`);
console.log(line('held-out folds (tuned on the other folds)', held));
const everyone = items.map((_, i) => i);
const shipped = base;
console.log(line('shipped config, all questions (optimistic)', tally(everyone, shipped)));
for (const set of perSet.keys()) console.log('  ' + line(`shipped · ${set}`, tally(everyone.filter((i) => items[i].set === set), shipped)));
console.log('chosen per fold:\n  ' + chosen.join('\n  '));
// The held-out set (bench/holdout.yaml): measured with the shipped config only, never part of the folds.
{
  const hold: Item[] = (parse(readFileSync(new URL('./holdout.yaml', import.meta.url), 'utf8')).questions as { q: string; id: string; also?: string }[]).map(
    (x) => ({ set: 'holdout', q: x.q, id: x.id === OOS ? OOS : x.id }),
  );
  const alsoOf = new Map((parse(readFileSync(new URL('./holdout.yaml', import.meta.url), 'utf8')).questions as { q: string; also?: string }[]).map((x) => [x.q, x.also]));
  const t: Tally = { n: hold.length, inScope: 0, right: 0, wrong: 0, rank1: 0, oos: 0, oosAnswered: 0 };
  let clean = 0;
  for (const it of hold) {
    const tr = m.trace(it.q, 3);
    const top = tr.candidates[0]?.id;
    if (it.id === OOS) {
      t.oos++;
      if (tr.decision === 'answer') t.oosAnswered++;
      if (tr.decision === 'out-of-scope' || tr.decision === 'fallback') clean++;
      continue;
    }
    t.inScope++;
    if (top === it.id) t.rank1++;
    if (tr.decision === 'answer') top === it.id ? t.right++ : top !== alsoOf.get(it.q) && t.wrong++;
  }
  console.log(line('held-out set bench/holdout.yaml, shipped config', t) + ` (${clean} with the out-of-scope reply or fallback)`);
}
if (args.includes('--list'))
  for (const i of everyone) {
    const o = outcome(pre[i], base);
    const ok = items[i].id === OOS ? o.decision !== 'answer' : o.decision === 'answer' && o.id === items[i].id;
    if (!ok) console.log(`  [${items[i].set}] [${o.decision}] ${items[i].q}\n     want ${items[i].id}; got ${pre[i].whole.candidates.map((c) => `${c.id} ${c.score}`).join(' | ')} agree ${pre[i].whole.opinion.agree} p ${pre[i].whole.opinion.pTop.toFixed(2)}`);
  }
