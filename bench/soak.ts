// `npm run soak`: reliability figures for the README's "Reliability" section. Loopback only, bounded in time
// (about 5–8 minutes on a shared 2-core machine; the Bot API outage alone lasts OUTAGE_MS).
//
//   1. HTTP under hostile load: 60 KB texts among normal questions, 16 concurrent → throughput, latencies,
//      and how long any request waited (no request may block others for more than 50 ms).
//   2. Memory: 100,000 messages through the HTTP path → the bot's RSS at start, peak, end.
//   3. Fuzz: 50,000 generated inputs through the engine → crashes, max latency, invalid Telegram HTML.
//   4. Telegram webhook: a Bot API answering 500 for two minutes, then SIGTERM under load → accepted vs delivered.
//   5. Store faults: unusable data dir, corrupt SQLite file → starts, answers, /healthz "degraded".
//   6. Privacy: unmasked ID numbers, phones, OTPs and tokens in every log line and store written above.
//
// Environment: SOAK_MESSAGES (default 100000), SOAK_FUZZ (50000), SOAK_OUTAGE_MS (120000).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { loadContentOrThrow } from '../src/content/index.js';
import { createEngine, createMemoryStore } from '../src/engine/index.js';
import { renderReply } from '../src/channels/telegram/adapter.js';
import { FakeTelegramApi } from '../test/channels/telegram/fake-api.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MESSAGES = Number(process.env.SOAK_MESSAGES ?? 100_000);
const FUZZ = Number(process.env.SOAK_FUZZ ?? 50_000);
const OUTAGE_MS = Number(process.env.SOAK_OUTAGE_MS ?? 120_000);
const TOKEN = '7123456789:AAH-soakTokenSecretPart_0123456789';
const SECRET = 'soak-webhook-secret-0123456789';
const work = mkdtempSync(join(tmpdir(), 'vneid-soak-'));
const logs: string[] = [];
const dataDirs: string[] = [];
const fed = { ids: new Set<string>(), phones: new Set<string>(), otps: new Set<string>() };

const out = (s: string) => process.stdout.write(s + '\n');
const ms = (x: number) => `${x.toFixed(1)} ms`;
const pct = (a: number[], p: number) => (a.length ? [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * p))] : 0);
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

// ─── a bot process ───────────────────────────────────────────────────────────────────────────────
interface Bot { child: ChildProcess; url: string; pid: number; log: () => string; exit: Promise<number | null> }
async function startBot(env: Record<string, string>): Promise<Bot> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(work, 'data-'));
  dataDirs.push(dataDir);
  let log = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, TELEGRAM_BOT_TOKEN: '', ZALO_BOT_TOKEN: '', PUBLIC_URL: '', PLAYGROUND_TOKEN: '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'debug', CONTENT_DIR: 'content', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const exit = new Promise<number | null>((r) => child.on('exit', (c) => { logs.push(log); r(c); }));
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const line = log.split('\n').find((l) => l.includes('"port":'));
    if (line) return { child, url: JSON.parse(line).url, pid: child.pid!, log: () => log, exit };
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  throw new Error(`bot did not start:\n${log.slice(-2000)}`);
}
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

// ─── inputs ──────────────────────────────────────────────────────────────────────────────────────
let seq = 0;
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
function personal(): string {
  const id = '0' + digits(11);
  const phone = '09' + digits(8);
  const otp = String(100000 + Math.floor(Math.random() * 800000)).replace(/^(19|20)/, '31');
  fed.ids.add(id); fed.phones.add(phone); fed.otps.add(otp);
  return [`cccd ${id} không kích hoạt được`, `sdt ${phone} mã otp ${otp} ad ơi`, `mã ${otp} nhập sai`, `số định danh ${id.replace(/(\d{3})/g, '$1 ')} quên mật khẩu`][seq++ % 4];
}
const NORMAL = ['bao lâu phải kích hoạt vneid', 'đăng ký mức 2 ở đâu', 'quên mật khẩu vneid', 'ad ơi', 'cho hỏi làm căn cước cho trẻ em', 'giá vàng hôm nay'];
const big = () => ('tôi muốn hỏi về định danh điện tử ' + personal() + ' ').repeat(2000).slice(0, 60_000).replace(/[^\x20-\x7e]/g, 'a');

