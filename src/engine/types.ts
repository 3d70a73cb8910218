// The channel-agnostic contract between channel adapters (Telegram, Zalo, web playground, terminal)
// and the conversation engine. No platform type crosses this line.
import type { FeedbackOffer, FeedbackVote } from '../feedback/protocol.js';

export type ChannelName = 'telegram' | 'zalo' | 'web' | 'cli';

/** One message from a resident, as every adapter hands it to the engine. */
export interface IncomingMessage {
  channel: ChannelName;
  /** Stable id of the conversation (chat id on the platform), used as the state key. */
  chatId: string;
  /**
   * What the resident sent:
   * - `text`: typed text, including commands such as "/start w_ha-dong" (the engine parses commands);
   * - `choice`: a button press carrying a choice payload produced by the engine (see Choice.payload);
   * - `unsupported`: a photo, sticker, voice, file, location… (the engine answers "I read text only").
   */
  kind: 'text' | 'choice' | 'unsupported';
  /** The text, or the choice payload; empty for `unsupported`. */
  text: string;
  /** Platform message id, for logs and de-duplication upstream (never the text). */
  messageId?: string;
}

/** A choice the resident can pick: a button on Telegram/web, a numbered line on Zalo/CLI. */
export interface Choice {
  /** Label shown to the resident (Vietnamese). */
  label: string;
  /**
   * Short ASCII payload (≤ 64 bytes) the adapter sends back as an IncomingMessage of kind `choice`:
   * "e:<entry-id>" opens an entry, "t:<topic-id>" opens a topic's entry list, "m" the topic menu,
   * "c" the contact card (hotline and police).
   */
  payload: string;
}

export type ReplyKind = 'answer' | 'suggest' | 'fallback' | 'out-of-scope' | 'smalltalk' | 'command';

/** A link shown under a reply. */
export interface ReplyLink {
  id: string;
  title: string;
  url: string;
  verified: boolean;
  /** Graded status from content/links.yaml (official / corroborated / unverified), shown in the staff playground. */
  status?: 'official' | 'corroborated' | 'unverified';
}

/** A QR code to show: the adapter renders it (Telegram: uploaded PNG; Zalo: /qr/<id>.png by URL). */
export interface ReplyQr {
  /** Link id from content/links.yaml. */
  linkId: string;
  title: string;
  url: string;
}

/** Matching details for debugging (ask --debug, the playground's debug panel, the unanswered report). */
export interface ReplyDebug {
  /** The normalised match key. */
  normalized: string;
  /** Best candidates, best first, scores in [0, 1] with 0 = perfect (fuse.js convention). */
  candidates: { id: string; score: number; question: string }[];
  decision: 'answer' | 'suggest' | 'fallback' | 'out-of-scope' | 'none';
}

/** What the engine answers; each adapter renders it within its platform's limits. */
export interface Reply {
  kind: ReplyKind;
  /** Paragraphs of plain text (no markup), in display order. Adapters escape and join them. */
  blocks: string[];
  links: ReplyLink[];
  qr: ReplyQr[];
  /** Choices offered (suggestions, related follow-ups, menu items), in order. */
  choices: Choice[];
  /** Line shown just above the choices ("Bạn có thể hỏi tiếp:"), if any. */
  choicesIntro?: string;
  /** Entry answered (kind `answer`), if any. */
  entryId?: string;
  /** A second entry answered in the same reply (a message with two questions). */
  alsoEntryId?: string;
  /** With kind `out-of-scope`: the near-domain subject the question named (content/out-of-scope.yaml id). */
  scopeId?: string;
  /** Match score of the answered entry (0 = perfect), when a question was matched. */
  score?: number;
  /** True when a PII warning was added (id number, phone number or OTP seen in the message). */
  piiWarning?: boolean;
  /** Ward remembered for this chat, if any (for usage counts). */
  ward?: string;
  debug?: ReplyDebug;
  /** 👍/👎 offered under an answer (src/feedback/); adapters render it after the choices. */
  feedback?: FeedbackOffer;
  /** The resident's vote this reply acknowledges (recorded by the feedback store). */
  vote?: FeedbackVote;
}

/** Per-chat conversation state kept between messages. */
export interface ChatState {
  /** Payloads of the last numbered list shown, so that "2" picks the second. */
  lastChoices: string[];
  /** Consecutive fallbacks, for the two-stage fallback. */
  fallbacks: number;
  /** Ward code remembered from a deep link (/start w_<code>). */
  ward?: string;
  /** Last entry answered. */
  lastEntryId?: string;
  /** Epoch ms of the last update. */
  updatedAt: number;
  /** Epoch ms of the most recent messages (at most ENGINE_LIMITS.rateMax), for the per-chat rate limit. */
  recent?: number[];
  /** The answer awaiting 👍/👎, with the runners-up to offer after a 👎 (src/feedback/engine.ts). */
  feedback?: { entryId: string; runnersUp: string[] };
  /** Entries this chat already rated (one vote per answer). */
  rated?: string[];
}

/** Where conversation state lives. The default is in memory, bounded, with a TTL. */
export interface StateStore {
  get(chatKey: string): ChatState | undefined;
  set(chatKey: string, state: ChatState): void;
  delete(chatKey: string): void;
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export interface Engine {
  /** Answers one message. Never throws: a failure becomes a polite `error` reply. */
  handle(msg: IncomingMessage): Reply;
}
