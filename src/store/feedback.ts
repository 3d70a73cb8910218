// Residents' feedback as evidence, in the same database as the usage store — DATA_DIR/bot.db (SQLite schema v3,
// ./feedback-schema.ts) or, with DATABASE_URL, PostgreSQL (migration v2 in ./pg.ts, written through that store):
//   - a typed question answered, then 👍 or 👎 (kind 'up' / 'down', with the masked question);
//   - a fallback or suggestion list, then the resident re-asked and got an answer (kind 'reask': that first
//     question is a candidate alternate question of the entry);
//   - near-domain out-of-scope questions (reply kind 'out-of-scope', kind 'oos');
//   - answers per entry per day (for "top entries asked") and the first message of each chat that came
//     through a ward link (new residents per ward; the chat id is stored hashed).
// Suggestion picks are already in the usage store's `questions.picked_id`. Every text is masked
// (sanitizeText) before it is written; rows older than RETENTION_DAYS are purged with the usage rows.
// Writes are buffered like the usage store's: recording never blocks a reply. The statements are shared by both
// engines (FEEDBACK_SQL), and so are the reads (./sql.ts).
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, Reply } from '../engine/types.js';
import type { PgUsageStore } from './pg.js';
import { sqliteAll, type SqlAll } from './sql.js';
import { sanitizeText, STORE_DEFAULTS } from './usage.js';

export { FEEDBACK_MIGRATION } from './feedback-schema.js';

export type EvidenceKind = 'up' | 'down' | 'reask' | 'oos';

const dayOf = (ts: number) => new Date(ts).toISOString().slice(0, 10);
const hashChat = (key: string) => createHash('sha256').update(`vneid-chat:${key}`).digest('hex').slice(0, 16);

/** The recorder's statements, in the SQL both SQLite and PostgreSQL accept (`?` placeholders). */
export const FEEDBACK_SQL = Object.freeze({
  fb: `INSERT INTO feedback (ts, day, channel, ward, kind, entry_id, question, normalized) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  entry: `INSERT INTO entry_daily (day, channel, ward, entry_id, count) VALUES (?, ?, ?, ?, 1)
    ON CONFLICT (day, channel, ward, entry_id) DO UPDATE SET count = entry_daily.count + 1`,
  resident: `INSERT INTO ward_residents (channel, chat, ward, day) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  decide: `INSERT INTO proposal_state (key, state, ts, day) VALUES (?, ?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET state = excluded.state, ts = excluded.ts, day = excluded.day`,
});
/** Tables the recorder fills (each has a `day` column for the retention purge). */
const TABLES = ['feedback', 'entry_daily', 'ward_residents', 'proposal_state'];

/** One write: a statement of FEEDBACK_SQL and its parameters. */
type Write = [sql: string, params: unknown[]];

export interface FeedbackRecorder {
  /** Call for every handled message (a channel hook). Never throws, never waits for the disk or the network. */
  onReply(msg: IncomingMessage, reply: Reply, now?: number): void;
  /**
   * Writes what is buffered. SQLite: done when the call returns (the promise is already settled). PostgreSQL:
   * resolves once the shared store has written it, or has kept it for later because the database is down.
   */
  flush(): Promise<void>;
  /** Rows older than the retention period removed (PostgreSQL: 0 — the usage store purges every table there). */
  purge(now?: number): number;
  /** Hides a proposal ("Bỏ qua") or marks it accepted. */
  decide(key: string, state: 'skipped' | 'accepted', now?: number): void;
  /** The read side (proposals, dashboard) over the same database, or undefined when the SQLite store is off. */
  read(): SqlAll | undefined;
  close(): void;
}

interface CommonOptions {
  retentionDays: number;
  onError?: (message: string) => void;
  flushMs?: number;
}
/**
 * SQLite (DATA_DIR/bot.db, the embedded default) — or, with `pg`, the shared PostgreSQL store (DATABASE_URL):
 * the rows then go through its buffer, in its transactions, and survive an outage like the usage counts.
 */
