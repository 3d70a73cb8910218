// The conversation engine's public surface.
export { createEngine, ENGINE_LIMITS, type EngineOptions } from './engine.js';
export { createMemoryStore, type MemoryStoreOptions } from './store.js';
export { plainOptions, replyToPlainText, type PlainOptions } from './plain.js';
export { smalltalkKey } from './smalltalk.js';
export type * from './types.js';
