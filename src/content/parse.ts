// One parser per content file kind: YAML node tree → typed model + the positions of every reference,
// so that cross-file checks (validate.ts) can point at the exact line. Schema errors are reported here.

import { isMap, isSeq } from 'yaml';
import type { Node } from 'yaml';
import { IssueList } from './issues.js';
import { Fields, describeNode, isEmptyNode, rootMap, scalarText } from './yaml.js';
import type { YamlFile } from './yaml.js';
import { fold } from '../text/fold.js';
import { MESSAGE_KEYS, OPTIONAL_MESSAGE_KEYS } from './types.js';
import type {
  AmbiguousRule,
  AmbiguousSynonym,
  Entry,
  GoldenItem,
  Link,
  LinkStatus,
  MessageKey,
  Office,
  Offices,
  Source,
  SourcePos,
  SourceStatus,
  Synonyms,
  Topic,
  Ward,
} from './types.js';

/** A list item and where it was written. */
export interface At<T = string> {
  value: T;
  pos: SourcePos;
}

/** An entry plus the positions of its fields, for cross-file checks. */
export interface EntryAt {
  entry: Entry;
  idPos: SourcePos;
  questions: At[];
  /** Items written under `questions` (including ones reported as wrongly typed). */
  questionCount: number;
  links: At[];
  qr: At[];
  related: At[];
  sources: At[];
  /** False when the `sources` field is absent (already reported as missing-field). */
  sourcesWritten: boolean;
  answerPos: SourcePos;
  updatedPos: SourcePos;
}

export interface TopicAt {
  topic: Topic;
  idPos: SourcePos;
  entries: EntryAt[];
}

export const ID_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/**
 * Longest id, characters. Ids travel in Telegram button data ("e:<id>", "t:<id>", at most 64 bytes) and
 * deep links ("/start q_<id>", which the engine reads up to 60): a longer id would lose its button.
 */
export const ID_MAX = 60;
/**
 * Ward codes end up in Telegram deep links as "w_<code>": Telegram allows at most 64 characters of
 * A-Z a-z 0-9 _ - in a start payload, and this rule (≤ 40 of a-z 0-9 _ -) keeps every code inside it.
 */
export const WARD_CODE_RE = /^[a-z0-9_-]{1,40}$/;

const ENTRY_FIELDS = ['id', 'questions', 'keywords', 'answer', 'links', 'qr', 'related', 'sources', 'updated', 'ward_office'] as const;
const TOPIC_FIELDS = ['topic', 'title', 'order', 'entries'] as const;

/** Iterates the items of a list field that must hold mappings (entries, links, …). */
function mapItems(
  f: Fields,
  key: string,
  issues: IssueList,
  what: string,
  required: boolean,
): { map: import('yaml').YAMLMap; index: number }[] {
  const node = f.node(key);
  if (node === undefined || isEmptyNode(node)) {
    if (required) {
      issues.error(
        'missing-field',
        node === undefined ? f.pos : f.posOf(key),
        `${f.label[0]!.toUpperCase()}${f.label.slice(1)} chưa có ${what} nào trong "${key}". Thêm "${key}:" rồi các mục bên dưới, mỗi mục bắt đầu bằng "- ".`,
      );
    }
    return [];
  }
  if (!isSeq(node)) {
    issues.error(
      'wrong-type',
      f.posOf(key),
      `Trường "${key}" trong ${f.label} phải là một danh sách ${what} (mỗi mục bắt đầu bằng "- "), nhưng đang là ${describeNode(node)}.`,
    );
    return [];
  }
  const out: { map: import('yaml').YAMLMap; index: number }[] = [];
  node.items.forEach((item, index) => {
    if (isMap(item)) out.push({ map: item, index });
    else
      issues.error(
        'wrong-type',
        f.y.pos(item, f.posOf(key)),
        `Mục thứ ${index + 1} của "${key}" trong ${f.label} phải là một nhóm trường (id: …, …), nhưng đang là ${describeNode(item)}. Kiểm tra thụt lề và dấu "- ".`,
      );
  });
  return out;
}

