// A model's regular expression runs in a worker thread under a time budget: JavaScript's engine
// backtracks, and a pattern like (a+)+$ on a long line would hold the event loop (the extension host,
// fugu serve) for minutes. The worker is ended when the budget runs out and the caller gets an error.
import { Worker } from 'node:worker_threads';

export interface RegexJob {
  source: string;
  flags: string;
  /** The texts to search, line by line; lines longer than `maxLine` are skipped. */
  files: Array<{ path: string; text: string }>;
  maxLine: number;
}

/** Matching lines as [file index, line index]; `total` counts every match, `hits` the first `maxHits`. */
export interface RegexMatches {
  hits: Array<[number, number]>;
  total: number;
}

// Runs in the worker: plain JavaScript, no imports, so the bundle needs no separate worker file.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { source, flags, files, maxLine, maxHits } = workerData;
const re = new RegExp(source, flags);
const hits = [];
let total = 0;
for (let f = 0; f < files.length; f++) {
  const lines = files[f].text.split('\\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].length > maxLine || !re.test(lines[i])) continue;
    total++;
    if (hits.length < maxHits) hits.push([f, i]);
  }
}
parentPort.postMessage({ hits, total });
`;

export class RegexTimeout extends Error {}

/** Runs the job in a worker; rejects with RegexTimeout after `budgetMs`, with the pattern's error if it is invalid. */
export function boundedRegexSearch(job: RegexJob, opts: { budgetMs: number; maxHits: number }): Promise<RegexMatches> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { ...job, maxHits: opts.maxHits } });
    let done = false;
    const end = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(() => end(() => reject(new RegexTimeout(`the search took longer than ${opts.budgetMs} ms and was stopped`))), opts.budgetMs);
    worker.once('message', (m: RegexMatches) => end(() => resolve(m)));
    worker.once('error', (e) => end(() => reject(e)));
    worker.once('exit', () => end(() => reject(new Error('the search ended without a result'))));
  });
}
