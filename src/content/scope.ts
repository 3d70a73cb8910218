// content/out-of-scope.yaml: near-domain subjects — procedures residents confuse with e-ID (passport, driving
// licence, traffic fines, health insurance, other apps' passwords, land papers…). A question about one of
// them that does not name e-ID/VNeID gets one clear reply (messages.yaml `out_of_scope`) instead of a list of
// e-ID entries. Parsed here, apart from parse.ts, so that the FAQ schema stays in one place.
import { isMap } from 'yaml';
import { IssueList } from './issues.js';
import type { ScopeTopic } from './types.js';
import { Fields, rootMap } from './yaml.js';
import type { YamlFile } from './yaml.js';

export function parseScope(y: YamlFile, issues: IssueList): { topics: ScopeTopic[]; ours: string[] } {
  const root = rootMap(y, issues, 'topics: [ { id: ho-chieu, name: hộ chiếu, terms: [hộ chiếu, passport] } ]');
  if (!root) return { topics: [], ours: [] };
  const f = new Fields(y, root, `tệp ${y.file}`, ['topics', 'ours'], issues);
  const ours = f.has('ours') ? f.list('ours').map((t) => t.value) : [];
  const node = f.node('topics');
  const out: ScopeTopic[] = [];
  const items = node && 'items' in node && Array.isArray((node as { items: unknown[] }).items) ? (node as { items: unknown[] }).items : [];
  items.forEach((item, index) => {
    if (!isMap(item)) {
      issues.error('wrong-type', f.posOf('topics'), `Mục thứ ${index + 1} trong "topics:" của ${y.file} phải có dạng "- id: …, name: …, terms: [ … ]".`);
      return;
    }
    const g = new Fields(y, item, `chủ đề ngoài phạm vi thứ ${index + 1} của ${y.file}`, ['id', 'name', 'terms'], issues);
    const id = g.text('id', { required: true, example: 'id: ho-chieu' });
    const name = g.text('name', { required: true, example: 'name: hộ chiếu' });
    const terms = g.list('terms', { required: true, example: 'terms: [hộ chiếu, passport]' }).map((t) => t.value);
    if (id && name && terms.length) out.push({ id, name, terms, pos: g.pos });
  });
  return { topics: out, ours };
}
