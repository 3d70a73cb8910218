// The shared store for several instances (DATABASE_URL, PostgreSQL via `pg`): the same usage counts and
// unanswered questions as the SQLite store (./usage.ts), the same masking, report and retention, so that
// the report sees every instance's residents.
//
// Like the SQLite store, writing never slows a reply: events are buffered in memory and written in one
// transaction every `flushMs`. A database outage never stops answering: the store reports "error"
// (/healthz "degraded"), keeps the events (at most `maxBuffered`, the oldest dropped first, counted in
// the log) and writes them when the database is back.
//
// Schema: versioned migrations in PG_MIGRATIONS, applied in order under an advisory lock (two instances
// starting together migrate once); the version is kept in schema_migrations. A new table is one more entry.
import pg from 'pg';
import { performance } from 'node:perf_hooks';
import type { SqlAll } from './sql.js';
import { STORE_DEFAULTS, StoreError, sanitizeText, type Report, type StoreStatus, type UsageEvent, type UsageStore } from './usage.js';

/** Index i brings the schema from version i to i + 1 (same tables as the SQLite store). */
export const PG_MIGRATIONS: string[] = [
  `CREATE TABLE usage_daily (
     day TEXT NOT NULL, channel TEXT NOT NULL, ward TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL,
     count BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (day, channel, ward, kind));
   CREATE TABLE questions (
     id BIGSERIAL PRIMARY KEY, ts BIGINT NOT NULL, day TEXT NOT NULL, channel TEXT NOT NULL,
     ward TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL, normalized TEXT NOT NULL, example TEXT NOT NULL,
     top_id TEXT, top_score DOUBLE PRECISION, picked_id TEXT);
   CREATE INDEX questions_day ON questions(day);
   CREATE INDEX questions_norm ON questions(normalized);
   CREATE INDEX questions_ts ON questions(ts);`,
  // v2: residents' feedback as evidence (the SQLite store's schema v3, branch `feedback`, src/store/feedback-schema.ts).
  `CREATE TABLE feedback (
     id BIGSERIAL PRIMARY KEY, ts BIGINT NOT NULL, day TEXT NOT NULL, channel TEXT NOT NULL,
     ward TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL, entry_id TEXT, question TEXT, normalized TEXT);
   CREATE INDEX feedback_day ON feedback(day);
   CREATE TABLE entry_daily (
     day TEXT NOT NULL, channel TEXT NOT NULL, ward TEXT NOT NULL DEFAULT '', entry_id TEXT NOT NULL,
     count BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (day, channel, ward, entry_id));
   CREATE TABLE ward_residents (
     channel TEXT NOT NULL, chat TEXT NOT NULL, ward TEXT NOT NULL, day TEXT NOT NULL,
     PRIMARY KEY (channel, chat, ward));
   CREATE TABLE proposal_state (
     key TEXT PRIMARY KEY, state TEXT NOT NULL, ts BIGINT NOT NULL, day TEXT NOT NULL);`,
];

/** Tables whose rows older than RETENTION_DAYS are purged (each has a `day` column). */
const RETAINED_TABLES = ['questions', 'usage_daily', 'feedback', 'entry_daily', 'ward_residents', 'proposal_state'];

/** SQLite-style `?` placeholders → PostgreSQL's `$1, $2…` (outside quoted strings), so portable statements are shared. */
export function toPgPlaceholders(sql: string): string {
  let n = 0;
  let quoted = false;
  let out = '';
  for (const ch of sql) {
    if (ch === "'") quoted = !quoted;
    out += ch === '?' && !quoted ? `$${++n}` : ch;
  }
  return out;
}

export const PG_SCHEMA_VERSION = PG_MIGRATIONS.length;

export const PG_DEFAULTS = Object.freeze({
  /** Events kept in memory while the database is unreachable; beyond this the oldest are dropped. */
  maxBuffered: 50_000,
  /** Retry a failed write this often, ms. */
  retryMs: 2_000,
  /** Connections per instance: writes are batched, the report is rare. */
  poolSize: 4,
  /** Deadline of a connection attempt and of a statement, ms. */
  timeoutMs: 5_000,
});

