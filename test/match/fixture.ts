// A small content directory for matcher and CLI tests: the loader's minimal fixture (messages, links,
// sources, offices, golden), the shipped synonyms.yaml and the FAQ files of test/match/fixtures/faq.
import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadContentOrThrow } from '../../src/content/index.js';
import type { Content } from '../../src/content/types.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');

/** Builds the fixture content directory in a fresh temp dir and returns its path. */
export function makeFixtureDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'match-fixture-'));
  const minimal = join(root, 'test', 'fixtures', 'content', 'minimal');
  for (const f of readdirSync(minimal)) if (f !== 'faq') cpSync(join(minimal, f), join(dir, f), { recursive: true });
  cpSync(join(root, 'content', 'synonyms.yaml'), join(dir, 'synonyms.yaml'));
  cpSync(join(here, 'fixtures', 'faq'), join(dir, 'faq'), { recursive: true });
  return dir;
}

export function loadFixture(): Content {
  return loadContentOrThrow(makeFixtureDir());
}
