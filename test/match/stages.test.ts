// The matcher's stages, each on its own: the n-gram classifier, the combination of the two rankers, the
// out-of-scope gate, question parts and the decision with agreement. Then the pipeline on the shipped content:
// short queries, two questions in one message, near-domain subjects, and an uncertain answer with runners-up.
import { describe, expect, it } from 'vitest';
import { loadContentOrThrow } from '../../src/content/index.js';
import { opinion } from '../../src/match/combine.js';
import { certain, decide } from '../../src/match/decide.js';
import { createMatcher, MATCH_CONFIG, questionParts } from '../../src/match/index.js';
import type { LexicalScore } from '../../src/match/lexical.js';
import { ngramFeatures, trainNgram } from '../../src/match/ngram.js';
import { buildScope } from '../../src/match/scope.js';

const toks = (s: string) => s.split(' ');

describe('ngram: a linear classifier over word and char n-grams', () => {
  const examples = [
    { tokens: toks('quen mat khau'), label: 0 },
    { tokens: toks('lay lai mat khau'), label: 0 },
    { tokens: toks('doi mat khau vneid'), label: 0 },
    { tokens: toks('khoa tai khoan'), label: 1 },
    { tokens: toks('tam khoa tai khoan vneid'), label: 1 },
    { tokens: toks('mo khoa tai khoan'), label: 2 },
    { tokens: toks('mo lai tai khoan bi khoa'), label: 2 },
  ];
  const model = trainNgram(examples, 3, { epochs: 30 });

  it('features are words, word pairs and char n-grams, L2-normalised', () => {
    const f = ngramFeatures(toks('mat khau'));
    expect([...f.keys()]).toEqual(expect.arrayContaining(['w:mat', 'w:khau', 'b:mat khau', ' ma', 'khau ']));
    const norm = Math.sqrt([...f.values()].reduce((a, v) => a + v * v, 0));
    expect(norm).toBeCloseTo(1, 6);
  });

  it('learns the training examples and generalises to a typo', () => {
    expect(model.rank(toks('quen mat khau'), 1)[0].label).toBe(0);
    expect(model.rank(toks('mo khoa tai khoan'), 1)[0].label).toBe(2);
    expect(model.rank(toks('quen mat khao'), 1)[0].label).toBe(0);
  });

  it('gives a probability distribution and is deterministic', () => {
    const p = model.probs(toks('khoa tai khoan'));
    expect([...p].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    const again = trainNgram(examples, 3, { epochs: 30 });
    expect([...again.probs(toks('mo lai tai khoan'))]).toEqual([...model.probs(toks('mo lai tai khoan'))]);
  });

  it('answers unknown words with the prior, never NaN', () => {
    const p = model.probs(toks('zzzz qqqq'));
    expect([...p].every((x) => Number.isFinite(x))).toBe(true);
  });
});

describe('combine: agreement between the rankers', () => {
  const model = trainNgram([{ tokens: toks('quen mat khau'), label: 0 }, { tokens: toks('khoa tai khoan'), label: 1 }], 2, { epochs: 20 });
  const lex = (ids: string[]): LexicalScore =>
    ({ tokens: toks('quen mat khau'), candidates: ids.map((id, i) => ({ id, score: 0.2 + i * 0.1, question: id })) }) as LexicalScore;
  const index = (id: string) => ['a', 'b'].indexOf(id);
  it('agrees when the classifier ranks the lexical first entry first', () => {
    expect(opinion(lex(['a', 'b']), model, index)).toMatchObject({ agree: true, best: 0 });
    const o = opinion(lex(['b', 'a']), model, index);
    expect(o.agree).toBe(false);
    expect(o.pSecond).toBeGreaterThan(o.pTop);
  });
  it('has no opinion without a model', () => {
    expect(opinion(lex(['a']), undefined, index).agree).toBe(false);
  });
});

describe('decide with the classifier agreeing', () => {
  const c = { ...MATCH_CONFIG, answerMax: 0.5, agreeMinP: 0.4, agreeAnswerMax: 0.7, agreeGap: 0.05 };
  it('answers a weaker lead only when both rankers agree', () => {
    const ev = { anchored: true, foreign: 0 };
    expect(decide(0.6, 0.7, 1, c, ev)).toBe('suggest');
    expect(decide(0.6, 0.7, 1, c, { ...ev, agree: true, pTop: 0.5 })).toBe('answer');
    expect(decide(0.6, 0.7, 1, c, { ...ev, agree: true, pTop: 0.3 })).toBe('suggest');
    expect(decide(0.75, 0.9, 1, c, { ...ev, agree: true, pTop: 0.9 })).toBe('suggest');
  });
  it('a classifier sure of the same entry (agreeStrongP) answers a near tie, never an exact tie', () => {
    const s = { ...c, agreeStrongP: 0.8 };
    const ev = { anchored: true, foreign: 0, agree: true };
    expect(decide(0.6, 0.61, 1, s, { ...ev, pTop: 0.5 })).toBe('suggest');
    expect(decide(0.6, 0.61, 1, s, { ...ev, pTop: 0.9 })).toBe('answer');
    expect(decide(0.6, 0.6, 1, s, { ...ev, pTop: 0.9 })).toBe('suggest');
    expect(decide(0.6, 0.61, 1, s, { ...ev, pTop: 0.9, agree: false })).toBe('suggest');
    expect(decide(0.6, 0.61, 1, { ...s, agreeStrongP: 2 }, { ...ev, pTop: 0.99 })).toBe('suggest');
  });
  it('an answer is certain when near-perfect with a lead, or agreed with a lead', () => {
    expect(certain(0.1, 0.5, c)).toBe(true);
    expect(certain(0.5, 0.55, c, { anchored: true, foreign: 0, agree: true })).toBe(false);
    expect(certain(0.5, 0.9, c, { anchored: true, foreign: 0, agree: true })).toBe(true);
    expect(certain(0.5, 0.9, c, { anchored: true, foreign: 0, agree: false })).toBe(false);
  });
});

describe('questionParts: two questions in one message', () => {
  it('splits after question marks and before "với lại" / "cho hỏi thêm"', () => {
    expect(questionParts('Con 10 tuổi làm được không? Thủ tục thế nào?')).toEqual(['Con 10 tuổi làm được không', 'Thủ tục thế nào']);
    expect(questionParts('quên passcode thì sao với lại đổi số điện thoại ở đâu')).toEqual(['quên passcode thì sao', 'với lại đổi số điện thoại ở đâu']);
  });
  it('drops one-word parts and keeps at most four', () => {
    expect(questionParts('Sao? Kích hoạt thế nào?')).toEqual(['Kích hoạt thế nào']);
    expect(questionParts('a b? c d? e f? g h? i k?')).toHaveLength(4);
  });
});

const content = loadContentOrThrow('content');
const matcher = createMatcher(content);

describe('scope: near-domain subjects (content/out-of-scope.yaml)', () => {
  const scope = buildScope(content);
  it('finds a subject the question names, unless it names e-ID/VNeID', () => {
    expect(scope.find(toks('lam ho chieu o dau'))?.id).toBe('ho-chieu');
    expect(scope.find(toks('tich hop bang lai vao vneid'))).toBeUndefined();
    expect(scope.find(toks('kich hoat tai khoan'))).toBeUndefined();
  });
  it.each([
    ['làm hộ chiếu online ở đâu', 'ho-chieu'],
    ['quên mật khẩu app ngân hàng thì lấy lại sao', 'ngan-hang'],
    ['tra cứu phạt nguội ở đâu', 'phat-giao-thong'],
    ['thẻ bảo hiểm y tế bị mất làm lại thế nào', 'bao-hiem'],
    ['quên mã pin ví zalopay phải làm sao', 'ngan-hang'],
  ])('"%s" → out of scope (%s)', (q, id) => {
    const m = matcher.match(q);
    expect(m.decision).toBe('out-of-scope');
    expect(m.scope?.id).toBe(id);
  });
  it('is out of scope when the question names a near-domain phrase the best entry does not use', () => {
    expect(scope.findAll(toks('thi giay phep lai xe o dau')).map((h) => h.phrase)).toContain('thi giay phep lai xe');
    expect(matcher.match('học thi bằng lái xe máy ở đâu').scope?.id).toBe('bang-lai');
    // The entry on papers in the app talks about driving licences, not about traffic fines.
    const m = matcher.match('đưa bằng lái xe vào app rồi thì tra phạt nguội được không');
    expect(m.decision).toBe('out-of-scope');
    expect(m.scope?.id).toBe('phat-giao-thong');
  });
  it('still answers the same subject inside VNeID', () => {
    const m = matcher.match('tích hợp bằng lái xe vào vneid thế nào');
    expect(m.decision).toBe('answer');
  });
});

describe('the pipeline on the shipped content', () => {
  it.each(['kích hoạt vneid', 'kich hoat', 'kích hoạt', 'kích hoạt tài khoản'])('"%s" answers with the activation steps', (q) => {
    const m = matcher.match(q);
    expect(m.decision).toBe('answer');
    expect(m.candidates[0].id).toBe('kich-hoat-cac-buoc');
  });

  it('answers both questions of a two-question message', () => {
    const m = matcher.match('quên passcode vneid thì làm sao? đổi số điện thoại cho vneid ở đâu?');
    expect(m.decision).toBe('answer');
    expect(m.candidates[0].id).toBe('su-co-quen-passcode');
    expect(m.also?.id).toBe('su-co-doi-so-dien-thoai');
  });

  it('the classifier is trained from the YAML at build time (its time is a bench figure, not a test)', async () => {
    const { trainModel } = await import('../../src/match/index.js');
    const model = trainModel({ ...content, version: `${content.version}-fresh` }, MATCH_CONFIG);
    expect(model.features).toBeGreaterThan(1000);
  });
});
