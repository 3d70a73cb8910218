// YAML with positions: every node read from a content file can say its file:line:column.
// `Fields` reads one mapping (an entry, a link, …) field by field and reports missing, wrongly typed
// and unknown fields in Vietnamese, pointing at the exact node.

import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node, YAMLMap } from 'yaml';
import type { IssueList } from './issues.js';
import type { SourcePos } from './types.js';

export interface YamlFile {
  /** Path relative to the content directory, forward slashes. */
  file: string;
  doc: Document.Parsed;
  /** Root node, or null for an empty file or a file with syntax errors. */
  root: Node | null;
  pos(node: unknown, fallback?: SourcePos): SourcePos;
}

/**
 * Parsed documents by file and text. Parsing is most of a load's time; on a hot reload usually one file changed,
 * so the others come from here. Documents are only read after parsing, never changed.
 */
const parsed = new Map<string, { doc: Document.Parsed; lc: LineCounter }>();
/** Entries kept: a content directory has ~25 files; room for a few versions of each. */
const MAX_PARSED = 200;

function parseCached(file: string, text: string): { doc: Document.Parsed; lc: LineCounter } {
  const key = `${file}\0${text}`;
  let hit = parsed.get(key);
  if (!hit) {
    const lc = new LineCounter();
    hit = { doc: parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true }), lc };
    if (parsed.size >= MAX_PARSED) parsed.delete(parsed.keys().next().value as string);
    parsed.set(key, hit);
  }
  return hit;
}

/** Parses `text`; YAML syntax errors become `yaml-syntax` issues and leave `root` null. */
export function parseYamlFile(file: string, text: string, issues: IssueList): YamlFile {
  const { doc, lc } = parseCached(file, text);
  const at = (offset: number): SourcePos => {
    const p = lc.linePos(offset);
    return { file, line: p.line, column: p.col };
  };
  const start: SourcePos = { file, line: 1, column: 1 };
  const pos = (node: unknown, fallback: SourcePos = start): SourcePos => {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    return range ? at(range[0]) : fallback;
  };
  doc.errors.forEach((err, i) => {
    const p = at(err.pos[0]);
    // The first error names the line that broke; later ones are usually its echoes.
    const indent = i === 0 ? indentationHint(text, p.line) : undefined;
    issues.error('yaml-syntax', p, indent ?? yamlSyntaxMessage(err.code, err.message));
  });
  const root = doc.errors.length > 0 ? null : ((doc.contents as Node | null) ?? null);
  return { file, doc, root, pos };
}

/**
 * When line `line` (1-based) is indented by a few spaces less or more than the field above it in the same entry
 * (the commonest slip: "   links:" under "    answer:"), says so: which line, how many spaces, how many to use.
 */
export function indentationHint(text: string, line: number): string | undefined {
  const lines = text.split(/\r?\n/);
  const bad = lines[line - 1];
  if (bad === undefined || !bad.trim()) return undefined;
  const width = (l: string) => l.length - l.trimStart().length;
  const own = width(bad);
  const key = /^\s*(?:-\s+)?([\p{L}\p{N}_-]+)\s*:(?:\s|$)/u;
  // The nearest field line above that is indented close to this one (within 3 spaces), skipping block-text lines.
  for (let n = line - 2; n >= 0; n--) {
    const l = lines[n];
    if (!l.trim() || l.trimStart().startsWith('#')) continue;
    const w = width(l);
    const m = key.exec(l);
    if (!m || Math.abs(w - own) > 3) continue;
    if (w === own) return undefined; // aligned: the problem is something else
    const field = l.trimStart().startsWith('-') ? 'dòng' : `trường "${m[1]}" ở dòng`;
    return (
      `Tệp YAML viết sai cú pháp: dòng ${line} thụt lề ${own} dấu cách, nhưng ${field} ${n + 1} thụt lề ${w} dấu cách. ` +
      `Các trường cùng một mục phải thẳng cột: sửa đầu dòng ${line} thành đúng ${w} dấu cách (không dùng phím Tab). ` +
      'Các lỗi báo ở những dòng sau thường do lỗi này gây ra.'
    );
  }
  return undefined;
}

