// Shared set-up for the server tests: a temp copy of the fixture content, the real loader, engine, runtime,
// metrics and HTTP server on 127.0.0.1:<free port>, and a log capture.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Channel } from '../../src/channels/types.js';
import { formatIssue, loadContent } from '../../src/content/index.js';
import { createEngine, createMemoryStore, plainOptions, replyToPlainText } from '../../src/engine/index.js';
import { createLogger } from '../../src/log.js';
import { offChannel } from '../../src/server/channels.js';
import { createServer, type AppServer, type ServerOptions } from '../../src/server/http.js';
import { createMetrics, type Metrics } from '../../src/server/metrics.js';
import { createRuntime, type ServerRuntime } from '../../src/server/runtime.js';

export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/server/content', import.meta.url));
/** The shipped content; its messages.yaml is used as is, so the fixture follows new message keys. */
export const SHIPPED_CONTENT_DIR = fileURLToPath(new URL('../../content', import.meta.url));

/** A fresh copy of the fixture content (plus the shipped messages.yaml) that a test may break and fix. */
export function tempContent(): { dir: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'vneid-server-'));
  const dir = join(root, 'content');
  cpSync(FIXTURE_DIR, dir, { recursive: true });
  cpSync(join(SHIPPED_CONTENT_DIR, 'messages.yaml'), join(dir, 'messages.yaml'));
  return { dir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Collects pino lines so tests can check what the server logged. */
export function logCapture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, logger: createLogger({ level: 'debug', destination }) };
}

export interface TestServer {
  url: string;
  dir: string;
  runtime: ServerRuntime;
  metrics: Metrics;
  logs: string[];
  /** The node:http server itself. */
  server: AppServer['server'];
  close(): Promise<void>;
}

export interface TestServerOptions {
  contentDir?: string;
  playgroundToken?: string;
  isLoopback?: ServerOptions['isLoopback'];
  channels?: Channel[];
  /** Watch the content directory (hot reload), with this debounce in ms. */
  watchMs?: number;
  host?: string;
  /** Reuse a runtime and metrics (e.g. of another test server) instead of building new ones. */
  runtime?: ServerRuntime;
  metrics?: Metrics;
  /** Called when the server closes. */
  onClose?: () => Promise<void>;
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const tmp = opts.contentDir ? undefined : tempContent();
  const dir = opts.contentDir ?? tmp!.dir;
  const { lines, logger } = logCapture();
  const first = loadContent(dir);
  if (!first.ok) throw new Error(first.errors.map(formatIssue).join('\n'));
  const metrics = opts.metrics ?? createMetrics({ processMetrics: false });
  const runtime =
    opts.runtime ??
    createRuntime({
      contentDir: dir,
      content: first.content,
      load: loadContent,
      formatIssue,
      createEngine,
      store: createMemoryStore(),
      logger,
      observer: metrics.reloads,
      debounceMs: opts.watchMs,
    });
  if (opts.watchMs !== undefined) await runtime.watch();
  const app = createServer({
    config: { playgroundToken: opts.playgroundToken },
    runtime,
    metrics,
    channels: opts.channels ?? [offChannel('telegram', 'TELEGRAM_BOT_TOKEN is not set'), offChannel('zalo', 'ZALO_BOT_TOKEN is not set')],
    logger,
    plainText: (reply) => replyToPlainText(reply, plainOptions(runtime.content().messages)),
    isLoopback: opts.isLoopback,
  });
  const { url } = await app.listen(0, opts.host ?? '127.0.0.1');
  return {
    url,
    dir,
    runtime,
    metrics,
    logs: lines,
    server: app.server,
    async close() {
      runtime.close();
      await app.close();
      tmp?.cleanup();
      await opts.onClose?.();
    },
  };
}

/** Polls `check` until it returns a truthy value (or fails after `ms`). */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, ms = 8000, what = 'condition'): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
