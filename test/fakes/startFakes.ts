// Starts the three provider fakes together, for end-to-end tests of the whole workflow.
import { startAnthropicFake } from './anthropicFake';
import type { FakeOptions, FakeProvider } from './fakeServer';
import { startGeminiFake } from './geminiFake';
import { startOpenAIFake } from './openaiFake';

/** The three fakes to script and inspect; who closes them is not this type's business. */
export interface FakeSet {
  readonly openai: FakeProvider;
  readonly anthropic: FakeProvider;
  readonly gemini: FakeProvider;
  readonly all: FakeProvider[];
  /** Clears scripted replies, requests and counters on all three. */
  reset(): void;
}

export interface Fakes extends FakeSet {
  close(): Promise<void>;
}

export interface StartFakesOptions {
  openai?: FakeOptions;
  anthropic?: FakeOptions;
  gemini?: FakeOptions;
}

export async function startFakes(opts: StartFakesOptions = {}): Promise<Fakes> {
  const [openai, anthropic, gemini] = await Promise.all([
    startOpenAIFake(opts.openai),
    startAnthropicFake(opts.anthropic),
    startGeminiFake(opts.gemini),
  ]);
  const all = [openai, anthropic, gemini];
  return {
    openai,
    anthropic,
    gemini,
    all,
    reset: () => all.forEach((f) => f.reset()),
    close: async () => void (await Promise.all(all.map((f) => f.close()))),
  };
}
