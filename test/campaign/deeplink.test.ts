import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CampaignError,
  TELEGRAM_PAYLOAD_RE,
  isValidStartPayload,
  normalizeUsername,
  resolveBotUsername,
  telegramWardLink,
  wardPayload,
} from '../../src/campaign/index.js';
import { loadContentOrThrow } from '../../src/content/index.js';
import { WARD_CODE_RE } from '../../src/content/parse.js';

describe("Telegram's start payload rule (≤ 64 characters of A-Z a-z 0-9 _ -)", () => {
  it('accepts letters, digits, "_" and "-" up to 64 characters', () => {
    expect(isValidStartPayload('w_cam-ngoc')).toBe(true);
    expect(isValidStartPayload('A'.repeat(64))).toBe(true);
    expect(isValidStartPayload('q_dang-ky-muc-2-o-dau')).toBe(true);
  });

  it('rejects an empty payload, 65 characters, spaces, dots, diacritics and other symbols', () => {
    for (const bad of ['', 'A'.repeat(65), 'w_cam ngoc', 'w_cam.ngoc', 'w_cẩm-ngọc', 'w_a/b', 'w_a+b', 'w_a=b']) {
      expect(isValidStartPayload(bad), bad).toBe(false);
    }
  });

  it('turns a ward code into "w_<code>" and refuses a code that would break the rule', () => {
    expect(wardPayload('cam-ngoc')).toBe('w_cam-ngoc');
    expect(() => wardPayload('x'.repeat(63))).toThrow(CampaignError);
    expect(() => wardPayload('phường-1')).toThrow(/64 ký tự/);
  });

  it('every code the content loader accepts fits the rule, even the longest', () => {
    const longest = 'a-'.repeat(20); // 40 characters, the loader's maximum
    expect(WARD_CODE_RE.test(longest)).toBe(true);
    expect(TELEGRAM_PAYLOAD_RE.test(wardPayload(longest))).toBe(true);
    expect(WARD_CODE_RE.test('a'.repeat(41))).toBe(false);
  });

  it("every shipped ward's link is valid", () => {
    const content = loadContentOrThrow('content');
    expect(content.offices.wards.length).toBeGreaterThan(0);
    for (const w of content.offices.wards) {
      const link = telegramWardLink('VneidHoiDapBot', w.code);
      const payload = new URL(link).searchParams.get('start')!;
      expect(isValidStartPayload(payload), w.code).toBe(true);
    }
  });
});

describe('the ward deep link', () => {
  it('is https://t.me/<bot>?start=w_<code>', () => {
    expect(telegramWardLink('VneidHoiDapBot', 'cam-ngoc')).toBe('https://t.me/VneidHoiDapBot?start=w_cam-ngoc');
    expect(telegramWardLink('@VneidHoiDapBot', 'ha_noi')).toBe('https://t.me/VneidHoiDapBot?start=w_ha_noi');
  });

  it('refuses a username Telegram would not accept', () => {
    expect(normalizeUsername('https://t.me/SomeBot')).toBe('SomeBot');
    for (const bad of ['ab', 'has space bot', 'bot-with-dash', '1startsWithDigit']) expect(() => normalizeUsername(bad), bad).toThrow(CampaignError);
  });
});

describe('the bot username', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  const fakeTelegram = (reply: object) =>
    new Promise<{ root: string; calls: string[] }>((resolve) => {
      const calls: string[] = [];
      server = createServer((req, res) => {
        calls.push(req.url ?? '');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply));
      });
      server.listen(0, '127.0.0.1', () => resolve({ root: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, calls }));
    });

  it('comes from TELEGRAM_BOT_USERNAME without any network call', async () => {
    expect(await resolveBotUsername({ username: '@VneidHoiDapBot', apiRoot: 'http://127.0.0.1:9' })).toBe('VneidHoiDapBot');
  });

  it('comes from getMe when only a token is set', async () => {
    const { root, calls } = await fakeTelegram({ ok: true, result: { id: 1, is_bot: true, username: 'FakeVneidBot' } });
    expect(await resolveBotUsername({ token: '123:secret-token', apiRoot: root })).toBe('FakeVneidBot');
    expect(calls).toEqual(['/bot123:secret-token/getMe']);
  });

  it('says which variable to set when neither is set', async () => {
    await expect(resolveBotUsername({ apiRoot: 'http://127.0.0.1:9' })).rejects.toThrow(/TELEGRAM_BOT_USERNAME/);
  });

  it('a rejected token gives a clear error that never contains the token', async () => {
    const { root } = await fakeTelegram({ ok: false, error_code: 401, description: 'Unauthorized' });
    const err = await resolveBotUsername({ token: '123:secret-token', apiRoot: root }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(CampaignError);
    expect((err as Error).message).toMatch(/Unauthorized.*TELEGRAM_BOT_TOKEN/);
    expect((err as Error).message).not.toContain('secret-token');
  });

  it('an unreachable API gives a clear error that never contains the token', async () => {
    const err = await resolveBotUsername({ token: '123:secret-token', apiRoot: 'http://127.0.0.1:9', timeoutMs: 2000 }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/getMe/);
    expect((err as Error).message).not.toContain('secret-token');
  });
});
