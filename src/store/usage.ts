// The embedded store (SQLite via better-sqlite3 at DATA_DIR/bot.db): daily usage counts by
// channel × ward × reply kind, and the questions the bot could not answer confidently, with the entry the
// resident then picked. Personal data is masked before anything is written.
//
// Writing never slows a reply: `recordReply` and `recordPick` only append to an in-memory buffer, flushed in
// one transaction every `flushMs`, or on the next turn of the event loop when `flushAt` events are waiting
// (never inside the reply path). A broken database (read-only, corrupt) turns the store off with a clear
// error; the bot keeps answering.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ChannelName, Reply, ReplyKind } from '../engine/types.js';
import { maskPii } from '../privacy/pii.js';
import { FEEDBACK_MIGRATION } from './feedback-schema.js';

export const STORE_DEFAULTS = Object.freeze({
  /** Flush the write buffer at least this often (ms). */
  flushMs: 1000,
  /** …or as soon as this many events wait. */
  flushAt: 200,
  /** Longest question text kept (characters); the rest is cut. */
  maxTextChars: 300,
  /** Chats whose last low-confidence question is remembered to link a later pick (in memory only). */
  maxPendingPicks: 5000,
  /** A pick counts for the last question only if it comes within this time (ms). */
  pickWindowMs: 10 * 60 * 1000,
  /** After a failure (disk full, file replaced), the store tries to reopen at most this often (ms). */
  reopenMs: 30_000,
});

/** Versioned migrations: index i brings the schema from version i to i + 1 (PRAGMA user_version). */
const MIGRATIONS: string[] = [
  `CREATE TABLE usage_daily (
     day TEXT NOT NULL, channel TEXT NOT NULL, ward TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL,
     count INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, channel, ward, kind));
   CREATE TABLE questions (
     id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL, day TEXT NOT NULL, channel TEXT NOT NULL,
     ward TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL, normalized TEXT NOT NULL, example TEXT NOT NULL,
     top_id TEXT, top_score REAL, picked_id TEXT);
   CREATE INDEX questions_day ON questions(day);
   CREATE INDEX questions_norm ON questions(normalized);`,
  // v2: a pick finds its question by time; without this index every pick scanned the whole table.
  `CREATE INDEX questions_ts ON questions(ts);`,
  // v3: residents' feedback as evidence, answers per entry, new residents per ward (src/store/feedback.ts).
  FEEDBACK_MIGRATION,
];

/** Schema version this program writes (PRAGMA user_version). */
export const SCHEMA_VERSION = MIGRATIONS.length;

export interface UsageEvent {
  /** Epoch ms. */
  ts: number;
  channel: ChannelName;
  ward?: string;
  kind: ReplyKind;
  /** The resident's text (masked before writing); absent for button presses. */
  text?: string;
  normalized?: string;
  topId?: string;
  topScore?: number;
}

export interface StoreStatus {
  state: 'ok' | 'error';
  /** Clear message when the store is off. */
  error?: string;
  path: string;
}

export interface UnansweredRow {
  normalized: string;
  count: number;
  example: string;
  kinds: string;
  lastDay: string;
}
export interface PickRow {
  normalized: string;
  example: string;
  pickedId: string;
  count: number;
}
export interface UsageRow {
  day: string;
  channel: string;
  ward: string;
  kind: string;
  count: number;
}
export interface Report {
  days: number;
  since: string;
  unanswered: UnansweredRow[];
  picks: PickRow[];
  usage: UsageRow[];
}

export interface UsageStore {
  status(): StoreStatus;
  /** Counts a reply and, for suggest/fallback, keeps the (masked) question. Never throws, never blocks on disk. */
  recordReply(chatKey: string, event: UsageEvent): void;
  /** The resident picked `entryId` from a list: link it to their last low-confidence question. */
  recordPick(chatKey: string, entryId: string, ts: number): void;
  /** Writes buffered events now. */
  flush(): void;
  /** Deletes rows older than the retention period; returns rows deleted. */
  purge(now?: number): number;
  report(days: number, now?: number): Report;
  close(): void;
}

