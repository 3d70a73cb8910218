// `npm run link`: a ward's campaign links and its printable QR poster.
//
//   npm run link -- --ward cam-ngoc     prints https://t.me/<bot>?start=w_cam-ngoc (and the Zalo link when
//                                       ZALO_BOT_LINK is set), writes DATA_DIR/posters/cam-ngoc.png and .pdf
//   npm run link -- --all               one poster per ward in content/offices.yaml
//   npm run link -- --ward x --dpi 150  A5 at 150 dpi (874 × 1240 px) instead of 300 dpi (1748 × 2480 px)
//
// The bot's username comes from TELEGRAM_BOT_USERNAME, or from getMe (TELEGRAM_API_ROOT) when
// TELEGRAM_BOT_TOKEN is set. Exit code 1 with a Vietnamese message on any problem.
import { config as loadDotenv } from 'dotenv';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { CampaignError, formatAsOf, predatesReorganisation, renderPoster, resolveBotUsername, telegramWardLink, wardPayload } from '../campaign/index.js';
import { ConfigError, loadConfig } from '../config.js';
import { formatIssue, loadContent } from '../content/index.js';
import type { Ward } from '../content/types.js';

const USAGE = `Cách dùng:
  npm run link -- --ward <mã phường/xã>   in đường link và tạo áp phích QR cho một phường/xã
  npm run link -- --all                   tạo áp phích cho mọi phường/xã trong content/offices.yaml
  Tùy chọn: --dpi 150|300 (mặc định 300), --no-poster (chỉ in đường link)`;

export interface LinkIo {
  env?: NodeJS.ProcessEnv;
  stdout?: Writable;
  stderr?: Writable;
  fetch?: typeof fetch;
}

interface Args {
  ward?: string;
  all: boolean;
  dpi: number;
  poster: boolean;
}

function parseArgs(argv: string[]): Args | string {
  const args: Args = { all: false, dpi: 300, poster: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--ward') args.ward = argv[++i];
    else if (a.startsWith('--ward=')) args.ward = a.slice(7);
    else if (a === '--all') args.all = true;
    else if (a === '--no-poster') args.poster = false;
    else if (a === '--dpi' || a.startsWith('--dpi=')) {
      const v = Number(a === '--dpi' ? argv[++i] : a.slice(6));
      if (!Number.isInteger(v) || v < 150 || v > 600) return 'Giá trị --dpi phải là số nguyên từ 150 đến 600 (A5 cần ít nhất 150 dpi để in rõ).';
      args.dpi = v;
    } else if (a === '--help' || a === '-h') return USAGE;
    else return `Không hiểu tham số "${a}".\n${USAGE}`;
  }
  if (args.all === !!args.ward) return `Cần đúng một trong hai: --ward <mã> hoặc --all.\n${USAGE}`;
  if (args.ward === '') return `Thiếu mã phường/xã sau --ward.\n${USAGE}`;
  return args;
}

export async function main(argv: string[], io: LinkIo = {}): Promise<number> {
  const out = io.stdout ?? process.stdout;
  const err = io.stderr ?? process.stderr;
  const say = (s: string) => out.write(s + '\n');
  const complain = (s: string) => {
    err.write(s + '\n');
    return 1;
  };

  const args = parseArgs(argv);
  if (typeof args === 'string') return complain(args);

  let config;
  try {
    config = loadConfig(io.env ?? process.env);
  } catch (e) {
    if (e instanceof ConfigError) return complain(e.message);
    throw e;
  }
  const loaded = loadContent(config.contentDir);
  if (!loaded.ok) {
    return complain(
      `Nội dung trong "${config.contentDir}" có lỗi, chưa tạo được đường link (chạy "npm run check"):\n` +
        loaded.errors.map((i) => `  ${formatIssue(i)}`).join('\n'),
    );
  }
  const content = loaded.content;
  const wards = content.offices.wards;
  const known = () =>
    wards.length ? wards.map((w) => `  ${w.code}  (${w.name}, ${w.province})`).join('\n') : '  (chưa có phường/xã nào trong content/offices.yaml)';

  let selected: Ward[];
  if (args.all) {
    if (!wards.length) return complain('Chưa có phường/xã nào trong content/offices.yaml (mục "wards:"). Thêm phường/xã rồi chạy lại.');
    selected = wards;
  } else {
    const w = wards.find((x) => x.code === args.ward);
    if (!w) return complain(`Không có phường/xã mã "${args.ward}" trong content/offices.yaml. Các mã hiện có:\n${known()}`);
    selected = [w];
  }

  try {
    for (const w of selected) wardPayload(w.code); // every payload checked before any network call or file
    const username = await resolveBotUsername({
      username: config.telegram.username,
      token: config.telegram.mode === 'off' ? undefined : config.telegram.token,
      apiRoot: config.telegram.apiRoot,
      fetch: io.fetch,
    });
    const zalo = config.zalo.botLink;
    const dir = resolve(join(config.dataDir, 'posters'));
    if (args.poster) mkdirSync(dir, { recursive: true });
    for (const w of selected) {
      const telegram = telegramWardLink(username, w.code);
      say(`${w.name} (${w.code})`);
      if (predatesReorganisation(w.as_of))
        err.write(
          `Cảnh báo: thông tin của "${w.name}" (${w.code}) theo văn bản ${formatAsOf(w.as_of)}, trước ngày sắp xếp đơn vị hành chính 01/7/2025 ` +
            `(bỏ cấp quận, huyện; sáp nhập xã, phường). Áp phích sẽ in ngày này; nên xác nhận tên hiện nay rồi sửa "name", "as_of" trong content/offices.yaml.\n`,
        );
      say(`  Telegram: ${telegram}`);
      if (zalo) say(`  Zalo:     ${zalo}`);
      if (!args.poster) continue;
      const poster = renderPoster(
        { wardName: w.name, province: w.province, telegramLink: telegram, zaloLink: zalo, hotline: content.messages.hotline, asOf: w.as_of },
        { dpi: args.dpi },
      );
      const png = join(dir, `${w.code}.png`);
      const pdf = join(dir, `${w.code}.pdf`);
      writeFileSync(png, poster.png);
      writeFileSync(pdf, poster.pdf);
      say(`  Áp phích: ${png} (${poster.width}×${poster.height} px, A5 ${poster.dpi} dpi) và ${pdf}`);
    }
    if (zalo) say('Lưu ý: đường link Zalo không mang mã phường/xã; chỉ người vào qua Telegram mới được ghi nhận theo phường/xã.');
    return 0;
  } catch (e) {
    if (e instanceof CampaignError) return complain(e.message);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EROFS' || code === 'ENOTDIR' || code === 'EEXIST') {
      return complain(`Không ghi được áp phích vào ${join(config.dataDir, 'posters')} (${code}). Kiểm tra DATA_DIR và quyền ghi.`);
    }
    throw e;
  }
}

if (process.argv[1] && /link\.[cm]?[jt]s$/.test(process.argv[1])) {
  loadDotenv({ quiet: true });
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`Lỗi không mong đợi: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
