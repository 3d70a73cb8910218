// "Thêm vào mục …": writes an accepted question into its entry's `questions:` in content/faq/*.yaml.
//
// The yaml library's Document API finds the entry and the exact place of its last question; the new line is
// spliced into the original text right after it, with the same indentation, so comments, order and layout
// stay byte for byte. The result is validated (the whole content directory, in a temporary copy, with the
// same loader `npm run check` and hot reload use) before anything is written; a write that would fail is
// refused with the check's message. The file is then replaced atomically (temp file + rename), so two staff
// accepting at once never leave a torn file; the work is synchronous, so within one process accepts run one
// after the other and none is lost. Hot reload then takes the file (the caller may also reload at once).
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, isMap, isScalar, isSeq, parseDocument, type YAMLMap } from 'yaml';
import type { ContentIssue } from '../content/types.js';
import type { LoadResult } from '../server/runtime.js';

export type AcceptResult = { ok: true; file: string } | { ok: false; status: 400 | 404 | 422; message: string };

export interface AcceptOptions {
  contentDir: string;
  entryId: string;
  question: string;
  load: (dir: string) => LoadResult;
  formatIssue: (i: ContentIssue) => string;
}

/** Longest question accepted, characters (resident questions are stored cut to 300). */
const MAX_QUESTION = 300;
const MASKED = /\[(?:email|sđt|số định danh|mã)\]/;

export function acceptQuestion(o: AcceptOptions): AcceptResult {
  const question = o.question.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (!question || question.length > MAX_QUESTION) return { ok: false, status: 400, message: `Câu hỏi phải có từ 1 đến ${MAX_QUESTION} ký tự.` };
  if (MASKED.test(question)) return { ok: false, status: 400, message: 'Câu hỏi còn chỗ đã che thông tin cá nhân ([sđt], [mã]…): không thêm vào nội dung.' };
  const found = findEntry(o.contentDir, o.entryId);
  if (!found) return { ok: false, status: 404, message: `Không tìm thấy mục "${o.entryId}" trong ${o.contentDir}/faq.` };
  const next = withQuestion(found.text, o.entryId, question);
  if (!next.ok) return next;

  // Validate the whole directory with the new file, in a temporary copy (never half-written in the real one).
  const stage = mkdtempSync(join(tmpdir(), 'vneid-accept-'));
  try {
    cpSync(o.contentDir, stage, { recursive: true });
    writeFileSync(join(stage, found.file), next.text);
    const r = o.load(stage);
    if (!r.ok) {
      const errors = r.errors.slice(0, 5).map(o.formatIssue).join('\n');
      return { ok: false, status: 422, message: `Không thêm được: nội dung sẽ có lỗi.\n${errors}` };
    }
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  const target = join(o.contentDir, found.file);
  const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, next.text);
  renameSync(tmp, target);
  return { ok: true, file: found.file };
}

function findEntry(dir: string, entryId: string): { file: string; text: string } | undefined {
  let files: string[];
  try {
    files = readdirSync(join(dir, 'faq')).filter((f) => f.endsWith('.yaml')).sort();
  } catch {
    return undefined;
  }
  for (const f of files) {
    const file = `faq/${f}`;
    const text = readFileSync(join(dir, file), 'utf8');
    if (!text.includes(entryId)) continue;
    if (entryNode(parseDocument(text), entryId)) return { file, text };
  }
  return undefined;
}

function entryNode(doc: Document, entryId: string): YAMLMap | undefined {
  const entries = doc.get('entries', true);
  if (!isSeq(entries)) return undefined;
  for (const item of entries.items) if (isMap(item) && String(item.get('id')) === entryId) return item;
  return undefined;
}

/** The file's text with `question` added after the entry's last question (original text kept around it). */
export function withQuestion(text: string, entryId: string, question: string): { ok: true; text: string } | { ok: false; status: 422; message: string } {
  const doc = parseDocument(text);
  const entry = entryNode(doc, entryId);
  const qs = entry?.get('questions', true);
  if (!entry || !isSeq(qs) || !qs.items.length) return { ok: false, status: 422, message: `Mục "${entryId}" không có danh sách questions: để thêm vào.` };
  const line = new Document(question).toString({ lineWidth: 0 }).trimEnd();
  if (line.includes('\n')) return { ok: false, status: 422, message: 'Câu hỏi không được xuống dòng.' };
  if (qs.flow) {
    qs.add(doc.createNode(question));
    return { ok: true, text: doc.toString({ lineWidth: 0, flowCollectionPadding: false }) };
  }
  const last = qs.items[qs.items.length - 1];
  if (!isScalar(last) || !last.range) return { ok: false, status: 422, message: `Mục "${entryId}": câu hỏi cuối không phải một dòng chữ.` };
  const start = text.lastIndexOf('\n', last.range[0]) + 1;
  const prefix = text.slice(start, last.range[0]); // "      - "
  if (!/^\s*-\s+$/.test(prefix)) return { ok: false, status: 422, message: `Mục "${entryId}": không nhận ra cách trình bày danh sách questions.` };
  const eol = text.indexOf('\n', last.range[1]);
  const at = eol < 0 ? text.length : eol;
  const out = `${text.slice(0, at)}\n${prefix}${line}${text.slice(at)}`;
  const check = entryNode(parseDocument(out), entryId)?.get('questions', true);
  if (!isSeq(check) || String((check.items[check.items.length - 1] as { value?: unknown }).value) !== question)
    return { ok: false, status: 422, message: `Mục "${entryId}": không ghi được câu hỏi vào đúng chỗ.` };
  return { ok: true, text: out };
}
