// Staff routes of the feedback loop (same access rule as the playground; http.ts checks it before calling):
//   GET  /api/proposals?days=30&playground=1   proposals (alternates, disliked answers, clusters)
//   POST /api/proposals/accept {entryId, question, key?}  writes the question into content/faq (then reloads)
//   POST /api/proposals/skip   {key}            "Bỏ qua": hides a proposal
//   GET  /api/dashboard?days=30  /api/dashboard.csv?days=30   the dashboard, and its CSV (UTF-8 BOM)
//   (the charting library's files: vendorFiles(), served by http.ts with the playground's files)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { IncomingMessage as HttpRequest, ServerResponse } from 'node:http';
import { formatIssue, loadContent } from '../content/index.js';
import { acceptQuestion } from '../feedback/accept.js';
import { dashboardCsv, readDashboard } from '../feedback/dashboard.js';
import { computeProposals } from '../feedback/proposals.js';
import type { Logger } from '../log.js';
import type { FeedbackRecorder } from '../store/feedback.js';
import type { SqlAll } from '../store/sql.js';
import type { ServerRuntime } from './runtime.js';

export interface StaffOptions {
  runtime: ServerRuntime;
  recorder: FeedbackRecorder;
  contentDir: string;
  logger: Logger;
}

export interface StaffRoutes {
  handles(path: string): boolean;
  /** Records a playground exchange as evidence (channel 'web', kept apart from residents'). */
  observe(msg: import('../engine/types.js').IncomingMessage, reply: import('../engine/types.js').Reply): void;
  /** Answers the request; `headers` are added (the playground cookie). */
  handle(req: HttpRequest, res: ServerResponse, url: URL, headers: Record<string, string>): Promise<void>;
}

const PATHS = new Set(['/api/proposals', '/api/proposals/accept', '/api/proposals/skip', '/api/dashboard', '/api/dashboard.csv']);

/**
 * The charting library's files, served by http.ts with the playground's own files (from node_modules, never a CDN).
 * uplot.js starts with playground/locale-guard.js, so that a browser reporting an invalid locale still loads uPlot.
 */
export function vendorFiles() {
  const dist = join(dirname(createRequire(import.meta.url).resolve('uplot')), '..', 'dist');
  const guard = readFileSync(new URL('./playground/locale-guard.js', import.meta.url));
  return {
    '/playground/uplot.js': { body: Buffer.concat([guard, Buffer.from('\n'), readFileSync(join(dist, 'uPlot.iife.min.js'))]), type: 'text/javascript; charset=utf-8' },
    '/playground/uplot.css': { body: readFileSync(join(dist, 'uPlot.min.css')), type: 'text/css; charset=utf-8' },
  };
}
const BODY_LIMIT = 16 * 1024;

