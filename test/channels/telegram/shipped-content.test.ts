// Every reply the shipped content can produce fits Telegram: HTML that parses, texts ≤ 4,096, captions
// ≤ 1,024, callback_data ≤ 64 ASCII bytes, and no choice dropped on the way.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderReply, type RenderTexts } from '../../../src/channels/telegram/adapter.js';
import { loadContentOrThrow } from '../../../src/content/index.js';
import { createEngine } from '../../../src/engine/index.js';
import type { IncomingMessage } from '../../../src/engine/types.js';
import { parseHtml } from './fake-api.js';

const CONTENT_DIR = fileURLToPath(new URL('../../../content', import.meta.url));

describe('the shipped content on Telegram', () => {
  it('renders every entry, topic and command within Telegram limits', () => {
    const content = loadContentOrThrow(CONTENT_DIR);
    const engine = createEngine({ content });
    const texts = content.messages as unknown as RenderTexts;
    const inputs: IncomingMessage[] = [
      ...['/start', '/menu', '/help', '/lienhe', '/start w_khong-co', 'xin chao'].map((text) => ({ kind: 'text' as const, text })),
      ...content.topics.map((t) => ({ kind: 'choice' as const, text: `t:${t.id}` })),
      ...content.entries.map((e) => ({ kind: 'choice' as const, text: `e:${e.id}` })),
      ...content.offices.wards.map((w) => ({ kind: 'text' as const, text: `/start w_${w.code}` })),
    ].map((m, i) => ({ channel: 'telegram' as const, chatId: String(i), ...m }));

    let answers = 0;
    for (const msg of inputs) {
      const reply = engine.handle(msg);
      if (reply.kind === 'answer') answers++;
      const out = renderReply(reply, texts);
      let callbacks = 0;
      for (const o of out) {
        if (o.type === 'text') {
          const parsed = parseHtml(o.html, true);
          expect(parsed.ok, `${msg.text}: ${JSON.stringify(parsed)}`).toBe(true);
          expect(o.html.length).toBeLessThanOrEqual(4096);
          for (const b of o.keyboard?.flat() ?? []) {
            expect(b.text.trim()).not.toBe('');
            if (b.callback_data !== undefined) {
              callbacks++;
              expect(b.callback_data).toMatch(/^[\x21-\x7e]{1,64}$/);
            } else expect(b.url).toMatch(/^https?:\/\//);
          }
        } else {
          expect(parseHtml(o.caption, true).ok).toBe(true);
          expect(o.caption.length).toBeLessThanOrEqual(1024);
          expect(o.plainCaption).toContain(o.url);
        }
      }
      // Every choice becomes a button, and an answer's 👍/👎 two more.
      expect(callbacks, `${msg.text}: every choice becomes a button`).toBe(reply.choices.length + (reply.feedback ? 2 : 0));
    }
    expect(answers).toBe(content.entries.length);
  });
});
