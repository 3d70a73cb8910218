// `npm start`: configuration → logger → content → runtime (hot reload) → metrics → channels → HTTP server.
// With no token at all it serves the staff playground; with tokens it also runs Telegram and/or Zalo.
// SIGINT/SIGTERM: stop the channels (they finish in-flight replies, up to 10 s), close the server, exit 0.
import { config as loadDotenv } from 'dotenv';
import { ConfigError, loadConfig, type Config } from './config.js';
import { formatIssue, loadContent } from './content/index.js';
import { createEngine, createMemoryStore, plainOptions, replyToPlainText } from './engine/index.js';
import { createLogger, redactSecrets } from './log.js';
import { createChannels, describeChannels, startChannels, stopChannels } from './server/channels.js';
import { createServer } from './server/http.js';
import { createMetrics } from './server/metrics.js';
import { createRuntime } from './server/runtime.js';
import { combineHooks, schedulePurge, usageHooks } from './server/usage.js';
import { openUsageStore } from './store/usage.js';
import { openPgUsageStore } from './store/pg.js';
import { createRedisState, type SharedState } from './state/redis.js';
import { openFeedbackRecorder } from './store/feedback.js';
import { createStaffRoutes } from './server/staff.js';

/** ms: how long channels may take to finish the replies in flight when stopping (issue: up to 10 s). */
const STOP_GRACE_MS = 10_000;

/** Tokens and secrets of this run, scrubbed from anything printed (set once the configuration is read). */
let secrets: string[] = [];

/** Every value that must never reach a log line or a response. */
function secretsOf(config: Config): string[] {
  const out: string[] = [];
  for (const c of [config.telegram, config.zalo]) {
    if (c.mode !== 'off') out.push(c.token);
    if (c.mode === 'webhook') out.push(c.secret);
  }
  if (config.playgroundToken) out.push(config.playgroundToken);
  // Connection URLs may carry passwords.
  for (const url of [config.redisUrl, config.databaseUrl]) if (url) out.push(url, ...passwordOf(url));
  return out;
}