export type FeedbackRecorderOptions = CommonOptions & ({ dataDir: string; pg?: undefined } | { pg: Pick<PgUsageStore, 'enqueue' | 'all' | 'flush'>; dataDir?: undefined });

/** Opens the evidence store. SQLite: the schema is created by the usage store (open it first, same DATA_DIR). */
export function openFeedbackRecorder(opts: FeedbackRecorderOptions): FeedbackRecorder {
  const sink = opts.pg ? pgSink(opts.pg) : sqliteSink(opts.dataDir, opts);
  /** Per chat: the last typed question answered (for a vote) and the last unanswered one (for a re-ask). */
  const lastAnswered = new Map<string, { entryId: string; question: string; normalized: string }>();
  const lastUnanswered = new Map<string, { ts: number; question: string; normalized: string }>();
  const seen = new Set<string>();
  const bound = (m: Map<string, unknown>) => {
    while (m.size > STORE_DEFAULTS.maxPendingPicks) m.delete(m.keys().next().value as string);
  };
  type Row =
    | { t: 'fb'; ts: number; channel: string; ward: string; kind: EvidenceKind; entryId: string | null; question: string | null; normalized: string | null }
    | { t: 'entry'; day: string; channel: string; ward: string; entryId: string }
    | { t: 'resident'; channel: string; chat: string; ward: string; day: string };
  const push = (r: Row) => {
    if (r.t === 'fb') sink.push([FEEDBACK_SQL.fb, [r.ts, dayOf(r.ts), r.channel, r.ward, r.kind, r.entryId, r.question, r.normalized]]);
    else if (r.t === 'entry') sink.push([FEEDBACK_SQL.entry, [r.day, r.channel, r.ward, r.entryId]]);
    else sink.push([FEEDBACK_SQL.resident, [r.channel, r.chat, r.ward, r.day]]);
  };

  return {
    onReply(msg, reply, now = Date.now()) {
      if (sink.failed()) return;
      const key = `${msg.channel}:${msg.chatId}`;
      const ward = reply.ward ?? '';
      const channel = msg.channel;
      const typed = msg.kind === 'text' && !!reply.debug;
      if (ward && !seen.has(`${key}|${ward}`)) {
        seen.add(`${key}|${ward}`);
        if (seen.size > 50_000) seen.clear();
        push({ t: 'resident', channel, chat: hashChat(key), ward, day: dayOf(now) });
      }
      if (reply.vote) {
        const a = lastAnswered.get(key);
        const q = a && a.entryId === reply.vote.entryId ? a : undefined;
        push({ t: 'fb', ts: now, channel, ward, kind: reply.vote.vote, entryId: reply.vote.entryId, question: q?.question ?? null, normalized: q?.normalized ?? null });
        lastAnswered.delete(key);
        return;
      }
      if (reply.kind === 'answer' && reply.entryId) {
        push({ t: 'entry', day: dayOf(now), channel, ward, entryId: reply.entryId });
        if (typed) {
          const question = sanitizeText(msg.text);
          const normalized = sanitizeText(reply.debug?.normalized || msg.text);
          lastAnswered.set(key, { entryId: reply.entryId, question, normalized });
          bound(lastAnswered);
          const u = lastUnanswered.get(key);
          lastUnanswered.delete(key);
          if (u && now - u.ts <= STORE_DEFAULTS.pickWindowMs && u.normalized !== normalized)
            push({ t: 'fb', ts: now, channel, ward, kind: 'reask', entryId: reply.entryId, question: u.question, normalized: u.normalized });
        } else lastUnanswered.delete(key); // a pick from the list: the usage store keeps that one
        return;
      }
      if (!typed) return;
      const question = sanitizeText(msg.text);
      const normalized = sanitizeText(reply.debug?.normalized || msg.text);
      if (reply.kind === 'out-of-scope') {
        push({ t: 'fb', ts: now, channel, ward, kind: 'oos', entryId: null, question, normalized });
      } else if (reply.kind === 'fallback' || reply.kind === 'suggest') {
        lastUnanswered.set(key, { ts: now, question, normalized });
        bound(lastUnanswered);
      }
    },
    flush: () => sink.flush(),
    purge: (now = Date.now()) => sink.purge(dayOf(now - opts.retentionDays * 86_400_000)),
    decide(key, state, now = Date.now()) {
      sink.push([FEEDBACK_SQL.decide, [sanitizeText(key, 1000), state, now, dayOf(now)]]);
      void sink.flush();
    },
    read: () => sink.read(),
    close: () => sink.close(),
  };
}

