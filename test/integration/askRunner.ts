// Asks the integration runner (scripts/codeserver/run-tests.mjs) to act in the browser where only a
// person can: a JSON line appended to FUGU_TEST_REQUESTS, answered in FUGU_TEST_REPLIES once done.
import { appendFileSync, readFileSync } from 'node:fs';
import { waitFor } from './fuguSupport';

/** A row of a quick pick as the workbench shows it; `separator` is the group label it starts ('' inside a group). */
export interface QuickPickRow {
  label: string;
  description: string;
  separator: string;
  /** Only in a multi-select pick. */
  checked?: boolean;
}

export interface QuickPickShown {
  title: string;
  rows: QuickPickRow[];
}

export type RunnerRequest =
  /** Trust the open folder (Workspace Trust editor → Trust). */
  | { action: 'grant-trust' }
  /**
   * Wait for the quick pick whose title contains `title`; then check exactly the rows labelled `check`
   * and click OK, or type `type` into its filter; then press `press` (e.g. 'Enter', 'Escape').
   */
  | { action: 'quick-pick'; title: string; check?: string[]; type?: string; press?: string[] };

type Result<R extends RunnerRequest> = R extends { action: 'quick-pick' } ? QuickPickShown : null;

let lastId = 0;

/** Sends `request` and resolves with the runner's answer once it has acted; rejects with its reason. */
export async function askRunner<R extends RunnerRequest>(request: R, timeoutMs = 30_000): Promise<Result<R>> {
  const requests = process.env.FUGU_TEST_REQUESTS;
  const replies = process.env.FUGU_TEST_REPLIES;
  if (!requests || !replies) throw new Error('FUGU_TEST_REQUESTS is not set: run the integration tests with scripts/codeserver/run-tests.mjs');
  const id = `${process.pid}-${++lastId}`;
  appendFileSync(requests, JSON.stringify({ id, ...request }) + '\n');
  const reply = await waitFor(
    () =>
      readFileSync(replies, 'utf8')
        .split('\n')
        .slice(0, -1) // whole lines only: the last piece may be a reply still being written
        .map((line) => JSON.parse(line) as { id: string; result?: unknown; error?: string })
        .find((r) => r.id === id),
    `the runner to do ${JSON.stringify(request)}`,
    timeoutMs,
  );
  if (reply.error !== undefined) throw new Error(`the runner could not do ${JSON.stringify(request)}: ${reply.error}`);
  return reply.result as Result<R>;
}
