// `npm run bench`: how fast the bot answers and how much memory it needs.
//
// For the shipped FAQ and for synthetic FAQs of 1,000 and 10,000 entries (made from the shipped FAQ's own
// words), it measures the index build time, the warm p50/p99 latency of engine.handle over the golden
// questions, and the process RSS; then the peak RSS of a real `ask --jsonl` process. Prints a table.
// Targets (issue 3): p99 handle ≤ 2 ms shipped, ≤ 20 ms at 10k; build ≤ 200 ms shipped; ask < 150 MB RSS.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Content, Entry, Topic } from '../src/content/types.js';
import { createEngine } from '../src/engine/index.js';
import { createMatcher, MATCH_CONFIG } from '../src/match/index.js';
import { benchContent } from './content.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = process.env.CONTENT_DIR || join(root, 'content');

const ms = (ns: bigint): number => Number(ns) / 1e6;
const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/** Deterministic pseudo-random numbers (mulberry32), so runs are comparable. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A FAQ of `n` entries whose questions, keywords and answers recombine the shipped FAQ's words. */
function synthetic(base: Content, n: number): Content {
  const rand = rng(n);
  const words = [...new Set(base.entries.flatMap((e) => e.questions.join(' ').split(/\s+/)).filter(Boolean))];
  const pick = (k: number): string => Array.from({ length: k }, () => words[Math.floor(rand() * words.length)]).join(' ');
  const perTopic = Math.ceil(n / 50);
  const topics: Topic[] = [];
  const entries: Entry[] = [];
  for (let i = 0; i < n; i++) {
    const ti = Math.floor(i / perTopic);
    if (!topics[ti]) topics[ti] = { id: `t${ti}`, title: `Chủ đề ${ti}`, order: ti, entries: [], pos: base.entries[0].pos };
    const e: Entry = {
      ...base.entries[i % base.entries.length],
      id: `syn-${i}`,
      topic: `t${ti}`,
      questions: Array.from({ length: 8 }, () => pick(5 + Math.floor(rand() * 8))),
      keywords: Array.from({ length: 4 }, () => pick(2)),
      answer: pick(60),
      related: [],
    };
    topics[ti].entries.push(e);
    entries.push(e);
  }
  return { ...base, version: `synthetic-${n}`, topics, entries, byId: new Map(entries.map((e) => [e.id, e])) };
}

interface Row {
  faq: string;
  entries: number;
  buildMs: number;
  p50: number;
  p99: number;
  rssMb: number;
}

function measure(name: string, content: Content, questions: string[]): Row {
  const engine = createEngine({ content });
  let chat = 0;
  const ask = (q: string) => engine.handle({ channel: 'cli', chatId: `b${chat++}`, kind: 'text', text: q });
  // Warm up until V8 has optimised the hot path (≥ 3,000 calls).
  for (let i = 0; i < Math.max(3, Math.ceil(3000 / questions.length)); i++) for (const q of questions) ask(q);
  const times: number[] = [];
  const rounds = Math.max(1, Math.ceil(3000 / questions.length));
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      const t0 = process.hrtime.bigint();
      ask(q);
      times.push(ms(process.hrtime.bigint() - t0));
    }
  }
  // Build, after the latency run so that its garbage does not pause timed calls: median of 5 builds
  // (3 for synthetic FAQs).
  const builds: number[] = [];
  for (let i = 0; i < (content.entries.length > 500 ? 3 : 5); i++) {
    const t0 = process.hrtime.bigint();
    createMatcher(content, { ...MATCH_CONFIG }); // a config copy: bypasses the per-content cache
    builds.push(ms(process.hrtime.bigint() - t0));
  }
  return {
    faq: name,
    entries: content.entries.length,
    buildMs: quantile(builds, 0.5),
    p50: quantile(times, 0.5),
    p99: quantile(times, 0.99),
    rssMb: process.memoryUsage().rss / 2 ** 20,
  };
}

/** Peak RSS (VmHWM) of a real `ask --jsonl` process answering the golden questions. */
async function askPeakRss(questions: string[]): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'ask.ts'), '--jsonl'], {
    cwd: root,
    env: { ...process.env, CONTENT_DIR: dir },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  let lines = 0;
  const done = new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      lines += d.toString().split('\n').length - 1;
      if (lines >= questions.length) resolve();
    });
    child.on('close', () => resolve());
  });
  child.stdin.write(questions.join('\n') + '\n');
  await done;
  let peak = NaN;
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    if (m) peak = Number(m[1]) / 1024;
  } catch {
    // not Linux: leave NaN
  }
  child.stdin.end();
  await new Promise((r) => child.on('close', r));
  return peak;
}

const shipped = benchContent(dir);
const golden = shipped.golden.map((g) => g.q);
const rows: Row[] = [measure('shipped', shipped, golden)];
for (const n of [1_000, 10_000]) rows.push(measure(`synthetic ${n.toLocaleString('en')}`, synthetic(shipped, n), golden));
const askRss = await askPeakRss(golden);

const f = (x: number, d = 2): string => x.toFixed(d);
console.log(`golden questions: ${golden.length}; latency over ≥ 3,000 warm engine.handle calls per FAQ`);
console.log('| FAQ | entries | index build ms | handle p50 ms | handle p99 ms | bench RSS MB |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.faq} | ${r.entries} | ${f(r.buildMs, 1)} | ${f(r.p50, 3)} | ${f(r.p99, 3)} | ${f(r.rssMb, 0)} |`);
console.log(`\nask --jsonl process peak RSS (shipped FAQ, golden questions): ${f(askRss, 0)} MB`);
