// Baseline for the report: fuse.js token search (useTokenSearch, ignoreLocation) over every normalised
// question and keyword, best record per entry — rank1 on golden and probe, and query time.
//   npx tsx bench/fuse-baseline.ts
import { readFileSync } from 'node:fs';
import Fuse from 'fuse.js';
import { parse } from 'yaml';
import { createMatcher, normalize } from '../src/match/index.js';
import { benchContent } from './content.js';

const c = benchContent(process.env.CONTENT_DIR ?? 'content');
const probe: { q: string; id: string }[] = parse(readFileSync(new URL('./probe.yaml', import.meta.url), 'utf8')).questions;
const docs = c.entries.flatMap((e) => [...e.questions, ...e.keywords].map((t) => ({ id: e.id, text: normalize(t, c.synonyms) })));
for (const threshold of [0.2, 0.4]) {
  const t0 = performance.now();
  const fuse = new Fuse(docs, { keys: ['text'], useTokenSearch: true, ignoreLocation: true, threshold, includeScore: true });
  const build = performance.now() - t0;
  const top = (q: string) => fuse.search(normalize(q, c.synonyms), { limit: 1 })[0]?.item.id;
  const times: number[] = [];
  const rank1 = (rows: { q: string; id: string }[]) =>
    rows.filter((x) => {
      const t = performance.now();
      const hit = top(x.q) === x.id;
      times.push(performance.now() - t);
      return hit;
    }).length;
  const g = rank1(c.golden);
  const p = rank1(probe);
  times.sort((a, b) => a - b);
  console.log(`fuse token search threshold ${threshold}: golden rank1 ${g}/${c.golden.length}, probe ${p}/${probe.length}, build ${build.toFixed(0)} ms, query p50 ${times[times.length >> 1].toFixed(2)} ms p99 ${times[Math.floor(times.length * 0.99)].toFixed(2)} ms`);
}
const m = createMatcher(c);
const r = (rows: { q: string; id: string }[]) => rows.filter((x) => m.match(x.q).candidates[0]?.id === x.id).length;
console.log(`this matcher: golden rank1 ${r(c.golden)}/${c.golden.length}, probe ${r(probe)}/${probe.length}`);