/** The PostgreSQL store: UsageStore's recording side, with the reading side asynchronous. */
export interface PgUsageStore extends Omit<UsageStore, 'purge' | 'report' | 'close' | 'flush'> {
  /** Writes buffered events now; resolves false when the database is unreachable (they stay buffered). */
  flush(): Promise<boolean>;
  purge(now?: number): Promise<number>;
  report(days: number, now?: number): Promise<Report>;
  /** Events waiting to be written. */
  buffered(): number;
  /**
   * Queues one write statement (`?` placeholders) of another recorder — the feedback evidence — to be written
   * in order with the counts, in the same transactions, and kept through an outage like them. Never throws.
   */
  enqueue(sql: string, params: unknown[]): void;
  /** Reads rows (`?` placeholders), for the report-like pages of other modules (dashboard, proposals). */
  all<T>(sql: string, params: unknown[]): Promise<T[]>;
  /** Resolves once the schema is in place (or failed: see status()). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export interface PgStoreOptions {
  url: string;
  retentionDays: number;
  /** Called when the store fails (once per outage) with a clear message. */
  onError?: (message: string) => void;
  /** Called when the database is back, with the number of buffered events written. */
  onRecover?: (events: number) => void;
  onFlush?: (events: number, ms: number) => void;
  /** Shared pending picks (REDIS_URL); default in memory. */
  pending?: PendingPicks;
  flushMs?: number;
  maxBuffered?: number;
  retryMs?: number;
}

const dayOf = (ts: number) => new Date(ts).toISOString().slice(0, 10);
const sinceDay = (days: number, now: number) => dayOf(now - (days - 1) * 86_400_000);

/** postgres://user@host:port/db without the password, for /healthz and messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'postgres://…';
  }
}

type Item =
  | { e: UsageEvent }
  | { pick: { entryId: string; rowTs: number; example: string; tries?: number } }
  /** A statement of another recorder (e.g. feedback), written in order with the counts and buffered like them. */
  | { sql: string; params: unknown[] };

/**
 * Where a chat's last low-confidence question waits for the resident's pick. Default: this instance's
 * memory. With REDIS_URL it is shared (src/state/redis.ts `pendingPicks`), so that a pick answered by another
 * instance is still linked to its question.
 */
export interface PendingPicks {
  put(chatKey: string, p: { rowTs: number; example: string }): void;
  forget(chatKey: string): void;
  take(chatKey: string): Promise<{ rowTs: number; example: string } | undefined>;
}

/** A pick whose question is not written yet (another instance still buffers it) is tried again this many flushes. */
const PICK_TRIES = 5;

