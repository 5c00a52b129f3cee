// The fixture the check tests share, set up and taken down by mocha hooks: a sample workspace under the
// suite's temp folder (a git repository when asked, with a `fugu` config when given), a temp folder of
// the test's own for the scratch copies (so other tests' copies never count), the check setup that
// points there, and after each test the assertion that no copy was left, then the workspace's removal.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckSetup } from '../../src/core/check/checkSession';
import { checkEnv } from '../../src/core/check/checkEnv';
import { toCommand } from '../../src/core/check/types';
import { checkCopies, sampleWorkspace, type Sample } from './sampleWorkspace';
import { tempDir } from './tempDir';

export interface CheckFixture {
  /** This test's folder for scratch copies (the TMPDIR a spawned CLI gets). */
  readonly tmpRoot: string;
  /** The workspace this test made last. */
  readonly ws: Sample;
  /** The `.fugu.json` of that workspace, when `workspace` was given a config. */
  readonly config: string;
  /**
   * A sample workspace, removed after the test. `config` is written to `.fugu.json` (listed in
   * `.git/info/exclude` in a repository, so the copy and `git status` never see it).
   */
  workspace(files: Record<string, string>, opts?: { git?: boolean; config?: object }): Promise<Sample>;
  /** A check of `command` with the check environment a run gives it, its copies in `tmpRoot`. */
  check(command: string[] | string, timeoutMs?: number): CheckSetup;
}

/** Registers the hooks in the calling `describe`; `prefix` names the tests' scratch-copy folders. */
export function useCheckFixture(prefix: string): CheckFixture {
  let tmpRoot = '';
  const made: Sample[] = [];
  let config = '';
  beforeEach(() => {
    tmpRoot = tempDir(prefix);
  });
  afterEach(async () => {
    try {
      assert.deepEqual(await checkCopies(tmpRoot), [], 'no scratch copy is left behind');
    } finally {
      for (const s of made.splice(0)) await s.cleanup();
      config = '';
    }
  });
  return {
    get tmpRoot() {
      return tmpRoot;
    },
    get ws() {
      const last = made.at(-1);
      if (!last) throw new Error('this test made no workspace yet');
      return last;
    },
    get config() {
      if (!config) throw new Error('this test wrote no .fugu.json yet');
      return config;
    },
    async workspace(files, opts = {}) {
      const ws = await sampleWorkspace(files, { git: opts.git });
      made.push(ws);
      if (opts.config) {
        config = join(ws.root, '.fugu.json');
        writeFileSync(config, JSON.stringify(opts.config));
        if (opts.git) writeFileSync(join(ws.root, '.git/info/exclude'), '.fugu.json\n');
      }
      return ws;
    },
    check: (command, timeoutMs = 60_000) => ({ command: toCommand(command), timeoutMs, maxOutputBytes: 65536, env: checkEnv(process.env, null), tmpRoot }),
  };
}