function passwordOf(url: string): string[] {
  try {
    const p = decodeURIComponent(new URL(url).password);
    return p.length >= 4 ? [p] : [];
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`${err.message}\nSửa các biến trên (trong môi trường hoặc tệp .env; xem .env.example và README.md) rồi chạy lại.`);
    process.exit(1);
  }
  secrets = secretsOf(config);
  const logger = createLogger({ level: config.logLevel, secrets });

  // The first load must be valid: there is no previous version to fall back on.
  const first = loadContent(config.contentDir);
  if (!first.ok) {
    console.error(
      `Nội dung trong "${config.contentDir}" có ${first.errors.length} lỗi, bot chưa chạy được. Sửa rồi chạy lại (hoặc chạy "npm run check"):\n` +
        first.errors.map((i) => `  ${formatIssue(i)}`).join('\n'),
    );
    process.exit(1);
  }
  const warnings = first.warnings.map(formatIssue);
  if (warnings.length) logger.warn({ warnings }, `content has ${warnings.length} warning(s)`);

  const metrics = createMetrics();
  const memory = createMemoryStore();
  // --- several instances: REDIS_URL shares conversation state, de-duplication and the polling lease ---
  let shared: SharedState | undefined;
  if (config.redisUrl) {
    shared = createRedisState({ url: config.redisUrl, local: memory, logger });
    if (!(await shared.ready(3_000))) logger.warn('redis not reachable at start: answering from memory; it is retried in the background');
  }
  const runtime = createRuntime({
    contentDir: config.contentDir,
    content: first.content,
    warnings,
    load: loadContent,
    formatIssue,
    // An engine failure still gets the resident a polite reply; here it also leaves a log line (no text).
    createEngine: (o) => createEngine({ ...o, onError: (err, msg) => logger.error({ err, ...msg }, 'engine failed; polite error reply sent') }),
    store: memory,
    logger,
    observer: metrics.reloads,
  });
  void runtime.watch();

  // --- usage store (DATA_DIR/bot.db): a failure is logged clearly and the bot keeps answering ---
  // DATABASE_URL: the same store on PostgreSQL, shared by every instance.
  const pgStore = config.databaseUrl
    ? openPgUsageStore({
        url: config.databaseUrl,
        retentionDays: config.retentionDays,
        pending: shared?.pendingPicks(),
        onError: (message) => logger.error({ store: 'usage' }, redactSecrets(message, secrets)),
        onRecover: (events) => logger.info({ store: 'usage', events }, 'database is back: buffered counts written'),
      })
    : undefined;
  const usage =
    pgStore ??
    openUsageStore({
      dataDir: config.dataDir,
      retentionDays: config.retentionDays,
      onError: (message) => logger.error({ store: 'usage' }, message),
      onRecover: () => logger.info({ store: 'usage' }, 'usage store reopened; counting again'),
    });
  const stopPurge = schedulePurge(usage, logger);
  // --- residents' feedback (same database: bot.db schema v3, or PostgreSQL through the usage store, whose
  // buffer, outage handling and retention purge then carry it): evidence for proposals and the dashboard ---
  const feedbackErrors = (message: string) => logger.error({ store: 'feedback' }, message);
  const feedback = pgStore
    ? openFeedbackRecorder({ pg: pgStore, retentionDays: config.retentionDays, onError: feedbackErrors })
    : openFeedbackRecorder({ dataDir: config.dataDir, retentionDays: config.retentionDays, onError: feedbackErrors });
  const stopFeedbackPurge = pgStore
    ? () => undefined
    : schedulePurge({ status: usage.status, purge: () => feedback.purge() } as Parameters<typeof schedulePurge>[0], logger);
  const hooks = combineHooks(metrics.hooks, usageHooks(usage), { onReply: (msg, reply) => feedback.onReply(msg, reply) });

  const channels = createChannels(config, { runtime, logger, hooks, publicUrl: config.publicUrl, shared });
  const app = createServer({
    config,
    runtime,
    metrics,
    usage,
    shared,
    staff: createStaffRoutes({ runtime, recorder: feedback, contentDir: config.contentDir, logger }),
    channels,
    logger,
    plainText: (reply) => replyToPlainText(reply, plainOptions(runtime.content().messages)),
  });

  let address: { url: string; port: number };
  try {
    address = await app.listen(config.port, config.host);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    console.error(
      code === 'EADDRINUSE'
        ? `Cổng ${config.port} trên ${config.host} đang được chương trình khác dùng. Đặt PORT khác (ví dụ PORT=3001) rồi chạy lại.`
        : `Không mở được máy chủ HTTP trên ${config.host}:${config.port} (${code ?? (err as Error).message}). Kiểm tra HOST và PORT.`,
    );
    process.exit(1);
  }
  // Signals and stray rejections are handled from here on, also while the channels are still connecting
  // (a Bot API that does not answer can hold start-up for a long time).
  let cancelStartRetries = (): void => {};
  let stopping = false;
  const stop = async (signal: NodeJS.Signals, exitCode = 0) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, `stopping: channels finish their replies (up to ${STOP_GRACE_MS / 1000} s), then the server closes`);
    runtime.close();
    stopPurge();
    stopFeedbackPurge();
    cancelStartRetries();
    await stopChannels(channels, logger, STOP_GRACE_MS);
    await app.close();
    await usage.close(); // writes the last buffered counts
    feedback.close();
    await shared?.close();
    logger.info('stopped');
    process.exit(exitCode);
  };
  process.on('SIGINT', (s) => void stop(s));
  process.on('SIGTERM', (s) => void stop(s));

  // One top-level handler: a stray rejection is logged (without secrets) and the bot keeps serving.
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason instanceof Error ? reason : new Error(String(reason)) }, 'unhandled rejection');
  });

  // Channels start after the server listens: webhook routes must answer before setWebhook is called.
  // A token the platform rejects is a configuration error: say so clearly and stop (issue: "a wrong token
  // stops start-up"), rather than serve with a silently dead channel.
  const rejected: string[] = [];
  cancelStartRetries = await startChannels(channels, logger, undefined, (c, err) => {
    const variable = c.name === 'telegram' ? 'TELEGRAM_BOT_TOKEN' : 'ZALO_BOT_TOKEN';
    const reason = redactSecrets(err instanceof Error ? err.message : String(err), secrets);
    rejected.push(`${variable}: ${c.name === 'telegram' ? 'Telegram' : 'Zalo'} từ chối token này (${reason}). Kiểm tra lại giá trị trong .env hoặc môi trường.`);
  });
  if (stopping) return;
  if (rejected.length) {
    console.error(`Bot không khởi động được vì token sai:\n${rejected.map((r) => `  - ${r}`).join('\n')}`);
    await stop('SIGTERM', 1);
    return;
  }

  const playground = config.playgroundToken
    ? `${address.url} (cần mã: mở ${address.url}?token=<PLAYGROUND_TOKEN>)`
    : `${address.url} (chỉ mở trên máy này)`;
  logger.info(
    {
      url: address.url,
      port: address.port,
      content: { version: first.content.version, entries: first.content.entries.length },
      channels: Object.fromEntries(channels.map((c) => [c.name, c.status()])),
    },
    `VNeID bot đang chạy · playground ${playground} · ${describeChannels(channels)}`,
  );
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`Bot dừng vì lỗi không mong đợi: ${redactSecrets(message, secrets)}`);
  process.exit(1);
});