function checkId(id: string | undefined, pos: SourcePos, kind: string, issues: IssueList): string | undefined {
  if (id === undefined) return undefined;
  if (!ID_RE.test(id)) {
    issues.error(
      'bad-id',
      pos,
      `Mã ${kind} "${id}" không hợp lệ. Mã chỉ gồm chữ thường không dấu, số và dấu gạch ngang giữa các từ, ví dụ: kich-hoat-thoi-han.`,
    );
    return undefined;
  }
  if (id.length > ID_MAX) {
    issues.error(
      'bad-id',
      pos,
      `Mã ${kind} "${id}" dài ${id.length} ký tự, tối đa ${ID_MAX}. Rút gọn mã (ví dụ bỏ bớt từ), nhớ sửa cả những chỗ nhắc đến mã này.`,
    );
    return undefined;
  }
  return id;
}

/**
 * Ids written in the files, even for items dropped because of another error: references to them are not
 * reported again as dangling (one mistake, one message).
 */
export interface Declared {
  entries: Set<string>;
  links: Set<string>;
  sources: Set<string>;
}

function declare(set: Set<string>, map: import('yaml').YAMLMap, key = 'id'): string | undefined {
  const raw = scalarText(map.get(key, true));
  if (raw) set.add(raw);
  return raw;
}