export interface UsageStoreOptions {
  dataDir: string;
  retentionDays: number;
  /** Called once when the store fails (open or write), with a clear message. */
  onError?: (message: string) => void;
  /** Called when the store works again after a failure (reopened). */
  onRecover?: () => void;
  /** After a failure, try to reopen the database at most this often (ms); default STORE_DEFAULTS.reopenMs. */
  reopenMs?: number;
  flushMs?: number;
  /** Called after each flush that wrote something: events written and the time it took (ms). For benches and metrics. */
  onFlush?: (events: number, ms: number) => void;
}

const dayOf = (ts: number) => new Date(ts).toISOString().slice(0, 10);

/** Control characters (tabs and newlines become spaces later), NUL, bidi overrides and lone surrogates. */
const UNPRINTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Strips unprintable characters and broken UTF-16, cuts, masks personal data and trims; used for every text
 * that is written. The text is cut before masking (to twice `max`), so a huge message costs no more than a short one.
 */
export function sanitizeText(text: string, max: number = STORE_DEFAULTS.maxTextChars): string {
  const clean = text.slice(0, max * 2).replace(UNPRINTABLE, '').normalize('NFC');
  const masked = maskPii(clean).replace(/\s+/g, ' ').trim();
  return masked.length > max ? masked.slice(0, max - 1) + '…' : masked;
}

