// What the check said, in words: for the coder's corrective step, the conductor's review, the
// notification and the CLI. One place, so they cannot disagree.
import type { CheckResult, TraceCheck } from '../trace/types';

const MAX_FILE_CHARS = 20_000;

/** The first line that looks like a failure ("✖ sum adds", "FAIL: test_x", "AssertionError: ..."), else the last non-empty line. */
export function firstFailingLine(output: string): string {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  const hit = lines.find((l) => /(^|\s)(✖|✗|×|not ok\b|FAIL\b|FAILED\b|ERROR\b|Error:|error\[|panic)/.test(l));
  return (hit ?? lines[lines.length - 1] ?? '').slice(0, 200);
}

function describe(r: CheckResult): string {
  switch (r.outcome) {
    case 'passed':
      return 'passed (exit 0)';
    case 'failed':
      return `failed (exit ${r.exitCode ?? 'killed'})`;
    default:
      return `${r.outcome}${r.reason ? `: ${r.reason}` : ''}`;
  }
}

/** The check's report for a model: command, result, the baseline beside it, the output's tail. */
export function checkReport(c: TraceCheck): string {
  const base = c.baseline;
  const baseline = !base
    ? 'The check was not run on the unmodified workspace.'
    : base.outcome === 'passed'
      ? 'Before the edits (baseline) the same check passed, so these failures come from the edits.'
      : base.outcome === 'failed'
        ? `Before the edits (baseline) the same check already failed (exit ${base.exitCode}); failures that were there before and have nothing to do with the task may be left alone.\nBaseline output (tail):\n${base.outputTail}`
        : `The baseline ${describe(base)}.`;
  return `The workspace's check \`${c.command}\` ${describe(c)} after the proposed edits.\n${baseline}\n\nOutput (tail):\n${c.outputTail}`;
}

/** The coder's corrective subtask: the failing report and the proposed files as they now stand. */
export function checkCorrectionSubtask(c: TraceCheck, files: Array<{ path: string; text: string | null }>): string {
  const shown = files
    .map((f) => {
      if (f.text === null) return `${f.path}: (deleted)`;
      const text = f.text.length > MAX_FILE_CHARS ? `${f.text.slice(0, MAX_FILE_CHARS)}\n[... ${f.text.length - MAX_FILE_CHARS} more characters not shown]` : f.text;
      return `${f.path}\n\`\`\`\n${text}\n\`\`\``;
    })
    .join('\n\n');
  return (
    `Your edits were applied in a copy of the workspace and its check failed.\n\n${checkReport(c)}\n\n` +
    `The files you changed, as they now stand with your edits applied:\n\n${shown}\n\n` +
    'Fix the failure. Write SEARCH/REPLACE edit blocks against the files exactly as shown above (your earlier edits are already in them), ' +
    'in the same edit format as before. Change only what the failure needs.'
  );
}

/** One line for the user: "Checks pass (npm test)" / "Checks still fail after 1 corrective round: <line>". */
export function checkVerdict(c: { command: string; outcome: CheckResult['outcome']; outputTail: string; reason: string | null; baselineExitCode: number | null; rounds: number; hint?: string }): string {
  const after = c.rounds > 0 ? ` after ${c.rounds} corrective round${c.rounds > 1 ? 's' : ''}` : '';
  switch (c.outcome) {
    case 'passed':
      return `Checks pass (${c.command})${c.rounds > 0 ? ` after ${c.rounds} corrective round${c.rounds > 1 ? 's' : ''}` : ''}`;
    case 'failed': {
      const before = c.baselineExitCode !== null && c.baselineExitCode !== 0 ? ' (they failed before the edits too)' : '';
      return `Checks ${c.rounds > 0 ? 'still ' : ''}fail${after}${before}: ${firstFailingLine(c.outputTail)}${c.hint ? `\n${c.hint}` : ''}`;
    }
    case 'timeout':
      return `Edits unverified: ${c.reason ?? `${c.command} timed out`}`;
    case 'could-not-run':
      return `Checks could not run: ${c.reason ?? c.command}`;
    case 'cancelled':
      return 'Checks cancelled';
  }
}
