// What the `learned` bench section needs from the source (bundled on the fly by scripts/bench/learned.mjs).
export { makeWorld, simulate } from '../../src/core/policies/learned/simulate';
export { candidatesFor, candidateWeights } from '../../src/core/policies/learned/candidates';
export { taskFeatures } from '../../src/core/policies/learned/features';
export { LearnedModel, choose, fitModel, seededRandom } from '../../src/core/policies/learned/model';
