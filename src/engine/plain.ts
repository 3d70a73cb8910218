// Renders a Reply as the plain text a resident reads: used by the terminal chat, the `ask --jsonl`
// contract, and channels without rich formatting (Zalo).
import type { Messages } from '../content/types.js';
import type { Reply } from './types.js';

export interface PlainOptions {
  /** Number the choices "1. …" and add the "type a number" hint (Zalo, terminal). Default true. */
  numbered?: boolean;
  /** Hint shown under a numbered list (messages.yaml → choose_number). */
  chooseHint?: string;
  /** Label before the links (messages.yaml → links_intro). */
  linksIntro?: string;
  /** Mark for unverified links (messages.yaml → unverified_link). */
  unverifiedMark?: string;
}

export function replyToPlainText(reply: Reply, opts: PlainOptions = {}): string {
  const numbered = opts.numbered ?? true;
  const parts: string[] = reply.blocks.filter((b) => b.trim() !== '').map((b) => b.trim());
  // QR codes point at links too; show each URL once.
  const links = [...reply.links];
  for (const q of reply.qr) if (!links.some((l) => l.url === q.url)) links.push({ id: q.linkId, title: q.title, url: q.url, verified: true });
  if (links.length) {
    const lines = links.map((l) => {
      const mark = l.verified ? '' : ` ${opts.unverifiedMark ?? '(chưa xác minh)'}`;
      const url = l.url.startsWith('tel:') ? l.url.slice(4) : l.url;
      return `- ${l.title}: ${url}${mark}`;
    });
    parts.push([opts.linksIntro ?? 'Đường dẫn:', ...lines].join('\n'));
  }
  if (reply.choices.length) {
    const lines = reply.choices.map((c, i) => (numbered ? `${i + 1}. ${c.label}` : `- ${c.label}`));
    if (reply.choicesIntro) lines.unshift(reply.choicesIntro);
    if (numbered && opts.chooseHint) lines.push(opts.chooseHint);
    parts.push(lines.join('\n'));
  }
  return parts.join('\n\n');
}

/** Plain-text options taken from content/messages.yaml. */
export function plainOptions(messages: Messages, numbered = true): PlainOptions {
  return {
    numbered,
    chooseHint: messages.choose_number,
    linksIntro: messages.links_intro,
    unverifiedMark: messages.unverified_link,
  };
}
