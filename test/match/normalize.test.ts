// The match key: what a resident types → what the FAQ index is searched with.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Synonyms } from '../../src/content/types.js';
import { normalize } from '../../src/match/normalize.js';

// The shipped synonyms file, read directly (shape as in content/synonyms.yaml).
const raw = parse(readFileSync(new URL('../../content/synonyms.yaml', import.meta.url), 'utf8'));
const synonyms: Synonyms = { map: raw.map, ambiguous: raw.ambiguous, stopPhrases: raw.stop_phrases };

const table: [string, string][] = [
  // folding, case, punctuation, emoji
  ['Đăng ký mức 2 ở đâu?', 'dang ky muc 2 o dau'],
  ['ĐĂNG KÝ   MỨC 2!!! 😀😀', 'dang ky muc 2'],
  ['Tài khoản định danh điện tử là gì', 'tai khoan dinh danh dien tu la gi'],
  // NFD input (decomposed accents) folds the same way
  ['Đăng ký'.normalize('NFD'), 'dang ky'],
  // numbers kept, glued digits split
  ['muc2 la gi', 'muc 2 la gi'],
  ['mức2', 'muc 2'],
  ['qua 7ngay chua kich hoat', 'qua 7 ngay chua kich hoat'],
  ['level 2', 'muc 2'],
  ['định danh cấp 2', 'dinh danh muc 2'],
  // repeated letters
  ['kooo dc', 'khong duoc'],
  ['dcccc', 'duoc'],
  ['dinhh danh', 'dinh danh'],
  ['tải appp', 'tai ung dung'],
  // chat abbreviations
  ['quen mk vneid', 'quen mat khau vneid'],
  ['sdt bi doi', 'so dien thoai bi doi'],
  ['sđt đổi rồi', 'so dien thoai doi roi'],
  ['tk vneid ntn', 'tai khoan vneid nhu the nao'],
  ['lam cccd mat j', 'lam can cuoc mat gi'],
  ['cmnd con dung dc k', 'cmnd con dung duoc khong'],
  ['dt ko co nfc', 'dien thoai khong co nfc'],
  ['mức 1 vs mức 2', 'muc 1 muc 2'],
  ['ok r', 'roi'],
  // VNeID spellings
  ['tai vnid o dau', 'tai vneid o dau'],
  ['app vn eid', 'ung dung vneid'],
  ['V-NeID', 'vneid'],
  // typos
  ['kick hoat tai khoang', 'kich hoat tai khoan'],
  ['dang ki', 'dang ky'],
  // question words
  ['như thế nào', 'nhu the nao'],
  ['làm thế nào', 'nhu the nao'],
  ['chỗ nào làm', 'o dau lam'],
  ['ra đâu làm định danh', 'o dau lam dinh danh'],
  ['đi chỗ nào làm', 'o dau lam'],
  // a time span in years/months, like "mấy năm" (not "bao nhiêu mức/tiền")
  ['dùng được bao nhiêu năm', 'dung duoc may nam'],
  ['bao nhiêu tháng', 'may thang'],
  ['mấy năm', 'may nam'],
  // places are canonical tokens
  ['ở hn', 'o ha noi'],
  ['sg', 'tp hcm'],
  ['tphcm', 'tp hcm'],
  ['tên không dấu', 'ten khong dau'],
  // ambiguous tokens by neighbour
  ['dk muc 2', 'dang ky muc 2'],
  ['kich hoat dk ko', 'kich hoat duoc khong'],
  ['ko dk', 'khong duoc'],
  ['mk quen mk', 'quen mat khau'],
  ['cho mk hoi', ''],
  ['mat bn ngay', 'mat bao nhieu ngay'],
  ['bn oi', ''],
  ['tre em duoi 14 tuoi', 'tre em duoi 14 tuoi'],
  ['chung minh thu', 'cmnd'],
  ['CA xã', 'cong an xa'],
  ['50k', '50 nghin'],
  ['dien thoai bi hong', 'dien thoai bi hong'],
  ['hong nhan duoc otp', 'khong nhan duoc otp'],
  // polite openers and particles dropped
  ['ad ơi cho em hỏi đăng ký mức 2 ở đâu vậy ạ', 'dang ky muc 2 o dau'],
  ['Admin ơi, giúp em với!! quên mật khẩu nhé', 'quen mat khau'],
  ['cho mình hỏi tí: mức 1 là gì thế ạ', 'muc 1 la gi'],
  ['câu hỏi bảo mật', 'cau hoi bao mat'],
  // whole tokens only: "k" inside a word is untouched
  ['kich hoat', 'kich hoat'],
  ['kg', 'khong'],
  // nothing left
  ['', ''],
  ['   \n\t ', ''],
  ['😀🙏🙏', ''],
  ['ạ', ''],
];

describe('normalize', () => {
  for (const [input, key] of table) {
    it(`"${input.slice(0, 40)}" → "${key}"`, () => {
      expect(normalize(input, synonyms)).toBe(key);
    });
  }

  it('never throws on a 10,000-character message and keeps the key bounded', () => {
    const long = 'đăng ký mức 2 '.repeat(800);
    const key = normalize(long, synonyms);
    expect(key.startsWith('dang ky muc 2')).toBe(true);
    expect(key.length).toBeLessThan(2100);
  });

  it('never substitutes inside a word', () => {
    expect(normalize('kho khan', synonyms)).toBe('kho khan');
    expect(normalize('hokhau', synonyms)).toBe('hokhau');
  });

  it('is stable: a canonical form normalises to itself (so FAQ text and questions meet)', () => {
    for (const v of Object.values(synonyms.map)) {
      const once = normalize(String(v), synonyms);
      expect(normalize(once, synonyms)).toBe(once);
      if (once !== '') expect(once).toBe(String(v).trim());
    }
  });

  it('reads every way of writing Ho Chi Minh City the same', () => {
    for (const q of ['TP.HCM', 'tp hcm', 'Sài Gòn', 'thành phố Hồ Chí Minh', 'TPHCM']) expect(normalize(q, synonyms)).toBe('tp hcm');
  });

  it('works with empty synonyms', () => {
    expect(normalize('Đăng ký MỨC2?', { map: {}, ambiguous: [], stopPhrases: [] })).toBe('dang ky muc 2');
  });
});