// ─── 1 + 2. HTTP under hostile load, and memory over MESSAGES messages ───────────────────────────
async function httpSoak(): Promise<void> {
  const bot = await startBot({ LOG_LEVEL: 'info' });
  // One 60 KB question on an idle bot (before the linear-time masking: 10–40 s on this machine).
  const alone: number[] = [];
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    await (await fetch(`${bot.url}api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: i % 2 ? '1'.repeat(60_000) : 'a'.repeat(60_000) + ' @', chatId: 'alone' }) })).arrayBuffer();
    alone.push(performance.now() - s);
  }
  out(`One 60 KB /api/ask on an idle bot (digits, letters): max of 5 ${ms(Math.max(...alone))}`);
  const rss = { start: rssMb(bot.pid), peak: 0, end: 0 };
  const sampler = setInterval(() => (rss.peak = Math.max(rss.peak, rssMb(bot.pid))), 250);
  const normalLat: number[] = [];
  const bigLat: number[] = [];
  let errors = 0, done = 0, resets = 0;
  const t0 = performance.now();
  const deadline = Date.now() + 300_000;
  async function worker(w: number) {
    for (let i = w; i < MESSAGES && Date.now() < deadline; i += 16) {
      const isBig = i % 50 === 7;
      const text = isBig ? big() : i % 5 === 0 ? personal() : NORMAL[i % NORMAL.length];
      const s = performance.now();
      try {
        const r = await fetch(`${bot.url}api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, chatId: `c${i % 500}` }) });
        await r.arrayBuffer();
        if (r.status !== 200) errors++;
      } catch {
        resets++;
      }
      (isBig ? bigLat : normalLat).push(performance.now() - s);
      done++;
    }
  }
  // A probe that measures how long the event loop of the bot keeps a trivial request waiting.
  const probe: number[] = [];
  let probing = true;
  const prober = (async () => {
    while (probing) {
      const s = performance.now();
      await fetch(`${bot.url}healthz`).then((r) => r.arrayBuffer()).catch(() => undefined);
      probe.push(performance.now() - s);
      await sleep(20);
    }
  })();
  await Promise.all(Array.from({ length: 16 }, (_, w) => worker(w)));
  probing = false;
  await prober;
  const secs = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  await sleep(2000);
  rss.end = rssMb(bot.pid);
  bot.child.kill('SIGTERM');
  await bot.exit;
  out(`HTTP /api/ask, 16 concurrent, 1 in 50 a 60 KB text: ${done} messages in ${secs.toFixed(1)} s = ${Math.round(done / secs)} msg/s; errors ${errors}, connection resets ${resets}`);
  out(`  normal questions: p50 ${ms(pct(normalLat, 0.5))}, p99 ${ms(pct(normalLat, 0.99))}, max ${ms(Math.max(...normalLat))}`);
  out(`  60 KB texts (${bigLat.length}): p50 ${ms(pct(bigLat, 0.5))}, max ${ms(Math.max(...bigLat))}`);
  out(`  /healthz probe every 20 ms while loaded (${probe.length}): p99 ${ms(pct(probe, 0.99))}, max ${ms(Math.max(...probe))}`);
  const flat = (Math.abs(rss.end - rss.start) / rss.start) * 100;
  out(`Memory over ${done} messages (bot RSS): start ${rss.start.toFixed(0)} MB, peak ${rss.peak.toFixed(0)} MB, end ${rss.end.toFixed(0)} MB (end vs start ${flat.toFixed(1)} %)`);
}

