// Ending a check's processes without a sandbox: its process group, and (on Linux) every process
// that carries the check's marker variable, which a setsid descendant keeps when it leaves the group.
// The code-server scripts end what their server started outside its group the same way (killMarked).
import { promises as fs, readdirSync, readFileSync } from 'node:fs';

/** The variable every process of an unsandboxed check inherits: `FUGU_CHECK_RUN=<marker>`. */
export const MARKER_VAR = 'FUGU_CHECK_RUN';

/** SIGKILLs the group `pgid` and, where /proc can tell, every process whose environment has the marker. */
export async function endCheckProcesses(pgid: number | null, marker: string): Promise<number[]> {
  if (pgid !== null && (await groupIsOurs(pgid, marker))) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  }
  return killMarked(MARKER_VAR, marker);
}

/** Whether the group's leader (if it still runs) is the check's: a recycled pid is never killed. */
async function groupIsOurs(pgid: number, marker: string): Promise<boolean> {
  const env = await fs.readFile(`/proc/${pgid}/environ`, 'latin1').catch(() => null);
  // Without /proc (macOS) the group is trusted: it was recorded by the run that started it.
  if (env === null) return !(await hasProc());
  return env.split('\0').includes(`${MARKER_VAR}=${marker}`);
}

let procKnown: Promise<boolean> | undefined;
function hasProc(): Promise<boolean> {
  procKnown ??= fs.access('/proc/self/environ').then(() => true, () => false);
  return procKnown;
}

/**
 * SIGKILLs every process (this one aside) whose environment holds `name=value`, as /proc tells (Linux;
 * elsewhere none), and returns their pids. Synchronous, so an exit handler can call it too (the
 * code-server scripts end what their server started this way); a scan of /proc takes about a millisecond.
 */
export function killMarked(name: string, value: string): number[] {
  const needle = `${name}=${value}`;
  const killed: number[] = [];
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return killed;
  }
  for (const entry of names) {
    const pid = Number(entry);
    if (!/^\d+$/.test(entry) || pid === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(needle)) continue;
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // Gone already, or not ours to read.
    }
  }
  return killed;
}
