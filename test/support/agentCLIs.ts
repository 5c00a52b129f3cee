// The real agent clients (Codex CLI, Claude Code) the tests run against `fugu serve`: installed on demand,
// pinned by version and checksum, into .agent-clis/ by scripts/agentclis/install.mjs (the one owner of
// where they live and which versions they are). A missing or stale install is installed here, so a test
// that needs them never skips: it fails when they cannot be installed.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './serveProcess';

export interface AgentCLIs {
  codex: string;
  claude: string;
}

let installed: AgentCLIs | undefined;

/** The clients' executables, installing them first if needed (about 20 s and 800 MB, once). */
export function agentCLIs(): AgentCLIs {
  if (installed) return installed;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/agentclis/install.mjs'), '--json'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 10 * 60_000 });
  if (r.status !== 0) throw new Error(`installing the agent CLIs failed (exit ${r.status ?? r.signal}); see the [agent-clis] lines above, or run node scripts/agentclis/install.mjs`);
  installed = JSON.parse(r.stdout) as AgentCLIs;
  return installed;
}
