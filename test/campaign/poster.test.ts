import jsQRModule from 'jsqr';
import { existsSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { a5Pixels, posterSvg, renderPoster } from '../../src/campaign/index.js';
import { FONT_FILES } from '../../src/campaign/poster.js';

// jsqr is CommonJS with a default export: under NodeNext the default import is the module object.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule.default }).default ?? jsQRModule) as typeof jsQRModule.default;

const LINK = 'https://t.me/VneidHoiDapBot?start=w_cam-ngoc';
const ZALO = 'https://zalo.me/2710000000000000000';
const base = { wardName: 'Xã Cẩm Ngọc', province: 'Thanh Hóa', telegramLink: LINK, hotline: '1900 0368' };

/** Decodes the QR codes in a region of a PNG (x0..x1 as fractions of the width). */
function decode(png: Buffer, x0 = 0, x1 = 1): string | undefined {
  const img = PNG.sync.read(png);
  const left = Math.floor(img.width * x0);
  const w = Math.floor(img.width * x1) - left;
  const data = new Uint8ClampedArray(w * img.height * 4);
  for (let y = 0; y < img.height; y++) {
    const from = (y * img.width + left) * 4;
    data.set(img.data.subarray(from, from + w * 4), y * w * 4);
  }
  return jsQR(data, w, img.height)?.data;
}

/** Share of dark pixels in a horizontal band (fractions of the height). */
function ink(png: Buffer, y0: number, y1: number): number {
  const img = PNG.sync.read(png);
  let dark = 0;
  let all = 0;
  for (let y = Math.floor(img.height * y0); y < Math.floor(img.height * y1); y++) {
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * 4;
      all++;
      if (img.data[i] + img.data[i + 1] + img.data[i + 2] < 200) dark++;
    }
  }
  return dark / all;
}

describe('a ward poster', () => {
  it('is A5 portrait: 874 × 1240 px at 150 dpi, 1748 × 2480 px at 300 dpi', () => {
    expect(a5Pixels(150)).toEqual({ width: 874, height: 1240 });
    expect(a5Pixels(300)).toEqual({ width: 1748, height: 2480 });
  });

  it('at 150 dpi: a PNG of the right size whose QR code decodes back to the ward link', () => {
    const p = renderPoster(base, { dpi: 150 });
    const img = PNG.sync.read(p.png);
    expect([img.width, img.height]).toEqual([874, 1240]);
    expect(decode(p.png)).toBe(LINK);
  });

  it('at 300 dpi (the default): 1748 × 2480 px and the QR code still decodes', () => {
    const p = renderPoster(base);
    const img = PNG.sync.read(p.png);
    expect([img.width, img.height, p.dpi]).toEqual([1748, 2480, 300]);
    expect(decode(p.png)).toBe(LINK);
  });

  it('with the Zalo bot configured: two QR codes, Telegram on the left and Zalo on the right', () => {
    const p = renderPoster({ ...base, zaloLink: ZALO }, { dpi: 150 });
    expect(decode(p.png, 0, 0.5)).toBe(LINK);
    expect(decode(p.png, 0.5, 1)).toBe(ZALO);
  });

  it("prints the ward's name with its diacritics, three instructions and the hotline", () => {
    const svg = posterSvg({ ...base, wardName: 'Quận Hà Đông (các phường)' });
    expect(svg).toContain('Quận Hà Đông'); // may wrap onto two lines, never loses its diacritics
    expect(svg).toContain('1900 0368');
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain('Mở camera điện thoại');
    expect(svg).not.toMatch(/<text[^>]*>[^<]*&(?!amp;|lt;|gt;|quot;)/); // text is escaped
  });

  it('says "bấm phím 4" after the hotline', () => {
    expect(posterSvg(base)).toContain('Gọi tổng đài 1900 0368, bấm phím 4');
  });

  it('prints the date of ward data older than the 01/7/2025 reorganisation, and nothing for newer data', () => {
    expect(posterSvg({ ...base, asOf: '2023-06' })).toContain('Thông tin xã, phường theo văn bản 6/2023; có thể đã thay đổi từ 01/7/2025.');
    expect(posterSvg({ ...base, asOf: '2022-11-28' })).toContain('theo văn bản 28/11/2022;');
    expect(posterSvg({ ...base, asOf: '2025-07-01' })).not.toContain('Thông tin xã, phường theo văn bản');
    expect(posterSvg(base)).not.toContain('Thông tin xã, phường theo văn bản');
  });

  it('draws its text with the bundled font only (the ward name really appears as ink)', () => {
    for (const f of FONT_FILES) expect(existsSync(f), f).toBe(true);
    const p = renderPoster(base, { dpi: 150 });
    // The band under the header holds the ward name: with no usable font it would be blank.
    expect(ink(p.png, 0.12, 0.2)).toBeGreaterThan(0.02);
  });

  it('comes with a one-page A5 PDF holding the same image', () => {
    const p = renderPoster(base, { dpi: 150 });
    const pdf = p.pdf.toString('latin1');
    expect(pdf.startsWith('%PDF-1.4')).toBe(true);
    expect(pdf).toContain('/MediaBox [0 0 419.53 595.28]');
    expect(pdf).toContain('/Count 1');
    // Every xref offset points at its object.
    const xrefAt = pdf.indexOf('\nxref\n') + 1;
    const xref = pdf.slice(xrefAt);
    const offsets = [...xref.matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    expect(offsets).toHaveLength(6);
    offsets.forEach((o, i) => expect(pdf.startsWith(`${i + 1} 0 obj\n`, o)).toBe(true));
    expect(Number(/startxref\n(\d+)/.exec(pdf)![1])).toBe(xrefAt);
    // The image stream inflates to width × height RGB pixels.
    const start = pdf.indexOf('stream\n', pdf.indexOf('/Subtype /Image')) + 7;
    const len = Number(/\/Subtype \/Image[^>]*\/Length (\d+)/.exec(pdf)![1]);
    const rgb = inflateSync(p.pdf.subarray(start, start + len));
    expect(rgb.length).toBe(874 * 1240 * 3);
  });
});
