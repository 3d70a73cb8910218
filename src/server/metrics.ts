// Prometheus metrics (prom-client) in a registry of our own, so tests and several servers in one
// process never share counters. Channels feed it through ChannelHooks; the web playground and the
// runtime's reloads feed it directly.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ChannelHooks } from '../channels/types.js';
import type { ChannelName, IncomingMessage, Reply } from '../engine/types.js';
import type { ReloadObserver } from './runtime.js';

/** Reply latency buckets, in seconds: the engine answers in well under 10 ms; 1 s would be a bug. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

export interface Metrics {
  readonly registry: Registry;
  /** Hooks to hand to the channels (and used by the web playground). */
  readonly hooks: Required<ChannelHooks>;
  /** Counts content reloads and failures. */
  readonly reloads: Required<ReloadObserver>;
  /** Sets the gauge of entries served. */
  setEntries(n: number): void;
  /** Prometheus text exposition. */
  text(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsOptions {
  /** Also export process metrics (memory, CPU, event loop lag). Default true. */
  processMetrics?: boolean;
}

export function createMetrics(opts: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (opts.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'vneid_' });

  const messages = new Counter({
    name: 'vneid_messages_total',
    help: 'Messages answered, by channel and reply kind.',
    labelNames: ['channel', 'kind'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'vneid_reply_latency_seconds',
    help: 'Time the engine took to answer one message, in seconds.',
    labelNames: ['channel'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const fallbacks = new Counter({
    name: 'vneid_fallbacks_total',
    help: 'Messages the bot could not match (fallback replies), by channel.',
    labelNames: ['channel'] as const,
    registers: [registry],
  });
  const reloads = new Counter({
    name: 'vneid_content_reloads_total',
    help: 'Content reload attempts that succeeded.',
    registers: [registry],
  });
  const reloadFailures = new Counter({
    name: 'vneid_content_reload_failures_total',
    help: 'Content reload attempts rejected because of errors (previous version kept).',
    registers: [registry],
  });
  const apiErrors = new Counter({
    name: 'vneid_api_errors_total',
    help: 'Outgoing platform API calls that failed for good (after retries), by channel and method.',
    labelNames: ['channel', 'method'] as const,
    registers: [registry],
  });
  const entries = new Gauge({
    name: 'vneid_content_entries',
    help: 'FAQ entries in the content version serving.',
    registers: [registry],
  });

  return {
    registry,
    hooks: {
      onReply(msg: IncomingMessage, reply: Reply, latencyMs: number) {
        messages.inc({ channel: msg.channel, kind: reply.kind });
        latency.observe({ channel: msg.channel }, latencyMs / 1000);
        if (reply.kind === 'fallback') fallbacks.inc({ channel: msg.channel });
      },
      onApiError(channel: ChannelName, method: string) {
        apiErrors.inc({ channel, method });
      },
    },
    reloads: {
      onReload(ok: boolean) {
        (ok ? reloads : reloadFailures).inc();
      },
    },
    setEntries: (n) => entries.set(n),
    text: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
