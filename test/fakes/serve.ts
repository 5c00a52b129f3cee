// Runs the three fakes for manual use and browser tests:
//   node out/test/fakes/serve.js [--port 4100]   (openai on P, anthropic on P+1, gemini on P+2; default: free ports)
// Every reply echoes the last user message; tokens stream with a small delay so the UI shows progress.
import type { FakeRequest } from './fakeServer';
import type { Reply } from './reply';
import { startFakes } from './startFakes';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const base = Number(arg('--port') ?? 0);
  const delay = Number(arg('--token-delay') ?? 15);
  const echo = (req: FakeRequest): Reply => ({ kind: 'text', text: `[${req.model}] ${req.lastUserText}`, tokenDelayMs: delay });
  const port = (i: number) => (base ? base + i : 0);
  const fakes = await startFakes({
    openai: { port: port(0), defaultReply: echo },
    anthropic: { port: port(1), defaultReply: echo },
    gemini: { port: port(2), defaultReply: echo },
  });
  const urls = { openai: fakes.openai.url, anthropic: fakes.anthropic.url, google: fakes.gemini.url };
  // One JSON line first, so scripts can read the ports.
  console.log(JSON.stringify(urls));
  console.error('Fake providers running (Ctrl+C to stop):');
  for (const [k, v] of Object.entries(urls)) console.error(`  ${k.padEnd(9)} ${v}`);
  const stop = () => void fakes.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