function yamlSyntaxMessage(code: string, raw: string): string {
  const detail = raw.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
  let hint = 'Kiểm tra thụt lề (chỉ dùng dấu cách, không dùng phím Tab), dấu hai chấm sau tên trường và dấu "- " đầu mỗi dòng danh sách.';
  if (code === 'DUPLICATE_KEY') hint = 'Một trường bị viết hai lần trong cùng một mục: xóa hoặc gộp một trong hai dòng.';
  if (code === 'TAB_AS_INDENT') hint = 'Có phím Tab ở đầu dòng: xóa Tab, thụt lề bằng dấu cách.';
  if (code === 'BAD_INDENT') hint = 'Thụt lề không đều, hoặc thiếu dấu "]" đóng danh sách: các trường cùng một mục phải thẳng cột với nhau (dùng dấu cách).';
  if (code === 'MISSING_CHAR') hint = 'Thiếu dấu đóng: dấu ngoặc kép " hoặc dấu "]" mở ra mà chưa đóng.';
  if (code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY')
    hint = 'Thường do thụt lề không thẳng cột với các trường khác, hoặc trong câu có dấu hai chấm ": " mà chưa đặt cả câu trong ngoặc kép "…".';
  return `Tệp YAML viết sai cú pháp nên không đọc được tệp này. ${hint} (Chi tiết kỹ thuật: ${detail})`;
}

/** Vietnamese name of what a node holds, for "đang là …" in messages. */
export function describeNode(node: unknown): string {
  if (node == null) return 'để trống';
  if (isMap(node)) return 'một nhóm trường';
  if (isSeq(node)) return 'một danh sách';
  if (isScalar(node)) {
    const v = node.value;
    if (v == null) return 'để trống';
    if (typeof v === 'string') return v.trim() === '' ? 'chữ rỗng' : 'một đoạn chữ';
    if (typeof v === 'number') return 'một con số';
    if (typeof v === 'boolean') return 'true/false';
  }
  return 'một giá trị khác';
}

const KIND = {
  text: 'một đoạn chữ',
  list: 'một danh sách (mỗi dòng bắt đầu bằng "- ", hoặc viết [a, b])',
  bool: 'true hoặc false',
  number: 'một con số',
  map: 'một nhóm trường dạng "tên: giá trị"',
} as const;

export function isEmptyNode(node: unknown): boolean {
  return node == null || (isScalar(node) && node.value == null);
}

/** Reads the scalar text of a node: strings (NFC, trimmed) and numbers; undefined otherwise. */
export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (typeof v === 'string') return v.normalize('NFC').trim();
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return undefined;
}

export interface FieldOpts {
  required?: boolean;
}

/**
 * Field-by-field reader of one YAML mapping. `label` names the thing in messages, e.g. 'mục "kich-hoat-otp"'.
 * Unknown fields (not in `allowed`) are warned about once, on construction.
 */
export class Fields {
  readonly pos: SourcePos;

  constructor(
    readonly y: YamlFile,
    readonly map: YAMLMap,
    public label: string,
    allowed: readonly string[],
    readonly issues: IssueList,
  ) {
    this.pos = y.pos(map);
    for (const pair of map.items) {
      const key = scalarText(pair.key);
      if (key !== undefined && !allowed.includes(key)) {
        issues.warn(
          'unknown-field',
          y.pos(pair.key, this.pos),
          `Trường "${key}" trong ${label} không được dùng và sẽ bị bỏ qua. Kiểm tra chính tả; các trường hợp lệ: ${allowed.join(', ')}.`,
        );
      }
    }
  }

  /** The value node of `key` (aliases resolved), or undefined when the key is absent. */
  node(key: string): Node | null | undefined {
    for (const pair of this.map.items) {
      if (scalarText(pair.key) === key) {
        const v = pair.value as Node | null;
        if (v && isAlias(v)) return v.resolve(this.y.doc) as Node | undefined;
        return v;
      }
    }
    return undefined;
  }

  has(key: string): boolean {
    return this.map.items.some((p) => scalarText(p.key) === key);
  }

  /** Position of the value (or of the key when the value is empty, or of the mapping). */
  posOf(key: string): SourcePos {
    for (const pair of this.map.items) {
      if (scalarText(pair.key) === key) {
        return this.y.pos(pair.value, this.y.pos(pair.key, this.pos));
      }
    }
    return this.pos;
  }

  private missing(key: string, example: string): void {
    this.issues.error(
      'missing-field',
      this.pos,
      `Thiếu trường "${key}" trong ${this.label}. Thêm một dòng, ví dụ: ${example}`,
    );
  }

  private wrongType(key: string, want: keyof typeof KIND, node: unknown): void {
    this.issues.error(
      'wrong-type',
      this.posOf(key),
      `Trường "${key}" trong ${this.label} phải là ${KIND[want]}, nhưng đang là ${describeNode(node)}. Sửa lại giá trị của "${key}".`,
    );
  }

  /** A text field. Required text must not be empty. */
  text(key: string, opts: FieldOpts & { example?: string } = {}): string | undefined {
    const node = this.node(key);
    const example = opts.example ?? `${key}: …`;
    if (node === undefined) {
      if (opts.required) this.missing(key, example);
      return undefined;
    }
    if (isEmptyNode(node)) {
      if (opts.required) {
        this.issues.error(
          'empty-field',
          this.posOf(key),
          `Trường "${key}" trong ${this.label} đang để trống. Điền nội dung, ví dụ: ${example}`,
        );
      }
      return undefined;
    }
    const s = scalarText(node);
    if (s === undefined) {
      this.wrongType(key, 'text', node);
      return undefined;
    }
    if (s === '' && opts.required) {
      this.issues.error(
        'empty-field',
        this.posOf(key),
        `Trường "${key}" trong ${this.label} đang để trống. Điền nội dung, ví dụ: ${example}`,
      );
      return undefined;
    }
    return s;
  }

