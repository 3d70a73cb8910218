// PII masking: what residents paste into chat never reaches a log or the store in clear.
import { describe, expect, it } from 'vitest';
import { detectPii, maskPii } from '../../src/privacy/pii.js';

describe('a resident types an ID number in groups of digits', () => {
  it.each([
    ['cccd 001 203 004 567', 'cccd [số định danh]'],
    ['cccd: 001-203-004-567', 'cccd: [số định danh]'],
    ['cccd 001.203.004.567', 'cccd [số định danh]'],
    ['cccd 0012 0300 4567', 'cccd [số định danh]'],
    ['cmnd 123 456 789', 'cmnd [số định danh]'],
    ['so 001203004567', 'so [số định danh]'],
  ])('masks %s with no digit left', (input, masked) => {
    expect(maskPii(input)).toBe(masked);
    expect(detectPii(input).idNumber).toBe(true);
  });

  it('still tells a grouped phone number from an ID number', () => {
    expect(maskPii('sdt 0912 345 678 cccd 001 203 004 567')).toBe('sdt [sđt] cccd [số định danh]');
    expect(detectPii('sdt +84 912 345 678')).toMatchObject({ phone: true, idNumber: false });
  });

  it('leaves the hotline, years and small numbers alone', () => {
    for (const s of ['goi 1900 0368 nhe', 'nd 69/2024 thay 59/2022', 'năm 2024 2025', 'các năm 2023 2024 2025', 'muc 2 7 ngay 12 thang']) {
      expect(detectPii(s)).toEqual({ email: false, phone: false, idNumber: false, otp: false });
      expect(maskPii(s)).toBe(s);
    }
  });
});
