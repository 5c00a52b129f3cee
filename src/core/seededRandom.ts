// One small deterministic generator for everything that samples: the same seed gives the same draws,
// so a resampled statistic (fugu eval) or a Thompson-sampling pick (the learned policy) repeats.

/** mulberry32: uniform draws in [0, 1) from a 32-bit seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
