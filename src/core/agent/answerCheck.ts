// Before a run starts: can the worker that will answer honour the client's images and response
// format? The builtin policy's choice is known from the task; with a conductor any worker may answer.
import type { FuguConfig, WorkerConfig } from '../config';
import { builtinWorkflow, directWorker, poolRoles } from '../policies/builtin';
import { classifyTask } from '../policies/classifyTask';
import { directRequest, type ClientRequest } from '../policies/directRequest';
import { candidatesFor, coderIndices } from '../policies/learned/candidates';
import { answerStep } from '../workflow/conductorStep';
import { formatProblem, takesImages } from '../workers/capabilities';
import type { ImagePart } from '../workers/types';
import type { AnswerOptions } from './conversation';

/** One sentence naming the worker (of `answerers`, from possibleAnswerers) that cannot, or null when the request can be honoured. */
export function answerProblem(answerers: WorkerConfig[], options: AnswerOptions, images: ImagePart[]): string | null {
  for (const w of answerers) {
    const who = `Worker '${w.id}' (${w.provider}), which writes the answer,`;
    if (images.length && !takesImages(w.provider)) return `${who} cannot take images; send text only or make a worker of OpenAI, Anthropic or Google the answerer.`;
    const format = formatProblem(w.provider, options.responseFormat, options.tools);
    if (format) return `${who} ${format}.`;
  }
  return null;
}

/** The workers that may answer this request: the one a direct request goes to, the builtin policy's answerer, any of the learned policy's candidates' answerers, or with a conductor any worker. */
export function possibleAnswerers(config: FuguConfig, task: string, request?: ClientRequest): WorkerConfig[] {
  const direct = request && config.policy.backend !== 'fugu' ? directRequest(request) : null;
  if (direct) return [config.workers[directWorker(direct.kind, config.workers)]].filter(Boolean);
  // The learned policy may pick any of its candidates: each one's answering worker must be able to.
  if (config.policy.backend === 'learned') {
    try {
      const { candidates } = candidatesFor(config, classifyTask(task), false);
      return [...new Set(candidates.map((c) => config.workers[c.workflow.model_id[answerStep(c.workflow, config.workers.length)]]))].filter(Boolean);
    } catch {
      return config.workers;
    }
  }
  if (config.policy.backend !== 'builtin') return config.workers;
  try {
    const wf = builtinWorkflow(task, config, false);
    return [config.workers[wf.model_id[wf.model_id.length - 1]]].filter(Boolean);
  } catch {
    return config.workers;
  }
}

/**
 * The workers that may write a profile's answer, whatever the task: with the builtin policy its
 * coder and its answerer, with a conductor any worker.
 */
export function finalWorkers(config: FuguConfig): WorkerConfig[] {
  const roles = poolRoles(config.workers);
  if (config.policy.backend === 'learned') return [...new Set([...coderIndices(config.workers), roles.answerer])].map((i) => config.workers[i]).filter(Boolean);
  if (config.policy.backend !== 'builtin') return config.workers;
  return [...new Set([roles.coder, roles.answerer])].map((i) => config.workers[i]).filter(Boolean);
}
