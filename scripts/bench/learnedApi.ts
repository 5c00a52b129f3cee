// What the `learned` bench section needs from the source (bundled on the fly by scripts/bench/learned.mjs).
export { makeWorld, simulate } from '../../src/core/policies/learned/simulate';
export { OutcomeStore, appendOutcomes } from '../../src/core/policies/learned/outcomeLog';
export { learnedChoice } from '../../src/core/policies/learned/learnedPolicy';
export { taskFeatures } from '../../src/core/policies/learned/features';
export { LearnedModel, choose, seededRandom } from '../../src/core/policies/learned/model';
export { candidatesFor } from '../../src/core/policies/learned/candidates';
