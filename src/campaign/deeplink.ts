// Ward deep links: https://t.me/<bot>?start=w_<ward-code>. Telegram passes the payload to the bot as
// "/start w_<code>"; the engine remembers the ward for that chat (usage counts, the ward's office first).
//
// Telegram's rule for a start payload: at most 64 characters of A-Z a-z 0-9 _ - (core.telegram.org/bots/features#deep-linking).

/** A start payload Telegram accepts. */
export const TELEGRAM_PAYLOAD_RE = /^[A-Za-z0-9_-]{1,64}$/;
/** Bot usernames: 5–32 characters of A-Z a-z 0-9 _ (and, for bots, ending in "bot"; not enforced: test bots vary). */
export const TELEGRAM_USERNAME_RE = /^[A-Za-z][A-Za-z0-9_]{3,31}$/;
/** Prefix of a ward payload (the engine reads "/start w_<code>"). */
export const WARD_PAYLOAD_PREFIX = 'w_';

/** A campaign link problem; the message says what to fix (Vietnamese, for ward staff). */
export class CampaignError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CampaignError';
  }
}

export function isValidStartPayload(payload: string): boolean {
  return TELEGRAM_PAYLOAD_RE.test(payload);
}

/** "cam-ngoc" → "w_cam-ngoc"; throws CampaignError when the result breaks Telegram's payload rule. */
export function wardPayload(code: string): string {
  const payload = WARD_PAYLOAD_PREFIX + code;
  if (!isValidStartPayload(payload)) {
    throw new CampaignError(
      `Mã phường/xã "${code}" không dùng được trong đường link Telegram: "${payload}" phải dài tối đa 64 ký tự và chỉ gồm A-Z a-z 0-9 _ -. Sửa "code" trong content/offices.yaml.`,
    );
  }
  return payload;
}

/** "@VneidHoiDapBot" or "VneidHoiDapBot" → "VneidHoiDapBot"; throws on anything else. */
export function normalizeUsername(username: string): string {
  const u = username.trim().replace(/^@/, '').replace(/^https:\/\/t\.me\//, '');
  if (!TELEGRAM_USERNAME_RE.test(u)) {
    throw new CampaignError(
      `Tên bot Telegram "${username}" không hợp lệ: cần 5–32 ký tự A-Z a-z 0-9 _, ví dụ VneidHoiDapBot (không có @). Sửa TELEGRAM_BOT_USERNAME.`,
    );
  }
  return u;
}

/** https://t.me/<username>?start=w_<code> */
export function telegramWardLink(username: string, wardCode: string): string {
  return `https://t.me/${normalizeUsername(username)}?start=${wardPayload(wardCode)}`;
}

export interface UsernameSource {
  /** TELEGRAM_BOT_USERNAME */
  username?: string;
  /** TELEGRAM_BOT_TOKEN: used only to call getMe when no username is set. Never printed. */
  token?: string;
  /** TELEGRAM_API_ROOT, e.g. https://api.telegram.org */
  apiRoot: string;
  /** Injected in tests; default: global fetch. */
  fetch?: typeof fetch;
  /** ms before getMe gives up. */
  timeoutMs?: number;
}

/**
 * The bot's username: TELEGRAM_BOT_USERNAME, else getMe with TELEGRAM_BOT_TOKEN.
 * Throws CampaignError saying which variable to set; the token never appears in a message.
 */
export async function resolveBotUsername(src: UsernameSource): Promise<string> {
  if (src.username) return normalizeUsername(src.username);
  if (!src.token) {
    throw new CampaignError(
      'Chưa biết tên bot Telegram. Đặt TELEGRAM_BOT_USERNAME (ví dụ TELEGRAM_BOT_USERNAME=VneidHoiDapBot) trong .env, hoặc đặt TELEGRAM_BOT_TOKEN để đọc tên bot bằng getMe.',
    );
  }
  const doFetch = src.fetch ?? fetch;
  const url = `${src.apiRoot.replace(/\/+$/, '')}/bot${src.token}/getMe`;
  let body: { ok?: boolean; result?: { username?: string }; description?: string };
  try {
    const res = await doFetch(url, { signal: AbortSignal.timeout(src.timeoutMs ?? 10_000) });
    body = (await res.json()) as typeof body;
  } catch (err) {
    const reason = err instanceof Error ? err.name : 'lỗi mạng';
    throw new CampaignError(
      `Không gọi được getMe của Telegram (${reason}) để lấy tên bot. Kiểm tra mạng và TELEGRAM_API_ROOT, hoặc đặt TELEGRAM_BOT_USERNAME.`,
    );
  }
  if (!body.ok || !body.result?.username) {
    throw new CampaignError(
      `Telegram không trả về tên bot (${body.description ?? 'không rõ lý do'}). Kiểm tra TELEGRAM_BOT_TOKEN, hoặc đặt TELEGRAM_BOT_USERNAME.`,
    );
  }
  return normalizeUsername(body.result.username);
}
