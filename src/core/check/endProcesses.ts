// Ending a check's processes without a sandbox: its process group, and (on Linux) every process
// that carries the check's marker variable, which a setsid descendant keeps when it leaves the group.
import { promises as fs } from 'node:fs';

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
  return killMarked(marker);
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

async function killMarked(marker: string): Promise<number[]> {
  if (!(await hasProc())) return [];
  const needle = `${MARKER_VAR}=${marker}`;
  const killed: number[] = [];
  const pids = (await fs.readdir('/proc').catch(() => [] as string[])).filter((n) => /^\d+$/.test(n)).map(Number);
  await Promise.all(
    pids.map(async (pid) => {
      if (pid === process.pid) return;
      const env = await fs.readFile(`/proc/${pid}/environ`, 'latin1').catch(() => null);
      if (!env?.split('\0').includes(needle)) return;
      try {
        process.kill(pid, 'SIGKILL');
        killed.push(pid);
      } catch {
        // Gone already.
      }
    }),
  );
  return killed;
}