/** content/faq/<topic>.yaml */
export function parseTopic(y: YamlFile, issues: IssueList, declared: Declared): TopicAt | undefined {
  const root = rootMap(y, issues, 'topic: kich-hoat, title: Kích hoạt tài khoản, entries: …');
  if (!root) return undefined;
  const fileTopic = y.file.replace(/^faq\//, '').replace(/\.yaml$/, '');
  const f = new Fields(y, root, `tệp ${y.file}`, TOPIC_FIELDS, issues);
  const idPos = f.posOf('topic');
  const declaredTopic = checkId(f.text('topic', { required: true, example: `topic: ${fileTopic}` }), idPos, 'chủ đề', issues);
  if (declaredTopic !== undefined && declaredTopic !== fileTopic) {
    issues.error(
      'topic-mismatch',
      idPos,
      `Chủ đề "${declaredTopic}" không trùng tên tệp "${fileTopic}.yaml". Sửa thành "topic: ${fileTopic}" hoặc đổi tên tệp thành ${declaredTopic}.yaml.`,
    );
  }
  // The file name is the topic id: it is what staff see, and payloads ("t:<topic>") must stay stable.
  const id = fileTopic;
  const title = f.text('title', { required: true, example: 'title: Kích hoạt tài khoản' }) ?? id;
  // Topics without `order` go last (sorted by title); MAX_SAFE_INTEGER rather than Infinity so it survives JSON.
  const order = f.number('order') ?? Number.MAX_SAFE_INTEGER;
  const entries: EntryAt[] = [];
  for (const { map, index } of mapItems(f, 'entries', issues, 'câu hỏi', true)) {
    declare(declared.entries, map);
    const e = parseEntry(y, map, index, id, issues);
    if (e) entries.push(e);
  }
  const topic: Topic = { id, title, order, entries: entries.map((e) => e.entry), pos: f.pos };
  return { topic, idPos, entries };
}

function parseEntry(
  y: YamlFile,
  map: import('yaml').YAMLMap,
  index: number,
  topic: string,
  issues: IssueList,
): EntryAt | undefined {
  const rawId = scalarText(map.get('id', true));
  const f = new Fields(y, map, rawId ? `mục "${rawId}"` : `mục thứ ${index + 1} của ${y.file}`, ENTRY_FIELDS, issues);
  const idPos = f.posOf('id');
  const id = checkId(f.text('id', { required: true, example: `id: ${topic}-…` }), idPos, 'mục', issues);
  const questions = f.list('questions', { required: true, example: 'questions: [Câu hỏi đầy đủ?, cau hoi khong dau, …]' });
  const qNode = f.node('questions');
  const questionCount = isSeq(qNode) ? qNode.items.length : questions.length;
  const keywords = f.list('keywords');
  const answer = f.text('answer', { required: false });
  const answerPos = f.posOf('answer');
  if (!f.has('answer')) {
    issues.error('missing-field', f.pos, `Thiếu trường "answer" (câu trả lời) trong ${f.label}. Thêm "answer: |" rồi viết câu trả lời ở các dòng bên dưới, thụt vào 2 dấu cách.`);
  } else if (answer === '' || (answer === undefined && isEmptyNode(f.node('answer')))) {
    issues.error('empty-answer', answerPos, `Câu trả lời của ${f.label} đang để trống. Viết câu trả lời (tối đa 900 ký tự) sau "answer: |".`);
  }
  const links = f.list('links');
  const qr = f.list('qr');
  const related = f.list('related');
  const sources = f.list('sources', { required: true, example: 'sources: [nd-69-2024]' });
  const updated = f.date('updated', { required: true });
  // ward_office: true → a "where do I go" answer: a resident from a ward link sees that ward's office first.
  const wardOffice = f.bool('ward_office');
  if (id === undefined || answer === undefined || answer === '') return undefined;
  const entry: Entry = {
    id,
    topic,
    questions: questions.map((q) => q.value),
    keywords: keywords.map((k) => k.value),
    answer,
    links: links.map((l) => l.value),
    qr: qr.map((l) => l.value),
    related: related.map((r) => r.value),
    sources: sources.map((s) => s.value),
    updated: updated ?? '',
    ...(wardOffice ? { wardOffice: true } : {}),
    pos: f.pos,
  };
  return { entry, idPos, questions, questionCount, links, qr, related, sources, sourcesWritten: f.has('sources'), answerPos, updatedPos: f.posOf('updated') };
}

/** A link plus where its status and source were written. */
export interface LinkAt extends At<Link> {
  statusPos: SourcePos;
  sourcePos: SourcePos;
  /** True when the link still uses the old `verified: true|false` instead of `status` + `source`. */
  legacy: boolean;
}

export const LINK_STATUSES: readonly LinkStatus[] = ['official', 'corroborated', 'unverified'];

/** content/links.yaml */
export function parseLinks(y: YamlFile, issues: IssueList, declared: Declared): LinkAt[] {
  const root = rootMap(y, issues, 'links: [ { id: vneid-web, title: …, url: https://vneid.gov.vn, status: official, source: seed-000 } ]');
  if (!root) return [];
  const f = new Fields(y, root, `tệp ${y.file}`, ['links'], issues);
  const out: LinkAt[] = [];
  for (const { map, index } of mapItems(f, 'links', issues, 'đường dẫn', true)) {
    const rawId = declare(declared.links, map);
    const g = new Fields(y, map, rawId ? `đường dẫn "${rawId}"` : `đường dẫn thứ ${index + 1}`, ['id', 'title', 'url', 'status', 'source', 'verified', 'note'], issues);
    const idPos = g.posOf('id');
    const id = checkId(g.text('id', { required: true, example: 'id: vneid-web' }), idPos, 'đường dẫn', issues);
    const title = g.text('title', { required: true, example: 'title: Trang VNeID chính thức' });
    const url = g.text('url', { required: true, example: 'url: https://vneid.gov.vn' });
    const legacy = !g.has('status') && g.has('verified');
    let status: LinkStatus | undefined;
    if (legacy) {
      const verified = g.bool('verified', { required: true });
      if (verified !== undefined) status = verified ? 'corroborated' : 'unverified';
    } else {
      const statusText = g.text('status', { required: true, example: 'status: official' });
      if (statusText !== undefined) {
        if ((LINK_STATUSES as readonly string[]).includes(statusText)) status = statusText as LinkStatus;
        else
          issues.error(
            'bad-value',
            g.posOf('status'),
            `Trạng thái "${statusText}" của ${g.label} không hợp lệ. Chọn một trong: official (trang hoặc văn bản chính thức ghi đường dẫn này), corroborated (nhiều nguồn độc lập đáng tin cùng ghi, chưa thấy trang chính thức), unverified (chưa xác minh).`,
          );
      }
      if (g.has('verified')) g.bool('verified');
    }
    const source = g.text('source');
    const note = g.text('note');
    if (url !== undefined && !/^(https?:\/\/[^\s]+|tel:\+?[0-9]+)$/.test(url)) {
      issues.error(
        'bad-url',
        g.posOf('url'),
        `Đường dẫn "${url}" của ${g.label} không hợp lệ. Viết đầy đủ, bắt đầu bằng https:// (ví dụ https://vneid.gov.vn) hoặc tel: cho số điện thoại (ví dụ tel:19000368), không có dấu cách.`,
      );
    }
    if (id === undefined || title === undefined || url === undefined || status === undefined) continue;
    out.push({
      value: { id, title, url, status, ...(source ? { source } : {}), verified: status !== 'unverified', ...(note ? { note } : {}), pos: g.pos },
      pos: idPos,
      statusPos: g.posOf(legacy ? 'verified' : 'status'),
      sourcePos: g.has('source') ? g.posOf('source') : g.posOf(legacy ? 'verified' : 'status'),
      legacy,
    });
  }
  return out;
}

const STATUSES: readonly SourceStatus[] = ['in-force', 'superseded', 'draft', 'reference'];

/** A source plus where its superseded_by reference was written. */
export interface SourceAt {
  source: Source;
  idPos: SourcePos;
  supersededByPos: SourcePos;
}

/** content/sources.yaml */
export function parseSources(y: YamlFile, issues: IssueList, declared: Declared): SourceAt[] {
  const root = rootMap(y, issues, 'sources: [ { id: nd-69-2024, title: …, status: in-force } ]');
  if (!root) return [];
  const f = new Fields(y, root, `tệp ${y.file}`, ['sources'], issues);
  const out: SourceAt[] = [];
  const allowed = ['id', 'title', 'number', 'date', 'issuer', 'status', 'superseded_on', 'superseded_by', 'file', 'url'];
  for (const { map, index } of mapItems(f, 'sources', issues, 'nguồn', true)) {
    const rawId = declare(declared.sources, map);
    const g = new Fields(y, map, rawId ? `nguồn "${rawId}"` : `nguồn thứ ${index + 1}`, allowed, issues);
    const idPos = g.posOf('id');
    const id = checkId(g.text('id', { required: true, example: 'id: nd-69-2024' }), idPos, 'nguồn', issues);
    const title = g.text('title', { required: true, example: 'title: Nghị định …' });
    const statusText = g.text('status', { required: true, example: 'status: in-force' });
    let status: SourceStatus | undefined;
    if (statusText !== undefined) {
      if ((STATUSES as readonly string[]).includes(statusText)) status = statusText as SourceStatus;
      else
        issues.error(
          'bad-value',
          g.posOf('status'),
          `Trạng thái "${statusText}" của ${g.label} không hợp lệ. Chọn một trong: in-force (đang có hiệu lực), superseded (đã hết hiệu lực), draft (dự thảo), reference (tài liệu tham khảo).`,
        );
    }
    const number = g.text('number');
    const date = g.date('date', { partial: true });
    const issuer = g.text('issuer');
    const superseded_on = g.date('superseded_on');
    const superseded_by = g.text('superseded_by');
    const file = g.text('file');
    const url = g.text('url');
    if (status === 'superseded' && !superseded_by) {
      issues.warn(
        'superseded-no-replacement',
        g.pos,
        `${g.label} đã hết hiệu lực (superseded) nhưng chưa ghi văn bản thay thế. Thêm "superseded_by: <mã nguồn mới>" và "superseded_on: YYYY-MM-DD".`,
      );
    }
    if (id === undefined || title === undefined || status === undefined) continue;
    const source: Source = {
      id,
      title,
      status,
      ...(number ? { number } : {}),
      ...(date ? { date } : {}),
      ...(issuer ? { issuer } : {}),
      ...(superseded_on ? { superseded_on } : {}),
      ...(superseded_by ? { superseded_by } : {}),
      ...(file ? { file } : {}),
      ...(url ? { url } : {}),
      pos: g.pos,
    };
    out.push({ source, idPos, supersededByPos: g.posOf('superseded_by') });
  }
  return out;
}

export interface OfficesAt {
  offices: Offices;
  ruleSources: At[];
  /** The general rule's text and position (empty when it could not be read). */
  ruleTexts: FieldText[];
  officeList: { office: Office; idPos: SourcePos; sourcePos: SourcePos; texts: FieldText[]; asOfPos: SourcePos }[];
  wardList: { ward: Ward; codePos: SourcePos; sourcePos: SourcePos; texts: FieldText[]; asOfPos: SourcePos }[];
}

/** A free-text field of an office or ward, for the checks on names of abolished district-level units. */
export interface FieldText {
  field: string;
  value: string;
  pos: SourcePos;
}

function fieldTexts(g: Fields, values: Record<string, string | undefined>): FieldText[] {
  return Object.entries(values)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([field, value]) => ({ field, value, pos: g.posOf(field) }));
}

