// Splitting long replies into platform-sized messages (Telegram 4096, Zalo 2000 characters).

const SEPARATORS = ['\n\n', '\n', ' '];

/**
 * Splits text into pieces whose `measure` is at most `limit`, preferring paragraph breaks, then line
 * breaks, then spaces; a single word longer than the limit is cut between characters (never inside a
 * surrogate pair). Pieces are trimmed and never empty. `measure` lets Telegram count escaped HTML.
 */
export function splitText(text: string, limit: number, measure: (s: string) => number = (s) => s.length): string[] {
  const split = (t: string, level: number): string[] => {
    if (measure(t) <= limit) return [t];
    if (level >= SEPARATORS.length) return hardCut(t, limit, measure);
    const sep = SEPARATORS[level];
    const parts = t.split(sep);
    if (parts.length === 1) return split(t, level + 1);
    const out: string[] = [];
    let cur: string | null = null;
    for (const part of parts) {
      const joined: string = cur === null ? part : cur + sep + part;
      if (measure(joined) <= limit) {
        cur = joined;
        continue;
      }
      if (cur !== null) out.push(cur);
      const pieces = split(part, level + 1);
      out.push(...pieces.slice(0, -1));
      cur = pieces[pieces.length - 1];
    }
    if (cur !== null) out.push(cur);
    return out;
  };
  return split(text, 0)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function hardCut(text: string, limit: number, measure: (s: string) => number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const ch of text) {
    if (cur && measure(cur + ch) > limit) {
      out.push(cur);
      cur = '';
    }
    cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}