export function openUsageStore(opts: UsageStoreOptions): UsageStore {
  const path = join(opts.dataDir, 'bot.db');
  let db: Database.Database | undefined;
  let error: string | undefined;
  const fail = (what: string, e: unknown) => {
    const reason = e instanceof Error ? e.message : String(e);
    const msg = `${what} (${path}): ${reason}. Bot vẫn trả lời bình thường nhưng không ghi thống kê; kiểm tra quyền ghi của DATA_DIR hoặc xóa/đổi tên tệp hỏng.`;
    if (!error) opts.onError?.(msg);
    error = msg;
    try {
      db?.close();
    } catch {
      /* already broken */
    }
    db = undefined;
  };

  let stmts: ReturnType<typeof prepare> | undefined;
  let lastOpen = 0;
  const reopenMs = opts.reopenMs ?? STORE_DEFAULTS.reopenMs;
  function open(): boolean {
    lastOpen = Date.now();
    try {
      mkdirSync(opts.dataDir, { recursive: true });
      db = new Database(path);
      db.pragma('journal_mode = WAL');
      // WAL + NORMAL: never corrupts; a power cut may lose the last second of counts. Avoids an fsync per flush.
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 2000');
      migrate(db);
      stmts = prepare(db);
      return true;
    } catch (e) {
      fail('Không mở được cơ sở dữ liệu thống kê', e);
      stmts = undefined;
      return false;
    }
  }
  open();
  /** After a failure, reopen (throttled): a disk that was full or a file that was fixed works again without a restart. */
  function healthy(): boolean {
    if (!error) return true;
    if (Date.now() - lastOpen < reopenMs) return false;
    if (!open()) return false;
    // A write must succeed too (a full disk still opens): counted as recovered only when it does.
    try {
      db!.pragma('user_version = ' + String(db!.pragma('user_version', { simple: true })));
    } catch (e) {
      fail('Không ghi được thống kê', e);
      return false;
    }
    error = undefined;
    opts.onRecover?.();
    return true;
  }

  type Buffered = { pick?: undefined; e: UsageEvent } | { pick: { entryId: string; rowTs: number; example: string } };
  const buffer: Buffered[] = [];
  let soon: NodeJS.Immediate | undefined;
  const pending = new Map<string, { rowTs: number; normalized: string; example: string }>();
  const flushMs = opts.flushMs ?? STORE_DEFAULTS.flushMs;
  let timer: NodeJS.Timeout | undefined;

  function flush() {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (soon) {
      clearImmediate(soon);
      soon = undefined;
    }
    if (!buffer.length) return;
    const batch = buffer.splice(0, buffer.length);
    const st = stmts;
    if (!db || !st) return;
    const started = performance.now();
    try {
      db.transaction(() => {
        for (const item of batch) {
          if (item.pick) {
            // After the question's own insert (same batch or an earlier one): order is kept.
            st.pick.run(item.pick.entryId, item.pick.rowTs, sanitizeText(item.pick.example));
            continue;
          }
          const e = item.e;
          const day = dayOf(e.ts);
          st.count.run(day, e.channel, e.ward ?? '', e.kind);
          // Out-of-scope questions are kept too, marked by their kind: they show what residents expect of the bot.
          if ((e.kind === 'suggest' || e.kind === 'fallback' || e.kind === 'out-of-scope') && e.text) {
            st.question.run(
              e.ts,
              day,
              e.channel,
              e.ward ?? '',
              e.kind,
              sanitizeText(e.normalized || e.text),
              sanitizeText(e.text),
              e.topId ?? null,
              e.topScore ?? null,
            );
          }
        }
      })();
    } catch (err) {
      fail('Không ghi được thống kê', err);
      return;
    }
    opts.onFlush?.(batch.length, performance.now() - started);
  }

  const schedule = () => {
    if (buffer.length >= (STORE_DEFAULTS.flushAt as number)) {
      // Soon, but not inside the reply being answered.
      if (!soon) soon = setImmediate(flush);
    } else if (!timer) {
      timer = setTimeout(flush, flushMs);
      timer.unref();
    }
  };

  return {
    status: () => (healthy() ? { state: 'ok', path } : { state: 'error', error, path }),
    recordReply(chatKey, e) {
      if (!healthy()) return;
      buffer.push({ e });
      if ((e.kind === 'suggest' || e.kind === 'fallback') && e.text) {
        pending.delete(chatKey);
        pending.set(chatKey, { rowTs: e.ts, normalized: e.normalized || e.text, example: e.text });
        while (pending.size > STORE_DEFAULTS.maxPendingPicks) pending.delete(pending.keys().next().value as string);
      } else if (e.kind === 'answer' && e.text) {
        pending.delete(chatKey);
      }
      schedule();
    },
    recordPick(chatKey, entryId, ts) {
      const p = pending.get(chatKey);
      if (!p || !healthy()) return;
      pending.delete(chatKey);
      if (ts - p.rowTs > STORE_DEFAULTS.pickWindowMs) return;
      buffer.push({ pick: { entryId, rowTs: p.rowTs, example: p.example } });
      schedule();
    },
    flush,
    purge(now = Date.now()) {
      flush();
      if (!db || !stmts) return 0;
      const cutoff = dayOf(now - opts.retentionDays * 86_400_000);
      try {
        return stmts.purgeQuestions.run(cutoff).changes + stmts.purgeUsage.run(cutoff).changes;
      } catch (err) {
        fail('Không xóa được dữ liệu cũ', err);
        return 0;
      }
    },
    report(days, now = Date.now()) {
      healthy();
      flush();
      if (!db || !stmts) return { days, since: sinceDay(days, now), unanswered: [], picks: [], usage: [] };
      try {
        return runReport(stmts, days, now);
      } catch (err) {
        fail('Không đọc được thống kê', err);
        return { days, since: sinceDay(days, now), unanswered: [], picks: [], usage: [] };
      }
    },
    close() {
      flush();
      pending.clear();
      try {
        db?.close();
      } catch {
        /* ignore */
      }
      db = undefined;
    },
  };
}

const sinceDay = (days: number, now: number) => dayOf(now - (days - 1) * 86_400_000);

function runReport(stmts: Pick<ReturnType<typeof prepare>, 'unanswered' | 'picks' | 'usage'>, days: number, now: number): Report {
  const since = sinceDay(days, now);
  return {
    days,
    since,
    unanswered: stmts.unanswered.all(since) as UnansweredRow[],
    picks: stmts.picks.all(since) as PickRow[],
    usage: stmts.usage.all(since) as UsageRow[],
  };
}

