import assert from 'node:assert/strict';
import { folderFiles, lineNote, notSent, replaceSpans } from '../../../../src/core/context/attachments';
import { decodeText } from '../../../../src/core/context/decodeText';

describe('chat attachments', () => {
  it("replaces each resolved #reference in the prompt by what the context list calls it, wherever it stands", () => {
    const prompt = 'fix #file:cart.js using #sym:parsePrice';
    // VS Code lists references last first; the order given must not matter.
    const spans = [
      { range: [24, 39] as const, text: '`src/price.js` (lines 1-3)' },
      { range: [4, 17] as const, text: '`src/cart.js`' },
    ];
    assert.equal(replaceSpans(prompt, spans), 'fix `src/cart.js` using `src/price.js` (lines 1-3)');
  });

  it('leaves a span as written when its range overlaps another or runs past the prompt', () => {
    assert.equal(replaceSpans('see #file:a.ts', [{ range: [4, 14], text: '`a.ts`' }, { range: [6, 9], text: 'X' }]), 'see `a.ts`');
    assert.equal(replaceSpans('see #file:a.ts', [{ range: [4, 40], text: '`a.ts`' }]), 'see #file:a.ts');
    assert.equal(replaceSpans('no references', []), 'no references');
  });

  it('notes a part of a file by its 1-based lines, and an attachment left out with why', () => {
    assert.equal(lineNote(3, 5), 'lines 3-5');
    assert.equal(lineNote(7, 7), 'line 7');
    assert.equal(notSent('/etc/hosts', 'it is outside the workspace folder'), '/etc/hosts (attached in chat; not sent: it is outside the workspace folder)');
  });

  it("lists a folder's files shallowest first, capped, and says how many more there are", () => {
    const paths = ['src/lib/deep/z.ts', 'src/lib/b.ts', 'src/lib/a.ts', 'src/library.ts', 'test/a.ts'];
    assert.deepEqual(folderFiles('src/lib', paths), { files: ['src/lib/a.ts', 'src/lib/b.ts', 'src/lib/deep/z.ts'], more: 0 });
    assert.deepEqual(folderFiles('src/lib/', paths, 2), { files: ['src/lib/a.ts', 'src/lib/b.ts'], more: 1 });
    assert.deepEqual(folderFiles('nowhere', paths), { files: [], more: 0 });
  });

  it('decodes text and names why other bytes are not text', () => {
    assert.equal(decodeText(new TextEncoder().encode('const a = 1;\n'), 100), 'const a = 1;\n');
    assert.deepEqual(decodeText(Uint8Array.from([0x89, 0x50, 0, 1]), 100), { skip: 'binary' });
    assert.deepEqual(decodeText(Uint8Array.from([0xff, 0xfe, 0x41]), 100), { skip: 'not UTF-8' });
    assert.deepEqual(decodeText(new TextEncoder().encode('x'.repeat(101)), 100), { skip: 'over the size cap' });
  });
});
