// Remembers recently seen message ids so that a message Zalo delivers twice is answered once.
// Bounded in size (oldest first out) and in time (entries expire after `ttlMs`).

export interface Dedupe {
  /** true when `key` is new (and remembers it); false when it was seen within the TTL. */
  add(key: string): boolean;
  readonly size: number;
}

export function createDedupe(opts: { max: number; ttlMs: number; now?: () => number }): Dedupe {
  const now = opts.now ?? Date.now;
  /** key → epoch ms first seen; Map keeps insertion order, so the first key is the oldest. */
  const seen = new Map<string, number>();
  return {
    add(key) {
      const t = now();
      // Drop expired entries from the old end.
      for (const [k, at] of seen) {
        if (t - at < opts.ttlMs) break;
        seen.delete(k);
      }
      if (seen.has(key)) return false;
      seen.set(key, t);
      while (seen.size > opts.max) seen.delete(seen.keys().next().value as string);
      return true;
    },
    get size() {
      return seen.size;
    },
  };
}
