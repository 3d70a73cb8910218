// `npm start` on a fresh machine: no token at all, the shipped content, a free port.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeTelegramApi } from '../channels/telegram/fake-api.js';
import { tempContent } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NO_TOKENS = {
  TELEGRAM_BOT_TOKEN: '',
  TELEGRAM_WEBHOOK_SECRET: '',
  ZALO_BOT_TOKEN: '',
  ZALO_WEBHOOK_SECRET: '',
  PUBLIC_URL: '',
  PLAYGROUND_TOKEN: '',
};

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/**
 * Runs src/main.ts as `npm start` does (through tsx) in the repository with the given environment.
 * `node --import tsx` keeps it one process, so SIGTERM reaches the bot itself. Wrappers change what a signal
 * does: npm/npx end with their own status (143), and the `tsx` CLI relays the signal but SIGKILLs the bot
 * if it does not acknowledge within 30 ms, which happens on a busy machine.
 */
function start(env: Record<string, string>): Started {
  let out = '';
  let err = '';
  // Never the checkout's ./data: a test that names no DATA_DIR gets a fresh temp dir.
  const dataDir = mkdtempSync(join(tmpdir(), 'vneid-start-data-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...NO_TOKENS, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function readyLine(p: Started, ms = 30_000): Promise<{ url: string; msg: string }> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    for (const line of p.stdout().split('\n')) {
      if (!line.startsWith('{')) continue;
      const j = JSON.parse(line);
      if (j.url && typeof j.msg === 'string') return j;
    }
    if (p.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no start-up line; stdout:\n${p.stdout()}\nstderr:\n${p.stderr()}`);
}

const running: Started[] = [];
afterAll(() => {
  for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
});

describe('npm start with no token', () => {
  it('stops with the npm process: SIGTERM to `npm start` leaves no node process behind', async () => {
    const data = mkdtempSync(join(tmpdir(), 'vneid-data-'));
    let out = '';
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: { ...process.env, ...NO_TOKENS, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', CONTENT_DIR: 'content', DATA_DIR: data },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    npm.stdout!.on('data', (d) => (out += d));
    const exited = new Promise<void>((resolve) => npm.on('exit', () => resolve()));
    try {
      const until = Date.now() + 30_000;
      while (!out.includes('"port":') && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      const port = JSON.parse(out.split('\n').find((l) => l.includes('"port":'))!).port as number;
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      npm.kill('SIGTERM'); // what systemd, Docker or PM2 do: signal the process they started
      await exited;
      // Within 5 s nothing listens any more (the bot itself stopped, not just npm).
      const gone = Date.now() + 5000;
      let listening = true;
      while (listening && Date.now() < gone) {
        listening = await fetch(`http://127.0.0.1:${port}/healthz`).then(() => true, () => false);
        if (listening) await new Promise((r) => setTimeout(r, 100));
      }
      expect(listening).toBe(false);
      expect(out).toContain('"msg":"stopped"');
    } finally {
      if (npm.exitCode === null) npm.kill('SIGKILL');
      rmSync(data, { recursive: true, force: true });
    }
  }, 45_000);

  it('serves the playground, says why each channel is off, and exits 0 on SIGTERM', async () => {
    const data = mkdtempSync(join(tmpdir(), 'vneid-data-'));
    const p = start({ CONTENT_DIR: 'content', DATA_DIR: data });
    running.push(p);
    try {
      const ready = await readyLine(p);
      expect(ready.msg).toContain('playground http://127.0.0.1:');
      expect(ready.msg).toContain('telegram: off (TELEGRAM_BOT_TOKEN is not set)');
      expect(ready.msg).toContain('zalo: off (ZALO_BOT_TOKEN is not set)');

      const page = await fetch(ready.url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Thử bot hỏi đáp');
      const health = await (await fetch(`${ready.url}healthz`)).json();
      expect(health.status).toBe('ok');
      expect(health.entries).toBeGreaterThan(0);
      expect(health.channels.telegram.state).toBe('off');

      p.child.kill('SIGTERM');
      expect(await p.exit).toBe(0);
      expect(p.stdout()).toContain('"msg":"stopped"');
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('npm start with a Telegram token (long polling against a local fake Bot API)', () => {
  it('says telegram is polling, answers a resident, and still exits 0 on SIGTERM mid-poll', async () => {
    const token = '7123456789:AAH-fakeTokenForStartTest_0123456789';
    const api = await new FakeTelegramApi({ token, maxHoldMs: 5000 }).start();
    const { dir, cleanup } = tempContent();
    const p = start({ CONTENT_DIR: dir, TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: api.apiRoot });
    running.push(p);
    try {
      const ready = await readyLine(p);
      expect(ready.msg).toContain('telegram: polling');
      expect(ready.msg).toContain('zalo: off (ZALO_BOT_TOKEN is not set)');
      expect(p.stdout()).not.toContain(token);
      api.push({
        message: { message_id: 1, date: 1_700_000_000, chat: { id: 99, type: 'private' }, from: { id: 99, is_bot: false, first_name: 'A' }, text: 'bao lâu phải kích hoạt vneid' },
      });
      const sent = await api.waitFor(() => api.delivered(99)[0], 10_000, 'the reply');
      expect(sent.shown).toContain('07 ngày');
      p.child.kill('SIGTERM');
      expect(await p.exit, p.stdout() + p.stderr()).toBe(0);
    } finally {
      cleanup();
      await api.close();
    }
  }, 60_000);
});

describe('npm start while a channel is still connecting (a Bot API that does not answer)', () => {
  it('exits 0 on SIGTERM instead of being killed by the signal', async () => {
    const requests: string[] = [];
    const silent = createHttpServer((req) => requests.push(req.url ?? '')); // never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    const data = mkdtempSync(join(tmpdir(), 'vneid-data-'));
    const p = start({ CONTENT_DIR: 'content', DATA_DIR: data, TELEGRAM_BOT_TOKEN: '7123456789:AAH-hangingApi_0123456789', TELEGRAM_API_ROOT: `http://127.0.0.1:${port}` });
    running.push(p);
    try {
      const until = Date.now() + 30_000;
      while (requests.length === 0 && Date.now() < until && p.child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      expect(requests.join(' ')).toContain('getMe');
      p.child.kill('SIGTERM');
      expect(await p.exit, p.stdout() + p.stderr()).toBe(0);
      expect(p.stdout()).toContain('"msg":"stopped"');
    } finally {
      silent.closeAllConnections();
      silent.close();
      rmSync(data, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('npm start refuses to run with a problem it can name', () => {
  it('exits 1 and names the variable when the configuration is invalid', async () => {
    const p = start({ PORT: 'ba nghìn', CONTENT_DIR: 'content' });
    running.push(p);
    expect(await p.exit).toBe(1);
    expect(p.stderr()).toContain('PORT');
    expect(p.stderr()).toContain('.env.example');
  }, 60_000);

  it('exits 1 naming TELEGRAM_BOT_TOKEN (and never printing it) when Telegram rejects the token', async () => {
    const api = await new FakeTelegramApi({ token: '7123456789:AAH-theRightToken_0123456789' }).start();
    const wrong = '7123456789:AAH-aWrongTokenValue_9876543210';
    const data = mkdtempSync(join(tmpdir(), 'vneid-data-'));
    try {
      const p = start({ CONTENT_DIR: 'content', DATA_DIR: data, TELEGRAM_BOT_TOKEN: wrong, TELEGRAM_API_ROOT: api.apiRoot });
      running.push(p);
      expect(await p.exit, p.stdout() + p.stderr()).toBe(1);
      expect(p.stderr()).toContain('TELEGRAM_BOT_TOKEN');
      expect(p.stdout() + p.stderr()).not.toContain(wrong);
      expect(p.stdout() + p.stderr()).not.toContain('aWrongTokenValue');
    } finally {
      await api.close();
      rmSync(data, { recursive: true, force: true });
    }
  }, 60_000);

  it('exits 1 with file:line errors when the content is invalid at start', async () => {
    const { dir, cleanup } = tempContent();
    try {
      writeFileSync(join(dir, 'links.yaml'), 'links:\n  - id: [broken\n');
      const p = start({ CONTENT_DIR: dir });
      running.push(p);
      expect(await p.exit).toBe(1);
      expect(p.stderr()).toMatch(/links\.yaml:\d+:\d+ lỗi/);
    } finally {
      cleanup();
    }
  }, 60_000);
});
