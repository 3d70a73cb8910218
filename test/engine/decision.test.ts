// What a resident sees for the matcher's richer decisions: an answer that is likely but not certain (the close
// runners-up offered under it), two questions in one message (both answered), and a near-domain question
// (one clear out-of-scope reply, then the topics).
import { describe, expect, it } from 'vitest';
import { createEngine, createMemoryStore, plainOptions, replyToPlainText } from '../../src/engine/index.js';
import { makeContent, tableMatcher } from './fixture.js';

const c = (id: string, score: number) => ({ id, score, question: id });
function setup() {
  const content = makeContent();
  const matcher = tableMatcher({
    'hoi chua chac': {
      decision: 'answer',
      candidates: [c('kich-hoat-thoi-han', 0.4), c('kich-hoat-cac-buoc', 0.45)],
      alternatives: [c('kich-hoat-cac-buoc', 0.45)],
    },
    'hai cau': {
      decision: 'answer',
      candidates: [c('kich-hoat-thoi-han', 0.2), c('kich-hoat-cac-buoc', 0.5)],
      also: c('kich-hoat-cac-buoc', 0.3),
    },
    'lam ho chieu': { decision: 'out-of-scope', candidates: [c('kich-hoat-cac-buoc', 0.6)], scope: { id: 'ho-chieu', name: 'hộ chiếu' } },
  });
  const engine = createEngine({ content, matcher, store: createMemoryStore() });
  const say = (text: string) => engine.handle({ channel: 'cli', chatId: 'c1', kind: 'text', text });
  return { content, say };
}

describe('an answer that is likely but not certain', () => {
  it('answers, and offers the runner-up first under "Nếu tôi hiểu chưa đúng…"', () => {
    const { content, say } = setup();
    const r = say('hoi chua chac');
    expect(r.kind).toBe('answer');
    expect(r.entryId).toBe('kich-hoat-thoi-han');
    expect(r.choicesIntro).toBe(content.messages.alternatives_intro);
    expect(r.choices[0].payload).toBe('e:kich-hoat-cac-buoc');
    expect(new Set(r.choices.map((x) => x.payload)).size).toBe(r.choices.length);
  });
  it('"1" then opens the runner-up', () => {
    const { say } = setup();
    say('hoi chua chac');
    const r = say('1');
    expect(r.entryId).toBe('kich-hoat-cac-buoc');
  });
});

describe('two questions in one message', () => {
  it('answers both, the second under its own intro, with both entries\' links', () => {
    const { content, say } = setup();
    const r = say('hai cau');
    expect(r.kind).toBe('answer');
    expect(r.entryId).toBe('kich-hoat-thoi-han');
    expect(r.alsoEntryId).toBe('kich-hoat-cac-buoc');
    expect(r.blocks).toContain(content.messages.also_intro);
    expect(r.blocks.at(-1)).toBe(content.byId.get('kich-hoat-cac-buoc')!.answer.trim());
    expect(new Set(r.links.map((l) => l.id)).size).toBe(r.links.length);
    const text = replyToPlainText(r, plainOptions(content.messages));
    expect(text.indexOf(content.byId.get('kich-hoat-thoi-han')!.answer.trim().slice(0, 30))).toBeLessThan(text.indexOf(content.messages.also_intro));
  });
});

describe('a near-domain question (passport, driving licence…)', () => {
  it('gets the out-of-scope reply naming the subject, then the topic menu — not a list of e-ID entries', () => {
    const { say } = setup();
    const r = say('lam ho chieu');
    expect(r.kind).toBe('out-of-scope');
    expect(r.scopeId).toBe('ho-chieu');
    expect(r.blocks[0]).toContain('hộ chiếu');
    expect(r.blocks[0]).toContain('VNeID');
    expect(r.choices.every((x) => x.payload.startsWith('t:'))).toBe(true);
    expect(r.entryId).toBeUndefined();
  });
  it('does not count as a fallback: the next unmatched question gets the first fallback, not the repeat', () => {
    const { content, say } = setup();
    say('lam ho chieu');
    const r = say('xyz khong khop');
    expect(r.kind).toBe('fallback');
    expect(r.blocks[0]).toBe(content.messages.fallback.trim().replace('{hotline}', content.messages.hotline));
  });
});

