// Tuning harness: golden-set accuracy of the matcher, optionally sweeping one config value.
//   npx tsx bench/tune.ts [--failures] [--set key=v1,v2,…]
import { readFileSync } from 'node:fs';
import { createMatcher, decide } from '../src/match/index.js';
import { MATCH_CONFIG, type MatchConfig } from '../src/match/config.js';
import { benchContent } from './content.js';

const args = process.argv.slice(2);
const content = benchContent(process.env.CONTENT_DIR ?? 'content');
const showFailures = args.includes('--failures');
const setArg = args.indexOf('--set');
const sweeps: [keyof MatchConfig, number[]][] = setArg >= 0
  ? args[setArg + 1].split(';').map((s) => { const [k, v] = s.split('='); return [k as keyof MatchConfig, v.split(',').map(Number)]; })
  : [];

const MAXWRONG = Number(process.env.MAXWRONG ?? 0.03);
const MAXOOS = Number(process.env.MAXOOS ?? 0.1);
const oos = readFileSync(new URL('./out-of-scope.txt', import.meta.url), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));

/** Best thresholds on this config's scores: max golden top1 with wrong ≤ 2 % and OOS answered ≤ 5 %. */
function grid(cfg: MatchConfig): string {
  const m = createMatcher(content, cfg);
  const g = content.golden.map((x) => ({ t: m.trace(x.q, 3), id: x.id }));
  const o = oos.map((q) => m.trace(q, 3));
  const s = (t: ReturnType<typeof m.trace>, i: number) => (t.candidates[i] ? t.candidates[i].score : 1);
  let bestRes = { top1: -1, line: '' };
  for (const answerMax of [0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9])
    for (const answerGap of [0, 0.03, 0.06, 0.09, 0.12, 0.15, 0.2, 0.25, 0.3])
      for (const answerSure of [0, 0.1, 0.2, 0.25, 0.3]) for (const answerSureGap of [0, 0.01, 0.02, 0.04])
        for (const domainMin of [0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45]) {
          const c = { ...cfg, answerMax, answerGap, answerSure, answerSureGap, domainMin };
          let top1 = 0, wrong = 0, oosAns = 0;
          for (const { t, id } of g) {
            const d = decide(s(t, 0), s(t, 1), t.domain, c, { anchored: t.anchored, foreign: t.foreign.length, subjectless: t.subjectless });
            if (d === 'answer') t.candidates[0]?.id === id ? top1++ : wrong++;
          }
          for (const t of o) if (decide(s(t, 0), s(t, 1), t.domain, c, { anchored: t.anchored, foreign: t.foreign.length, subjectless: t.subjectless }) === 'answer') oosAns++;
          if (wrong / g.length <= MAXWRONG && oosAns / o.length <= MAXOOS && top1 > bestRes.top1)
            bestRes = { top1, line: `grid best: top1 ${((100 * top1) / g.length).toFixed(1)}% wrong ${((100 * wrong) / g.length).toFixed(1)}% oosAnswered ${oosAns}/${o.length} at answerMax ${answerMax} gap ${answerGap} sure ${answerSure}/${answerSureGap} domainMin ${domainMin}` };
        }
  const rank1 = g.filter(({ t, id }) => t.candidates[0]?.id === id).length;
  return `rank1 ${((100 * rank1) / g.length).toFixed(1)}% · ${bestRes.line}`;
}

function run(cfg: MatchConfig, print: boolean): string {
  const m = createMatcher(content, cfg);
  let top1 = 0, top3 = 0, wrong = 0, sugg = 0, fb = 0;
  const fails: string[] = [];
  for (const g of content.golden) {
    const t = m.trace(g.q);
    const ok1 = t.decision === 'answer' && t.candidates[0]?.id === g.id;
    const in3 = t.candidates.slice(0, 3).some((c) => c.id === g.id);
    if (ok1) top1++;
    if (ok1 || in3) top3++;
    if (t.decision === 'answer' && !ok1) wrong++;
    if (t.decision === 'suggest') sugg++;
    if (t.decision === 'fallback') fb++;
    if (!ok1 && print) fails.push(`  [${t.decision}] ${g.q}\n     want ${g.id}; got ${t.candidates.map((c) => `${c.id} ${c.score}`).join(' | ')}\n     key: ${t.normalized} (domain ${t.domain.toFixed(2)})`);
  }
  const n = content.golden.length;
  const pct = (x: number) => ((100 * x) / n).toFixed(1);
  if (print && showFailures) console.log(fails.join('\n'));
  return `golden ${n}: top1 ${pct(top1)}% top3 ${pct(top3)}% wrong ${pct(wrong)}% suggest ${pct(sugg)}% fallback ${pct(fb)}%`;
}

import { parse } from 'yaml';
const probe: { q: string; id: string }[] = parse(readFileSync(new URL('./probe.yaml', import.meta.url), 'utf8')).questions;
console.log(`entries ${content.entries.length}`);
{
  const m = createMatcher(content);
  let ok = 0, in3 = 0, wrong = 0;
  for (const p of probe) {
    const t = m.trace(p.q);
    const good = t.decision === 'answer' && t.candidates[0]?.id === p.id;
    if (good) ok++;
    if (t.candidates.some((c) => c.id === p.id)) in3++;
    if (t.decision === 'answer' && !good) wrong++;
    if (!good && args.includes('--probe')) console.log(`  P[${t.decision}] ${p.q}\n     want ${p.id}; got ${t.candidates.map((c) => `${c.id} ${c.score}`).join(' | ')}\n     key: ${t.normalized}`);
  }
  console.log(`probe ${probe.length}: top1 ${ok} top3 ${in3} wrong ${wrong}`);
}
console.log('base', run({ ...MATCH_CONFIG }, true));
if (args.includes('--oos')) {
  const m = createMatcher(content);
  for (const q of oos) { const t = m.trace(q); console.log(`  [${t.decision}] ${q} → ${t.normalized} (domain ${t.domain.toFixed(2)}) ${t.candidates.map((c) => `${c.id} ${c.score}`).join(' | ')}`); }
}
console.log('base', grid({ ...MATCH_CONFIG }));
for (const [k, vs] of sweeps) for (const v of vs) console.log(`${k}=${v}`, grid({ ...MATCH_CONFIG, [k]: v }));
if (args.includes('--dist')) {
  const m = createMatcher(content);
  const rows = content.golden.map((x) => { const t = m.trace(x.q, 3); return { ok: t.candidates[0]?.id === x.id, s1: t.candidates[0]?.score ?? 1, gap: (t.candidates[1]?.score ?? 1) - (t.candidates[0]?.score ?? 1), dom: t.domain, q: x.q }; });
  const o = oos.map((q) => { const t = m.trace(q, 3); return { ok: false, s1: t.candidates[0]?.score ?? 1, gap: (t.candidates[1]?.score ?? 1) - (t.candidates[0]?.score ?? 1), dom: t.domain, q }; });
  const show = (name: string, rs: typeof rows) => console.log(name, rs.map((r) => `${r.s1.toFixed(2)}/${r.gap.toFixed(2)}`).sort().join(' '));
  show('RANK-OK ', rows.filter((r) => r.ok));
  show('RANK-BAD', rows.filter((r) => !r.ok));
  show('OOS     ', o);
}
