// Content for the bench and the tuning harness: the real loader when the content validates, otherwise
// (content still being written) a lenient read of the FAQ, synonyms and golden files, with a note on stderr.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { formatIssue, loadContent } from '../src/content/index.js';
import type { Content, Entry, GoldenItem, Link, Topic } from '../src/content/types.js';

export function benchContent(dir: string): Content {
  try {
    const r = loadContent(dir);
    if (r.ok) return r.content;
    process.stderr.write(`content has ${r.errors.length} errors (first: ${formatIssue(r.errors[0])}); reading it leniently\n`);
  } catch (err) {
    process.stderr.write(`loader failed (${(err as Error).message}); reading content leniently\n`);
  }
  return lenient(dir);
}

function lenient(dir: string): Content {
  const pos = { file: '', line: 1, column: 1 };
  const topics: Topic[] = [];
  const entries: Entry[] = [];
  for (const f of readdirSync(join(dir, 'faq')).filter((x) => x.endsWith('.yaml')).sort()) {
    const y = parse(readFileSync(join(dir, 'faq', f), 'utf8'));
    const t: Topic = { id: y.topic, title: y.title, order: y.order ?? 999, entries: [], pos };
    for (const e of y.entries ?? []) {
      const entry: Entry = {
        id: e.id, topic: y.topic, questions: (e.questions ?? []).map(String), keywords: (e.keywords ?? []).map(String),
        answer: String(e.answer ?? ''), links: e.links ?? [], qr: e.qr ?? [], related: e.related ?? [], sources: e.sources ?? [],
        updated: String(e.updated ?? ''), pos,
      };
      t.entries.push(entry);
      entries.push(entry);
    }
    topics.push(t);
  }
  topics.sort((a, b) => a.order - b.order);
  const golden: GoldenItem[] = [];
  for (const f of readdirSync(join(dir, 'golden')).filter((x) => x.endsWith('.yaml')).sort()) {
    const y = parse(readFileSync(join(dir, 'golden', f), 'utf8'));
    for (const q of y.questions ?? []) golden.push({ q: String(q.q), id: String(q.id), pos });
  }
  const s = parse(readFileSync(join(dir, 'synonyms.yaml'), 'utf8'));
  const messages = parse(readFileSync(join(dir, 'messages.yaml'), 'utf8')).messages;
  const links = new Map((parse(readFileSync(join(dir, 'links.yaml'), 'utf8')).links ?? []).map((l: Link) => [l.id, { ...l, pos }]));
  return {
    version: 'lenient', loadedAt: new Date().toISOString(), topics, entries: topics.flatMap((t) => t.entries),
    byId: new Map(entries.map((e) => [e.id, e])), links: links as Content['links'], sources: new Map(),
    offices: { general_rule: '', general_rule_sources: [], offices: [], wards: [] },
    synonyms: { map: s.map, ambiguous: s.ambiguous, stopPhrases: s.stop_phrases },
    messages, golden, warnings: [],
  };
}
