// `npm run bench` (second part): the usage store's added latency per message.
//
// Replies are made first by the real engine on the shipped content (not timed): the golden questions,
// out-of-scope text (fallbacks), ward deep links, and suggestion picks. Then each reply goes through the
// same hook the server mounts (usageHooks → recordReply / recordPick), timed one by one, with the event
// loop turning every 50 messages so that the store's buffered flushes run as they do in the server.
// The flushes (one SQLite transaction per batch, on the real disk) are timed separately: they run off the
// reply path, but they do hold the event loop, so their cost per message is reported too.
// Target (issue 7): p99 added latency ≤ 0.2 ms per message.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadContentOrThrow } from '../src/content/index.js';
import { createEngine } from '../src/engine/index.js';
import type { IncomingMessage, Reply } from '../src/engine/types.js';
import { usageHooks } from '../src/server/usage.js';
import { openUsageStore } from '../src/store/usage.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const MESSAGES = Number(process.env.BENCH_STORE_MESSAGES || 20_000);
const TARGET_P99_MS = 0.2;

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

const content = loadContentOrThrow(process.env.CONTENT_DIR || join(root, 'content'));
const golden = content.golden.map((g) => g.q);
let outOfScope: string[] = [];
try {
  outOfScope = readFileSync(join(root, 'bench/out-of-scope.txt'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
} catch {
  outOfScope = ['giá vàng hôm nay', 'thời tiết hà nội', 'cách nấu phở'];
}
const wards = content.offices.wards.map((w) => w.code);

// 1. Replies, made by the real engine (not timed).
const engine = createEngine({ content, clock: { now: () => 0 } });
const pairs: { msg: IncomingMessage; reply: Reply }[] = [];
for (let i = 0; pairs.length < MESSAGES; i++) {
  const chatId = String(i % 500);
  const send = (msg: IncomingMessage) => pairs.push({ msg, reply: engine.handle(msg) });
  const base = { channel: (i % 3 === 0 ? 'zalo' : 'telegram') as IncomingMessage['channel'], chatId };
  if (i % 50 === 0 && wards.length) send({ ...base, kind: 'text', text: `/start w_${wards[i % wards.length]}` });
  const q = i % 4 === 0 ? outOfScope[i % outOfScope.length] : golden[i % golden.length];
  send({ ...base, kind: 'text', text: `${q} 0912 345 678` }); // with a phone number: masking is part of the cost
  const last = pairs[pairs.length - 1].reply;
  if (last.kind === 'suggest' && last.choices[0]) send({ ...base, kind: 'choice', text: last.choices[0].payload });
}
pairs.length = MESSAGES;

// 2. Timed: the hook, one message at a time; flushes timed separately.
const dir = mkdtempSync(join(tmpdir(), 'vneid-bench-store-'));
const flushTimes: number[] = [];
const store = openUsageStore({ dataDir: dir, retentionDays: 90, onFlush: (_n, ms) => flushTimes.push(ms) });
const hooks = usageHooks(store);
// Warm-up: statement caches, JIT.
for (const p of pairs.slice(0, 500)) hooks.onReply(p.msg, p.reply, 0);
store.flush();
flushTimes.length = 0;

const added: number[] = [];
const t0 = process.hrtime.bigint();
for (let i = 0; i < pairs.length; i++) {
  const t = process.hrtime.bigint();
  hooks.onReply(pairs[i].msg, pairs[i].reply, 0);
  added.push(Number(process.hrtime.bigint() - t) / 1e6);
  if (i % 50 === 49) await new Promise((r) => setImmediate(r));
}
store.flush();
const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
const status = store.status();
const report = store.report(3650, Date.now());
store.close();
rmSync(dir, { recursive: true, force: true });

const flushTotal = flushTimes.reduce((a, b) => a + b, 0);
const p99 = quantile(added, 0.99);
const rows: [string, string][] = [
  ['messages', String(added.length)],
  ['store state', status.state],
  ['added latency p50 (ms)', quantile(added, 0.5).toFixed(4)],
  ['added latency p99 (ms)', p99.toFixed(4)],
  ['added latency max (ms)', Math.max(...added).toFixed(4)],
  ['flushes (off the reply path)', String(flushTimes.length)],
  ['flush p50 / p99 (ms)', flushTimes.length ? `${quantile(flushTimes, 0.5).toFixed(3)} / ${quantile(flushTimes, 0.99).toFixed(3)}` : '-'],
  ['flush cost per message (ms)', (flushTotal / added.length).toFixed(4)],
  ['questions kept (rows)', String(report.unanswered.reduce((a, u) => a + u.count, 0))],
  ['wall time (ms)', wallMs.toFixed(0)],
];
console.log('\nUsage store (SQLite, DATA_DIR on the local disk)');
for (const [k, v] of rows) console.log(`  ${k.padEnd(32)} ${v}`);
const ok = p99 <= TARGET_P99_MS && status.state === 'ok';
console.log(`  target p99 ≤ ${TARGET_P99_MS} ms: ${ok ? 'MET' : 'NOT MET'}`);
if (!ok) process.exitCode = 1;