/** A report that could not be read: the message says what to do (Vietnamese, for staff). */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

/**
 * Reads the report from DATA_DIR/bot.db without creating or changing anything (`npm run report`).
 * Throws StoreError when the file is missing, not a database, or from a newer program.
 */
export function readReport(dataDir: string, days: number, now: number = Date.now()): Report {
  const path = join(dataDir, 'bot.db');
  if (!existsSync(path)) {
    throw new StoreError(
      `Chưa có dữ liệu thống kê: không thấy tệp ${path}. Bot tạo tệp này khi chạy (npm start) với cùng DATA_DIR; kiểm tra DATA_DIR rồi chạy lại.`,
    );
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true });
    db.pragma('busy_timeout = 2000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === 0) throw new StoreError(`Tệp ${path} không phải cơ sở dữ liệu thống kê của bot (chưa có bảng nào).`);
    if (version > MIGRATIONS.length) {
      throw new StoreError(`Tệp ${path} do phiên bản bot mới hơn tạo (lược đồ v${version}, chương trình này biết v${MIGRATIONS.length}). Cập nhật mã nguồn rồi chạy lại.`);
    }
    return runReport(prepareReport(db), days, now);
  } catch (err) {
    if (err instanceof StoreError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new StoreError(
      `Không đọc được cơ sở dữ liệu thống kê ${path}: ${reason}. Tệp có thể bị hỏng: đổi tên hoặc xóa nó (bot sẽ tạo tệp mới khi chạy lại), hoặc khôi phục từ bản sao lưu.`,
    );
  } finally {
    db?.close();
  }
}

function prepareReport(db: Database.Database) {
  const all = prepare(db);
  return { unanswered: all.unanswered, picks: all.picks, usage: all.usage };
}

function migrate(db: Database.Database) {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) throw new Error(`schema version ${version} is newer than this program (${MIGRATIONS.length})`);
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

function prepare(db: Database.Database) {
  return {
    count: db.prepare(
      `INSERT INTO usage_daily (day, channel, ward, kind, count) VALUES (?, ?, ?, ?, 1)
       ON CONFLICT(day, channel, ward, kind) DO UPDATE SET count = count + 1`,
    ),
    question: db.prepare(
      `INSERT INTO questions (ts, day, channel, ward, kind, normalized, example, top_id, top_score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    pick: db.prepare(`UPDATE questions SET picked_id = ? WHERE ts = ? AND example = ? AND picked_id IS NULL`),
    purgeQuestions: db.prepare(`DELETE FROM questions WHERE day < ?`),
    purgeUsage: db.prepare(`DELETE FROM usage_daily WHERE day < ?`),
    unanswered: db.prepare(
      `SELECT normalized, COUNT(*) AS count, MIN(example) AS example, GROUP_CONCAT(DISTINCT kind) AS kinds, MAX(day) AS lastDay
       FROM questions WHERE day >= ? GROUP BY normalized ORDER BY count DESC, lastDay DESC LIMIT 100`,
    ),
    picks: db.prepare(
      `SELECT normalized, MIN(example) AS example, picked_id AS pickedId, COUNT(*) AS count
       FROM questions WHERE day >= ? AND picked_id IS NOT NULL GROUP BY normalized, picked_id ORDER BY count DESC LIMIT 100`,
    ),
    usage: db.prepare(
      `SELECT day, channel, ward, kind, SUM(count) AS count FROM usage_daily WHERE day >= ?
       GROUP BY day, channel, ward, kind ORDER BY day DESC, channel, ward, kind`,
    ),
  };
}

/** Turns an engine reply into the event the store records. */
export function usageEvent(channel: ChannelName, text: string | undefined, reply: Reply, ts: number): UsageEvent {
  const top = reply.debug?.candidates[0];
  return {
    ts,
    channel,
    ward: reply.ward,
    kind: reply.kind,
    text,
    normalized: reply.debug?.normalized,
    topId: top?.id,
    topScore: top?.score,
  };
}
