// The conductor's workflow exactly as the paper writes it: three equal-length lists.

export type AccessEntry = number | 'all';

export interface Workflow {
  model_id: number[];
  subtasks: string[];
  access_list: AccessEntry[][];
}

/** What parsing a conductor's answer gives: a workflow (not yet validated) or one sentence saying why not. */
export type WorkflowParse = { ok: true; workflow: Workflow; format: 'python' | 'json' } | { ok: false; error: string };

export interface WorkflowLimits {
  /** Number of configured workers; "Model i" is workers[i]. */
  poolSize: number;
  /** Default 5. */
  maxSteps?: number;
  /** When true, model id `poolSize` names the conductor's own step (only as the last step; see conductorStep). */
  allowConductorStep?: boolean;
  /** When true, three empty lists mean "accept" (a recursive call). */
  allowAccept?: boolean;
}

/** Validation either passes (maybe as an accept) or lists every problem, each naming its list and position. */
export type WorkflowCheck =
  | { ok: true; accept: boolean }
  /** `error` is `errors` joined into one message, for a trace or a reply to the conductor. */
  | { ok: false; errors: string[]; error: string };