/** content/offices.yaml */
export function parseOffices(y: YamlFile, issues: IssueList): OfficesAt {
  const empty: OfficesAt = {
    offices: { general_rule: '', general_rule_sources: [], offices: [], wards: [] },
    ruleSources: [],
    ruleTexts: [],
    officeList: [],
    wardList: [],
  };
  const root = rootMap(y, issues, 'general_rule: …, general_rule_sources: [nd-69-2024], offices: […], wards: […]');
  if (!root) return empty;
  const f = new Fields(y, root, `tệp ${y.file}`, ['general_rule', 'general_rule_sources', 'offices', 'wards'], issues);
  const general_rule = f.text('general_rule', { required: true, example: 'general_rule: Công an cấp xã ở bất kỳ đâu đều nhận hồ sơ…' }) ?? '';
  const ruleSources = f.list('general_rule_sources', { required: true, example: 'general_rule_sources: [nd-69-2024]' });
  const officeList: OfficesAt['officeList'] = [];
  for (const { map, index } of mapItems(f, 'offices', issues, 'cơ quan', false)) {
    const rawId = scalarText(map.get('id', true));
    const g = new Fields(y, map, rawId ? `cơ quan "${rawId}"` : `cơ quan thứ ${index + 1}`, ['id', 'name', 'address', 'hours', 'note', 'source', 'as_of'], issues);
    const idPos = g.posOf('id');
    const id = checkId(g.text('id', { required: true, example: 'id: ha-noi-pc06' }), idPos, 'cơ quan', issues);
    const name = g.text('name', { required: true, example: 'name: Phòng Cảnh sát QLHC về TTXH…' });
    const address = g.text('address');
    const hours = g.text('hours');
    const note = g.text('note');
    const source = g.text('source', { required: true, example: 'source: seed-000' });
    const as_of = g.date('as_of', { required: true, partial: true });
    if (id === undefined || name === undefined || source === undefined || as_of === undefined) continue;
    officeList.push({
      office: { id, name, ...(address ? { address } : {}), ...(hours ? { hours } : {}), ...(note ? { note } : {}), source, as_of, pos: g.pos },
      idPos,
      sourcePos: g.posOf('source'),
      texts: fieldTexts(g, { name, address, hours, note }),
      asOfPos: g.posOf('as_of'),
    });
  }
  const wardList: OfficesAt['wardList'] = [];
  for (const { map, index } of mapItems(f, 'wards', issues, 'phường/xã', false)) {
    const rawCode = scalarText(map.get('code', true));
    const g = new Fields(
      y,
      map,
      rawCode ? `phường/xã "${rawCode}"` : `phường/xã thứ ${index + 1}`,
      ['code', 'name', 'province', 'office', 'address', 'hours', 'note', 'source', 'as_of'],
      issues,
    );
    const codePos = g.posOf('code');
    let code = g.text('code', { required: true, example: 'code: phuong-ba-dinh' });
    if (code !== undefined && !WARD_CODE_RE.test(code)) {
      issues.error(
        'bad-ward-code',
        codePos,
        `Mã phường/xã "${code}" không hợp lệ. Mã chỉ gồm chữ thường không dấu (a-z), số, dấu gạch ngang "-" hoặc gạch dưới "_", tối đa 40 ký tự, ví dụ: phuong-ba-dinh.`,
      );
      code = undefined;
    }
    const name = g.text('name', { required: true, example: 'name: Phường Ba Đình' });
    const province = g.text('province', { required: true, example: 'province: Hà Nội' });
    const office = g.text('office', { required: true, example: 'office: Công an phường Ba Đình' });
    const address = g.text('address');
    const hours = g.text('hours');
    const note = g.text('note');
    const source = g.text('source');
    const as_of = g.date('as_of', { required: true, partial: true });
    if (code === undefined || name === undefined || province === undefined || office === undefined || as_of === undefined) continue;
    wardList.push({
      ward: {
        code,
        name,
        province,
        office,
        ...(address ? { address } : {}),
        ...(hours ? { hours } : {}),
        ...(source ? { source } : {}),
        ...(note ? { note } : {}),
        as_of,
        pos: g.pos,
      },
      codePos,
      sourcePos: g.posOf('source'),
      texts: fieldTexts(g, { name, office, address, hours, note }),
      asOfPos: g.posOf('as_of'),
    });
  }
  return {
    offices: {
      general_rule,
      general_rule_sources: ruleSources.map((s) => s.value),
      offices: officeList.map((o) => o.office),
      wards: wardList.map((w) => w.ward),
    },
    ruleSources,
    ruleTexts: general_rule ? [{ field: 'general_rule', value: general_rule, pos: f.posOf('general_rule') }] : [],
    officeList,
    wardList,
  };
}

