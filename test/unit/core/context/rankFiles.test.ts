import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { gatherRepoContext, MAP_PATH } from '../../../../src/core/context/gatherRepoContext';
import { personalisedPageRank } from '../../../../src/core/context/rankFiles';
import { WorkspaceIndex } from '../../../../src/core/context/workspaceIndex';
import { makeWorkspace, type TempWorkspace } from '../../../support/tempWorkspace';

const graph = (pairs: [string, string][]) => {
  const m = new Map<string, Map<string, number>>();
  for (const [a, b] of pairs) {
    (m.get(a) ?? m.set(a, new Map()).get(a)!).set(b, 1);
    (m.get(b) ?? m.set(b, new Map()).get(b)!).set(a, 1);
  }
  return m;
};

describe('fused ranking', () => {
  it('personalised PageRank favours a neighbour of two seeds over a neighbour of one', () => {
    const r = personalisedPageRank(graph([['s1', 'both'], ['s2', 'both'], ['s1', 'one'], ['one', 'far']]), new Map([['s1', 1], ['s2', 1]]));
    assert.ok(r.get('both')! > r.get('one')!);
    assert.ok(r.get('one')! > r.get('far')!);
    const total = [...r.values()].reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - 1) < 1e-9, String(total));
  });

  describe('on a workspace', () => {
    let ws: TempWorkspace;
    // The task names no symbol: its words meet zsh_completions.go by path; bash.go only imports nothing relevant.
    const FILES: Record<string, string> = {
      'cmd/zsh_completions.go': 'package cmd\n\nimport "example.com/app/util"\n\nfunc GenZsh(args []string) string {\n\treturn util.Join(args)\n}\n',
      'util/join.go': 'package util\n\nfunc Join(parts []string) string {\n\treturn ""\n}\n',
      'cmd/bash_completions.go': 'package cmd\n\nfunc GenBash() string {\n\treturn "bash"\n}\n',
      'cmd/version.go': 'package cmd\n\nfunc Version() string {\n\treturn "1"\n}\n',
      'cmd/zsh_completions_test.go': 'package cmd\n\nfunc TestZshCompletion() {\n\t// zsh completion quote args\n}\n',
      'docs/zsh.md': '# zsh completion\n\nQuote the arguments. zsh zsh zsh completion completion.\n',
      'cmd/root.go': 'package cmd\n\nfunc Execute() {}\n',
      'cmd/flags.go': 'package cmd\n\nfunc Flags() []string {\n\treturn nil\n}\n',
      'util/strings.go': 'package util\n\nfunc Trim(s string) string {\n\treturn s\n}\n',
      'main.go': 'package main\n\nfunc main() {}\n',
    };
    beforeEach(async () => (ws = await makeWorkspace(FILES)));
    afterEach(() => ws.cleanup());

    it('puts word matches first (source before its test and docs), then files reached only through imports, each with its reasons', async () => {
      const index = await WorkspaceIndex.build({ root: ws.root });
      const ctx = await gatherRepoContext({ task: 'quote the arguments in the zsh completion', index, maxChars: 60_000 });
      const order = ctx.files.map((f) => f.path);
      assert.equal(order[0], 'cmd/zsh_completions.go', order.join(', '));
      const at = (p: string) => order.indexOf(p);
      assert.ok(at('cmd/zsh_completions_test.go') > 0 && at('docs/zsh.md') > at('cmd/zsh_completions_test.go'), order.join(', '));
      const join = ctx.files.find((f) => f.path === 'util/join.go');
      assert.equal(join?.reason, 'imported by cmd/zsh_completions.go');
      assert.match(ctx.files[0].reason!, /^matches "zsh", "complet" \(path, contents\)/);
      assert.ok(!order.includes('cmd/version.go'), order.join(', '));
      assert.equal(order[order.length - 1], MAP_PATH);
    });

    it('keeps the index up to date per file: a new file matching the task is found after update()', async () => {
      const index = await WorkspaceIndex.build({ root: ws.root });
      await index.lexical();
      await fs.writeFile(path.join(ws.root, 'cmd/fish_completions.go'), 'package cmd\n\nfunc GenFish() string {\n\treturn "fish"\n}\n');
      await index.update('cmd/fish_completions.go');
      const ctx = await gatherRepoContext({ task: 'fish completion prints nothing', index, maxChars: 60_000 });
      assert.equal(ctx.files[0].path, 'cmd/fish_completions.go');
      await fs.rm(path.join(ws.root, 'cmd/fish_completions.go'));
      await index.update('cmd/fish_completions.go');
      const again = await gatherRepoContext({ task: 'fish completion prints nothing', index, maxChars: 60_000 });
      assert.ok(!again.files.some((f) => f.path === 'cmd/fish_completions.go'));
    });

    it('sends a long file reached through a symbol it uses as the lines using it, and says so per range', async () => {
      // Enough other files that `GenZshScript` is a rare word (what a reference edge needs).
      for (let i = 0; i < 12; i++) await fs.writeFile(path.join(ws.root, `cmd/other${i}.go`), `package cmd\n\nfunc Other${i}() {}\n`);
      const filler = Array.from({ length: 1_000 }, (_, i) => `\tstep${i} := ${i}`);
      filler[700] = '\tout := GenZshScript(args)';
      await fs.writeFile(path.join(ws.root, 'cmd/runner.go'), `package cmd\n\nfunc Run(args []string) {\n${filler.join('\n')}\n}\n`);
      await fs.writeFile(path.join(ws.root, 'cmd/zsh_completions.go'), 'package cmd\n\nfunc GenZshScript(args []string) string {\n\treturn ""\n}\n');
      const index = await WorkspaceIndex.build({ root: ws.root });
      await index.warm();
      const ctx = await gatherRepoContext({ task: 'quote the arguments in the zsh completion', index, maxChars: 20_000 });
      const runner = ctx.files.find((f) => f.path === 'cmd/runner.go');
      assert.match(runner?.reason ?? '', /uses `GenZshScript` from cmd\/zsh_completions\.go/);
      const callLine = 4 + 700;
      assert.ok(runner?.lines?.some(([a, b]) => a <= callLine && callLine <= b), JSON.stringify(runner?.lines));
      assert.match(runner!.note!, /\d+–\d+ uses `GenZshScript`/);
    });

    it('gives the map at most a quarter of the budget once files matched', async () => {
      const index = await WorkspaceIndex.build({ root: ws.root });
      const ctx = await gatherRepoContext({ task: 'quote the arguments in the zsh completion', index, maxChars: 2_000 });
      const map = ctx.files.find((f) => f.path === MAP_PATH);
      assert.ok(!map || map.text.length <= 500, map?.text);
      assert.ok(ctx.chars <= 2_000);
    });
  });
});

describe('the lexical index in the background', () => {
  let ws: TempWorkspace;
  beforeEach(async () => (ws = await makeWorkspace({ 'a/zsh.go': 'package a\n\nfunc Zsh() {}\n', 'b/fish.go': 'package b\n\nfunc Fish() {}\n' })));
  afterEach(() => ws.cleanup());

  it('a stopped warm() resolves, and the next query builds the index it left unbuilt', async () => {
    const index = await WorkspaceIndex.build({ root: ws.root });
    await index.warm(() => true);
    assert.equal(index.hasOutline('a/zsh.go'), false);
    const ctx = await gatherRepoContext({ task: 'fish support', index, maxChars: 60_000 });
    assert.equal(ctx.files[0].path, 'b/fish.go');
  });
});
