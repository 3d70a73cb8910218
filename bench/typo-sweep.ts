// Typo robustness: golden + probe questions with every long word damaged once (drop, swap or add a letter),
// matched with and without the fuse.js typo correction. npx tsx bench/typo-sweep.ts
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { createMatcher, MATCH_CONFIG } from '../src/match/index.js';
import { fold } from '../src/text/fold.js';
import { benchContent } from './content.js';
const c = benchContent('content');
const probe: { q: string; id: string }[] = parse(readFileSync('bench/probe.yaml', 'utf8')).questions;
// Typo set: every golden/probe question with each word of ≥ 5 letters damaged once (drop, swap or double a letter).
let k = 0;
const damage = (w: string) => { k++; const i = 1 + (k % (w.length - 2)); return k % 3 === 0 ? w.slice(0, i) + w.slice(i + 1) : k % 3 === 1 ? w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2) : w.slice(0, i) + w[i] + 'a' + w.slice(i + 1); };
const typo = [...c.golden, ...probe].map((x) => ({ q: fold(x.q).split(' ').map((w) => (w.length >= 5 && /^[a-z]+$/.test(w) ? damage(w) : w)).join(' '), id: x.id }));
for (const typoMinLength of [4, 5, 6, 99]) for (const threshold of [0.25, 0.35, 0.45]) {
  const m = createMatcher(c, { ...MATCH_CONFIG, typoMinLength, fuse: { ...MATCH_CONFIG.fuse, threshold } });
  let r1 = 0, ok = 0, wr = 0;
  for (const x of typo) { const t = m.match(x.q); if (t.candidates[0]?.id === x.id) r1++; if (t.decision === 'answer') t.candidates[0].id === x.id ? ok++ : wr++; }
  console.log(`typoMinLength=${typoMinLength} threshold=${threshold}: typo set ${typo.length}: rank1 ${r1} answered right ${ok} wrong ${wr}`);
}
