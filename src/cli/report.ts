// `npm run report`: what residents asked that the bot could not answer, read from DATA_DIR/bot.db (or from
// PostgreSQL when DATABASE_URL is set), followed by the residents' proposals (src/feedback/report.ts).
//
//   npm run report                          last 30 days, as tables
//   npm run report -- --days 7 --format csv one CSV (columns: section, day, channel, ward, kind, count, …)
//
// Sections: the most frequent unanswered questions (grouped by normalised text, with counts and an example),
// the suggestions residents picked (candidate alternate phrasings: question → entry), and usage per day,
// channel and ward. A missing or corrupt database → a clear message and exit code 1.
import { config as loadDotenv } from 'dotenv';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { loadContent } from '../content/index.js';
import type { Content } from '../content/types.js';
import { formatProposalsTable, proposalsCsvRows, readProposals } from '../feedback/report.js';
import { computeProposals, type Proposals } from '../feedback/proposals.js';
import { formatReportCsv, formatReportTable } from '../store/format.js';
import { StoreError, readReport, type Report } from '../store/usage.js';
import { describeUrl, PG_FEEDBACK_VERSION, runPgReportOn, withPgReader } from '../store/pg.js';

const USAGE = `Cách dùng: npm run report -- [--days 30] [--format table|csv] [--playground]
  --days N       số ngày gần nhất (1–3650, mặc định 30)
  --playground   tính cả câu hỏi thử trên trang thử nghiệm vào phần đề xuất
  --format       table (bảng, mặc định) hoặc csv (mở bằng Excel/Google Sheets)`;

export interface ReportIo {
  env?: NodeJS.ProcessEnv;
  stdout?: Writable;
  stderr?: Writable;
  /** Epoch ms (tests). */
  now?: number;
}

/** Resolves the exit code. With DATABASE_URL the report and the proposals are read from PostgreSQL. */
export async function main(argv: string[], io: ReportIo = {}): Promise<number> {
  const out = io.stdout ?? process.stdout;
  const err = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  const complain = (s: string) => {
    err.write(s + '\n');
    return 1;
  };

  let days = 30;
  let format: 'table' | 'csv' = 'table';
  let playground = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (flag === '--days') {
      const v = inline ?? argv[++i];
      if (!v || !/^\d{1,4}$/.test(v) || Number(v) < 1 || Number(v) > 3650) return complain(`--days cần một số ngày từ 1 đến 3650, ví dụ --days 30.\n${USAGE}`);
      days = Number(v);
    } else if (flag === '--format') {
      const v = inline ?? argv[++i];
      if (v !== 'table' && v !== 'csv') return complain(`--format chỉ nhận "table" hoặc "csv".\n${USAGE}`);
      format = v;
    } else if (flag === '--playground') {
      playground = true;
    } else if (flag === '--help' || flag === '-h') {
      out.write(USAGE + '\n');
      return 0;
    } else return complain(`Không hiểu tham số "${a}".\n${USAGE}`);
  }

  // Entry titles next to picked entries, and the proposals, when the content loads (the report works without it).
  let content: Content | undefined;
  try {
    const c = loadContent(env.CONTENT_DIR?.trim() || 'content');
    if (c.ok) content = c.content;
  } catch {
    /* titles and proposals are a convenience */
  }
  const proposalOptions = { now: io.now, includePlayground: playground };

  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl) {
    // One connection for the report and the proposals (the feedback tables exist from schema v2).
    return withPgReader(databaseUrl, async (all, version) => {
      const report = await runPgReportOn(all, days, io.now);
      const proposals = content && version >= PG_FEEDBACK_VERSION ? await computeProposals(all, content, { days, ...proposalOptions }) : undefined;
      return { report, proposals };
    }).then(
      ({ report, proposals }) => print(report, proposals, describeUrl(databaseUrl)),
      (e: unknown) => {
        if (e instanceof StoreError) return complain(e.message);
        throw e;
      },
    );
  }
  const dataDir = env.DATA_DIR?.trim() || 'data';
  let report;
  try {
    report = readReport(dataDir, days, io.now);
  } catch (e) {
    if (e instanceof StoreError) return complain(e.message);
    throw e;
  }
  let proposals: Proposals | undefined;
  try {
    if (content) proposals = await readProposals(dataDir, content, days, proposalOptions);
  } catch {
    /* the proposals are a convenience: the report itself was read */
  }
  return print(report, proposals, join(dataDir, 'bot.db'));

  function print(r: Report, proposals: Proposals | undefined, source: string): number {
    const titles = content ? (id: string) => content!.byId.get(id)?.questions[0] : undefined;
    if (format === 'csv') {
      // UTF-8 BOM: Excel then reads Vietnamese correctly.
      out.write('\uFEFF' + formatReportCsv(r) + (proposals ? proposalsCsvRows(proposals) : ''));
      return 0;
    }
    out.write(formatReportTable(r, { titles, source }));
    if (proposals) out.write(formatProposalsTable(proposals));
    return 0;
  }
}

if (process.argv[1] && /report\.[cm]?[jt]s$/.test(process.argv[1])) {
  loadDotenv({ quiet: true });
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`Lỗi không mong đợi: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
