// Through the real engine on the shipped content: ward links change the "where" answer, and every reply
// reaches the store through the same hooks the server mounts (counts per ward, picks, masking).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadContentOrThrow } from '../../src/content/index.js';
import { createEngine } from '../../src/engine/index.js';
import type { Engine, IncomingMessage, Reply } from '../../src/engine/types.js';
import { createLogger } from '../../src/log.js';
import { schedulePurge, usageHooks } from '../../src/server/usage.js';
import { openUsageStore, type UsageStore } from '../../src/store/usage.js';

const content = loadContentOrThrow('content');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'vneid-ward-'));
  dirs.push(d);
  return d;
};

const NOW = Date.parse('2026-11-23T09:00:00Z');

/** A chat: the engine answers, the hook records, like the server does. */
function chat(engine: Engine, store: UsageStore | undefined, channel: IncomingMessage['channel'], chatId: string) {
  const hooks = store && usageHooks(store, () => NOW);
  return {
    say(text: string): Reply {
      const msg: IncomingMessage = { channel, chatId, kind: 'text', text };
      const reply = engine.handle(msg);
      hooks?.onReply(msg, reply, 0);
      return reply;
    },
    press(payload: string): Reply {
      const msg: IncomingMessage = { channel, chatId, kind: 'choice', text: payload };
      const reply = engine.handle(msg);
      hooks?.onReply(msg, reply, 0);
      return reply;
    },
  };
}

const cam = content.offices.wards.find((w) => w.code === 'cam-ngoc')!;

describe('a resident who came through a ward link asks where to go', () => {
  const engine = createEngine({ content });

  it('sees their ward\'s police office first, with its date, then the general rule', () => {
    const c = chat(engine, undefined, 'telegram', 'w1');
    expect(c.say('/start w_cam-ngoc').blocks.join('\n')).toContain(cam.name);
    const r = c.say('dk muc 2 o dau');
    expect(r).toMatchObject({ kind: 'answer', entryId: 'dang-ky-muc-2-o-dau', ward: 'cam-ngoc' });
    expect(r.blocks[0]).toContain(cam.office);
    expect(r.blocks[0]).toContain('06/2023'); // as_of 2023-06: the address is a fact as of that date
    expect(r.blocks[1]).toBe(content.byId.get('dang-ky-muc-2-o-dau')!.answer.trim());
  });

  it('without a ward link: the general rule only', () => {
    const r = chat(engine, undefined, 'telegram', 'w2').say('dk muc 2 o dau');
    expect(r.entryId).toBe('dang-ky-muc-2-o-dau');
    expect(r.blocks.join('\n')).not.toContain(cam.office);
    expect(r.ward).toBeUndefined();
  });

  it('every entry marked ward_office shows the office; other answers do not', () => {
    const marked = content.entries.filter((e) => e.wardOffice).map((e) => e.id);
    expect(marked).toEqual(expect.arrayContaining(['dang-ky-muc-2-o-dau', 'co-quan-cong-an-xa']));
    const c = chat(engine, undefined, 'zalo', 'w3');
    c.say('/start w_cam-ngoc');
    for (const id of marked) expect(c.press(`e:${id}`).blocks[0], id).toContain(cam.office);
    const other = content.entries.find((e) => !e.wardOffice)!;
    expect(c.press(`e:${other.id}`).blocks.join('\n')).not.toContain(cam.office);
  });
});

