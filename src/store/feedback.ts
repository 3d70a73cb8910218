// Residents' feedback as evidence (DATA_DIR/bot.db, the same file as the usage store; schema v3 below):
//   - a typed question answered, then 👍 or 👎 (kind 'up' / 'down', with the masked question);
//   - a fallback or suggestion list, then the resident re-asked and got an answer (kind 'reask': that first
//     question is a candidate alternate question of the entry);
//   - near-domain out-of-scope questions (reply kind 'out-of-scope', kind 'oos');
//   - answers per entry per day (for "top entries asked") and the first message of each chat that came
//     through a ward link (new residents per ward; the chat id is stored hashed).
// Suggestion picks are already in the usage store's `questions.picked_id`. Every text is masked
// (sanitizeText) before it is written; rows older than RETENTION_DAYS are purged with the usage rows.
// Writes are buffered like the usage store's: recording never blocks a reply.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, Reply } from '../engine/types.js';
import { sanitizeText, STORE_DEFAULTS } from './usage.js';

export { FEEDBACK_MIGRATION } from './feedback-schema.js';

export type EvidenceKind = 'up' | 'down' | 'reask' | 'oos';

const dayOf = (ts: number) => new Date(ts).toISOString().slice(0, 10);
const hashChat = (key: string) => createHash('sha256').update(`vneid-chat:${key}`).digest('hex').slice(0, 16);

type Row =
  | { t: 'fb'; ts: number; channel: string; ward: string; kind: EvidenceKind; entryId: string | null; question: string | null; normalized: string | null }
  | { t: 'entry'; day: string; channel: string; ward: string; entryId: string }
  | { t: 'resident'; channel: string; chat: string; ward: string; day: string };

export interface FeedbackRecorder {
  /** Call for every handled message (a channel hook). Never throws, never touches the disk. */
  onReply(msg: IncomingMessage, reply: Reply, now?: number): void;
  flush(): void;
  purge(now?: number): number;
  /** Hides a proposal ("Bỏ qua") or marks it accepted. */
  decide(key: string, state: 'skipped' | 'accepted', now?: number): void;
  /** The open database (read side: proposals, dashboard), or undefined when the store is off. */
  db(): Database.Database | undefined;
  close(): void;
}

export interface FeedbackRecorderOptions {
  dataDir: string;
  retentionDays: number;
  onError?: (message: string) => void;
  flushMs?: number;
}

/** Opens the evidence store. The schema is created by the usage store (open it first, same DATA_DIR). */
export function openFeedbackRecorder(opts: FeedbackRecorderOptions): FeedbackRecorder {
  const path = join(opts.dataDir, 'bot.db');
  let db: Database.Database | undefined;
  let error: string | undefined;
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
  let stmts: ReturnType<typeof prepare> | undefined;
  try {
    mkdirSync(opts.dataDir, { recursive: true });
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 2000');
    stmts = prepare(db);
  } catch (e) {
    fail('Không mở được kho góp ý', e);
  }

  const buffer: Row[] = [];
  let timer: NodeJS.Timeout | undefined;
  /** Per chat: the last typed question answered (for a vote) and the last unanswered one (for a re-ask). */
  const lastAnswered = new Map<string, { entryId: string; question: string; normalized: string }>();
  const lastUnanswered = new Map<string, { ts: number; question: string; normalized: string }>();
  const seen = new Set<string>();
  const bound = (m: Map<string, unknown>) => {
    while (m.size > STORE_DEFAULTS.maxPendingPicks) m.delete(m.keys().next().value as string);
  };

  function flush() {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!buffer.length) return;
    const batch = buffer.splice(0, buffer.length);
    if (!db || !stmts) return;
    const s = stmts;
    try {
      db.transaction(() => {
        for (const r of batch) {
          if (r.t === 'fb') s.fb.run(r.ts, dayOf(r.ts), r.channel, r.ward, r.kind, r.entryId, r.question, r.normalized);
          else if (r.t === 'entry') s.entry.run(r.day, r.channel, r.ward, r.entryId);
          else s.resident.run(r.channel, r.chat, r.ward, r.day);
        }
      })();
    } catch (e) {
      fail('Không ghi được góp ý', e);
    }
  }
  const push = (r: Row) => {
    buffer.push(r);
    if (buffer.length >= STORE_DEFAULTS.flushAt) setImmediate(flush);
    else if (!timer) {
      timer = setTimeout(flush, opts.flushMs ?? STORE_DEFAULTS.flushMs);
      timer.unref();
    }
  };

  return {
    onReply(msg, reply, now = Date.now()) {
      if (error) return;
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
    flush,
    purge(now = Date.now()) {
      flush();
      if (!db || !stmts) return 0;
      const cutoff = dayOf(now - opts.retentionDays * 86_400_000);
      try {
        return (
          stmts.purgeFb.run(cutoff).changes + stmts.purgeEntry.run(cutoff).changes + stmts.purgeResidents.run(cutoff).changes + stmts.purgeState.run(cutoff).changes
        );
      } catch (e) {
        fail('Không xóa được góp ý cũ', e);
        return 0;
      }
    },
    decide(key, state, now = Date.now()) {
      stmts?.decide.run(sanitizeText(key, 1000), state, now, dayOf(now));
    },
    db: () => db,
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

function prepare(db: Database.Database) {
  return {
    fb: db.prepare(`INSERT INTO feedback (ts, day, channel, ward, kind, entry_id, question, normalized) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    entry: db.prepare(
      `INSERT INTO entry_daily (day, channel, ward, entry_id, count) VALUES (?, ?, ?, ?, 1)
       ON CONFLICT(day, channel, ward, entry_id) DO UPDATE SET count = count + 1`,
    ),
    resident: db.prepare(`INSERT OR IGNORE INTO ward_residents (channel, chat, ward, day) VALUES (?, ?, ?, ?)`),
    decide: db.prepare(
      `INSERT INTO proposal_state (key, state, ts, day) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET state = excluded.state, ts = excluded.ts, day = excluded.day`,
    ),
    purgeFb: db.prepare(`DELETE FROM feedback WHERE day < ?`),
    purgeEntry: db.prepare(`DELETE FROM entry_daily WHERE day < ?`),
    purgeResidents: db.prepare(`DELETE FROM ward_residents WHERE day < ?`),
    purgeState: db.prepare(`DELETE FROM proposal_state WHERE day < ?`),
  };
}
