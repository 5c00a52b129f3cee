// Input context windows (tokens) of common models, from the providers' model pages. A model name
// matches the longest entry it starts with, so dated snapshots ('claude-sonnet-4-5-20250929') and
// variants find their family. A model the table does not know counts as DEFAULT_CONTEXT_WINDOW where a
// profile's window is worked out.
import { PLANNING_CONTEXT_TOKENS, type FuguConfig } from './config';
import { finalWorkers } from './agent/answerCheck';

export const CONTEXT_WINDOWS: Readonly<Record<string, number>> = {
  // OpenAI (GPT-5: 400k in all, of which 272k input)
  'gpt-5': 272_000,
  'gpt-4.1': 1_047_576,
  'gpt-4o': 128_000,
  o3: 200_000,
  'o4-mini': 200_000,
  // Anthropic
  'claude-sonnet-4': 200_000,
  'claude-opus-4': 200_000,
  'claude-haiku-4': 200_000,
  'claude-3-5-haiku': 200_000,
  'claude-3-haiku': 200_000,
  // Google
  'gemini-2.5': 1_048_576,
  'gemini-2.0-flash': 1_048_576,
};

/** The input window of `model` in tokens, or undefined when the table does not know it. */
export function contextWindowOf(model: string): number | undefined {
  let best: string | undefined;
  for (const name of Object.keys(CONTEXT_WINDOWS)) {
    if (model.startsWith(name) && (!best || name.length > best.length)) best = name;
  }
  return best ? CONTEXT_WINDOWS[best] : undefined;
}

/** The window assumed for a worker whose model the table does not know. */
export const DEFAULT_CONTEXT_WINDOW = 128_000;

/**
 * A profile's context window: the smallest of the windows of the workers that may write its answer
 * (they see the whole conversation; a planner that overflows fails alone and the run goes on).
 * What `fugu serve` tells Codex and what the "Fugu" models tell VS Code's Chat.
 */
export function profileContextWindow(profile: FuguConfig): number {
  return Math.min(...finalWorkers(profile).map((w) => contextWindowOf(w.model) ?? DEFAULT_CONTEXT_WINDOW));
}

/**
 * The most tokens of conversation planners are shown: `policy.planningContextTokens`, and never more than
 * half the window of any worker that may plan or of the conductor model (the rest holds the subtask,
 * the other steps' outputs and the answer).
 */
export function planningContextLimit(profile: FuguConfig): number {
  const windows = profile.workers.map((w) => contextWindowOf(w.model) ?? DEFAULT_CONTEXT_WINDOW);
  if (profile.policy.backend === 'conductor' && profile.policy.model) windows.push(contextWindowOf(profile.policy.model) ?? DEFAULT_CONTEXT_WINDOW);
  return Math.min(profile.policy.planningContextTokens ?? PLANNING_CONTEXT_TOKENS, ...windows.map((w) => Math.floor(w / 2)));
}
