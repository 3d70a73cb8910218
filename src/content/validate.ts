// Cross-file checks over the parsed content: duplicate ids, dangling references, answer length,
// duplicate and near-duplicate questions, verified links for QR codes, stale or superseded citations,
// golden-set coverage. Per-file schema checks live in parse.ts.

import { IssueList } from './issues.js';
import type { At, Declared, EntryAt, FieldText, LinkAt, OfficesAt, SourceAt, TopicAt } from './parse.js';
import { fold, stripDiacritics } from '../text/fold.js';
import type { GoldenItem, Link, SourcePos, Synonyms } from './types.js';
import { OUT_OF_SCOPE } from './types.js';

/** Tunable limits of the checks, each with the reason for its value. */
export const RULES = Object.freeze({
  /** Characters. Telegram/Zalo show it in one screen on a small phone; the issue sets 900. */
  maxAnswerChars: 900,
  /** The issue asks for at least 5 alternate questions per entry: fewer gives the matcher too little to go on. */
  minQuestions: 5,
  /** Golden questions per entry: one can pass by luck; two worded differently show the entry is reachable. */
  minGoldenPerEntry: 2,
  /** Days. An entry not reviewed for a year may state an outdated rule (the law changed in 2024 and 2025). */
  staleDays: 365,
  /**
   * IDF-weighted token Jaccard (see makeMatchTokens / weightedJaccard) at or above which two questions of different
   * entries are "near duplicates". Measured on the shipped content, 2026-11-23. Plain Jaccard is dominated by the
   * boilerplate "tài khoản định danh điện tử": "Có xóa được tài khoản định danh điện tử không?" vs "Có tài khoản
   * định danh điện tử mức 3 không?" scores 0.67 while the highest real duplicate scored 0.75, so no plain threshold
   * separates them (the suggested 0.9 flagged nothing at all). Weighted by rarity and after synonyms.yaml:
   * - first draft (752 questions): the 6 pairs at ≥ 0.7 (0.71–0.90) were all one question filed under two entries,
   *   e.g. "dùng sdt của con đk vneid cho mẹ dc ko ad" in two entries (0.90); writers then moved or reworded them;
   * - now (816 questions): highest pair 0.66; the 0.6–0.7 band is different intents sharing words ("ko ra công an
   *   thì có làm mức 2 đc ko" vs "ra công an làm mức 2 thì làm những gì"), which must not be flagged.
   */
  nearDuplicateScore: 0.7,
  /**
   * Characters. Residents are often elderly on small phones: the issue sets "none over 700" (and a median of at most
   * 450, printed by `npm run check`). Over this is a warning; over maxAnswerChars stays an error.
   */
  targetMaxAnswerChars: 700,
  /** Median answer length to aim for, characters (printed by `npm run check`, not a per-entry check). */
  targetMedianAnswerChars: 450,
  /**
   * Characters of the first line. The first line must answer the question by itself (a resident may read only that
   * line in the chat preview); 160 is about two lines on a phone in Telegram and Zalo.
   */
  maxFirstLineChars: 160,
  /**
   * ISO date the two-tier local government took effect (districts abolished, communes merged): ward or office data
   * confirmed before it may name units that no longer exist.
   */
  reorganisation: '2025-07-01',
});

/**
 * Names of district-level units ("quận", "huyện", "thị xã") abolished on 01/7/2025. Matched as whole words,
 * case-insensitive, so "Quận 12" and "huyện Cẩm Thủy" count but "quận" inside another word does not.
 */
const DISTRICT_RE = /(^|[^\p{L}])(quận|huyện|thị xã)(?![\p{L}])/iu;
/** A date note: d/m/yyyy, m/yyyy or an ISO date, e.g. "01/7/2025", "6/2023", "2023-05-17". */
const DATE_RE = /\b(\d{1,2}\/){1,2}\d{4}\b|\b\d{4}-\d{2}(-\d{2})?\b/;

/** The first non-empty line of an answer. */
export function firstLine(answer: string): string {
  return answer.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
}