export function openPgUsageStore(opts: PgStoreOptions): PgUsageStore {
  const where = describeUrl(opts.url);
  const flushMs = opts.flushMs ?? STORE_DEFAULTS.flushMs;
  const maxBuffered = opts.maxBuffered ?? PG_DEFAULTS.maxBuffered;
  const retryMs = opts.retryMs ?? PG_DEFAULTS.retryMs;
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: PG_DEFAULTS.poolSize,
    connectionTimeoutMillis: PG_DEFAULTS.timeoutMs,
    statement_timeout: PG_DEFAULTS.timeoutMs,
    idleTimeoutMillis: 10_000,
  });
  // An idle connection dropped by the server must not crash the process.
  pool.on('error', (err) => fail('Mất kết nối cơ sở dữ liệu thống kê', err));

  let error: string | undefined;
  let closed = false;
  let dropped = 0;
  const buffer: Item[] = [];
  const memoryPending = new Map<string, { rowTs: number; example: string }>();
  const pending: PendingPicks = opts.pending ?? {
    put(chatKey, p) {
      memoryPending.delete(chatKey);
      memoryPending.set(chatKey, p);
      while (memoryPending.size > STORE_DEFAULTS.maxPendingPicks) memoryPending.delete(memoryPending.keys().next().value as string);
    },
    forget: (chatKey) => void memoryPending.delete(chatKey),
    async take(chatKey) {
      const p = memoryPending.get(chatKey);
      memoryPending.delete(chatKey);
      return p;
    },
  };
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<boolean> | undefined;
  /** Events of the batch being written now (counted as buffered until written). */
  let writing = 0;

  function fail(what: string, e: unknown) {
    const reason = (e instanceof Error ? e.message : String(e)).replace(/postgres(ql)?:\/\/\S+/gi, 'postgres://…');
    const msg = `${what} (${where}): ${reason}. Bot vẫn trả lời bình thường; thống kê được giữ tạm trong bộ nhớ và ghi lại khi cơ sở dữ liệu hoạt động trở lại.`;
    if (!error) opts.onError?.(msg);
    error = msg;
  }

  const migrated = migrate(pool).catch((e: unknown) => fail('Không chuẩn bị được cơ sở dữ liệu thống kê', e));
  let schemaOk = false;
  void migrated.then(() => {
    if (!error) schemaOk = true;
  });

  function schedule(ms = flushMs) {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, ms);
    timer.unref();
  }

  function push(item: Item) {
    buffer.push(item);
    if (buffer.length > maxBuffered) {
      const n = buffer.length - maxBuffered;
      buffer.splice(0, n);
      dropped += n;
    }
    schedule(buffer.length >= STORE_DEFAULTS.flushAt ? 0 : flushMs);
  }

  /** Writes one batch in one transaction; returns the picks whose question is not in the table yet. */
  async function writeBatch(batch: Item[]): Promise<Item[]> {
    const missed: Item[] = [];
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // Counts are summed per key first: one statement per day × channel × ward × kind.
      const counts = new Map<string, { day: string; channel: string; ward: string; kind: string; n: number }>();
      for (const item of batch) {
        if (!('e' in item)) continue;
        const e = item.e;
        const day = dayOf(e.ts);
        const k = `${day}|${e.channel}|${e.ward ?? ''}|${e.kind}`;
        const c = counts.get(k);
        if (c) c.n++;
        else counts.set(k, { day, channel: e.channel, ward: e.ward ?? '', kind: e.kind, n: 1 });
      }
      for (const c of counts.values()) {
        await client.query(
          `INSERT INTO usage_daily (day, channel, ward, kind, count) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (day, channel, ward, kind) DO UPDATE SET count = usage_daily.count + EXCLUDED.count`,
          [c.day, c.channel, c.ward, c.kind, c.n],
        );
      }
      for (const item of batch) {
        if ('sql' in item) {
          await client.query(toPgPlaceholders(item.sql), item.params);
          continue;
        }
        if ('pick' in item) {
          // After the question's own insert (same batch or an earlier one): order is kept.
          const r = await client.query(`UPDATE questions SET picked_id = $1 WHERE ts = $2 AND example = $3 AND picked_id IS NULL`, [
            item.pick.entryId,
            item.pick.rowTs,
            sanitizeText(item.pick.example),
          ]);
          const tries = (item.pick.tries ?? 0) + 1;
          if (!r.rowCount && tries < PICK_TRIES) missed.push({ pick: { ...item.pick, tries } });
          continue;
        }
        const e = item.e;
        if ((e.kind === 'suggest' || e.kind === 'fallback' || e.kind === 'out-of-scope') && e.text) {
          await client.query(
            `INSERT INTO questions (ts, day, channel, ward, kind, normalized, example, top_id, top_score) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
            [e.ts, dayOf(e.ts), e.channel, e.ward ?? '', e.kind, sanitizeText(e.normalized || e.text), sanitizeText(e.text), e.topId ?? null, e.topScore ?? null],
          );
        }
      }
      await client.query('COMMIT');
      return missed;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** One flush at a time; a failed batch goes back to the front of the buffer. */
  function flush(): Promise<boolean> {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (flushing) return flushing.then(() => (buffer.length ? flush() : !error));
    flushing = (async () => {
      await migrated;
      if (!schemaOk) {
        // The schema could not be prepared (database down at start): try again.
        try {
          await migrate(pool);
          schemaOk = true;
        } catch (e) {
          fail('Không chuẩn bị được cơ sở dữ liệu thống kê', e);
          if (buffer.length) schedule(retryMs);
          return false;
        }
      }
      if (!buffer.length) {
        if (error) await pool.query('SELECT 1').then(() => recover(0), () => undefined);
        return !error;
      }
      const batch = buffer.splice(0, buffer.length);
      const started = performance.now();
      writing = batch.length;
      let missed: Item[];
      try {
        missed = await writeBatch(batch);
      } catch (e) {
        writing = 0;
        buffer.unshift(...batch);
        if (buffer.length > maxBuffered) {
          const n = buffer.length - maxBuffered;
          buffer.splice(0, n);
          dropped += n;
        }
        fail('Không ghi được thống kê', e);
        schedule(retryMs);
        return false;
      }
      writing = 0;
      opts.onFlush?.(batch.length, performance.now() - started);
      if (error) recover(batch.length);
      if (missed.length) {
        buffer.push(...missed);
        schedule();
      }
      return true;
    })().finally(() => {
      flushing = undefined;
    });
    return flushing;
  }

  function recover(events: number) {
    error = undefined;
    opts.onRecover?.(events);
    if (dropped) {
      opts.onError?.(`${dropped} sự kiện thống kê bị bỏ vì cơ sở dữ liệu ngừng quá lâu (giữ tối đa ${maxBuffered}).`);
      dropped = 0;
    }
  }

  async function query<T>(sql: string, args: unknown[]): Promise<T[]> {
    await migrated;
    return (await pool.query(sql, args)).rows as T[];
  }

  return {
    status: (): StoreStatus => (error ? { state: 'error', error, path: where } : { state: 'ok', path: where }),
    recordReply(chatKey, e) {
      if (closed) return;
      push({ e });
      // Masked before it waits anywhere (with REDIS_URL it waits in Redis); masking twice changes nothing.
      if ((e.kind === 'suggest' || e.kind === 'fallback') && e.text) pending.put(chatKey, { rowTs: e.ts, example: sanitizeText(e.text) });
      else if (e.kind === 'answer' && e.text) pending.forget(chatKey);
    },
    recordPick(chatKey, entryId, ts) {
      if (closed) return;
      void pending.take(chatKey).then(
        (p) => {
          if (!p || closed || ts - p.rowTs > STORE_DEFAULTS.pickWindowMs) return;
          push({ pick: { entryId, rowTs: p.rowTs, example: p.example } });
        },
        () => undefined,
      );
    },
    flush,
    buffered: () => buffer.length + writing,
    enqueue(sql, params) {
      if (!closed) push({ sql, params });
    },
    all: <T>(sql: string, params: unknown[]) => query<T>(toPgPlaceholders(sql), params),
    ready: async () => {
      await migrated;
    },
    async purge(now = Date.now()) {
      await flush();
      const cutoff = dayOf(now - opts.retentionDays * 86_400_000);
      try {
        await migrated;
        let n = 0;
        for (const table of RETAINED_TABLES) n += (await pool.query(`DELETE FROM ${table} WHERE day < $1`, [cutoff])).rowCount ?? 0;
        return n;
      } catch (e) {
        fail('Không xóa được dữ liệu cũ', e);
        return 0;
      }
    },
    async report(days, now = Date.now()) {
      await flush();
      try {
        return await runPgReportOn(query, days, now);
      } catch (e) {
        fail('Không đọc được thống kê', e);
        return { days, since: sinceDay(days, now), unanswered: [], picks: [], usage: [] };
      }
    },
    async close() {
      await flush();
      closed = true;
      if (timer) clearTimeout(timer);
      memoryPending.clear();
      if (buffer.length) opts.onError?.(`${buffer.length} sự kiện thống kê chưa ghi được khi dừng (cơ sở dữ liệu không trả lời).`);
      await pool.end().catch(() => undefined);
    },
  };
}

/** The same report as the SQLite store's (src/store/usage.ts), from PostgreSQL. */
export async function runPgReportOn(query: SqlAll, days: number, now: number = Date.now()): Promise<Report> {
  const since = sinceDay(days, now);
  // One after the other: the report CLI reads through a single connection.
  const unanswered = await query<Report['unanswered'][number]>(
    `SELECT normalized, COUNT(*)::int AS count, MIN(example) AS example, string_agg(DISTINCT kind, ',') AS kinds, MAX(day) AS "lastDay"
     FROM questions WHERE day >= $1 GROUP BY normalized ORDER BY count DESC, "lastDay" DESC LIMIT 100`,
    [since],
  );
  const picks = await query<Report['picks'][number]>(
    `SELECT normalized, MIN(example) AS example, picked_id AS "pickedId", COUNT(*)::int AS count
     FROM questions WHERE day >= $1 AND picked_id IS NOT NULL GROUP BY normalized, picked_id ORDER BY count DESC LIMIT 100`,
    [since],
  );
  const usage = await query<Report['usage'][number]>(
    `SELECT day, channel, ward, kind, SUM(count)::int AS count FROM usage_daily WHERE day >= $1
     GROUP BY day, channel, ward, kind ORDER BY day DESC, channel, ward, kind`,
    [since],
  );
  return { days, since, unanswered, picks, usage };
}

/** Applies the missing migrations, one transaction each, under an advisory lock. */
export async function migrate(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(7346012)');
    try {
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
      const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
      const version = rows[0]?.v ?? 0;
      if (version > PG_MIGRATIONS.length) throw new Error(`schema version ${version} is newer than this program (${PG_MIGRATIONS.length})`);
      for (let v = version; v < PG_MIGRATIONS.length; v++) {
        await client.query('BEGIN');
        try {
          await client.query(PG_MIGRATIONS[v]);
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v + 1]);
          await client.query('COMMIT');
        } catch (e) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw e;
        }
      }
      return PG_MIGRATIONS.length;
    } finally {
      await client.query('SELECT pg_advisory_unlock(7346012)').catch(() => undefined);
    }
  } finally {
    client.release();
  }
}

/** `npm run report` with DATABASE_URL: reads without changing anything. Throws StoreError with what to do. */
export async function readPgReport(url: string, days: number, now: number = Date.now()): Promise<Report> {
  return withPgReader(url, (all) => runPgReportOn(all, days, now));
}

/**
 * Opens one connection to DATABASE_URL for reading (`npm run report`: the report and the proposals), checks the
 * schema, runs `read` with a reader taking `?` placeholders (src/store/sql.ts) and closes the connection.
 * Throws StoreError with what to do when the database cannot be read.
 */
export async function withPgReader<R>(url: string, read: (all: SqlAll, version: number) => Promise<R>): Promise<R> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PG_DEFAULTS.timeoutMs });
  // A connection dropped by the server while reading must not crash the CLI (the query then rejects).
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    throw new StoreError(
      `Không kết nối được cơ sở dữ liệu thống kê ${describeUrl(url)}: ${(e as Error).message}. Kiểm tra DATABASE_URL và máy chủ PostgreSQL rồi chạy lại.`,
    );
  }
  try {
    let version = 0;
    try {
      version = (await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations')).rows[0]?.v ?? 0;
    } catch {
      version = 0;
    }
    if (version === 0) throw new StoreError(`Cơ sở dữ liệu ${describeUrl(url)} chưa có bảng thống kê: bot tạo chúng khi chạy (npm start) với cùng DATABASE_URL.`);
    if (version > PG_MIGRATIONS.length) {
      throw new StoreError(`Cơ sở dữ liệu ${describeUrl(url)} do phiên bản bot mới hơn tạo (lược đồ v${version}, chương trình này biết v${PG_MIGRATIONS.length}). Cập nhật mã nguồn rồi chạy lại.`);
    }
    const all: SqlAll = async <T>(sql: string, params: unknown[]) => (await client.query(toPgPlaceholders(sql), params)).rows as T[];
    return await read(all, version);
  } catch (e) {
    if (e instanceof StoreError) throw e;
    throw new StoreError(`Không đọc được thống kê từ ${describeUrl(url)}: ${(e as Error).message}.`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The PostgreSQL schema version from which the feedback tables exist (proposals, dashboard). */
export const PG_FEEDBACK_VERSION = 2;
