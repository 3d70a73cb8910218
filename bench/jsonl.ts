// The --jsonl contract of `npm run ask` on leniently read content (for measuring while content is being
// written and does not validate yet): node ../shared/eval/score.mjs --cmd "npx tsx bench/jsonl.ts"
import { createEngine } from '../src/engine/index.js';
import { runJsonl } from '../src/cli/ask.js';
import { benchContent } from './content.js';

const content = benchContent(process.env.CONTENT_DIR ?? 'content');
await runJsonl(createEngine({ content }), content, process.stdin, process.stdout);
