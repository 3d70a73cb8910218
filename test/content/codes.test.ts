// Every issue code the loader can emit has a Vietnamese title for `npm run check` and a line in content/README.md.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ISSUE_CODES } from '../../src/content/codes.js';

const src = readdirSync('src/content')
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(`src/content/${f}`, 'utf8'))
  .join('\n');
const emitted = new Map<string, 'error' | 'warning'>();
for (const m of src.matchAll(/issues\.(error|warn)\(\s*'([a-z0-9-]+)'/g)) emitted.set(m[2]!, m[1] === 'error' ? 'error' : 'warning');
for (const m of src.matchAll(/issues\.error\(\s*node === undefined \? '([a-z-]+)' : '([a-z-]+)'/g)) {
  emitted.set(m[1]!, 'error');
  emitted.set(m[2]!, 'error');
}

describe('the issue code catalogue', () => {
  it('lists every code the loader emits, with the right severity', () => {
    expect(emitted.size).toBeGreaterThan(30);
    for (const [code, severity] of emitted) expect(ISSUE_CODES[code]?.severity, code).toBe(severity);
  });

  it('is explained, code by code, in the staff guide content/README.md', () => {
    const guide = readFileSync('content/README.md', 'utf8');
    for (const code of Object.keys(ISSUE_CODES)) expect(guide, code).toContain(`\`${code}\``);
  });
});
