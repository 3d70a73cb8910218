// Validation findings: how they are collected, formatted for a content editor, and thrown.
// Every message is Vietnamese, plain words, and says how to fix the problem.

import type { ContentIssue, SourcePos } from './types.js';

/** Collects issues in load order; sorted by file/line/column when handed out. */
export class IssueList {
  readonly items: ContentIssue[] = [];

  error(code: string, pos: SourcePos, message: string): void {
    this.items.push({ severity: 'error', code, message, pos });
  }

  warn(code: string, pos: SourcePos, message: string): void {
    this.items.push({ severity: 'warning', code, message, pos });
  }

  get errors(): ContentIssue[] {
    return sortIssues(this.items.filter((i) => i.severity === 'error'));
  }

  get warnings(): ContentIssue[] {
    return sortIssues(this.items.filter((i) => i.severity === 'warning'));
  }
}

export function sortIssues(list: ContentIssue[]): ContentIssue[] {
  return [...list].sort(
    (a, b) =>
      (a.pos.file < b.pos.file ? -1 : a.pos.file > b.pos.file ? 1 : 0) ||
      a.pos.line - b.pos.line ||
      a.pos.column - b.pos.column ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

/** Where an issue points: "faq/kich-hoat.yaml:12:5". */
export function formatPos(pos: SourcePos): string {
  return `${pos.file}:${pos.line}:${pos.column}`;
}

/** One line for a content editor: "faq/kich-hoat.yaml:12:5 lỗi [duplicate-id]: …". */
export function formatIssue(issue: ContentIssue): string {
  const level = issue.severity === 'error' ? 'lỗi' : 'cảnh báo';
  return `${formatPos(issue.pos)} ${level} [${issue.code}]: ${issue.message}`;
}

/** Thrown by loadContentOrThrow when the content has errors; `issues` holds every error and warning. */
export class ContentError extends Error {
  override readonly name = 'ContentError';
  readonly issues: ContentIssue[];

  constructor(issues: ContentIssue[]) {
    const errors = issues.filter((i) => i.severity === 'error');
    const head = errors.slice(0, 5).map(formatIssue).join('\n');
    const more = errors.length > 5 ? `\n… và ${errors.length - 5} lỗi khác` : '';
    super(`Nội dung có ${errors.length} lỗi, chưa dùng được:\n${head}${more}`);
    this.issues = issues;
  }

  get errors(): ContentIssue[] {
    return this.issues.filter((i) => i.severity === 'error');
  }
}
