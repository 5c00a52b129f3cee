import { parseArgs } from 'node:util';
import { missingKeys } from './envKeys';
import { loadServeConfigFile, type ServeConfig } from './serve/serveConfig';
import { ServeStartError, startServer } from './serve/startServer';
import { cliOutcomeStore } from './outcomeStore';

/**
 * `fugu serve`: runs until SIGTERM/SIGINT, then finishes in-flight runs for the grace period,
 * cancels the rest and exits 0. Exit 2: bad flags, bad config, missing key, or a non-loopback
 * host without FUGU_SERVER_TOKEN.
 */
export async function serveCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', short: 'p', default: '8787' },
        'max-concurrent': { type: 'string' },
        'grace-ms': { type: 'string' },
        quiet: { type: 'boolean', short: 'q', default: false },
      },
    }));
  } catch (err) {
    return fail((err as Error).message);
  }
  if (!values.config) return fail('missing --config <file.json>.');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return fail(`--port must be a port number, not '${values.port}'.`);

  let config: ServeConfig;
  try {
    config = await loadServeConfigFile(values.config);
  } catch (err) {
    return fail((err as Error).message);
  }
  for (const [flag, key] of [['max-concurrent', 'maxConcurrentRuns'], ['grace-ms', 'shutdownGraceMs']] as const) {
    const raw = values[flag];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < (key === 'maxConcurrentRuns' ? 1 : 0)) return fail(`--${flag} must be a whole number, not '${raw}'.`);
    config.server[key] = n;
  }
  for (const [name, profile] of Object.entries(config.profiles)) {
    const missing = missingKeys(profile, process.env);
    if (missing.length > 0) return fail(`profile '${name}': ${missing[0]}`);
  }

  const token = process.env.FUGU_SERVER_TOKEN;
  let running;
  try {
    running = await startServer(config, {
      host: values.host,
      port,
      token,
      outcomes: cliOutcomeStore(process.env, 'fugu serve'),
      log: values.quiet ? undefined : (line) => process.stderr.write(`fugu serve: ${line}\n`),
    });
  } catch (err) {
    if (err instanceof ServeStartError) return fail(`refusing to start: ${err.message}`);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') return fail(`cannot listen on ${values.host}:${port} (${code}).`);
    throw err;
  }
  // One line on stdout, so scripts can read the address.
  process.stdout.write(`${JSON.stringify({ url: `${running.url}/v1`, models: Object.keys(config.profiles), auth: token ? 'bearer' : 'none' })}\n`);
  process.stderr.write(`fugu serve: listening on ${running.url}/v1 (models: ${Object.keys(config.profiles).join(', ')})\n`);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stderr.write(`fugu serve: ${signal}: finishing ${running.inFlight()} run(s), up to ${config.server.shutdownGraceMs} ms\n`);
      void running.close().then(resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  process.stderr.write('fugu serve: stopped\n');
  return 0;
}

function fail(message: string): number {
  process.stderr.write(`fugu serve: ${message}\n`);
  return 2;
}
