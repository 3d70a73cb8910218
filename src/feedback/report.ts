// `npm run report` sections of the feedback loop: proposals (alternate questions per entry, answers marked 👎
// with rate and count, clusters of unanswered questions), as a table or as CSV rows in the report's columns.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Content } from '../content/types.js';
import { csvCell } from '../store/format.js';
import { sqliteAll } from '../store/sql.js';
import { computeProposals, type Proposals } from './proposals.js';

/** Reads proposals from DATA_DIR/bot.db (read-only); undefined when the file has no feedback tables yet (schema < 3). */
export async function readProposals(
  dataDir: string,
  content: Content,
  days: number,
  opts: { now?: number; includePlayground?: boolean } = {},
): Promise<Proposals | undefined> {
  const path = join(dataDir, 'bot.db');
  if (!existsSync(path)) return undefined;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    if ((db.pragma('user_version', { simple: true }) as number) < 3) return undefined;
    return await computeProposals(sqliteAll(db), content, { days, now: opts.now, includePlayground: opts.includePlayground });
  } finally {
    db.close();
  }
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function formatProposalsTable(p: Proposals): string {
  const out: string[] = ['', `ĐỀ XUẤT TỪ NGƯỜI DÂN — ${p.days} ngày, từ ${p.since}${p.includePlayground ? ' (gồm câu hỏi thử trên trang thử nghiệm)' : ''}`];
  out.push('', 'Câu hỏi nên thêm vào mục (người dân chọn mục này từ danh sách, hoặc hỏi lại và được trả lời):');
  if (!p.alternates.length) out.push('  (chưa có)');
  for (const a of p.alternates) out.push(`  ${String(a.count).padStart(4)}  "${a.question}" → ${a.entryId} (${a.picks} lần chọn, ${a.reasks} lần hỏi lại)`);
  out.push('', 'Góp ý: câu trả lời bị chê (👎):');
  if (!p.disliked.length) out.push('  (chưa có)');
  for (const d of p.disliked) out.push(`  ${String(d.down).padStart(4)} 👎  ${String(d.up).padStart(4)} 👍  ${pct(d.rate).padStart(4)} chê  ${d.entryId}${d.examples.length ? `  ví dụ: ${d.examples.map((e) => `"${e}"`).join(', ')}` : ''}`);
  out.push('', 'Nhóm câu hỏi chưa trả lời được (gom theo độ giống nhau):');
  if (!p.clusters.length) out.push('  (chưa có)');
  for (const c of p.clusters) out.push(`  ${String(c.count).padStart(4)}  ${c.examples.map((e) => `"${e}"`).join(' · ')}${c.entryId ? `  (gần nhất: ${c.entryId})` : ''}`);
  return out.join('\n') + '\n';
}

/** Rows in the report CSV's columns (section, day, channel, ward, kind, count, normalized, example, entry_id). */
export function proposalsCsvRows(p: Proposals): string {
  const rows: (string | number)[][] = [];
  for (const a of p.alternates) rows.push(['proposal', '', '', '', a.picks && a.reasks ? 'pick+reask' : a.picks ? 'pick' : 'reask', a.count, '', a.question, a.entryId]);
  for (const d of p.disliked) rows.push(['feedback', '', '', '', `down ${pct(d.rate)} (${d.up} up)`, d.down, '', d.examples.join(' | '), d.entryId]);
  for (const c of p.clusters) rows.push(['cluster', '', '', '', '', c.count, '', c.examples.join(' | '), c.entryId ?? '']);
  return rows.map((r) => r.map(csvCell).join(',') + '\r\n').join('');
}
