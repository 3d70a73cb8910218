// Structured logs (pino). Logs never carry residents' text in clear, tokens or secrets:
// - known secret fields are redacted by path;
// - every string that passes through `safeText` is PII-masked and cut short;
// - `redactSecrets` removes bot tokens from URLs and error messages before they are logged.
import pino, { type Logger } from 'pino';
import { maskPii } from './privacy/pii.js';

export type { Logger };

const REDACT_PATHS = [
  'token',
  'secret',
  'password',
  'authorization',
  '*.token',
  '*.secret',
  '*.authorization',
  'headers.authorization',
  'headers["x-telegram-bot-api-secret-token"]',
  'headers["x-bot-api-secret-token"]',
  'req.headers.authorization',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["x-bot-api-secret-token"]',
];

export interface LoggerOptions {
  level?: string;
  /** Where to write; default stdout. Tests pass a stream to capture lines. */
  destination?: pino.DestinationStream;
  /** Values that must never appear in a log line (bot tokens, webhook secrets). */
  secrets?: string[];
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const secrets = (opts.secrets ?? []).filter((s) => s && s.length >= 6);
  return pino(
    {
      level: opts.level ?? 'info',
      base: undefined,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        // Last line of defence: scrub configured secrets from the message and string arguments.
        logMethod(args, method) {
          if (secrets.length) {
            args = args.map((a) =>
              typeof a === 'string' ? redactSecrets(a, secrets) : a && typeof a === 'object' ? scrubObject(a, secrets) : a,
            ) as typeof args;
          }
          return method.apply(this, args);
        },
      },
    },
    opts.destination,
  );
}

/** Replaces each secret, and any "/bot<token>/" URL segment, with "[redacted]". */
export function redactSecrets(text: string, secrets: string[] = []): string {
  // Only a path segment that looks like a token ("/bot123456:ABC…/": no dot, a digit), never a host name
  // such as "//bots.example.org/" or "//bot.example.vn/".
  let out = text.replace(/\/bot(?=[^/\s.]*\d)[^/\s.]{6,}\//g, '/bot[redacted]/');
  for (const s of secrets) if (s) out = out.split(s).join('[redacted]');
  return out;
}

function scrubObject(value: unknown, secrets: string[], depth = 0): unknown {
  if (depth > 4) return value;
  if (typeof value === 'string') return redactSecrets(value, secrets);
  if (value instanceof Error) {
    const e = new Error(redactSecrets(value.message, secrets));
    e.name = value.name;
    return { err: { type: value.name, message: e.message } };
  }
  if (Array.isArray(value)) return value.map((v) => scrubObject(v, secrets, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrubObject(v, secrets, depth + 1);
    return out;
  }
  return value;
}

/** A resident's text as it may appear in a debug log: PII masked, at most 80 characters (cut before masking). */
export function safeText(text: string): string {
  const masked = maskPii(text.slice(0, 160));
  return masked.length > 80 ? masked.slice(0, 77) + '…' : masked;
}
