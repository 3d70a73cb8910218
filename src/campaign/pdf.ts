// A one-page PDF holding one RGB image that fills the page: the cheapest faithful PDF of a rendered poster
// (no fonts to embed, prints exactly like the PNG). PDF 1.4, one Flate-compressed image XObject.
import { deflateSync } from 'node:zlib';

export interface PdfPage {
  /** Page size in points (1/72 inch). A5 = 419.53 × 595.28. */
  widthPt: number;
  heightPt: number;
  /** Document title (any Unicode; stored as UTF-16BE). */
  title?: string;
}

/** `rgba`: width × height × 4 bytes, as resvg renders; alpha is dropped (the poster has a white background). */
export function pdfFromRgba(rgba: Uint8Array | Buffer, width: number, height: number, page: PdfPage): Buffer {
  const rgb = Buffer.alloc(width * height * 3);
  for (let i = 0, j = 0; i < width * height * 4; i += 4, j += 3) {
    rgb[j] = rgba[i];
    rgb[j + 1] = rgba[i + 1];
    rgb[j + 2] = rgba[i + 2];
  }
  const image = deflateSync(rgb, { level: 6 });
  const w = page.widthPt.toFixed(2);
  const h = page.heightPt.toFixed(2);
  const content = Buffer.from(`q ${w} 0 0 ${h} 0 0 cm /Im0 Do Q\n`, 'latin1');
  const title = page.title ? `/Title <FEFF${Buffer.from(page.title, 'utf16le').swap16().toString('hex').toUpperCase()}> ` : '';

  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>', 'latin1'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>', 'latin1'),
    Buffer.from(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>`,
      'latin1',
    ),
    stream(
      `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /Length ${image.length} >>`,
      image,
    ),
    stream(`<< /Length ${content.length} >>`, content),
    Buffer.from(`<< ${title}/Producer (vneid-faq-bot) >>`, 'latin1'),
  ];

  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xE2\xE3\xCF\xD3\n', 'latin1')];
  let offset = parts[0].length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    offsets.push(offset);
    parts.push(obj);
    offset += obj.length;
  });
  const xref =
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\nstartxref\n${offset}\n%%EOF\n`;
  parts.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(parts);
}

function stream(dict: string, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${dict}\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')]);
}
