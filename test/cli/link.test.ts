import jsQRModule from 'jsqr';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/link.js';
import { loadContentOrThrow } from '../../src/content/index.js';

// jsqr is CommonJS with a default export: under NodeNext the default import is the module object.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule.default }).default ?? jsQRModule) as typeof jsQRModule.default;

const dirs: string[] = [];
let server: Server | undefined;
afterEach(async () => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** Runs `npm run link -- <argv>` in process with a clean environment; DATA_DIR is a fresh temp dir. */
async function link(argv: string[], env: Record<string, string> = {}) {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'vneid-link-')), 'data');
  dirs.push(join(dataDir, '..'));
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void) => new Writable({ write: (c, _e, cb) => (f(String(c)), cb()) });
  const code = await main(argv, {
    env: { CONTENT_DIR: 'content', DATA_DIR: dataDir, ...env },
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
  });
  return { code, out, err, dataDir };
}

const decode = (file: string) => {
  const img = PNG.sync.read(readFileSync(file));
  return { width: img.width, height: img.height, text: jsQR(new Uint8ClampedArray(img.data), img.width, img.height)?.data };
};

describe('npm run link -- --ward <code>', () => {
  it('prints the Telegram deep link and writes an A5 poster whose QR code is that link', async () => {
    const r = await link(['--ward', 'cam-ngoc', '--dpi', '150'], { TELEGRAM_BOT_USERNAME: 'VneidHoiDapBot' });
    // The shipped ward data date from 6/2023, before the 01/7/2025 reorganisation: a warning, not an error.
    expect(r.err).toBe(
      'Cảnh báo: thông tin của "Xã Cẩm Ngọc" (cam-ngoc) theo văn bản 6/2023, trước ngày sắp xếp đơn vị hành chính 01/7/2025 ' +
        '(bỏ cấp quận, huyện; sáp nhập xã, phường). Áp phích sẽ in ngày này; nên xác nhận tên hiện nay rồi sửa "name", "as_of" trong content/offices.yaml.\n',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('Telegram: https://t.me/VneidHoiDapBot?start=w_cam-ngoc');
    expect(r.out).not.toContain('Zalo:');
    const png = join(r.dataDir, 'posters', 'cam-ngoc.png');
    expect(decode(png)).toEqual({ width: 874, height: 1240, text: 'https://t.me/VneidHoiDapBot?start=w_cam-ngoc' });
    expect(readFileSync(join(r.dataDir, 'posters', 'cam-ngoc.pdf')).subarray(0, 8).toString()).toBe('%PDF-1.4');
  });

  it('defaults to 300 dpi (1748 × 2480 px)', async () => {
    const r = await link(['--ward=ha-dong'], { TELEGRAM_BOT_USERNAME: 'VneidHoiDapBot' });
    expect(r.code).toBe(0);
    const d = decode(join(r.dataDir, 'posters', 'ha-dong.png'));
    expect([d.width, d.height, d.text]).toEqual([1748, 2480, 'https://t.me/VneidHoiDapBot?start=w_ha-dong']);
  });

  it('prints the Zalo link too when ZALO_BOT_LINK is set', async () => {
    const r = await link(['--ward', 'quan-12', '--no-poster'], { TELEGRAM_BOT_USERNAME: 'VneidHoiDapBot', ZALO_BOT_LINK: 'https://zalo.me/2710000000000000000' });
    expect(r.code).toBe(0);
    expect(r.out).toContain('Zalo:     https://zalo.me/2710000000000000000');
    expect(existsSync(join(r.dataDir, 'posters'))).toBe(false);
  });

  it('reads the username with getMe when only TELEGRAM_BOT_TOKEN is set, and never prints the token', async () => {
    const root = await new Promise<string>((resolve) => {
      server = createServer((req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(req.url === '/bot42:tok-SECRET/getMe' ? { ok: true, result: { username: 'FakeWardBot' } } : { ok: false, description: 'Not Found' }));
      });
      server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`));
    });
    const r = await link(['--ward', 'cam-ngoc', '--no-poster'], { TELEGRAM_BOT_TOKEN: '42:tok-SECRET', TELEGRAM_API_ROOT: root });
    expect(r.code).toBe(0);
    expect(r.out).toContain('https://t.me/FakeWardBot?start=w_cam-ngoc');
    expect(r.out + r.err).not.toContain('tok-SECRET');
  });

  it('an unknown ward: a Vietnamese error listing the known codes, exit 1', async () => {
    const r = await link(['--ward', 'khong-co'], { TELEGRAM_BOT_USERNAME: 'VneidHoiDapBot' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('Không có phường/xã mã "khong-co"');
    for (const w of loadContentOrThrow('content').offices.wards) expect(r.err).toContain(`  ${w.code}  (${w.name}`);
  });

  it('no username and no token: says which variable to set, exit 1', async () => {
    const r = await link(['--ward', 'cam-ngoc']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/TELEGRAM_BOT_USERNAME/);
    expect(r.err).toMatch(/TELEGRAM_BOT_TOKEN/);
  });

  it('bad arguments: usage, exit 1', async () => {
    expect((await link([])).code).toBe(1);
    expect((await link(['--ward', 'cam-ngoc', '--all'])).err).toContain('--ward <mã> hoặc --all');
    expect((await link(['--ward', 'cam-ngoc', '--dpi', '72'])).err).toContain('150');
  });
});

describe('npm run link -- --all', () => {
  it('writes one poster per ward', async () => {
    const r = await link(['--all', '--dpi', '150'], { TELEGRAM_BOT_USERNAME: 'VneidHoiDapBot' });
    expect(r.code).toBe(0);
    const files = readdirSync(join(r.dataDir, 'posters')).filter((f) => f.endsWith('.png')).sort();
    const wards = loadContentOrThrow('content').offices.wards.map((w) => `${w.code}.png`);
    expect(files).toEqual(wards.sort());
    for (const f of files) expect(decode(join(r.dataDir, 'posters', f)).text).toBe(`https://t.me/VneidHoiDapBot?start=w_${f.replace('.png', '')}`);
  });
});
