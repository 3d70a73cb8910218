// The typed content model: what src/content/load.ts produces from content/*.yaml.
// Everything else in the bot (matcher, engine, channels, server) reads only these types.

/** Where something was written, so that errors and warnings can point a content editor at it. */
export interface SourcePos {
  /** Path relative to the content directory, e.g. "faq/kich-hoat.yaml". */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/** One FAQ entry (content/faq/<topic>.yaml → entries[]). */
export interface Entry {
  /** Stable kebab-case id, unique across all files. */
  id: string;
  /** Id of the topic (file) it belongs to. */
  topic: string;
  /** Alternate phrasings residents use; the first one is the entry's title in menus and choices. */
  questions: string[];
  /** Extra words that signal this entry. */
  keywords: string[];
  /** The reply, in Vietnamese, at most 900 characters. Plain text with line breaks; numbered steps "1. …". */
  answer: string;
  /** Ids from links.yaml shown under the answer. */
  links: string[];
  /** Ids from links.yaml to show as QR codes. */
  qr: string[];
  /** Ids of follow-up entries offered after the answer. */
  related: string[];
  /** Ids from sources.yaml backing this answer. */
  sources: string[];
  /** ISO date (YYYY-MM-DD) of the last review. */
  updated: string;
  /**
   * YAML `ward_office: true`: a "where do I go" answer. A resident who came through a ward link sees
   * their ward's police office (with its date) above the general rule.
   */
  wardOffice?: boolean;
  /** Where the entry starts. */
  pos: SourcePos;
}

/** One topic = one file under content/faq/. */
export interface Topic {
  id: string;
  title: string;
  /** Position in the topic menu (lower first); files without order sort by title. */
  order: number;
  entries: Entry[];
  pos: SourcePos;
}

/**
 * How well a link is backed: `official` = an official page or document (government, police, legal text) gives it;
 * `corroborated` = several independent reliable sources agree but no official page was found; `unverified` = neither.
 */
export type LinkStatus = 'official' | 'corroborated' | 'unverified';

/** content/links.yaml */
export interface Link {
  id: string;
  title: string;
  url: string;
  /**
   * Graded status (YAML `status`); a file still written with only `verified: true|false` reads as corroborated /
   * unverified. Always set by the loader (optional only for hand-built test content, where `verified` decides).
   */
  status?: LinkStatus;
  /** Id from sources.yaml that supports the status (YAML `source`). */
  source?: string;
  /** True unless the status is `unverified`: the bot shows it without the "(chưa xác minh)" mark. */
  verified: boolean;
  /** Why it is (un)verified, or how to use it. */
  note?: string;
  pos: SourcePos;
}

export type SourceStatus = 'in-force' | 'superseded' | 'draft' | 'reference';

/** content/sources.yaml: a legal document, a seed letter or a public page. */
export interface Source {
  id: string;
  title: string;
  /** Document number, e.g. "69/2024/NĐ-CP". */
  number?: string;
  /** ISO date of the document. */
  date?: string;
  issuer?: string;
  status: SourceStatus;
  /** For superseded documents: ISO date the replacement took effect. */
  superseded_on?: string;
  /** For superseded documents: id of the replacing source. */
  superseded_by?: string;
  /** File name of the original letter, when the source is one of the seed letters. */
  file?: string;
  url?: string;
  pos: SourcePos;
}

/** A police office named in a seed letter (content/offices.yaml → offices[]). */
export interface Office {
  id: string;
  name: string;
  address?: string;
  hours?: string;
  /** Status note, e.g. "tạm ngưng hoạt động (theo văn bản)". */
  note?: string;
  /** Id from sources.yaml of the document that names it. */
  source: string;
  /** ISO date of that document: the address is a fact as of this date. */
  as_of: string;
  pos: SourcePos;
}

/** A campaign ward that deep links and posters point at (content/offices.yaml → wards[]). */
export interface Ward {
  /** Payload-safe code: [a-z0-9_-], at most 40 characters. */
  code: string;
  name: string;
  province: string;
  /** Name of the police office that receives applications for the ward. */
  office: string;
  address?: string;
  hours?: string;
  /** Id from sources.yaml backing the office data, if any. */
  source?: string;
  /** Staff note, e.g. what changed on 01/7/2025; carries the date of any district-level name it explains. */
  note?: string;
  /** ISO date the ward data was last confirmed. */
  as_of: string;
  pos: SourcePos;
}

export interface Offices {
  /** The general rule: any commune/ward police in the country receives level-2 applications. */
  general_rule: string;
  /** Ids from sources.yaml behind the general rule. */
  general_rule_sources: string[];
  offices: Office[];
  wards: Ward[];
}

/** A context rule for an ambiguous abbreviation: when a neighbouring token matches, use `means`. */
export interface AmbiguousRule {
  /** Folded tokens; the rule fires when the previous token is one of them. */
  before?: string[];
  /** Folded tokens; the rule fires when the next token is one of them. */
  after?: string[];
  /** Folded replacement. */
  means: string;
}

export interface AmbiguousSynonym {
  /** Folded token, e.g. "dk". */
  token: string;
  /** Replacement when no rule fires. */
  default: string;
  rules: AmbiguousRule[];
  note?: string;
}

/** content/synonyms.yaml: whole-token expansions applied to the folded match key. */
export interface Synonyms {
  /** folded token (or multi-word phrase) → folded replacement */
  map: Record<string, string>;
  ambiguous: AmbiguousSynonym[];
  /** Polite openers and particles dropped from the match key (folded phrases). */
  stopPhrases: string[];
}

/**
 * content/messages.yaml: every user-facing string that is not an FAQ answer.
 * Placeholders in braces: {hotline} (the `hotline` message itself), {name}, {ward}, {n}.
 */
export type MessageKey =
  | 'hotline'
  | 'out_of_scope'
  | 'alternatives_intro'
  | 'also_intro'
  | 'feedback_prompt'
  | 'feedback_up'
  | 'feedback_down'
  | 'feedback_words_hint'
  | 'feedback_thanks'
  | 'feedback_sorry'
  | 'feedback_runners_up_intro'
  | 'feedback_already'
  | 'feedback_ack'
  | 'feedback_voted'
  | 'greeting'
  | 'greeting_ward'
  | 'menu_intro'
  | 'topic_intro'
  | 'help'
  | 'contact'
  | 'fallback'
  | 'fallback_repeat'
  | 'suggest_intro'
  | 'related_intro'
  | 'choose_number'
  | 'choice_stale'
  | 'text_only'
  | 'rate_limited'
  | 'error'
  | 'empty'
  | 'too_long'
  | 'pii_warning'
  | 'disclaimer'
  | 'unknown_command'
  | 'smalltalk_hello'
  | 'smalltalk_thanks'
  | 'smalltalk_who'
  | 'smalltalk_human'
  | 'smalltalk_bye'
  | 'ward_office_intro'
  | 'ward_as_of'
  | 'unverified_link'
  | 'links_intro'
  | 'qr_caption'
  | 'choice_menu'
  | 'choice_contact';

export const MESSAGE_KEYS: readonly MessageKey[] = [
  'hotline',
  'out_of_scope',
  'alternatives_intro',
  'also_intro',
  'feedback_prompt',
  'feedback_up',
  'feedback_down',
  'feedback_words_hint',
  'feedback_thanks',
  'feedback_sorry',
  'feedback_runners_up_intro',
  'feedback_already',
  'feedback_ack',
  'feedback_voted',
  'greeting',
  'greeting_ward',
  'menu_intro',
  'topic_intro',
  'help',
  'contact',
  'fallback',
  'fallback_repeat',
  'suggest_intro',
  'related_intro',
  'choose_number',
  'choice_stale',
  'text_only',
  'rate_limited',
  'error',
  'empty',
  'too_long',
  'pii_warning',
  'disclaimer',
  'unknown_command',
  'smalltalk_hello',
  'smalltalk_thanks',
  'smalltalk_who',
  'smalltalk_human',
  'smalltalk_bye',
  'ward_office_intro',
  'ward_as_of',
  'unverified_link',
  'links_intro',
  'qr_caption',
  'choice_menu',
  'choice_contact',
] as const;

export type Messages = Record<MessageKey, string>;

/**
 * Messages a content folder may leave out: the code then uses its built-in text (the feedback loop's, in
 * src/feedback/protocol.ts). The shipped messages.yaml has them all, so staff can reword them.
 */
export const OPTIONAL_MESSAGE_KEYS: ReadonlySet<MessageKey> = new Set<MessageKey>(['feedback_prompt', 'feedback_up', 'feedback_down', 'feedback_words_hint', 'feedback_thanks', 'feedback_sorry', 'feedback_runners_up_intro', 'feedback_already', 'feedback_ack', 'feedback_voted']);

/** Golden id of a question the bot must not answer from its FAQ. */
export const OUT_OF_SCOPE = 'out-of-scope';

/** content/out-of-scope.yaml: near-domain subjects (passport, driving licence…) this bot does not answer. */
export interface ScopeTopic {
  id: string;
  /** How the reply names the subject ("hộ chiếu"). */
  name: string;
  /** Phrases that name the subject, as residents write them. */
  terms: string[];
  pos: SourcePos;
}

/** content/golden/*.yaml: resident-style questions with the entry they must reach. */
export interface GoldenItem {
  q: string;
  /** Entry id the question must be answered with, or OUT_OF_SCOPE: the bot must not answer it from the FAQ. */
  id: string;
  /** A message with two questions: the entry answering the second one. */
  also?: string;
  pos: SourcePos;
}

/** A validation finding. Errors stop a load; warnings are shown but the content is served. */
export interface ContentIssue {
  severity: 'error' | 'warning';
  /** Machine-readable code, e.g. "duplicate-id". */
  code: string;
  /** Vietnamese message for a content editor, saying what is wrong and how to fix it. */
  message: string;
  pos: SourcePos;
}

/** Everything the bot is answered from, loaded and validated. Immutable once loaded. */
export interface Content {
  /** Short hash of all content files: changes whenever any file changes. */
  version: string;
  /** ISO time the content was loaded. */
  loadedAt: string;
  topics: Topic[];
  /** All entries in topic order. */
  entries: Entry[];
  byId: ReadonlyMap<string, Entry>;
  links: ReadonlyMap<string, Link>;
  sources: ReadonlyMap<string, Source>;
  offices: Offices;
  synonyms: Synonyms;
  messages: Messages;
  golden: GoldenItem[];
  /** Near-domain subjects answered with the out-of-scope reply (content/out-of-scope.yaml; may be empty). */
  scope?: ScopeTopic[];
  /** How residents name this bot's own subject ("định danh", "vneid"): a question naming one is never out of scope. */
  ours?: string[];
  /** Warnings found while loading (errors make the load fail instead). */
  warnings: ContentIssue[];
}
