// A small Content built in code, with the shipped messages.yaml, for engine tests.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Content, Entry, Link, Messages, Topic } from '../../src/content/types.js';
import type { Matcher, MatchResult } from '../../src/match/types.js';

const pos = { file: 'fixture.yaml', line: 1, column: 1 };

export const shippedMessages = (): Messages =>
  parse(readFileSync(new URL('../../content/messages.yaml', import.meta.url), 'utf8')).messages as Messages;

function entry(id: string, topic: string, title: string, answer: string, extra: Partial<Entry> = {}): Entry {
  return {
    id,
    topic,
    questions: [title, 'q2', 'q3', 'q4', 'q5'],
    keywords: [],
    answer,
    links: [],
    qr: [],
    related: [],
    sources: ['nd-69-2024'],
    updated: '2026-11-23',
    pos,
    ...extra,
  };
}

export function makeContent(): Content {
  const e1 = entry('kich-hoat-thoi-han', 'kich-hoat', 'Phải kích hoạt trong bao lâu?', 'Trong vòng 07 ngày.', {
    related: ['kich-hoat-cac-buoc', 'muc-do-muc-3'],
    links: ['vneid-web', 'vneid-ios'],
    qr: ['vneid-android'],
  });
  const e2 = entry('kich-hoat-cac-buoc', 'kich-hoat', 'Các bước kích hoạt?', '1. Mở ứng dụng.\n2. Nhập mã OTP.');
  const e3 = entry('muc-do-muc-3', 'muc-do', 'Có mức 3 không?', 'Không có tài khoản định danh mức 3.');
  const topics: Topic[] = [
    { id: 'muc-do', title: 'Mức 1 và mức 2', order: 30, entries: [e3], pos },
    { id: 'kich-hoat', title: 'Kích hoạt tài khoản', order: 80, entries: [e1, e2], pos },
  ];
  const links: Link[] = [
    { id: 'vneid-web', title: 'Trang VNeID', url: 'https://vneid.gov.vn', verified: true, pos },
    { id: 'vneid-android', title: 'VNeID Android', url: 'https://play.google.com/store/apps/details?id=com.vnid', verified: true, pos },
    { id: 'vneid-ios', title: 'VNeID iPhone', url: 'https://apps.apple.com/vn/app/vneid/id1', verified: false, pos },
    { id: 'hotline', title: 'Tổng đài 1900 0368', url: 'tel:19000368', verified: true, pos },
  ];
  const entries = [e3, e1, e2];
  return {
    version: 'test',
    loadedAt: '2026-11-23T00:00:00Z',
    topics,
    entries,
    byId: new Map(entries.map((e) => [e.id, e])),
    links: new Map(links.map((l) => [l.id, l])),
    sources: new Map(),
    offices: {
      general_rule: 'Công an cấp xã',
      general_rule_sources: [],
      offices: [],
      wards: [{ code: 'cam-ngoc', name: 'Xã Cẩm Ngọc', province: 'Thanh Hóa', office: 'Công an xã Cẩm Ngọc', as_of: '2023-06', pos }],
    },
    synonyms: { map: {}, ambiguous: [], stopPhrases: [] },
    messages: shippedMessages(),
    golden: [],
    warnings: [],
  };
}

/** A matcher that answers from a fixed table, so engine tests do not depend on matching quality. */
export function tableMatcher(table: Record<string, Omit<MatchResult, 'normalized'>>): Matcher & { seen: string[] } {
  const seen: string[] = [];
  return {
    version: 'test',
    seen,
    match(text: string) {
      seen.push(text);
      const hit = table[text.trim()];
      return hit ? { normalized: text.trim(), ...hit } : { normalized: text.trim(), candidates: [], decision: 'fallback' };
    },
  };
}