class StaffError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function createStaffRoutes(o: StaffOptions): StaffRoutes {
  const send = (res: ServerResponse, status: number, body: string | Buffer, type: string, headers: Record<string, string>) => {
    res.writeHead(status, { 'content-type': type, 'content-length': String(Buffer.byteLength(body)), 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', ...headers });
    res.end(body);
  };
  const json = (res: ServerResponse, status: number, v: unknown, headers: Record<string, string>) => send(res, status, JSON.stringify(v), 'application/json; charset=utf-8', headers);

  const daysOf = (url: URL) => {
    const raw = url.searchParams.get('days') ?? '30';
    if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > 3650) throw new StaffError(400, 'days phải là số ngày từ 1 đến 3650.');
    return Number(raw);
  };
  /** Runs `read` over the store (SQLite or PostgreSQL) once the buffered evidence is written. */
  const fromStore = async <T>(read: (all: SqlAll) => Promise<T>): Promise<T> => {
    await o.recorder.flush();
    const all = o.recorder.read();
    if (!all) throw new StaffError(503, 'Kho thống kê đang tắt hoặc lỗi: chưa có dữ liệu góp ý.');
    try {
      return await read(all);
    } catch (e) {
      // The database is unreachable (PostgreSQL down) or broken: say so, the bot keeps answering.
      o.logger.error({ err: e instanceof Error ? e.message : String(e) }, 'staff page: could not read the store');
      throw new StaffError(503, 'Không đọc được kho thống kê lúc này (cơ sở dữ liệu không trả lời). Bot vẫn trả lời người dân bình thường; thử lại sau ít phút.');
    }
  };
  const title = (id: string) => o.runtime.content().byId.get(id)?.questions[0] ?? id;

  async function body(req: HttpRequest): Promise<Record<string, unknown>> {
    if (req.method !== 'POST') throw new StaffError(405, 'Chỉ hỗ trợ POST.');
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new StaffError(415, 'Cần Content-Type: application/json.');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > BODY_LIMIT) throw new StaffError(413, 'Nội dung gửi lên quá lớn.');
      chunks.push(c as Buffer);
    }
    let v: unknown;
    try {
      v = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw new StaffError(400, 'Nội dung gửi lên không phải JSON hợp lệ.');
    }
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new StaffError(400, 'Cần một đối tượng JSON.');
    return v as Record<string, unknown>;
  }
  const str = (v: unknown, name: string, max: number) => {
    if (typeof v !== 'string' || !v.trim() || v.length > max) throw new StaffError(400, `Thiếu hoặc sai trường "${name}".`);
    return v;
  };

  async function route(req: HttpRequest, res: ServerResponse, url: URL, h: Record<string, string>): Promise<void> {
    switch (url.pathname) {
      case '/api/proposals': {
        const days = daysOf(url);
        const p = await fromStore((all) => computeProposals(all, o.runtime.content(), { days, includePlayground: url.searchParams.get('playground') === '1' }));
        return json(res, 200, p, h);
      }
      case '/api/dashboard': {
        const days = daysOf(url);
        const d = await fromStore((all) => readDashboard(all, days));
        const c = o.runtime.content();
        return json(res, 200, { ...d, titles: Object.fromEntries(d.topEntries.concat(d.votes.map((v) => ({ entryId: v.entryId, count: 0 }))).map((e) => [e.entryId, title(e.entryId)])), wards: Object.fromEntries(c.offices.wards.map((w) => [w.code, w.name])) }, h);
      }
      case '/api/dashboard.csv': {
        const days = daysOf(url);
        const d = await fromStore((all) => readDashboard(all, days));
        return send(res, 200, dashboardCsv(d, title), 'text/csv; charset=utf-8', {
          ...h,
          'content-disposition': `attachment; filename="vneid-bang-theo-doi-${days}-ngay.csv"`,
        });
      }
      case '/api/proposals/accept': {
        const b = await body(req);
        const entryId = str(b.entryId, 'entryId', 60);
        const question = str(b.question, 'question', 1000);
        const r = acceptQuestion({ contentDir: o.contentDir, entryId, question, load: loadContent, formatIssue });
        if (!r.ok) return json(res, r.status, { error: 'refused', message: r.message }, h);
        if (typeof b.key === 'string') o.recorder.decide(b.key, 'accepted');
        const reload = o.runtime.reload(); // at once, so the next question already gets the new version
        o.logger.info({ entryId, file: r.file, version: reload.version }, 'proposal accepted into content');
        return json(res, 200, { ok: true, file: r.file, version: reload.version, reload: { ok: reload.ok, errors: reload.errors } }, h);
      }
      case '/api/proposals/skip': {
        const b = await body(req);
        o.recorder.decide(str(b.key, 'key', 1000), 'skipped');
        return json(res, 200, { ok: true }, h);
      }
    }
    throw new StaffError(404, 'Không có trang này.');
  }

  return {
    handles: (path) => PATHS.has(path),
    observe: (msg, reply) => o.recorder.onReply(msg, reply),
    async handle(req, res, url, h) {
      try {
        await route(req, res, url, h);
      } catch (e) {
        if (!(e instanceof StaffError)) throw e;
        req.resume();
        json(res, e.status, { error: 'bad_request', message: e.message }, h);
      }
    },
  };
}
