// Decides what kind of task the user wrote, so a policy can pick a topology without a model.

export type TaskKind = 'coding' | 'question' | 'general';

/** A question this short, with no request to change code, gets a one-step answer. */
export const SHORT_QUESTION_MAX_CHARS = 280;

const CODE_WORDS =
  /\b(code|codebase|implement|debug|function|functions|method|class|classes|bug|bugs|refactor|compile[rsd]?|compilation|exception|stack ?trace|api|endpoint|script|module|import|variable|typescript|javascript|python|java|rust|golang|kotlin|swift|sql|regex|css|html|json|yaml|repo|repository|commit|lint|linter|unit tests?|tests?|test suite|component|database|schema|dependency|npm|package\.json|cli|frontend|backend|program|algorithm|array|interface|struct|enum|async|callback|null pointer|segfault|webview|extension)\b/i;
/** A file path with a known extension, as a task names one. */
export const FILE_PATH_PATTERN = /\b[\w./-]+\.(ts|tsx|js|jsx|mjs|cjs|py|rs|go|java|c|cc|cpp|h|hpp|cs|rb|php|swift|kt|json|ya?ml|toml|css|scss|html|sql|sh|vue|svelte)\b/i;
const CODE_SHAPES = /```|=>|\w\(\)|\b[a-z]+[A-Z]\w*\b|\b[a-z]+_[a-z_]+\b|;\s*$/m;
const CHANGE_VERBS =
  /\b(add|adds|fix|fixes|implement|refactor|write|create|rename|remove|delete|change|update|make|convert|migrate|optimi[sz]e|port|debug|build|generate|extract|replace|support|handle|split|move|rewrite|clean up)\b/i;
const QUESTION_FORM = /^\s*(what|why|how|when|where|who|which|is|are|can|could|does|do|should|explain|define|describe)\b|\?\s*$/i;

/** Phrased as a question ("what …", "… ?"), not as an instruction. */
export function isQuestionForm(text: string): boolean {
  return QUESTION_FORM.test(text);
}

export function hasCodeSignal(task: string): boolean {
  return CODE_WORDS.test(task) || FILE_PATH_PATTERN.test(task) || CODE_SHAPES.test(task);
}

/** How taskWithContext (assembleMessages.ts) appends workspace files after the user's words. */
const CONTEXT_MARKER = '\n\nContext from the workspace:';

/**
 * coding: code is mentioned (or files are attached) and the request asks for a change or is not
 * phrased as a question; question: anything else up to SHORT_QUESTION_MAX_CHARS; general: longer
 * non-coding work. Only the user's own words are read: attached code would match everything.
 */
export function classifyTask(task: string): TaskKind {
  const cut = task.indexOf(CONTEXT_MARKER);
  const request = userWords(task);
  const codeish = cut !== -1 || hasCodeSignal(request);
  if (codeish && (CHANGE_VERBS.test(request) || !QUESTION_FORM.test(request))) return 'coding';
  return request.length <= SHORT_QUESTION_MAX_CHARS ? 'question' : 'general';
}

/** The user's own words of a task, without the workspace files taskWithContext appended. */
export function userWords(task: string): string {
  const cut = task.indexOf(CONTEXT_MARKER);
  return (cut === -1 ? task : task.slice(0, cut)).trim();
}

/** The kind a policy plans for: a coding task whenever the caller asked for edits, else what the words say. */
export function taskKindOf(input: { task: string; coding?: boolean }): TaskKind {
  return input.coding ? 'coding' : classifyTask(input.task);
}