/** Where the recorder's writes go. */
interface Sink {
  /** Never throws. */
  push(w: Write): void;
  flush(): Promise<void>;
  purge(cutoff: string): number;
  read(): SqlAll | undefined;
  /** True when writes are being dropped (the SQLite file failed); onReply then does nothing. */
  failed(): boolean;
  close(): void;
}

/** PostgreSQL: the usage store's buffer, transactions and outage handling carry the rows. */
function pgSink(store: Pick<PgUsageStore, 'enqueue' | 'all' | 'flush'>): Sink {
  return {
    push: ([sql, params]) => store.enqueue(sql, params),
    flush: async () => {
      await store.flush();
    },
    purge: () => 0,
    read: () => store.all,
    failed: () => false,
    close() {
      /* the usage store owns the pool and flushes on close */
    },
  };
}

/** SQLite: buffered in memory, written in one transaction every flushMs (never on the reply path). */
function sqliteSink(dataDir: string, opts: CommonOptions): Sink {
  const path = join(dataDir, 'bot.db');
  let db: Database.Database | undefined;
  let error: string | undefined;
  const statements = new Map<string, Database.Statement>();
  const fail = (what: string, e: unknown) => {
    const msg = `${what} (${path}): ${e instanceof Error ? e.message : String(e)}. Bot vẫn trả lời bình thường nhưng không ghi góp ý.`;
    if (!error) opts.onError?.(msg);
    error = msg;
    try {
      db?.close();
    } catch {
      /* broken */
    }
    db = undefined;
  };
  const stmt = (d: Database.Database, sql: string) => {
    let s = statements.get(sql);
    if (!s) statements.set(sql, (s = d.prepare(sql)));
    return s;
  };
  try {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 2000');
    for (const sql of Object.values(FEEDBACK_SQL)) stmt(db, sql);
  } catch (e) {
    fail('Không mở được kho góp ý', e);
  }

  const buffer: Write[] = [];
  let timer: NodeJS.Timeout | undefined;
  function flush() {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!buffer.length) return;
    const batch = buffer.splice(0, buffer.length);
    const d = db;
    if (!d) return;
    try {
      d.transaction(() => {
        for (const [sql, params] of batch) stmt(d, sql).run(...params);
      })();
    } catch (e) {
      fail('Không ghi được góp ý', e);
    }
  }
  return {
    push(w) {
      if (error) return;
      buffer.push(w);
      if (buffer.length >= STORE_DEFAULTS.flushAt) setImmediate(flush);
      else if (!timer) {
        timer = setTimeout(flush, opts.flushMs ?? STORE_DEFAULTS.flushMs);
        timer.unref();
      }
    },
    flush: async () => flush(),
    purge(cutoff) {
      flush();
      const d = db;
      if (!d) return 0;
      try {
        return TABLES.reduce((n, table) => n + stmt(d, `DELETE FROM ${table} WHERE day < ?`).run(cutoff).changes, 0);
      } catch (e) {
        fail('Không xóa được góp ý cũ', e);
        return 0;
      }
    },
    read: () => (db ? sqliteAll(db) : undefined),
    failed: () => !!error,
    close() {
      flush();
      try {
        db?.close();
      } catch {
        /* ignore */
      }
      db = undefined;
    },
  };
}