/** Median and maximum answer length in characters (0 when there are no entries). */
export function answerLengths(answers: readonly string[]): { median: number; max: number; overTarget: number } {
  const lens = answers.map((a) => [...a.trim()].length).sort((a, b) => a - b);
  if (lens.length === 0) return { median: 0, max: 0, overTarget: 0 };
  const mid = Math.floor(lens.length / 2);
  const median = lens.length % 2 ? lens[mid]! : Math.round((lens[mid - 1]! + lens[mid]!) / 2);
  return { median, max: lens[lens.length - 1]!, overTarget: lens.filter((n) => n > RULES.targetMaxAnswerChars).length };
}

export interface ValidateInput {
  topics: TopicAt[];
  links: LinkAt[];
  sources: SourceAt[];
  offices: OfficesAt | undefined;
  synonyms: Synonyms;
  golden: { item: GoldenItem; idPos: SourcePos }[];
  goldenPresent: boolean;
  /** Ids written in the files, including items dropped for another error (not reported again as dangling). */
  declared: Declared;
  /**
   * False when a file of that kind could not be read at all (syntax error, missing): references into it are
   * not checked, since the first error already explains them.
   */
  complete: { faq: boolean; links: boolean; sources: boolean };
  now: Date;
}

/**
 * The tokens the matcher roughly sees: folded, multi-word synonyms then single-token synonyms (and the default of
 * ambiguous ones) expanded, stop phrases dropped. An approximation of src/match's normalisation, kept here so the
 * loader does not depend on the matcher. Build once per synonyms, then call per question.
 */
export function makeMatchTokens(syn: Synonyms): (text: string) => Set<string> {
  const amb = new Map(syn.ambiguous.map((a) => [a.token, a.default]));
  const phrases = Object.keys(syn.map)
    .filter((k) => k.includes(' '))
    .map((k) => ({ toks: k.split(' '), repl: syn.map[k]!.split(' ') }));
  const stops = syn.stopPhrases.map((p) => ({ toks: p.split(' '), repl: [] as string[] }));
  const index = (list: { toks: string[]; repl: string[] }[]) => {
    const m = new Map<string, { toks: string[]; repl: string[] }[]>();
    for (const p of list) m.set(p.toks[0]!, [...(m.get(p.toks[0]!) ?? []), p].sort((a, b) => b.toks.length - a.toks.length));
    return m;
  };
  const replace = (toks: string[], idx: Map<string, { toks: string[]; repl: string[] }[]>): string[] => {
    const out: string[] = [];
    for (let i = 0; i < toks.length; ) {
      const hit = idx.get(toks[i]!)?.find((p) => p.toks.every((t, k) => toks[i + k] === t));
      if (hit) {
        out.push(...hit.repl);
        i += hit.toks.length;
      } else out.push(toks[i++]!);
    }
    return out;
  };
  const phraseIdx = index(phrases);
  const stopIdx = index(stops);
  return (text) => {
    let toks = replace(fold(text).split(' ').filter(Boolean), phraseIdx);
    toks = toks.flatMap((t) => (syn.map[t] ?? amb.get(t) ?? t).split(' '));
    return new Set(replace(toks, stopIdx).filter(Boolean));
  };
}

/** Jaccard of two token sets where each token weighs log(N / df): rare words count, boilerplate barely does. */
export function weightedJaccard(a: Set<string>, b: Set<string>, weight: (t: string) => number): number {
  let inter = 0;
  let union = 0;
  for (const t of a) {
    union += weight(t);
    if (b.has(t)) inter += weight(t);
  }
  for (const t of b) if (!a.has(t)) union += weight(t);
  return union === 0 ? 1 : inter / union;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  for (const t of a) if (b.has(t)) inter++;
  return inter / (a.size + b.size - inter);
}

/** True when the text has no Vietnamese diacritics (and no đ). */
export function isWithoutDiacritics(s: string): boolean {
  return stripDiacritics(s.normalize('NFC')) === s.normalize('NFC');
}

const DAY_MS = 86_400_000;

