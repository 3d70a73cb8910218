// Diacritic folding shared by the loader (duplicate questions) and the matcher (the match key).
// Pure functions, no configuration.

/** NFC + lower case, keeping Vietnamese diacritics ("Đăng ký" → "đăng ký"). */
export function lowerNfc(s: string): string {
  return s.normalize('NFC').toLowerCase();
}

/** Removes Vietnamese diacritics, đ → d ("đăng ký" → "dang ky"). Keeps case and punctuation. */
export function stripDiacritics(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
}

/**
 * The plain folded form: lower case, no diacritics, every run of non-alphanumerics (punctuation, emoji,
 * symbols) → one space, trimmed. "Đăng ký mức 2?!" → "dang ky muc 2".
 */
export function fold(s: string): string {
  return stripDiacritics(lowerNfc(s))
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
