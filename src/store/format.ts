// The unanswered-questions report as text: an aligned table for the terminal, or CSV for a spreadsheet.
// Residents' text is untrusted: CSV cells that a spreadsheet would run as a formula are quoted with a leading '.
import type { Report } from './usage.js';

/** Reply kinds in Vietnamese, for staff. */
export const KIND_VI: Readonly<Record<string, string>> = Object.freeze({
  answer: 'trả lời',
  suggest: 'gợi ý',
  fallback: 'không khớp',
  'out-of-scope': 'ngoài phạm vi',
  smalltalk: 'trò chuyện',
  command: 'lệnh',
});

/** One line per day × channel × ward, reply kinds as columns. */
export interface UsageLine {
  day: string;
  channel: string;
  ward: string;
  answer: number;
  suggest: number;
  fallback: number;
  other: number;
  total: number;
}

export function usageLines(report: Report): UsageLine[] {
  const lines = new Map<string, UsageLine>();
  for (const u of report.usage) {
    const key = `${u.day}|${u.channel}|${u.ward}`;
    let l = lines.get(key);
    if (!l) lines.set(key, (l = { day: u.day, channel: u.channel, ward: u.ward, answer: 0, suggest: 0, fallback: 0, other: 0, total: 0 }));
    if (u.kind === 'answer' || u.kind === 'suggest' || u.kind === 'fallback') l[u.kind] += u.count;
    else l.other += u.count;
    l.total += u.count;
  }
  return [...lines.values()];
}

const kinds = (k: string) =>
  k
    .split(',')
    .map((x) => KIND_VI[x] ?? x)
    .join(', ');

/** Visible width: NFC code points (Vietnamese letters are one each once composed). */
const width = (s: string) => [...s.normalize('NFC')].length;
const cut = (s: string, max: number) => (width(s) > max ? [...s.normalize('NFC')].slice(0, max - 1).join('') + '…' : s);

function table(head: string[], rows: (string | number)[][], rightAligned: Set<number>): string {
  const cells = rows.map((r) => r.map(String));
  const w = head.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i]))));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (rightAligned.has(i) ? ' '.repeat(w[i] - width(c)) + c : c + ' '.repeat(w[i] - width(c))))
      .join('  ')
      .trimEnd();
  return [fmt(head), fmt(w.map((n) => '-'.repeat(n))), ...cells.map(fmt)].join('\n');
}

export interface FormatOptions {
  /** Entry id → its title (first question), to show next to picked entries. */
  titles?: (id: string) => string | undefined;
  /** Where the data came from, shown in the heading. */
  source?: string;
}

export function formatReportTable(r: Report, opts: FormatOptions = {}): string {
  const out: string[] = [];
  out.push(`BÁO CÁO CÂU HỎI CHƯA TRẢ LỜI — ${r.days} ngày, từ ${r.since}${opts.source ? ` (${opts.source})` : ''}`);
  out.push('Số định danh, số điện thoại, e-mail và mã OTP đã được che trước khi lưu.', '');

  out.push('1. Câu hỏi bot chưa trả lời được (nhiều nhất trước; gom theo câu đã chuẩn hoá)');
  out.push(
    r.unanswered.length
      ? table(
          ['Số lần', 'Loại', 'Gần nhất', 'Câu hỏi (chuẩn hoá)', 'Ví dụ'],
          r.unanswered.map((u) => [u.count, kinds(u.kinds), u.lastDay, cut(u.normalized, 40), cut(u.example, 60)]),
          new Set([0]),
        )
      : '(chưa có)',
  );
  out.push('');

  out.push('2. Gợi ý người dân đã chọn — nên thêm câu hỏi thay thế cho mục đó (câu hỏi → mục)');
  out.push(
    r.picks.length
      ? table(
          ['Số lần', 'Người dân hỏi', 'Mục đã chọn'],
          r.picks.map((p) => {
            const t = opts.titles?.(p.pickedId);
            return [p.count, cut(p.example, 50), t ? `${p.pickedId} (${cut(t, 50)})` : p.pickedId];
          }),
          new Set([0]),
        )
      : '(chưa có)',
  );
  out.push('');

  out.push('3. Lượt dùng theo ngày, kênh và phường/xã');
  const lines = usageLines(r);
  out.push(
    lines.length
      ? table(
          ['Ngày', 'Kênh', 'Phường/xã', 'Trả lời', 'Gợi ý', 'Không khớp', 'Khác', 'Tổng'],
          lines.map((l) => [l.day, l.channel, l.ward || '(không qua link)', l.answer, l.suggest, l.fallback, l.other, l.total]),
          new Set([3, 4, 5, 6, 7]),
        )
      : '(chưa có)',
  );
  return out.join('\n') + '\n';
}

/** RFC 4180 cell; a leading = + - @ (a spreadsheet formula) is neutralised with a '. */
export function csvCell(v: string | number | null | undefined): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_HEADER = ['section', 'day', 'channel', 'ward', 'kind', 'count', 'normalized', 'example', 'entry_id'] as const;

/**
 * One CSV, one row per item; `section` says which part of the report it is:
 * unanswered (day = last seen, kind = reply kinds), pick (question → entry_id), usage (day × channel × ward × kind).
 */
export function formatReportCsv(r: Report): string {
  const rows: (string | number)[][] = [[...CSV_HEADER]];
  for (const u of r.unanswered) rows.push(['unanswered', u.lastDay, '', '', u.kinds, u.count, u.normalized, u.example, '']);
  for (const p of r.picks) rows.push(['pick', '', '', '', '', p.count, p.normalized, p.example, p.pickedId]);
  for (const u of r.usage) rows.push(['usage', u.day, u.channel, u.ward, u.kind, u.count, '', '', '']);
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