// ─── 3. fuzz through the engine ──────────────────────────────────────────────────────────────────
const TG_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'tg-spoiler', 'span', 'blockquote']);
function validTelegramHtml(html: string): boolean {
  const stack: string[] = [];
  const re = /<(\/?)([a-z-]+)(?:\s[^<>]*)?>|&(#\d+|#x[0-9a-f]+|lt|gt|amp|quot);|[<>&]/gi;
  for (const m of html.matchAll(re)) {
    if (m[0] === '<' || m[0] === '>' || m[0] === '&') return false;
    if (m[0].startsWith('&')) continue;
    const tag = m[2].toLowerCase();
    if (!TG_TAGS.has(tag)) return false;
    if (m[1]) { if (stack.pop() !== tag) return false; } else stack.push(tag);
  }
  return stack.length === 0;
}
function fuzzInput(i: number): string {
  const r = (n: number) => Math.floor(Math.random() * n);
  const pieces = [
    () => '', () => 'x'.repeat(100_000), () => '😀'.repeat(1 + r(50)), () => '\u202Eabc\u200B\u200D\u2066', () => '\uD800' + 'a' + '\uDFFF',
    () => String.fromCharCode(...Array.from({ length: 20 }, () => r(32))), () => '<b>hi</b> <a href="x">&amp; *bold* _it_ `code`',
    () => personal(), () => NORMAL[r(NORMAL.length)], () => '/start w_' + 'x'.repeat(r(100)), () => String(r(20)), () => 'ـ'.repeat(30) + ' مرحبا',
  ];
  return Array.from({ length: 1 + (i % 3) }, () => pieces[r(pieces.length)]()).join(' ');
}
function fuzz(): void {
  const content = loadContentOrThrow(join(ROOT, 'content'));
  const engine = createEngine({ content, store: createMemoryStore({ max: 10_000 }) });
  let crashes = 0, invalid = 0, max = 0;
  const lat: number[] = [];
  for (let i = 0; i < FUZZ; i++) {
    const text = fuzzInput(i);
    const s = performance.now();
    try {
      const reply = engine.handle({ channel: 'telegram', chatId: `f${i % 200}`, kind: i % 17 === 0 ? 'choice' : 'text', text });
      const t = performance.now() - s;
      lat.push(t); max = Math.max(max, t);
      for (const o of renderReply(reply)) if (o.type === 'text' && !validTelegramHtml(o.html)) invalid++;
    } catch {
      crashes++;
    }
  }
  out(`Fuzz: ${FUZZ} generated inputs through the engine → crashes ${crashes}, invalid Telegram HTML ${invalid}, p99 ${ms(pct(lat, 0.99))}, max ${ms(max)}`);
}

// ─── 4. Telegram webhook: a failing Bot API, then SIGTERM under load ──────────────────────────────
function update(id: number, chat: number, text: string) {
  return { update_id: id, message: { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: 'private' }, from: { id: chat, is_bot: false, first_name: 'A' }, text } };
}
async function telegramSoak(): Promise<void> {
  const api = await new FakeTelegramApi({ token: TOKEN }).start();
  const env = { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.apiRoot, PUBLIC_URL: 'https://bot.example.vn', TELEGRAM_WEBHOOK_SECRET: SECRET, LOG_LEVEL: 'info' };
  // (a) every sendMessage answers 500 for OUTAGE_MS.
  let bot = await startBot(env);
  const hook = `${bot.url}webhook/telegram`;
  api.failNext('sendMessage', { kind: 'api', status: 500, error_code: 500, description: 'Internal Server Error' }, 1_000_000);
  const outageEnds = Date.now() + OUTAGE_MS;
  let accepted = 0, id = 1;
  const chats: number[] = [];
  const posts: Promise<void>[] = [];
  for (let i = 0; i < 200; i++) {
    const chat = 10_000 + i;
    chats.push(chat);
    posts.push(FakeTelegramApi.postWebhook(hook, update(id++, chat, NORMAL[i % NORMAL.length]), SECRET).then((s) => void (s === 200 && accepted++)));
    if (i % 20 === 19) await sleep(OUTAGE_MS / 12);
  }
  while (Date.now() < outageEnds) await sleep(200);
  (api as unknown as { failures: Map<string, unknown[]> }).failures.clear();
  await Promise.all(posts);
  const until = Date.now() + 90_000;
  while (Date.now() < until && chats.some((c) => api.delivered(c).length === 0)) await sleep(250);
  await sleep(1000);
  const lost = chats.filter((c) => api.delivered(c).length === 0).length;
  const twice = chats.filter((c) => api.delivered(c).length > 1).length;
  out(`Telegram webhook, Bot API answering 500 to every send for ${Math.round(OUTAGE_MS / 1000)} s: ${chats.length} updates posted, ${accepted} accepted, ${chats.length - lost} delivered after the outage → lost ${lost}, answered twice ${twice}`);
  bot.child.kill('SIGTERM');
  await bot.exit;

  // (b) SIGTERM while updates pour in: an update answered 200 must get its reply; 503 ones Telegram sends again.
  bot = await startBot(env);
  const hook2 = `${bot.url}webhook/telegram`;
  const base = 20_000;
  const statuses = new Map<number, number>();
  let stop = false;
  const pump = (async () => {
    for (let i = 0; !stop && i < 5000; i++) {
      const chat = base + i;
      void FakeTelegramApi.postWebhook(hook2, update(id++, chat, NORMAL[i % NORMAL.length]), SECRET).then((s) => statuses.set(chat, s), () => statuses.set(chat, 0));
      await sleep(5);
    }
  })();
  await sleep(3000);
  const t0 = Date.now();
  bot.child.kill('SIGTERM');
  const code = await bot.exit;
  const stopMs = Date.now() - t0;
  stop = true;
  await pump;
  await sleep(500);
  const ok = [...statuses].filter(([, s]) => s === 200).map(([c]) => c);
  const lost2 = ok.filter((c) => api.delivered(c).length === 0).length;
  const twice2 = ok.filter((c) => api.delivered(c).length > 1).length;
  const refused = [...statuses.values()].filter((s) => s === 503).length;
  out(`SIGTERM under webhook load: exit ${code} after ${stopMs} ms; ${ok.length} updates accepted (200), ${ok.length - lost2} delivered → lost ${lost2}, answered twice ${twice2}; ${refused} answered 503 while stopping (redelivered by Telegram)`);
  await api.close();
}

