// Public API of the edits module: parse the coder's answer, plan against the workspace, show, apply.
export { EDIT_FORMAT_INSTRUCTIONS, DELETE_FILE_MARKER } from './editFormat';
export { parseEditBlocks, type ParsedEdits } from './parseEdits';
export { matchBlock, DEFAULT_FUZZY_THRESHOLD, type MatchResult, type MatchFound, type MatchMissed, type MatchTier, type MatchOptions } from './matchBlock';
export { planEdits, planFileEdits } from './planEdits';
export { rematchPlan, type Rematch } from './rematch';
export { checkPath, checkPathShape, type PathCheck } from './safePath';
export { applyPlansToDisk, writeAtomic, type AppliedFile } from './applyToDisk';
export { nodeWorkspaceFiles } from './nodeWorkspaceFiles';
export { planDiff, plansDiff } from './unifiedDiff';
export { buildRepairPrompt, mergeRepair } from './repairPrompt';
export { splitText, joinText, type LineText } from './textLines';
export type { EditBlock, BlockFailure, FileEditPlan, WorkspaceFiles } from './types';
