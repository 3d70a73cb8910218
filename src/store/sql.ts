// One way to read the stores from the report-like pages (dashboard, proposals, `npm run report`), whichever
// engine holds them: SQLite (DATA_DIR/bot.db, the embedded default) or PostgreSQL (DATABASE_URL). Statements
// are written once in the SQL both accept — `?` placeholders (turned into $1, $2… for PostgreSQL), aliases
// in double quotes when they have capitals, counts cast to INTEGER (PostgreSQL returns bigint sums as
// strings otherwise) and derived tables named.
import type Database from 'better-sqlite3';

/** Runs one read statement and resolves its rows. Rejects when the database cannot answer. */
export type SqlAll = <T>(sql: string, params: unknown[]) => Promise<T[]>;

/** A reader over an open better-sqlite3 database (synchronous underneath). */
export function sqliteAll(db: Database.Database): SqlAll {
  return async <T>(sql: string, params: unknown[]) => db.prepare(sql).all(...params) as T[];
}
