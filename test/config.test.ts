// Configuration: every wrong value is named with what to write instead; pasted tokens lose stray spaces.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('an administrator mistypes a variable', () => {
  it.each([
    [{ PORT: 'abc' }, /^PORT: .*0 to 65535, e\.g\. PORT=3000/],
    [{ PORT: '70000' }, /^PORT: .*0 to 65535/],
    [{ LOG_LEVEL: 'verbose' }, /^LOG_LEVEL: .*fatal, error, warn, info, debug, trace, silent/],
    [{ RETENTION_DAYS: '0' }, /^RETENTION_DAYS: .*1 to 3650/],
    [{ TELEGRAM_API_ROOT: 'api.telegram.org' }, /^TELEGRAM_API_ROOT: .*full URL/],
    [{ ZALO_API_ROOT: 'zalo' }, /^ZALO_API_ROOT: .*full URL/],
    [{ ZALO_BOT_TOKEN: 'z', PUBLIC_URL: 'https://x.vn', ZALO_WEBHOOK_SECRET: 'x'.repeat(300) }, /^ZALO_WEBHOOK_SECRET: .*8–256/],
  ])('%j is refused with a message that says what to write', (env, message) => {
    expect(problems(env)).toEqual([expect.stringMatching(message)]);
  });
});

describe('a token pasted with a stray space or line break', () => {
  it('is used without it', () => {
    const c = loadConfig({ TELEGRAM_BOT_TOKEN: ' 123:abc\n', ZALO_BOT_TOKEN: '456:def  ' });
    expect(c.telegram).toMatchObject({ mode: 'polling', token: '123:abc' });
    expect(c.zalo).toMatchObject({ mode: 'polling', token: '456:def' });
  });
});

describe('several instances: REDIS_URL and DATABASE_URL', () => {
  it('are optional: unset or empty means memory + SQLite', () => {
    const c = loadConfig({ REDIS_URL: '', DATABASE_URL: ' ' });
    expect(c.redisUrl).toBeUndefined();
    expect(c.databaseUrl).toBeUndefined();
  });

  it('are read when they look right', () => {
    const c = loadConfig({ REDIS_URL: ' redis://127.0.0.1:6379 ', DATABASE_URL: 'postgresql://bot:pw@db:5432/vneid' });
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.databaseUrl).toBe('postgresql://bot:pw@db:5432/vneid');
  });

  it('a wrong form says what to write, without echoing the value (it may hold a password)', () => {
    let err: unknown;
    try {
      loadConfig({ REDIS_URL: 'localhost:6379', DATABASE_URL: 'mysql://u:hunter22@db/x' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('REDIS_URL must look like redis://');
    expect(msg).toContain('DATABASE_URL must look like postgres://');
    expect(msg).not.toContain('hunter22');
  });
});
