// The content loader: content/*.yaml → validated, typed Content (src/content/types.ts).
// Synchronous (fs + yaml.parseDocument), so every node keeps its file:line:column for error messages.
//
//   const r = loadContent('content');          // never throws for bad content: errors are data
//   if (!r.ok) r.errors.map(formatIssue)       // "faq/kich-hoat.yaml:12:5 lỗi [duplicate-id]: …"
//   const content = loadContentOrThrow('content');  // throws ContentError with .issues

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap } from 'yaml';
import { IssueList, ContentError, formatIssue, sortIssues } from './issues.js';
import { parseGolden, parseLinks, parseMessages, parseOffices, parseSources, parseSynonyms, parseTopic } from './parse.js';
import type { At, Declared, LinkAt, OfficesAt, SourceAt, TopicAt } from './parse.js';
import { parseScope } from './scope.js';
import { validate } from './validate.js';
import { parseYamlFile } from './yaml.js';
import type { YamlFile } from './yaml.js';
import { MESSAGE_KEYS } from './types.js';
import type { Content, ContentIssue, Entry, GoldenItem, Link, Messages, SourcePos, Synonyms } from './types.js';

export { ContentError, formatIssue, sortIssues } from './issues.js';
export { formatPos } from './issues.js';
export { RULES } from './validate.js';
export type * from './types.js';
export { MESSAGE_KEYS } from './types.js';

export type LoadResult =
  | { ok: true; content: Content; warnings: ContentIssue[] }
  | { ok: false; errors: ContentIssue[]; warnings: ContentIssue[] };

export interface LoadOptions {
  /** Clock for "not reviewed for a long time" warnings and `loadedAt` (default: now). */
  now?: Date;
}

