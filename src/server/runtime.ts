// The live content and engine, swapped together on hot reload.
//
// content/ is watched recursively (fs.watch, debounced). A valid new version replaces content and engine
// in one assignment, so a message is always answered by an engine built for the content it reports.
// An invalid version changes nothing that residents see: the previous version keeps serving and the
// file:line errors are kept in `status()` for the log, /healthz and the playground until the files are fixed.
// One StateStore outlives every reload, so a resident's "2" still picks from the list shown before a reload.
import { statSync } from 'node:fs';
import { watch, type FSWatcher } from 'chokidar';
import type { Runtime } from '../channels/types.js';
import type { Content, ContentIssue } from '../content/types.js';
import type { Engine, StateStore } from '../engine/types.js';
import type { Logger } from '../log.js';

/** What src/content/index.ts `loadContent` returns. */
export type LoadResult =
  | { ok: true; content: Content; warnings: ContentIssue[] }
  | { ok: false; errors: ContentIssue[]; warnings: ContentIssue[] };

/** Result of the last (re)load, as shown by /healthz and the playground. */
export interface ReloadStatus {
  /** false when the last attempt found errors (the previous version is still serving). */
  ok: boolean;
  /** ISO time of the last attempt. */
  at: string;
  /** Version now serving. */
  version: string;
  /** file:line errors of the last attempt (empty when ok). */
  errors: string[];
  /** file:line warnings of the version serving, or of the failed attempt. */
  warnings: string[];
}

export interface ServerRuntime extends Runtime {
  /** The conversation state shared by every engine version. */
  readonly store: StateStore;
  status(): ReloadStatus;
  /** Loads content/ now; swaps on success. Never throws. */
  reload(): ReloadStatus;
  /** Starts watching the content directory; changes reload after `debounceMs`. */
  /** Starts watching; the promise resolves once the watcher has scanned the folder (edits after it are seen). */
  watch(): Promise<void>;
  /** Stops watching and cancels a pending reload. */
  close(): void;
}

/** Hooks for metrics: called after every reload attempt. */
export interface ReloadObserver {
  onReload?(ok: boolean): void;
}

export interface RuntimeOptions {
  contentDir: string;
  /** The content already loaded at start-up (start-up fails earlier when it is invalid). */
  content: Content;
  /** Warnings of the start-up load, already formatted. */
  warnings?: string[];
  load: (dir: string) => LoadResult;
  formatIssue: (issue: ContentIssue) => string;
  createEngine: (opts: { content: Content; store: StateStore }) => Engine;
  store: StateStore;
  logger: Logger;
  observer?: ReloadObserver;
  /** Quiet time after the last file event before reloading, in ms (default 300: editors write in bursts). */
  debounceMs?: number;
}

export function createRuntime(opts: RuntimeOptions): ServerRuntime {
  const debounceMs = opts.debounceMs ?? 300;
  const log = opts.logger;
  // One object, replaced whole: engine and content can never come from two different versions.
  let live = { content: opts.content, engine: opts.createEngine({ content: opts.content, store: opts.store }) };
  let last: ReloadStatus = {
    ok: true,
    at: new Date().toISOString(),
    version: opts.content.version,
    errors: [],
    warnings: opts.warnings ?? [],
  };
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;

  function reload(): ReloadStatus {
    const at = new Date().toISOString();
    let result: LoadResult;
    try {
      result = opts.load(opts.contentDir);
    } catch (err) {
      // A loader bug must not take the bot down: report it like a content error.
      log.error({ err }, 'content reload crashed; previous version keeps serving');
      last = { ...last, ok: false, at, errors: [`${opts.contentDir}: không đọc được nội dung (${(err as Error).message})`] };
      opts.observer?.onReload?.(false);
      return last;
    }
    if (!result.ok) {
      const errors = result.errors.map(opts.formatIssue);
      last = { ok: false, at, version: live.content.version, errors, warnings: result.warnings.map(opts.formatIssue) };
      log.error({ errors, serving: live.content.version }, `content has ${errors.length} error(s); version ${live.content.version} keeps serving`);
      opts.observer?.onReload?.(false);
      return last;
    }
    const warnings = result.warnings.map(opts.formatIssue);
    if (result.content.version !== live.content.version) {
      try {
        live = { content: result.content, engine: opts.createEngine({ content: result.content, store: opts.store }) };
      } catch (err) {
        log.error({ err }, 'engine build failed; previous version keeps serving');
        last = { ...last, ok: false, at, errors: [`không dựng được bộ trả lời: ${(err as Error).message}`] };
        opts.observer?.onReload?.(false);
        return last;
      }
      log.info(
        { version: result.content.version, entries: result.content.entries.length, warnings: warnings.length },
        'content reloaded',
      );
    }
    if (warnings.length) log.warn({ warnings }, `content has ${warnings.length} warning(s)`);
    last = { ok: true, at, version: live.content.version, errors: [], warnings };
    opts.observer?.onReload?.(true);
    return last;
  }

  return {
    store: opts.store,
    engine: () => live.engine,
    content: () => live.content,
    status: () => last,
    reload,
    watch() {
      if (watcher) return Promise.resolve();
      // chokidar, not fs.watch: an editor's rename-save (write a temp file, rename it over the old one, as vim,
      // sed -i and many editors do) replaces the inode fs.watch was following, so later saves went unseen.
      // `atomic` folds the unlink+add of such a save into one change; every event is debounced into one reload.
      try {
        if (!statSync(opts.contentDir).isDirectory()) throw new Error(`${opts.contentDir} is not a directory`);
        watcher = watch(opts.contentDir, { ignoreInitial: true, atomic: 100, ignored: (p) => /(?:^|[/\\])(?:\.git|node_modules)(?:[/\\]|$)|~$|\.sw[px]$/.test(p) });
      } catch (err) {
        // e.g. ENOSPC (the system's inotify watch limit): the bot still answers; only hot reload is lost.
        log.error({ err }, 'cannot watch the content directory; hot reload is off until restart (the bot keeps answering)');
        return Promise.resolve();
      }
      watcher.on('all', () => {
        clearTimeout(timer);
        timer = setTimeout(reload, debounceMs);
      });
      watcher.on('error', (err) => log.error({ err }, 'content watcher failed; hot reload may miss changes until restart'));
      const w = watcher;
      return new Promise<void>((resolve) => w.once('ready', () => resolve()));
    },
    close() {
      clearTimeout(timer);
      void watcher?.close();
      watcher = undefined;
    },
  };
}