describe('on the shipped content, through the real matcher and both channels\' renderers', async () => {
  const { loadContentOrThrow } = await import('../../src/content/index.js');
  const telegram = await import('../../src/channels/telegram/adapter.js');
  const zalo = await import('../../src/channels/zalo/adapter.js');
  const content = loadContentOrThrow('content');
  const engine = createEngine({ content, store: createMemoryStore() });
  const ask = (text: string) => engine.handle({ channel: 'cli', chatId: `c${Math.random()}`, kind: 'text', text });

  it('a two-question message fits each platform\'s limits, every part of both answers delivered', () => {
    const r = ask('quên passcode vneid thì làm sao? đổi số điện thoại cho vneid ở đâu?');
    expect(r.entryId).toBe('su-co-quen-passcode');
    expect(r.alsoEntryId).toBe('su-co-doi-so-dien-thoai');
    const tg = telegram.renderReply(r, content.messages);
    for (const m of tg) if (m.type === 'text') expect(m.html.length).toBeLessThanOrEqual(4096);
    const tgText = tg.map((m) => (m.type === 'text' ? m.plain : '')).join('\n');
    const za = zalo.renderReply(r, { messages: content.messages });
    for (const m of za) if (m.type === 'text') expect(m.text.length).toBeLessThanOrEqual(zalo.ZALO_TEXT_LIMIT);
    for (const id of ['su-co-quen-passcode', 'su-co-doi-so-dien-thoai']) {
      const firstLine = content.byId.get(id)!.answer.trim().split('\n')[0];
      expect(tgText).toContain(firstLine);
    }
  });

  it('a near-domain question gets the out-of-scope reply on the real matcher', () => {
    const r = ask('làm hộ chiếu online ở đâu ạ');
    expect(r.kind).toBe('out-of-scope');
    expect(r.blocks.join('\n')).toContain('hộ chiếu');
  });
});

describe('the feedback texts come from messages.yaml, with built-in defaults', () => {
  it('a reworded feedback_up / feedback_thanks is what the resident sees', () => {
    const base = makeContent();
    const content = { ...base, messages: { ...base.messages, feedback_up: '👍 Đúng rồi', feedback_thanks: 'Cảm ơn bác!' } };
    const engine = createEngine({
      content,
      matcher: tableMatcher({ 'bao lau': { decision: 'answer', candidates: [c('kich-hoat-thoi-han', 0.05)] } }),
      store: createMemoryStore(),
    });
    const r = engine.handle({ channel: 'cli', chatId: 'f', kind: 'text', text: 'bao lau' });
    expect(r.feedback?.up.label).toBe('👍 Đúng rồi');
    expect(r.feedback?.prompt).toBe(base.messages.feedback_prompt);
    const t = engine.handle({ channel: 'cli', chatId: 'f', kind: 'choice', text: r.feedback!.up.payload });
    expect(t.blocks).toEqual(['Cảm ơn bác!']);
  });
  it('a content folder without them still loads and offers the built-in texts', async () => {
    const { FEEDBACK_TEXT } = await import('../../src/feedback/protocol.js');
    const base = makeContent();
    const messages = { ...base.messages, feedback_up: '', feedback_prompt: '' };
    const engine = createEngine({
      content: { ...base, messages },
      matcher: tableMatcher({ 'bao lau': { decision: 'answer', candidates: [c('kich-hoat-thoi-han', 0.05)] } }),
      store: createMemoryStore(),
    });
    const r = engine.handle({ channel: 'cli', chatId: 'g', kind: 'text', text: 'bao lau' });
    expect(r.feedback?.up.label).toBe(FEEDBACK_TEXT.up);
    expect(r.feedback?.prompt).toBe(FEEDBACK_TEXT.prompt);
  });
});
