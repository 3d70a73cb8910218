// `npm run check [-- <content-dir>]`: validates the content and runs the golden set, for content staff.
// Output is Vietnamese plain text; exit code 1 on any error or when golden top-1 accuracy is below
// GOLDEN_FLOOR, 0 otherwise. No stack trace ever reaches the editor: everything is caught here.

import { ISSUE_CODES, issueTitle } from '../content/codes.js';
import { GOLDEN_FLOOR, runGolden } from '../content/golden.js';
import { formatIssue, loadContent } from '../content/index.js';
import { RULES, answerLengths } from '../content/validate.js';
import type { ContentIssue, Content } from '../content/types.js';
import { createMatcher } from '../match/index.js';

function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** Prints issues grouped by code (in the order of ISSUE_CODES), each group with its count. */
function printGroup(heading: string, issues: ContentIssue[]): void {
  if (issues.length === 0) return;
  out(`${heading}: ${issues.length}`);
  const order = Object.keys(ISSUE_CODES);
  const groups = new Map<string, ContentIssue[]>();
  for (const i of issues) groups.set(i.code, [...(groups.get(i.code) ?? []), i]);
  const codes = [...groups.keys()].sort((a, b) => (order.indexOf(a) >>> 0) - (order.indexOf(b) >>> 0));
  for (const code of codes) {
    const list = groups.get(code)!;
    out(`  ${issueTitle(code)} [${code}] — ${list.length}`);
    for (const i of list) out(`    ${formatIssue(i)}`);
  }
  out();
}

function summary(c: Content): string {
  const questions = c.entries.reduce((n, e) => n + e.questions.length, 0);
  return `${c.topics.length} chủ đề, ${c.entries.length} mục, ${questions} câu hỏi, ${c.golden.length} câu hỏi thử`;
}

export function main(argv: string[] = process.argv.slice(2)): number {
  const dir = argv.find((a) => !a.startsWith('-')) ?? process.env.CONTENT_DIR ?? 'content';
  out(`Kiểm tra nội dung trong thư mục "${dir}"`);
  const t0 = performance.now();
  const r = loadContent(dir);
  const ms = Math.round(performance.now() - t0);
  out();
  if (!r.ok) {
    printGroup('LỖI (phải sửa, bot chưa dùng được nội dung này)', r.errors);
    printGroup('CẢNH BÁO (nên xem)', r.warnings);
    out(`KẾT QUẢ: KHÔNG ĐẠT — ${r.errors.length} lỗi, ${r.warnings.length} cảnh báo (đọc trong ${ms} ms).`);
    out('Sửa các lỗi theo thứ tự từ trên xuống (mỗi dòng ghi tệp:dòng:cột), lưu tệp rồi chạy lại: npm run check');
    return 1;
  }
  const content = r.content;
  printGroup('CẢNH BÁO (nên xem, bot vẫn chạy)', r.warnings);
  out(`Nội dung hợp lệ: ${summary(content)} (đọc trong ${ms} ms, phiên bản ${content.version}).`);
  const len = answerLengths(content.entries.map((e) => e.answer));
  const okLen = len.median <= RULES.targetMedianAnswerChars && len.max <= RULES.targetMaxAnswerChars;
  out(
    `Độ dài câu trả lời: trung vị ${len.median} ký tự (nên ≤ ${RULES.targetMedianAnswerChars}), dài nhất ${len.max} (nên ≤ ${RULES.targetMaxAnswerChars}), ` +
      `${len.overTarget} câu quá ${RULES.targetMaxAnswerChars}${okLen ? '' : ' — nên rút gọn (xem cảnh báo answer-long)'}.`,
  );
  out();

  let goldenOk = true;
  let wrongAnswers = 0;
  if (content.golden.length === 0) {
    out('Bộ câu hỏi thử: chưa có câu nào trong content/golden/, bỏ qua bước đo độ chính xác.');
  } else {
    let report;
    try {
      report = runGolden(content, createMatcher(content));
    } catch (err) {
      out(`Bộ câu hỏi thử: chưa chạy được bộ tìm câu trả lời (${(err as Error).message ?? String(err)}). Báo cho kỹ thuật viên.`);
      return 1;
    }
    out(`Bộ câu hỏi thử (${report.total} câu, chạy trong ${report.ms} ms):`);
    out(`  Đúng ngay câu trả lời đầu tiên (top-1): ${report.top1}/${report.total} = ${pct(report.top1Accuracy)} (mức tối thiểu ${pct(GOLDEN_FLOOR)})`);
    out(`  Có trong 3 gợi ý đầu (top-3):           ${report.top3}/${report.total} = ${pct(report.top3Accuracy)}`);
    out(`  Trả lời nhầm (phải bằng 0):             ${report.wrong}`);
    if (report.misses.length > 0) {
      out();
      out(`  Các câu bot chưa trả lời đúng (${report.misses.length}):`);
      for (const m of report.misses) {
        const at = `${m.pos.file}:${m.pos.line} "${m.q}"`;
        const rank = m.rank > 0 ? `mục đúng đứng thứ ${m.rank}` : 'mục đúng không có trong 3 gợi ý';
        if (m.expected === 'out-of-scope') out(`    ${at} → LỖI: bot trả lời bằng mục ${m.got}, nhưng câu này ngoài phạm vi (không được trả lời)`);
        else if (m.decision === 'answer') out(`    ${at} → LỖI: bot trả lời nhầm mục ${m.got}; cần: ${m.expected} (${rank})`);
        else if (m.decision === 'suggest')
          out(`    ${at} → bot chưa chắc, chỉ gợi ý (đầu tiên: ${m.got}); cần trả lời thẳng: ${m.expected} (${rank})`);
        else if (m.decision === 'out-of-scope') out(`    ${at} → bot cho là ngoài phạm vi; cần: ${m.expected}`);
        else out(`    ${at} → bot không hiểu câu hỏi; cần: ${m.expected}`);
      }
      out('  Cách sửa: thêm vào mục cần trả lời một câu hỏi hoặc từ khóa giống cách người dân hỏi; nếu bot nhầm sang mục khác, làm rõ câu hỏi của mục đó.');
    }
    goldenOk = report.passed;
    wrongAnswers = report.wrong;
  }
  out();
  if (!goldenOk) {
    if (wrongAnswers > 0)
      out(`KẾT QUẢ: KHÔNG ĐẠT — bot trả lời nhầm ${wrongAnswers} câu hỏi thử (dòng có chữ "LỖI" ở trên). Trả lời nhầm là lỗi nội dung: sửa câu hỏi/từ khóa của mục cho rõ.`);
    else out(`KẾT QUẢ: KHÔNG ĐẠT — độ chính xác top-1 dưới mức tối thiểu ${pct(GOLDEN_FLOOR)}.`);
    return 1;
  }
  out(`KẾT QUẢ: ĐẠT — 0 lỗi, ${r.warnings.length} cảnh báo.`);
  return 0;
}

function fail(err: unknown): never {
  const msg = err instanceof Error ? err.message : String(err);
  process.stdout.write(`\nKiểm tra bị dừng vì một lỗi không mong đợi: ${msg.split('\n')[0]}\nHãy chụp màn hình dòng này và báo cho kỹ thuật viên.\n`);
  process.exit(1);
}

process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
try {
  process.exitCode = main();
} catch (err) {
  fail(err);
}
