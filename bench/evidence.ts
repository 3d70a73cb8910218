// Evidence rules on the golden set, the probe and the out-of-scope list: which questions have foreign words,
// which are anchored, and what each rule changes.
//   npx tsx bench/evidence.ts [--list] [--sweep key=v1,v2,…]
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { createMatcher } from '../src/match/index.js';
import { benchContent } from './content.js';

const content = benchContent(process.env.CONTENT_DIR ?? 'content');
const m = createMatcher(content);
const probe: { q: string; id: string }[] = parse(readFileSync(new URL('./probe.yaml', import.meta.url), 'utf8')).questions;
const oos = readFileSync(new URL('./out-of-scope.txt', import.meta.url), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
const list = process.argv.includes('--list');
const sets: [string, { q: string; id: string }[]][] = [
  ['golden', content.golden.map((g) => ({ q: g.q, id: g.id }))],
  ['probe', probe],
  ['oos', oos.map((q) => ({ q, id: 'fallback' }))],
];
for (const [name, qs] of sets) {
  let right = 0, wrong = 0, sugg = 0, fb = 0, foreign = 0, unanchored = 0;
  for (const { q, id } of qs) {
    const t = m.trace(q);
    const top = t.candidates[0]?.id;
    if (t.decision === 'answer') (top === id ? right++ : wrong++);
    else if (t.decision === 'suggest') sugg++;
    else fb++;
    if (t.foreign.length) foreign++;
    if (!t.anchored) unanchored++;
    const bad = id === 'fallback' ? t.decision === 'answer' : t.decision !== 'answer' || top !== id;
    if (list && bad)
      console.log(`  ${name} [${t.decision}] ${q}\n     want ${id}; got ${t.candidates.map((c) => `${c.id} ${c.score}`).join(' | ')}\n     key: ${t.normalized} dom ${t.domain.toFixed(2)} foreign [${t.foreign}] anchors [${t.anchors}] anchored ${t.anchored} placeOnly ${t.placeOnly}`);
  }
  console.log(`${name} ${qs.length}: answered right ${right}, wrong ${wrong}, suggest ${sugg}, fallback ${fb}; with foreign words ${foreign}, unanchored ${unanchored}`);
}

// Sweep: npx tsx bench/evidence.ts --sweep key=v1,v2
import { MATCH_CONFIG, type MatchConfig } from '../src/match/config.js';
const si = process.argv.indexOf('--sweep');
if (si >= 0) {
  const [key, vals] = process.argv[si + 1].split('=');
  for (const v of vals.split(',').map(Number)) {
    const mm = createMatcher(content, { ...MATCH_CONFIG, [key as keyof MatchConfig]: v });
    const out: string[] = [];
    for (const [name, qs] of sets) {
      let right = 0, wrong = 0;
      for (const { q, id } of qs) {
        const t = mm.trace(q);
        if (t.decision === 'answer') (t.candidates[0]?.id === id ? right++ : wrong++);
      }
      out.push(name === 'oos' ? `oos answered ${wrong}/${qs.length}` : `${name} right ${right}/${qs.length} wrong ${wrong}`);
    }
    console.log(`${key}=${v}: ${out.join(' · ')}`);
  }
}
