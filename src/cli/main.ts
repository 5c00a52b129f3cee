// The CLI's entry imports nothing: each command's code (and the core it needs) loads through
// `import()` when that command runs, so `fugu --help` and every command load only their own part
// (scripts/build.mjs splits dist/cli.js at each `import()`).

const USAGE = `Usage:
  fugu solve --config <file.json> --workspace <dir> [--trace <out.json>] [--diff] [--apply]
             [--verify <command> | --verify auto | --no-verify] "<task>"
  fugu serve --config <file.json> [--host 127.0.0.1] [--port 8787]
  fugu eval --config <file.json> --suite <suite.jsonl|dir> [--arms builtin,single:gpt,workflow:*,...] [--repeat N]
            [--concurrency K] [--out results.jsonl] [--rollouts rollouts.jsonl] [--report report.html]
            [--max-cost-usd X] [--shard i/n] [--check-timeout-ms MS] [--restart | --keep-stale]
  fugu eval --merge a.jsonl b.jsonl ... [--out all.jsonl] [--report report.html] [--partial]
  fugu eval --demo      (the sample suite against scripted fake providers, offline)
  fugu eval --learned-cv K --config <file.json> --suite <suite> <results.jsonl>   (the learned policy by task folds)
  fugu reward --config <file.json> --suite <suite> [--traces <dir>]   < one rollouts line
                        (runs that conductor completion on the task; prints its reward: 1, 0.5 or 0)
  fugu learn --config <file.json> --from <results.jsonl> --suite <suite.jsonl|dir> [--cv K]
  fugu learn --config <file.json> --explain "<task>" [--workspace <dir>] [--coding]

The task may also come on stdin. Exit codes: 0 succeeded, 1 run failed/cancelled/over budget,
2 bad config or missing key, 3 run succeeded but some edits failed or were refused,
4 run succeeded but the final edits fail their check (--verify).`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'solve') return (await import('./solve.js')).solveCommand(rest);
  if (command === 'serve') return (await import('./serve.js')).serveCommand(rest);
  if (command === 'eval') return (await import('./eval.js')).evalCommand(rest);
  if (command === 'reward') return (await import('./reward.js')).rewardCommand(rest);
  if (command === 'learn') return (await import('./learn.js')).learnCommand(rest);
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
