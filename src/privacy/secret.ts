// Constant-time comparison for webhook secrets and the playground token.
import { createHash, timingSafeEqual } from 'node:crypto';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Compares two secrets in constant time, whatever their lengths (both are hashed to 32 bytes first). */
export function secretMatches(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}