// ─── 5. store faults ─────────────────────────────────────────────────────────────────────────────
async function storeFaults(): Promise<void> {
  const cases: [string, () => string][] = [
    ['data dir unusable (a file where the folder should be)', () => { const f = join(work, 'not-a-dir'); writeFileSync(f, 'x'); return join(f, 'data'); }],
    ['corrupt SQLite file', () => { const d = mkdtempSync(join(work, 'corrupt-')); writeFileSync(join(d, 'bot.db'), 'this is not a database '.repeat(200)); return d; }],
  ];
  for (const [what, make] of cases) {
    const bot = await startBot({ DATA_DIR: make() });
    const r = await fetch(`${bot.url}api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'bao lâu phải kích hoạt vneid' }) });
    const kind = r.status === 200 ? (await r.json()).reply.kind : `HTTP ${r.status}`;
    const h = await (await fetch(`${bot.url}healthz`)).json();
    bot.child.kill('SIGTERM');
    const code = await bot.exit;
    out(`Store fault, ${what}: started, answered "${kind}", /healthz "${h.status}" (store ${h.store.state}: ${String(h.store.error ?? '').slice(0, 60)}…), exit ${code}`);
  }
  out('Store fault, full disk: not simulated here (needs a small tmpfs mount); a write error takes the same path as the cases above, and the store reopens once writes work (test/store/reopen.test.ts).');
}

// ─── 6. privacy ──────────────────────────────────────────────────────────────────────────────────
function privacy(): void {
  // Numbers the logs carry on purpose (time stamps, ms, ports, update ids) are not text a resident typed.
  const texts = logs.map((l) => l.replace(/":\s*-?\d+(?:\.\d+)?/g, '":0'));
  for (const d of dataDirs) {
    const db = join(d, 'bot.db');
    if (!existsSync(db)) continue;
    try {
      const c = new Database(db, { readonly: true, fileMustExist: true });
      texts.push(JSON.stringify(c.prepare('SELECT * FROM questions').all()));
      c.close();
    } catch { /* the corrupt one */ }
  }
  const all = texts.join('\n');
  // Every run of digits (separators inside a run removed: "001 203 004 567" counts as written in clear).
  const runs = new Set<string>();
  for (const m of all.matchAll(/\d(?:[ .-]?\d)*/g)) {
    const d = m[0].replace(/[ .-]/g, '');
    runs.add(d);
    if (d.length > 6) for (let i = 0; i + 6 <= d.length; i++) runs.add(d.slice(i, i + 6)); // an OTP inside a longer run
  }
  const count = (set: Set<string>) => [...set].filter((v) => runs.has(v)).length;
  const tokens = (all.match(new RegExp(TOKEN.split(':')[1], 'g')) ?? []).length + (all.match(new RegExp(SECRET, 'g')) ?? []).length;
  out(`Privacy: ${Math.round(all.length / 1024)} KB of logs and stored questions searched for the ${fed.ids.size} ID numbers, ${fed.phones.size} phones and ${fed.otps.size} OTPs fed → unmasked IDs ${count(fed.ids)}, phones ${count(fed.phones)}, OTPs ${count(fed.otps)}, tokens/secrets ${tokens}`);
}

const started = Date.now();
out(`npm run soak — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, loopback only`);
await httpSoak();
fuzz();
await telegramSoak();
await storeFaults();
privacy();
out(`(whole run ${Math.round((Date.now() - started) / 1000)} s)`);
