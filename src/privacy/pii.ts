// Residents paste ID numbers, phone numbers, e-mail addresses and OTPs into chat. These helpers find and
// mask them so that nothing sensitive reaches a log or a store. Pure functions.

/** What kinds of personal data a text seems to contain. */
export interface PiiFound {
  /** 9–12 digit number (old 9-digit CMND, 12-digit CCCD / personal identification number). */
  idNumber: boolean;
  /** Vietnamese mobile/landline number: 0xxxxxxxxx or +84/84xxxxxxxxx, spaces, dots or dashes allowed. */
  phone: boolean;
  /** A 4–8 digit code, the shape of an OTP or passcode. */
  otp: boolean;
  email: boolean;
}

// Order matters: e-mail first, then phone (starts with 0/+84 and may contain separators), then long
// digit runs (ID numbers), then short codes (OTP). Hotline 1900 0368 is public and never masked.
// Linear time: an address may only start where a run of address characters starts (the lookbehind), so a
// long run without "@" is scanned once, not once per position (60 KB of digits took 10 s before).
const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
const PHONE = /(?<![\p{N}])(?:\+?84|0)(?:[\s.-]?\d){8,10}(?![\p{N}])/gu;
const ID_NUMBER = /(?<![\p{N}])\d{9,12}(?![\p{N}])/gu;
// ID numbers are often typed in groups ("001 203 004 567", "123.456.789"): 12 grouped digits are taken
// before phones (a phone pattern would swallow the first 10 and leave the rest in clear), 9–11 after them.
const ID_GROUPED_12 = /(?<![\p{N}])\d(?:[ .-]?\d){11}(?![\p{N}])/gu;
const ID_GROUPED = /(?<![\p{N}])\d(?:[ .-]?\d){8,10}(?![\p{N}])/gu;
const OTP = /(?<![\p{N}])\d{4,8}(?![\p{N}])/gu;
const HOTLINE = /(?<![\p{N}])1900[\s.-]?0368(?![\p{N}])/gu;
const HOTLINE_MARK = '\u0000HOTLINE\u0000';

/** Digits that are part of the answer vocabulary and never an OTP: years, "1900 0368". */
function isBenignNumber(digits: string): boolean {
  const n = Number(digits);
  return digits.length === 4 && n >= 1900 && n <= 2100;
}

/** "2023 2024 2025": years in a row are not a grouped ID number. */
function isYearList(match: string): boolean {
  return match.split(/[ .-]/).every((g) => g.length === 4 && isBenignNumber(g));
}
const groupedId = (replacement: string) => (m: string) => (isYearList(m) ? m : replacement);

export function detectPii(text: string): PiiFound {
  const t = text.replace(HOTLINE, ' ');
  const noEmail = t.replace(EMAIL, ' ');
  const noId12 = noEmail.replace(ID_GROUPED_12, groupedId(' '));
  const noPhone = noId12.replace(PHONE, ' ');
  const noId = noPhone.replace(ID_NUMBER, ' ').replace(ID_GROUPED, groupedId(' '));
  const otps = [...noId.matchAll(OTP)].map((m) => m[0]).filter((d) => !isBenignNumber(d));
  return {
    email: noEmail !== t,
    phone: noPhone !== noId12,
    idNumber: noId12 !== noEmail || noId !== noPhone,
    otp: otps.length > 0,
  };
}

export function hasPii(text: string): boolean {
  const f = detectPii(text);
  return f.idNumber || f.phone || f.otp || f.email;
}

/**
 * Replaces personal data with placeholders: [email], [sđt], [số định danh], [mã].
 * "cccd 001203004567 sdt 0912 345 678" → "cccd [số định danh] sdt [sđt]".
 */
export function maskPii(text: string): string {
  return text
    .replace(HOTLINE, HOTLINE_MARK)
    .replace(EMAIL, '[email]')
    .replace(ID_GROUPED_12, groupedId('[số định danh]'))
    .replace(PHONE, '[sđt]')
    .replace(ID_NUMBER, '[số định danh]')
    .replace(ID_GROUPED, groupedId('[số định danh]'))
    .replace(OTP, (d) => (isBenignNumber(d) ? d : '[mã]'))
    .replaceAll(HOTLINE_MARK, '1900 0368');
}
