// Codex CLI's model metadata: what `GET /v1/models?client_version=...` answers when Codex asks
// (its provider's `model_catalog_url`). With it Codex knows each profile: it offers its free-form
// `apply_patch` tool, sizes its context meter and auto-compaction, asks for no reasoning summaries,
// and stops warning that it has no metadata. Everyone else gets the OpenAI list.
import type { FuguConfig } from '../../core/config';
import { finalWorkers } from '../../core/agent/answerCheck';
import { profileContextWindow } from '../../core/contextWindows';
import { takesImages } from '../../core/workers/capabilities';

/** Codex sends its version as this query parameter on its models request; other clients do not. */
export function isCodexModelsRequest(url: URL): boolean {
  return url.searchParams.has('client_version');
}

/** One profile as Codex's ModelInfo (codex-rs protocol `openai_models.rs`, checked against Codex 0.169.0). */
export function codexModelInfo(name: string, profile: FuguConfig, priority: number): Record<string, unknown> {
  const answerers = finalWorkers(profile);
  const window = profileContextWindow(profile);
  return {
    slug: name,
    display_name: name,
    description: `Fugu workflow '${name}': ${profile.workers.length} workers; ${answerers.map((w) => w.id).join(' or ')} writes the answer.`,
    visibility: 'list',
    supported_in_api: true,
    priority,
    upgrade: null,
    // The workflow's workers have their own prompts; Codex adds its developer messages as usual.
    base_instructions: '',
    supported_reasoning_levels: [],
    supports_reasoning_summaries: false,
    supports_reasoning_summary_parameter: false,
    default_reasoning_summary: 'none',
    support_verbosity: false,
    default_verbosity: null,
    // The tools Codex offers: its PTY shell (exec_command / write_stdin) and the free-form apply_patch.
    shell_type: 'unified_exec',
    apply_patch_tool_type: 'freeform',
    tool_mode: null,
    supports_parallel_tool_calls: true,
    supports_search_tool: false,
    experimental_supported_tools: [],
    prefer_websockets: false,
    truncation_policy: { mode: 'tokens', limit: 10_000 },
    context_window: window,
    max_context_window: window,
    input_modalities: answerers.every((w) => takesImages(w.provider)) ? ['text', 'image'] : ['text'],
  };
}

/** Codex's models response for every profile, in the config's order. */
export function codexModels(profiles: Record<string, FuguConfig>): { models: Record<string, unknown>[] } {
  return { models: Object.entries(profiles).map(([name, profile], i) => codexModelInfo(name, profile, i)) };
}
