// The provider fakes for one describe block, owned by mocha hooks: started before its tests, reset
// before each test, closed after them (after `beforeClose`, so a server using them stops first).
import { startFakes, type FakeSet, type Fakes, type StartFakesOptions } from '../fakes';

export interface SuiteFakesOptions extends StartFakesOptions {
  /** Clear scripted replies and requests before each test (default true). */
  resetEachTest?: boolean;
  /** Runs in the `after` hook before the fakes close: stop whatever calls them. */
  beforeClose?: () => unknown;
}

/**
 * Registers the hooks in the calling `describe` and returns a live view of its fakes, valid inside
 * its tests and in hooks registered after this call.
 */
export function useFakes(opts: SuiteFakesOptions = {}): FakeSet {
  const { resetEachTest = true, beforeClose, ...startOptions } = opts;
  let started: Fakes | undefined;
  const running = (): Fakes => {
    if (!started) throw new Error('the fakes run only inside the describe block that called useFakes (in its tests and later hooks)');
    return started;
  };
  before(async () => {
    started = await startFakes(startOptions);
  });
  after(async () => {
    try {
      await beforeClose?.();
    } finally {
      await started?.close();
      started = undefined;
    }
  });
  if (resetEachTest) beforeEach(() => running().reset());
  return {
    get openai() {
      return running().openai;
    },
    get anthropic() {
      return running().anthropic;
    },
    get gemini() {
      return running().gemini;
    },
    get all() {
      return running().all;
    },
    reset: () => running().reset(),
  };
}
