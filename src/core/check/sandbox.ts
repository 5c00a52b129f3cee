// The sandbox a check runs in, from an existing engine: bubblewrap on Linux (the engine Flatpak
// uses), sandbox-exec on macOS. Everything is read-only but the scratch copy and a private /tmp;
// on Linux a private PID namespace ends every descendant with the check (setsid ones included) and
// --die-with-parent ends it with us, even after SIGKILL. Where neither can start, the check runs
// unsandboxed on a copy that owns full copies of the dependency folders (see scratchCopy).
import { execFile } from 'node:child_process';
import * as path from 'node:path';

export type SandboxSetting = 'auto' | 'required' | 'off';
/** Which isolation a check ran under: an engine, or the unsandboxed copy. */
export type Isolation = 'bubblewrap' | 'sandbox-exec' | 'copy';
export type SandboxEngine = Exclude<Isolation, 'copy'>;

export interface SandboxPolicy {
  /** The scratch copy's folder: the only place the check may write (besides a private /tmp). */
  writable: string;
  /** Folders the check reads that a private /tmp would hide (the workspace, its dependency folders). */
  readable: string[];
  network: boolean;
}

const BWRAP = '/usr/bin/bwrap';
const SANDBOX_EXEC = '/usr/bin/sandbox-exec';
const probes = new Map<string, Promise<SandboxEngine | null>>();

/** The engine that can start here, found once per process by starting it on `true`; null when none can. */
export function sandboxEngine(platform: NodeJS.Platform = process.platform): Promise<SandboxEngine | null> {
  let p = probes.get(platform);
  if (!p) {
    p = probe(platform);
    probes.set(platform, p);
  }
  return p;
}

function probe(platform: NodeJS.Platform): Promise<SandboxEngine | null> {
  const run = (file: string, args: string[]) => new Promise<boolean>((resolve) => execFile(file, args, { timeout: 10_000 }, (err) => resolve(!err)));
  if (platform === 'linux') {
    // A kernel without user namespaces (or a container that forbids them) fails here, not mid-check.
    return run(BWRAP, ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--unshare-pid', '--die-with-parent', 'true']).then((ok) => (ok ? 'bubblewrap' : null));
  }
  if (platform === 'darwin') {
    return run(SANDBOX_EXEC, ['-p', '(version 1)(allow default)', '/usr/bin/true']).then((ok) => (ok ? 'sandbox-exec' : null));
  }
  return Promise.resolve(null);
}

/** The command line that runs `file args` under the engine with the policy. */
export function sandboxed(engine: SandboxEngine, policy: SandboxPolicy, cwd: string, file: string, args: string[]): { file: string; args: string[] } {
  if (engine === 'sandbox-exec') return { file: SANDBOX_EXEC, args: ['-p', seatbeltProfile(policy), file, ...args] };
  return { file: BWRAP, args: [...bwrapArgs(policy, cwd), '--', file, ...args] };
}

export function bwrapArgs(policy: SandboxPolicy, cwd: string): string[] {
  const args = ['--die-with-parent', '--unshare-pid', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'];
  if (!policy.network) args.push('--unshare-net');
  // Mounted in order: what the private /tmp hid comes back, read-only; then the copy, writable.
  for (const p of policy.readable) if (under('/tmp', p)) args.push('--ro-bind', p, p);
  args.push('--bind', policy.writable, policy.writable, '--chdir', cwd);
  return args;
}

/**
 * The macOS policy: writes only into the copy and the temp folders, no network when asked. Written
 * to the same policy as bubblewrap's, but not tried on macOS by our tests (they run on Linux); and
 * sandbox-exec has no PID namespace, so escaped descendants are ended by process group only.
 */
export function seatbeltProfile(policy: SandboxPolicy): string {
  const q = (p: string) => JSON.stringify(p);
  return [
    '(version 1)',
    '(allow default)',
    '(deny file-write*)',
    `(allow file-write* (subpath ${q(policy.writable)}) (subpath "/private/tmp") (subpath "/private/var/folders") (literal "/dev/null") (literal "/dev/tty") (subpath "/dev/fd"))`,
    ...(policy.network ? [] : ['(deny network*)']),
  ].join('\n');
}

function under(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