/** The files a content directory is made of, relative paths with forward slashes, sorted. */
export function listContentFiles(dir: string): string[] {
  const out: string[] = [];
  for (const f of ['links.yaml', 'sources.yaml', 'offices.yaml', 'synonyms.yaml', 'messages.yaml', 'out-of-scope.yaml']) {
    if (isFile(join(dir, f))) out.push(f);
  }
  for (const sub of ['faq', 'golden']) {
    const d = join(dir, sub);
    if (!isDir(d)) continue;
    for (const f of readdirSync(d).sort()) if (f.endsWith('.yaml') && isFile(join(d, f))) out.push(`${sub}/${f}`);
  }
  return out.sort();
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

const top = (file: string): SourcePos => ({ file, line: 1, column: 1 });

/** Loads and validates a content directory. Never throws for bad content; I/O surprises become issues too. */
export function loadContent(dir: string, opts: LoadOptions = {}): LoadResult {
  const now = opts.now ?? new Date();
  const issues = new IssueList();
  if (!isDir(dir)) {
    issues.error('missing-dir', top(dir), `Không tìm thấy thư mục nội dung "${dir}". Kiểm tra biến CONTENT_DIR hoặc chạy lệnh từ thư mục gốc của dự án.`);
    return { ok: false, errors: issues.errors, warnings: issues.warnings };
  }
  const files = listContentFiles(dir);
  const texts = new Map<string, string>();
  const hash = createHash('sha256');
  for (const f of files) {
    try {
      const text = readFileSync(join(dir, f), 'utf8');
      texts.set(f, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
      hash.update(f).update('\0').update(text).update('\0');
    } catch (err) {
      issues.error('read-error', top(f), `Không đọc được tệp ${f} (${(err as NodeJS.ErrnoException).code ?? 'lỗi'}). Kiểm tra tệp có tồn tại và được phép đọc.`);
    }
  }
  const version = hash.digest('hex').slice(0, 12);
  for (const d of ['faq', 'golden']) {
    if (!isDir(join(dir, d))) continue;
    for (const f of readdirSync(join(dir, d))) {
      if (f.endsWith('.yml'))
        issues.warn('ignored-file', top(`${d}/${f}`), `Tệp ${d}/${f} bị bỏ qua vì đuôi ".yml". Đổi tên thành ${f.replace(/\.yml$/, '.yaml')}.`);
    }
  }

  const yaml = (f: string): YamlFile | undefined => {
    const t = texts.get(f);
    return t === undefined ? undefined : parseYamlFile(f, t, issues);
  };
  const required = (f: string, what: string): YamlFile | undefined => {
    const y = yaml(f);
    if (!y && !files.includes(f)) issues.error('missing-file', top(f), `Thiếu tệp ${f} (${what}). Tạo tệp này trong thư mục nội dung.`);
    return y;
  };
  const optional = (f: string, what: string): YamlFile | undefined => {
    const y = yaml(f);
    if (!y && !files.includes(f)) issues.warn('missing-optional-file', top(f), `Chưa có tệp ${f} (${what}); bot vẫn chạy nhưng thiếu phần này.`);
    return y;
  };

  // --- per-file parsing ------------------------------------------------------------------------------
  const declared: Declared = { entries: new Set(), links: new Set(), sources: new Set() };
  const readable = (y: YamlFile | undefined): boolean => y !== undefined && y.doc.errors.length === 0 && isMap(y.root);
  const linksY = required('links.yaml', 'danh sách đường dẫn');
  const links: LinkAt[] = linksY ? parseLinks(linksY, issues, declared) : [];
  const sourcesY = required('sources.yaml', 'danh sách nguồn');
  const sources: SourceAt[] = sourcesY ? parseSources(sourcesY, issues, declared) : [];
  const officesY = optional('offices.yaml', 'cơ quan Công an và phường/xã');
  const offices: OfficesAt | undefined = officesY ? parseOffices(officesY, issues) : undefined;
  const synonymsY = optional('synonyms.yaml', 'từ viết tắt và từ đồng nghĩa');
  const synonyms: Synonyms = synonymsY ? parseSynonyms(synonymsY, issues) : { map: {}, ambiguous: [], stopPhrases: [] };
  const messagesY = required('messages.yaml', 'lời chào, lời nhắn của bot');
  const messages = messagesY ? parseMessages(messagesY, issues) : {};
  const scopeY = files.includes('out-of-scope.yaml') ? yaml('out-of-scope.yaml') : undefined;
  const scope = scopeY ? parseScope(scopeY, issues) : { topics: [], ours: [] };

  const topics: TopicAt[] = [];
  let faqComplete = true;
  const faqFiles = files.filter((f) => f.startsWith('faq/'));
  if (faqFiles.length === 0) {
    issues.error('no-entries', top('faq/'), 'Chưa có tệp câu hỏi nào trong content/faq/. Tạo ít nhất một tệp <chủ-đề>.yaml (xem mẫu trong content/README.md).');
  }
  for (const f of faqFiles) {
    const y = yaml(f);
    const t = y ? parseTopic(y, issues, declared) : undefined;
    if (t) topics.push(t);
    else faqComplete = false;
  }
  topics.sort((a, b) => a.topic.order - b.topic.order || a.topic.title.localeCompare(b.topic.title, 'vi'));

  const goldenFiles = files.filter((f) => f.startsWith('golden/'));
  const golden: { item: GoldenItem; idPos: SourcePos }[] = [];
  for (const f of goldenFiles) {
    const y = yaml(f);
    if (y) golden.push(...parseGolden(y, issues));
  }

  // --- cross-file checks -----------------------------------------------------------------------------
  const complete = { faq: faqComplete, links: readable(linksY), sources: readable(sourcesY) };
  validate({ topics, links, sources, offices, synonyms, golden, goldenPresent: goldenFiles.length > 0, declared, complete, now }, issues);

  const errors = issues.errors;
  const warnings = issues.warnings;
  if (errors.length > 0) return { ok: false, errors, warnings };

  const entries: Entry[] = topics.flatMap((t) => t.topic.entries);
  const content: Content = {
    version,
    loadedAt: now.toISOString(),
    topics: topics.map((t) => t.topic),
    entries,
    byId: new Map(entries.map((e) => [e.id, e])),
    links: new Map(links.map((l) => [l.value.id, l.value])),
    sources: new Map(sources.map((s) => [s.source.id, s.source])),
    offices: offices?.offices ?? { general_rule: '', general_rule_sources: [], offices: [], wards: [] },
    synonyms,
    messages: fillMessages(messages),
    golden: golden.map((g) => g.item),
    scope: scope.topics,
    ours: scope.ours,
    warnings,
  };
  return { ok: true, content: deepFreeze(content), warnings };
}

function fillMessages(m: Partial<Messages>): Messages {
  const out = {} as Messages;
  for (const k of MESSAGE_KEYS) out[k] = m[k] ?? '';
  return out;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o) && !(o instanceof Map)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  } else if (o instanceof Map) {
    for (const v of o.values()) deepFreeze(v);
  }
  return o;
}

/** Loads content or throws ContentError (with every issue) when it has errors. */
export function loadContentOrThrow(dir: string, opts: LoadOptions = {}): Content {
  const r = loadContent(dir, opts);
  if (!r.ok) throw new ContentError([...r.errors, ...r.warnings]);
  return r.content;
}

/** True when `dir` looks like a content directory (has links.yaml or faq/). */
export function isContentDir(dir: string): boolean {
  return existsSync(join(dir, 'links.yaml')) || isDir(join(dir, 'faq'));
}

// Re-exported for convenience of callers that print issues.
export { IssueList };
export const formatIssues = (list: ContentIssue[]): string => sortIssues(list).map(formatIssue).join('\n');
