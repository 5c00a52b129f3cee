// Everything the benchmark needs from the source, in one entry that scripts/bench.mjs bundles with
// esbuild on the fly, so the figures always measure the current code (no tsc step needed).
export { runTask } from '../../src/core/runTask';
export { assembleMessages } from '../../src/core/assembleMessages';
export { resolveAccess } from '../../src/core/executor';
export { builtinWorkflow } from '../../src/core/policies/builtin';
export { createWorker } from '../../src/core/workers/createWorker';
export { parseServeConfig } from '../../src/cli/serve/serveConfig';
export { startServer } from '../../src/cli/serve/startServer';
export { startFakes, reply } from '../../test/fakes';
export { WorkspaceIndex } from '../../src/core/context/workspaceIndex';
export { gatherRepoContext, MAP_PATH } from '../../src/core/context/gatherRepoContext';
// [verify] issue 11
export { createScratchCopy } from '../../src/core/check/scratchCopy';
export { toCommand } from '../../src/core/check/types';
export { nodeWorkspaceFiles } from '../../src/core/edits';
// [verify-sandbox] issue 20
export { runCheckCommand } from '../../src/core/check/runCheckCommand';
export { sandboxEngine } from '../../src/core/check/sandbox';
export { countTokens } from '../../src/core/context/codeTokens';
export { LexicalIndex } from '../../src/core/context/lexicalIndex';
export { WorkerPool } from '../../src/core/workers/workerPool';