/** Folds a synonym key or value; reports `bad-synonym` when nothing is left. */
function foldSyn(raw: string, pos: SourcePos, issues: IssueList): string | undefined {
  const v = fold(raw);
  if (v === '') {
    issues.error('bad-synonym', pos, `"${raw}" trong synonyms.yaml không có chữ hoặc số nào. Viết từ viết tắt bằng chữ thường không dấu, ví dụ: ko: khong.`);
    return undefined;
  }
  return v;
}

/** content/synonyms.yaml. Keys and values are folded here, so staff may write them with diacritics. */
export function parseSynonyms(y: YamlFile, issues: IssueList): Synonyms {
  const out: Synonyms = { map: {}, ambiguous: [], stopPhrases: [] };
  const root = rootMap(y, issues, 'map: { ko: khong, dk: dang ky }, ambiguous: […], stop_phrases: [ad oi, cho em hoi]');
  if (!root) return out;
  const f = new Fields(y, root, `tệp ${y.file}`, ['map', 'ambiguous', 'stop_phrases'], issues);
  const mapNode = f.node('map');
  const seen = new Map<string, SourcePos>();
  if (mapNode !== undefined && !isEmptyNode(mapNode)) {
    if (!isMap(mapNode)) {
      issues.error('wrong-type', f.posOf('map'), `Trường "map" trong synonyms.yaml phải là các dòng "viết tắt: từ đầy đủ", ví dụ "ko: khong", nhưng đang là ${describeNode(mapNode)}.`);
    } else {
      for (const pair of mapNode.items) {
        const kPos = y.pos(pair.key, f.posOf('map'));
        const k = scalarText(pair.key);
        const v = scalarText(pair.value);
        if (k === undefined || v === undefined || v === '') {
          issues.error('wrong-type', kPos, `Dòng "${k ?? '?'}" trong "map" của synonyms.yaml phải có dạng "viết tắt: từ đầy đủ", ví dụ "ko: khong". Điền từ đầy đủ sau dấu hai chấm.`);
          continue;
        }
        const fk = foldSyn(k, kPos, issues);
        const fv = foldSyn(v, y.pos(pair.value, kPos), issues);
        if (fk === undefined || fv === undefined) continue;
        const prev = seen.get(fk);
        if (prev) {
          issues.error('duplicate-synonym', kPos, `Từ "${fk}" đã có trong synonyms.yaml ở dòng ${prev.line}. Giữ một dòng, xóa dòng còn lại.`);
          continue;
        }
        seen.set(fk, kPos);
        out.map[fk] = fv;
      }
    }
  }
  for (const { map, index } of mapItems(f, 'ambiguous', issues, 'từ nhiều nghĩa', false)) {
    const rawTok = scalarText(map.get('token', true));
    const g = new Fields(y, map, rawTok ? `từ nhiều nghĩa "${rawTok}"` : `từ nhiều nghĩa thứ ${index + 1}`, ['token', 'default', 'rules', 'note'], issues);
    const tokRaw = g.text('token', { required: true, example: 'token: dk' });
    const defRaw = g.text('default', { required: true, example: 'default: dang ky' });
    const note = g.text('note');
    const rules: AmbiguousRule[] = [];
    for (const r of mapItems(g, 'rules', issues, 'quy tắc', false)) {
      const h = new Fields(y, r.map, `quy tắc thứ ${r.index + 1} của ${g.label}`, ['before', 'after', 'means'], issues);
      const before = h.list('before').map((b) => foldSyn(b.value, b.pos, issues)).filter((b): b is string => !!b);
      const after = h.list('after').map((b) => foldSyn(b.value, b.pos, issues)).filter((b): b is string => !!b);
      const meansRaw = h.text('means', { required: true, example: 'means: dieu kien' });
      if (before.length === 0 && after.length === 0) {
        issues.error('bad-synonym', h.pos, `${h.label} chưa có "before" hoặc "after" nên không bao giờ được dùng. Thêm ví dụ "after: [gi, nao]" (các từ đứng ngay sau) hoặc "before: […]" (các từ đứng ngay trước).`);
      }
      const means = meansRaw === undefined ? undefined : foldSyn(meansRaw, h.posOf('means'), issues);
      if (means === undefined) continue;
      rules.push({ ...(before.length ? { before } : {}), ...(after.length ? { after } : {}), means });
    }
    const token = tokRaw === undefined ? undefined : foldSyn(tokRaw, g.posOf('token'), issues);
    const def = defRaw === undefined ? undefined : foldSyn(defRaw, g.posOf('default'), issues);
    if (token === undefined || def === undefined) continue;
    if (token.includes(' ')) {
      issues.error('bad-synonym', g.posOf('token'), `Từ nhiều nghĩa "${token}" phải là một từ (không có dấu cách). Cụm từ nhiều chữ hãy đưa vào "map".`);
      continue;
    }
    const prev = seen.get(token);
    if (prev) {
      issues.error('duplicate-synonym', g.posOf('token'), `Từ "${token}" đã có trong synonyms.yaml ở dòng ${prev.line}. Một từ chỉ được khai báo một lần: hoặc trong "map", hoặc trong "ambiguous".`);
      continue;
    }
    seen.set(token, g.posOf('token'));
    const amb: AmbiguousSynonym = { token, default: def, rules, ...(note ? { note } : {}) };
    out.ambiguous.push(amb);
  }
  for (const s of f.list('stop_phrases')) {
    const v = foldSyn(s.value, s.pos, issues);
    if (v !== undefined && !out.stopPhrases.includes(v)) out.stopPhrases.push(v);
  }
  return out;
}

