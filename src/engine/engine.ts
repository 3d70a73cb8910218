// The conversation engine: one IncomingMessage in, one Reply out. Channel-agnostic and synchronous.
// Order of handlers: unsupported input → button choices → empty/too long → commands → a bare number
// picking from the last list → small talk → a question (match → answer | suggest | fallback).
import type { Content, Entry, MessageKey } from '../content/types.js';
import { createMatcher } from '../match/index.js';
import type { Matcher, MatchResult } from '../match/types.js';
import { detectPii, maskPii } from '../privacy/pii.js';
import { smalltalkKey } from './smalltalk.js';
import { answerVote, entriesOf, offerFeedback, readVote } from '../feedback/engine.js';
import { FEEDBACK_TEXT, parseFeedbackPayload, type FeedbackTexts, type FeedbackVote } from '../feedback/protocol.js';
import { createMemoryStore } from './store.js';
import type { ChatState, Choice, Clock, Engine, IncomingMessage, Reply, ReplyDebug, ReplyLink, ReplyQr, StateStore } from './types.js';

export interface EngineOptions {
  content: Content;
  /** Conversation state; default: in memory, bounded, with a TTL. Share one store across content reloads. */
  store?: StateStore;
  clock?: Clock;
  /** Default: createMatcher(content). */
  matcher?: Matcher;
  /**
   * Called when handling a message failed (the resident gets the polite error reply). Without it such a
   * failure would leave no trace; the error's text is PII-masked, the message's text is never passed.
   */
  onError?: (err: { name: string; message: string; stack?: string }, msg: { channel: string; kind: string }) => void;
}

/** Engine limits. */
export const ENGINE_LIMITS = Object.freeze({
  /** Longer messages get the "too long" reply instead of a match (characters). Real questions are < 500. */
  maxQuestionChars: 2000,
  /** Suggestions offered on a close call (ARCHITECTURE.md: up to 3). */
  maxSuggestions: 3,
  /** A bare number up to this is read as a pick from the last list. */
  maxListNumber: 30,
  /** Per-chat rate limit: more than `rateMax` messages within `rateWindowMs` get the "slow down" notice. */
  rateMax: 12,
  /** ms; 12 messages in 20 s is faster than anyone types questions, but lets a resident tap through menus. */
  rateWindowMs: 20_000,
});

/** "2023-05-17" → "17/05/2023", "2023-06" → "06/2023". */
export function formatDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return d ? `${d}/${m}/${y}` : m ? `${m}/${y}` : iso;
}

const COMMAND = /^\/([a-z_]+)(?:@[\w.]+)?(?:\s+([\s\S]*))?$/i;
const PICK = /^(?:s[oố]|ch[oọ]n|c[aâ]u)?\s*(\d{1,2})\s*[.)]?$/i;
const WARD_PAYLOAD = /^w_([a-z0-9_-]{1,40})$/;
const ENTRY_PAYLOAD = /^q_([a-z0-9-]{1,60})$/;

