// Printable QR posters for ward campaigns: an A5 portrait page with the ward's name, a large QR code of the
// ward's Telegram link (and the Zalo bot's, when configured), three short lines of instructions and the hotline.
//
// The page is an SVG laid out in A5 at 150 dpi (874 × 1240 user units), rendered by resvg at the requested
// dpi with the bundled Be Vietnam Pro font ONLY (system fonts are never loaded), so the diacritics print the
// same on every machine. Text is measured with the same renderer and shrunk or wrapped to fit.
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import QRCode from 'qrcode';
import { pdfFromRgba } from './pdf.js';

export const POSTER_DEFAULTS = Object.freeze({
  /** dpi of the output: 300 prints sharp on any office printer; 150 is the least the issue allows. */
  dpi: 300,
  /** A5 portrait in millimetres. */
  widthMm: 148,
  heightMm: 210,
  /** Layout units: A5 at 150 dpi (874 × 1240 px), scaled to the output dpi when rendering. */
  layoutDpi: 150,
  /** Side margin of the layout (units ≈ 5 mm at 150 dpi… ×2): keeps text clear of printer margins. */
  margin: 60,
  /** Quiet zone around each QR code, in modules (ISO/IEC 18004 asks for 4). */
  qrQuietModules: 4,
  /** M: 15 % of the code may be smudged or folded and it still scans; the link is short, so modules stay large. */
  qrErrorCorrection: 'M' as const,
});

/** Font family name inside the bundled .ttf files. */
const FAMILY = 'Be Vietnam Pro';
const FONT_DIR = fileURLToPath(new URL('../../assets/fonts/', import.meta.url));
export const FONT_FILES = [`${FONT_DIR}BeVietnamPro-Regular.ttf`, `${FONT_DIR}BeVietnamPro-Bold.ttf`];

const INK = '#1b1f24';
const MUTED = '#4a5360';
const ACCENT = '#0b5cad';

export interface PosterInput {
  /** Ward name as residents know it, e.g. "Xã Cẩm Ngọc". */
  wardName: string;
  province?: string;
  /** The ward's Telegram deep link (encoded in the main QR code). */
  telegramLink: string;
  /** The Zalo bot's link, when configured (a second QR code). */
  zaloLink?: string;
  /** Hotline as written in content/messages.yaml, e.g. "1900 0368"; the poster adds "(bấm phím 4)". */
  hotline: string;
  /**
   * ISO date (YYYY-MM-DD or YYYY-MM) of the ward data (offices.yaml `as_of`). When it is before the 01/7/2025
   * reorganisation the poster prints it, so residents know the names may have changed since.
   */
  asOf?: string;
}

/** ISO date the two-tier local government took effect (districts abolished, communes merged). */
export const REORGANISATION = '2025-07-01';

/** True when ward data dated `asOf` predates the 01/7/2025 reorganisation. */
export function predatesReorganisation(asOf: string | undefined): boolean {
  return asOf !== undefined && asOf < REORGANISATION;
}

/** "2023-04-14" → "14/4/2023", "2023-06" → "6/2023" (how dates are written for residents). */
export function formatAsOf(asOf: string): string {
  const [y, m, d] = asOf.split('-');
  const n = (x: string) => String(Number(x));
  return d ? `${n(d)}/${n(m!)}/${y}` : m ? `${n(m)}/${y}` : (y ?? asOf);
}

/** The hotline line of the footer: the number and the key that reaches an operator. */
export function posterHotline(hotline: string): string {
  return `Cần người hỗ trợ? Gọi tổng đài ${hotline}, bấm phím 4`;
}

export interface RenderedPoster {
  svg: string;
  png: Buffer;
  /** A one-page A5 PDF holding the same image. */
  pdf: Buffer;
  width: number;
  height: number;
  dpi: number;
}

/** Pixel size of an A5 portrait page at `dpi` (150 → 874 × 1240, 300 → 1748 × 2480). */
export function a5Pixels(dpi: number): { width: number; height: number } {
  return {
    width: Math.round((POSTER_DEFAULTS.widthMm / 25.4) * dpi),
    height: Math.round((POSTER_DEFAULTS.heightMm / 25.4) * dpi),
  };
}

