// The default conversation-state store: in memory, bounded (least recently used evicted) with a TTL.
import type { ChatState, Clock, StateStore } from './types.js';

export interface MemoryStoreOptions {
  /** Most chats kept at once (default 10 000; each state is a few hundred bytes). */
  max?: number;
  /** Idle time after which a chat's state is forgotten, in ms (default 6 hours). */
  ttlMs?: number;
  clock?: Clock;
}

export function createMemoryStore(opts: MemoryStoreOptions = {}): StateStore {
  const max = opts.max ?? 10_000;
  const ttlMs = opts.ttlMs ?? 6 * 60 * 60 * 1000;
  const clock = opts.clock ?? { now: () => Date.now() };
  // A Map iterates in insertion order: re-inserting on access keeps the least recently used first.
  // The store keeps its own timestamps: it does not trust the caller's clock.
  const map = new Map<string, { state: ChatState; at: number }>();

  return {
    get(key) {
      const hit = map.get(key);
      if (!hit) return undefined;
      if (clock.now() - hit.at > ttlMs) {
        map.delete(key);
        return undefined;
      }
      map.delete(key);
      map.set(key, hit);
      return hit.state;
    },
    set(key, state) {
      map.delete(key);
      map.set(key, { state, at: clock.now() });
      while (map.size > max) map.delete(map.keys().next().value as string);
    },
    delete(key) {
      map.delete(key);
    },
  };
}
