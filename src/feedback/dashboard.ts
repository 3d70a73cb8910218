// The dashboard's data (playground tab "Bảng theo dõi", /api/dashboard, CSV): messages per day by channel and
// ward, answered / suggested / fallback shares per day, top entries asked, 👍/👎 per entry, new residents per ward.
import type Database from 'better-sqlite3';
import { csvCell } from '../store/format.js';

export interface Dashboard {
  days: number;
  since: string;
  /** One row per day × channel × ward × reply kind. */
  usage: { day: string; channel: string; ward: string; kind: string; count: number }[];
  topEntries: { entryId: string; count: number }[];
  votes: { entryId: string; up: number; down: number }[];
  residents: { ward: string; channel: string; count: number; firstDay: string }[];
}

const sinceDay = (days: number, now: number) => new Date(now - (days - 1) * 86_400_000).toISOString().slice(0, 10);

export function readDashboard(db: Database.Database, days: number, now: number = Date.now()): Dashboard {
  const since = sinceDay(days, now);
  return {
    days,
    since,
    usage: db
      .prepare(`SELECT day, channel, ward, kind, SUM(count) AS count FROM usage_daily WHERE day >= ? GROUP BY day, channel, ward, kind ORDER BY day`)
      .all(since) as Dashboard['usage'],
    topEntries: db
      .prepare(`SELECT entry_id AS entryId, SUM(count) AS count FROM entry_daily WHERE day >= ? GROUP BY entry_id ORDER BY count DESC LIMIT 20`)
      .all(since) as Dashboard['topEntries'],
    votes: db
      .prepare(
        `SELECT entry_id AS entryId, SUM(CASE WHEN kind = 'up' THEN 1 ELSE 0 END) AS up, SUM(CASE WHEN kind = 'down' THEN 1 ELSE 0 END) AS down
         FROM feedback WHERE day >= ? AND kind IN ('up', 'down') GROUP BY entry_id ORDER BY down DESC, up DESC LIMIT 50`,
      )
      .all(since) as Dashboard['votes'],
    residents: db
      .prepare(`SELECT ward, channel, COUNT(*) AS count, MIN(day) AS firstDay FROM ward_residents WHERE day >= ? GROUP BY ward, channel ORDER BY count DESC`)
      .all(since) as Dashboard['residents'],
  };
}

/** One CSV (UTF-8 with BOM, so Excel reads Vietnamese correctly), a `section` column per part. */
export function dashboardCsv(d: Dashboard, title: (id: string) => string): string {
  const rows: (string | number)[][] = [['section', 'day', 'channel', 'ward', 'kind', 'entry_id', 'entry', 'count', 'up', 'down']];
  for (const u of d.usage) rows.push(['usage', u.day, u.channel, u.ward, u.kind, '', '', u.count, '', '']);
  for (const e of d.topEntries) rows.push(['top_entry', '', '', '', '', e.entryId, title(e.entryId), e.count, '', '']);
  for (const v of d.votes) rows.push(['feedback', '', '', '', '', v.entryId, title(v.entryId), v.up + v.down, v.up, v.down]);
  for (const r of d.residents) rows.push(['new_residents', r.firstDay, r.channel, r.ward, '', '', '', r.count, '', '']);
  return '\uFEFF' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
