// Hot reload: a content editor breaks a YAML file, then fixes it, while the server keeps answering.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIssue, loadContent } from '../../src/content/index.js';
import type { StateStore } from '../../src/engine/types.js';
import { createRuntime } from '../../src/server/runtime.js';
import { logCapture, startTestServer, tempContent, waitFor, type TestServer } from './helpers.js';

const QUESTION = 'bao lâu phải kích hoạt vneid';
const OLD = 'Bạn cần kích hoạt tài khoản trong vòng 07 ngày';
const NEW = 'Hãy kích hoạt tài khoản chậm nhất 07 ngày sau khi có tin nhắn phê duyệt';

describe('a content editor edits faq/kich-hoat.yaml while the bot runs', () => {
  let s: TestServer;
  let file: string;
  let original: string;
  const ask = async (text: string) => {
    const res = await fetch(`${s.url}api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, chatId: 'reload' }) });
    return (await res.json()) as { plain: string; reply: { entryId?: string }; version: string };
  };
  const health = async () => (await fetch(`${s.url}healthz`)).json();

  beforeAll(async () => {
    s = await startTestServer({ watchMs: 100 });
    file = join(s.dir, 'faq', 'kich-hoat.yaml');
    original = readFileSync(file, 'utf8');
  });
  afterAll(() => s.close());

  it('answers from the version it started with', async () => {
    expect((await ask(QUESTION)).plain).toContain(OLD);
  });

  it('keeps answering with the old version when the edit breaks the YAML, and /healthz shows file:line', async () => {
    const before = s.runtime.content().version;
    // A new answer, but a broken file: a list item pushed out of its indentation.
    writeFileSync(file, original.replace(OLD, NEW).replace('    links: [vneid-web, vneid-ios, hotline]', '   links: [vneid-web'));
    const h = await waitFor(async () => {
      const h = await health();
      return h.reload.ok === false ? h : undefined;
    }, 8000, 'the failed reload');
    expect(h.status).toBe('degraded');
    expect(h.version).toBe(before);
    expect(h.reload.version).toBe(before);
    expect(h.reload.errors.length).toBeGreaterThan(0);
    expect(h.reload.errors[0]).toMatch(/^faq\/kich-hoat\.yaml:\d+:\d+ lỗi/);

    const a = await ask(QUESTION);
    expect(a.plain).toContain(OLD);
    expect(a.plain).not.toContain(NEW);
    expect(a.version).toBe(before);

    const status = await (await fetch(`${s.url}api/status`)).json();
    expect(status.reload.errors).toEqual(h.reload.errors);
    expect(s.logs.join('')).toContain('keeps serving');
  });

  it('serves the new answer once the file is fixed, without a restart', async () => {
    const before = s.runtime.content().version;
    writeFileSync(file, original.replace(OLD, NEW));
    const h = await waitFor(async () => {
      const h = await health();
      return h.reload.ok && h.version !== before ? h : undefined;
    }, 8000, 'the successful reload');
    expect(h.status).toBe('ok');
    expect(h.reload.errors).toEqual([]);
    const a = await ask(QUESTION);
    expect(a.plain).toContain(NEW);
    expect(a.reply.entryId).toBe('kich-hoat-thoi-han');

    const metrics = await (await fetch(`${s.url}metrics`)).text();
    expect(metrics).toMatch(/vneid_content_reload_failures_total [1-9]/);
    expect(metrics).toMatch(/vneid_content_reloads_total [1-9]/);
  });
});

describe('an editor that saves by renaming a temp file over the old one (vim, sed -i)', () => {
  it('picks up two rename-saves in a row, then an in-place write, and clears the error banner on a good save', async () => {
    const s = await startTestServer({ watchMs: 100 });
    try {
      const file = join(s.dir, 'faq', 'kich-hoat.yaml');
      const original = readFileSync(file, 'utf8');
      const renameSave = (text: string) => {
        writeFileSync(`${file}.tmp`, text);
        renameSync(`${file}.tmp`, file);
      };
      const ask = async () =>
        (await (await fetch(`${s.url}api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: QUESTION, chatId: 'rs' }) })).json()).plain as string;
      const answered = (what: string) => waitFor(async () => (await ask()).includes(what), 8000, `the answer "${what}"`);

      renameSave(original.replace(OLD, 'Lần sửa thứ nhất: kích hoạt trong 07 ngày'));
      await answered('Lần sửa thứ nhất');
      renameSave(original.replace(OLD, 'Lần sửa thứ hai: kích hoạt trong 07 ngày'));
      await answered('Lần sửa thứ hai');
      // A broken rename-save, then a good one: the banner (reload.ok false) goes away.
      renameSave(original.replace('    links: [vneid-web, vneid-ios, hotline]', '   links: [vneid-web'));
      await waitFor(() => s.runtime.status().ok === false, 8000, 'the failed reload');
      writeFileSync(file, original.replace(OLD, 'Lần sửa thứ ba: kích hoạt trong 07 ngày')); // in place, after renames
      await answered('Lần sửa thứ ba');
      expect(s.runtime.status()).toMatchObject({ ok: true, errors: [] });
    } finally {
      await s.close();
    }
  }, 30_000);
});

describe('the runtime', () => {
  it('hands every engine version the same conversation store, and swaps content and engine together', () => {
    const { dir, cleanup } = tempContent();
    try {
      const first = loadContent(dir);
      if (!first.ok) throw new Error('fixture must load');
      const built: { version: string; store: StateStore }[] = [];
      const store: StateStore = { get: () => undefined, set: () => {}, delete: () => {} };
      const runtime = createRuntime({
        contentDir: dir,
        content: first.content,
        load: loadContent,
        formatIssue,
        createEngine: ({ content, store }) => {
          built.push({ version: content.version, store });
          return { handle: () => ({ kind: 'command', blocks: [content.version], links: [], qr: [], choices: [] }) };
        },
        store,
        logger: logCapture().logger,
      });
      const file = join(dir, 'faq', 'kich-hoat.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace(OLD, NEW));
      const status = runtime.reload();
      expect(status.ok).toBe(true);
      expect(built).toHaveLength(2);
      expect(built[0].store).toBe(store);
      expect(built[1].store).toBe(store);
      expect(runtime.engine().handle({ channel: 'web', chatId: 'x', kind: 'text', text: '' }).blocks[0]).toBe(runtime.content().version);
      // Reloading unchanged files rebuilds nothing.
      runtime.reload();
      expect(built).toHaveLength(2);
    } finally {
      cleanup();
    }
  });
});

describe('a machine where the content directory cannot be watched (inotify limit, missing directory)', () => {
  it('keeps serving without hot reload and says so in the log, instead of failing to start', () => {
    const { dir, cleanup } = tempContent();
    try {
      const first = loadContent(dir);
      if (!first.ok) throw new Error(first.errors.map(formatIssue).join('\n'));
      const { logger, lines } = logCapture();
      const runtime = createRuntime({
        contentDir: join(dir, 'no-such-dir'),
        content: first.content,
        load: loadContent,
        formatIssue,
        createEngine: () => ({ handle: () => ({ kind: 'command', blocks: ['ok'], links: [], qr: [], choices: [] }) }),
        store: { get: () => undefined, set: () => {}, delete: () => {} },
        logger,
      });
      expect(() => runtime.watch()).not.toThrow();
      expect(lines.join('')).toContain('hot reload is off');
      expect(runtime.engine().handle({ channel: 'web', chatId: 'x', kind: 'text', text: 'hi' }).blocks).toEqual(['ok']);
      runtime.close();
    } finally {
      cleanup();
    }
  });
});
