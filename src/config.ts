// Configuration: read once from the environment (and .env via dotenv), validated with zod, typed from
// the schema. Every variable is documented in .env.example and in the README's table.
import { z } from 'zod';

const TELEGRAM_SECRET = /^[A-Za-z0-9_-]{16,256}$/;

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
/** Tokens are often pasted with a stray space or line break; the platform would then reject a correct token. */
const optionalToken = z.preprocess((v) => emptyToUndefined(typeof v === 'string' ? v.trim() : v), z.string().optional());

const schema = z.object({
  HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  PORT: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: 'PORT must be a whole number from 0 to 65535, e.g. PORT=3000' })
      .int('PORT must be a whole number from 0 to 65535, e.g. PORT=3000')
      .min(0, 'PORT must be a whole number from 0 to 65535, e.g. PORT=3000')
      .max(65535, 'PORT must be a whole number from 0 to 65535, e.g. PORT=3000')
      .default(3000),
  ),
  PUBLIC_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .url('PUBLIC_URL phải là một địa chỉ đầy đủ, ví dụ https://bot.example.vn')
      .refine((u) => u.startsWith('https://'), 'PUBLIC_URL must start with https:// (Telegram and Zalo only call HTTPS webhooks)')
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
  ),
  CONTENT_DIR: z.preprocess(emptyToUndefined, z.string().default('content')),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('data')),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (default info)',
      })
      .default('info'),
  ),
  PLAYGROUND_TOKEN: optionalString,
  RETENTION_DAYS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: 'RETENTION_DAYS must be a whole number of days from 1 to 3650, e.g. RETENTION_DAYS=90' })
      .int('RETENTION_DAYS must be a whole number of days from 1 to 3650, e.g. RETENTION_DAYS=90')
      .min(1, 'RETENTION_DAYS must be a whole number of days from 1 to 3650, e.g. RETENTION_DAYS=90')
      .max(3650, 'RETENTION_DAYS must be a whole number of days from 1 to 3650, e.g. RETENTION_DAYS=90')
      .default(90),
  ),
  TELEGRAM_BOT_TOKEN: optionalToken,
  TELEGRAM_WEBHOOK_SECRET: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(TELEGRAM_SECRET, 'TELEGRAM_WEBHOOK_SECRET must be 16–256 characters of A-Z a-z 0-9 _ -')
      .optional(),
  ),
  TELEGRAM_API_ROOT: z.preprocess(
    emptyToUndefined,
    z.string().url('TELEGRAM_API_ROOT must be a full URL such as https://api.telegram.org (or leave it unset)').default('https://api.telegram.org'),
  ),
  TELEGRAM_BOT_USERNAME: optionalString,
  ZALO_BOT_TOKEN: optionalToken,
  ZALO_WEBHOOK_SECRET: z.preprocess(
    emptyToUndefined,
    z.string().min(8, 'ZALO_WEBHOOK_SECRET must be 8–256 characters').max(256, 'ZALO_WEBHOOK_SECRET must be 8–256 characters').optional(),
  ),
  ZALO_API_ROOT: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .url('ZALO_API_ROOT must be a full URL such as https://bot-api.zaloplatforms.com (or leave it unset)')
      .default('https://bot-api.zaloplatforms.com'),
  ),
  ZALO_BOT_LINK: optionalString,
  // --- several instances (optional): shared live state and the shared store ---
  REDIS_URL: z.preprocess(
    (v) => emptyToUndefined(typeof v === 'string' ? v.trim() : v),
    z
      .string()
      .regex(/^rediss?:\/\/\S+$/, 'REDIS_URL must look like redis://host:6379 (or rediss:// for TLS), or be left unset')
      .optional(),
  ),
  DATABASE_URL: z.preprocess(
    (v) => emptyToUndefined(typeof v === 'string' ? v.trim() : v),
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'DATABASE_URL must look like postgres://user:password@host:5432/dbname, or be left unset')
      .optional(),
  ),
});

export type Env = z.infer<typeof schema>;

/** How a channel receives updates. Webhook mode needs a public URL and a secret. */
export type ChannelMode =
  | { mode: 'off'; reason: string }
  | { mode: 'polling'; token: string }
  | { mode: 'webhook'; token: string; secret: string; url: string };

export interface Config {
  host: string;
  port: number;
  publicUrl?: string;
  contentDir: string;
  dataDir: string;
  logLevel: Env['LOG_LEVEL'];
  playgroundToken?: string;
  retentionDays: number;
  telegram: ChannelMode & { apiRoot: string; username?: string };
  zalo: ChannelMode & { apiRoot: string; botLink?: string };
  /** Shared live state (several instances); unset = memory. */
  redisUrl?: string;
  /** Shared store (several instances); unset = SQLite in DATA_DIR. */
  databaseUrl?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Cấu hình không hợp lệ (invalid configuration):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Webhook paths are derived from a hash-free constant; the secret header protects them. */
export const TELEGRAM_WEBHOOK_PATH = '/webhook/telegram';
export const ZALO_WEBHOOK_PATH = '/webhook/zalo';

/** Validates the environment once. Throws ConfigError listing every problem (never a token's value). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];

  const telegram = ((): Config['telegram'] => {
    const base = { apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ''), username: e.TELEGRAM_BOT_USERNAME };
    if (!e.TELEGRAM_BOT_TOKEN) return { ...base, mode: 'off', reason: 'TELEGRAM_BOT_TOKEN is not set' };
    if (e.PUBLIC_URL) {
      if (!e.TELEGRAM_WEBHOOK_SECRET) {
        problems.push('TELEGRAM_WEBHOOK_SECRET is required when PUBLIC_URL is set (webhook mode): 16–256 characters of A-Z a-z 0-9 _ -');
        return { ...base, mode: 'off', reason: 'misconfigured' };
      }
      return {
        ...base,
        mode: 'webhook',
        token: e.TELEGRAM_BOT_TOKEN,
        secret: e.TELEGRAM_WEBHOOK_SECRET,
        url: e.PUBLIC_URL + TELEGRAM_WEBHOOK_PATH,
      };
    }
    return { ...base, mode: 'polling', token: e.TELEGRAM_BOT_TOKEN };
  })();

  const zalo = ((): Config['zalo'] => {
    const base = { apiRoot: e.ZALO_API_ROOT.replace(/\/+$/, ''), botLink: e.ZALO_BOT_LINK };
    if (!e.ZALO_BOT_TOKEN) return { ...base, mode: 'off', reason: 'ZALO_BOT_TOKEN is not set' };
    if (e.PUBLIC_URL) {
      if (!e.ZALO_WEBHOOK_SECRET) {
        problems.push('ZALO_WEBHOOK_SECRET is required when PUBLIC_URL is set (webhook mode): 8–256 characters');
        return { ...base, mode: 'off', reason: 'misconfigured' };
      }
      return { ...base, mode: 'webhook', token: e.ZALO_BOT_TOKEN, secret: e.ZALO_WEBHOOK_SECRET, url: e.PUBLIC_URL + ZALO_WEBHOOK_PATH };
    }
    return { ...base, mode: 'polling', token: e.ZALO_BOT_TOKEN };
  })();

  if (problems.length) throw new ConfigError(problems);
  return {
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    contentDir: e.CONTENT_DIR,
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    playgroundToken: e.PLAYGROUND_TOKEN,
    retentionDays: e.RETENTION_DAYS,
    telegram,
    zalo,
    redisUrl: e.REDIS_URL,
    databaseUrl: e.DATABASE_URL,
  };
}
