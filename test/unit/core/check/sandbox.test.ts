// The sandbox's own promises, through runCheckCommand with bubblewrap (installed by .ci/run).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { runCheckCommand } from '../../../../src/core/check/runCheckCommand';
import { bwrapArgs, sandboxEngine, seatbeltProfile, type SandboxPolicy } from '../../../../src/core/check/sandbox';
import { toCommand } from '../../../../src/core/check/types';
import { tempDir } from '../../../support/tempDir';

describe('the check sandbox (bubblewrap)', () => {
  let writable: string;
  let outside: string;
  before(async () => {
    assert.equal(await sandboxEngine(), 'bubblewrap', 'bubblewrap can start on this machine');
  });
  beforeEach(async () => {
    writable = await fs.realpath(tempDir('fugu-sbx-copy-'));
    outside = await fs.realpath(tempDir('fugu-sbx-user-'));
    await fs.writeFile(path.join(outside, 'user.txt'), 'mine\n');
  });
  const run = (shell: string, policy: Partial<SandboxPolicy> = {}) =>
    runCheckCommand(toCommand(shell), {
      cwd: writable, env: process.env, timeoutMs: 30_000, maxOutputBytes: 65536,
      sandbox: { engine: 'bubblewrap', policy: { writable, readable: [outside], network: true, ...policy } },
    });

  it('the copy is writable; the user folder is readable but not writable; /tmp is private and empty', async () => {
    const r = await run(`echo ok > here.txt && cat '${outside}/user.txt' && { echo x > '${outside}/user.txt' || echo refused; } && touch /tmp/scratch && echo "tmp: $(ls -A /tmp | tr '\\n' ' ')"`);
    assert.equal(r.outcome, 'passed', r.outputTail);
    assert.match(r.outputTail, /^mine$/m);
    assert.match(r.outputTail, /Read-only file system/);
    assert.match(r.outputTail, /^refused$/m);
    // Only what was bound back (the copy, the user's folder) and what the check made: nothing of the real /tmp.
    const listed = /^tmp: (.*)$/m.exec(r.outputTail)![1].trim().split(' ').sort();
    if (path.dirname(writable) === '/tmp') assert.deepEqual(listed, [path.basename(writable), path.basename(outside), 'scratch'].sort());
    assert.equal(await fs.stat('/tmp/scratch').then(() => true, () => false), false, '/tmp/scratch went with the sandbox');
    assert.equal(await fs.readFile(path.join(outside, 'user.txt'), 'utf8'), 'mine\n');
    assert.equal(await fs.readFile(path.join(writable, 'here.txt'), 'utf8'), 'ok\n');
  });

  it('verify.network false: the check cannot reach even a server on 127.0.0.1', async () => {
    const server = net.createServer((s) => s.end('hello\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const probe = `node -e "require('net').connect(${port}, '127.0.0.1').on('data', (d) => { process.stdout.write(String(d)); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(1); })"`;
    try {
      const on = await run(probe);
      assert.equal(on.outcome, 'passed', on.outputTail);
      assert.match(on.outputTail, /hello/);
      const off = await run(probe, { network: false });
      assert.equal(off.outcome, 'failed');
      assert.match(off.outputTail, /ECONNREFUSED|ENETUNREACH/);
    } finally {
      server.close();
    }
  });

  it('the command lines: folders a private /tmp hides come back read-only; the macOS profile denies writes outside the copy', () => {
    const args = bwrapArgs({ writable: '/tmp/fugu-check-x', readable: ['/tmp/ws', '/home/u/ws'], network: false }, '/tmp/fugu-check-x/ws');
    const at = (a: string, b: string) => args.findIndex((x, i) => x === a && args[i + 1] === b);
    assert.ok(at('--tmpfs', '/tmp') < at('--ro-bind', '/tmp/ws'), '/tmp/ws is bound after the private /tmp');
    assert.equal(at('--ro-bind', '/home/u/ws'), -1, 'outside /tmp the read-only root already shows it');
    assert.ok(at('--ro-bind', '/tmp/ws') < at('--bind', '/tmp/fugu-check-x'));
    assert.ok(args.includes('--unshare-net') && args.includes('--unshare-pid') && args.includes('--die-with-parent'));
    const profile = seatbeltProfile({ writable: '/private/var/folders/x/fugu-check-1', readable: [], network: false });
    assert.match(profile, /\(deny file-write\*\)/);
    assert.match(profile, /\(allow file-write\* \(subpath "\/private\/var\/folders\/x\/fugu-check-1"\)/);
    assert.match(profile, /\(deny network\*\)/);
  });
});