export function validate(input: ValidateInput, issues: IssueList): void {
  const { topics, links, sources, offices, golden, now, declared, complete } = input;
  const entries: EntryAt[] = topics.flatMap((t) => t.entries);

  // --- duplicate ids -------------------------------------------------------------------------------
  const entryIds = new Map<string, EntryAt>();
  for (const e of entries) {
    const prev = entryIds.get(e.entry.id);
    if (prev) {
      issues.error(
        'duplicate-id',
        e.idPos,
        `Mã mục "${e.entry.id}" đã dùng ở ${prev.idPos.file}:${prev.idPos.line}. Mỗi mục cần một mã riêng: đổi mã này (và các chỗ "related" trỏ tới nó) hoặc gộp hai mục.`,
      );
    } else entryIds.set(e.entry.id, e);
  }
  const linkIds = dedupe(links, (l) => l.value.id, 'đường dẫn', 'links.yaml', issues);
  const sourceIds = dedupe(
    sources.map((s) => ({ value: s, pos: s.idPos })),
    (s) => s.value.source.id,
    'nguồn',
    'sources.yaml',
    issues,
  );
  if (offices) {
    dedupe(
      offices.officeList.map((o) => ({ value: o, pos: o.idPos })),
      (o) => o.value.office.id,
      'cơ quan',
      'offices.yaml',
      issues,
    );
    const codes = new Map<string, SourcePos>();
    for (const w of offices.wardList) {
      const prev = codes.get(w.ward.code);
      if (prev)
        issues.error(
          'duplicate-ward',
          w.codePos,
          `Mã phường/xã "${w.ward.code}" đã dùng ở dòng ${prev.line}. Mỗi phường/xã cần một mã riêng (mã này nằm trong đường dẫn và mã QR của áp phích): đổi mã hoặc xóa một dòng.`,
        );
      else codes.set(w.ward.code, w.codePos);
    }
  }

  // --- references ------------------------------------------------------------------------------------
  const linkMap = new Map([...linkIds].map(([id, l]) => [id, l.value]));
  const sourceMap = new Map([...sourceIds].map(([id, s]) => [id, s.value.source]));
  const refSource = (ref: At, where: string): void => {
    if (!sourceMap.has(ref.value) && !declared.sources.has(ref.value) && complete.sources)
      issues.error(
        'unknown-source',
        ref.pos,
        `Nguồn "${ref.value}" (${where}) không có trong sources.yaml. Kiểm tra chính tả, hoặc thêm nguồn đó vào sources.yaml trước (id, title, status).`,
      );
  };
  for (const s of sources) {
    const by = s.source.superseded_by;
    if (by !== undefined) refSource({ value: by, pos: s.supersededByPos }, `superseded_by của nguồn "${s.source.id}"`);
  }
  for (const l of links) {
    const link = l.value;
    if (l.legacy) {
      issues.warn(
        'link-legacy-verified',
        l.statusPos,
        `Đường dẫn "${link.id}" còn ghi "verified"; bot đang hiểu là ${link.status}. Thay bằng "status: official" (trang hoặc văn bản chính thức ghi đường dẫn), "status: corroborated" (nhiều nguồn độc lập cùng ghi) hoặc "status: unverified", kèm "source: <mã nguồn trong sources.yaml>".`,
      );
    } else if (link.source === undefined) {
      issues.error(
        'link-status-no-source',
        l.statusPos,
        `Đường dẫn "${link.id}" ghi "status: ${link.status}" nhưng chưa ghi nguồn chứng minh. Thêm dòng "source: <mã trong sources.yaml>" — văn bản hoặc trang đã ghi đường dẫn này.`,
      );
    }
    if (link.source !== undefined) refSource({ value: link.source, pos: l.sourcePos }, `source của đường dẫn "${link.id}"`);
  }
  if (offices) {
    const dated = (t: FieldText, note: string | undefined) => DATE_RE.test(t.value) || (note !== undefined && DATE_RE.test(note));
    const district = (t: FieldText, note: string | undefined, label: string) => {
      const m = DISTRICT_RE.exec(t.value);
      if (!m || dated(t, note)) return;
      issues.error(
        'district-no-date',
        t.pos,
        `${cap(label)} ghi "${m[2]}" ở trường "${t.field}" nhưng không ghi ngày. Từ 01/7/2025 không còn cấp quận, huyện, thị xã: ghi nơi làm thủ tục hiện nay (Công an cấp xã), và nếu cần nhắc tên cũ thì ghi kèm ngày, ví dụ "(theo văn bản ngày 17/5/2023; cấp quận không còn từ 01/7/2025)", ở chính dòng đó hoặc ở "note".`,
      );
    };
    const beforeReorg = (asOf: string, pos: SourcePos, label: string) => {
      if (asOf.length >= 7 && asOf < RULES.reorganisation)
        issues.warn(
          'as-of-before-reorg',
          pos,
          `${cap(label)} có as_of ${asOf}, trước ngày sắp xếp đơn vị hành chính 01/7/2025 (bỏ cấp quận, huyện; sáp nhập xã, phường; cả nước còn 34 tỉnh, thành phố). Tên và nơi làm thủ tục có thể đã đổi: kiểm tra lại, ghi tên hiện nay và đổi as_of thành ngày xác nhận.`,
        );
    };
    for (const t of offices.ruleTexts) district(t, undefined, 'quy tắc chung (general_rule)');
    for (const o of offices.officeList) {
      const label = `cơ quan "${o.office.id}"`;
      for (const t of o.texts) district(t, o.office.note, label);
      beforeReorg(o.office.as_of, o.asOfPos, label);
    }
    for (const w of offices.wardList) {
      const label = `phường/xã "${w.ward.code}"`;
      for (const t of w.texts) district(t, w.ward.note, label);
      beforeReorg(w.ward.as_of, w.asOfPos, label);
    }
    for (const r of offices.ruleSources) refSource(r, 'general_rule_sources trong offices.yaml');
    for (const o of offices.officeList) refSource({ value: o.office.source, pos: o.sourcePos }, `cơ quan "${o.office.id}"`);
    for (const w of offices.wardList)
      if (w.ward.source !== undefined) refSource({ value: w.ward.source, pos: w.sourcePos }, `phường/xã "${w.ward.code}"`);
  }

  for (const e of entries) {
    const { entry } = e;
    const label = `mục "${entry.id}"`;
    for (const l of e.links) {
      const link = linkMap.get(l.value);
      if (!link) {
        if (declared.links.has(l.value) || !complete.links) continue;
        issues.error('unknown-link', l.pos, `Đường dẫn "${l.value}" (links của ${label}) không có trong links.yaml. Dùng một mã có sẵn (${[...linkMap.keys()].join(', ')}) hoặc nhờ người phụ trách thêm đường dẫn đã xác minh.`);
      } else if (!link.verified) {
        issues.warn('unverified-link', l.pos, `${cap(label)} dùng đường dẫn "${l.value}" chưa được xác minh; bot sẽ ghi "(chưa xác minh)" cạnh nó. Nếu được, hãy hướng dẫn người dân cách tự tìm (ví dụ tìm "VNeID" trong App Store) thay vì đưa đường dẫn.`);
      }
    }
    for (const l of e.qr) {
      const link = linkMap.get(l.value);
      if (!link) {
        if (declared.links.has(l.value) || !complete.links) continue;
        issues.error('unknown-link', l.pos, `Mã QR "${l.value}" (qr của ${label}) không có trong links.yaml. Dùng một mã có sẵn: ${[...linkMap.keys()].join(', ')}.`);
      } else if (!qrAllowed(link)) {
        issues.error(
          'qr-unverified',
          l.pos,
          `${cap(label)} tạo mã QR cho đường dẫn "${l.value}" (status: ${link.status}). Chỉ tạo mã QR cho đường dẫn "official", hoặc "corroborated" dạng https (ví dụ trang tải ứng dụng): xóa "${l.value}" khỏi "qr" (có thể giữ trong "links").`,
        );
      }
    }
    for (const r of e.related) {
      if (!entryIds.has(r.value)) {
        if (declared.entries.has(r.value) || !complete.faq) continue;
        issues.error('unknown-entry', r.pos, `Mục liên quan "${r.value}" (related của ${label}) không tồn tại. Kiểm tra chính tả mã mục, hoặc xóa dòng này.`);
      } else if (r.value === entry.id) {
        issues.warn('related-self', r.pos, `${cap(label)} tự liệt kê chính nó trong "related". Xóa "${r.value}" khỏi "related".`);
      }
    }
    for (const s of e.sources) refSource(s, `sources của ${label}`);
    if (e.sources.length === 0 && e.sourcesWritten) {
      issues.error('no-source', e.idPos, `${cap(label)} chưa ghi nguồn nào. Thêm ít nhất một mã từ sources.yaml, ví dụ "sources: [nd-69-2024]".`);
    } else if (e.sources.length > 0) {
      const cited = e.sources.map((s) => sourceMap.get(s.value)).filter((s) => s !== undefined);
      if (cited.length === e.sources.length && cited.every((s) => s.status === 'superseded')) {
        const repl = [...new Set(cited.map((s) => s.superseded_by).filter((x): x is string => !!x))];
        issues.warn(
          'superseded-only',
          e.sources[0]!.pos,
          `${cap(label)} chỉ dẫn văn bản đã hết hiệu lực (${cited.map((s) => s.id).join(', ')}). Kiểm tra lại câu trả lời theo quy định hiện hành và thêm nguồn đang có hiệu lực${repl.length ? ` (${repl.join(', ')})` : ''}.`,
        );
      }
    }

    // --- answer, questions, dates --------------------------------------------------------------------
    const len = [...entry.answer].length;
    if (len > RULES.maxAnswerChars) {
      issues.error(
        'answer-too-long',
        e.answerPos,
        `Câu trả lời của ${label} dài ${len} ký tự, quá giới hạn ${RULES.maxAnswerChars}. Rút gọn ${len - RULES.maxAnswerChars} ký tự, hoặc tách phần chi tiết sang một mục khác và đưa vào "related".`,
      );
    }
    if (len > RULES.targetMaxAnswerChars && len <= RULES.maxAnswerChars) {
      issues.warn(
        'answer-long',
        e.answerPos,
        `Câu trả lời của ${label} dài ${len} ký tự, quá mức nên có ${RULES.targetMaxAnswerChars} (trung vị nên ≤ ${RULES.targetMedianAnswerChars}). Bỏ bớt ${len - RULES.targetMaxAnswerChars} ký tự: giữ việc cần làm, bỏ phần giải thích, chuyển chi tiết sang mục trong "related".`,
      );
    }
    const first = firstLine(entry.answer);
    const firstLen = [...first].length;
    if (first !== '' && (firstLen > RULES.maxFirstLineChars || /^\d+[.)]\s/.test(first))) {
      issues.warn(
        'answer-first-line',
        e.answerPos,
        /^\d+[.)]\s/.test(first)
          ? `Câu trả lời của ${label} bắt đầu ngay bằng bước "${first.slice(0, 3)}…". Dòng đầu phải trả lời thẳng câu hỏi (ví dụ "Bạn làm theo 4 bước sau:" hoặc "Được, …"), rồi mới đến các bước.`
          : `Dòng đầu câu trả lời của ${label} dài ${firstLen} ký tự, nên ≤ ${RULES.maxFirstLineChars}. Dòng đầu chỉ nói một ý trả lời thẳng câu hỏi; tách phần còn lại xuống dòng sau.`,
      );
    }
    if (/\*\*|__|^\s*#/m.test(entry.answer)) {
      issues.warn('answer-markdown', e.answerPos, `Câu trả lời của ${label} có ký hiệu định dạng (**, __ hoặc # đầu dòng); người dân sẽ thấy nguyên các ký hiệu đó. Viết chữ thường, dùng "1. ", "2. " cho các bước.`);
    }
    if (e.questionCount < RULES.minQuestions) {
      const at = e.questions[0]?.pos ?? e.idPos;
      issues.error(
        'too-few-questions',
        at,
        `${cap(label)} mới có ${e.questions.length} câu hỏi, cần ít nhất ${RULES.minQuestions}. Thêm các cách hỏi khác của người dân: không dấu, viết tắt (ko, dk, sdt, mk…), hỏi ngắn.`,
      );
    }
    if (e.questions.length > 0 && !e.questions.some((q) => isWithoutDiacritics(q.value))) {
      issues.warn('no-plain-question', e.questions[0]!.pos, `${cap(label)} chưa có câu hỏi nào viết không dấu. Thêm ít nhất một câu như người dân hay gõ, ví dụ "${fold(entry.questions[0] ?? '')}".`);
    }
    if (entry.updated) {
      const age = Math.floor((now.getTime() - Date.parse(`${entry.updated}T00:00:00Z`)) / DAY_MS);
      if (age > RULES.staleDays) {
        issues.warn('stale-entry', e.updatedPos, `${cap(label)} đã ${age} ngày chưa được xem lại (updated: ${entry.updated}). Đối chiếu câu trả lời với quy định hiện hành rồi đổi "updated" thành ngày hôm nay.`);
      } else if (age < -1) {
        issues.warn('future-date', e.updatedPos, `Ngày xem lại ${entry.updated} của ${label} ở tương lai. Ghi ngày thực tế đã xem lại (thường là hôm nay).`);
      }
    }
    if (!entry.id.startsWith(`${entry.topic}-`)) {
      issues.warn('id-prefix', e.idPos, `Mã mục "${entry.id}" nên bắt đầu bằng tên chủ đề "${entry.topic}-" để dễ tìm, ví dụ "${entry.topic}-${entry.id}".`);
    }
  }

  // --- duplicate and near-duplicate questions ------------------------------------------------------
  const matchTokens = makeMatchTokens(input.synonyms);
  const byKey = new Map<string, { e: EntryAt; q: At }>();
  const all: { e: EntryAt; q: At; toks: Set<string> }[] = [];
  for (const e of entries) {
    for (const q of e.questions) {
      const key = fold(q.value);
      const prev = byKey.get(key);
      if (prev && prev.e !== e) {
        issues.error(
          'duplicate-question',
          q.pos,
          `Câu hỏi "${q.value}" (${e.entry.id}) trùng với câu hỏi của mục "${prev.e.entry.id}" ở ${fmt(prev.q.pos)} (khi bỏ dấu và viết thường). Bot sẽ không biết chọn mục nào: sửa hoặc xóa một trong hai câu.`,
        );
        continue;
      }
      if (prev) {
        issues.warn('repeated-question', q.pos, `Câu hỏi "${q.value}" lặp lại một câu khác của cùng mục "${e.entry.id}" (dòng ${prev.q.pos.line}) khi bỏ dấu. Xóa câu thừa hoặc viết một cách hỏi khác.`);
        continue;
      }
      byKey.set(key, { e, q });
      all.push({ e, q, toks: matchTokens(q.value) });
    }
  }
  // Near duplicates: intersection weights through an inverted index (token → questions), O(sum of df²).
  const df = new Map<string, number>();
  for (const x of all) for (const t of x.toks) df.set(t, (df.get(t) ?? 0) + 1);
  const weight = (t: string): number => Math.log((all.length + 1) / (df.get(t) ?? 1));
  const postings = new Map<string, number[]>();
  all.forEach((x, i) =>
    x.toks.forEach((t) => {
      const list = postings.get(t);
      if (list) list.push(i);
      else postings.set(t, [i]);
    }),
  );
  const total = all.map((x) => [...x.toks].reduce((sum, t) => sum + weight(t), 0));
  const inter = new Float64Array(all.length);
  for (let i = 0; i < all.length; i++) {
    const a = all[i]!;
    if (a.toks.size < 2) continue;
    inter.fill(0);
    for (const t of a.toks) {
      const wt = weight(t);
      for (const j of postings.get(t)!) if (j > i) inter[j]! += wt;
    }
    for (let j = i + 1; j < all.length; j++) {
      if (inter[j] === 0) continue;
      const b = all[j]!;
      if (b.e === a.e || b.toks.size < 2) continue;
      const union = total[i]! + total[j]! - inter[j]!;
      const sim = union === 0 ? 1 : inter[j]! / union;
      if (sim >= RULES.nearDuplicateScore) {
        issues.warn(
          'near-duplicate-question',
          b.q.pos,
          `Câu hỏi "${b.q.value}" (${b.e.entry.id}) gần giống câu "${a.q.value}" của mục "${a.e.entry.id}" ở ${fmt(a.q.pos)} (mức giống ${Math.round(sim * 100)}%). Bot dễ nhầm hai mục: giữ câu này ở mục đúng nhất, sửa hoặc xóa câu kia.`,
        );
      }
    }
  }

  // --- golden set ------------------------------------------------------------------------------------
  const goldenSeen = new Map<string, { item: GoldenItem; idPos: SourcePos }>();
  const covered = new Set<string>();
  const perEntry = new Map<string, number>();
  for (const g of golden) {
    if (g.item.id === OUT_OF_SCOPE) continue;
    if (g.item.also && !entryIds.has(g.item.also) && complete.faq)
      issues.error('golden-unknown-entry', g.item.pos, `Câu hỏi thử "${g.item.q}" có "also: ${g.item.also}" trỏ tới mục không tồn tại. Sửa mã mục cho đúng hoặc bỏ dòng "also".`);
    const e = entryIds.get(g.item.id);
    if (!e) {
      if (declared.entries.has(g.item.id) || !complete.faq) continue;
      issues.error('golden-unknown-entry', g.idPos, `Câu hỏi thử "${g.item.q}" trỏ tới mục "${g.item.id}" không tồn tại. Sửa mã mục cho đúng (xem "id:" trong content/faq) hoặc xóa câu này.`);
      continue;
    }
    covered.add(e.entry.topic);
    perEntry.set(e.entry.id, (perEntry.get(e.entry.id) ?? 0) + 1);
    const key = fold(g.item.q);
    const prev = goldenSeen.get(key);
    if (prev) {
      if (prev.item.id !== g.item.id)
        issues.error('golden-conflict', g.item.pos, `Câu hỏi thử "${g.item.q}" cũng có ở ${fmt(prev.item.pos)} nhưng trỏ tới mục khác ("${prev.item.id}" và "${g.item.id}"). Một câu chỉ có một đáp án đúng: sửa hoặc xóa một dòng.`);
      else issues.warn('golden-duplicate', g.item.pos, `Câu hỏi thử "${g.item.q}" lặp lại câu ở ${fmt(prev.item.pos)}. Xóa dòng thừa.`);
      continue;
    }
    goldenSeen.set(key, g);
    const same = byKey.get(key);
    if (same) {
      issues.warn('golden-copies-question', g.item.pos, `Câu hỏi thử "${g.item.q}" giống hệt một câu hỏi của mục "${same.e.entry.id}" (${fmt(same.q.pos)}), nên không kiểm tra được gì. Viết lại theo cách người dân thật sự gõ (không dấu, viết tắt, lời chào đầu câu…).`);
    }
  }
  if (!input.goldenPresent || golden.length === 0) {
    issues.warn('no-golden', { file: 'golden/', line: 1, column: 1 }, 'Chưa có bộ câu hỏi thử (content/golden/*.yaml) nên không đo được bot trả lời đúng bao nhiêu. Thêm ít nhất 2 câu hỏi thử cho mỗi mục.');
  } else {
    for (const t of topics) {
      if (t.entries.length > 0 && !covered.has(t.topic.id)) {
        issues.warn('topic-no-golden', t.idPos, `Chủ đề "${t.topic.id}" chưa có câu hỏi thử nào trong content/golden. Thêm tệp golden/${t.topic.id}.yaml với vài câu hỏi như người dân gõ.`);
        continue;
      }
      for (const e of t.entries) {
        const n = perEntry.get(e.entry.id) ?? 0;
        if (n < RULES.minGoldenPerEntry)
          issues.warn('entry-few-golden', e.idPos, `Mục "${e.entry.id}" mới có ${n} câu hỏi thử, nên có ít nhất ${RULES.minGoldenPerEntry}. Thêm vào golden/${t.topic.id}.yaml các câu hỏi như người dân gõ, kèm "id: ${e.entry.id}".`);
      }
    }
  }
}

function dedupe<T>(list: At<T>[], idOf: (x: At<T>) => string, what: string, file: string, issues: IssueList): Map<string, At<T>> {
  const out = new Map<string, At<T>>();
  for (const x of list) {
    const id = idOf(x);
    const prev = out.get(id);
    if (prev) issues.error('duplicate-id', x.pos, `Mã ${what} "${id}" đã dùng ở dòng ${prev.pos.line} của ${file}. Đổi một trong hai mã (và mọi chỗ trỏ tới nó) hoặc xóa dòng trùng.`);
    else out.set(id, x);
  }
  return out;
}

/** A QR code is offered for official links, and for corroborated web links such as the store page (not a phone number). */
export function qrAllowed(link: Link): boolean {
  const status = link.status ?? (link.verified ? 'corroborated' : 'unverified');
  return status === 'official' || (status === 'corroborated' && /^https:\/\//.test(link.url));
}

function fmt(p: SourcePos): string {
  return `${p.file}:${p.line}`;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