describe('usage counts through the hooks', () => {
  it('counts replies per ward and channel', () => {
    const store = openUsageStore({ dataDir: tempDir(), retentionDays: 90 });
    const engine = createEngine({ content });
    for (const id of ['a', 'b', 'c']) {
      const c = chat(engine, store, 'telegram', id);
      c.say('/start w_cam-ngoc');
      c.say('dk muc 2 o dau');
    }
    const h = chat(engine, store, 'telegram', 'd');
    h.say('/start w_ha-dong');
    h.say('dk muc 2 o dau');
    chat(engine, store, 'zalo', 'e').say('dk muc 2 o dau');
    const usage = store.report(1, NOW).usage;
    const count = (channel: string, ward: string, kind: string) => usage.find((u) => u.channel === channel && u.ward === ward && u.kind === kind)?.count;
    expect(count('telegram', 'cam-ngoc', 'answer')).toBe(3);
    expect(count('telegram', 'cam-ngoc', 'command')).toBe(3);
    expect(count('telegram', 'ha-dong', 'answer')).toBe(1);
    expect(count('zalo', '', 'answer')).toBe(1);
    store.close();
  });

  it('links a suggestion the resident picked to the question they typed', () => {
    const store = openUsageStore({ dataDir: tempDir(), retentionDays: 90 });
    const engine = createEngine({ content });
    // Find a phrasing the shipped content answers with "Ý bạn là…?" (suggest).
    const probe = createEngine({ content });
    const tries = ['kich hoat', 'tai khoan', 'mat khau', 'dinh danh', 'vneid loi', 'cccd', 'gia vang hom nay', 'dien thoai'];
    const q = tries.find((t) => probe.handle({ channel: 'cli', chatId: t, kind: 'text', text: t }).kind === 'suggest');
    expect(q, 'one of the probe phrasings gets suggestions').toBeDefined();
    const c = chat(engine, store, 'telegram', 'p');
    const s = c.say(q!);
    expect(s.kind).toBe('suggest');
    const picked = s.choices[0].payload.slice(2);
    expect(c.say('1')).toMatchObject({ kind: 'answer', entryId: picked }); // a bare number picks too
    const r = store.report(1, NOW);
    expect(r.picks).toEqual([expect.objectContaining({ example: q, pickedId: picked, count: 1 })]);
    expect(r.unanswered[0]).toMatchObject({ count: 1, example: q, kinds: 'suggest' });
    store.close();
  });

  it('typed personal data never reaches the database in clear (12-digit number, phone, e-mail, 6-digit code)', () => {
    const dir = tempDir();
    const store = openUsageStore({ dataDir: dir, retentionDays: 90 });
    const engine = createEngine({ content });
    const r = chat(engine, store, 'zalo', 'pii').say('xin chao qwerty zxcv 001203004567 0912 345 678 an.nguyen@gmail.com ma 482913');
    expect(['fallback', 'suggest']).toContain(r.kind);
    store.flush();
    const raw = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f)).toString('latin1'))
      .join('');
    store.close();
    const after = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f)).toString('latin1'))
      .join('');
    for (const secret of ['001203004567', '0912 345 678', '0912345678', 'an.nguyen@gmail.com', '482913']) {
      expect(raw).not.toContain(secret);
      expect(after).not.toContain(secret);
    }
    const again = openUsageStore({ dataDir: dir, retentionDays: 90 });
    expect(again.report(1, NOW).unanswered[0].example).toContain('[số định danh]');
    again.close();
  });

  it('button presses and commands are counted but their text is never kept as a question', () => {
    const store = openUsageStore({ dataDir: tempDir(), retentionDays: 90 });
    const c = chat(createEngine({ content }), store, 'telegram', 'cmd');
    c.say('/start w_quan-12');
    c.say('/menu');
    c.press('m');
    const r = store.report(1, NOW);
    expect(r.unanswered).toEqual([]);
    expect(r.usage.reduce((n, u) => n + u.count, 0)).toBe(3);
    store.close();
  });
});

describe('retention', () => {
  it('rows older than RETENTION_DAYS are purged at start (and then daily)', () => {
    const dir = tempDir();
    const store = openUsageStore({ dataDir: dir, retentionDays: 30 });
    store.recordReply('x', { ts: Date.now() - 45 * 86_400_000, channel: 'zalo', kind: 'fallback', text: 'cu', normalized: 'cu' });
    store.recordReply('y', { ts: Date.now(), channel: 'zalo', kind: 'fallback', text: 'moi', normalized: 'moi' });
    const stop = schedulePurge(store, createLogger({ level: 'silent' }));
    stop();
    expect(store.report(365).unanswered.map((u) => u.normalized)).toEqual(['moi']);
    store.close();
  });
});
