import { evalCommand } from './eval';
import { learnCommand } from './learn';
import { serveCommand } from './serve';
import { solveCommand } from './solve';

const USAGE = `Usage:
  fugu solve --config <file.json> --workspace <dir> [--trace <out.json>] [--diff] [--apply]
             [--verify <command> | --verify auto | --no-verify] "<task>"
  fugu serve --config <file.json> [--host 127.0.0.1] [--port 8787]
  fugu eval --config <file.json> --suite <suite.jsonl|dir> [--arms builtin,single:gpt,...] [--repeat N]
            [--concurrency K] [--out results.jsonl] [--rollouts rollouts.jsonl] [--report report.html]
            [--max-cost-usd X] [--shard i/n] [--check-timeout-ms MS]
  fugu eval --merge a.jsonl b.jsonl ... [--out all.jsonl] [--report report.html]
  fugu eval --demo      (the sample suite against scripted fake providers, offline)
  fugu learn --config <file.json> --from <results.jsonl> --suite <suite.jsonl|dir> [--cv K]
  fugu learn --config <file.json> --explain "<task>" [--workspace <dir>] [--coding]

The task may also come on stdin. Exit codes: 0 succeeded, 1 run failed/cancelled/over budget,
2 bad config or missing key, 3 run succeeded but some edits failed or were refused,
4 run succeeded but the final edits fail their check (--verify).`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'solve') return solveCommand(rest);
  if (command === 'serve') return serveCommand(rest);
  if (command === 'eval') return evalCommand(rest);
  if (command === 'learn') return learnCommand(rest);
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  process.stderr.write(`fugu: unknown command '${command ?? ''}'.\n${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`fugu: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
