// QR code PNGs for links (content/links.yaml), made with the `qrcode` package and cached per URL.
import QRCode from 'qrcode';

const cache = new Map<string, Promise<Buffer>>();
/** Upper bound on cached images; links.yaml holds a handful, posters a few hundred at most. */
const MAX_CACHED = 500;

export interface QrOptions {
  /** Width of the PNG in pixels (default 512). */
  width?: number;
  /** Quiet zone in modules (default 2). */
  margin?: number;
}

/** A PNG of the QR code for `text`, cached by text and size. */
export function qrPng(text: string, opts: QrOptions = {}): Promise<Buffer> {
  const width = opts.width ?? 512;
  const margin = opts.margin ?? 2;
  const key = `${width}:${margin}:${text}`;
  let hit = cache.get(key);
  if (!hit) {
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    hit = QRCode.toBuffer(text, { type: 'png', width, margin, errorCorrectionLevel: 'M' });
    hit.catch(() => cache.delete(key));
    cache.set(key, hit);
  }
  return hit;
}