/** content/messages.yaml: `messages: { <key>: text }` with every key of MESSAGE_KEYS. */
export function parseMessages(y: YamlFile, issues: IssueList): Partial<Record<MessageKey, string>> {
  const out: Partial<Record<MessageKey, string>> = {};
  const root = rootMap(y, issues, 'messages: { greeting: Xin chào…, … }');
  if (!root) return out;
  const f = new Fields(y, root, `tệp ${y.file}`, ['messages'], issues);
  const node = f.node('messages');
  if (node === undefined || isEmptyNode(node) || !isMap(node)) {
    issues.error(
      node === undefined ? 'missing-field' : 'wrong-type',
      f.posOf('messages'),
      `Tệp messages.yaml phải có "messages:" và bên dưới là các dòng "tên: lời nhắn" (thụt vào 2 dấu cách), ví dụ "  greeting: Xin chào…".`,
    );
    return out;
  }
  const g = new Fields(y, node, `tệp ${y.file} (messages)`, MESSAGE_KEYS, issues);
  for (const key of MESSAGE_KEYS) {
    const v = g.text(key);
    if (v === undefined) {
      if (OPTIONAL_MESSAGE_KEYS.has(key) && !g.has(key)) continue;
      if (!g.has(key) || isEmptyNode(g.node(key))) {
        issues.error(
          'missing-message',
          g.has(key) ? g.posOf(key) : g.pos,
          `Thiếu lời nhắn "${key}" trong messages.yaml. Thêm dòng "  ${key}: …" (xem các lời nhắn khác làm mẫu).`,
        );
      }
      continue;
    }
    out[key] = v;
  }
  return out;
}

/** content/golden/*.yaml: `questions: [{ q, id }]`. Returns each item with the position of its id. */
export function parseGolden(y: YamlFile, issues: IssueList): { item: GoldenItem; idPos: SourcePos }[] {
  const root = rootMap(y, issues, 'questions: [ { q: ad oi dk muc 2 o dau, id: dang-ky-muc-2-o-dau } ]');
  if (!root) return [];
  const f = new Fields(y, root, `tệp ${y.file}`, ['questions'], issues);
  const out: { item: GoldenItem; idPos: SourcePos }[] = [];
  for (const { map, index } of mapItems(f, 'questions', issues, 'câu hỏi thử', true)) {
    const g = new Fields(y, map, `câu hỏi thử thứ ${index + 1} của ${y.file}`, ['q', 'id', 'also'], issues);
    const q = g.text('q', { required: true, example: 'q: ad oi dk muc 2 o dau' });
    const id = g.text('id', { required: true, example: 'id: dang-ky-muc-2-o-dau' });
    const also = g.text('also', { required: false });
    if (q === undefined || id === undefined) continue;
    out.push({ item: also ? { q, id, also, pos: g.pos } : { q, id, pos: g.pos }, idPos: g.posOf('id') });
  }
  return out;
}

export type { Node };
