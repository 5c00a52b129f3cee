// Real-world edit cases: a workspace, a coder's answer, and what the plan for each file must be.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface ExpectedPlan {
  status: 'proposed' | 'failed' | 'refused';
  action?: 'create' | 'modify' | 'delete';
  /** Exact proposed text (for 'proposed' create/modify). */
  text?: string;
  /** Substrings the reason must contain (for failures and refusals). */
  reason?: string[];
}

export interface EditCase {
  name: string;
  files: Record<string, string>;
  /** Extra setup in the temp workspace (symlinks); `outside` is a sibling temp dir outside the workspace. */
  setup?: (root: string, outside: string) => Promise<void>;
  answer: string;
  expect: Record<string, ExpectedPlan>;
  parseErrors?: number;
}

/** One block in the conventional format. Parts end with a newline unless empty. */
export function blk(file: string, search: string, replace: string, lang = 'ts'): string {
  return `${file}\n\`\`\`${lang}\n<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE\n\`\`\`\n`;
}

const TS_CLASS = `export class Counter {
    private count = 0;

    increment(): void {
        this.count++;
    }

    get value(): number {
        return this.count;
    }
}
`;

const GO_TABS = 'package main\n\nfunc main() {\n\tx := 1\n\tif x > 0 {\n\t\tprintln("pos")\n\t}\n}\n';

const REPEATED = `function a() {
  return compute(1);
}

function b() {
  return compute(1);
}
`;

const PY_FILE = `import os


def load(path):
    with open(path) as f:
        data = f.read()
    return data


def save(path, data):
    with open(path, "w") as f:
        f.write(data)
`;

