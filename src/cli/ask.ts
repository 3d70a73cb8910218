// `npm run ask`: try the bot in a terminal, as a resident reads it.
//
//   npm run ask                      interactive chat; type a number to pick from the last list
//   npm run ask -- --debug           also shows the match key, the top candidates and the decision
//   npm run --silent ask -- --jsonl  one question per stdin line → one JSON object per line (ARCHITECTURE.md:
//                                    { q, kind, id, score, text, candidates: [{ id, score, text }] })
//
// Content comes from CONTENT_DIR (default "content"). Only the replies go to stdout; everything else
// (content errors, notes) goes to stderr.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { formatIssue, loadContent } from '../content/index.js';
import type { Content } from '../content/types.js';
import { createEngine, createMemoryStore, plainOptions, replyToPlainText } from '../engine/index.js';
import type { Engine, Reply } from '../engine/types.js';

/** One line of the --jsonl contract, keys in this order. */
export interface JsonlLine {
  q: string;
  kind: Reply['kind'];
  id: string | null;
  score: number | null;
  text: string;
  candidates: { id: string; score: number; text: string }[];
}

/** The reply to one independent question as a --jsonl object. */
export function toJsonl(q: string, reply: Reply, content: Content): JsonlLine {
  const candidates = (reply.debug?.candidates ?? []).slice(0, 3).map((c) => ({
    id: c.id,
    score: c.score,
    text: content.byId.get(c.id)?.answer.trim() ?? '',
  }));
  return {
    q,
    kind: reply.kind,
    id: reply.entryId ?? null,
    score: reply.score ?? null,
    text: replyToPlainText(reply, plainOptions(content.messages)),
    candidates,
  };
}

/** Reads questions line by line and writes one JSON object per line; each line is a fresh chat. */
export async function runJsonl(engine: Engine, content: Content, input: Readable, output: Writable): Promise<void> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n += 1;
    const q = line.replace(/\r$/, '');
    const reply = engine.handle({ channel: 'cli', chatId: `jsonl-${n}`, kind: 'text', text: q });
    output.write(`${JSON.stringify(toJsonl(q, reply, content))}\n`);
  }
}

function debugLines(reply: Reply): string {
  const d = reply.debug;
  if (!d) return `  [debug] kind ${reply.kind} (no match)`;
  const cands = d.candidates.map((c, i) => `  ${i + 1}. ${c.id}  ${c.score.toFixed(3)}  «${c.question}»`);
  const extra = [
    reply.alsoEntryId ? `second question answered: ${reply.alsoEntryId}` : '',
    reply.scopeId ? `out of scope: ${reply.scopeId}` : '',
  ].filter(Boolean);
  return [`  [debug] normalized: "${d.normalized}"  decision: ${d.decision}  kind: ${reply.kind}${extra.length ? `  (${extra.join('; ')})` : ''}`, ...cands].join('\n');
}

export const QUIT_HINT = '(Gõ "thoát" hoặc "exit", hay bấm Ctrl-D, để kết thúc.)';

/** "thoát", "thoat", "exit", "quit", "/quit", "/exit" alone end the terminal chat (they are never questions here). */
export function isQuit(line: string): boolean {
  return /^\/?(?:exit|quit|thoát|thoat|q)$/i.test(line.normalize('NFC').trim());
}

/** Interactive chat: one conversation, numbers pick from the last list. */
async function runChat(engine: Engine, content: Content, debug: boolean): Promise<void> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  const say = (reply: Reply): void => {
    process.stdout.write(`\nBot:\n${replyToPlainText(reply, plainOptions(content.messages))}\n`);
    if (debug) process.stdout.write(`${debugLines(reply)}\n`);
    process.stdout.write('\n');
  };
  say(engine.handle({ channel: 'cli', chatId: 'terminal', kind: 'text', text: '/start' }));
  process.stdout.write(`${QUIT_HINT}\n\n`);
  rl.setPrompt('Bạn: ');
  rl.prompt();
  for await (const line of rl) {
    if (isQuit(line)) break;
    say(engine.handle({ channel: 'cli', chatId: 'terminal', kind: 'text', text: line }));
    rl.prompt();
  }
  rl.close();
}

export async function main(argv: string[]): Promise<number> {
  const dir = process.env.CONTENT_DIR || 'content';
  const loaded = loadContent(dir);
  if (!loaded.ok) {
    process.stderr.write(`Nội dung trong "${dir}" có lỗi, chưa chạy được:\n`);
    for (const e of loaded.errors) process.stderr.write(`  ${formatIssue(e)}\n`);
    return 1;
  }
  const content = loaded.content;
  const engine = createEngine({ content, store: createMemoryStore({ max: 10_000 }) });
  if (argv.includes('--jsonl')) {
    await runJsonl(engine, content, process.stdin, process.stdout);
    return 0;
  }
  await runChat(engine, content, argv.includes('--debug'));
  return 0;
}

// Run when executed directly (tsx src/cli/ask.ts), not when imported by tests.
if (process.argv[1] && /ask\.[cm]?[jt]s$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`ask: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
