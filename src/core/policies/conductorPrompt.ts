// The prompt a conductor model gets, after the paper: the pool as numbered models with strengths and
// cost (never brands), the output format, the step limit, and one worked example per domain.

import type { FuguConfig } from '../config';
import type { Workflow } from '../workflow/types';
import { conductorModelId } from '../workflow/conductorStep';
import { DEFAULT_MAX_STEPS } from '../workflow/validateWorkflow';
import type { TaskKind } from './classifyTask';
import { describePool } from './describePool';

/** Longest last response shown to the conductor when it reviews a round. */
const MAX_RESPONSE_CHARS = 40_000;

export interface ConductorPromptInput {
  task: string;
  config: Pick<FuguConfig, 'workers' | 'prices' | 'maxSteps'>;
  conductorMayReview: boolean;
  kind: TaskKind;
}

const EXAMPLES = `In these examples the pool is different from yours: Model 0 is a strong reasoner, Model 1 a strong coder, Model 2 a fast, cheap general model.

Example (math). Task: "Find every real x with x^4 - 5x^2 + 4 = 0."
A short algebra problem: one strong reasoner can solve it, and a cheap check catches slips.
model_id = [0, 2]
subtasks = ["Solve the equation by substituting y = x^2. Give every real root and verify each one by substitution.", "Check the previous solution line by line. If it is right, restate the final set of roots; if not, correct it and give the right roots."]
access_list = [[], ["all"]]

Example (science). Task: "Which has the higher boiling point, ethanol or dimethyl ether, and why?"
A factual question with a standard explanation: one model is enough.
model_id = [2]
subtasks = ["Answer which compound boils higher and explain why in three sentences, naming hydrogen bonding and the molecular formula the two share."]
access_list = [[]]

Example (coding). Task: "Add retries with exponential backoff to fetchJson in src/net.ts."
A change with failure modes worth thinking through first: two independent views, then the coder with both.
model_id = [0, 2, 1]
subtasks = ["Plan the change: the files and functions to touch, which errors to retry, how many attempts, the delays, and how cancellation must still work. Do not write code.", "List the edge cases and failure modes a retry wrapper around fetchJson must handle (non-idempotent requests, timeouts, an aborted signal, 4xx responses). Do not write code.", "Implement the change in src/net.ts following the plan and covering every listed edge case. Output the changes as SEARCH/REPLACE edit blocks."]
access_list = [[], [], ["all"]]

Example (general). Task: "Write a 150-word announcement of our library's 2.0 release for developers."
Drafting and editing are different skills: a draft, then an edit that sees the draft.
model_id = [2, 0]
subtasks = ["Draft a 150-word release announcement for developers: lead with the biggest change, list three highlights, end with the upgrade command.", "Edit the draft for accuracy, clarity and length (150 words). Return only the final announcement text."]
access_list = [[], ["all"]]`;

export function conductorSystemPrompt(input: ConductorPromptInput): string {
  const { config, conductorMayReview, kind } = input;
  const maxSteps = config.maxSteps || DEFAULT_MAX_STEPS;
  const self = conductorModelId(config.workers.length);
  const rules = [
    `Use at most ${maxSteps} steps. Answer a simple question with one step; add steps only when they make the answer better.`,
    'Refer to models only by their numbers below.',
    'Write your reasoning first. End your answer with exactly three Python lists of equal length, named model_id, subtasks and access_list, as in the examples.',
    'Write each subtask in double quotes on one line; inside it write \\" for a quote and \\n for a line break.',
  ];
  if (conductorMayReview) {
    rules.push(
      `You may name yourself, Model ${self}, as the last step (and only there). You will then see the task, your workflow and the last response, and either accept that response or write one corrective workflow.`,
    );
  }
  if (kind === 'coding') {
    rules.push(
      'This is a coding task: the final response is turned into file edits. The subtask of the step that gives the final answer must ask for the changes as SEARCH/REPLACE edit blocks (the exact format is appended to that subtask for you).',
    );
  }
  return `You are the conductor of a team of language models. You do not solve the task yourself: you write a workflow of a few steps in which models from the pool do the work. For each step you choose a model, write its subtask as a precise, self-contained instruction (you are its prompt engineer), and choose which earlier steps it may see.

How a step runs: the model receives the user's task, its subtask, and, as earlier turns of the conversation, the subtask and response of each step in its access list. The response of the last step is the final answer.

Access lists: [] sees no earlier step (use it for independent work that runs in parallel); ["all"] sees every earlier step; [0, 2] sees steps 0 and 2. A step may only see earlier steps. Steps are numbered from 0.

Rules:
${rules.map((r) => `- ${r}`).join('\n')}

The pool:
${describePool(config, { includeConductor: conductorMayReview })}

${EXAMPLES}`;
}

export function conductorTaskMessage(task: string): string {
  return `Task:\n${task}\n\nWrite the workflow for this task.`;
}

export function retryMessage(error: string): string {
  return `Your workflow could not be used: ${error}\nWrite the corrected workflow, ending with the three lists model_id, subtasks and access_list.`;
}

/** A workflow as the conductor writes it: the three lists. */
export function listsText(wf: Workflow): string {
  return `model_id = ${JSON.stringify(wf.model_id)}\nsubtasks = ${JSON.stringify(wf.subtasks)}\naccess_list = ${JSON.stringify(wf.access_list)}`;
}

/** What the conductor sees when a step calls it: its earlier workflows, the task, the last response. */
export function recursionMessage(task: string, previous: Workflow[], lastResponse: string): string {
  const rounds = previous.map((wf, i) => `Round ${i + 1}:\n${listsText(wf)}`).join('\n\n');
  const response =
    lastResponse.length > MAX_RESPONSE_CHARS
      ? `${lastResponse.slice(0, MAX_RESPONSE_CHARS)}\n[... ${lastResponse.length - MAX_RESPONSE_CHARS} more characters not shown]`
      : lastResponse;
  return `Task:\n${task}

Your earlier workflow${previous.length > 1 ? 's' : ''}:
${rounds}

The last response (from the step before yours):
<<<
${response}
>>>

If the last response is a correct and complete answer to the task, accept it by ending with three empty lists:
model_id = []
subtasks = []
access_list = []
Otherwise write a corrective workflow. Its steps cannot see the earlier round, so put into each subtask what its model needs from it (the flawed part and what is wrong with it). The response of its last step becomes the final answer.`;
}
