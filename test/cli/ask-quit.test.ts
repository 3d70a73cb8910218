// The terminal chat ends on "thoát"/"exit" (never answered as a question); "ad ơi" alone is a greeting.
import { describe, expect, it } from 'vitest';
import { isQuit, QUIT_HINT } from '../../src/cli/ask.js';
import { smalltalkKey } from '../../src/engine/smalltalk.js';

describe('npm run ask', () => {
  it('quits on thoát, thoat, exit, quit, /quit (any case, spaces around), not on questions containing them', () => {
    for (const w of ['thoát', 'Thoát ', 'thoat', 'exit', 'EXIT', 'quit', '/quit', '/exit', 'tho\u0061\u0301t']) expect(isQuit(w), w).toBe(true);
    for (const w of ['thoát khỏi tài khoản thế nào', 'exit app', '']) expect(isQuit(w), w).toBe(false);
    expect(QUIT_HINT).toContain('thoát');
  });
});

describe('calling the bot', () => {
  it('"ad ơi" and the like alone are a greeting; with a question they are not small talk', () => {
    for (const t of ['ad ơi', 'Ad ơi!', 'admin ơi ạ', 'bạn ơi', 'chào ad ơi', 'em ơi']) expect(smalltalkKey(t), t).toBe('smalltalk_hello');
    expect(smalltalkKey('cảm ơn ad ơi')).toBe('smalltalk_thanks');
    for (const t of ['ad ơi đăng ký mức 2 ở đâu', 'ơi']) expect(smalltalkKey(t), t).toBeUndefined();
  });
});
