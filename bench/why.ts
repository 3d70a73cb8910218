// Why did the matcher decide that? npx tsx bench/why.ts "question" ["question"…]
import { createMatcher } from '../src/match/index.js';
import { benchContent } from './content.js';

const content = benchContent(process.env.CONTENT_DIR ?? 'content');
const m = createMatcher(content);
for (const q of process.argv.slice(2)) {
  const t = m.trace(q, 5);
  console.log(`${q}\n  key: ${t.normalized}  domain ${t.domain.toFixed(2)}  → ${t.decision}`);
  for (const c of t.candidates) console.log(`  ${c.score.toFixed(3)} ${c.id}  «${c.question}»`);
}