export const EDIT_CASES: EditCase[] = [
  {
    name: 'exact single-line replacement',
    files: { 'src/a.ts': 'const a = 1;\nconst b = 2;\n' },
    answer: blk('src/a.ts', 'const b = 2;\n', 'const b = 3;\n'),
    expect: { 'src/a.ts': { status: 'proposed', action: 'modify', text: 'const a = 1;\nconst b = 3;\n' } },
  },
  {
    name: 'exact multi-line replacement in the middle of a class',
    files: { 'src/counter.ts': TS_CLASS },
    answer: blk('src/counter.ts', '    increment(): void {\n        this.count++;\n    }\n', '    increment(by = 1): void {\n        this.count += by;\n    }\n'),
    expect: { 'src/counter.ts': { status: 'proposed', text: TS_CLASS.replace('increment(): void {\n        this.count++;', 'increment(by = 1): void {\n        this.count += by;') } },
  },
  {
    name: 'trailing whitespace in the file but not in SEARCH',
    files: { 'a.js': 'foo();   \nbar();\t\n' },
    answer: blk('a.js', 'foo();\nbar();\n', 'foo(1);\nbar(2);\n', 'js'),
    expect: { 'a.js': { status: 'proposed', text: 'foo(1);\nbar(2);\n' } },
  },
  {
    name: 'trailing whitespace in SEARCH but not in the file',
    files: { 'a.js': 'foo();\nbar();\n' },
    answer: blk('a.js', 'foo();  \n', 'baz();\n', 'js'),
    expect: { 'a.js': { status: 'proposed', text: 'baz();\nbar();\n' } },
  },
  {
    name: 'indentation drift: SEARCH written at column 0 for indented code',
    files: { 'src/counter.ts': TS_CLASS },
    answer: blk('src/counter.ts', 'get value(): number {\n    return this.count;\n}\n', 'get value(): number {\n    if (this.count < 0) return 0;\n    return this.count;\n}\n'),
    expect: {
      'src/counter.ts': {
        status: 'proposed',
        text: TS_CLASS.replace('        return this.count;\n', '        if (this.count < 0) return 0;\n        return this.count;\n'),
      },
    },
  },
  {
    name: 'indentation drift: tabs in the file, spaces in the answer',
    files: { 'main.go': GO_TABS },
    answer: blk('main.go', '    if x > 0 {\n        println("pos")\n    }\n', '    if x > 0 {\n        println("pos")\n    } else {\n        println("neg")\n    }\n', 'go'),
    expect: { 'main.go': { status: 'proposed', text: GO_TABS.replace('\t}\n}', '\t} else {\n\t\tprintln("neg")\n\t}\n}') } },
  },
  {
    name: 'indentation drift: 2-space answer for a 4-space file, nested lines scaled',
    files: { 'app.py': PY_FILE },
    answer: blk('app.py', 'def load(path):\n  with open(path) as f:\n    data = f.read()\n  return data\n', 'def load(path):\n  with open(path) as f:\n    data = f.read()\n    if not data:\n      raise ValueError(path)\n  return data\n', 'python'),
    expect: { 'app.py': { status: 'proposed', text: PY_FILE.replace('        data = f.read()\n', '        data = f.read()\n        if not data:\n            raise ValueError(path)\n') } },
  },
  {
    name: 'CRLF file stays CRLF, including added lines',
    files: { 'win.cs': 'class A\r\n{\r\n    int x;\r\n}\r\n' },
    answer: blk('win.cs', '    int x;\n', '    int x;\n    int y;\n', 'cs'),
    expect: { 'win.cs': { status: 'proposed', text: 'class A\r\n{\r\n    int x;\r\n    int y;\r\n}\r\n' } },
  },
  {
    name: 'CRLF file edited at its first line',
    files: { 'win.txt': 'alpha\r\nbeta\r\n' },
    answer: blk('win.txt', 'alpha\n', 'ALPHA\n', 'text'),
    expect: { 'win.txt': { status: 'proposed', text: 'ALPHA\r\nbeta\r\n' } },
  },
  {
    name: 'a file without a final newline keeps none after editing its last line',
    files: { 'n.txt': 'one\ntwo' },
    answer: blk('n.txt', 'two\n', 'TWO\nthree\n', 'text'),
    expect: { 'n.txt': { status: 'proposed', text: 'one\nTWO\nthree' } },
  },
  {
    name: 'repeated snippet is ambiguous and names every place',
    files: { 'r.js': REPEATED },
    answer: blk('r.js', '  return compute(1);\n', '  return compute(2);\n', 'js'),
    expect: { 'r.js': { status: 'failed', reason: ['Block #1', 'r.js', 'matches 2 places', 'lines 2, 6'] } },
  },
  {
    name: 'a snippet that moved lower in the file still applies',
    files: { 'm.ts': '// header\n// more header\n\nimport x from "x";\n\nexport function moved() {\n  return 1;\n}\n' },
    answer: blk('m.ts', 'export function moved() {\n  return 1;\n}\n', 'export function moved() {\n  return 2;\n}\n'),
    expect: { 'm.ts': { status: 'proposed', text: '// header\n// more header\n\nimport x from "x";\n\nexport function moved() {\n  return 2;\n}\n' } },
  },
  {
    name: 'several blocks in one file',
    files: { 'app.py': PY_FILE },
    answer: blk('app.py', 'import os\n', 'import os\nimport sys\n', 'python') + blk('app.py', '    with open(path, "w") as f:\n', '    with open(path, "w", encoding="utf-8") as f:\n', 'python'),
    expect: { 'app.py': { status: 'proposed', text: PY_FILE.replace('import os\n', 'import os\nimport sys\n').replace('open(path, "w")', 'open(path, "w", encoding="utf-8")') } },
  },
  {
    name: 'blocks out of file order',
    files: { 'o.txt': 'first\nsecond\nthird\n' },
    answer: blk('o.txt', 'third\n', 'THIRD\n', 'text') + blk('o.txt', 'first\n', 'FIRST\n', 'text'),
    expect: { 'o.txt': { status: 'proposed', text: 'FIRST\nsecond\nTHIRD\n' } },
  },
  {
    name: 'a later block edits what an earlier block wrote',
    files: { 's.txt': 'a\nb\n' },
    answer: blk('s.txt', 'a\n', 'a\nnew\n', 'text') + blk('s.txt', 'new\nb\n', 'NEW\nb\n', 'text'),
    expect: { 's.txt': { status: 'proposed', text: 'a\nNEW\nb\n' } },
  },
  {
    name: 'empty SEARCH on a missing file creates it',
    files: {},
    answer: blk('src/new.ts', '', 'export const x = 1;\n'),
    expect: { 'src/new.ts': { status: 'proposed', action: 'create', text: 'export const x = 1;\n' } },
  },
  {
    name: 'a new file in a new nested folder, path in backticks above the fence',
    files: {},
    answer: 'Create `lib/deep/util.py`:\n```python\n<<<<<<< SEARCH\n=======\ndef f():\n    return 1\n>>>>>>> REPLACE\n```\n',
    expect: { 'lib/deep/util.py': { status: 'proposed', action: 'create', text: 'def f():\n    return 1\n' } },
  },
  {
    name: 'empty SEARCH on an existing file appends',
    files: { 'list.txt': 'one\ntwo\n' },
    answer: blk('list.txt', '', 'three\n', 'text'),
    expect: { 'list.txt': { status: 'proposed', action: 'modify', text: 'one\ntwo\nthree\n' } },
  },
  {
    name: 'empty SEARCH whose REPLACE is the whole file plus an addition does not duplicate it',
    files: { 'w.py': 'import os\r\n\r\ndef a():\r\n    pass\r\n' },
    answer: blk('w.py', '', 'import os\n\ndef a():\n    pass\n\ndef b():\n    pass\n', 'python'),
    expect: { 'w.py': { status: 'proposed', text: 'import os\r\n\r\ndef a():\r\n    pass\r\n\r\ndef b():\r\n    pass\r\n' } },
  },
  {
    name: 'empty SEARCH with a rewritten whole file is a failure, not an append',
    files: { 'w.py': 'import os\n\ndef a():\n    pass\n' },
    answer: blk('w.py', '', 'import os\n\ndef a():\n    return 1\n', 'python'),
    expect: { 'w.py': { status: 'failed', reason: ['whole new version'] } },
  },
  {
    name: 'append to a file without a final newline starts a new line',
    files: { 'list.txt': 'one\ntwo' },
    answer: blk('list.txt', '', 'three\n', 'text'),
    expect: { 'list.txt': { status: 'proposed', text: 'one\ntwo\nthree' } },
  },
  {
    name: 'explicit deletion of a file',
    files: { 'old/legacy.js': 'module.exports = 1;\n', 'keep.js': 'x\n' },
    answer: 'old/legacy.js\n```\nDELETE FILE\n```\n',
    expect: { 'old/legacy.js': { status: 'proposed', action: 'delete' } },
  },
  {
    name: 'deleting a file that does not exist fails',
    files: {},
    answer: 'ghost.js\n```\nDELETE FILE\n```\n',
    expect: { 'ghost.js': { status: 'failed', reason: ['does not exist'] } },
  },
  {
    name: 'a file both deleted and edited is a failure, not a guess',
    files: { 'both.js': 'a\n' },
    answer: blk('both.js', 'a\n', 'b\n', 'js') + '\nboth.js\n```\nDELETE FILE\n```\n',
    expect: { 'both.js': { status: 'failed', reason: ['both deleted and edited'] } },
  },
  {
    name: 'a path with .. that leaves the workspace is refused',
    files: {},
    answer: blk('../outside.txt', '', 'pwned\n', 'text'),
    expect: { '../outside.txt': { status: 'refused', reason: ['leaves the workspace'] } },
  },
  {
    name: 'a path that climbs out through a folder is refused',
    files: { 'src/a.ts': 'x\n' },
    answer: blk('src/../../etc/passwd', 'root\n', 'x\n', 'text'),
    expect: { '../etc/passwd': { status: 'refused', reason: ['leaves the workspace'] } },
  },
  {
    name: 'an absolute POSIX path is refused',
    files: {},
    answer: blk('/etc/hosts', '', '1.2.3.4 evil\n', 'text'),
    expect: { '/etc/hosts': { status: 'refused', reason: ['absolute path'] } },
  },
  {
    name: 'an absolute Windows path is refused',
    files: {},
    answer: blk('C:\\Windows\\win.ini', '', 'x\n', 'ini'),
    expect: { 'C:/Windows/win.ini': { status: 'refused', reason: ['absolute path'] } },
  },
  {
    name: '.git/config is refused',
    files: { '.git/config': '[core]\n' },
    answer: blk('.git/config', '[core]\n', '[core]\n\thooksPath = /tmp/evil\n', 'ini'),
    expect: { '.git/config': { status: 'refused', reason: ['.git'] } },
  },
  {
    name: 'a symlinked folder that points outside the workspace is refused',
    files: {},
    setup: async (root, outside) => {
      await fs.writeFile(path.join(outside, 'secret.txt'), 'secret\n');
      await fs.symlink(outside, path.join(root, 'linked'), 'dir');
    },
    answer: blk('linked/secret.txt', 'secret\n', 'changed\n', 'text'),
    expect: { 'linked/secret.txt': { status: 'refused', reason: ['symbolic link'] } },
  },
  {
    name: 'a dangling symlink that points outside is refused',
    files: {},
    setup: async (root, outside) => {
      await fs.symlink(path.join(outside, 'not-yet.txt'), path.join(root, 'dangling.txt'));
    },
    answer: blk('dangling.txt', '', 'content\n', 'text'),
    expect: { 'dangling.txt': { status: 'refused', reason: ['symbolic link'] } },
  },
  {
    name: 'a symlink that stays inside the workspace is allowed',
    files: { 'real/config.json': '{ "a": 1 }\n' },
    setup: async (root) => {
      await fs.symlink(path.join(root, 'real'), path.join(root, 'alias'), 'dir');
    },
    answer: blk('alias/config.json', '{ "a": 1 }\n', '{ "a": 2 }\n', 'json'),
    expect: { 'alias/config.json': { status: 'proposed', text: '{ "a": 2 }\n' } },
  },
  {
    name: 'a ======= line in the code on both sides picks the middle divider',
    files: { 'README.md': 'Title\n=======\n\nOld text.\n' },
    answer: blk('README.md', 'Title\n=======\n\nOld text.\n', 'Title\n=======\n\nNew text.\n', 'markdown'),
    expect: { 'README.md': { status: 'proposed', text: 'Title\n=======\n\nNew text.\n' } },
  },
  {
    name: 'a ======= line in SEARCH only: the split whose SEARCH matches wins',
    files: { 'doc.rst': 'Heading\n=======\nbody\n' },
    answer: blk('doc.rst', 'Heading\n=======\nbody\n', 'Heading\nbody\n', 'rst'),
    expect: { 'doc.rst': { status: 'proposed', text: 'Heading\nbody\n' } },
  },
  {
    name: 'git conflict markers inside the code being fixed',
    files: { 'fixture.txt': 'before\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> feature\nafter\n' },
    answer: blk('fixture.txt', '<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> feature\n', 'resolved\n', 'text'),
    expect: { 'fixture.txt': { status: 'proposed', text: 'before\nresolved\nafter\n' } },
  },
  {
    name: 'fence without a language tag',
    files: { 'a.txt': 'x\n' },
    answer: 'a.txt\n```\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n```\n',
    expect: { 'a.txt': { status: 'proposed', text: 'y\n' } },
  },
  {
    name: 'path in the fence info string',
    files: { 'src/b.ts': 'let b = 1;\n' },
    answer: '```typescript:src/b.ts\n<<<<<<< SEARCH\nlet b = 1;\n=======\nlet b = 2;\n>>>>>>> REPLACE\n```\n',
    expect: { 'src/b.ts': { status: 'proposed', text: 'let b = 2;\n' } },
  },
  {
    name: 'path as the first line inside the fence',
    files: { 'src/c.ts': 'let c = 1;\n' },
    answer: '```ts\nsrc/c.ts\n<<<<<<< SEARCH\nlet c = 1;\n=======\nlet c = 2;\n>>>>>>> REPLACE\n```\n',
    expect: { 'src/c.ts': { status: 'proposed', text: 'let c = 2;\n' } },
  },
  {
    name: 'path in bold backticks with a colon, and as a markdown heading',
    files: { 'src/d.ts': 'd1\n', 'src/e.ts': 'e1\n' },
    answer: '**`src/d.ts`**:\n```ts\n<<<<<<< SEARCH\nd1\n=======\nd2\n>>>>>>> REPLACE\n```\n\n### src/e.ts\n\n```ts\n<<<<<<< SEARCH\ne1\n=======\ne2\n>>>>>>> REPLACE\n```\n',
    expect: { 'src/d.ts': { status: 'proposed', text: 'd2\n' }, 'src/e.ts': { status: 'proposed', text: 'e2\n' } },
  },
  {
    name: 'path alone in a fence of its own right before the block (as DeepSeek writes it)',
    files: { 'foo.txt': 'one\n' },
    answer: "Here's the change:\n\n ```python\nfoo.txt\n```\n```python\n<<<<<<< SEARCH\none\n=======\ntwo\n>>>>>>> REPLACE\n```\n",
    expect: { 'foo.txt': { status: 'proposed', text: 'two\n' } },
  },
  {
    name: 'path as a comment on the fence\'s first line, in the language\'s own comment style',
    files: { 'src/a.ts': 'a1\n', 'app/main.py': 'p1\n', 'web/index.html': '<p>1</p>\n', 'db/init.sql': 's1\n' },
    answer:
      '```ts\n// src/a.ts\n<<<<<<< SEARCH\na1\n=======\na2\n>>>>>>> REPLACE\n```\n' +
      '```python\n# app/main.py\n<<<<<<< SEARCH\np1\n=======\np2\n>>>>>>> REPLACE\n```\n' +
      '```html\n<!-- web/index.html -->\n<<<<<<< SEARCH\n<p>1</p>\n=======\n<p>2</p>\n>>>>>>> REPLACE\n```\n' +
      '```sql\n-- db/init.sql\n<<<<<<< SEARCH\ns1\n=======\ns2\n>>>>>>> REPLACE\n```\n',
    expect: {
      'src/a.ts': { status: 'proposed', text: 'a2\n' },
      'app/main.py': { status: 'proposed', text: 'p2\n' },
      'web/index.html': { status: 'proposed', text: '<p>2</p>\n' },
      'db/init.sql': { status: 'proposed', text: 's2\n' },
    },
  },
  {
    name: 'path under a bold label, as a markdown link, and with a "(new file)" note',
    files: { 'src/f.ts': 'f1\n', 'src/g.ts': 'g1\n' },
    answer:
      '**File: src/f.ts**\n```ts\n<<<<<<< SEARCH\nf1\n=======\nf2\n>>>>>>> REPLACE\n```\n' +
      '[src/g.ts](src/g.ts)\n```ts\n<<<<<<< SEARCH\ng1\n=======\ng2\n>>>>>>> REPLACE\n```\n' +
      'src/h.ts (new file)\n```ts\n<<<<<<< SEARCH\n=======\nh\n>>>>>>> REPLACE\n```\n',
    expect: {
      'src/f.ts': { status: 'proposed', text: 'f2\n' },
      'src/g.ts': { status: 'proposed', text: 'g2\n' },
      'src/h.ts': { status: 'proposed', action: 'create', text: 'h\n' },
    },
  },
  {
    name: 'unfenced blocks, each under its path, as aider\'s format writes them',
    files: { 'aider/coder.py': 'a\nb\n' },
    answer: '\naider/coder.py\n<<<<<<< SEARCH\na\n=======\nA\n>>>>>>> REPLACE\n\naider/coder.py\n<<<<<<< SEARCH\nb\n=======\nB\n>>>>>>> REPLACE',
    expect: { 'aider/coder.py': { status: 'proposed', text: 'A\nB\n' } },
  },
  {
    name: 'the same file named twice, once with its folder, is one file',
    files: { 'src/same.ts': 's\n' },
    answer: 'src/same.ts\n```ts\n// same.ts\n<<<<<<< SEARCH\ns\n=======\nS\n>>>>>>> REPLACE\n```\n',
    expect: { 'src/same.ts': { status: 'proposed', text: 'S\n' } },
  },
  {
    name: 'two different files named for one block: refused, neither file touched',
    files: { 'src/a.ts': 'x\n', 'src/b.ts': 'x\n' },
    answer: 'src/a.ts\n```ts\n// src/b.ts\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n```\n',
    expect: {},
    parseErrors: 1,
  },
  {
    name: 'Windows line endings in the answer, LF file',
    files: { 'lf.txt': 'one\ntwo\n' },
    answer: blk('lf.txt', 'one\ntwo\n', 'one\n2\n', 'text').replace(/\n/g, '\r\n'),
    expect: { 'lf.txt': { status: 'proposed', text: 'one\n2\n' } },
  },
  {
    name: 'two blocks in one fence under one path',
    files: { 'k.txt': 'a\nb\nc\n' },
    answer: 'k.txt\n```\n<<<<<<< SEARCH\na\n=======\nA\n>>>>>>> REPLACE\n<<<<<<< SEARCH\nc\n=======\nC\n>>>>>>> REPLACE\n```\n',
    expect: { 'k.txt': { status: 'proposed', text: 'A\nb\nC\n' } },
  },
  {
    name: 'fuzzy match accepted for a small typo in a longer SEARCH',
    files: { 'f.ts': 'function total(items) {\n  let sum = 0;\n  for (const item of items) {\n    sum += item.price * item.quantity;\n  }\n  return sum;\n}\n' },
    answer: blk('f.ts', 'function total(items) {\n  let sum = 0;\n  for (const item of items) {\n    sum += item.price * item.qantity;\n  }\n  return sum;\n}\n', 'function total(items) {\n  return items.reduce((s, i) => s + i.price * i.quantity, 0);\n}\n'),
    expect: { 'f.ts': { status: 'proposed', text: 'function total(items) {\n  return items.reduce((s, i) => s + i.price * i.quantity, 0);\n}\n' } },
  },
  {
    name: 'fuzzy match rejected when two places are equally close',
    files: { 'g.ts': 'function one() {\n  const value = load("alpha");\n  return transform(value);\n}\n\nfunction two() {\n  const value = load("alpha");\n  return transform(value);\n}\n' },
    answer: blk('g.ts', '  const value = load("alpah");\n  return transform(value);\n', '  return null;\n'),
    expect: { 'g.ts': { status: 'failed', reason: ['Block #1', 'g.ts', 'places are similar', 'lines 2, 7'] } },
  },
  {
    name: 'SEARCH text missing: the reason names the closest line',
    files: { 'h.ts': 'const port = 8080;\nconst host = "localhost";\nstart(host, port);\n' },
    answer: blk('h.ts', 'const host = "0.0.0.0";\nlisten(host);\n', 'x\n'),
    expect: { 'h.ts': { status: 'failed', reason: ['Block #1 for h.ts', 'not found', 'closest text is at line 2', 'No change was made'] } },
  },
  {
    name: 'one failing block keeps the whole file unchanged, other files still proposed',
    files: { 'p.txt': 'one\ntwo\n', 'q.txt': 'q\n' },
    answer: blk('p.txt', 'one\n', 'ONE\n', 'text') + blk('p.txt', 'nope\n', 'x\n', 'text') + blk('q.txt', 'q\n', 'Q\n', 'text'),
    expect: { 'p.txt': { status: 'failed', reason: ['Block #2 for p.txt'] }, 'q.txt': { status: 'proposed', text: 'Q\n' } },
  },
  {
    name: 'an unclosed block is a parse error and does not swallow the next block',
    files: { 'u.txt': 'u\n', 'v.txt': 'v\n' },
    answer: 'u.txt\n```\n<<<<<<< SEARCH\nu\n=======\nU\n```\n\nv.txt\n```\n<<<<<<< SEARCH\nv\n=======\nV\n>>>>>>> REPLACE\n```\n',
    expect: { 'v.txt': { status: 'proposed', text: 'V\n' } },
    parseErrors: 1,
  },
  {
    name: 'a block with no path anywhere is a parse error',
    files: {},
    answer: 'Here is the change.\n```\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n```\n',
    expect: {},
    parseErrors: 1,
  },
  {
    name: 'blank lines at the edges of SEARCH that the file does not have',
    files: { 'b.txt': 'header\nbody line\nfooter\n' },
    answer: blk('b.txt', '\nbody line\n\n', 'BODY\n', 'text'),
    expect: { 'b.txt': { status: 'proposed', text: 'header\nBODY\nfooter\n' } },
  },
  {
    name: 'a one-line SEARCH that is part of a line',
    files: { 'cfg.ts': 'export const config = { retries: 3, timeout: 1000 };\n' },
    answer: blk('cfg.ts', 'timeout: 1000\n', 'timeout: 5000\n'),
    expect: { 'cfg.ts': { status: 'proposed', text: 'export const config = { retries: 3, timeout: 5000 };\n' } },
  },
  {
    name: 'blocks that would empty an existing file are refused as a failure',
    files: { 'e.txt': 'only line\n' },
    answer: blk('e.txt', 'only line\n', '', 'text'),
    expect: { 'e.txt': { status: 'failed', reason: ['leave it empty'] } },
  },
  {
    name: 'an empty REPLACE deletes the matched lines',
    files: { 'd.txt': 'keep\ndrop me\nkeep too\n' },
    answer: blk('d.txt', 'drop me\n', '', 'text'),
    expect: { 'd.txt': { status: 'proposed', text: 'keep\nkeep too\n' } },
  },
  {
    name: './ prefix and backslashes in the path are normalised',
    files: { 'src/w/x.ts': 'w\n' },
    answer: blk('.\\src\\w\\x.ts', 'w\n', 'W\n'),
    expect: { 'src/w/x.ts': { status: 'proposed', text: 'W\n' } },
  },
  {
    name: 'a SEARCH on a file that does not exist fails without creating it',
    files: {},
    answer: blk('missing.ts', 'old\n', 'new\n'),
    expect: { 'missing.ts': { status: 'failed', reason: ['does not exist'] } },
  },
  {
    name: 'a one-line SEARCH that only nearly matches is not applied fuzzily',
    files: { 'one.ts': 'return value + 1;\n' },
    answer: blk('one.ts', 'return value + 2;\n', 'return value;\n'),
    expect: { 'one.ts': { status: 'failed', reason: ['not found'] } },
  },
];
