// The engine's side of the feedback loop, kept out of engine.ts (which only calls these hooks):
// offer 👍/👎 under an answer, read a vote (button payload or a word), and answer it. A vote is taken once per
// answer; anything else the resident sends goes on as a normal message, so feedback never blocks a question.
import type { ChatState, Choice, Reply, ReplyLink } from '../engine/types.js';
import { FEEDBACK_TEXT, feedbackOffer, feedbackWord, parseFeedbackPayload, type FeedbackTexts, type FeedbackVote, type Vote } from './protocol.js';

/** Entries whose answer a chat has already rated (most recent kept; stops a second vote on the same answer). */
const MAX_RATED = 20;
/** Runners-up offered after a 👎. */
const MAX_RUNNERS_UP = 3;

/**
 * Adds the offer to an answer (after the engine has set `state.lastChoices` from its choices) and numbers the
 * two votes after the choices, so that on Zalo "3" after a two-item list means 👍. `runnersUp`: other entries
 * the question could have meant, best first, offered again after a 👎.
 */
export function offerFeedback(reply: Reply, state: ChatState, runnersUp: string[], texts: FeedbackTexts = FEEDBACK_TEXT): Reply {
  const offer = reply.entryId ? feedbackOffer(reply.entryId, texts) : undefined;
  if (!offer) return reply;
  reply.feedback = offer;
  state.lastChoices = [...state.lastChoices, offer.up.payload, offer.down.payload];
  state.feedback = { entryId: offer.entryId, runnersUp: runnersUp.filter((id) => id !== offer.entryId).slice(0, MAX_RUNNERS_UP) };
  return reply;
}

/** Entry ids among the "e:<id>" payloads of a list (the runners-up of an answer picked from that list). */
export function entriesOf(payloads: string[]): string[] {
  return payloads.filter((p) => p.startsWith('e:')).map((p) => p.slice(2));
}

/** A vote carried by a button payload, or by a typed word while an answer awaits feedback. */
export function readVote(kind: 'choice' | 'text', text: string, state: ChatState): FeedbackVote | undefined {
  if (kind === 'choice') return parseFeedbackPayload(text);
  const word = state.feedback ? feedbackWord(text) : undefined;
  return word && state.feedback ? { vote: word, entryId: state.feedback.entryId } : undefined;
}

export interface VoteContext {
  base(kind: Reply['kind'], blocks: string[]): Reply;
  /** The contact card text (messages.yaml → contact). */
  contact: string;
  hotlineLinks(): ReplyLink[];
  /** A choice opening the entry, or undefined when it no longer exists. */
  entryChoice(id: string): Choice | undefined;
  menuChoice: Choice;
  /** The live texts (messages.yaml feedback_*); default: the built-in ones. */
  texts?: FeedbackTexts;
}

/** Answers a vote: 👍 thanks; 👎 apologises, offers the runners-up and the contact card. Records it on `reply.vote`. */
export function answerVote(v: FeedbackVote, state: ChatState, ctx: VoteContext): Reply {
  const t = ctx.texts ?? FEEDBACK_TEXT;
  const rated = state.rated ?? [];
  if (rated.includes(v.entryId)) {
    const r = ctx.base('command', [t.already]);
    state.lastChoices = [];
    return r;
  }
  state.rated = [...rated, v.entryId].slice(-MAX_RATED);
  const pending = state.feedback?.entryId === v.entryId ? state.feedback : undefined;
  state.feedback = undefined;
  let r: Reply;
  if (v.vote === 'up') {
    r = ctx.base('command', [t.thanks]);
  } else {
    r = ctx.base('command', [t.sorry, ctx.contact]);
    r.links = ctx.hotlineLinks();
    const runners = (pending?.runnersUp ?? []).map(ctx.entryChoice).filter((c): c is Choice => !!c);
    if (runners.length) r.choicesIntro = t.runnersUpIntro;
    r.choices = [...runners, ctx.menuChoice];
  }
  state.lastChoices = r.choices.map((c) => c.payload);
  r.vote = { entryId: v.entryId, vote: v.vote satisfies Vote };
  return r;
}

/** Text of the offer for channels without buttons: numbered after `n` choices, plus the words. */
export function feedbackPlain(reply: Reply, numbered: boolean): string {
  const f = reply.feedback;
  if (!f) return '';
  const n = reply.choices.length;
  const lines = [f.prompt];
  lines.push(numbered ? `${n + 1}. ${f.up.label}` : `- ${f.up.label}`, numbered ? `${n + 2}. ${f.down.label}` : `- ${f.down.label}`);
  lines.push(f.hint || FEEDBACK_TEXT.wordsHint);
  return lines.join('\n');
}