export function createEngine(opts: EngineOptions): Engine {
  const content = opts.content;
  const clock = opts.clock ?? { now: () => Date.now() };
  const store = opts.store ?? createMemoryStore({ clock });
  const matcher = opts.matcher ?? createMatcher(content);
  const topics = [...content.topics].sort((a, b) => a.order - b.order || a.title.localeCompare(b.title, 'vi'));

  const text = (key: MessageKey, vars: Record<string, string> = {}): string =>
    (content.messages[key] ?? '').trim().replace(/\{(\w+)\}/g, (m, name: string) =>
      name === 'hotline' ? content.messages.hotline : (vars[name] ?? m),
    );

  const base = (kind: Reply['kind'], blocks: string[]): Reply => ({ kind, blocks, links: [], qr: [], choices: [] });

  /** The feedback loop's texts from messages.yaml (feedback_*), each falling back to the built-in one. */
  const feedbackTexts: FeedbackTexts = {
    prompt: text('feedback_prompt') || FEEDBACK_TEXT.prompt,
    up: text('feedback_up') || FEEDBACK_TEXT.up,
    down: text('feedback_down') || FEEDBACK_TEXT.down,
    wordsHint: text('feedback_words_hint') || FEEDBACK_TEXT.wordsHint,
    thanks: text('feedback_thanks') || FEEDBACK_TEXT.thanks,
    sorry: text('feedback_sorry') || FEEDBACK_TEXT.sorry,
    runnersUpIntro: text('feedback_runners_up_intro') || FEEDBACK_TEXT.runnersUpIntro,
    already: text('feedback_already') || FEEDBACK_TEXT.already,
  };

  const hotlineLinks = (): ReplyLink[] => {
    const l = content.links.get('hotline');
    return l ? [{ id: l.id, title: l.title, url: l.url, verified: l.verified, ...(l.status ? { status: l.status } : {}) }] : [];
  };

  const entryTitle = (e: Entry) => e.questions[0];
  const entryChoice = (e: Entry): Choice => ({ label: entryTitle(e), payload: `e:${e.id}` });
  const topicChoices = (): Choice[] => topics.map((t) => ({ label: t.title, payload: `t:${t.id}` }));

  /** Remembers the numbered list just shown, so that "2" picks its second item. */
  function offer(reply: Reply, state: ChatState): Reply {
    state.lastChoices = reply.choices.map((c) => c.payload);
    return reply;
  }

  function menu(state: ChatState, blocks: string[] = [], kind: Reply['kind'] = 'command'): Reply {
    const r = base(kind, blocks);
    r.choices = topicChoices();
    r.choicesIntro = text('menu_intro');
    return offer(r, state);
  }

  function wardName(state: ChatState): string | undefined {
    return state.ward ? content.offices.wards.find((w) => w.code === state.ward)?.name : undefined;
  }

  function contact(state: ChatState): Reply {
    const r = base('command', [text('contact'), text('disclaimer')]);
    r.links = hotlineLinks();
    r.choices = [{ label: text('choice_menu'), payload: 'm' }];
    return offer(r, state);
  }

  /** The ward's police office, for residents who came through a ward link (dated: it is a fact as of `as_of`). */
  function wardOfficeBlock(state: ChatState): string | undefined {
    const w = state.ward ? content.offices.wards.find((x) => x.code === state.ward) : undefined;
    if (!w) return undefined;
    const lines = [text('ward_office_intro', { ward: w.name }), `${w.office}${w.address ? `, ${w.address}` : ''}`];
    if (w.hours) lines.push(w.hours);
    lines.push(`(${text('ward_as_of', { date: formatDate(w.as_of) })})`);
    return lines.join('\n');
  }

  /** The entry's links and QR codes added to a reply (each once). */
  function addLinks(r: Reply, entry: Entry): void {
    for (const id of entry.links) {
      const l = content.links.get(id);
      if (l && !r.links.some((x) => x.id === id))
        r.links.push({ id: l.id, title: l.title, url: l.url, verified: l.verified, ...(l.status ? { status: l.status } : {}) });
    }
    for (const id of entry.qr) {
      const l = content.links.get(id);
      if (l && l.verified && !r.qr.some((x) => x.linkId === id)) r.qr.push({ linkId: l.id, title: l.title, url: l.url } satisfies ReplyQr);
    }
  }

  /**
   * An entry's answer. `also`: a message with two questions gets the second entry's answer under the first.
   * `alternatives`: an answer that is likely but not certain offers the close runners-up first among the choices.
   */
  function answer(entry: Entry, state: ChatState, score?: number, extra: { also?: Entry; alternatives?: Entry[] } = {}): Reply {
    const r = base('answer', [entry.answer.trim()]);
    const ward = entry.wardOffice ? wardOfficeBlock(state) : undefined;
    if (ward) r.blocks.unshift(ward);
    r.entryId = entry.id;
    if (score !== undefined) r.score = score;
    addLinks(r, entry);
    const related = entry.related.map((id) => content.byId.get(id)).filter((e): e is Entry => !!e);
    if (related.length) {
      r.choices = related.map(entryChoice);
      r.choicesIntro = text('related_intro');
    }
    if (extra.also) {
      r.blocks.push(text('also_intro'), extra.also.answer.trim());
      r.alsoEntryId = extra.also.id;
      addLinks(r, extra.also);
    }
    const alternatives = (extra.alternatives ?? []).filter((e) => e.id !== entry.id && e.id !== extra.also?.id);
    if (alternatives.length) {
      const seen = new Set(alternatives.map((e) => `e:${e.id}`));
      r.choices = [...alternatives.map(entryChoice), ...r.choices.filter((c) => !seen.has(c.payload))].slice(0, 5);
      r.choicesIntro = text('alternatives_intro');
    }
    state.fallbacks = 0;
    state.lastEntryId = entry.id;
    const others = entriesOf(state.lastChoices);
    return offerFeedback(offer(r, state), state, others, feedbackTexts);
  }

  function topicList(topicId: string, state: ChatState): Reply {
    const topic = topics.find((t) => t.id === topicId);
    if (!topic) return stale(state);
    const r = base('command', []);
    r.choicesIntro = text('topic_intro', { name: topic.title });
    r.choices = [...topic.entries.map(entryChoice), { label: text('choice_menu'), payload: 'm' }];
    return offer(r, state);
  }

  function stale(state: ChatState): Reply {
    return menu(state, [text('choice_stale')]);
  }

  function vote(v: FeedbackVote, state: ChatState): Reply {
    return answerVote(v, state, {
      texts: feedbackTexts,
      base,
      contact: text('contact'),
      hotlineLinks,
      entryChoice: (id) => {
        const e = content.byId.get(id);
        return e && entryChoice(e);
      },
      menuChoice: { label: text('choice_menu'), payload: 'm' },
    });
  }

  function choose(payload: string, state: ChatState): Reply {
    const v = parseFeedbackPayload(payload);
    if (v) return vote(v, state);
    if (payload === 'm') return menu(state);
    if (payload === 'c') return contact(state);
    if (payload.startsWith('t:')) return topicList(payload.slice(2), state);
    if (payload.startsWith('e:')) {
      const entry = content.byId.get(payload.slice(2));
      return entry ? answer(entry, state) : stale(state);
    }
    return stale(state);
  }

  function start(arg: string, state: ChatState): Reply {
    const ward = WARD_PAYLOAD.exec(arg);
    if (ward && content.offices.wards.some((w) => w.code === ward[1])) {
      state.ward = ward[1];
      return menu(state, [text('greeting_ward', { ward: wardName(state) ?? '' })]);
    }
    const q = ENTRY_PAYLOAD.exec(arg);
    const entry = q ? content.byId.get(q[1]) : undefined;
    if (entry) return answer(entry, state);
    return menu(state, [text('greeting')]);
  }

  function command(name: string, arg: string, state: ChatState): Reply {
    switch (name.toLowerCase()) {
      case 'start':
        return start(arg.trim(), state);
      case 'menu':
        return menu(state);
      case 'help':
      case 'huongdan':
        return offer(
          { ...base('command', [text('help')]), choices: [{ label: text('choice_menu'), payload: 'm' }, { label: text('choice_contact'), payload: 'c' }] },
          state,
        );
      case 'lienhe':
      case 'contact':
        return contact(state);
      default:
        return menu(state, [text('unknown_command')]);
    }
  }

  function debugOf(m: MatchResult): ReplyDebug {
    return { normalized: m.normalized, candidates: m.candidates.map((c) => ({ ...c })), decision: m.decision };
  }

  function question(raw: string, state: ChatState): Reply {
    state.feedback = undefined; // feedback never blocks the next question
    const pii = detectPii(raw);
    const piiSeen = pii.idNumber || pii.phone || pii.otp || pii.email;
    // Personal data never takes part in matching (and so never reaches a debug log): cut it out.
    const clean = piiSeen ? maskPii(raw).replace(/\[(?:email|sđt|số định danh|mã)\]/g, ' ') : raw;
    const m = matcher.match(clean, ENGINE_LIMITS.maxSuggestions);
    let r: Reply;
    const top = m.candidates[0];
    const topEntry = top ? content.byId.get(top.id) : undefined;
    if (m.decision === 'answer' && topEntry) {
      const also = m.also ? content.byId.get(m.also.id) : undefined;
      const alternatives = (m.alternatives ?? []).map((c) => content.byId.get(c.id)).filter((e): e is Entry => !!e);
      r = answer(topEntry, state, top.score, { also, alternatives });
      const pending = state.feedback as ChatState['feedback'];
      if (pending) pending.runnersUp = m.candidates.slice(1, 4).map((c) => c.id);
    } else if (m.decision === 'out-of-scope') {
      // A near-domain question (passport, driving licence…): one clear reply, then the topics.
      r = menu(state, [text('out_of_scope', { topic: m.scope?.name ?? '' })], 'out-of-scope');
      if (m.scope) r.scopeId = m.scope.id;
      state.fallbacks = 0;
    } else if (m.decision === 'suggest' && m.candidates.length) {
      state.fallbacks = 0;
      r = base('suggest', []);
      r.choicesIntro = text('suggest_intro');
      r.choices = m.candidates
        .map((c) => content.byId.get(c.id))
        .filter((e): e is Entry => !!e)
        .map(entryChoice);
      r.choices.push({ label: text('choice_contact'), payload: 'c' });
      if (top) r.score = top.score;
      offer(r, state);
    } else {
      state.fallbacks += 1;
      if (state.fallbacks >= 2) {
        r = base('fallback', [text('fallback_repeat')]);
        r.links = hotlineLinks();
        r.choices = [{ label: text('choice_menu'), payload: 'm' }];
        offer(r, state);
      } else {
        r = menu(state, [text('fallback')], 'fallback');
      }
    }
    r.debug = debugOf(m);
    if (piiSeen) {
      r.piiWarning = true;
      r.blocks.unshift(text('pii_warning'));
    }
    return r;
  }

  function route(msg: IncomingMessage, state: ChatState): Reply {
    if (msg.kind === 'unsupported') return base('command', [text('text_only')]);
    const v = readVote(msg.kind, (msg.text ?? '').normalize('NFC').trim(), state);
    if (v) return vote(v, state);
    if (msg.kind === 'choice') return choose(msg.text.trim(), state);

    const raw = (msg.text ?? '').normalize('NFC').trim();
    if (!raw) return menu(state, [text('empty')]);
    if (raw.length > ENGINE_LIMITS.maxQuestionChars) {
      const r = base('fallback', [text('too_long')]);
      r.links = hotlineLinks();
      return r;
    }
    const cmd = COMMAND.exec(raw);
    if (cmd) return command(cmd[1], cmd[2] ?? '', state);

    const pick = PICK.exec(raw);
    if (pick && state.lastChoices.length) {
      const n = Number(pick[1]);
      if (n >= 1 && n <= state.lastChoices.length) return choose(state.lastChoices[n - 1], state);
      if (n <= ENGINE_LIMITS.maxListNumber) {
        const r = base('command', [text('choose_number')]);
        r.choices = state.lastChoices.map((p) => labelOf(p)).filter((c): c is Choice => !!c);
        return offer(r, state);
      }
    }

    const talk = smalltalkKey(raw);
    if (talk === 'smalltalk_hello') return menu(state, [text(talk)], 'smalltalk');
    if (talk) {
      const r = base('smalltalk', [text(talk)]);
      if (talk === 'smalltalk_human') r.links = hotlineLinks();
      return r;
    }
    return question(raw, state);
  }

  /** Rebuilds a choice label from its payload (for re-showing a list). */
  function labelOf(payload: string): Choice | undefined {
    if (payload === 'm') return { label: text('choice_menu'), payload };
    if (payload.startsWith('f:')) return undefined;
    if (payload === 'c') return { label: text('choice_contact'), payload };
    if (payload.startsWith('t:')) {
      const t = topics.find((x) => x.id === payload.slice(2));
      return t && { label: t.title, payload };
    }
    const e = content.byId.get(payload.slice(2));
    return e && entryChoice(e);
  }

  return {
    handle(msg: IncomingMessage): Reply {
      const key = `${msg.channel}:${msg.chatId}`;
      const prev = store.get(key);
      const state: ChatState = prev
        ? { ...prev, lastChoices: [...prev.lastChoices] }
        : { lastChoices: [], fallbacks: 0, updatedAt: clock.now() };
      let reply: Reply;
      try {
        const now = clock.now();
        const recent = (state.recent ?? []).filter((t) => now - t < ENGINE_LIMITS.rateWindowMs);
        recent.push(now);
        state.recent = recent.slice(-ENGINE_LIMITS.rateMax - 1);
        // Staff trying many questions in the playground ('web') are not residents flooding a chat: no limit there.
        const limited = msg.channel !== 'web' && recent.length > ENGINE_LIMITS.rateMax;
        reply = limited ? base('command', [text('rate_limited')]) : route(msg, state);
      } catch (err) {
        // Never throw at a channel: a polite reply and the previous state.
        try {
          const e = err instanceof Error ? err : new Error(String(err));
          opts.onError?.({ name: e.name, message: maskPii(e.message), stack: e.stack && maskPii(e.stack) }, { channel: msg.channel, kind: msg.kind });
        } catch {
          /* an observer must never cost the reply */
        }
        return { ...base('command', [text('error')]), links: hotlineLinks() };
      }
      state.updatedAt = clock.now();
      store.set(key, state);
      if (state.ward) reply.ward = state.ward;
      return reply;
    },
  };
}
