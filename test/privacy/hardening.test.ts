// Hostile inputs to the privacy helpers: huge texts stay cheap, scrubbing keeps host names, stored text is clean.
import { describe, expect, it } from 'vitest';
import { redactSecrets, safeText } from '../../src/log.js';
import { maskPii } from '../../src/privacy/pii.js';
import { sanitizeText } from '../../src/store/usage.js';

describe('masking a 60 KB text', () => {
  // Counted, not timed: the e-mail pattern used to try every start position of a long run (quadratic).
  it('masks an e-mail after 60 000 digits and letters, and keeps the masking of short texts', () => {
    const long = '1'.repeat(30_000) + 'a'.repeat(30_000) + ' lienhe abc.d@mail.vn cccd 001203004567';
    const out = maskPii(long);
    expect(out.endsWith(' lienhe [email] cccd [số định danh]')).toBe(true);
    expect(maskPii('email: nguyen.van.a@gmail.com, sdt 0912 345 678')).toBe('email: [email], sdt [sđt]');
  });

  it('safeText and sanitizeText cut first, so their output is short and masked', () => {
    expect(safeText('cccd 001203004567 ' + 'x'.repeat(100_000)).length).toBeLessThanOrEqual(80);
    expect(safeText('cccd 001203004567 ' + 'x'.repeat(100_000))).toContain('[số định danh]');
    expect(sanitizeText('sdt 0912345678 ' + '9'.repeat(100_000)).length).toBeLessThanOrEqual(300);
  });
});

describe('redactSecrets', () => {
  it('removes a token path segment but keeps host names that start with "bot"', () => {
    expect(redactSecrets('GET https://api.telegram.org/bot7123456789:AAH-abc_def/sendMessage failed')).toBe(
      'GET https://api.telegram.org/bot[redacted]/sendMessage failed',
    );
    expect(redactSecrets('https://bot-api.zaloplatforms.com/bot1234567890:xyzABC/sendMessage')).toBe('https://bot-api.zaloplatforms.com/bot[redacted]/sendMessage');
    expect(redactSecrets('webhook https://bot.example.vn/webhook/telegram')).toBe('webhook https://bot.example.vn/webhook/telegram');
    expect(redactSecrets('see http://bots.example.org/x and //botanic.vn/')).toBe('see http://bots.example.org/x and //botanic.vn/');
  });
});

describe('sanitizeText (what the store keeps)', () => {
  it('drops NUL, control characters, bidi overrides and broken UTF-16', () => {
    const s = sanitizeText('a\u0000b\u0007c\u001b[31m d\u202Ee \uD800f \uDC00g \u{1F600}');
    expect(s).toBe('abc[31m de f g \u{1F600}');
    expect(Buffer.from(s, 'utf8').toString('utf8')).toBe(s); // valid UTF-8 round trip
  });
  it('turns tabs and newlines into single spaces', () => {
    expect(sanitizeText('hỏi\t\tvề\r\nVNeID')).toBe('hỏi về VNeID');
  });
});
