import assert from 'node:assert/strict';
import { fingerprintDifference, MergeError, mergeResults, missingShards, parseResultLine, parseResults, type EvalResult } from '../../../../src/core/eval/results';

const line = (extra: Partial<EvalResult> = {}): EvalResult => ({
  task: 't',
  arm: 'single:a',
  repeat: 0,
  pass: true,
  calls: 1,
  inputTokens: 1,
  outputTokens: 1,
  costUsd: 0.001,
  wallMs: 5,
  errorKind: null,
  traceId: 'x',
  fingerprint: { task: 'h1', arm: 'single:a', workers: 'a=openai/m', policy: 'builtin', prompts: 'p1' },
  ...extra,
});

describe('eval results lines', () => {
  it('a line is checked field by field, and the first wrong field is named', () => {
    assert.equal(parseResultLine(JSON.stringify(line())).ok, true);
    const bad = (v: unknown) => {
      const r = parseResultLine(typeof v === 'string' ? v : JSON.stringify(v));
      assert.equal(r.ok, false);
      return (r as { error: string }).error;
    };
    assert.match(bad('<html>'), /not JSON/);
    assert.match(bad([1]), /not a JSON object/);
    assert.match(bad({ ...line(), pass: 'yes' }), /"pass" must be true or false/);
    assert.match(bad({ ...line(), costUsd: -1 }), /"costUsd" must be a number of dollars/);
    const { traceId: _drop, ...noTrace } = line();
    void _drop;
    assert.match(bad(noTrace), /"traceId" is missing/);
    assert.match(bad({ ...line(), status: 'skipped' }), /"status" must be "scored" or "not-run"/);
    assert.match(bad({ ...line(), fingerprint: { task: 'h' } }), /"fingerprint" must be an object/);
    // Fields a newer fugu adds are kept.
    const r = parseResultLine(JSON.stringify({ ...line(), futureField: 1 }));
    assert.ok(r.ok && (r.result as unknown as { futureField: number }).futureField === 1);
  });

  it('a file`s lines are numbered, bad ones listed, a partial last line noticed', () => {
    const text = `${JSON.stringify(line())}\n\nnot json\n${JSON.stringify(line({ repeat: 1 }))}\n{"task":`;
    const r = parseResults(text);
    assert.deepEqual(r.lines, [1, 4]);
    assert.deepEqual(r.bad.map((b) => b.line), [3, 5]);
    assert.equal(r.partialLast, true);
  });

  it('merging: identical copies count once, a scored line wins over a not-run one, different outcomes are a conflict', () => {
    const a = line();
    const notRun = line({ repeat: 1, status: 'not-run', notRunReason: 'network', pass: false });
    const scored = line({ repeat: 1 });
    const merged = mergeResults([
      { file: 'a.jsonl', results: [a, notRun] },
      { file: 'b.jsonl', results: [a, scored] },
    ]);
    assert.equal(merged.length, 2);
    assert.equal(merged.find((r) => r.repeat === 1)!.status, undefined);
    assert.throws(
      () => mergeResults([{ file: 'a.jsonl', results: [a] }, { file: 'b.jsonl', results: [line({ pass: false, traceId: 'y' })] }]),
      (e: Error) => e instanceof MergeError && /t × single:a \(repeat 1\) is in a\.jsonl and b\.jsonl with different outcomes/.test(e.message),
    );
  });

  it('merging refuses lines of one task and arm made with different setups, naming the field', () => {
    const other = line({ repeat: 1, fingerprint: { ...line().fingerprint!, workers: 'a=openai/m-mini' } });
    assert.throws(() => mergeResults([{ file: 'a.jsonl', results: [line()] }, { file: 'b.jsonl', results: [other] }]), /different workers \(a=openai\/m \/ a=openai\/m-mini\)/);
  });

  it('the first differing fingerprint field is named; a line from an older fugu (no fingerprint) differs too', () => {
    const fp = line().fingerprint!;
    assert.equal(fingerprintDifference(fp, { ...fp }), null);
    assert.deepEqual(fingerprintDifference(fp, { ...fp, policy: 'conductor:x', prompts: 'p2' }), { field: 'policy', was: 'builtin', now: 'conductor:x' });
    assert.deepEqual(fingerprintDifference(undefined, fp), { field: 'fingerprint', was: 'none (written by an older fugu)', now: 'one' });
  });

  it('the shards no line came from are named', () => {
    assert.equal(missingShards([line()]), null);
    assert.deepEqual(missingShards([line({ shard: '1/4' }), line({ shard: '3/4' })]), { count: 4, missing: [2, 4] });
  });
});
