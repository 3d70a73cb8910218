// A YAML indentation slip in one entry: the first message names the line and says how many spaces to use.
import { describe, expect, it } from 'vitest';
import { indentationHint, parseYamlFile } from '../../src/content/yaml.js';
import { IssueList } from '../../src/content/issues.js';

const GOOD = ['entries:', '  - id: a', '    questions: [x]', '    answer: |', '      Trả lời.', '    links: [hotline]', ''].join('\n');

describe('a YAML indentation error', () => {
  it('the first message names the broken line, its spaces and the spaces of the field above', () => {
    const text = GOOD.replace('    links:', '   links:');
    const issues = new IssueList();
    parseYamlFile('faq/x.yaml', text, issues);
    const first = issues.errors[0];
    expect(first.pos.line).toBe(6);
    expect(first.message).toContain('dòng 6 thụt lề 3 dấu cách');
    expect(first.message).toContain('trường "answer" ở dòng 4 thụt lề 4 dấu cách');
    expect(first.message).toContain('đúng 4 dấu cách');
  });
  it('says nothing special when the line is aligned (another kind of error)', () => {
    expect(indentationHint(GOOD, 6)).toBeUndefined();
  });
});