function fontOptions(): ResvgRenderOptions['font'] {
  for (const f of FONT_FILES) {
    if (!existsSync(f)) throw new Error(`Thiếu phông chữ ${f} (assets/fonts). Lấy lại thư mục assets/fonts từ kho mã nguồn.`);
  }
  return { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: FAMILY, sansSerifFamily: FAMILY };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

type Weight = 400 | 700;

/** Measures text widths with resvg and the bundled font (≈ 1 ms each), cached per run. */
function createMeasurer() {
  const font = fontOptions();
  const cache = new Map<string, number>();
  return (text: string, size: number, weight: Weight): number => {
    const key = `${size}|${weight}|${text}`;
    let w = cache.get(key);
    if (w === undefined) {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="${size * 3}"><text x="0" y="${size * 2}" font-family="${FAMILY}" font-weight="${weight}" font-size="${size}">${esc(text)}</text></svg>`;
      w = new Resvg(svg, { font }).getBBox()?.width ?? text.length * size * 0.6;
      cache.set(key, w);
    }
    return w;
  };
}
type Measure = ReturnType<typeof createMeasurer>;

/** Greedy word wrap to `max` width. */
function wrap(text: string, size: number, weight: Weight, max: number, measure: Measure): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && measure(next, size, weight) > max) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** The largest size ≤ `size` (down to `min`) at which `text` fits on `maxLines` lines. */
function fit(text: string, size: number, min: number, weight: Weight, max: number, maxLines: number, measure: Measure) {
  for (let s = size; s > min; s -= 2) {
    const lines = wrap(text, s, weight, max, measure);
    if (lines.length <= maxLines && lines.every((l) => measure(l, s, weight) <= max)) return { size: s, lines };
  }
  return { size: min, lines: wrap(text, min, weight, max, measure) };
}

/** A QR code as one SVG path, `box` units wide including the quiet zone. */
function qrSvg(text: string, x: number, y: number, box: number): string {
  const qr = QRCode.create(text, { errorCorrectionLevel: POSTER_DEFAULTS.qrErrorCorrection });
  const n = qr.modules.size;
  const quiet = POSTER_DEFAULTS.qrQuietModules;
  const unit = box / (n + 2 * quiet);
  let d = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (qr.modules.get(r, c)) d += `M${c + quiet} ${r + quiet}h1v1h-1z`;
    }
  }
  return (
    `<rect x="${x}" y="${y}" width="${box}" height="${box}" fill="#fff"/>` +
    `<path transform="translate(${x} ${y}) scale(${unit})" fill="#000" shape-rendering="crispEdges" d="${d}"/>`
  );
}

/** Poster instructions: three short lines, in the order a first-time smartphone user acts. */
export function posterInstructions(hasZalo: boolean): string[] {
  return [
    'Mở camera điện thoại, hướng vào mã QR.',
    hasZalo
      ? 'Bấm vào đường link hiện ra để mở Telegram hoặc Zalo, rồi bấm Bắt đầu (Start).'
      : 'Bấm vào đường link hiện ra để mở Telegram, rồi bấm Bắt đầu (Start).',
    'Gõ câu hỏi, ví dụ: "đăng ký định danh mức 2 ở đâu?"',
  ];
}

/** Builds the poster SVG (layout units: A5 at 150 dpi). */
export function posterSvg(input: PosterInput, measure: Measure = createMeasurer()): string {
  const W = 874;
  const H = 1240;
  const M = POSTER_DEFAULTS.margin;
  const inner = W - 2 * M;
  const out: string[] = [];
  const text = (x: number, y: number, s: string, size: number, weight: Weight, fill: string, anchor = 'middle') =>
    out.push(
      `<text x="${x}" y="${y}" font-family="${FAMILY}" font-size="${size}" font-weight="${weight}" fill="${fill}" text-anchor="${anchor}">${esc(s)}</text>`,
    );

  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  // Header band.
  out.push(`<rect width="${W}" height="132" fill="${ACCENT}"/>`);
  const head = fit('HỎI ĐÁP ĐỊNH DANH ĐIỆN TỬ VNeID', 40, 24, 700, inner, 1, measure);
  text(W / 2, 66, head.lines[0], head.size, 700, '#fff');
  text(W / 2, 108, 'Trợ lý tự động trả lời câu hỏi của bà con', 24, 400, '#fff');

  // Ward name (shrinks, then wraps to two lines) and province.
  let y = 132 + 74;
  const ward = fit(input.wardName, 64, 34, 700, inner, 2, measure);
  for (const line of ward.lines) {
    text(W / 2, y, line, ward.size, 700, INK);
    y += Math.round(ward.size * 1.15);
  }
  if (input.province) {
    text(W / 2, y - Math.round(ward.size * 0.15) + 8, input.province, 28, 400, MUTED);
    y += 30;
  }
  if (predatesReorganisation(input.asOf)) {
    const note = fit(`Thông tin xã, phường theo văn bản ${formatAsOf(input.asOf!)}; có thể đã thay đổi từ 01/7/2025.`, 22, 14, 400, inner, 1, measure);
    text(W / 2, y + 10, note.lines[0]!, note.size, 400, MUTED);
    y += 34;
  }

  // Instructions and footer are laid out first; the QR codes take the space left in between.
  const footTop = H - 150;
  const steps = posterInstructions(!!input.zaloLink);
  const numW = 46;
  const stepFits = steps.map((step) => fit(step, 28, 20, 400, inner - numW, 2, measure));
  const stepsH = stepFits.reduce((h, f) => h + f.lines.length * Math.round(f.size * 1.3) + 12, 0);
  const stepsTop = footTop - 24 - stepsH;

  // QR codes: one large, or two side by side when the Zalo bot is configured.
  const captionH = input.zaloLink ? 52 : 40;
  const room = stepsTop - 30 - captionH - (y + 6);
  const qrBox = Math.max(200, Math.min(input.zaloLink ? 360 : 540, room));
  const qrTop = y + 6 + Math.max(0, Math.floor((room - qrBox) / 2));
  if (input.zaloLink) {
    const gap = inner - 2 * qrBox;
    const x1 = M;
    const x2 = M + qrBox + gap;
    out.push(qrSvg(input.telegramLink, x1, qrTop, qrBox), qrSvg(input.zaloLink, x2, qrTop, qrBox));
    text(x1 + qrBox / 2, qrTop + qrBox + 40, 'Telegram', 32, 700, ACCENT);
    text(x2 + qrBox / 2, qrTop + qrBox + 40, 'Zalo', 32, 700, ACCENT);
  } else {
    out.push(qrSvg(input.telegramLink, (W - qrBox) / 2, qrTop, qrBox));
    const cap = fit(input.telegramLink.replace(/^https:\/\//, ''), 24, 14, 400, inner, 1, measure);
    text(W / 2, qrTop + qrBox + 28, cap.lines[0], cap.size, 400, MUTED);
  }

  // Three numbered instructions.
  y = stepsTop + 28;
  stepFits.forEach((f, i) => {
    out.push(`<circle cx="${M + 17}" cy="${y - 10}" r="19" fill="${ACCENT}"/>`);
    text(M + 17, y - 1, String(i + 1), 24, 700, '#fff');
    for (const line of f.lines) {
      text(M + numW, y, line, f.size, 400, INK, 'start');
      y += Math.round(f.size * 1.3);
    }
    y += 12;
  });

  // Footer: the hotline, and a privacy reminder (scams ask for OTPs).
  out.push(`<rect y="${footTop}" width="${W}" height="150" fill="#eef3fa"/>`);
  const hot = fit(posterHotline(input.hotline), 38, 22, 700, inner, 1, measure);
  text(W / 2, footTop + 60, hot.lines[0], hot.size, 700, ACCENT);
  const priv = fit('Không gửi số CCCD, mật khẩu hay mã OTP cho bất kỳ ai, kể cả trợ lý này.', 22, 14, 400, inner, 1, measure);
  text(W / 2, footTop + 104, priv.lines[0], priv.size, 400, INK);

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${out.join('')}</svg>`;
}

/** Renders the poster to PNG and PDF at `dpi` (default 300: 1748 × 2480 px). */
export function renderPoster(input: PosterInput, opts: { dpi?: number } = {}): RenderedPoster {
  const dpi = opts.dpi ?? POSTER_DEFAULTS.dpi;
  const { width, height } = a5Pixels(dpi);
  const svg = posterSvg(input);
  const image = new Resvg(svg, {
    font: fontOptions(),
    fitTo: { mode: 'width', value: width },
    background: '#ffffff',
    shapeRendering: 2,
    textRendering: 1,
  }).render();
  if (image.width !== width || image.height !== height) {
    // 874 × 1240 scales to the exact A5 size at 150 and 300 dpi; other dpi may round one pixel differently.
    if (Math.abs(image.width - width) > 1 || Math.abs(image.height - height) > 1) {
      throw new Error(`poster rendered at ${image.width}×${image.height}, expected ${width}×${height}`);
    }
  }
  const png = image.asPng();
  const pdf = pdfFromRgba(image.pixels, image.width, image.height, {
    widthPt: (POSTER_DEFAULTS.widthMm / 25.4) * 72,
    heightPt: (POSTER_DEFAULTS.heightMm / 25.4) * 72,
    title: `Áp phích QR – ${input.wardName}`,
  });
  return { svg, png, pdf, width: image.width, height: image.height, dpi };
}
