// End to end: the Telegram channel against a fake Bot API server on 127.0.0.1, in polling and webhook mode.
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BOT } from './fake-api.js';
import { GROUP, PRIVATE, SECRET, TOKEN, buttons, fixtureContent, media, press, startHarness, text, withEntry, type Harness, type Mode } from './harness.js';

// jsqr is CommonJS with a default export: under NodeNext the default import may be the module object.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule.default }).default ?? jsQRModule) as typeof jsQRModule.default;

const CHAT = PRIVATE.id;
const msgs = fixtureContent().messages as unknown as Record<string, string>;
const shown = (h: Harness) => h.api.delivered(CHAT).map((c) => c.shown ?? '');
const tokenSecretPart = TOKEN.split(':')[1];

describe.each<Mode>(['polling', 'webhook'])('the Telegram channel in %s mode', (mode) => {
  let h: Harness;
  const allLogs: string[] = [];

  beforeAll(async () => {
    h = await startHarness(mode);
    await h.channel.start();
  });
  afterEach(() => {
    allLogs.push(...h.logs.splice(0));
    h.api.calls.splice(0);
    h.replies.splice(0);
    h.apiErrors.splice(0);
    h.setContent(fixtureContent());
    h.setEngine(null);
  });
  afterAll(async () => {
    await h.close();
    allLogs.push(...h.logs);
    // Privacy: the token and the webhook secret appear in no log line, nor does a resident's question.
    expect(allLogs.length).toBeGreaterThan(5);
    for (const line of allLogs) {
      expect(line).not.toContain(tokenSecretPart);
      expect(line).not.toContain(SECRET);
      expect(line).not.toContain('bao lau phai kich hoat');
    }
  });

  describe('at start', () => {
    it('checks the token with getMe and sets the Vietnamese command menu', async () => {
      const h2 = await startHarness(mode);
      await h2.channel.start();
      const methods = h2.api.calls.map((c) => c.method);
      expect(methods[0]).toBe('getMe');
      const commands = h2.api.of('setMyCommands')[0].body.commands as { command: string; description: string }[];
      expect(commands.map((c) => c.command)).toEqual(['start', 'menu', 'help', 'lienhe']);
      expect(commands.every((c) => /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i.test(c.description))).toBe(true);
      if (mode === 'webhook') {
        const set = h2.api.of('setWebhook')[0].body;
        expect(set.url).toBe('https://bot.example.vn/webhook/telegram');
        expect(set.secret_token).toBe(SECRET);
        expect(h2.channel.status().state).toBe('webhook');
      } else {
        expect(methods).toContain('deleteWebhook');
        await h2.api.waitFor(() => h2.api.of('getUpdates').length > 0, 3000, 'a getUpdates');
        expect(h2.channel.status().state).toBe('polling');
      }
      await h2.close();
    });

    it('stops start-up with a clear message, without the token, when Telegram rejects it', async () => {
      const wrong = '7123456789:AAH-thisTokenIsWrong_and_must_not_leak';
      const h2 = await startHarness(mode, {}, wrong);
      const err = await h2.channel.start().then(
        () => null,
        (e: Error) => e,
      );
      expect(err).toBeInstanceOf(Error);
      expect(err!.message).toMatch(/TELEGRAM_BOT_TOKEN/);
      expect(err!.message).not.toContain('thisTokenIsWrong');
      expect(h2.channel.status()).toMatchObject({ state: 'error' });
      expect(h2.channel.status().reason).not.toContain('thisTokenIsWrong');
      expect(h2.logs.join('\n')).not.toContain('thisTokenIsWrong');
      expect(h2.api.of('setMyCommands')).toHaveLength(0);
      await h2.close();
    });
  });

  describe('a resident sends /start', () => {
    it('answers with the greeting and the topic menu as an inline keyboard', async () => {
      await h.deliver(text('/start'));
      const [sent] = await h.api.waitFor(() => h.api.delivered(CHAT).length > 0 && h.api.delivered(CHAT), 5000, 'the greeting');
      expect(sent.body.parse_mode).toBe('HTML');
      expect(sent.shown).toContain(msgs.greeting.trim().split('\n')[0]);
      expect(sent.shown).toContain(msgs.menu_intro);
      expect(buttons(sent.body).map((b) => b.callback_data)).toEqual(['t:kich-hoat', 't:mat-khau']);
      expect(buttons(sent.body)[0].text).toBe('Kích hoạt tài khoản');
      expect(h.replies[0]).toMatchObject({ msg: { channel: 'telegram', chatId: String(CHAT), kind: 'text', text: '/start' }, reply: { kind: 'command' } });
    });

    it('with a ward deep link (/start w_phuong-mau), greets the ward', async () => {
      await h.deliver(text('/start w_phuong-mau'));
      const sent = await h.api.waitFor(() => h.api.delivered(CHAT)[0], 5000, 'the ward greeting');
      expect(sent.shown).toContain('Phường Mẫu');
      expect(h.replies[0].reply.ward).toBe('phuong-mau');
    });

    it('with an invalid payload, falls back to the normal greeting', async () => {
      await h.deliver(text('/start w_<script>'));
      const sent = await h.api.waitFor(() => h.api.delivered(CHAT)[0], 5000, 'the greeting');
      expect(sent.shown).toContain(msgs.greeting.trim().split('\n')[0]);
    });
  });

  describe('a resident types "bao lau phai kich hoat" (no diacritics)', () => {
    it('answers the entry, with link buttons, the related question and the QR code as an uploaded PNG', async () => {
      await h.deliver(text('bao lau phai kich hoat'));
      const out = await h.api.waitFor(() => h.api.delivered(CHAT).length >= 2 && h.api.delivered(CHAT), 5000, 'answer and QR');
      const [answer, photo] = out;
      expect(answer.method).toBe('sendMessage');
      expect(answer.shown).toContain('trong vòng 07 ngày');
      expect(answer.shown).toContain('19000368'); // tel: links stay in the text
      const bs = buttons(answer.body);
      expect(bs).toContainEqual({ text: 'Trang VNeID chính thức', url: 'https://vneid.gov.vn' });
      expect(bs.find((b) => b.url === 'https://dichvucong.gov.vn')?.text).toContain('(chưa xác minh)');
      expect(bs.find((b) => b.callback_data === 'e:kich-hoat-otp')?.text).toBe('Không nhận được mã OTP khi kích hoạt thì làm sao?');

      expect(photo.method).toBe('sendPhoto');
      expect(photo.multipart).toBe(true);
      expect(photo.shown).toContain('https://vneid.gov.vn');
      const file = photo.files.photo;
      expect(file.filename).toMatch(/\.png$/);
      const png = PNG.sync.read(file.data);
      const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
      expect(qr?.data).toBe('https://vneid.gov.vn');
      expect(h.replies[0].reply).toMatchObject({ kind: 'answer', entryId: 'kich-hoat-thoi-han' });
    });
  });

  describe('an ambiguous question ("kich hoat")', () => {
    it('offers inline choices; pressing one answers it and answers the callback', async () => {
      await h.deliver(text('kich hoat'));
      const suggest = await h.api.waitFor(() => h.api.delivered(CHAT)[0], 5000, 'the suggestions');
      expect(suggest.shown).toContain(msgs.suggest_intro);
      const data = buttons(suggest.body).map((b) => b.callback_data);
      expect(data).toContain('e:kich-hoat-otp');
      for (const d of data) expect(Buffer.byteLength(d ?? '')).toBeLessThanOrEqual(64);

      const pressed = await h.deliver(press('e:kich-hoat-otp'));
      const answer = await h.api.waitFor(() => h.api.delivered(CHAT)[1], 5000, 'the answer');
      expect(answer.shown).toContain('bấm gửi lại mã OTP');
      const answered = h.api.of('answerCallbackQuery');
      expect(answered).toHaveLength(1);
      expect(answered[0].body.callback_query_id).toBe((pressed.callback_query as { id: string }).id);
      expect(h.replies[1].msg).toMatchObject({ kind: 'choice', text: 'e:kich-hoat-otp' });
    });

    it('a stale button (unknown entry) is answered and gets a polite message with the menu', async () => {
      await h.deliver(press('e:muc-da-bi-xoa'));
      const sent = await h.api.waitFor(() => h.api.delivered(CHAT)[0], 5000, 'the stale message');
      expect(sent.shown).toContain(msgs.choice_stale);
      expect(h.api.of('answerCallbackQuery')).toHaveLength(1);
    });

    it('foreign button data (not ASCII) is answered and gets the polite message, without reaching the engine', async () => {
      await h.deliver(press('chọn mục này'));
      const sent = await h.api.waitFor(() => h.api.delivered(CHAT)[0], 5000, 'the stale message');
      expect(sent.shown).toContain(msgs.choice_stale);
      expect(buttons(sent.body).map((b) => b.callback_data)).toEqual(['m']);
      expect(h.api.of('answerCallbackQuery')).toHaveLength(1);
      expect(h.replies).toHaveLength(0);
    });
  });

  describe('an answer longer than 4,096 characters', () => {
    it('goes out as several messages, none over the limit, nothing lost, the keyboard on the last', async () => {
      const para = (i: number) => `Đoạn ${i}: ` + 'Người dân mang thẻ căn cước đến Công an cấp xã để đăng ký & kích hoạt tài khoản. '.repeat(9);
      const long = Array.from({ length: 12 }, (_, i) => para(i + 1)).join('\n\n');
      expect(long.length).toBeGreaterThan(4096 * 2);
      h.setContent(withEntry(fixtureContent(), 'kich-hoat-otp', { answer: long }));
      await h.deliver(text('/start q_kich-hoat-otp'));
      await h.api.waitFor(() => h.replies.length === 1, 5000, 'the engine reply');
      const out = await h.api.waitFor(() => h.api.delivered(CHAT).length >= 3 && h.api.delivered(CHAT), 5000, 'several messages');
      await new Promise((r) => setTimeout(r, 100));
      const all = h.api.delivered(CHAT);
      expect(all.length).toBe(out.length);
      for (const m of all) expect(m.shown!.length).toBeLessThanOrEqual(4096);
      expect(all.every((m) => m.status === 200)).toBe(true);
      const words = (s: string) => s.split(/\s+/).filter(Boolean);
      expect(words(shown(h).join(' ')).slice(0, words(long).length)).toEqual(words(long));
      expect(buttons(all[all.length - 1].body).length).toBeGreaterThan(0);
      expect(all.slice(0, -1).every((m) => buttons(m.body).length === 0)).toBe(true);
    });
  });

  describe('Telegram answers 429 Too Many Requests with retry_after', () => {
    it('waits retry_after, retries, and delivers once', async () => {
      h.api.failNext('sendMessage', { kind: 'api', status: 429, error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
      await h.deliver(text('/help'));
      await h.api.waitFor(() => h.api.delivered(CHAT).length === 1, 6000, 'the retried message');
      const tries = h.api.of('sendMessage', CHAT);
      expect(tries.map((c) => c.status)).toEqual([429, 200]);
      expect(tries[1].at - tries[0].at).toBeGreaterThanOrEqual(950);
      await new Promise((r) => setTimeout(r, 200));
      expect(h.api.delivered(CHAT)).toHaveLength(1);
      expect(h.apiErrors).toEqual([]);
    });
  });

  if (mode === 'polling') {
    describe('two messages from one resident in the same batch, the first reply held up by a 429', () => {
      it('are answered in order', async () => {
        h.api.failNext('sendMessage', { kind: 'api', status: 429, error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
        h.api.push(text('/help'));
        h.api.push(text('/lienhe'));
        await h.api.waitFor(() => h.api.delivered(CHAT).length === 2, 6000, 'both replies');
        expect(h.replies.map((r) => r.msg.text)).toEqual(['/help', '/lienhe']);
        const [first, second] = h.api.delivered(CHAT);
        expect(first.shown).toContain(msgs.help.trim().split('\n')[0]);
        expect(second.shown).toContain(msgs.contact.trim().split('\n')[0]);
      });
    });
  }

  describe('the network drops a request', () => {
    it('retries with backoff and delivers once', async () => {
      h.api.failNext('sendMessage', { kind: 'network' }, 2);
      await h.deliver(text('/lienhe'));
      await h.api.waitFor(() => h.api.delivered(CHAT).length === 1, 6000, 'the retried message');
      expect(h.api.of('sendMessage', CHAT).map((c) => c.status)).toEqual([-1, -1, 200]);
      expect(h.api.delivered(CHAT)[0].shown).toContain('1900 0368');
    });
  });

  describe('a send that fails several times (Bot API outage)', () => {
    it('is retried past maxAttempts and the answer itself is delivered, once, with no apology', async () => {
      h.api.failNext('sendMessage', { kind: 'api', status: 500, error_code: 500, description: 'Internal Server Error' }, 6);
      h.api.failNext('sendMessage', { kind: 'network' }, 2);
      await h.deliver(text('/menu'));
      const sent = await h.api.waitFor(() => h.api.delivered(CHAT)[0], 10_000, 'the answer');
      expect(sent.shown).toContain('chủ đề');
      expect(sent.shown).not.toContain(msgs.error.split('{hotline}')[0].trim());
      await new Promise((r) => setTimeout(r, 300));
      expect(h.api.delivered(CHAT)).toHaveLength(1);
      expect(h.apiErrors).not.toContain('sendMessage');
    });
  });

  describe('a handler throws', () => {
    it('logs the update id (no text, no token) and the resident still gets a polite reply', async () => {
      h.setEngine({
        handle() {
          throw new Error(`boom while reading /bot${TOKEN}/sendMessage for 0912345678`);
        },
      });
      const u = await h.deliver(text('bao lau phai kich hoat'));
      const sent = await h.api.waitFor(() => h.api.delivered(CHAT)[0], 5000, 'the polite error');
      expect(sent.shown).toContain(msgs.error.split('{hotline}')[0].trim());
      const line = h.logs.find((l) => l.includes('handler failed'))!;
      expect(line).toContain(`"update_id":${u.update_id as number}`);
      expect(line).not.toContain(tokenSecretPart);
      expect(line).not.toContain('0912345678');
    });
  });

  describe('`<b>` and `&` in a question and in an answer', () => {
    it('are escaped: no 400 from the API, the resident sees them literally', async () => {
      await h.deliver(text('<b>kich hoat</b> & otp'));
      await h.api.waitFor(() => h.api.delivered(CHAT).length > 0, 5000, 'a reply');
      await h.deliver(press('e:kich-hoat-otp'));
      const answer = await h.api.waitFor(() => h.api.delivered(CHAT)[1], 5000, 'the answer');
      expect(answer.body.text).toContain('&amp;');
      expect(answer.body.text).toContain('&lt;Gửi lại mã&gt;');
      expect(answer.shown).toContain('còn sóng & còn chỗ');
      expect(answer.shown).toContain('<Gửi lại mã>');
      expect(h.api.calls.filter((c) => c.status === 400)).toEqual([]);
    });
  });

  describe('input that is not text', () => {
    it.each([
      ['sticker', { file_id: 'CAAC', file_unique_id: 'u1', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false }],
      ['photo', [{ file_id: 'AgAC', file_unique_id: 'u2', width: 90, height: 90 }]],
      ['voice', { file_id: 'AwAC', file_unique_id: 'u3', duration: 3 }],
      ['location', { latitude: 21.0, longitude: 105.8 }],
      ['contact', { phone_number: '0912345678', first_name: 'Lan' }],
    ])('a %s gets the polite "I read text messages" reply', async (kind, value) => {
      await h.deliver(media(kind, value));
      const sent = await h.api.waitFor(() => h.api.delivered(CHAT)[0], 5000, 'the text-only reply');
      expect(sent.shown).toBe(msgs.text_only);
      expect(h.replies[0].msg).toMatchObject({ kind: 'unsupported', text: '' });
    });

    it('an edited message does not produce a second answer', async () => {
      const edited = text('bao lau phai kich hoat');
      await h.deliver({ edited_message: { ...(edited.message as object), edit_date: Math.floor(Date.now() / 1000) } });
      await h.deliver(text('/help')); // a marker: once it is answered, the edit has been processed
      await h.api.waitFor(() => h.api.delivered(CHAT).length > 0, 5000, 'the marker');
      await new Promise((r) => setTimeout(r, 100));
      expect(h.replies.map((r) => r.msg.text)).toEqual(['/help']);
    });
  });

  describe('in a group', () => {
    it('ignores chatter, answers commands and mentions of the bot (threaded), ignores commands for other bots', async () => {
      await h.deliver(text('bao lau phai kich hoat', GROUP));
      await h.deliver(media('sticker', { file_id: 'x', file_unique_id: 'y', type: 'regular', width: 1, height: 1, is_animated: false, is_video: false }, GROUP));
      await h.deliver(text('/start@other_bot', GROUP));
      await h.deliver(text(`/menu@${BOT.username}`, GROUP));
      const mention = await h.deliver(text(`@${BOT.username} bao lau phai kich hoat`, GROUP));
      await h.api.waitFor(() => h.replies.length === 2 && h.api.delivered(GROUP.id).length >= 3, 5000, 'two replies');
      expect(h.replies.map((r) => r.msg.text)).toEqual(['/menu', 'bao lau phai kich hoat']);
      const answer = h.api.delivered(GROUP.id).find((c) => c.shown?.includes('07 ngày'))!;
      expect((answer.body.reply_parameters as { message_id: number }).message_id).toBe((mention.message as { message_id: number }).message_id);
    });
  });

  describe('the same update delivered twice', () => {
    it('is processed once', async () => {
      const u = text('/lienhe');
      if (mode === 'polling') {
        h.api.push({ update_id: 990001, ...u });
        h.api.push({ update_id: 990001, ...u });
      } else {
        await h.post({ update_id: 990001, ...u }, SECRET);
        await h.post({ update_id: 990001, ...u }, SECRET);
      }
      await h.api.waitFor(() => h.api.delivered(CHAT).length > 0, 5000, 'the reply');
      await new Promise((r) => setTimeout(r, 300));
      expect(h.api.delivered(CHAT)).toHaveLength(1);
      expect(h.replies).toHaveLength(1);
    });
  });

  if (mode === 'webhook') {
    describe('a webhook request with a missing or wrong secret', () => {
      it('is rejected (401 / 403) and nothing is sent', async () => {
        const u = { update_id: 880001, ...text('/start') };
        expect(await h.post(u)).toBe(401);
        expect(await h.post(u, 'wrong_secret_0123456789abcdefXYZ')).toBe(403);
        expect(await h.post(u, SECRET.slice(0, -1))).toBe(403);
        await new Promise((r) => setTimeout(r, 200));
        expect(h.api.calls.filter((c) => c.method.startsWith('send'))).toEqual([]);
        expect(h.replies).toEqual([]);
        // …and the update is still processed when Telegram delivers it properly.
        expect(await h.post(u, SECRET)).toBe(200);
        expect(h.api.delivered(CHAT)).toHaveLength(1);
      });

      it('answers 400 to a body that is not an update', async () => {
        expect(await h.post('not an update', SECRET)).toBe(400);
      });
    });
  }
});

describe('stopping the channel', () => {
  it.each<Mode>(['polling', 'webhook'])('in %s mode, waits for in-flight replies, then stops receiving', async (mode) => {
    const h = await startHarness(mode);
    await h.channel.start();
    h.api.failNext('sendMessage', { kind: 'api', status: 429, error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
    const delivering = h.deliver(text('/help'));
    await h.api.waitFor(() => h.api.of('sendMessage').length === 1, 5000, 'the first attempt');
    await h.channel.stop(5000);
    expect(h.api.delivered(CHAT)).toHaveLength(1); // the in-flight reply went out before stop() resolved
    expect(h.channel.status()).toEqual({ state: 'off', reason: 'stopped' });
    await delivering;
    if (mode === 'polling') {
      const polls = h.api.of('getUpdates').length;
      h.api.push(text('/menu'));
      await new Promise((r) => setTimeout(r, 700));
      expect(h.api.of('getUpdates').length).toBe(polls);
      // The last getUpdates confirmed the handled update (offset past it), so a restart will not answer it again.
      const last = h.api.of('getUpdates').at(-1)!;
      expect(Number(last.body.offset)).toBeGreaterThan(1000);
    } else {
      expect(await h.post({ update_id: 1, ...text('/menu') }, SECRET)).toBe(503);
    }
    expect(h.api.delivered(CHAT)).toHaveLength(1);
    await h.close();
  });

  it('in polling mode, aborts an open long poll at once instead of waiting for its timeout', async () => {
    const h = await startHarness('polling', { pollTimeoutSec: 50 }, TOKEN, 60_000);
    await h.channel.start();
    await h.api.waitFor(() => h.api.of('getUpdates').length > 0, 3000, 'an open long poll');
    const t0 = Date.now();
    await h.channel.stop(5000);
    expect(Date.now() - t0).toBeLessThan(1000);
    await h.close();
  });

  it('waits out a 429 whose retry_after is beyond maxRetryAfterSec and delivers the answer, not an apology', async () => {
    const h = await startHarness('polling', { maxRetryAfterSec: 0 });
    await h.channel.start();
    h.api.failNext('sendMessage', { kind: 'api', status: 429, error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
    h.api.push(text('/lienhe'));
    await h.api.waitFor(() => h.api.delivered(CHAT).length === 1, 5000, 'the answer after the flood wait');
    expect(h.api.of('sendMessage', CHAT).map((c) => c.status)).toEqual([429, 200]);
    await h.channel.stop(2000);
    await h.close();
  });

  it('when the outage outlasts the delivery budget, reports the API error and sends no apology into the outage', async () => {
    const h = await startHarness('polling', { deliveryBudgetMs: 1500 });
    await h.channel.start();
    h.api.failNext('sendMessage', { kind: 'api', status: 502, error_code: 502, description: 'Bad Gateway' }, 1000);
    h.api.push(text('/lienhe'));
    await h.api.waitFor(() => h.apiErrors.includes('sendMessage'), 5000, 'the final API error');
    expect(h.logs.some((l) => l.includes('handler failed'))).toBe(true);
    const tries = h.api.of('sendMessage', CHAT).length;
    expect(tries).toBeGreaterThan(4); // past maxAttempts, within the budget
    await new Promise((r) => setTimeout(r, 300));
    expect(h.api.of('sendMessage', CHAT).length).toBe(tries); // no apology attempted afterwards
    await h.channel.stop(2000);
    await h.close();
  });

  it('gives up on a Bot API call that never answers, retries it and keeps polling for everyone', async () => {
    const h = await startHarness('polling', { requestTimeoutMs: 300 });
    await h.channel.start();
    h.api.failNext('sendMessage', { kind: 'hang' });
    h.api.push(text('/lienhe'));
    await h.api.waitFor(() => h.api.delivered(CHAT).length === 1, 5000, 'the retried reply');
    expect(h.api.of('sendMessage', CHAT).map((c) => c.status)).toEqual([-2, 200]);
    h.api.push(text('/help'));
    await h.api.waitFor(() => h.api.delivered(CHAT).length === 2, 5000, 'the next reply');
    expect(h.channel.status().state).toBe('polling');
    await h.channel.stop(2000);
    await h.close();
  });
});