  /** A list of texts; each item keeps its own position. Absent optional lists are []. */
  list(key: string, opts: FieldOpts & { example?: string } = {}): { value: string; pos: SourcePos }[] {
    const node = this.node(key);
    const example = opts.example ?? `${key}: [a, b]`;
    if (node === undefined) {
      if (opts.required) this.missing(key, example);
      return [];
    }
    if (isEmptyNode(node)) return [];
    if (!isSeq(node)) {
      this.wrongType(key, 'list', node);
      return [];
    }
    const out: { value: string; pos: SourcePos }[] = [];
    node.items.forEach((item, i) => {
      const p = this.y.pos(item, this.posOf(key));
      const s = scalarText(item);
      if (isMap(item) && item.items.length === 1) {
        this.issues.error(
          'wrong-type',
          p,
          `Dòng thứ ${i + 1} của "${key}" trong ${this.label} có dấu hai chấm ": " nên bị hiểu sai thành "tên: giá trị". Đặt cả câu trong ngoặc kép, ví dụ: - "Cho em hỏi: quên mật khẩu thì sao?"`,
        );
        return;
      }
      if (s === undefined || s === '') {
        this.issues.error(
          'wrong-type',
          p,
          `Dòng thứ ${i + 1} của "${key}" trong ${this.label} phải là một đoạn chữ không rỗng, nhưng đang là ${describeNode(item)}. Sửa hoặc xóa dòng đó.`,
        );
        return;
      }
      out.push({ value: s, pos: p });
    });
    return out;
  }

  bool(key: string, opts: FieldOpts = {}): boolean | undefined {
    const node = this.node(key);
    if (node === undefined || isEmptyNode(node)) {
      if (opts.required) this.missing(key, `${key}: true`);
      return undefined;
    }
    if (!isScalar(node) || typeof node.value !== 'boolean') {
      this.wrongType(key, 'bool', node);
      return undefined;
    }
    return node.value;
  }

  number(key: string, opts: FieldOpts = {}): number | undefined {
    const node = this.node(key);
    if (node === undefined || isEmptyNode(node)) {
      if (opts.required) this.missing(key, `${key}: 10`);
      return undefined;
    }
    if (!isScalar(node) || typeof node.value !== 'number' || !Number.isFinite(node.value)) {
      this.wrongType(key, 'number', node);
      return undefined;
    }
    return node.value;
  }

  /**
   * A date. Full dates are YYYY-MM-DD and must exist on the calendar; with `partial`, YYYY and YYYY-MM are
   * accepted too (documents whose day is unknown).
   */
  date(key: string, opts: FieldOpts & { partial?: boolean } = {}): string | undefined {
    const node = this.node(key);
    if (node === undefined || isEmptyNode(node)) {
      if (opts.required) this.missing(key, `${key}: 2026-01-31`);
      return undefined;
    }
    const s = scalarText(node);
    if (s === undefined || !isValidDate(s, opts.partial === true)) {
      const form = opts.partial ? 'YYYY-MM-DD (hoặc YYYY-MM, YYYY nếu không rõ ngày)' : 'YYYY-MM-DD';
      this.issues.error(
        'bad-date',
        this.posOf(key),
        `Ngày "${s ?? describeNode(node)}" ở trường "${key}" trong ${this.label} không hợp lệ. Viết theo dạng ${form}, ví dụ 2026-01-31 cho ngày 31/01/2026.`,
      );
      return undefined;
    }
    return s;
  }
}

/** YYYY-MM-DD that exists on the calendar; with `partial`, also YYYY or YYYY-MM. */
export function isValidDate(s: string, partial = false): boolean {
  if (partial && /^\d{4}$/.test(s)) return true;
  if (partial && /^\d{4}-(0[1-9]|1[0-2])$/.test(s)) return true;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** Root must be a mapping; otherwise reports `bad-file` and returns undefined. */
export function rootMap(y: YamlFile, issues: IssueList, example: string): YAMLMap | undefined {
  if (y.doc.errors.length > 0) return undefined;
  if (y.root && isMap(y.root)) return y.root;
  issues.error(
    'bad-file',
    y.pos(y.root),
    `Tệp ${y.file} ${y.root == null ? 'đang trống' : `đang là ${describeNode(y.root)}`}, trong khi nó phải bắt đầu bằng các trường dạng "tên: giá trị", ví dụ: ${example}`,
  );
  return undefined;
}
