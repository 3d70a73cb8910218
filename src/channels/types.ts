// What every chat channel (Telegram, Zalo) offers the server, and what the server gives it.
import type { IncomingMessage as HttpRequest, ServerResponse } from 'node:http';
import type { Content } from '../content/types.js';
import type { ChannelName, Engine, IncomingMessage, Reply } from '../engine/types.js';
import type { Logger } from '../log.js';
import type { SharedState } from '../state/redis.js';

export type ChannelState = 'off' | 'polling' | 'webhook' | 'error';

export interface ChannelStatus {
  state: ChannelState;
  /** Why the channel is off or in error (never contains a token). */
  reason?: string;
}

/** Observers the server attaches: metrics, usage counts, the unanswered-questions store. */
export interface ChannelHooks {
  /** Called once per handled message with the engine's reply and the time the engine took. */
  onReply?(msg: IncomingMessage, reply: Reply, latencyMs: number): void;
  /** Called when a call to the platform API fails for good (after retries). */
  onApiError?(channel: ChannelName, method: string): void;
}

/** The live content and engine; the server swaps both atomically on hot reload. */
export interface Runtime {
  engine(): Engine;
  content(): Content;
}

export interface ChannelDeps {
  runtime: Runtime;
  logger: Logger;
  hooks?: ChannelHooks;
  /** Public HTTPS base URL of the server (webhooks, Zalo QR image URLs), if configured. */
  publicUrl?: string;
  /** REDIS_URL set: conversation state, de-duplication and the polling lease shared with other instances. */
  shared?: SharedState;
}

/** A webhook route the server mounts (POST only). */
export interface WebhookRoute {
  path: string;
  /**
   * Checks the secret header before the body is read: answers 401/403 itself and returns true when the request
   * is refused (the server then drains the body unread).
   */
  refuse?(req: HttpRequest, res: ServerResponse): boolean;
  /** Handles one POST; the handler checks the secret header itself and answers 401/403 when wrong. */
  handle(req: HttpRequest, res: ServerResponse, body: Buffer): void;
}

export interface Channel {
  readonly name: 'telegram' | 'zalo';
  status(): ChannelStatus;
  /** Connects (getMe, setWebhook or start polling). Rejects with a clear message (no token) on failure. */
  start(): Promise<void>;
  /** Stops receiving, then waits for in-flight replies (at most `graceMs`, default 10 000 ms). */
  stop(graceMs?: number): Promise<void>;
  /** Present in webhook mode. */
  webhook?: WebhookRoute;
}
