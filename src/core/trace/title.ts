import type { TraceDocument } from './types';

/**
 * What a run is called wherever it is listed: the user's own words. `title` is set when the task
 * the workers saw was built around those words (inline generation); older traces have only `task`.
 */
export function runTitle(doc: Pick<TraceDocument, 'task' | 'title'>): string {
  return doc.title?.trim() ? doc.title : doc.task;
}
