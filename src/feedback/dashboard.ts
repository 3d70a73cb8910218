// The dashboard's data (playground tab "Bảng theo dõi", /api/dashboard, CSV): messages per day by channel and
// ward, answered / suggested / fallback shares per day, top entries asked, 👍/👎 per entry, new residents per ward.
import { csvCell } from '../store/format.js';
import type { SqlAll } from '../store/sql.js';

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

/** Reads the dashboard from the store's database (SQLite or PostgreSQL, see src/store/sql.ts). */
export async function readDashboard(all: SqlAll, days: number, now: number = Date.now()): Promise<Dashboard> {
  const since = sinceDay(days, now);
  // One after the other: a PostgreSQL pool is shared with the writes.
  const usage = await all<Dashboard['usage'][number]>(
    `SELECT day, channel, ward, kind, CAST(SUM(count) AS INTEGER) AS count FROM usage_daily WHERE day >= ? GROUP BY day, channel, ward, kind ORDER BY day, channel, ward, kind`,
    [since],
  );
  const topEntries = await all<Dashboard['topEntries'][number]>(
    `SELECT entry_id AS "entryId", CAST(SUM(count) AS INTEGER) AS count FROM entry_daily WHERE day >= ? GROUP BY entry_id ORDER BY count DESC, entry_id LIMIT 20`,
    [since],
  );
  const votes = await all<Dashboard['votes'][number]>(
    `SELECT entry_id AS "entryId", CAST(SUM(CASE WHEN kind = 'up' THEN 1 ELSE 0 END) AS INTEGER) AS up,
       CAST(SUM(CASE WHEN kind = 'down' THEN 1 ELSE 0 END) AS INTEGER) AS down
     FROM feedback WHERE day >= ? AND kind IN ('up', 'down') GROUP BY entry_id ORDER BY down DESC, up DESC, entry_id LIMIT 50`,
    [since],
  );
  const residents = await all<Dashboard['residents'][number]>(
    `SELECT ward, channel, CAST(COUNT(*) AS INTEGER) AS count, MIN(day) AS "firstDay" FROM ward_residents WHERE day >= ? GROUP BY ward, channel ORDER BY count DESC, ward`,
    [since],
  );
  return { days, since, usage, topEntries, votes, residents };
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
